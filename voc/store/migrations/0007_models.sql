-- Models a store has learned from its own data (the sentiment model adapted to the
-- store's star ratings), kept in the store so that every machine that analyses it uses
-- the same model and gets the same results. One row per learned model; the newest of a
-- kind is the one in effect. ``data`` is the model file (a data-only .npz archive; empty
-- when the candidate was refused), ``evidence`` a JSON object saying why it was kept or
-- refused (accuracies, counts, the base model's version).
CREATE TABLE IF NOT EXISTS models (
    key         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    data        BLOB NOT NULL,
    evidence    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS models_kind ON models(kind, created_at);
