-- The store contract (issue "Findings you can trust"): shared views, stored emerging
-- runs, human decisions on findings, and the evidence the closed loop keeps per week.

-- The kind of hazard a safety report is about (fire, smoke, swelling ...): safety
-- findings are per product and hazard.
ALTER TABLE analysis ADD COLUMN safety_kind TEXT;

-- Every record with its analysis (NULLs when not analysed): what reports, emerging
-- detection and the workbook's data sheet read.
CREATE VIEW record_analysis AS
SELECT r.id AS id, r.kind AS kind, r.channel AS channel, r.product AS product,
       r.created_at AS created_at, r.rating AS rating, r.nps_score AS nps_score, r.csat AS csat,
       r.text AS text, r.is_followup AS is_followup,
       a.record_id IS NOT NULL AS analysed, a.sentiment AS sentiment, a.score AS score,
       a.safety AS safety, a.safety_evidence AS safety_evidence, a.safety_kind AS safety_kind,
       a.tokens AS tokens,
       a.model_version AS model_version, a.lexicon_version AS lexicon_version
FROM records r LEFT JOIN analysis a ON a.record_id = r.id;

-- Negative topic mentions with the record's product and time: the counts findings are made of.
CREATE VIEW negative_mentions AS
SELECT rt.record_id AS record_id, rt.topic AS topic, rt.evidence AS evidence,
       r.product AS product, r.created_at AS created_at
FROM records r CROSS JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg';

-- Small counters: 'data_generation' goes up with every ingest that stores records and
-- every analysis run, so a stored emerging run knows whether it is still current.
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('data_generation', '0');

-- One stored clustering per period (`voc emerging`, or a report that had to cluster).
CREATE TABLE emerging_runs (
    period        TEXT PRIMARY KEY,
    since         TEXT NOT NULL,             -- 'YYYY-MM-DD', first day of the period
    until         TEXT NOT NULL,             -- 'YYYY-MM-DD', exclusive end
    buckets       TEXT NOT NULL,             -- JSON list of bucket labels, oldest first
    stamp         TEXT NOT NULL,             -- data generation + versions it was computed from
    stats         TEXT NOT NULL,             -- JSON
    computed_at   TEXT NOT NULL
);

-- Each cluster of a run as described for that period (label, terms, quotes, weekly counts ...).
CREATE TABLE emerging_issues (
    period        TEXT NOT NULL REFERENCES emerging_runs(period) ON DELETE CASCADE,
    cluster_id    TEXT NOT NULL,
    data          TEXT NOT NULL,             -- JSON
    PRIMARY KEY (period, cluster_id)
) WITHOUT ROWID;

-- The period's records of each cluster (quotes, overlaps with topic series).
CREATE TABLE emerging_members (
    period        TEXT NOT NULL REFERENCES emerging_runs(period) ON DELETE CASCADE,
    record_id     TEXT NOT NULL,
    cluster_id    TEXT NOT NULL,
    PRIMARY KEY (period, record_id)
) WITHOUT ROWID;

-- A cluster merged into another (one defect written several ways) keeps pointing at it.
ALTER TABLE emerging_clusters ADD COLUMN merged_into TEXT;

-- What people decided about a finding: close (with a note) and reopen. The latest
-- event of a finding is its state; `period` is the reported period it takes effect in.
CREATE TABLE finding_events (
    id            INTEGER PRIMARY KEY,
    finding_id    TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    action        TEXT NOT NULL,             -- close | reopen
    period        TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    at            TEXT NOT NULL,
    by            TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    count         INTEGER,                   -- the finding's count in that period when decided
    volume        INTEGER
);
CREATE INDEX finding_events_finding ON finding_events(finding_id, id);

-- The evidence behind each week's status: did the finding qualify, was its count back
-- at its baseline rate, and what it looked like (label and terms at the time).
ALTER TABLE finding_periods ADD COLUMN qualifies INTEGER NOT NULL DEFAULT 1;
ALTER TABLE finding_periods ADD COLUMN at_baseline INTEGER NOT NULL DEFAULT 0;
ALTER TABLE finding_periods ADD COLUMN p_value REAL;
ALTER TABLE findings ADD COLUMN terms TEXT;
ALTER TABLE findings ADD COLUMN routed_topic TEXT;
ALTER TABLE findings ADD COLUMN hazard TEXT;
