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


def destination(path: str | os.PathLike) -> Path:
    """Where a report file named ``path`` is written, checked before anything is: a
    symbolic link is written through (its target is replaced, not the link), and a name
    that is a folder, a device, a pipe or a socket is refused (renaming a file onto
    ``/dev/full`` would replace the device)."""
    dest = Path(path)
    if dest.is_symlink():
        dest = Path(os.path.realpath(dest))
    if dest.is_dir():
        raise OutputError(f"{path} is a folder, not a file name")
    if dest.exists() and not dest.is_file():
        raise OutputError(f"{path} is not a regular file (a device, pipe or socket): give a file name")
    parent = dest.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"cannot create folder {dest.parent}: {parent} is a file")
    return dest


def check_writable(path: str | os.PathLike) -> Path:
    """:func:`destination`, and a file can really be made in its folder (tried with a
    temporary one), for an output written only after long work (`voc ingest --rejects`)."""
    dest = destination(path)
    parent = dest.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".probe", dir=parent)
    except OSError as e:
        raise OutputError(f"cannot write {dest}: {e.strerror or e}") from None
    os.close(fd)
    os.unlink(probe)
    return dest


def check_outputs(*paths: str | os.PathLike | None) -> None:
    """Check every output path before any is written (one bad name fails the command
    before the others are written)."""
    for path in paths:
        if path is not None:
            destination(path)


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (its target, for a symbolic link); move it
    into place when the block succeeds."""
    dest = destination(path)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create folder {dest.parent}: {e.strerror or e}") from None
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
