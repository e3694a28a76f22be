"""The embedded store: one SQLite file, WAL, schema versioned by numbered migrations.

Migrations are the ``voc/migrations/NNNN_name.sql`` files, applied in order; the
schema version is SQLite's ``user_version``. Each ingest batch runs in one
transaction (:meth:`Store.transaction`), so an interrupted batch leaves the store
exactly as it was before the batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from voc.errors import StoreError


def _migrations() -> list[tuple[int, str, str]]:
    out = []
    for entry in resources.files("voc.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            out.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    out.sort()
    versions = [v for v, _, _ in out]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"migrations are not numbered 1..n: {versions}")
    return out


def latest_version() -> int:
    return len(_migrations())


#: Page size of new stores: 16 KiB pages make the analysis writes of `voc analyze` about a
#: quarter cheaper than SQLite's default 4 KiB (shallower B-trees, fewer page writes).
PAGE_SIZE = 16384


def _check_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an SQLite file some other program made (tables, but no voc schema
    version): migrating it would add voc's tables to someone else's database."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            conn.close()
            raise StoreError(f"{path} is an SQLite database of another program, not a voc store (pass another --db)")


class Store:
    """A connection to the store, migrated to the latest schema on open.

    ``must_exist``: refuse to create a new store (the commands that read what ``voc
    ingest`` stored; they still write their results into it).
    """

    def __init__(self, path: str | Path, *, must_exist: bool = False):
        self.path = Path(path)
        if must_exist and not self.path.exists():
            raise StoreError(f"no store at {self.path}: run `voc ingest` first (or pass --db)")
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
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
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a voc store ({e})") from None
        self.migrate()

    # -- schema -----------------------------------------------------------------
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

    # -- transactions -------------------------------------------------------------
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

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- small helpers ------------------------------------------------------------
    def count(self, table: str, where: str = "", params: tuple = ()) -> int:
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return self.conn.execute(sql, params).fetchone()[0]


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (no triggers with inner semicolons in ours)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    parts = [p.strip() for p in "\n".join(lines).split(";")]
    return [p for p in parts if p]
