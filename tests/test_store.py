"""The store file: page size of new stores, existing stores left as they are."""

from __future__ import annotations

import sqlite3

import pytest

from voc.store import open_store
from voc.store.sqlite import PAGE_SIZE


def test_a_new_store_uses_the_large_page_size_and_wal(tmp_path):
    with open_store(tmp_path / "new.db") as store:
        assert store.conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_existing_store_keeps_its_page_size_and_data(tmp_path, monkeypatch):
    import voc.store.sqlite as store_module

    path = tmp_path / "old.db"
    monkeypatch.setattr(store_module, "PAGE_SIZE", 4096)  # a store made before 16 KiB pages
    with open_store(path) as old:
        old.conn.execute("CREATE TABLE keep (x)")
        old.conn.execute("INSERT INTO keep VALUES (1)")
        old_size = old.conn.execute("PRAGMA page_size").fetchone()[0]
    monkeypatch.undo()
    assert old_size == 4096 != PAGE_SIZE
    with open_store(path) as store:
        assert store.conn.execute("PRAGMA page_size").fetchone()[0] == old_size
        assert store.conn.execute("SELECT x FROM keep").fetchall() == [(1,)]


def test_an_sqlite_file_of_another_program_is_refused_and_left_as_it_was(tmp_path):
    import pytest

    from voc.errors import StoreError

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE inventory (sku TEXT)")
        conn.execute("INSERT INTO inventory VALUES ('A1')")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        open_store(path)
    assert path.read_bytes() == before  # no voc tables, no WAL switch
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()  # an empty SQLite file is fine: it becomes a store
    with open_store(empty) as s:
        assert s.version > 0


def test_migrations_read_from_the_package_folder_are_the_packages_resources():
    # the scripts are listed from the folder itself (no importlib.resources at start-up)
    from importlib import resources

    from voc.store.common import migrations

    for package in ("voc.store.migrations", "voc.store.pg_migrations"):
        expected = sorted((int(e.name[:4]), e.name, e.read_text(encoding="utf-8"))
                          for e in resources.files(package).iterdir() if e.name.endswith(".sql"))
        assert migrations(package) == expected and expected


def test_a_file_that_is_no_store_and_a_store_sqlite_cannot_write_say_which(tmp_path, monkeypatch):
    from voc.errors import StoreError

    junk = tmp_path / "notes.csv"
    junk.write_text("a,b\n1,2\n" * 200)
    with pytest.raises(StoreError, match="is not a voc store"):
        open_store(str(junk))
    assert junk.read_text().startswith("a,b")  # untouched
    good = tmp_path / "voc.db"
    open_store(str(good)).close()

    def cannot(*a, **k):  # what a store on read-only media gives (its WAL journal cannot be made)
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", cannot)
    with pytest.raises(StoreError, match="read-only.*copy it somewhere writable") as e:
        open_store(str(good))
    assert "not a voc store" not in str(e.value)
    with pytest.raises(StoreError, match="cannot create a store at .*folder writable"):
        open_store(str(tmp_path / "new.db"))
