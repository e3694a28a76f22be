"""The store: the contract between the stages.

``open_store(target)`` opens a store; the operations every stage uses are those of
:class:`voc.store.base.Store`, with the typed rows of :mod:`voc.store.rows`. The
embedded default is one SQLite file (:class:`voc.store.sqlite.SQLiteStore`); its
schema is versioned by the numbered scripts in ``voc/store/migrations``.
"""

from __future__ import annotations

import os
from pathlib import Path

from voc.store.base import IngestBatch, StarClasses, Store
from voc.store.sqlite import SQLiteStore, latest_version

__all__ = ["IngestBatch", "SQLiteStore", "StarClasses", "Store", "latest_version", "open_store"]


def open_store(target: str | os.PathLike, *, must_exist: bool = False) -> Store:
    """The store at ``target`` (a file path), migrated to the latest schema.

    ``must_exist``: refuse to create a new store (commands that read what ``voc ingest``
    stored).
    """
    return SQLiteStore(Path(target), must_exist=must_exist)
