-- Emerging issues (issue 4): issue clusters with stable ids, their term signatures,
-- their size per week, and the status history of every tested series.
CREATE TABLE emerging_clusters (
    id            TEXT PRIMARY KEY,          -- stable id: 'E' + 8 hex digits
    label         TEXT NOT NULL,             -- latest label (most distinctive terms)
    terms         TEXT NOT NULL,             -- JSON list of the latest distinctive terms
    signature     TEXT NOT NULL,             -- JSON object term -> weight (c-TF-IDF, l2-normalised)
    first_period  TEXT NOT NULL,             -- first period it was seen in (period label)
    last_period   TEXT NOT NULL,             -- latest period it was seen in
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE emerging_cluster_weeks (
    cluster_id    TEXT NOT NULL REFERENCES emerging_clusters(id) ON DELETE CASCADE,
    week          TEXT NOT NULL,             -- ISO week, or first day of a 7-day bucket
    count         INTEGER NOT NULL,          -- complaints of the cluster that week
    PRIMARY KEY (cluster_id, week)
);

-- One row per tested series and period: a cluster id or 'topic@product'.
CREATE TABLE emerging_status (
    subject       TEXT NOT NULL,
    kind          TEXT NOT NULL,             -- cluster | topic
    period        TEXT NOT NULL,
    status        TEXT NOT NULL,             -- new | growing | ongoing | fading
    alarm         INTEGER NOT NULL,
    count         INTEGER NOT NULL,
    baseline      REAL NOT NULL,             -- count expected at the baseline rate
    growth        REAL,                      -- count / baseline, NULL when no baseline
    p_value       REAL NOT NULL,
    q_value       REAL NOT NULL,
    label         TEXT NOT NULL,
    computed_at   TEXT NOT NULL,
    PRIMARY KEY (subject, period)
);
CREATE INDEX emerging_status_period ON emerging_status(period, alarm);
