"""Command-line interface. Each command lives in its own module and registers on ``app``."""

from __future__ import annotations

from voc.cli.app import app
from voc.cli import ingest as _ingest  # noqa: F401  (registers `voc ingest`)
from voc.cli import analyze as _analyze  # noqa: F401
from voc.cli import emerging as _emerging  # noqa: F401
from voc.cli import report as _report  # noqa: F401
from voc.cli import run as _run  # noqa: F401
from voc.cli import evaluate as _evaluate  # noqa: F401  (registers `voc evaluate` and `voc train`)


def main() -> None:
    app()


__all__ = ["app", "main"]
