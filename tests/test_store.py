"""The store file: page size of new stores, existing stores left as they are."""

from __future__ import annotations

import sqlite3

from voc.store import PAGE_SIZE, Store


def test_a_new_store_uses_the_large_page_size_and_wal(tmp_path):
    with Store(tmp_path / "new.db") as store:
        assert store.conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_existing_store_keeps_its_page_size_and_data(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE keep (x)")
    conn.execute("INSERT INTO keep VALUES (1)")
    conn.commit()
    old_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with Store(path) as store:
        assert store.conn.execute("PRAGMA page_size").fetchone()[0] == old_size
        assert store.conn.execute("SELECT x FROM keep").fetchall() == [(1,)]
