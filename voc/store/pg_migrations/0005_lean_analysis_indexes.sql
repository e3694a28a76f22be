-- Two indexes that no query uses are dropped (as in the SQLite store): reports reach
-- topics through records by date, and the stale check joins records to analysis.
-- (SQLite's WITHOUT ROWID rebuild of record_topics has no PostgreSQL counterpart.)
DROP INDEX IF EXISTS record_topics_topic;
DROP INDEX IF EXISTS analysis_versions;
