"""What a command works on, resolved once from its options and the environment.

The library never reads the environment (httpie's rule): only :meth:`Settings.resolve`,
called by the commands, does (``$VOC_DB``, ``$VOC_LEXICON_DIR``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from voc.lexicon import Lexicons, packaged_lexicon_dir

DEFAULT_DB = "voc.db"

__all__ = ["DEFAULT_DB", "Settings", "default_db_path", "packaged_lexicon_dir"]


def default_db_path() -> Path:
    """`$VOC_DB`, else `./voc.db` (DESIGN.md)."""
    return Path(os.environ.get("VOC_DB") or DEFAULT_DB)


@dataclass(frozen=True)
class Settings:
    db: Path
    lexicons: Lexicons

    @classmethod
    def resolve(cls, db: str | os.PathLike | None = None, lexicons: str | os.PathLike | None = None) -> Settings:
        return cls(db=Path(db) if db else default_db_path(), lexicons=Lexicons.resolve(lexicons))
