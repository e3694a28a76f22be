"""The embedded store: one SQLite file, WAL, schema versioned by numbered migrations.

Migrations are the ``voc/store/migrations/NNNN_name.sql`` files, applied in order; the
schema version is SQLite's ``user_version``. Each ingest batch runs in one transaction
(:meth:`SQLiteStore.ingest_batch`), so an interrupted batch leaves the store exactly
as it was before the batch. This module holds every SQL statement voc runs on SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from voc.errors import StoreError
from voc.store.base import IngestBatch, StarClasses, Store
from voc.store.common import (
    FINDING_ROW_SQL,
    LATEST_PERIOD_SQL,
    NOT_EMERGING_SQL,
    finding_row,
    migrations,
    per_hazard,
)
from voc.store.common import classes_sql as _classes
from voc.store.common import now as _now
from voc.store.rows import (
    RECORD_FIELDS,
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

#: Page size of new stores: 16 KiB pages make the analysis writes of `voc analyze` about a
#: quarter cheaper than SQLite's default 4 KiB (shallower B-trees, fewer page writes).
PAGE_SIZE = 16384
#: Bytes of the store file read through a memory map rather than copied by read calls:
#: the whole of a store of tens of thousands of records; the first part of a larger one
#: (what is mapped counts in the process's resident memory).
MMAP_SIZE = 64 << 20
#: Rows per INSERT statement when writing analysis results: one statement step for many
#: rows takes about 15% off the write time (one row per step before).
ROWS_PER_INSERT = 50
#: A range holding more than this share of the records is read with one sequential scan
#: rather than through the created_at index (see :meth:`SQLiteStore._in_range`).
SCAN_FRACTION = 0.05

_INSERT_RECORD = f"INSERT INTO records ({', '.join(RECORD_FIELDS)}) VALUES ({', '.join('?' * len(RECORD_FIELDS))})"
_INSERT_OR_IGNORE_RECORD = _INSERT_RECORD.replace("INSERT INTO", "INSERT OR IGNORE INTO", 1)
_INSERT_DROPPED = "INSERT INTO dropped (batch_id, status, source_file, source_row, reason, raw) VALUES (?, ?, ?, ?, ?, ?)"
_INSERT_TURNS = "INSERT INTO turns (record_id, seq, speaker, text, created_at, is_customer_words) VALUES (?, ?, ?, ?, ?, ?)"
_INSERT_ANALYSIS = (
    "INSERT OR REPLACE INTO analysis (record_id, sentiment, score, topics, safety, safety_evidence, "
    "products_mentioned, tokens, model_version, lexicon_version, analyzed_at, safety_kind) VALUES "
)
#: Each hazard of a safety report ``a`` as a row ``h`` (``h.value``): its ``safety_kind`` is
#: the hazards joined by ``|`` (:func:`voc.store.rows.join_hazards`; no hazard: ``safety``).
_HAZARDS = ("json_each('[\"' || replace(COALESCE(NULLIF(a.safety_kind, ''), 'safety'), '|', '\",\"') "
            "|| '\"]') h")
_INSERT_TOPICS = "INSERT INTO record_topics (record_id, topic, polarity, evidence) VALUES "


def _migrations() -> list[tuple[int, str, str]]:
    return migrations("voc.store.migrations")


def latest_version() -> int:
    return len(_migrations())


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (no triggers with inner semicolons in ours)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    parts = [p.strip() for p in "\n".join(lines).split(";")]
    return [p for p in parts if p]


def _check_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an SQLite file some other program made (tables, but no voc schema
    version): migrating it would add voc's tables to someone else's database."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            conn.close()
            raise StoreError(f"{path} is an SQLite database of another program, not a voc store (pass another --db)")


def _identifier(name: str) -> str:
    """A table or column name of the schema, checked before it goes into SQL."""
    if not name.replace("_", "").isalnum() or not name.isascii():
        raise ValueError(f"not a table or column name: {name!r}")
    return name


def _ids_json(ids: Iterable[str]) -> str:
    return json.dumps(list(ids))


class _SQLiteBatch(IngestBatch):
    def __init__(self, conn: sqlite3.Connection, batch_id: int):
        self.conn = conn
        self.id = batch_id

    def existing(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        q = "SELECT id FROM records WHERE id IN (SELECT value FROM json_each(?))"
        return {r[0] for r in self.conn.execute(q, (_ids_json(ids),))}

    def insert_new(self, records: Sequence[tuple]) -> int:
        if not records:
            return 0
        before = self.conn.total_changes
        self.conn.executemany(_INSERT_OR_IGNORE_RECORD, records)
        return self.conn.total_changes - before

    def insert(self, records: Sequence[tuple]) -> None:
        if records:
            self.conn.executemany(_INSERT_RECORD, records)

    def insert_turns(self, turns: Sequence[tuple]) -> None:
        if turns:
            self.conn.executemany(_INSERT_TURNS, turns)

    def insert_dropped(self, rows: Sequence[tuple]) -> None:
        if rows:
            self.conn.executemany(_INSERT_DROPPED, [(self.id, *row) for row in rows])

    def link_followups(self, links: Iterable[tuple[str, str]]) -> None:
        for rid, parent_ext in links:
            self.conn.execute(
                "UPDATE records SET parent_id = (SELECT id FROM records p WHERE p.external_id = ? "
                "AND p.kind = 'review' AND p.id != ? AND p.is_followup = 0 LIMIT 1) WHERE id = ?",
                (parent_ext, rid, rid),
            )

    def date_undated(self, when: str) -> int:
        cur = self.conn.execute("UPDATE records SET created_at = ? WHERE batch_id = ? AND created_at IS NULL",
                                (when, self.id))
        return max(cur.rowcount, 0)

    def finish(self, read: int, stored: int, duplicates: int, rejected: int, filtered: int) -> None:
        self.conn.execute(
            "UPDATE batches SET finished_at=?, read=?, stored=?, duplicates=?, rejected=?, filtered=? WHERE id=?",
            (_now(), read, stored, duplicates, rejected, filtered, self.id),
        )
        if stored:
            self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'")


class SQLiteStore(Store):
    """A connection to the store file, migrated to the latest schema on open.

    ``must_exist``: refuse to create a new store (the commands that read what ``voc
    ingest`` stored; they still write their results into it).
    """

    def __init__(self, path: str | Path, *, must_exist: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        if must_exist and not self.path.exists():
            raise StoreError(f"no store at {self.path}: run `voc ingest` first (or pass --db)")
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a store file (pass --db FILE)")
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we manage transactions explicitly.
            new = not self.path.exists() or self.path.stat().st_size == 0
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            if not new:
                _check_ours(self.conn, self.path)
            if new:  # only a new file takes it (before WAL): fewer, fuller pages
                self.conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA temp_store=MEMORY")
            self.conn.execute("PRAGMA cache_size=-262144")  # 256 MB: big batches insert into big indexes
            # reads through a memory map (writes are as before): a worker's first read of
            # its chunk's texts copies no pages into its own cache
            self.conn.execute(f"PRAGMA mmap_size={MMAP_SIZE}")
        except sqlite3.OperationalError as e:
            if "unable to open" not in str(e) and "readonly" not in str(e):
                raise StoreError(f"{self.path} is not a voc store ({e})") from None
            # not a bad file: SQLite could not open or write it, or its journal beside it
            if self.path.exists():
                raise StoreError(f"cannot open the store {self.path} ({e}): is it, or its folder, read-only? "
                                 "SQLite writes its journal beside the store; copy it somewhere writable") from None
            raise StoreError(f"cannot create a store at {self.path} ({e}): is its folder writable?") from None
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a voc store ({e})") from None
        except OSError as e:
            raise StoreError(f"cannot open the store {self.path}: {e.strerror or e}") from None
        self.migrate()

    # -- schema and life cycle ------------------------------------------------------------
    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        current = self.version
        migrations = _migrations()
        if current > len(migrations):
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this voc "
                f"({len(migrations)}): upgrade voc"
            )
        for version, name, sql in migrations[current:]:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={version}")
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError as e:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"migration {name} failed on {self.path}: {e}") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing unit of work (BaseException included: Ctrl-C rolls back)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def target(self) -> str:
        return str(self.path.resolve())

    def count(self, table: str, where: str = "", params: tuple = ()) -> int:
        """Rows of a table (tests and diagnostics)."""
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return self.conn.execute(sql, params).fetchone()[0]

    # -- whole tables (voc.store.copy) -------------------------------------------------------
    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: WAL readers see the store as it was at its first read."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK")

    def table_count(self, table: str) -> int:
        return self.count(_identifier(table))

    def table_rows(self, table: str, columns: Sequence[str], key: Sequence[str]) -> Iterator[tuple]:
        order = "rowid" if table == "records" else ", ".join(map(_identifier, key))
        cur = self.conn.execute(f"SELECT {', '.join(map(_identifier, columns))} FROM {_identifier(table)} "
                                f"ORDER BY {order}")
        while True:
            chunk = cur.fetchmany(5000)
            if not chunk:
                return
            yield from chunk

    def replace_tables(self, tables: Sequence[tuple[str, Sequence[str], Iterable[tuple]]],
                       expect: dict[str, int]) -> None:
        with self.transaction() as conn:
            for table, _, _ in reversed(tables):
                conn.execute(f"DELETE FROM {_identifier(table)}")
            for table, columns, rows in tables:
                sql = (f"INSERT INTO {_identifier(table)} ({', '.join(map(_identifier, columns))}) "
                       f"VALUES ({', '.join('?' * len(columns))})")
                batch: list[tuple] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= 5000:
                        conn.executemany(sql, batch)
                        batch = []
                if batch:
                    conn.executemany(sql, batch)
            for table, _, _ in tables:
                if self.count(table) != expect[table]:
                    raise StoreError(f"copying into {self.path}: table {table} holds {self.count(table)} rows, "
                                     f"expected {expect[table]}; nothing was copied")

    # -- ingest ----------------------------------------------------------------------------
    @contextmanager
    def ingest_batch(self, source_file: str, kind: str, options: dict) -> Iterator[IngestBatch]:
        with self.transaction() as conn:
            cur = conn.execute(  # microseconds: decisions are compared with it (safety_arrivals)
                "INSERT INTO batches (started_at, source_file, kind, options) VALUES (?, ?, ?, ?)",
                (datetime.now().isoformat(timespec="microseconds"), source_file, kind,
                 json.dumps(options, ensure_ascii=False)),
            )
            yield _SQLiteBatch(conn, int(cur.lastrowid or 0))

    def dropped_rows(self, batch_ids: Sequence[int]) -> Iterator[DroppedRow]:
        ids = list(batch_ids)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            q = (f"SELECT source_file, source_row, status, reason, raw FROM dropped WHERE batch_id IN "
                 f"({','.join('?' * len(part))}) ORDER BY batch_id, source_row")
            for row in self.conn.execute(q, part):
                yield DroppedRow(*row)

    # -- analysis ----------------------------------------------------------------------------
    def count_records(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]

    def pending_analysis(self, model_version: str, lexicon_version: str, *, reanalyze: bool = False) -> list[int]:
        """Rowids in record id order. The results are keyed by record id, and record ids
        are hashes, random against the order records arrive in: chunks of consecutive ids
        make each transaction insert into one narrow stretch of those indexes instead of
        touching nearly every page of them (a third of the write time at 200,000 reviews)."""
        if reanalyze:
            return [r[0] for r in self.conn.execute("SELECT rowid FROM records ORDER BY id")]
        q = ("SELECT r.rowid FROM records r LEFT JOIN analysis a ON a.record_id = r.id "
             "WHERE a.record_id IS NULL OR a.model_version != ? OR a.lexicon_version != ? ORDER BY r.id")
        return [r[0] for r in self.conn.execute(q, (model_version, lexicon_version))]

    def rated_reviews(self, limit: int) -> list[tuple[str, str, float]]:
        return self.conn.execute(
            "SELECT id, text, rating FROM records WHERE kind = 'review' AND rating IS NOT NULL AND is_followup = 0 "
            "AND text IS NOT NULL ORDER BY id LIMIT ?", (limit,)).fetchall()

    def save_model(self, key: str, kind: str, data: bytes, evidence: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO models (key, kind, data, evidence, created_at) VALUES (?, ?, ?, ?, ?)",
                         (key, kind, sqlite3.Binary(data), evidence, datetime.now().isoformat(timespec="microseconds")))

    def latest_model(self, kind: str) -> tuple[str, bytes, str] | None:
        row = self.conn.execute("SELECT key, data, evidence FROM models WHERE kind = ? "
                                "ORDER BY created_at DESC, key LIMIT 1", (kind,)).fetchone()
        return (row[0], bytes(row[1]), row[2]) if row else None

    def texts(self, keys: Sequence[int]) -> list[tuple[str, str, str]]:
        """``(id, text, kind)`` of the records with these rowids, in record id order.

        Each rowid is looked up in turn and the rows sorted here (ids are unique, so the
        tuples sort by id, in the order SQLite's binary collation gives): the keys
        :meth:`pending_analysis` hands out are in id order already, which SQLite's
        ``ORDER BY`` would sort again in a temporary B-tree (a third of the read)."""
        rows = self.conn.execute(
            "SELECT r.id, r.text, r.kind FROM json_each(?) j CROSS JOIN records r ON r.rowid = j.value",
            (json.dumps(list(dict.fromkeys(keys))),)).fetchall()
        rows.sort()
        return rows

    def write_analysis(self, rows: Sequence[tuple], topic_rows: Sequence[tuple]) -> None:
        """Which records had an earlier analysis is read inside the transaction: another
        ``voc analyze`` may have written them meanwhile, and their topics are replaced,
        not added to."""
        with self.transaction() as conn:
            # first whether any analysis lies in the chunk's range of ids at all (one index
            # probe; none, the usual case of new records, is none of its records either)
            seen = rows and conn.execute("SELECT 1 FROM analysis WHERE record_id BETWEEN ? AND ? LIMIT 1",
                                         (min(row[0] for row in rows), max(row[0] for row in rows))).fetchone()
            if seen:
                ids = _ids_json(row[0] for row in rows)
                seen = conn.execute("SELECT 1 FROM analysis WHERE record_id IN (SELECT value FROM json_each(?)) "
                                    "LIMIT 1", (ids,)).fetchone()
            if seen:
                conn.execute("DELETE FROM record_topics WHERE record_id IN (SELECT value FROM json_each(?))", (ids,))
            _insert_many(conn, _INSERT_ANALYSIS, 12, rows)
            _insert_many(conn, _INSERT_TOPICS, 4, topic_rows)

    @contextmanager
    def analysis_writer(self) -> Iterator[SQLiteStore]:
        fk = self.conn.execute("PRAGMA foreign_keys").fetchone()[0]
        self.conn.execute("PRAGMA foreign_keys=OFF")
        try:
            yield self
        finally:
            self.conn.execute(f"PRAGMA foreign_keys={int(fk)}")

    def bump_generation(self) -> int:
        with self.transaction() as conn:
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'")
            return int(conn.execute("SELECT value FROM meta WHERE key = 'data_generation'").fetchone()[0])

    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'data_generation'").fetchone()
        return int(row[0]) if row else 0

    # -- periods -------------------------------------------------------------------------------
    def latest_record_time(self) -> str | None:
        return self.conn.execute("SELECT MAX(created_at) FROM records").fetchone()[0]

    def coverage(self, start: str, end: str) -> Coverage:
        records = self.conn.execute(
            "SELECT COUNT(*) FROM records WHERE created_at >= ? AND created_at < ?", (start, end)).fetchone()[0]
        analysed = self.conn.execute(
            "SELECT COUNT(*) FROM records r CROSS JOIN analysis a ON a.record_id = r.id "
            "WHERE r.created_at >= ? AND r.created_at < ?", (start, end)).fetchone()[0] if records else 0
        before = self.conn.execute("SELECT MAX(created_at) FROM records WHERE created_at < ?", (start,)).fetchone()[0]
        after = self.conn.execute("SELECT MIN(created_at) FROM records WHERE created_at >= ?", (end,)).fetchone()[0]
        return Coverage(records, analysed, before, after)

    def has_records(self, start: str, end: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM records WHERE created_at >= ? AND created_at < ? LIMIT 1", (start, end)).fetchone() is not None

    def _in_range(self, start: str, end: str, column: str = "created_at") -> str:
        """The condition ``start <= created_at < end`` with the faster access path.

        For a small share of the table an index range is best; for a large one (a window
        of many weeks) visiting rows in index order means random reads all over the
        table, about ten times slower than one sequential scan, so the index is switched
        off with SQLite's unary ``+``. Both counts come from indexes (milliseconds).
        """
        total = self.count_records()
        n = self.conn.execute(
            "SELECT COUNT(*) FROM records WHERE created_at >= ? AND created_at < ?", (start, end)).fetchone()[0]
        plus = "+" if total and n > SCAN_FRACTION * total else ""
        return f"{plus}{column} >= ? AND {plus}{column} < ?"

    # -- grouped scans for reports ---------------------------------------------------------------
    def day_classes(self, lo: str, hi: str, stars: StarClasses) -> Iterator[DayClassRow]:
        sql = (f"SELECT substr(created_at, 1, 10), analysed, {_classes(stars)}, "
               "CASE WHEN safety = 1 THEN COALESCE(product, '') END, COUNT(*), "
               "CASE WHEN safety = 1 THEN COALESCE(safety_kind, 'safety') END FROM record_analysis "
               f"WHERE {self._in_range(lo, hi)} GROUP BY 1, 2, 3, 4, 5, 6, 8")
        for row in self.conn.execute(sql, (lo, hi)):
            yield DayClassRow(*row)

    def day_volumes(self, lo: str, hi: str) -> Iterator[DayVolumeRow]:
        sql = ("SELECT substr(r.created_at, 1, 10), COALESCE(r.product, ''), COUNT(*) FROM records r "
               f"CROSS JOIN analysis a ON a.record_id = r.id WHERE {self._in_range(lo, hi, 'r.created_at')} "
               "GROUP BY 1, 2")
        for row in self.conn.execute(sql, (lo, hi)):
            yield DayVolumeRow(*row)

    def day_safety(self, lo: str, hi: str) -> Iterator[DaySafetyRow]:
        sql = ("SELECT substr(created_at, 1, 10), COALESCE(product, ''), safety_kind, COUNT(*) "
               f"FROM record_analysis WHERE safety = 1 AND {self._in_range(lo, hi)} GROUP BY 1, 2, 3")
        for (day, product, hazard), n in sorted(per_hazard(self.conn.execute(sql, (lo, hi))).items()):
            yield DaySafetyRow(day, product, hazard, n)

    def safety_arrivals(self, since: str) -> dict[tuple[str, str], int]:
        sql = ("SELECT COALESCE(r.product, ''), a.safety_kind, COUNT(*) FROM batches b "
               "JOIN records r ON r.batch_id = b.id JOIN analysis a ON a.record_id = r.id AND a.safety = 1 "
               "WHERE b.started_at > ? GROUP BY 1, 2")
        return {(hazard, product): n for (product, hazard), n in per_hazard(self.conn.execute(sql, (since,))).items()}

    def day_mentions(self, lo: str, hi: str) -> Iterator[DayMentionRow]:
        sql = ("SELECT substr(created_at, 1, 10), topic, COALESCE(product, ''), COUNT(*) FROM negative_mentions "
               f"WHERE {self._in_range(lo, hi)} GROUP BY 1, 2, 3")
        for row in self.conn.execute(sql, (lo, hi)):
            yield DayMentionRow(*row)

    def period_classes(self, start: str, end: str, stars: StarClasses) -> Iterator[PeriodClassRow]:
        sql = (f"SELECT COALESCE(product, ''), COALESCE(channel, ''), kind, {_classes(stars)}, sentiment, "
               "COALESCE(safety, 0), analysed, COUNT(*) FROM record_analysis "
               f"WHERE {self._in_range(start, end)} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9")
        for row in self.conn.execute(sql, (start, end)):
            yield PeriodClassRow(*row)

    def period_mentions(self, start: str, end: str, stars: StarClasses) -> Iterator[PeriodMentionRow]:
        sql = (f"SELECT rt.topic, COALESCE(r.product, ''), rt.polarity, {_classes(stars, 'r.', 'a.')}, "
               "CASE WHEN a.safety = 1 THEN COALESCE(a.safety_kind, 'safety') END, COUNT(*) "
               "FROM records r CROSS JOIN record_topics rt ON rt.record_id = r.id "
               "LEFT JOIN analysis a ON a.record_id = r.id "
               f"WHERE {self._in_range(start, end, 'r.created_at')} GROUP BY 1, 2, 3, 4, 5, 6, 7")
        for row in self.conn.execute(sql, (start, end)):
            yield PeriodMentionRow(*row)

    def quotes(self, start: str, end: str, group: str, per_group: int) -> Iterator[QuoteRow]:
        order = "(length(r.text) BETWEEN 8 AND 240) DESC, a.score, r.id"  # readable first, most negative
        cols = ("r.id AS id, r.created_at AS created_at, COALESCE(r.product, '') AS product, "
                "COALESCE(r.channel, '') AS channel, r.rating AS rating, r.text AS text, "
                "COALESCE(r.external_id, '') AS source_id")
        where = self._in_range(start, end, "r.created_at")
        if group == "safety":
            hazard = "'safety:' || h.value"
            inner = (f"SELECT {hazard} AS grp, COALESCE(r.product, '') AS gkey, {cols}, "
                     f"ROW_NUMBER() OVER (PARTITION BY COALESCE(r.product, ''), {hazard} ORDER BY {order}) AS rn "
                     f"FROM records r JOIN analysis a ON a.record_id = r.id AND a.safety = 1 JOIN {_HAZARDS} "
                     f"WHERE {where}")
        elif group in ("topic", "topic_all"):
            key = "COALESCE(r.product, '')" if group == "topic" else "'*'"
            part = "rt.topic, COALESCE(r.product, '')" if group == "topic" else "rt.topic"
            inner = (f"SELECT rt.topic AS grp, {key} AS gkey, {cols}, "
                     f"ROW_NUMBER() OVER (PARTITION BY {part} ORDER BY {order}) AS rn "
                     "FROM records r CROSS JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg' "
                     f"JOIN analysis a ON a.record_id = r.id WHERE {where}")
        else:
            raise ValueError(f"unknown quote group '{group}'")
        sql = (f"SELECT grp, gkey, rn, id, created_at, product, channel, rating, text, source_id FROM ({inner}) "
               "WHERE rn <= ?")
        for row in self.conn.execute(sql, (start, end, per_group)):
            yield QuoteRow(*row)

    def evidence_terms(self, start: str, end: str, group: str, per_group: int) -> Iterator[tuple[str, str, str, int]]:
        where = self._in_range(start, end, "r.created_at")
        if group == "topic":
            grp, key, join = "rt.topic", "COALESCE(r.product, '')", ""
        elif group == "topic_all":
            grp, key, join = "rt.topic", "'*'", ""
        elif group == "safety":
            grp, key = "'safety:' || h.value", "COALESCE(r.product, '')"
            join = f"JOIN analysis a ON a.record_id = r.id AND a.safety = 1 JOIN {_HAZARDS} "
        else:
            raise ValueError(f"unknown evidence group '{group}'")
        sql = (f"SELECT grp, gkey, evidence, n FROM (SELECT {grp} AS grp, {key} AS gkey, rt.evidence AS evidence, "
               f"COUNT(*) AS n, ROW_NUMBER() OVER (PARTITION BY {grp}, {key} ORDER BY COUNT(*) DESC, rt.evidence) AS rn "
               "FROM records r CROSS JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg' "
               f"{join}WHERE {where} AND rt.evidence IS NOT NULL AND rt.evidence != '' GROUP BY 1, 2, 3) "
               "WHERE rn <= ? ORDER BY grp, gkey, rn")
        for row in self.conn.execute(sql, (start, end, per_group)):
            yield tuple(row)  # type: ignore[misc]

    def mention_records(self, start: str, end: str, topic: str, product: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT r.id FROM records r CROSS JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg' "
            "AND rt.topic = ? WHERE r.created_at >= ? AND r.created_at < ? AND COALESCE(r.product, '') = ? "
            "ORDER BY r.id", (topic, start, end, product))]

    def records(self, start: str, end: str, limit: int | None = None) -> Iterator[RecordRow]:
        sql = ("SELECT v.id, v.created_at, v.kind, v.channel, v.product, v.rating, v.nps_score, v.sentiment, "
               "ROUND(v.score, 3), (SELECT group_concat(rt.topic || ':' || rt.polarity, '|') FROM record_topics rt "
               "WHERE rt.record_id = v.id), v.safety, v.text FROM record_analysis v "
               "WHERE v.created_at >= ? AND v.created_at < ? ORDER BY v.created_at, v.id")
        params: tuple = (start, end)
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        cur = self.conn.execute(sql, params)
        while True:
            chunk = cur.fetchmany(2000)
            if not chunk:
                return
            for row in chunk:
                yield RecordRow(*row)

    def record_texts(self, ids: Sequence[str]) -> dict[str, tuple[str | None, str, str, str]]:
        out: dict[str, tuple[str | None, str, str, str]] = {}
        ids = list(ids)
        for i in range(0, len(ids), 5000):
            q = ("SELECT id, created_at, COALESCE(product, ''), COALESCE(channel, ''), text FROM records "
                 "WHERE id IN (SELECT value FROM json_each(?))")
            for rid, ts, product, channel, text in self.conn.execute(q, (_ids_json(ids[i : i + 5000]),)):
                out[rid] = (ts, product, channel, text)
        return out

    # -- emerging issues ---------------------------------------------------------------------------
    def complaint_records(self, lo: str, hi: str) -> Iterator[WindowRow]:
        sql = ("SELECT r.id, COALESCE(r.product, ''), substr(r.created_at, 1, 10), a.sentiment = 'negative', a.safety, "
               "(SELECT group_concat(t.topic || char(31) || t.polarity, char(30)) FROM record_topics t "
               "WHERE t.record_id = r.id AND t.polarity != 'pos'), r.text, COALESCE(a.tokens, '') "
               "FROM records r JOIN analysis a ON a.record_id = r.id "
               "WHERE r.created_at >= ? AND r.created_at < ? AND a.tokens IS NOT NULL ORDER BY r.created_at, r.id")
        for row in self.conn.execute(sql, (lo, hi)):
            yield WindowRow(*row)

    def stored_clusters(self) -> list[StoredCluster]:
        rows = self.conn.execute(
            "SELECT id, label, signature, first_period, last_period, merged_into FROM emerging_clusters ORDER BY id"
        ).fetchall()
        return [StoredCluster(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]

    def save_emerging_run(self, period: str, since: str, until: str, buckets: Sequence[str], stamp: str,
                          stats: dict, clusters: Sequence[ClusterRecord], issues: dict[str, dict],
                          members: dict[str, str]) -> None:
        now = _now()
        with self.transaction() as conn:
            for c in clusters:
                conn.execute(
                    """INSERT INTO emerging_clusters (id, label, terms, signature, first_period, last_period,
                                                      created_at, updated_at, merged_into)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
                       ON CONFLICT(id) DO UPDATE SET label = excluded.label, terms = excluded.terms,
                         signature = excluded.signature,
                         first_period = min(first_period, excluded.first_period),
                         last_period = max(last_period, excluded.last_period),
                         updated_at = excluded.updated_at, merged_into = NULL""",
                    (c.id, c.label, json.dumps(list(c.terms), ensure_ascii=False),
                     json.dumps(dict(c.signature), ensure_ascii=False), period, period, now, now),
                )
                conn.executemany(
                    """INSERT INTO emerging_cluster_weeks (cluster_id, week, count) VALUES (?, ?, ?)
                       ON CONFLICT(cluster_id, week) DO UPDATE SET count = excluded.count""",
                    [(c.id, w, int(n)) for w, n in c.weekly],
                )
                if c.merged:
                    conn.executemany("UPDATE emerging_clusters SET merged_into = ?, updated_at = ? WHERE id = ?",
                                     [(c.id, now, old) for old in c.merged if old != c.id])
            conn.execute("DELETE FROM emerging_runs WHERE period = ?", (period,))
            conn.execute(
                "INSERT INTO emerging_runs (period, since, until, buckets, stamp, stats, computed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (period, since, until, json.dumps(list(buckets)), stamp, json.dumps(stats), now),
            )
            conn.executemany("INSERT INTO emerging_issues (period, cluster_id, data) VALUES (?, ?, ?)",
                             [(period, cid, json.dumps(data, ensure_ascii=False)) for cid, data in issues.items()])
            conn.executemany("INSERT INTO emerging_members (period, record_id, cluster_id) VALUES (?, ?, ?)",
                             [(period, rid, cid) for rid, cid in members.items()])

    def emerging_run(self, period: str) -> StoredRun | None:
        row = self.conn.execute(
            "SELECT period, since, until, buckets, stamp, stats, computed_at FROM emerging_runs WHERE period = ?",
            (period,)).fetchone()
        if row is None:
            return None
        issues = {cid: json.loads(data) for cid, data in self.conn.execute(
            "SELECT cluster_id, data FROM emerging_issues WHERE period = ? ORDER BY cluster_id", (period,))}
        return StoredRun(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], json.loads(row[5]), issues,
                         row[6])

    def emerging_members(self, period: str) -> dict[str, str]:
        return dict(self.conn.execute(
            "SELECT record_id, cluster_id FROM emerging_members WHERE period = ?", (period,)).fetchall())

    def save_series_status(self, period: str, rows: Sequence[SeriesStatusRecord]) -> None:
        now = _now()
        with self.transaction() as conn:
            conn.executemany(
                """INSERT INTO emerging_status (subject, kind, period, status, alarm, count, baseline, growth,
                                                p_value, q_value, label, computed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(subject, period) DO UPDATE SET kind = excluded.kind, status = excluded.status,
                     alarm = excluded.alarm, count = excluded.count, baseline = excluded.baseline,
                     growth = excluded.growth, p_value = excluded.p_value, q_value = excluded.q_value,
                     label = excluded.label, computed_at = excluded.computed_at""",
                [(r.subject, r.kind, period, r.status, int(r.alarm), r.count, r.baseline, r.growth, r.p_value,
                  r.q_value, r.label, now) for r in rows],
            )

    def alarmed_series(self, period: str) -> set[str]:
        rows = self.conn.execute("SELECT subject FROM emerging_status WHERE period = ? AND alarm = 1", (period,))
        return {r[0] for r in rows}

    # -- the findings loop -----------------------------------------------------------------------------
    _ROW_SQL = FINDING_ROW_SQL
    _finding_row = staticmethod(finding_row)

    def finding_rows(self, since: str, before: str) -> list[FindingRow]:
        sql = self._ROW_SQL + ("WHERE fp.period_start >= ? AND fp.period_start < ? "
                               "ORDER BY fp.period_start, fp.finding_id")
        return [self._finding_row(r) for r in self.conn.execute(sql, (since, before))]

    def latest_finding_rows(self, since: str, before: str) -> dict[str, FindingRow]:
        sql = self._ROW_SQL + (
            "JOIN (SELECT finding_id AS fid, MAX(period_start) AS ms FROM finding_periods "
            "WHERE period_start < ? AND period_start >= ? GROUP BY finding_id) m "
            "ON m.fid = fp.finding_id AND m.ms = fp.period_start")
        return {row.finding_id: row for row in map(self._finding_row, self.conn.execute(sql, (before, since)))}

    def finding_history(self, finding_id: str) -> list[FindingRow]:
        sql = self._ROW_SQL + "WHERE fp.finding_id = ? ORDER BY fp.period_start"
        return [self._finding_row(r) for r in self.conn.execute(sql, (finding_id,))]

    def save_period_findings(self, period: str, period_start: str, rows: Sequence[FindingRecord],
                             volume: int, with_emerging: bool) -> None:
        now = _now()
        with self.transaction() as conn:
            # emerging issues not computed this time (--no-emerging): their rows of the period stay
            conn.execute("DELETE FROM finding_periods WHERE period = ?" + ("" if with_emerging else NOT_EMERGING_SQL),
                         (period,))
            for f in rows:
                conn.execute(
                    "INSERT INTO findings (id, kind, topic, product, cluster_id, label, terms, baseline_rate, "
                    "first_period, first_start, routed_topic, hazard) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET "
                    # what it is called comes from its latest period: re-running an older week keeps it
                    "label = CASE WHEN " + LATEST_PERIOD_SQL + " THEN excluded.label ELSE findings.label END, "
                    "terms = CASE WHEN " + LATEST_PERIOD_SQL + " THEN excluded.terms ELSE findings.terms END, "
                    "routed_topic = CASE WHEN " + LATEST_PERIOD_SQL + " THEN excluded.routed_topic ELSE findings.routed_topic END, "
                    "baseline_rate = CASE WHEN ? = 'new' THEN excluded.baseline_rate ELSE findings.baseline_rate END, "
                    "first_period = CASE WHEN excluded.first_start < findings.first_start "
                    "THEN excluded.first_period ELSE findings.first_period END, "
                    "first_start = MIN(findings.first_start, excluded.first_start)",
                    f.finding_values(period, period_start),
                )  # fmt: skip
                conn.execute(
                    "INSERT OR IGNORE INTO finding_periods (finding_id, period, period_start, count, volume, "
                    "negative_share, safety, expected, growth, p_value, q_value, nps_impact, priority, status, "
                    "owner_team, owner_person, owner_contact, qualifies, at_baseline, computed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    f.period_values(period, period_start, now),
                )  # fmt: skip (IGNORE: only an emerging issue's row kept from a run with emerging issues is there)
            n = conn.execute("SELECT COUNT(*) FROM finding_periods WHERE period = ?", (period,)).fetchone()[0]
            conn.execute(
                "INSERT INTO report_periods (period, period_start, volume, findings, with_emerging, computed_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (period) DO UPDATE SET period_start = excluded.period_start, "
                "volume = excluded.volume, findings = excluded.findings, computed_at = excluded.computed_at, "
                "with_emerging = MAX(report_periods.with_emerging, excluded.with_emerging)",
                (period, period_start, volume, n, int(with_emerging), now),
            )

    def reported_periods(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT period, period_start FROM report_periods").fetchall())

    def finding_events(self, finding_ids: Sequence[str] | None = None) -> list[FindingEvent]:
        sql = "SELECT finding_id, action, period, period_start, at, by, note, count, volume FROM finding_events"
        params: tuple = ()
        if finding_ids is not None:
            sql += " WHERE finding_id IN (SELECT value FROM json_each(?))"
            params = (_ids_json(finding_ids),)
        return [FindingEvent(*r) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def add_finding_event(self, event: FindingEvent) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO finding_events (finding_id, action, period, period_start, at, by, note, count, volume) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", tuple(event))

    def finding_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM findings ORDER BY id")]


def _insert_many(conn: sqlite3.Connection, head: str, width: int, rows: Sequence[tuple]) -> None:
    """``conn.executemany(head + "(?, ...)", rows)`` with :data:`ROWS_PER_INSERT` rows
    of ``width`` values per statement (the same rows, in the same order)."""
    one = "(" + ",".join("?" * width) + ")"
    full = len(rows) - len(rows) % ROWS_PER_INSERT
    if full:
        step = width * ROWS_PER_INSERT
        flat = [value for row in rows[:full] for value in row]
        if len(flat) != full * width:  # a short or long row would shift every value after it
            raise ValueError(f"rows of {width} values expected")
        statement = head + ",".join([one] * ROWS_PER_INSERT)
        conn.executemany(statement, [flat[i : i + step] for i in range(0, len(flat), step)])
    if full < len(rows):
        conn.executemany(head + one, rows[full:])
