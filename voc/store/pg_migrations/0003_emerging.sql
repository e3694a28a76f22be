-- Emerging issues: issue clusters with stable ids, their term signatures, their size
-- per week, and the status history of every tested series.
CREATE TABLE emerging_clusters (
    id            TEXT COLLATE "C" PRIMARY KEY,
    label         TEXT COLLATE "C" NOT NULL,
    terms         TEXT COLLATE "C" NOT NULL,
    signature     TEXT COLLATE "C" NOT NULL,
    first_period  TEXT COLLATE "C" NOT NULL,
    last_period   TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL
);

CREATE TABLE emerging_cluster_weeks (
    cluster_id    TEXT COLLATE "C" NOT NULL REFERENCES emerging_clusters(id) ON DELETE CASCADE,
    week          TEXT COLLATE "C" NOT NULL,
    count         BIGINT NOT NULL,
    PRIMARY KEY (cluster_id, week)
);

CREATE TABLE emerging_status (
    subject       TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL,
    period        TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    alarm         BIGINT NOT NULL,
    count         BIGINT NOT NULL,
    baseline      DOUBLE PRECISION NOT NULL,
    growth        DOUBLE PRECISION,
    p_value       DOUBLE PRECISION NOT NULL,
    q_value       DOUBLE PRECISION NOT NULL,
    label         TEXT COLLATE "C" NOT NULL,
    computed_at   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (subject, period)
);
CREATE INDEX emerging_status_period ON emerging_status(period, alarm);
