"""Stream tabular files (CSV/TSV, XLSX, JSON array, JSONL) as chunks of raw rows.

Readers never drop a row silently: a row that cannot be read (a CSV line with too
many fields, a JSONL line that is not JSON) comes back as a bad row with a reason,
so the caller can count it as rejected.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import sys
from collections import deque
from collections.abc import Callable, Iterator
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
    bad: list[tuple[int, str, str | dict]] = field(default_factory=list)  # (row, reason, raw line or cells by column)
    notes: list[str] = field(default_factory=list)  # what a person should know about the file

    def __len__(self) -> int:
        return len(self.rows) + len(self.bad)


# -- encodings ---------------------------------------------------------------------
def sniff_encoding(sample: bytes) -> str | None:
    """The encoding of a file's first bytes, or None when it is none of those we read.

    A byte-order mark decides (UTF-8, UTF-16: Excel's "Unicode text" export). Without one,
    text with NUL bytes is UTF-16 (ASCII in it, tabs, commas and line ends included, has
    a NUL in every other byte: at odd offsets little-endian, at even ones big-endian; real
    UTF-8 or GBK text has none), then UTF-8 is tried strictly, then GB18030 (a superset of
    GBK and GB2312). A sample may end inside a character: the decoders hold it.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = codecs.getincrementaldecoder(enc)("strict").decode(sample, final=False)
        except UnicodeDecodeError:
            return None
        controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
        if max(even, odd) >= 4 * min(even, odd) + 1 and controls <= len(text) // 100:
            return enc
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(enc)("strict").decode(sample, final=False)
            return enc
        except UnicodeDecodeError:
            continue
    return None


def _binary(sample: bytes) -> bool:
    """Whether a file's first bytes are no text in any encoding we read: control bytes
    (other than tabs and line ends) where a text would have few or none. UTF-16 text,
    whose ASCII has NUL bytes, is text."""
    if sample.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample and sniff_encoding(sample) is not None:
        return False
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0D, 0x0C))
    return controls > max(2, len(sample) // 50)


def sample_text(sample: bytes) -> str:
    """The first bytes of a file as text (best effort, for sniffing its shape)."""
    enc = sniff_encoding(sample) or "utf-8"
    text = codecs.getincrementaldecoder(enc)("replace").decode(sample, final=False)
    return text.lstrip("\ufeff")


#: A damaged export (a byte or two that no encoding reads) is read row by row when at
#: most this share of its first characters is damaged; more is the wrong encoding.
DAMAGED_SHARE = 0.002
#: ... or at most this share of its non-ASCII characters (a short export of Chinese text, where
#: 3 damaged bytes in 500 are more than the first share, but the wrong encoding garbles nearly
#: every Chinese character: GBK read as UTF-8 loses 524 of 569)
DAMAGED_NON_ASCII_SHARE = 0.02
#: Rows with damaged bytes are rejected one by one; more than this many, and more than a
#: tenth of the rows, is no damaged export but the wrong encoding: the file is refused.
MAX_DAMAGED_ROWS = 50
_SURROGATE = re.compile("[\udc80-\udcff]")


def _least_damaged(sample: bytes) -> str | None:
    """UTF-8 or GB18030, whichever reads the sample with fewer damaged characters, if
    that is at most :data:`DAMAGED_SHARE` of them or :data:`DAMAGED_NON_ASCII_SHARE` of
    its non-ASCII ones (a cut or corrupted export)."""
    best = None
    for enc in ("utf-8", "gb18030"):
        text = codecs.getincrementaldecoder(enc)("replace").decode(sample, final=False)
        bad = text.count("\ufffd")
        non_ascii = sum(1 for ch in text if ch > "\x7f")
        if (bad <= max(2, len(text) * DAMAGED_SHARE, non_ascii * DAMAGED_NON_ASCII_SHARE)
                and (best is None or bad < best[0])):
            best = (bad, enc)
    return best[1] if best else None


def detect_encoding(path: Path, sample_size: int = 1 << 16, tolerant: bool = False) -> str:
    """UTF-8 or UTF-16 (with or without BOM), else GB18030 (superset of GBK): see
    :func:`sniff_encoding`. ``tolerant``: a sample with a few damaged bytes takes the
    encoding that reads the rest (:func:`_least_damaged`)."""
    with open(path, "rb") as f:
        sample = f.read(sample_size)
    if _binary(sample):
        raise InputError(f"{path}: binary data, not a text export (CSV, TSV, JSON or a chat transcript)")
    enc = sniff_encoding(sample)
    if enc is None and tolerant:
        enc = _least_damaged(sample)
    if enc is None:
        raise InputError(
            f"{path}: neither UTF-8, UTF-16 nor GBK/GB18030 text; pass --encoding if you know it"
        )
    return enc


def _check_encoding(name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        raise InputError(f"--encoding '{name}' is not a known encoding") from None
    return "gb18030" if name.lower().replace("-", "") in {"gbk", "gb2312"} else name


def open_text(path: Path, encoding: str | None, tolerant: bool = False) -> tuple[io.TextIOWrapper, str]:
    """The file as text. ``tolerant``: bytes the encoding cannot read become lone
    surrogates (the reader rejects the rows that hold them) instead of stopping the file."""
    enc = _check_encoding(encoding) if encoding else detect_encoding(path, tolerant=tolerant)
    return open(path, encoding=enc, errors="surrogateescape" if tolerant else "strict", newline=""), enc


def _damaged(path: Path, enc: str) -> InputError:
    alt = "gb18030" if enc.startswith("utf") else "utf-8"
    return InputError(f"{path}: cannot decode as {enc} (invalid bytes in many rows); try --encoding {alt}")


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


class _Lines:
    """The physical lines of a text file for ``csv.reader``, numbered, with the lines of
    the last record kept (:meth:`take`) and lines that can be handed out again
    (:meth:`again`), so that a record can be read a second time another way."""

    def __init__(self, f, first_number: int):
        self._f = f
        self._next_number = first_number
        self._again: deque[tuple[int, str]] = deque()
        self._taken: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            item = self._again.popleft()
        else:
            item = (self._next_number, next(self._f))
            self._next_number += 1
        self._taken.append(item)
        return item[1]

    def take(self) -> list[tuple[int, str]]:
        taken, self._taken = self._taken, []
        return taken

    def again(self, lines: list[tuple[int, str]]) -> None:
        self._again.extendleft(reversed(lines))


_TYPED = re.compile(r"[\d\s\-/:.+]*")  # numbers, dates, times: what is no free text
TYPED_SAMPLE = 200


class _Shape:
    """Which columns hold typed values (numbers, dates) in the rows read so far: a line
    that a quote swallowed reads as a whole row when it has the file's field count and
    typed values in the typed columns."""

    def __init__(self, n: int):
        self.n = n
        self.seen = 0
        self.typed_counts = [0] * n

    def add(self, rec: list[str]) -> None:
        if self.seen < TYPED_SAMPLE:
            self.seen += 1
            for i, v in enumerate(rec):
                if v.strip() and _TYPED.fullmatch(v):
                    self.typed_counts[i] += 1

    def typed(self) -> list[int]:
        if self.seen < 5:
            return []
        return [i for i, c in enumerate(self.typed_counts) if c >= 0.9 * self.seen]

    def is_row(self, fields: list[str]) -> bool:
        if len(fields) != self.n:
            return False
        typed = self.typed()
        if not typed:
            return self.n >= 3
        return all(_TYPED.fullmatch(fields[i]) for i in typed) and any(fields[i].strip() for i in typed)


def _swallowed(lines: list[tuple[int, str]], delim: str, shape: _Shape) -> bool:
    """Did an unbalanced quote make one record of these lines? Yes when a line after the
    first reads, on its own, as a whole row."""
    if len(lines) < 2 or shape.n < 2:
        return False
    for _, line in lines[1:]:
        fields = next(csv.reader([line.rstrip("\r\n")], delimiter=delim), [])
        if shape.is_row(fields):
            return True
    return False


def _without_quoting(line: str, delim: str, n: int) -> list[str] | None:
    """A line with a stray quote read with quotes as plain characters; its fields with
    the stray quote removed, or None if that does not give ``n`` fields."""
    fields = next(csv.reader([line.rstrip("\r\n")], delimiter=delim, quoting=csv.QUOTE_NONE), [])
    if len(fields) != n:
        return None
    out = []
    for v in fields:
        if v.startswith('"') and v.endswith('"') and len(v) >= 2:
            v = v[1:-1].replace('""', '"')
        elif v.count('"') % 2:  # the stray quote: the first one of a cell it opens, else the last
            at = 0 if v.startswith('"') else v.rindex('"')
            v = v[:at] + v[at + 1 :]
        out.append(v)
    return out


#: How many lines or rows above the header a title may take (京东商品评价导出 2026-11-22, a blank line).
TITLE_ROWS = 10
#: Whether a row is the header a reader looks for (``iter_table``'s ``header_ok``).
HeaderCheck = Callable[[list[str]], bool]


def _title_note(skipped: list[str]) -> str:
    title = next((t.strip() for t in skipped if t.strip()), "")
    return (f"the {len(skipped)} line(s) above the header were skipped as the export's title"
            + (f" ({title[:40]})" if title else ""))


def _header_line(f, path: Path, header_ok: HeaderCheck | None) -> tuple[str, list[str], int, list[str]]:
    """``(header line, lines read after it, its line number, title lines above it)``: the
    first line, or with ``header_ok`` the first of the first :data:`TITLE_ROWS` + 1 lines
    that it takes for the header (an export's title above it is skipped)."""
    first = f.readline()
    if header_ok is None or not first.strip() or header_ok(_split_header(first, path)):
        return first, [], 1, []
    read = [first]
    for _ in range(TITLE_ROWS):
        line = f.readline()
        if not line:
            break
        read.append(line)
        if line.strip() and header_ok(_split_header(line, path)):
            return line, [], len(read), read[:-1]
    return first, read[1:], 1, []


def _split_header(line: str, path: Path) -> list[str]:
    return [h.replace("\ufeff", "").strip() for h in next(csv.reader([line], delimiter=_delimiter(line, path)), [])]


def iter_csv(path: Path, encoding: str | None = None, chunk_rows: int = CHUNK_ROWS,
             header_ok: HeaderCheck | None = None) -> Iterator[tuple[list[str], RawChunk]]:
    """CSV or TSV rows. An unbalanced quote (a cell that opens a quote and never closes
    it, so the reader takes the following lines as part of its text) is detected: the
    line with the stray quote is read with its quote as a plain character (or rejected
    with its line number if it still does not fit), the lines after it are read again as
    rows, and a note says so. With ``header_ok``, a title of a few lines above the header
    is skipped (:func:`_header_line`), and a note says so."""
    f, enc = open_text(path, encoding, tolerant=True)
    with f:
        try:
            first, after, header_number, title = _header_line(f, path, header_ok)
            if not first.strip():
                raise InputError(f"{path}: empty file (no header row)")
            if _SURROGATE.search(first):
                raise _damaged(path, enc)
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
            lines = _Lines(f, first_number=header_number + 1 + len(after))
            lines.again(list(enumerate(after, start=header_number + 1)))  # read while looking for the header
            reader = csv.reader(lines, delimiter=delim)
            shape = _Shape(n)
            chunk = RawChunk()
            if title:
                chunk.notes.append(_title_note(title))
            damaged = good = 0
            for rec in reader:
                taken = lines.take()
                rownum = taken[0][0] if taken else 0
                if any(_SURROGATE.search(t) for _, t in taken):  # a damaged row: rejected, the rest is read
                    damaged += 1
                    if damaged > MAX_DAMAGED_ROWS and damaged * 10 > damaged + good:
                        raise _damaged(path, enc)
                    reason = f"bytes that are not {enc} text (a damaged export?)"
                    if len(rec) == n:  # its cells by column, so that its user and order cells get pseudonyms
                        chunk.bad.append((rownum, reason, {h: c.encode(enc, "surrogateescape").decode(enc, "replace")
                                                           for h, c in zip(headers, rec)}))
                    else:
                        raw = "".join(t for _, t in taken).rstrip("\r\n")
                        chunk.bad.append((rownum, reason, raw.encode(enc, "surrogateescape").decode(enc, "replace")))
                    continue
                good += 1
                if len(taken) > 1 and _swallowed(taken, delim, shape):
                    fixed = _without_quoting(taken[0][1], delim, n)
                    if fixed is None:
                        chunk.bad.append((rownum, "unbalanced quote: the row does not fit the header",
                                          taken[0][1].rstrip("\r\n")))
                    else:
                        chunk.rows.append(dict(zip(headers, fixed)))
                        chunk.rownums.append(rownum)
                    chunk.notes.append(
                        f"line {rownum}: unbalanced quote; the {sum(1 for _, t in taken[1:] if t.strip())} line(s) "
                        "it swallowed were read again as rows"
                    )
                    lines.again(taken[1:])
                    continue
                if not rec or (len(rec) == 1 and not rec[0].strip()):
                    continue  # blank line: not a row
                if len(rec) != n:
                    if len(rec) < n and all(not v.strip() for v in rec[len(rec):]):
                        rec = rec + [""] * (n - len(rec))
                    if len(rec) != n:
                        chunk.bad.append((rownum, f"expected {n} fields, found {len(rec)}", delim.join(rec)))
                        continue
                shape.add(rec)
                chunk.rows.append(dict(zip(headers, rec)))
                chunk.rownums.append(rownum)
                if len(chunk) >= chunk_rows:
                    yield headers, chunk
                    chunk = RawChunk()
            if len(chunk) or chunk.notes:
                yield headers, chunk
        except UnicodeDecodeError as e:
            raise decode_error(path, enc, e) from None
        except csv.Error as e:
            raise InputError(f"{path}: not a readable CSV ({e})") from None


# -- XLSX ------------------------------------------------------------------------------
def _cell(v: object) -> object:
    """A workbook cell as the converters expect it: whole numbers as int (XLSX stores
    every number as a float: a rating of 5 or a 15-digit order number must not read as
    5.0 or 1.2e14), empty cells as None."""
    if v.__class__ is float and v.is_integer() and abs(v) < 2**63:  # type: ignore[union-attr]
        return int(v)  # type: ignore[arg-type]
    if v == "":
        return None
    return v


def _sheet_rows(wb, path: Path, name: str) -> Iterator[tuple[int, list]]:
    """``(row number, values)`` of a sheet's rows, numbered as the sheet numbers them."""
    try:
        ws = wb.get_sheet_by_name(name)
        start = (ws.start or (0, 0))[0]  # 0-based: the first row with a value
        rows = ws.iter_rows()
        head = next(rows, None)
    except Exception as e:  # noqa: BLE001
        raise InputError(f"{path}: cannot read sheet '{name}' ({type(e).__name__}: {e})") from None
    # calamine's iter_rows starts at the sheet's row 1 (its issue #177), padding with empty
    # rows down to the first used one; should it start at the used range, that first row
    # has a value. Either way the row numbers below are the sheet's own.
    first_row = start + 1 if head is not None and start and any(v != "" for v in head) else 1
    return enumerate(itertools.chain([head] if head is not None else [], rows), start=first_row)


def _header_values(values: list) -> list[str]:
    headers = [str(v).strip() if v is not None else f"column{j + 1}" for j, v in enumerate(values)]
    while headers and headers[-1].startswith("column") and values[len(headers) - 1] is None:
        headers.pop()  # trailing empty header cells: the used range, not columns
    return headers


def _filled(values: list) -> bool:
    return any(v is not None and str(v).strip() for v in values)


def _find_header(rows: Iterator[tuple[int, list]], header_ok: HeaderCheck | None) -> tuple[list, int, bool]:
    """``(rows read, index of the header among them or -1, found)``: the first row with a
    value, or with ``header_ok`` the first of the first :data:`TITLE_ROWS` + 1 such rows it
    takes for the header (``found`` False when none: the first row with a value then)."""
    read: list = []
    filled = 0
    for i, raw in rows:
        values = [_cell(v) for v in raw]
        read.append((i, values))
        if not _filled(values):
            continue
        filled += 1
        if header_ok is None or header_ok(_header_values(values)):
            return read, len(read) - 1, True
        if filled > TITLE_ROWS:
            break
    first = next((k for k, (_, v) in enumerate(read) if _filled(v)), -1)
    return read, first, header_ok is None


def iter_xlsx(path: Path, sheet: str | None = None, chunk_rows: int = CHUNK_ROWS,
              header_ok: HeaderCheck | None = None) -> Iterator[tuple[list[str], RawChunk]]:
    """The rows of one sheet (the first unless named), read with calamine (a compiled
    reader, some ten times faster than openpyxl's read-only mode). The first row with a
    value is the header; row numbers are the sheet's own. With ``header_ok``, the header
    is the first row it takes for one within the first rows (a title above it is
    skipped), and, no sheet named, the sheet is the first that has such a row (a workbook
    whose first sheet is a note); a note says so."""
    import python_calamine as calamine

    try:
        wb = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as e:  # noqa: BLE001 - calamine's errors (zip, XML, password ...) share no base class
        raise InputError(f"{path}: not a readable XLSX workbook ({type(e).__name__}: {e})") from None
    try:
        names = list(wb.sheet_names)
        if sheet is not None and sheet not in names:
            raise InputError(f"{path}: no sheet '{sheet}' (sheets: {', '.join(names)})")
        if not names:
            raise InputError(f"{path}: the workbook has no sheet")
        candidates = [sheet] if sheet is not None else names
        chosen = None
        for name in candidates:
            rows = _sheet_rows(wb, path, name)
            read, at, found = _find_header(rows, header_ok)
            if chosen is None or found:
                chosen = (name, rows, read, at)
            if found:
                break
        name, rows, read, at = chosen  # type: ignore[misc]
        headers: list[str] | None = _header_values(read[at][1]) if at >= 0 else None
        chunk = RawChunk()
        if name != candidates[0]:
            chunk.notes.append(f"read the sheet '{name}': the one before it holds no header with the columns looked for")
        title = [" ".join(str(v) for v in values if v is not None) for _, values in read[:at] if _filled(values)]
        if title:
            chunk.notes.append(_title_note(title))
        for i, values in itertools.chain(read[at + 1:] if at >= 0 else [], ((i, [_cell(v) for v in raw]) for i, raw in rows)):
            if headers is None:
                if _filled(values):
                    headers = _header_values(values)
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(values) > len(headers):
                if any(v is not None for v in values[len(headers):]):
                    chunk.bad.append((i, f"values beyond the {len(headers)} header columns",
                                      json.dumps([str(v) for v in values], ensure_ascii=False)))
                    continue
                values = values[: len(headers)]
            values += [None] * (len(headers) - len(values))
            chunk.rows.append(dict(zip(headers, values)))
            chunk.rownums.append(i)
            if len(chunk) >= chunk_rows:
                yield headers, chunk
                chunk = RawChunk()
        if headers is None:
            raise InputError(f"{path}: the sheet '{name}' is empty")
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


def iter_table(path: Path, *, sheet: str | None = None, encoding: str | None = None, chunk_rows: int = CHUNK_ROWS,
               header_ok: HeaderCheck | None = None) -> Iterator[tuple[list[str], RawChunk]]:
    """Dispatch on the file suffix; yields (headers, chunk). ``header_ok`` (CSV, TSV and
    XLSX) says which row is the header when an export puts a title above it, and which
    sheet of a workbook holds the data."""
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv", ".txt"}:
        return iter_csv(path, encoding, chunk_rows, header_ok)
    if suffix in {".xlsx", ".xlsm"}:
        return iter_xlsx(path, sheet, chunk_rows, header_ok)
    if suffix in {".jsonl", ".ndjson"}:
        return iter_jsonl(path, encoding, chunk_rows)
    if suffix == ".json":
        return iter_json(path, encoding, chunk_rows)
    if suffix == ".xls":
        raise InputError(f"{path}: old .xls workbooks are not supported; save it as .xlsx or CSV")
    raise InputError(f"{path}: unknown file type '{suffix or path.name}' (expected CSV, TSV, XLSX, JSON or JSONL)")
