"""Analysis: everything `voc analyze` computes for a text.

Normalisation (:mod:`normalize`), segmentation (:mod:`segment`), sentiment
(:mod:`sentiment` and its features, trainer and evaluator), defect topics with aspect
polarity (:mod:`topics`, :mod:`aspects`, :mod:`scanner`), safety flags (:mod:`safety`),
product mentions (:mod:`products`), the compiled kernels (``_*_fast.pyx``) and their
pure-Python references, the :class:`~voc.analysis.analyzer.Analyzer` that combines
them, and :mod:`run`, which streams the store's pending records through it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

__all__ = ["cache_dir", "cache_file", "compiled", "read_model_arrays", "model_writer", "write_atomically", "prune_cache",
           "keep_in_cache"]


def cache_dir() -> Path:
    """Where built models and dictionaries are kept between runs: ``$VOC_CACHE_DIR``,
    else ``~/.cache/voc``."""
    env = os.environ.get("VOC_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "voc"


def cache_file(source: Path, name: str, layout: object, suffix: str) -> Path | None:
    """Where what is built from the file ``source`` is kept in the cache folder:
    ``{name}-{hash}{suffix}``, hashed from the file's resolved path, size and
    modification time and the built form's ``layout`` (a new dictionary, an upgraded
    dependency or a new layout gets a new file); None when the file cannot be read."""
    import hashlib

    try:
        st = source.stat()
    except OSError:
        return None
    key = hashlib.sha256(f"{source.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{layout}".encode()).hexdigest()
    return cache_dir() / f"{name}-{key[:16]}{suffix}"


#: A temporary file of :func:`write_atomically` older than this was left by a writer
#: that was killed, and the next writer of the same file removes it.
STALE_TMP_SECONDS = 600


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Make ``path`` through a temporary file in its folder that ``write(tmp_path)``
    fills, then renamed over it: readers see the old file or the new one, never half of
    one. The folder is created; the temporary file is removed when anything fails.

    Raises:
        OSError: the folder or the file cannot be written.
    """
    import tempfile
    import time

    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a writer that was killed
        try:
            if time.time() - stale.stat().st_mtime > STALE_TMP_SECONDS:
                stale.unlink()
        except OSError:
            pass
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(name))
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def prune_cache(folder: Path, pattern: str, keep: int) -> None:
    """Delete all but the ``keep`` most recently written files of ``folder`` matching
    ``pattern`` (cache files named by what they were built from pile up as lexicons,
    dictionaries and installs change). Files that vanish or resist are left alone."""
    def written(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    for stale in sorted(folder.glob(pattern), key=written, reverse=True)[keep:]:
        try:
            stale.unlink()
        except OSError:
            pass


def keep_in_cache(path: Path, write: Callable[[Path], object], pattern: str, keep: int) -> OSError | None:
    """:func:`write_atomically` a cache file, then :func:`prune_cache` its older
    siblings (``pattern``, ``keep``). A cache only saves time, so a folder that cannot
    be written raises nothing: the error is returned, for a caller that tells the user."""
    try:
        write_atomically(path, write)
        prune_cache(path.parent, pattern, keep)
    except OSError as exc:
        return exc
    return None


def compiled(name: str) -> ModuleType | None:
    """The compiled module ``voc.analysis.<name>`` (a Cython extension built at install
    time), or None when it was not built or ``VOC_PURE_PYTHON=1`` asks for the
    pure-Python reference code. Results are the same either way; only speed differs."""
    if os.environ.get("VOC_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        return importlib.import_module(f"voc.analysis.{name}")
    except ImportError:
        return None


def read_model_arrays(path: str | Path, kind: str) -> dict:
    """Every array of a model file (an ``.npz`` archive of plain arrays; nothing is ever
    unpickled). ``kind`` names the model in errors ("sentiment", "topic").

    Raises:
        ModelError: the file is missing, empty, or not such an archive.
    """
    import zipfile

    import numpy as np

    from voc.errors import ModelError

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: model file not found" if not path.exists() else f"{path}: not a file")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not a voc {kind} model (a model file is the .npz archive `voc train` writes)")
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{path}: not a voc {kind} model ({exc})") from None


def model_writer(path: str | Path):
    """The model file opened for writing; ModelError (one line) when it cannot be."""
    from voc.errors import ModelError

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("wb")
    except OSError as exc:
        raise ModelError(f"cannot write the model to {path}: {exc.strerror or exc}") from None
