"""Shared fixtures. Fixtures are written by the tests themselves; real data is read from ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def pytest_configure(config):
    """The tests keep voc's cache (segmenter dictionary, compiled patterns, models) in
    pytest's cache folder, not in the user's ``~/.cache/voc``: the hundreds of lexicon
    variants they build would otherwise crowd the user's files."""
    import os
    import tempfile

    if "VOC_CACHE_DIR" not in os.environ:
        cache = getattr(config, "cache", None)  # None with -p no:cacheprovider
        folder = cache.mkdir("voc-cache") if cache is not None else tempfile.mkdtemp(prefix="voc-test-cache-")
        os.environ["VOC_CACHE_DIR"] = str(folder)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not found at {SHARED_DATA} (clone with ../shared beside the repo)")
    return SHARED_DATA


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "voc.db"


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_jsonl(path: Path, objs: list) -> Path:
    path.write_text("\n".join(o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs) + "\n", encoding="utf-8")
    return path


# -- PostgreSQL: a throwaway server for the session (see tests/pg.py) -------------------
@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server to create test databases on: ``$VOC_TEST_PG``, else a throwaway
    cluster from the installed server binaries; the tests that need one skip without."""
    from pg import Server, Unavailable

    try:
        server = Server.start()
    except Unavailable as e:
        pytest.skip(f"no PostgreSQL server for the tests: {e}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a new, empty database (dropped after the test)."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def store_target(request, tmp_path):
    """Where a new store goes, once per backend: an SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "voc.db"
    return request.getfixturevalue("pg_url")


def sql_rows(store, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of a query written for SQLite (``?`` placeholders), on either backend."""
    if hasattr(store, "url"):  # PostgreSQL
        sql = sql.replace("?", "%s")
    return [tuple(r) for r in store.conn.execute(sql, params).fetchall()]
