"""Stream tabular files (CSV/TSV, XLSX, JSON array, JSONL) as chunks of raw rows.

Readers never drop a row silently: a row that cannot be read (a CSV line with too
many fields, a JSONL line that is not JSON) comes back as a bad row with a reason,
so the caller can count it as rejected.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from voc.errors import InputError

CHUNK_ROWS = 20_000
TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson"}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class RawChunk:
    """Rows as dicts keyed by the file's own headers, with their 1-based row numbers."""

    rows: list[dict] = field(default_factory=list)
    rownums: list[int] = field(default_factory=list)
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (row, reason, raw)

    def __len__(self) -> int:
        return len(self.rows) + len(self.bad)


# -- encodings ---------------------------------------------------------------------
def detect_encoding(path: Path, sample_size: int = 1 << 16) -> str:
    """UTF-8 (with or without BOM) if the sample decodes strictly, else GB18030 (superset of GBK)."""
    with open(path, "rb") as f:
        sample = f.read(sample_size)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # A sample can end inside a multi-byte character: let the incremental decoder hold it.
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")("strict").decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: neither UTF-8 nor GBK/GB18030 text; pass --encoding if you know it"
        ) from None


def _check_encoding(name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        raise InputError(f"--encoding '{name}' is not a known encoding") from None
    return "gb18030" if name.lower().replace("-", "") in {"gbk", "gb2312"} else name


def open_text(path: Path, encoding: str | None) -> tuple[io.TextIOWrapper, str]:
    enc = _check_encoding(encoding) if encoding else detect_encoding(path)
    return open(path, encoding=enc, errors="strict", newline=""), enc


def decode_error(path: Path, enc: str, e: UnicodeDecodeError) -> InputError:
    alt = "gb18030" if enc.startswith("utf") else "utf-8"
    return InputError(f"{path}: cannot decode as {enc} ({e.reason}); try --encoding {alt}")


# -- CSV / TSV -----------------------------------------------------------------------
def _delimiter(header_line: str, path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def iter_csv(path: Path, encoding: str | None = None, chunk_rows: int = CHUNK_ROWS) -> Iterator[tuple[list[str], RawChunk]]:
    f, enc = open_text(path, encoding)
    with f:
        try:
            first = f.readline()
            if not first.strip():
                raise InputError(f"{path}: empty file (no header row)")
            delim = _delimiter(first, path)
            headers = next(csv.reader([first], delimiter=delim))
            headers = [h.replace("\ufeff", "").strip() for h in headers]
            if len(set(headers)) != len(headers):
                seen: dict[str, int] = {}
                for i, h in enumerate(headers):
                    seen[h] = seen.get(h, 0) + 1
                    if seen[h] > 1:
                        headers[i] = f"{h}.{seen[h] - 1}"
            n = len(headers)
            reader = csv.reader(f, delimiter=delim)
            chunk = RawChunk()
            line_offset = 1  # the header line was read by readline()
            for rec in reader:
                rownum = reader.line_num + line_offset
                if not rec or (len(rec) == 1 and not rec[0].strip()):
                    continue  # blank line: not a row
                if len(rec) != n:
                    if len(rec) < n and all(not v.strip() for v in rec[len(rec):]):
                        rec = rec + [""] * (n - len(rec))
                    if len(rec) != n:
                        chunk.bad.append((rownum, f"expected {n} fields, found {len(rec)}", delim.join(rec)))
                        continue
                chunk.rows.append(dict(zip(headers, rec)))
                chunk.rownums.append(rownum)
                if len(chunk) >= chunk_rows:
                    yield headers, chunk
                    chunk = RawChunk()
            if len(chunk):
                yield headers, chunk
        except UnicodeDecodeError as e:
            raise decode_error(path, enc, e) from None
        except csv.Error as e:
            raise InputError(f"{path}: not a readable CSV ({e})") from None


# -- XLSX ------------------------------------------------------------------------------
def iter_xlsx(path: Path, sheet: str | None = None, chunk_rows: int = CHUNK_ROWS) -> Iterator[tuple[list[str], RawChunk]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise InputError(f"{path}: not a readable XLSX workbook ({e})") from None
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise InputError(f"{path}: no sheet '{sheet}' (sheets: {', '.join(wb.sheetnames)})")
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        headers: list[str] | None = None
        header_row = 0
        chunk = RawChunk()
        for i, values in enumerate(rows, start=1):
            if headers is None:
                if values and any(v is not None and str(v).strip() for v in values):
                    headers = [str(v).strip() if v is not None else f"column{j + 1}" for j, v in enumerate(values)]
                    header_row = i
                continue
            if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            vals = list(values)
            if len(vals) > len(headers):
                if any(v is not None for v in vals[len(headers):]):
                    chunk.bad.append((i, f"values beyond the {len(headers)} header columns", json.dumps([str(v) for v in vals], ensure_ascii=False)))
                    continue
                vals = vals[: len(headers)]
            vals += [None] * (len(headers) - len(vals))
            chunk.rows.append(dict(zip(headers, vals)))
            chunk.rownums.append(i)
            if len(chunk) >= chunk_rows:
                yield headers, chunk
                chunk = RawChunk()
        if headers is None:
            raise InputError(f"{path}: the sheet '{ws.title}' is empty")
        del header_row
        if len(chunk):
            yield headers, chunk
    finally:
        wb.close()


# -- JSON / JSONL ------------------------------------------------------------------------
def _flatten(obj: dict) -> dict:
    out = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                out[f"{k}.{k2}"] = v2 if not isinstance(v2, (dict, list)) else json.dumps(v2, ensure_ascii=False)
        elif isinstance(v, list):
            out[k] = json.dumps(v, ensure_ascii=False)
        else:
            out[k] = v
    return out


def _object_chunks(items: Iterator[tuple[int, object, str | None]], chunk_rows: int) -> Iterator[tuple[list[str], RawChunk]]:
    """Chunks from (row number, parsed object, reject reason or None) triples.

    Objects are flattened one level; the headers are every key seen so far.
    """
    headers: dict[str, None] = {}
    chunk = RawChunk()
    for rownum, obj, problem in items:
        if problem is not None:
            chunk.bad.append((rownum, problem, str(obj)[:2000]))
            continue
        row = _flatten(obj)  # type: ignore[arg-type]
        headers.update(dict.fromkeys(row))
        chunk.rows.append(row)
        chunk.rownums.append(rownum)
        if len(chunk) >= chunk_rows:
            yield list(headers), chunk
            chunk = RawChunk()
    if len(chunk):
        yield list(headers), chunk


def _jsonl_objects(f, path: Path, enc: str) -> Iterator[tuple[int, object, str | None]]:
    try:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield lineno, line.strip(), f"not valid JSON ({e.msg}, column {e.colno})"
                continue
            if not isinstance(obj, dict):
                yield lineno, line.strip(), "a JSON line that is not an object"
                continue
            yield lineno, obj, None
    except UnicodeDecodeError as e:
        raise decode_error(path, enc, e) from None


def iter_jsonl(path: Path, encoding: str | None = None, chunk_rows: int = CHUNK_ROWS) -> Iterator[tuple[list[str], RawChunk]]:
    f, enc = open_text(path, encoding)
    with f:
        yield from _object_chunks(_jsonl_objects(f, path, enc), chunk_rows)


def iter_json(path: Path, encoding: str | None = None, chunk_rows: int = CHUNK_ROWS) -> Iterator[tuple[list[str], RawChunk]]:
    f, enc = open_text(path, encoding)
    with f:
        try:
            data = json.load(f)
        except UnicodeDecodeError as e:
            raise decode_error(path, enc, e) from None
        except json.JSONDecodeError as e:
            # Maybe JSON Lines with a .json name.
            f.seek(0)
            first = f.readline()
            try:
                json.loads(first)
            except json.JSONDecodeError:
                raise InputError(f"{path}: not valid JSON ({e.msg}, line {e.lineno})") from None
            yield from iter_jsonl(path, enc, chunk_rows)
            return
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise InputError(f"{path}: expected a JSON array of records (or an object holding one array)")
        data = lists[0]
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON array of records")
    items = (
        (i, obj, None) if isinstance(obj, dict)
        else (i, json.dumps(obj, ensure_ascii=False), "array element that is not an object")
        for i, obj in enumerate(data, start=1)
    )
    yield from _object_chunks(items, chunk_rows)


def iter_table(path: Path, *, sheet: str | None = None, encoding: str | None = None, chunk_rows: int = CHUNK_ROWS) -> Iterator[tuple[list[str], RawChunk]]:
    """Dispatch on the file suffix; yields (headers, chunk)."""
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv", ".txt"}:
        return iter_csv(path, encoding, chunk_rows)
    if suffix in {".xlsx", ".xlsm"}:
        return iter_xlsx(path, sheet, chunk_rows)
    if suffix in {".jsonl", ".ndjson"}:
        return iter_jsonl(path, encoding, chunk_rows)
    if suffix == ".json":
        return iter_json(path, encoding, chunk_rows)
    if suffix == ".xls":
        raise InputError(f"{path}: old .xls workbooks are not supported; save it as .xlsx or CSV")
    raise InputError(f"{path}: unknown file type '{suffix or path.name}' (expected CSV, TSV, XLSX, JSON or JSONL)")
