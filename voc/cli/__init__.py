"""Command-line interface. Each command lives in its own module and registers on ``app``."""

# ruff: noqa: I001, F401  (imported for their side effect, in the order `voc --help` lists them)
from __future__ import annotations

from voc.cli.app import app
from voc.cli import ingest as _ingest
from voc.cli import analyze as _analyze
from voc.cli import emerging as _emerging
from voc.cli import report as _report
from voc.cli import run as _run
from voc.cli import evaluate as _evaluate  # registers `voc train` and `voc evaluate`


def main() -> None:
    app()


__all__ = ["app", "main"]
