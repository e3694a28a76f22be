"""What a command works on, resolved once from its options and the environment.

The library never reads the environment (httpie's rule): only :meth:`Settings.resolve`,
called by the commands, does (``$VOC_DB``, ``$VOC_LEXICON_DIR``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from voc.lexicon import Lexicons, packaged_lexicon_dir
from voc.store.common import is_server_url

DEFAULT_DB = "voc.db"

__all__ = ["DEFAULT_DB", "Settings", "default_db_path", "packaged_lexicon_dir", "resolve_db"]


def resolve_db(db: str | os.PathLike | None) -> Path | str:
    """A store target: a PostgreSQL URL as it was given (a path would mangle its
    ``//``), else the SQLite file's path."""
    if db is None or str(db) == "":
        return default_db_path()
    if is_server_url(str(db)):
        return str(db).strip()
    return Path(db)


def default_db_path() -> Path | str:
    """`$VOC_DB`, else `./voc.db` (DESIGN.md): a file path, or a PostgreSQL URL."""
    value = os.environ.get("VOC_DB") or DEFAULT_DB
    return value.strip() if is_server_url(value) else Path(value)


@dataclass(frozen=True)
class Settings:
    db: Path | str  # the SQLite file, or a postgresql:// URL (kept as given)
    lexicons: Lexicons

    @classmethod
    def resolve(cls, db: str | os.PathLike | None = None, lexicons: str | os.PathLike | None = None) -> Settings:
        return cls(db=resolve_db(db), lexicons=Lexicons.resolve(lexicons))
