-- Core store: ingest batches, feedback records, ticket turns, rejected/filtered rows.
CREATE TABLE batches (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    source_file   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    read          INTEGER NOT NULL DEFAULT 0,
    stored        INTEGER NOT NULL DEFAULT 0,
    duplicates    INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    filtered      INTEGER NOT NULL DEFAULT 0,
    options       TEXT
);

CREATE TABLE records (
    id            TEXT PRIMARY KEY,          -- stable: derived from the dedup key
    kind          TEXT NOT NULL,             -- review | ticket
    channel       TEXT,
    product       TEXT,                      -- normalised model name
    product_raw   TEXT,
    created_at    TEXT,                      -- 'YYYY-MM-DD HH:MM:SS', China time, naive
    rating        INTEGER,                   -- 1..5
    nps_score     INTEGER,                   -- 0..10
    csat          REAL,
    text          TEXT NOT NULL,             -- customer's words, personal data masked
    external_id   TEXT,                      -- review/ticket id from the source (masked if long digits)
    order_ref     TEXT,                      -- pseudonymised order number
    parent_id     TEXT,                      -- follow-up review -> its review
    is_followup   INTEGER NOT NULL DEFAULT 0,
    extra         TEXT,                      -- JSON of unmapped columns (masked)
    source_file   TEXT NOT NULL,
    source_row    INTEGER NOT NULL,
    batch_id      INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX records_created ON records(created_at);

CREATE TABLE turns (
    record_id     TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    speaker       TEXT NOT NULL,             -- customer | agent | system
    text          TEXT NOT NULL,             -- masked
    created_at    TEXT,
    is_customer_words INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (record_id, seq)
);

CREATE TABLE dropped (
    id            INTEGER PRIMARY KEY,
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    status        TEXT NOT NULL,             -- rejected | filtered
    source_file   TEXT NOT NULL,
    source_row    INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    raw           TEXT                       -- the row, masked
);
CREATE INDEX dropped_batch ON dropped(batch_id);
