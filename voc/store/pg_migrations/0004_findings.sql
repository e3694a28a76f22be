-- Findings of `voc report`: the closed loop.
CREATE TABLE findings (
    id             TEXT COLLATE "C" PRIMARY KEY,
    kind           TEXT COLLATE "C" NOT NULL,
    topic          TEXT COLLATE "C" NOT NULL,
    product        TEXT COLLATE "C" NOT NULL,
    cluster_id     TEXT COLLATE "C",
    label          TEXT COLLATE "C",
    baseline_rate  DOUBLE PRECISION,
    first_period   TEXT COLLATE "C" NOT NULL,
    first_start    TEXT COLLATE "C" NOT NULL
);

CREATE TABLE finding_periods (
    finding_id     TEXT COLLATE "C" NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    period         TEXT COLLATE "C" NOT NULL,
    period_start   TEXT COLLATE "C" NOT NULL,
    count          BIGINT NOT NULL,
    volume         BIGINT NOT NULL,
    negative_share DOUBLE PRECISION,
    safety         BIGINT NOT NULL DEFAULT 0,
    expected       DOUBLE PRECISION,
    growth         DOUBLE PRECISION,
    q_value        DOUBLE PRECISION,
    nps_impact     DOUBLE PRECISION,
    priority       TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL,
    owner_team     TEXT COLLATE "C" NOT NULL,
    owner_person   TEXT COLLATE "C" NOT NULL DEFAULT '',
    owner_contact  TEXT COLLATE "C" NOT NULL DEFAULT '',
    computed_at    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (finding_id, period)
);
CREATE INDEX finding_periods_start ON finding_periods(period_start);

CREATE TABLE report_periods (
    period         TEXT COLLATE "C" PRIMARY KEY,
    period_start   TEXT COLLATE "C" NOT NULL,
    volume         BIGINT NOT NULL,
    findings       BIGINT NOT NULL,
    with_emerging  BIGINT NOT NULL DEFAULT 0,
    computed_at    TEXT COLLATE "C" NOT NULL
);
