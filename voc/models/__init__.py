"""Models: sentiment classification (and, from other modules, topic tagging)."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

__all__ = ["compiled"]


def compiled(name: str) -> ModuleType | None:
    """The compiled module ``voc.models.<name>`` (a Cython extension built at install
    time), or None when it was not built or ``VOC_PURE_PYTHON=1`` asks for the
    pure-Python reference code. Results are the same either way; only speed differs."""
    if os.environ.get("VOC_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        return importlib.import_module(f"voc.models.{name}")
    except ImportError:
        return None
