-- Models a store has learned from its own data (the sentiment model adapted to the
-- store's star ratings); the newest of a kind is the one in effect.
CREATE TABLE IF NOT EXISTS models (
    key         TEXT COLLATE "C" PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    data        BYTEA NOT NULL,
    evidence    TEXT COLLATE "C" NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS models_kind ON models(kind, created_at);
