-- Findings of `voc report`: the closed loop. A finding keeps a stable id across
-- periods; each reported period adds one row per finding with its status
-- (new, ongoing, worsening, improving, resolved), priority and owner at the time.
CREATE TABLE findings (
    id             TEXT PRIMARY KEY,          -- 'F-' + 10 hex of sha1(kind|topic|product|cluster)
    kind           TEXT NOT NULL,             -- topic | safety | emerging
    topic          TEXT NOT NULL,             -- topic id, 'safety' or 'emerging'
    product        TEXT NOT NULL,             -- '' when the finding spans products
    cluster_id     TEXT,                      -- emerging cluster id (kind = emerging)
    label          TEXT,
    baseline_rate  REAL,                      -- per 1000 analysed records before first seen (NULL: no data)
    first_period   TEXT NOT NULL,             -- e.g. 2026-W46
    first_start    TEXT NOT NULL              -- 'YYYY-MM-DD'
);

CREATE TABLE finding_periods (
    finding_id     TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    period         TEXT NOT NULL,             -- ISO week label
    period_start   TEXT NOT NULL,             -- 'YYYY-MM-DD', orders the history
    count          INTEGER NOT NULL,
    volume         INTEGER NOT NULL,          -- all feedback of the period
    negative_share REAL,
    safety         INTEGER NOT NULL DEFAULT 0,
    expected       REAL,                      -- count expected at the baseline rate
    growth         REAL,
    q_value        REAL,
    nps_impact     REAL,
    priority       TEXT NOT NULL,             -- P0 .. P3
    status         TEXT NOT NULL,             -- new | ongoing | worsening | improving | resolved
    owner_team     TEXT NOT NULL,
    owner_person   TEXT NOT NULL DEFAULT '',
    owner_contact  TEXT NOT NULL DEFAULT '',
    computed_at    TEXT NOT NULL,
    PRIMARY KEY (finding_id, period)
);
CREATE INDEX finding_periods_start ON finding_periods(period_start);

-- Which periods have been computed (so earlier weeks are back-filled only once).
CREATE TABLE report_periods (
    period         TEXT PRIMARY KEY,
    period_start   TEXT NOT NULL,
    volume         INTEGER NOT NULL,
    findings       INTEGER NOT NULL,
    with_emerging  INTEGER NOT NULL DEFAULT 0,
    computed_at    TEXT NOT NULL
);
