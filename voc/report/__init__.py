"""NPS-style reports: metrics, driver analysis, routed findings, console/Excel/Markdown.

Public API::

    from voc.report import build_report, ReportOptions
    report = build_report(store, period, lexicons=None, options=ReportOptions())
    report.to_json()                                   # DESIGN.md `report` object
    write_workbook(report, store.records(start, end), "voc-2026-W47.xlsx", lang="zh")
    render_markdown(report, lang="zh")                 # str
    render_console(report, make_console(), lang="zh")

Renderers receive the report (and, for the workbook's data sheet, an iterator of the
period's record rows), never a store. They import XlsxWriter/rich only when first used.
"""

from __future__ import annotations

from typing import Any

from voc.findings.model import Finding, FindingOptions
from voc.findings.routing import Owner, PriorityRule, Router, load_router
from voc.report.build import Report, ReportOptions, build_report
from voc.report.metrics import NpsValue, RatingMapping

_LAZY = {
    "write_workbook": ("voc.report.excel", "write_workbook"),
    "render_markdown": ("voc.report.markdown", "render_markdown"),
    "render_console": ("voc.report.console", "render"),
    "make_console": ("voc.report.console", "make_console"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'voc.report' has no attribute '{name}'")


__all__ = [
    "Finding",
    "FindingOptions",
    "NpsValue",
    "Owner",
    "PriorityRule",
    "RatingMapping",
    "Report",
    "ReportOptions",
    "Router",
    "build_report",
    "load_router",
    "make_console",
    "render_console",
    "render_markdown",
    "write_workbook",
]
