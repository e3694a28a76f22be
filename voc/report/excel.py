"""The weekly Excel workbook (openpyxl, write-only: memory stays flat however many rows).

Sheets: summary (KPIs, NPS trend line chart, top topics bar chart, notes), NPS detail
(by product and channel), topics, emerging issues, findings, last month's findings,
one sheet per owner (their findings and example quotes), and the data sheet(s) of
analysed records with autofilter, capped at ``max_rows`` and split into several
sheets below Excel's 1,048,576-row limit.

Safety: every string goes in as a text cell (``data_type 's'``), and one that starts
with ``= + - @`` also gets Excel's quote prefix, so a review like
``=HYPERLINK(...)`` can never become a formula. Sheet names are made valid (<= 31
characters, none of ``[]:*?/\\``, not ``History``) and unique whatever the owner names.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList

from voc.report import excel_data
from voc.report import excel_sheets as sheets
from voc.report.build import Report
from voc.report.files import atomic_path
from voc.report.i18n import Labels

EXCEL_MAX_ROWS = 1_048_576
DEFAULT_MAX_ROWS = 100_000
MAX_CELL_CHARS = 32_767
FONT_NAME = "Microsoft YaHei"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEETS = {"history"}


def sheet_name(name: str, taken: set[str], fallback: str = "Sheet") -> str:
    """A valid sheet name for ``name``, unique (case-insensitively) among ``taken``; adds it."""
    clean = ILLEGAL_CHARACTERS_RE.sub("", _BAD_SHEET.sub("_", str(name or "")))
    clean = " ".join(clean.split()).strip("'").strip() or fallback
    base = clean[:31].rstrip().strip("'") or fallback
    candidate, k = base, 1
    while candidate.casefold() in taken or candidate.casefold() in RESERVED_SHEETS:
        k += 1
        suffix = f" ({k})"
        candidate = base[: 31 - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


def clean_text(value: str) -> str:
    """Strip characters XML cannot hold and cut to Excel's cell limit."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= MAX_CELL_CHARS else value[: MAX_CELL_CHARS - 1] + "…"


