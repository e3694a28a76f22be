"""Locations of the store and the lexicons, resolved once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from voc.errors import LexiconError

DEFAULT_DB = "voc.db"


def default_db_path() -> Path:
    """`$VOC_DB`, else `./voc.db` (DESIGN.md)."""
    return Path(os.environ.get("VOC_DB") or DEFAULT_DB)


def packaged_lexicon_dir() -> Path:
    """The lexicons shipped with the package.

    In a wheel they live in ``voc/lexicons`` (pyproject's package-dir); in an editable
    checkout they are the top-level ``lexicons/`` folder, the editable source.
    """
    here = Path(__file__).resolve().parent
    inside = here / "lexicons"
    if inside.is_dir():
        return inside
    return here.parent / "lexicons"


def resolve_lexicon_dir(flag: str | os.PathLike | None = None) -> Path:
    """Precedence: flag > $VOC_LEXICON_DIR > ./lexicons (if it has a taxonomy) > packaged."""
    if flag:
        return _lexicon_folder(Path(flag), "--lexicons")
    env = os.environ.get("VOC_LEXICON_DIR")
    if env:
        return _lexicon_folder(Path(env), "VOC_LEXICON_DIR")
    local = Path.cwd() / "lexicons"
    if (local / "topics.tsv").is_file():
        return local
    return packaged_lexicon_dir()


def _lexicon_folder(path: Path, source: str) -> Path:
    """A folder the user named (a typo must not quietly fall back to the packaged lexicons)."""
    if not path.is_dir():
        what = "a file, not a folder" if path.exists() else "no such folder"
        raise LexiconError(f"{source} {path}: {what}")
    return path


@dataclass(frozen=True)
class Settings:
    db: Path
    lexicon_dir: Path

    @classmethod
    def resolve(cls, db: str | os.PathLike | None = None, lexicons: str | None = None) -> Settings:
        return cls(db=Path(db) if db else default_db_path(), lexicon_dir=resolve_lexicon_dir(lexicons))
