"""The team store: a PostgreSQL database, schema versioned by numbered migrations.

The same store as :mod:`voc.store.sqlite` (same tables, views and results), on a server
several machines use at once: a cron job ingesting, engineers reporting and closing
findings, several ``voc analyze`` processes splitting the work. Migrations are the
``voc/store/pg_migrations/NNNN_name.sql`` scripts, numbered as the SQLite ones (version
N is the same logical schema on both backends); the version is kept in ``voc_schema``.

Concurrency: every write is one transaction. Ingest batches, stored emerging runs and
stored reports take a transaction-scoped advisory lock each (writers of one kind go one
at a time, as on SQLite, with no deadlock and exact ingest accounting); analysis writes
run in parallel and claim their records with row locks (:meth:`PostgresStore.claim_pending`);
the data generation is bumped with one atomic ``UPDATE ... RETURNING``.

psycopg 3 is imported only when a server store is opened (``pip install 'voc[postgres]'``).
Credentials come from the URL, ``PGPASSWORD``/``~/.pgpass`` or libpq's environment; messages
show the URL without its password (:func:`voc.store.common.redact_url`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from voc.errors import StoreError
from voc.store.base import IngestBatch, StarClasses, Store
from voc.store.common import (
    FINDING_ROW_SQL,
    LATEST_PERIOD_SQL,
    NOT_EMERGING_SQL,
    classes_sql,
    finding_row,
    migrations,
    now,
    per_hazard,
    redact_url,
    url_secrets,
)
from voc.store.rows import (
    ANALYSIS_FIELDS,
    RECORD_FIELDS,
    TOPIC_FIELDS,
    TURN_FIELDS,
    ClusterRecord,
    Coverage,
    DayClassRow,
    DayMentionRow,
    DaySafetyRow,
    DayVolumeRow,
    DroppedRow,
    FindingEvent,
    FindingRecord,
    FindingRow,
    PeriodClassRow,
    PeriodMentionRow,
    QuoteRow,
    RecordRow,
    SeriesStatusRecord,
    StoredCluster,
    StoredRun,
    WindowRow,
)

MIGRATIONS = "voc.store.pg_migrations"
#: Seconds to wait for the server when the URL does not say (libpq waits forever).
CONNECT_TIMEOUT = 10
#: Rows fetched at a time from the long reads (records of a range, complaints of a window).
PAGE = 5000

# Transaction-scoped advisory locks, one per kind of writer (second key; the first is
# the hash of the schema, so two voc stores in one database do not block each other).
LOCK_MIGRATE, LOCK_INGEST, LOCK_EMERGING, LOCK_REPORT = 1, 2, 3, 4

# Column types of the bulk inserts (unnest of one array per column).
_RECORD_TYPES = ("text", "text", "text", "text", "text", "text", "int8", "int8", "float8", "text", "text",
                 "text", "text", "int8", "text", "text", "int8", "int8")
_TURN_TYPES = ("text", "int8", "text", "text", "text", "int8")
_DROPPED_TYPES = ("int8", "text", "text", "int8", "text", "text")
_ANALYSIS_TYPES = ("text", "text", "float8", "text", "int8", "text", "text", "text", "text", "text", "text",
                   "text")
_TOPIC_TYPES = ("text", "text", "text", "text")
#: Each hazard of a safety report ``a`` as a row ``h`` (``h.hazard``): its ``safety_kind`` is
#: the hazards joined by ``|`` (:func:`voc.store.rows.join_hazards`; no hazard: ``safety``).
_HAZARDS = ("CROSS JOIN LATERAL unnest(string_to_array(COALESCE(NULLIF(a.safety_kind, ''), 'safety'), '|')) "
            "AS h(hazard)")


def _driver():
    """psycopg, imported on first use, or one clear line saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise StoreError("a PostgreSQL store needs the psycopg driver: pip install 'voc[postgres]'") from None
    return psycopg


def latest_version() -> int:
    return len(migrations(MIGRATIONS))


def _text(v: Any) -> Any:
    """A value for a text column: a number becomes its text (as SQLite's column affinity
    makes it), and a NUL character, which PostgreSQL cannot store, is left out."""
    if v is None:
        return None
    if not isinstance(v, str):
        v = str(v)
    return v.replace("\x00", "") if "\x00" in v else v


def _column(values: Sequence[Any], kind: str) -> list:
    """One column of a bulk insert as the array type wants it (``True`` is 1)."""
    if kind == "int8":
        return [None if v is None else int(v) for v in values]
    if kind == "float8":
        return [None if v is None else float(v) for v in values]
    return [v if type(v) is str and "\x00" not in v else _text(v) for v in values]


def _copyable(row: tuple) -> tuple:
    """A row for COPY, without the NUL characters PostgreSQL cannot store."""
    if any(type(v) is str and "\x00" in v for v in row):
        return tuple(_text(v) if isinstance(v, str) else v for v in row)
    return row


def _unnest(columns: Sequence[str], types: Sequence[str]) -> str:
    return (f"({', '.join(columns)}) SELECT * FROM unnest("
            + ", ".join(f"%b::{t}[]" for t in types) + ")")


def _arrays(rows: Sequence[tuple], types: Sequence[str]) -> list[list]:
    width = len(types)
    if any(len(r) != width for r in rows):
        raise ValueError(f"rows of {width} values expected")
    return [_column(col, t) for col, t in zip(zip(*rows), types)]


def _identifier(name: str) -> str:
    """A table or column name of the schema, checked before it goes into SQL."""
    if not name.replace("_", "").isalnum() or not name.isascii():
        raise ValueError(f"not a table or column name: {name!r}")
    return name


def _nulls_first(n: int) -> str:
    """``ORDER BY 1, 2, ...`` in SQLite's order (NULLs first): the order its GROUP BY gives."""
    return ", ".join(f"{i} NULLS FIRST" for i in range(1, n + 1))


