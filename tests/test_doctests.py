"""The examples in our docstrings run and say what they show."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "voc"
MODULES = sorted(
    ".".join(p.relative_to(ROOT.parent).with_suffix("").parts)
    for p in ROOT.rglob("*.py")
    if ">>> " in p.read_text(encoding="utf-8")
)


def test_there_are_examples():
    assert "voc.analysis.products" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
