-- Analysis results, one row per record, with the versions that produced them.
CREATE TABLE analysis (
    record_id       TEXT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    sentiment       TEXT NOT NULL,           -- positive | neutral | negative
    score           REAL NOT NULL,           -- P(positive) in [0, 1]
    topics          TEXT NOT NULL,           -- JSON list of {id, polarity, evidence}
    safety          INTEGER NOT NULL DEFAULT 0,
    safety_evidence TEXT,
    products_mentioned TEXT,                 -- '|'-joined normalised model names found in the text
    tokens          TEXT,                    -- space-joined segmented tokens (for clustering)
    model_version   TEXT NOT NULL,
    lexicon_version TEXT NOT NULL,
    analyzed_at     TEXT NOT NULL
);
CREATE INDEX analysis_versions ON analysis(model_version, lexicon_version);

-- One row per (record, topic): what reports aggregate.
CREATE TABLE record_topics (
    record_id   TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    polarity    TEXT NOT NULL,               -- pos | neg | neu
    evidence    TEXT,
    PRIMARY KEY (record_id, topic)
);
CREATE INDEX record_topics_topic ON record_topics(topic, polarity);
