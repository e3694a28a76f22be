"""The store: the contract between the stages.

``open_store(target)`` opens a store; the operations every stage uses are those of
:class:`voc.store.base.Store`, with the typed rows of :mod:`voc.store.rows`. The
embedded default is one SQLite file (:class:`voc.store.sqlite.SQLiteStore`); its
schema is versioned by the numbered scripts in ``voc/store/migrations``. A team store
is a PostgreSQL database (``postgresql://user@host:port/dbname``,
:class:`voc.store.postgres.PostgresStore`, migrations in ``voc/store/pg_migrations``),
opened with the optional psycopg driver (``pip install 'voc[postgres]'``).
"""

from __future__ import annotations

import os
from pathlib import Path

from voc.store.base import IngestBatch, StarClasses, Store
from voc.store.common import is_server_url
from voc.store.sqlite import SQLiteStore, latest_version

__all__ = ["IngestBatch", "SQLiteStore", "StarClasses", "Store", "is_server_url", "latest_version", "open_store"]


def open_store(target: str | os.PathLike, *, must_exist: bool = False) -> Store:
    """The store at ``target``, migrated to the latest schema: a PostgreSQL server for a
    ``postgresql://`` (or ``postgres://``) URL, else the SQLite file at that path.

    ``must_exist``: refuse to create a new store (commands that read what ``voc ingest``
    stored).
    """
    if is_server_url(target):
        from voc.store.postgres import PostgresStore  # psycopg only for a server store

        return PostgresStore(str(target).strip(), must_exist=must_exist)
    return SQLiteStore(Path(target), must_exist=must_exist)