class _PgBatch(IngestBatch):
    def __init__(self, store: PostgresStore, batch_id: int):
        self.store = store
        self.conn = store.conn
        self.id = batch_id

    def existing(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self.conn.execute("SELECT id FROM records WHERE id = ANY(%b::text[])", (list(ids),))
        return {r[0] for r in rows}

    def _insert_records(self, records: Sequence[tuple], conflict: str) -> int:
        if not records:
            return 0
        sql = "INSERT INTO records " + _unnest(RECORD_FIELDS, _RECORD_TYPES) + conflict
        with self.store._data_errors():
            cur = self.conn.execute(sql, _arrays(records, _RECORD_TYPES))
        return max(cur.rowcount, 0)

    def insert_new(self, records: Sequence[tuple]) -> int:
        # another ingest may store the same records meanwhile: the key decides, and what
        # this statement inserted is what it counts
        return self._insert_records(records, " ON CONFLICT (id) DO NOTHING")

    def insert(self, records: Sequence[tuple]) -> None:
        self._insert_records(records, "")

    def insert_turns(self, turns: Sequence[tuple]) -> None:
        if turns:
            with self.store._data_errors():
                self.conn.execute("INSERT INTO turns " + _unnest(TURN_FIELDS, _TURN_TYPES),
                                  _arrays(turns, _TURN_TYPES))

    def insert_dropped(self, rows: Sequence[tuple]) -> None:
        if rows:
            cols = ("batch_id", "status", "source_file", "source_row", "reason", "raw")
            with self.store._data_errors():
                self.conn.execute("INSERT INTO dropped " + _unnest(cols, _DROPPED_TYPES),
                                  _arrays([(self.id, *row) for row in rows], _DROPPED_TYPES))

    def link_followups(self, links: Iterable[tuple[str, str]]) -> None:
        links = list(links)
        if links:
            with self.conn.cursor() as cur:
                cur.executemany(
                    "UPDATE records SET parent_id = (SELECT p.id FROM records p WHERE p.external_id = %s "
                    "AND p.kind = 'review' AND p.id <> %s AND p.is_followup = 0 ORDER BY p.seq LIMIT 1) WHERE id = %s",
                    [(parent_ext, rid, rid) for rid, parent_ext in links],
                )

    def date_undated(self, when: str) -> int:
        cur = self.conn.execute("UPDATE records SET created_at = %s WHERE batch_id = %s AND created_at IS NULL",
                                (when, self.id))
        return max(cur.rowcount, 0)

    def finish(self, read: int, stored: int, duplicates: int, rejected: int, filtered: int) -> None:
        self.conn.execute(
            "UPDATE batches SET finished_at=%s, read=%s, stored=%s, duplicates=%s, rejected=%s, filtered=%s "
            "WHERE id=%s", (now(), read, stored, duplicates, rejected, filtered, self.id))
        if stored:
            self.conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'data_generation'")


class PostgresStore(Store):
    """A connection to a PostgreSQL store, migrated to the latest schema on open.

    ``url``: ``postgresql://user@host:port/dbname`` (libpq's URL; a password in it, in
    ``PGPASSWORD`` or in ``~/.pgpass``). ``must_exist``: refuse a database that holds no
    voc store yet (the commands that read what ``voc ingest`` stored).
    """

    def __init__(self, url: str, *, must_exist: bool = False):
        self.url = url
        self.location = redact_url(url)
        self._secrets = url_secrets(url)
        psycopg = _driver()
        self._psycopg = psycopg
        kwargs: dict[str, Any] = {"autocommit": True}
        try:
            params = psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.Error as e:
            raise StoreError(f"{self.location} is not a PostgreSQL URL ({self._scrub(e)})") from None
        if "connect_timeout" not in params:
            kwargs["connect_timeout"] = CONNECT_TIMEOUT
        if "application_name" not in params:
            kwargs["application_name"] = "voc"
        try:
            self.conn = psycopg.connect(url, **kwargs)
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to the store {self.location}: {self._scrub(e)}") from None
        self._adapt(self.conn)
        try:  # reports sort and group hundreds of thousands of rows; compiling them (JIT) costs more than it saves
            self.conn.execute("SET work_mem = '64MB'")
            self.conn.execute("SET jit = off")
        except psycopg.Error as e:
            self.conn.close()
            raise StoreError(f"cannot use the store {self.location}: {self._scrub(e)}") from None
        self._claimed_up_to: dict[tuple[str, str], str] = {}  # versions -> the last record id claimed
        self._cursors = 0  # server-side cursors opened (their names)
        try:
            self._open(must_exist)
        except BaseException:
            self.conn.close()
            raise

    # -- connection set-up ------------------------------------------------------------------
    def _scrub(self, error: BaseException | str) -> str:
        """An error message in one line, without the URL's secrets."""
        text = " ".join(str(error).split()) or type(error).__name__
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _adapt(self, conn) -> None:
        """Python booleans (and numpy's) are stored as 0/1, as in the SQLite store."""
        import numpy as np
        from psycopg.adapt import Dumper

        int8 = self._psycopg.postgres.types["int8"].oid

        class BoolAsInt(Dumper):
            oid = int8

            def dump(self, obj):
                return b"1" if obj else b"0"

        conn.adapters.register_dumper(bool, BoolAsInt)
        conn.adapters.register_dumper(np.bool_, BoolAsInt)

    @contextmanager
    def _data_errors(self) -> Iterator[None]:
        """Values PostgreSQL cannot store (a number out of its column's range) as a one-line error."""
        try:
            yield
        except self._psycopg.DataError as e:
            raise StoreError(f"{self.location} cannot store this data: {self._scrub(e)}") from None

    def _lock(self, kind: int) -> None:
        """Wait for, then hold until the transaction ends, the lock of one kind of writer."""
        self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()), %s)", (kind,))

    def _open(self, must_exist: bool) -> None:
        schema = self.conn.execute("SELECT current_schema()").fetchone()[0]
        if schema is None:
            raise StoreError(f"{self.location}: no schema of the search_path exists to hold the store "
                             "(create it, or pass another --db)")
        tables = {r[0] for r in self.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        if "voc_schema" not in tables:
            if must_exist:
                raise StoreError(f"no store at {self.location}: run `voc ingest` first (or pass --db)")
            if tables:
                raise StoreError(f"{self.location} is a PostgreSQL database of another program, not a voc store "
                                 "(pass another --db)")
        self.migrate()

    # -- schema and life cycle ------------------------------------------------------------
    @property
    def version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM voc_schema").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> None:
        """Apply the migrations this store lacks, each in its own transaction, one process
        at a time (two machines opening a new store at once migrate it once)."""
        scripts = migrations(MIGRATIONS)
        psycopg = self._psycopg
        while True:
            try:
                with self.conn.transaction():
                    self._lock(LOCK_MIGRATE)
                    self.conn.execute("CREATE TABLE IF NOT EXISTS voc_schema (version INTEGER NOT NULL)")
                    current = self.version
                    if current > len(scripts):
                        raise StoreError(f"{self.location} has schema version {current}, newer than this voc "
                                         f"({len(scripts)}): upgrade voc")
                    if current == len(scripts):
                        return
                    version, name, sql = scripts[current]
                    try:
                        self.conn.execute(sql)  # type: ignore[arg-type]  (no parameters: several statements)
                    except psycopg.Error as e:
                        raise StoreError(f"migration {name} failed on {self.location}: {self._scrub(e)}") from None
                    self.conn.execute("DELETE FROM voc_schema")
                    self.conn.execute("INSERT INTO voc_schema (version) VALUES (%s)", (version,))
            except psycopg.Error as e:
                raise StoreError(f"cannot migrate the store {self.location}: {self._scrub(e)}") from None

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One all-or-nothing unit of work (BaseException included: Ctrl-C rolls back)."""
        with self.conn.transaction():
            yield self.conn

    def close(self) -> None:
        self.conn.close()

    def target(self) -> str:
        return self.url

    def count(self, table: str, where: str = "", params: tuple = ()) -> int:
        """Rows of a table (tests and diagnostics; ``where`` uses ``%s`` placeholders)."""
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return self.conn.execute(sql, params).fetchone()[0]

    # -- whole tables (voc.store.copy) -------------------------------------------------------
    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read-only repeatable-read transaction: one state of the store throughout."""
        with self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    def table_count(self, table: str) -> int:
        return self.count(_identifier(table))

    def table_rows(self, table: str, columns: Sequence[str], key: Sequence[str]) -> Iterator[tuple]:
        """Streamed through a server-side cursor (inside :meth:`snapshot`, or a transaction
        of its own)."""
        order = "seq" if table == "records" else ", ".join(map(_identifier, key))
        sql = f"SELECT {', '.join(map(_identifier, columns))} FROM {_identifier(table)} ORDER BY {order}"
        with self.transaction(), self.conn.cursor(name=f"voc_rows_{table}") as cur:
            cur.itersize = 5000
            cur.execute(sql)  # type: ignore[arg-type]
            yield from cur

    def replace_tables(self, tables: Sequence[tuple[str, Sequence[str], Iterable[tuple]]],
                       expect: dict[str, int]) -> None:
        with self.transaction() as conn:
            for kind in (LOCK_INGEST, LOCK_EMERGING, LOCK_REPORT):  # no writer meanwhile
                self._lock(kind)
            conn.execute("TRUNCATE " + ", ".join(_identifier(t) for t, _, _ in tables))
            for table, columns, rows in tables:
                with self._data_errors(), conn.cursor() as cur, cur.copy(
                        f"COPY {_identifier(table)} ({', '.join(map(_identifier, columns))}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(_copyable(row))
            for table in ("batches", "dropped", "finding_events"):  # ids copied as they were: go on after them
                if any(t == table for t, _, _ in tables):
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
            for table, _, _ in tables:
                n = self.count(table)
                if n != expect[table]:
                    raise StoreError(f"copying into {self.location}: table {table} holds {n} rows, "
                                     f"expected {expect[table]}; nothing was copied")
            conn.execute("ANALYZE " + ", ".join(_identifier(t) for t, _, _ in tables))  # plans for the new rows

    # -- ingest ----------------------------------------------------------------------------
    @contextmanager
    def ingest_batch(self, source_file: str, kind: str, options: dict) -> Iterator[IngestBatch]:
        with self.conn.transaction():
            self._lock(LOCK_INGEST)  # one ingest at a time: exact duplicate accounting, no deadlock
            row = self.conn.execute(  # microseconds: decisions are compared with it (safety_arrivals)
                "INSERT INTO batches (started_at, source_file, kind, options) VALUES (%s, %s, %s, %s) RETURNING id",
                (datetime.now().isoformat(timespec="microseconds"), source_file, kind,
                 json.dumps(options, ensure_ascii=False)),
            ).fetchone()
            yield _PgBatch(self, int(row[0]))

    def dropped_rows(self, batch_ids: Sequence[int]) -> Iterator[DroppedRow]:
        ids = [int(i) for i in batch_ids]
        for i in range(0, len(ids), 500):
            rows = self.conn.execute(
                "SELECT source_file, source_row, status, reason, raw FROM dropped WHERE batch_id = ANY(%b::int8[]) "
                "ORDER BY batch_id, source_row", (ids[i : i + 500],)).fetchall()
            for row in rows:
                yield DroppedRow(*row)

    # -- analysis ----------------------------------------------------------------------------
    def count_records(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]

    _PENDING = ("FROM records r LEFT JOIN analysis a ON a.record_id = r.id "
                "WHERE (a.record_id IS NULL OR a.model_version <> %s OR a.lexicon_version <> %s)")

    def pending_analysis(self, model_version: str, lexicon_version: str, *, reanalyze: bool = False) -> list[int]:
        if reanalyze:
            return [r[0] for r in self.conn.execute("SELECT seq FROM records ORDER BY id")]
        return [r[0] for r in self.conn.execute(f"SELECT r.seq {self._PENDING} ORDER BY r.id",
                                                (model_version, lexicon_version))]

    def rated_reviews(self, limit: int) -> list[tuple[str, str, float]]:
        return self.conn.execute(
            "SELECT id, text, rating FROM records WHERE kind = 'review' AND rating IS NOT NULL AND is_followup = 0 "
            "AND text IS NOT NULL ORDER BY id LIMIT %s", (limit,)).fetchall()

    def save_model(self, key: str, kind: str, data: bytes, evidence: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO models (key, kind, data, evidence, created_at) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, data = excluded.data, "
                "evidence = excluded.evidence, created_at = excluded.created_at",
                (key, kind, bytes(data), evidence, datetime.now().isoformat(timespec="microseconds")))

    def latest_model(self, kind: str) -> tuple[str, bytes, str] | None:
        row = self.conn.execute("SELECT key, data, evidence FROM models WHERE kind = %s "
                                "ORDER BY created_at DESC, key LIMIT 1", (kind,)).fetchone()
        return (row[0], bytes(row[1]), row[2]) if row else None

    def texts(self, keys: Sequence[int]) -> list[tuple[str, str, str]]:
        return self.conn.execute("SELECT id, text, kind FROM records WHERE seq = ANY(%b::int8[]) ORDER BY id",
                                 ([int(k) for k in keys],)).fetchall()

    def write_analysis(self, rows: Sequence[tuple], topic_rows: Sequence[tuple]) -> None:
        """Results replace earlier ones of the same records. The analysis rows are written
        first, in record id order: a concurrent writer of the same records waits on them
        (and never deadlocks), so the earlier topics deleted next are all of them (only
        those of the records that had a result: a first analysis deletes nothing)."""
        if not rows:
            return
        last = {row[0]: row for row in rows}  # a record twice: the later result, as INSERT OR REPLACE keeps
        ordered = [last[k] for k in sorted(last)]
        update = ", ".join(f"{c} = excluded.{c}" for c in ANALYSIS_FIELDS[1:])
        with self.transaction() as conn:
            # which rows replaced an earlier result (xmax is set on a row the upsert updated)
            replaced = [r[0] for r in conn.execute(
                "INSERT INTO analysis " + _unnest(ANALYSIS_FIELDS, _ANALYSIS_TYPES)
                + f" ON CONFLICT (record_id) DO UPDATE SET {update} RETURNING record_id, xmax::text <> '0'",
                _arrays(ordered, _ANALYSIS_TYPES)) if r[1]]
            if replaced:
                conn.execute("DELETE FROM record_topics WHERE record_id = ANY(%b::text[])", (replaced,))
            if topic_rows:
                conn.execute("INSERT INTO record_topics " + _unnest(TOPIC_FIELDS, _TOPIC_TYPES),
                             _arrays(topic_rows, _TOPIC_TYPES))

    @contextmanager
    def analysis_writer(self) -> Iterator[PostgresStore]:
        yield self

    def bump_generation(self) -> int:
        row = self.conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'data_generation' "
                                "RETURNING value").fetchone()
        return int(row[0]) if row else 0

    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'data_generation'").fetchone()
        return int(row[0]) if row else 0

    # -- scale-out analysis: claiming chunks --------------------------------------------------
    claims_analysis = True

    @contextmanager
    def claim_pending(self, model_version: str, lexicon_version: str,
                      limit: int) -> Iterator[list[tuple[str, str, str]] | None]:
        """Claim records to analyse with row locks (see :meth:`Store.claim_pending`).

        Records another process holds are skipped (``FOR NO KEY UPDATE ... SKIP LOCKED``),
        so processes on several machines split the work with no coordinator. When every
        pending record is held by others, the claim waits for the first of them: if its
        holder finishes, they are done (``[]``); if it died, the server released its locks
        and this process takes them. Nothing is analysed twice: the claimed records are
        read again after the lock with a new snapshot, and those another process finished
        meanwhile are left out.

        The search walks the records in id order a window of ``limit`` records at a time
        (an index range, whatever the planner's estimates), starting after this process's
        previous claim (the records before it are done or held), then from the start.
        """
        # each record looks its analysis up by key (a LATERAL subquery with LIMIT is never
        # turned into a join that would read the whole analysis table for every claim)
        pending = ("FROM records r LEFT JOIN LATERAL (SELECT x.model_version, x.lexicon_version FROM analysis x "
                   "WHERE x.record_id = r.id LIMIT 1) a ON true WHERE (a.model_version IS NULL "
                   "OR a.model_version <> %s OR a.lexicon_version <> %s)")
        versions = (model_version, lexicon_version)
        if versions not in self._claimed_up_to:  # a process's first claim: the planner's picture of
            self._refresh_statistics("records", "analysis")  # what was just ingested (autovacuum lags)
        after = self._claimed_up_to.get(versions, "")
        with self.conn.transaction():
            rows: list[tuple[str, str, str]] = []
            for start in ([after, ""] if after else [""]):
                while len(rows) < max(1, limit // 2):
                    end = self.conn.execute("SELECT max(id) FROM (SELECT id FROM records WHERE id > %s ORDER BY id "
                                            "LIMIT %s) w", (start, limit)).fetchone()[0]
                    if end is None:  # the end of the table
                        break
                    rows += self.conn.execute(
                        f"SELECT r.id, r.text, r.kind {pending} AND r.id > %s AND r.id <= %s ORDER BY r.id "
                        "FOR NO KEY UPDATE OF r SKIP LOCKED", (*versions, start, end)).fetchall()
                    start = end
                self._claimed_up_to[versions] = start
                if rows:
                    break
            if not rows:  # all held by others, or none left: wait for the first held one
                rows = self.conn.execute(f"SELECT r.id, r.text, r.kind {pending} ORDER BY r.id LIMIT 1 "
                                         "FOR NO KEY UPDATE OF r", versions).fetchall()
                if not rows:
                    self._refresh_statistics("analysis", "record_topics")  # for the reports that follow
                    yield None
                    return
            # with a new snapshot: which of them another process finished meanwhile
            done = {r[0] for r in self.conn.execute(
                "SELECT record_id FROM analysis WHERE record_id = ANY(%b::text[]) AND model_version = %s "
                "AND lexicon_version = %s", ([r[0] for r in rows], *versions))}
            yield [r for r in rows if r[0] not in done] if done else rows

    def _refresh_statistics(self, *tables: str) -> None:
        """ANALYZE tables that just changed a lot (a table this user does not own is skipped
        with a notice: autovacuum sees to it)."""
        self.conn.execute("ANALYZE " + ", ".join(map(_identifier, tables)))

    # -- periods -------------------------------------------------------------------------------
    def latest_record_time(self) -> str | None:
        return self.conn.execute("SELECT MAX(created_at) FROM records").fetchone()[0]

    def coverage(self, start: str, end: str) -> Coverage:
        records = self.conn.execute(
            "SELECT COUNT(*) FROM records WHERE created_at >= %s AND created_at < %s", (start, end)).fetchone()[0]
        analysed = self.conn.execute(
            "SELECT COUNT(*) FROM records r JOIN analysis a ON a.record_id = r.id "
            "WHERE r.created_at >= %s AND r.created_at < %s", (start, end)).fetchone()[0] if records else 0
        before = self.conn.execute("SELECT MAX(created_at) FROM records WHERE created_at < %s",
                                   (start,)).fetchone()[0]
        after = self.conn.execute("SELECT MIN(created_at) FROM records WHERE created_at >= %s", (end,)).fetchone()[0]
        return Coverage(records, analysed, before, after)

    def has_records(self, start: str, end: str) -> bool:
        return self.conn.execute("SELECT 1 FROM records WHERE created_at >= %s AND created_at < %s LIMIT 1",
                                 (start, end)).fetchone() is not None

    # -- grouped scans for reports (aggregated in the server) ------------------------------------
    def day_classes(self, lo: str, hi: str, stars: StarClasses) -> Iterator[DayClassRow]:
        sql = (f"SELECT substr(created_at, 1, 10), analysed, {classes_sql(stars)}, "
               "CASE WHEN safety = 1 THEN COALESCE(product, '') END, COUNT(*), "
               "CASE WHEN safety = 1 THEN COALESCE(safety_kind, 'safety') END FROM record_analysis "
               f"WHERE created_at >= %s AND created_at < %s GROUP BY 1, 2, 3, 4, 5, 6, 8 ORDER BY {_nulls_first(6)}")
        for row in self.conn.execute(sql, (lo, hi)).fetchall():
            yield DayClassRow(*row)

    def day_volumes(self, lo: str, hi: str) -> Iterator[DayVolumeRow]:
        sql = ("SELECT substr(r.created_at, 1, 10), COALESCE(r.product, ''), COUNT(*) FROM records r "
               "JOIN analysis a ON a.record_id = r.id WHERE r.created_at >= %s AND r.created_at < %s "
               "GROUP BY 1, 2 ORDER BY 1, 2")
        for row in self.conn.execute(sql, (lo, hi)).fetchall():
            yield DayVolumeRow(*row)

    def day_safety(self, lo: str, hi: str) -> Iterator[DaySafetyRow]:
        sql = ("SELECT substr(created_at, 1, 10), COALESCE(product, ''), safety_kind, COUNT(*) "
               "FROM record_analysis WHERE safety = 1 AND created_at >= %s AND created_at < %s "
               "GROUP BY 1, 2, 3")
        for (day, product, hazard), n in sorted(per_hazard(self.conn.execute(sql, (lo, hi)).fetchall()).items()):
            yield DaySafetyRow(day, product, hazard, n)

    def safety_arrivals(self, since: str) -> dict[tuple[str, str], int]:
        sql = ("SELECT COALESCE(r.product, ''), a.safety_kind, COUNT(*) FROM batches b "
               "JOIN records r ON r.batch_id = b.id JOIN analysis a ON a.record_id = r.id AND a.safety = 1 "
               "WHERE b.started_at > %s GROUP BY 1, 2")
        rows = self.conn.execute(sql, (since,)).fetchall()
        return {(hazard, product): n for (product, hazard), n in sorted(per_hazard(rows).items())}

    def day_mentions(self, lo: str, hi: str) -> Iterator[DayMentionRow]:
        sql = ("SELECT substr(created_at, 1, 10), topic, COALESCE(product, ''), COUNT(*) FROM negative_mentions "
               "WHERE created_at >= %s AND created_at < %s GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
        for row in self.conn.execute(sql, (lo, hi)).fetchall():
            yield DayMentionRow(*row)

    def period_classes(self, start: str, end: str, stars: StarClasses) -> Iterator[PeriodClassRow]:
        sql = (f"SELECT COALESCE(product, ''), COALESCE(channel, ''), kind, {classes_sql(stars)}, sentiment, "
               "COALESCE(safety, 0), analysed, COUNT(*) FROM record_analysis "
               "WHERE created_at >= %s AND created_at < %s GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 "
               f"ORDER BY {_nulls_first(9)}")
        for row in self.conn.execute(sql, (start, end)).fetchall():
            yield PeriodClassRow(*row)

    def period_mentions(self, start: str, end: str, stars: StarClasses) -> Iterator[PeriodMentionRow]:
        sql = (f"SELECT rt.topic, COALESCE(r.product, ''), rt.polarity, {classes_sql(stars, 'r.', 'a.')}, "
               "CASE WHEN a.safety = 1 THEN COALESCE(a.safety_kind, 'safety') END, COUNT(*) "
               "FROM records r JOIN record_topics rt ON rt.record_id = r.id "
               "LEFT JOIN analysis a ON a.record_id = r.id "
               "WHERE r.created_at >= %s AND r.created_at < %s GROUP BY 1, 2, 3, 4, 5, 6, 7 "
               f"ORDER BY {_nulls_first(7)}")
        for row in self.conn.execute(sql, (start, end)).fetchall():
            yield PeriodMentionRow(*row)

    def quotes(self, start: str, end: str, group: str, per_group: int) -> Iterator[QuoteRow]:
        order = "(length(r.text) BETWEEN 8 AND 240) DESC, a.score, r.id"  # readable first, most negative
        cols = ("r.id AS id, r.created_at AS created_at, COALESCE(r.product, '') AS product, "
                "COALESCE(r.channel, '') AS channel, r.rating AS rating, r.text AS text, "
                "COALESCE(r.external_id, '') AS source_id")
        where = "r.created_at >= %s AND r.created_at < %s"
        if group == "safety":
            hazard = "'safety:' || h.hazard"
            inner = (f"SELECT {hazard} AS grp, COALESCE(r.product, '') AS gkey, {cols}, "
                     f"ROW_NUMBER() OVER (PARTITION BY COALESCE(r.product, ''), {hazard} ORDER BY {order}) AS rn "
                     f"FROM records r JOIN analysis a ON a.record_id = r.id AND a.safety = 1 {_HAZARDS} WHERE {where}")
            outer = "gkey, grp, rn"
        elif group in ("topic", "topic_all"):
            key = "COALESCE(r.product, '')" if group == "topic" else "'*'"
            part = "rt.topic, COALESCE(r.product, '')" if group == "topic" else "rt.topic"
            inner = (f"SELECT rt.topic AS grp, {key}::text AS gkey, {cols}, "
                     f"ROW_NUMBER() OVER (PARTITION BY {part} ORDER BY {order}) AS rn "
                     "FROM records r JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg' "
                     f"JOIN analysis a ON a.record_id = r.id WHERE {where}")
            outer = "grp, gkey, rn"
        else:
            raise ValueError(f"unknown quote group '{group}'")
        sql = (f"SELECT grp, gkey, rn, id, created_at, product, channel, rating, text, source_id FROM ({inner}) q "
               f"WHERE rn <= %s ORDER BY {outer}")
        for row in self.conn.execute(sql, (start, end, per_group)).fetchall():
            yield QuoteRow(*row)

    def evidence_terms(self, start: str, end: str, group: str, per_group: int) -> Iterator[tuple[str, str, str, int]]:
        where = "r.created_at >= %s AND r.created_at < %s"
        if group == "topic":
            grp, key, part, join = "rt.topic", "COALESCE(r.product, '')", "rt.topic, COALESCE(r.product, '')", ""
        elif group == "topic_all":
            grp, key, part, join = "rt.topic", "'*'::text", "rt.topic", ""
        elif group == "safety":
            grp, key = "'safety:' || h.hazard", "COALESCE(r.product, '')"
            part = f"{grp}, {key}"
            join = f"JOIN analysis a ON a.record_id = r.id AND a.safety = 1 {_HAZARDS} "
        else:
            raise ValueError(f"unknown evidence group '{group}'")
        sql = (f"SELECT grp, gkey, evidence, n FROM (SELECT {grp} AS grp, {key} AS gkey, rt.evidence AS evidence, "
               f"COUNT(*) AS n, ROW_NUMBER() OVER (PARTITION BY {part} ORDER BY COUNT(*) DESC, rt.evidence) AS rn "
               "FROM records r JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg' "
               f"{join}WHERE {where} AND rt.evidence IS NOT NULL AND rt.evidence <> '' GROUP BY 1, 2, 3) q "
               "WHERE rn <= %s ORDER BY grp, gkey, rn")
        for row in self.conn.execute(sql, (start, end, per_group)).fetchall():
            yield tuple(row)  # type: ignore[misc]

    def mention_records(self, start: str, end: str, topic: str, product: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT r.id FROM records r JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg' "
            "AND rt.topic = %s WHERE r.created_at >= %s AND r.created_at < %s AND COALESCE(r.product, '') = %s "
            "ORDER BY r.id", (topic, start, end, product))]

    def _stream(self, sql: str, params: tuple) -> Iterator[tuple]:
        """Rows of one query, a page at a time, through a cursor that holds its result on
        the server (``WITH HOLD``: the query runs once, in one plan; the connection stays
        free between pages for the caller's other queries)."""
        self._cursors += 1
        with self.conn.cursor(name=f"voc_stream_{self._cursors}", withhold=True) as cur:
            cur.execute(sql, params)  # type: ignore[arg-type]
            while rows := cur.fetchmany(PAGE):
                yield from rows

    def records(self, start: str, end: str, limit: int | None = None) -> Iterator[RecordRow]:
        sql = ("SELECT v.id, v.created_at, v.kind, v.channel, v.product, v.rating, v.nps_score, v.sentiment, "
               "ROUND(v.score::numeric, 3)::float8, (SELECT string_agg(rt.topic || ':' || rt.polarity, '|' "
               "ORDER BY rt.topic) FROM record_topics rt WHERE rt.record_id = v.id), v.safety, v.text "
               "FROM record_analysis v WHERE v.created_at >= %s AND v.created_at < %s ORDER BY v.created_at, v.id")
        params: tuple = (start, end)
        if limit is not None:
            sql += " LIMIT %s"
            params += (int(limit),)
        for row in self._stream(sql, params):
            yield RecordRow(*row)

    def record_texts(self, ids: Sequence[str]) -> dict[str, tuple[str | None, str, str, str]]:
        out: dict[str, tuple[str | None, str, str, str]] = {}
        ids = list(ids)
        for i in range(0, len(ids), 5000):
            q = ("SELECT id, created_at, COALESCE(product, ''), COALESCE(channel, ''), text FROM records "
                 "WHERE id = ANY(%b::text[])")
            for rid, ts, product, channel, text in self.conn.execute(q, (ids[i : i + 5000],)).fetchall():
                out[rid] = (ts, product, channel, text)
        return out

    # -- emerging issues ---------------------------------------------------------------------------
    def complaint_records(self, lo: str, hi: str) -> Iterator[WindowRow]:
        sql = ("SELECT r.id, COALESCE(r.product, ''), substr(r.created_at, 1, 10), (a.sentiment = 'negative')::int, "
               "a.safety, (SELECT string_agg(t.topic || chr(31) || t.polarity, chr(30) ORDER BY t.topic) "
               "FROM record_topics t WHERE t.record_id = r.id AND t.polarity <> 'pos'), r.text, COALESCE(a.tokens, '') "
               "FROM records r JOIN analysis a ON a.record_id = r.id "
               "WHERE r.created_at >= %s AND r.created_at < %s AND a.tokens IS NOT NULL ORDER BY r.created_at, r.id")
        for row in self._stream(sql, (lo, hi)):
            yield WindowRow(*row)

    def stored_clusters(self) -> list[StoredCluster]:
        rows = self.conn.execute(
            "SELECT id, label, signature, first_period, last_period, merged_into FROM emerging_clusters ORDER BY id"
        ).fetchall()
        return [StoredCluster(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]

    def save_emerging_run(self, period: str, since: str, until: str, buckets: Sequence[str], stamp: str,
                          stats: dict, clusters: Sequence[ClusterRecord], issues: dict[str, dict],
                          members: dict[str, str]) -> None:
        stamp_now = now()
        with self.transaction() as conn, conn.cursor() as cur:
            self._lock(LOCK_EMERGING)
            for c in clusters:
                cur.execute(
                    """INSERT INTO emerging_clusters (id, label, terms, signature, first_period, last_period,
                                                      created_at, updated_at, merged_into)
                       VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL)
                       ON CONFLICT (id) DO UPDATE SET label = excluded.label, terms = excluded.terms,
                         signature = excluded.signature,
                         first_period = LEAST(emerging_clusters.first_period, excluded.first_period),
                         last_period = GREATEST(emerging_clusters.last_period, excluded.last_period),
                         updated_at = excluded.updated_at, merged_into = NULL""",
                    (c.id, c.label, json.dumps(list(c.terms), ensure_ascii=False),
                     json.dumps(dict(c.signature), ensure_ascii=False), period, period, stamp_now, stamp_now),
                )
                if c.weekly:
                    cur.executemany(
                        """INSERT INTO emerging_cluster_weeks (cluster_id, week, count) VALUES (%s, %s, %s)
                           ON CONFLICT (cluster_id, week) DO UPDATE SET count = excluded.count""",
                        [(c.id, w, int(n)) for w, n in c.weekly],
                    )
                merged = [(c.id, stamp_now, old) for old in c.merged if old != c.id]
                if merged:
                    cur.executemany("UPDATE emerging_clusters SET merged_into = %s, updated_at = %s WHERE id = %s",
                                    merged)
            cur.execute("DELETE FROM emerging_runs WHERE period = %s", (period,))
            cur.execute(
                "INSERT INTO emerging_runs (period, since, until, buckets, stamp, stats, computed_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (period, since, until, json.dumps(list(buckets)), stamp, json.dumps(stats), stamp_now),
            )
            if issues:
                cur.executemany("INSERT INTO emerging_issues (period, cluster_id, data) VALUES (%s, %s, %s)",
                                [(period, cid, json.dumps(data, ensure_ascii=False)) for cid, data in issues.items()])
            if members:
                cur.execute("INSERT INTO emerging_members (period, record_id, cluster_id) "
                            "SELECT %s, * FROM unnest(%b::text[], %b::text[])",
                            (period, list(members), list(members.values())))

    def emerging_run(self, period: str) -> StoredRun | None:
        row = self.conn.execute(
            "SELECT period, since, until, buckets, stamp, stats, computed_at FROM emerging_runs WHERE period = %s",
            (period,)).fetchone()
        if row is None:
            return None
        issues = {cid: json.loads(data) for cid, data in self.conn.execute(
            "SELECT cluster_id, data FROM emerging_issues WHERE period = %s ORDER BY cluster_id", (period,))}
        return StoredRun(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], json.loads(row[5]), issues,
                         row[6])

    def emerging_members(self, period: str) -> dict[str, str]:
        return dict(self.conn.execute(  # type: ignore[arg-type]
            "SELECT record_id, cluster_id FROM emerging_members WHERE period = %s ORDER BY record_id",
            (period,)).fetchall())

    def save_series_status(self, period: str, rows: Sequence[SeriesStatusRecord]) -> None:
        if not rows:
            return
        stamp_now = now()
        with self.transaction() as conn, conn.cursor() as cur:
            cur.executemany(
                """INSERT INTO emerging_status (subject, kind, period, status, alarm, count, baseline, growth,
                                                p_value, q_value, label, computed_at)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                   ON CONFLICT (subject, period) DO UPDATE SET kind = excluded.kind, status = excluded.status,
                     alarm = excluded.alarm, count = excluded.count, baseline = excluded.baseline,
                     growth = excluded.growth, p_value = excluded.p_value, q_value = excluded.q_value,
                     label = excluded.label, computed_at = excluded.computed_at""",
                sorted([(r.subject, r.kind, period, r.status, int(r.alarm), r.count, r.baseline, r.growth,
                         r.p_value, r.q_value, r.label, stamp_now) for r in rows], key=lambda t: t[0]),
            )

    def alarmed_series(self, period: str) -> set[str]:
        rows = self.conn.execute("SELECT subject FROM emerging_status WHERE period = %s AND alarm = 1", (period,))
        return {r[0] for r in rows}

    # -- the findings loop -----------------------------------------------------------------------------
    def finding_rows(self, since: str, before: str) -> list[FindingRow]:
        sql = FINDING_ROW_SQL + ("WHERE fp.period_start >= %s AND fp.period_start < %s "
                                 "ORDER BY fp.period_start, fp.finding_id")
        return [finding_row(r) for r in self.conn.execute(sql, (since, before)).fetchall()]

    def latest_finding_rows(self, since: str, before: str) -> dict[str, FindingRow]:
        sql = FINDING_ROW_SQL + (
            "JOIN (SELECT finding_id AS fid, MAX(period_start) AS ms FROM finding_periods "
            "WHERE period_start < %s AND period_start >= %s GROUP BY finding_id) m "
            "ON m.fid = fp.finding_id AND m.ms = fp.period_start ORDER BY fp.finding_id")
        return {row.finding_id: row for row in map(finding_row, self.conn.execute(sql, (before, since)).fetchall())}

    def finding_history(self, finding_id: str) -> list[FindingRow]:
        sql = FINDING_ROW_SQL + "WHERE fp.finding_id = %s ORDER BY fp.period_start"
        return [finding_row(r) for r in self.conn.execute(sql, (finding_id,)).fetchall()]

    def save_period_findings(self, period: str, period_start: str, rows: Sequence[FindingRecord],
                             volume: int, with_emerging: bool) -> None:
        stamp_now = now()
        with self.transaction() as conn, conn.cursor() as cur:
            self._lock(LOCK_REPORT)  # two reports of one week at once: one after the other
            # emerging issues not computed this time (--no-emerging): their rows of the period stay
            cur.execute("DELETE FROM finding_periods WHERE period = %s" + (
                "" if with_emerging else NOT_EMERGING_SQL),
                (period,))
            for f in sorted(rows, key=lambda f: f.id):
                cur.execute(
                    "INSERT INTO findings (id, kind, topic, product, cluster_id, label, terms, baseline_rate, "
                    "first_period, first_start, routed_topic, hazard) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (id) DO UPDATE SET "
                    # what it is called comes from its latest period: re-running an older week keeps it
                    "label = CASE WHEN " + LATEST_PERIOD_SQL + " THEN excluded.label ELSE findings.label END, "
                    "terms = CASE WHEN " + LATEST_PERIOD_SQL + " THEN excluded.terms ELSE findings.terms END, "
                    "routed_topic = CASE WHEN " + LATEST_PERIOD_SQL + " THEN excluded.routed_topic ELSE findings.routed_topic END, "
                    "baseline_rate = CASE WHEN %s = 'new' THEN excluded.baseline_rate ELSE findings.baseline_rate END, "
                    "first_period = CASE WHEN excluded.first_start < findings.first_start "
                    "THEN excluded.first_period ELSE findings.first_period END, "
                    "first_start = LEAST(findings.first_start, excluded.first_start)",
                    f.finding_values(period, period_start),
                )  # fmt: skip
                cur.execute(
                    "INSERT INTO finding_periods (finding_id, period, period_start, count, volume, "
                    "negative_share, safety, expected, growth, p_value, q_value, nps_impact, priority, status, "
                    "owner_team, owner_person, owner_contact, qualifies, at_baseline, computed_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (finding_id, period) DO NOTHING",  # an emerging issue's row kept, see above
                    f.period_values(period, period_start, stamp_now),
                )  # fmt: skip
            cur.execute("SELECT COUNT(*) FROM finding_periods WHERE period = %s", (period,))
            n = cur.fetchone()[0]
            cur.execute(
                "INSERT INTO report_periods (period, period_start, volume, findings, with_emerging, computed_at) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (period) DO UPDATE SET "
                "period_start = excluded.period_start, volume = excluded.volume, findings = excluded.findings, "
                "with_emerging = GREATEST(report_periods.with_emerging, excluded.with_emerging), "
                "computed_at = excluded.computed_at",
                (period, period_start, volume, n, int(with_emerging), stamp_now),
            )

    def reported_periods(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT period, period_start FROM report_periods ORDER BY period").fetchall())

    def finding_events(self, finding_ids: Sequence[str] | None = None) -> list[FindingEvent]:
        sql = "SELECT finding_id, action, period, period_start, at, by, note, count, volume FROM finding_events"
        params: tuple = ()
        if finding_ids is not None:
            sql += " WHERE finding_id = ANY(%b::text[])"
            params = (list(finding_ids),)
        return [FindingEvent(*r) for r in self.conn.execute(sql + " ORDER BY id", params).fetchall()]

    def add_finding_event(self, event: FindingEvent) -> None:
        self.conn.execute(
            "INSERT INTO finding_events (finding_id, action, period, period_start, at, by, note, count, volume) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", tuple(event))

    def finding_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM findings ORDER BY id")]