class Writer:
    """Shared styles and safe cell construction for one write-only workbook."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.font = Font(name=FONT_NAME, size=10)
        self.bold = Font(name=FONT_NAME, size=10, bold=True)
        self.title = Font(name=FONT_NAME, size=14, bold=True)
        self.header_fill = PatternFill("solid", fgColor="DDEBF7")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        # Unstyled cells use font 0: make it the CJK font (openpyxl has no public API for it).
        wb._fonts = IndexedList([Font(name=FONT_NAME, size=10, family=2)])

    def cell(self, ws: Any, value: Any, *, fmt: str | None = None, font: Font | None = None,
             wrap: bool = False, fill: PatternFill | None = None) -> Any:  # fmt: skip
        """A cell holding ``value``; strings always as text, never as formulas."""
        if isinstance(value, str):
            text = clean_text(value)
            c = WriteOnlyCell(ws)
            c._value = text
            c.data_type = "s"
            if text.startswith(FORMULA_START):
                c.quotePrefix = True
        else:
            c = WriteOnlyCell(ws, value=value)
        if fmt:
            c.number_format = fmt
        if font is not None:
            c.font = font
        if wrap:
            c.alignment = self.wrap
        if fill is not None:
            c.fill = fill
        return c

    def row(self, ws: Any, values: Sequence[Any], fmts: Sequence[str | None] | None = None) -> None:
        """Append a row: risky strings become explicit text cells, others get the column's format.

        openpyxl stores a plain string as text unless it starts with ``=``; only strings
        that could be read as a formula need a cell object of their own (which is slow).
        """
        out = []
        for i, v in enumerate(values):
            fmt = fmts[i] if fmts and i < len(fmts) else None
            if v is None:
                out.append(None)
            elif isinstance(v, str):
                text = clean_text(v)
                out.append(
                    self.cell(ws, text, fmt=fmt) if fmt or text.startswith(FORMULA_START) else text
                )
            elif fmt:
                out.append(self.cell(ws, v, fmt=fmt))
            else:
                out.append(v)
        ws.append(out)

    def header(self, ws: Any, names: Iterable[str]) -> None:
        ws.append([self.cell(ws, n, font=self.bold, fill=self.header_fill) for n in names])

    def title_row(self, ws: Any, text: str) -> None:
        ws.append([self.cell(ws, text, font=self.title)])

    @staticmethod
    def widths(ws: Any, widths: Sequence[float]) -> None:
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w


@dataclass(frozen=True)
class WorkbookInfo:
    """What was written."""

    path: Path
    sheets: tuple[str, ...]
    data_rows: int
    data_total: int

    @property
    def capped(self) -> bool:
        return self.data_rows < self.data_total


def _line_chart(ws: Any, t: Labels, header_row: int, n: int) -> LineChart:
    chart = LineChart()
    chart.title = t("nps_trend")
    chart.y_axis.title = "NPS"
    chart.x_axis.title = t("week")
    chart.height, chart.width = 7.5, 16
    data = Reference(ws, min_col=2, max_col=4, min_row=header_row, max_row=header_row + n)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + n))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _bar_chart(ws: Any, t: Labels, header_row: int, n: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.title = t("top_topics")
    chart.height, chart.width = 7.5, 16
    chart.legend = None
    data = Reference(ws, min_col=2, max_col=2, min_row=header_row, max_row=header_row + n)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + n))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


DATA_WIDTHS = (14, 19, 8, 12, 16, 6, 8, 10, 10, 24, 6, 80)


def _data_names(t: Labels, taken: set[str], rows: int, rows_per_sheet: int) -> list[str]:
    n = max(1, -(-rows // rows_per_sheet))
    return [sheet_name(t("data") if k == 0 else f"{t('data')} {k + 1}", taken) for k in range(n)]


def write_workbook(
    report: Report,
    records: Iterable[Sequence[Any]],
    path: str | Path,
    *,
    lang: str = "zh",
    max_rows: int | None = DEFAULT_MAX_ROWS,
    rows_per_sheet: int = EXCEL_MAX_ROWS - 1,
) -> WorkbookInfo:
    """Write the workbook to ``path`` (atomically). ``records`` are the period's records
    with their analysis (``Store.records``: :class:`voc.store.rows.RecordRow`), in data
    sheet order; ``max_rows`` caps the data sheet(s) (``None`` or 0: every record); each
    data sheet holds at most ``rows_per_sheet`` rows."""
    t = Labels(lang, dict(report.topic_names))
    limit = max_rows or None
    wb = Workbook(write_only=True)
    w = Writer(wb)
    taken: set[str] = set()
    total = report.volume.total
    shown = min(total, limit) if limit else total
    summary = wb.create_sheet(sheet_name(t("summary"), taken))
    trend_row, topics_row, n_topics = sheets.summary(w, summary, report, t, shown=shown)
    summary.add_chart(_line_chart(summary, t, trend_row, len(report.trend)), "J2")
    if n_topics:
        summary.add_chart(_bar_chart(summary, t, topics_row, n_topics), "J18")
    sheets.nps_detail(w, wb.create_sheet(sheet_name(t("nps_detail"), taken)), report, t)
    sheets.topics(w, wb.create_sheet(sheet_name(t("topics"), taken)), report, t)
    sheets.emerging(w, wb.create_sheet(sheet_name(t("emerging"), taken)), report, t)
    sheets.findings(
        w, wb.create_sheet(sheet_name(t("findings"), taken)), report, t, report.findings
    )
    sheets.followup(w, wb.create_sheet(sheet_name(t("followup_sheet"), taken)), report, t)
    for owner in report.owners():
        ws = wb.create_sheet(sheet_name(owner.name, taken, fallback="Owner"))
        sheets.owner(w, ws, report, t, owner)
    headers = [t(c) for c in excel_data.DATA_COLUMNS]
    data = excel_data.prepare(w, wb, _data_names(t, taken, shown, rows_per_sheet), headers, DATA_WIDTHS,
                              shown, rows_per_sheet)  # fmt: skip
    kinds = {"review": t("reviews"), "ticket": t("tickets")}
    rows = (
        (r[0], r[1], kinds.get(r[2], r[2]), *r[3:])
        for r in itertools.islice(records, shown)
    )
    dest = Path(path)
    with atomic_path(dest) as tmp:
        base = tmp.with_name(tmp.name + ".base")
        try:
            wb.save(base)
            written = excel_data.splice(base, tmp, data, rows, clean_text, FORMULA_START)
        finally:
            base.unlink(missing_ok=True)
    return WorkbookInfo(dest, tuple(ws.title for ws in wb.worksheets), written, total)
