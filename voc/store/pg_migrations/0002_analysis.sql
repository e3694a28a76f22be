-- Analysis results, one row per record, with the versions that produced them.
CREATE TABLE analysis (
    record_id       TEXT COLLATE "C" PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    sentiment       TEXT COLLATE "C" NOT NULL,
    score           DOUBLE PRECISION NOT NULL,
    topics          TEXT COLLATE "C" NOT NULL,
    safety          BIGINT NOT NULL DEFAULT 0,
    safety_evidence TEXT COLLATE "C",
    products_mentioned TEXT COLLATE "C",
    tokens          TEXT COLLATE "C",
    model_version   TEXT COLLATE "C" NOT NULL,
    lexicon_version TEXT COLLATE "C" NOT NULL,
    analyzed_at     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX analysis_versions ON analysis(model_version, lexicon_version);

-- One row per (record, topic): what reports aggregate.
CREATE TABLE record_topics (
    record_id   TEXT COLLATE "C" NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    topic       TEXT COLLATE "C" NOT NULL,
    polarity    TEXT COLLATE "C" NOT NULL,
    evidence    TEXT COLLATE "C",
    PRIMARY KEY (record_id, topic)
);
CREATE INDEX record_topics_topic ON record_topics(topic, polarity);
