"""The workbook's data sheets, streamed as XML (about 10x faster than cell objects).

openpyxl builds a Python object per cell, about 5,000 rows a second for our twelve
columns; a weekly data sheet of 100,000 records would take longer than the rest of
the report. So the data sheets are created by openpyxl with their header, frozen
pane, widths and filter, and after saving, their ``<sheetData>`` is completed here by
writing the rows' XML straight into the zip.

The XML follows what openpyxl writes: every string is an inline string (``t="inlineStr"``,
never a formula), one that starts with ``= + - @`` also gets a style with Excel's quote
prefix; times are Excel serial numbers with a date-time style; the style ids come from
the workbook's own style table.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

EXCEL_EPOCH = date(1899, 12, 30).toordinal()
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


@dataclass
class DataSheets:
    """The data sheets of one workbook and the styles their rows use."""

    sheets: list[tuple[Any, int]]  # (worksheet, rows it will hold)
    date_style: int
    quote_style: int
    n_columns: int


def prepare(w: Any, wb: Any, names: Sequence[str], headers: Sequence[str], widths: Sequence[float],
            rows: int, rows_per_sheet: int) -> DataSheets:  # fmt: skip
    """Create the data sheets (header, freeze, widths, filter) for ``rows`` rows."""
    n_sheets = max(1, math.ceil(rows / rows_per_sheet))
    sheets = []
    for k in range(n_sheets):
        ws = wb.create_sheet(names[k])
        n = min(rows_per_sheet, rows - k * rows_per_sheet) if rows else 0
        ws.freeze_panes = "A2"
        w.widths(ws, widths)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{n + 1}"
        w.header(ws, headers)
        sheets.append((ws, n))
    probe = sheets[0][0]
    date_cell, quote_cell = WriteOnlyCell(probe), WriteOnlyCell(probe)
    date_cell.number_format = DATETIME_FORMAT
    quote_cell.quotePrefix = True
    return DataSheets(sheets, date_cell.style_id, quote_cell.style_id, len(headers))


def _serial(ts: str) -> float | None:
    """'YYYY-MM-DD HH:MM:SS' -> Excel serial day number (1900 date system)."""
    try:
        days = date.fromisoformat(ts[:10]).toordinal() - EXCEL_EPOCH
        h, m, s = (int(x) for x in (ts[11:13] or 0, ts[14:16] or 0, ts[17:19] or 0))
    except ValueError:
        return None
    return days + (h * 3600 + m * 60 + s) / 86400


def row_xml(r: int, values: Sequence[Any], cols: Sequence[str], data: DataSheets, clean: Any, risky: tuple[str, ...],
            time_column: int = 1) -> str:  # fmt: skip
    """One ``<row>`` element."""
    parts = [f'<row r="{r}">']
    for i, v in enumerate(values):
        if v is None:
            continue
        ref = f"{cols[i]}{r}"
        if i == time_column and isinstance(v, str) and (serial := _serial(v)) is not None:
            parts.append(f'<c r="{ref}" s="{data.date_style}"><v>{serial!r}</v></c>')
        elif isinstance(v, str):
            text = clean(v)
            style = f' s="{data.quote_style}"' if text.startswith(risky) else ""
            space = ' xml:space="preserve"' if text != text.strip() else ""
            parts.append(
                f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{escape(text)}</t></is></c>'
            )
        elif isinstance(v, bool):
            parts.append(f'<c r="{ref}" t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, (int, float)) and math.isfinite(v):
            parts.append(f'<c r="{ref}"><v>{v!r}</v></c>')
    parts.append("</row>")
    return "".join(parts)


def splice(base: Path, dest: Path, data: DataSheets, rows: Iterable[Sequence[Any]], clean: Any,
           risky: tuple[str, ...]) -> int:  # fmt: skip
    """Copy the workbook ``base`` to ``dest``, filling the data sheets with ``rows``; returns rows written."""
    paths = {ws.path.lstrip("/"): n for ws, n in data.sheets}
    cols = [get_column_letter(i) for i in range(1, data.n_columns + 1)]
    source: Iterator[Sequence[Any]] = iter(rows)
    written = 0
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename not in paths:
                zout.writestr(item, zin.read(item.filename))
                continue
            head, tail = zin.read(item.filename).decode("utf-8").split("</sheetData>", 1)
            with zout.open(item.filename, "w", force_zip64=True) as out:
                out.write(head.encode("utf-8"))
                buf: list[str] = []
                for r in range(2, paths[item.filename] + 2):
                    values = next(source, None)
                    if values is None:
                        break
                    buf.append(row_xml(r, values, cols, data, clean, risky))
                    written += 1
                    if len(buf) >= 2000:
                        out.write("".join(buf).encode("utf-8"))
                        buf = []
                out.write(("".join(buf) + "</sheetData>" + tail).encode("utf-8"))
    return written


DATA_COLUMNS = (
    "id", "created_at", "record_kind", "channel", "product", "rating", "nps_score",
    "sentiment_label", "score", "topic", "safety", "text",
)  # fmt: skip
