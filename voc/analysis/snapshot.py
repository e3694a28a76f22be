"""A built :class:`~voc.analysis.analyzer.Analyzer` kept in the cache folder, so that the
next process with the same lexicons, models and code loads it instead of building it.

Building the analyzer (reading and compiling the lexicons, the sentiment model's
tables, the scanners' phrase dictionaries and gates) takes about 0.2 s, most of a
`voc analyze` over a weekly export of a few hundred records and a quarter of one over
20,000 short reviews; loading the built one takes about a quarter of that. The file is
named by :func:`key`: a hash of everything the build reads (the lexicons' content, the
model files, the analysis code, jieba's dictionary, the interpreter and which compiled
kernels load), so that a change to any of them builds afresh; a stale file is never
read, only pruned later.

The file is a pickle, and unpickling runs code: only a file this user owns and
nobody else may read or write is read (as it is written; another file only costs the
build). Regular expressions are pickled as their
source and compiled again through :mod:`voc.analysis.regex_cache`; the compiled kernels
are built again from what they were built from, or mapped back (the segmenter's
dictionary). Anything that fails while loading is a miss: the analyzer is built and the
file written again. A cache only saves time, so a folder that cannot be written only
costs the build.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import os
import pickle
import re
import sys
from pathlib import Path
from typing import Any

from voc.analysis import regex_cache

#: Layout of the file; part of :func:`key`.
FORMAT = 1
#: Snapshots kept besides the newest (another lexicon folder, a user's model).
KEEP = 3
_MAGIC = b"voc-analyzer\0"
_KERNELS = ("_aspects_fast", "_gate_fast", "_segment_fast", "_sentiment_fast")


def key(lexicon_version: str, model: str | Path | None, topic_model: str | Path | None) -> str:
    """The hash that names the snapshot of the analyzer built from lexicons of
    ``lexicon_version`` and these model files (None: the default sentiment model, no
    topic model) by this code in this interpreter."""
    from voc.analysis import compiled

    digest = hashlib.sha256()
    kernels = ",".join(name for name in _KERNELS if compiled(name) is not None)  # VOC_PURE_PYTHON
    for part in (str(FORMAT), lexicon_version, _file_stamp(model), _file_stamp(topic_model), kernels, _code_stamp()):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


def path_for(snapshot_key: str) -> Path:
    from voc.analysis import cache_dir

    return cache_dir() / f"analyzer-{snapshot_key[:20]}.pickle"


def load(snapshot_key: str) -> Any | None:
    """The analyzer kept under ``snapshot_key``, or None (none kept, not safe to read,
    or it fails to load)."""
    path = path_for(snapshot_key)
    try:
        with open(path, "rb") as f:
            if not _trusted(f.fileno()):
                return None
            data = _mapped(f)
    except (OSError, ValueError):
        return None
    head = _MAGIC + snapshot_key.encode("ascii")
    try:
        if data[: len(head)] != head:
            return None
        with memoryview(data) as view:
            return pickle.loads(view[len(head):])
    except Exception:  # noqa: BLE001 - a damaged or foreign file is a miss, never an error
        return None
    finally:
        if not isinstance(data, bytes):
            data.close()


def _mapped(f: io.BufferedReader) -> Any:
    """The open file's bytes, mapped rather than read where there is ``mmap`` (unpickling
    reads them once: a copy of the 9 MB first was about 3 ms of every start-up)."""
    try:
        import mmap

        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (ImportError, OSError, ValueError):  # no mmap here, or an empty file
        return f.read()


def save(analyzer: Any, snapshot_key: str) -> None:
    """Keep ``analyzer`` under ``snapshot_key`` (written atomically; the older
    snapshots beyond :data:`KEEP` are pruned). Nothing is raised: an analyzer that
    cannot be pickled or a folder that cannot be written only costs the next build."""
    from voc.analysis import keep_in_cache

    buf = io.BytesIO()
    buf.write(_MAGIC + snapshot_key.encode("ascii"))
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    try:
        pickler.dump(analyzer)
    except Exception:  # noqa: BLE001 - a component that will not pickle (a user's own): no snapshot
        return
    data = buf.getvalue()
    path = path_for(snapshot_key)
    keep_in_cache(path, lambda tmp: tmp.write_bytes(data), "analyzer-*.pickle", keep=KEEP + 1)


def _pattern(p: re.Pattern) -> tuple:
    # compiled again through the regex cache, which learns its code now, so that the
    # process that loads the snapshot compiles nothing (what re.compile made, too)
    regex_cache.compile(p.pattern, p.flags)
    return (regex_cache.compile, (p.pattern, p.flags))


_DISPATCH = copyreg.dispatch_table.copy()
_DISPATCH[re.Pattern] = _pattern


def _trusted(fd: int) -> bool:
    """Whether the open file is this user's and nobody else may read or write it, as
    :func:`voc.analysis.write_atomically` makes it (always, where files have no such
    owners). Nobody else can make such a file, whoever may write its folder."""
    if not hasattr(os, "getuid"):
        return True
    try:
        st = os.fstat(fd)
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o077


def _file_stamp(path: str | Path | None) -> str:
    """A model file as its resolved path, size and modification time ("" for none; a
    file that cannot be read: its name, and the build reports it)."""
    if path is None:
        return ""
    try:
        p = Path(path).resolve()
        st = p.stat()
    except OSError:
        return f"missing:{path}"
    return f"{p}:{st.st_size}:{st.st_mtime_ns}"


@functools.cache
def _code_stamp() -> str:
    """What the build reads besides the lexicons and the user's models, read once a
    process: the analysis code (its sources' content; the compiled kernels' and the
    packaged models' size and time), jieba's dictionary and the interpreter."""
    from voc.analysis.segment import jieba_dictionary

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    sources = sorted([*here.glob("*.py"), here.parent / "lexicon.py"])
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for path in sorted([*here.glob("_*.so"), *here.glob("_*.pyd"), *(here / "data").glob("*")]):
        st = path.stat()
        digest.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    digest.update(_file_stamp(jieba_dictionary()).encode("utf-8", "surrogateescape"))
    digest.update(f"{sys.implementation.cache_tag}:{sys.version}".encode())
    return digest.hexdigest()
