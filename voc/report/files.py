"""Writing report files safely: parents created, temp file then rename.

A reader (or a cron job's mail step) never sees a half-written workbook: the file is
written next to its destination under a hidden temporary name and moved into place
with :func:`os.replace`, which is atomic on one file system. On any error the
temporary file is removed and the destination is left as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from voc.errors import VocError


class OutputError(VocError):
    """A report file cannot be written."""


def expand(template: str | os.PathLike, **fields: str) -> Path:
    """Fill ``{week}``-style fields of an output path (``reports/voc-{week}.xlsx``)."""
    text = os.fspath(template)
    try:
        return Path(text.format(**fields))
    except (KeyError, IndexError, ValueError) as e:
        known = ", ".join("{" + k + "}" for k in fields)
        raise OutputError(f"output path '{text}': unknown field {e} (known: {known})") from None


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` when the block succeeds."""
    dest = Path(path)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create folder {dest.parent}: {e.strerror or e}") from None
    if dest.is_dir():
        raise OutputError(f"{dest} is a folder, not a file name")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    except OSError as e:
        raise OutputError(f"cannot write {dest}: {e.strerror or e}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, dest)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {dest}: {e.strerror or e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text atomically; returns the destination."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
