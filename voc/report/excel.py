"""The weekly Excel workbook, written with XlsxWriter in constant memory.

Sheets, for the people who open them (Chinese by default, English with ``lang="en"``):
summary (KPIs with their legend, NPS trend and top-defect charts, this week's key
findings), findings, emerging issues, follow-up, one sheet per owner (each finding in
words with its trend, status and customer quotes beside it, then that owner's customer
words), a details sheet with every statistic for analysts, and the data sheet(s) of the
period's records, capped at ``max_rows`` and split below Excel's row limit.

Every sheet prints one page wide (landscape A4) with its header row repeated on every
page. Every string goes in as text (never a formula; one that starts with ``= + - @``
also gets Excel's quote prefix, so editing it later cannot turn it into one), and URLs
stay text. Sheet names are made valid and unique whatever the owner names.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from voc.report import excel_sheets as sheets
from voc.report.build import Report
from voc.report.files import OutputError, atomic_path
from voc.report.i18n import Labels

EXCEL_MAX_ROWS = 1_048_576
DEFAULT_MAX_ROWS = 100_000
MAX_CELL_CHARS = 32_767
FONT_NAME = "Microsoft YaHei"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
RESERVED_SHEETS = {"history"}

NUMBER_FORMATS = {  # "_ " pads a space on the right, so a number never touches the next cell's text
    "int": "#,##0_ ",
    "pct": "0.0%_ ",
    "change": "+0.0%_ ;-0.0%_ ;0.0%_ ",
    "nps": "+0.0_ ;-0.0_ ;0.0_ ",
    "moe": "0.0_ ",
    "ratio": '0.0"×"_ ',
    "q": "[<0.001]0.0E+00_ ;0.0000_ ",
    "base": "0.0_ ",
    "time": "yyyy-mm-dd hh:mm",
    "score": "0.000_ ",
}


def sheet_name(name: str, taken: set[str], fallback: str = "Sheet") -> str:
    """A valid sheet name for ``name``, unique (case-insensitively) among ``taken``; adds it."""
    clean = _ILLEGAL.sub("", _BAD_SHEET.sub("_", str(name or "")))
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
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value if len(value) <= MAX_CELL_CHARS else value[: MAX_CELL_CHARS - 1] + "…"


def display_width(text: str, wide: float = 2.0, narrow: float = 1.1) -> float:
    """Columns a text takes in a spreadsheet: a wide (CJK) character counts ``wide``,
    any other ``narrow`` (generous defaults, for column widths)."""
    return sum(wide if unicodedata.east_asian_width(ch) in "WF" else narrow for ch in text)


#: The height (points) of a row holding a title: a 14-point line overlaps the row below in
#: a default 15-point row (LibreOffice draws it over the next line).
TITLE_ROW_HEIGHT = 22.0

class Writer:
    """Formats and safe cell writing for one workbook; remembers column widths to fit."""

    def __init__(self, wb: Any, t: Labels):
        self.wb, self.t = wb, t
        base = {"font_name": FONT_NAME, "font_size": 10, "valign": "top"}
        self._formats: dict[tuple, Any] = {}
        self._base = base
        self.widths: dict[int, dict[int, float]] = {}

    def fmt(self, *names: str, **extra: Any) -> Any:
        """A cached format: named number formats and styles (bold, wrap, header, ...)."""
        key = (names, tuple(sorted(extra.items())))
        if key not in self._formats:
            props = dict(self._base)
            for n in names:
                if n in NUMBER_FORMATS:
                    props["num_format"] = NUMBER_FORMATS[n]
                elif n == "bold":
                    props["bold"] = True
                elif n == "wrap":
                    props["text_wrap"] = True
                elif n == "title":
                    props.update(bold=True, font_size=14)
                elif n == "subtitle":
                    props.update(bold=True, font_size=11)
                elif n == "header":
                    props.update(bold=True, bg_color="#DDEBF7", bottom=1, text_wrap=True)
                elif n == "warning":  # a notice the reader must not miss (a thin or unfinished week)
                    props.update(bold=True, font_color="#C00000", text_wrap=False)
                elif n == "note":
                    props.update(italic=True, font_color="#595959", text_wrap=False)
                elif n == "quote":
                    props["quote_prefix"] = True
                elif n in ("left", "center"):
                    props["align"] = n
                elif n == "indent":  # text after a right-aligned number does not touch it
                    props["indent"] = 1
                elif n.startswith("P") and n[1:].isdigit():
                    props.update(PRIORITY_STYLES[n], align="center")
            props.update(extra)
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def _fit(self, ws: Any, col: int, text: str) -> None:
        cols = self.widths.setdefault(id(ws), {})
        widest = max((display_width(line) for line in text.split("\n")), default=0.0)
        if widest > cols.get(col, 0.0):
            cols[col] = widest

    def text(self, ws: Any, row: int, col: int, value: Any, *styles: str, fit: bool = True) -> None:
        """A string cell (never a formula), or nothing for None."""
        if value is None or value == "":
            return
        text = clean_text(str(value))
        if text.startswith(FORMULA_START):
            styles = (*styles, "quote")
        ws.write_string(row, col, text, self.fmt(*styles))
        if "title" in styles:  # a 14-point title needs a taller row than the default 15 points
            ws.set_row(row, TITLE_ROW_HEIGHT)
        if fit:
            self._fit(ws, col, text)

    def merged(self, ws: Any, row: int, first: int, last: int, value: str, *styles: str, **extra: Any) -> None:
        """A string across the columns ``first``..``last`` of one row (a merged cell)."""
        text = clean_text(str(value))
        if text.startswith(FORMULA_START):
            extra["quote_prefix"] = True
        ws.merge_range(row, first, row, last, text, self.fmt(*styles, **extra))

    def number(self, ws: Any, row: int, col: int, value: Any, *styles: str, width: float = 8.0) -> None:
        """A number cell, or nothing for None and what is no finite number."""
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        if value != value or value in (float("inf"), float("-inf")):
            return
        ws.write_number(row, col, value, self.fmt(*styles))
        cols = self.widths.setdefault(id(ws), {})
        cols[col] = max(cols.get(col, 0.0), width)

    def time(self, ws: Any, row: int, col: int, value: str | None, *styles: str) -> None:
        """A 'YYYY-MM-DD HH:MM:SS' time as an Excel date-time (text if it does not parse)."""
        if not value:
            return
        try:
            when = datetime.fromisoformat(value.replace("T", " ")[:19])
        except ValueError:
            self.text(ws, row, col, value)
            return
        ws.write_datetime(row, col, when, self.fmt("time", *styles))
        cols = self.widths.setdefault(id(ws), {})
        cols[col] = max(cols.get(col, 0.0), 17.0)

    def row_height(self, ws: Any, row: int, cells: dict[int, str], widths: dict[int, float]) -> None:
        """Give a row the height its wrapped cells need (spreadsheet programs do not all
        grow rows on opening). Called before the row's cells are written."""
        lines = 1
        for col, text in cells.items():
            width = max(widths.get(col, 10.0) - 1.0, 4.0)
            # in the usual fonts a CJK glyph takes about 1.7-1.8 column units and Latin text about
            # 0.95 (the widths above keep a margin; a row estimated this way is seldom too short)
            need = sum(max(1, -(-int(display_width(part, 1.8, 0.95)) // int(width)))
                       for part in str(text or "").split("\n"))
            lines = max(lines, need)
        if lines > 1:
            ws.set_row(row, 14.0 * lines + 2)

    def header(self, ws: Any, row: int, names: Sequence[str], start: int = 0,
               widths: dict[int, float] | None = None, numbers: Iterable[int] = ()) -> None:
        """A header row; with the sheet's fixed column ``widths``, as tall as its wrapped names need.
        The names over the columns ``numbers`` (offsets in ``names``) are right-aligned, as the
        numbers under them are."""
        if widths:
            self.row_height(ws, row, {start + i: n for i, n in enumerate(names)}, widths)
        right = set(numbers)
        for i, name in enumerate(names):
            ws.write_string(row, start + i, name, self.fmt("header", align="right") if i in right else self.fmt("header"))
            self._fit(ws, start + i, name)

    def fit_columns(self, ws: Any, *, minimum: float = 6.0, maximum: float = 40.0,
                    fixed: dict[int, float] | None = None) -> None:
        """Column widths that fit what was written (``fixed``: widths of wrapped columns)."""
        fixed = fixed or {}
        for col, width in sorted(self.widths.get(id(ws), {}).items()):
            if col not in fixed:
                ws.set_column(col, col, min(max(width + 1.5, minimum), maximum))
        for col, width in fixed.items():
            ws.set_column(col, col, width)

    def page(self, ws: Any, header_row: int | None, *, landscape: bool = True, wide: int = 1) -> None:
        """Print ``wide`` pages wide (one by default), header row repeated, page numbers
        in the footer."""
        if landscape:
            ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.fit_to_pages(wide, 0)
        if header_row is not None:
            ws.repeat_rows(header_row)
        ws.set_footer(f"&L{self.t('title')}&C&A&R{self.t('page_footer')}")


PRIORITY_STYLES = {
    "P0": {"bold": True, "font_color": "#FFFFFF", "bg_color": "#C00000"},
    "P1": {"bold": True, "font_color": "#C00000"},
    "P2": {"font_color": "#9C5700"},
    "P3": {"font_color": "#7F7F7F"},
}


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
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    t = Labels(lang, dict(report.topic_names))
    limit = max_rows or None
    total = report.volume.total
    shown = min(total, limit) if limit else total
    dest = Path(path)
    with atomic_path(dest) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "default_format_properties": {"font_name": FONT_NAME, "font_size": 10},
        })
        w = Writer(wb, t)
        taken: set[str] = set()

        def add(name: str, fallback: str = "Sheet") -> Any:
            return wb.add_worksheet(sheet_name(name, taken, fallback))

        summary = add(t("summary"))
        charts = sheet_name(t("chart_data"), taken)
        sheets.summary(w, summary, report, shown=shown, chart_sheet=charts)
        sheets.findings(w, add(t("findings")), report)
        sheets.emerging(w, add(t("emerging")), report)
        sheets.followup(w, add(t("followup_sheet")), report)
        for owner in report.owners():
            sheets.owner(w, add(owner.name, "Owner"), report, owner)
        sheets.details(w, add(t("details")), report)
        sheets.chart_data(w, wb.add_worksheet(charts), report)
        names = _data_names(t, taken, shown, rows_per_sheet)
        rows = iter(itertools.islice(records, shown))
        written = 0
        for name in names:
            ws = wb.add_worksheet(name)
            written += sheets.data(w, ws, itertools.islice(rows, rows_per_sheet))
        sheet_names = tuple(ws.name for ws in wb.worksheets())
        try:
            wb.close()
        except (FileCreateError, OSError) as e:
            raise OutputError(f"cannot write {dest}: {e}") from None
    return WorkbookInfo(dest, sheet_names, written, total)
