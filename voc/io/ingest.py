"""`voc ingest`: load review files and ticket transcripts into the store.

Each file is one batch in one transaction: a file that fails half-way (bad bytes,
Ctrl-C, a crash) leaves the store as it was before that file, and the files
before it stay ingested. Every row read is stored, a duplicate, rejected (with a
reason) or filtered, and the counts add up.
"""

from __future__ import annotations

import csv
import json
import multiprocessing as mp
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from queue import Empty, Full

from voc.errors import InputError
from voc.io.columns import map_columns
from voc.io.pii import personal_column
from voc.io.readers import TABLE_SUFFIXES, iter_table
from voc.io.reviews import (
    DUPLICATE,
    FILTERED,
    REJECTED,
    STORED,
    ReviewRowConverter,
    RowOutcome,
    side_cell,
)
from voc.lexicon import Lexicons
from voc.store import IngestBatch, Store

KINDS = ("auto", "reviews", "tickets")
PARALLEL_MIN_BYTES = 4 << 20  # files at least this big are converted in a helper process
SKIP_SUFFIXES = {".md", ".py", ".pyc", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".sh", ".log", ".db", ".zip", ".gz"}
_CHANNEL_HINTS = (
    (re.compile(r"jd|jingdong|京东", re.I), "京东"),
    (re.compile(r"tmall|天猫", re.I), "天猫"),
    (re.compile(r"taobao|淘宝", re.I), "淘宝"),
    (re.compile(r"pdd|pinduoduo|拼多多", re.I), "拼多多"),
    (re.compile(r"douyin|抖音", re.I), "抖音"),
    (re.compile(r"app|官方", re.I), "官方App"),
    (re.compile(r"call|phone|电话|热线", re.I), "电话"),
    (re.compile(r"chat|im|在线", re.I), "在线客服"),
)


@dataclass
class FileResult:
    file: str
    kind: str
    encoding: str | None = None
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    filtered: int = 0
    records: int = 0  # records written (a review with a follow-up writes two)
    batch_id: int | None = None
    warnings: list[str] = field(default_factory=list)  # what was wrong with the file and how it was read

    def add(self, status: str, n: int = 1) -> None:
        setattr(self, status, getattr(self, status) + n)
        self.read += n

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("batch_id")
        return d


@dataclass
class IngestResult:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # about the paths given (a folder with no data file)

    def total(self, key: str) -> int:
        return sum(getattr(f, key) for f in self.files)

    def to_json(self) -> dict:
        out = {k: self.total(k) for k in ("read", "stored", "duplicates", "rejected", "filtered", "records")}
        out["files"] = [f.to_json() for f in self.files]
        if self.skipped:
            out["skipped"] = self.skipped
        if self.error:
            out["error"] = self.error
        if self.warnings:
            out["warnings"] = self.warnings
        return out


class IngestError(InputError):
    """Files that could not be read; ``partial`` holds what the other files gave (they
    are ingested: one bad export does not hold back the rest)."""

    def __init__(self, message: str, partial: IngestResult):
        super().__init__(message)
        self.partial = partial


# -- helpers -------------------------------------------------------------------------
def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[str], list[str]]:
    """Files to ingest (folders walked in name order), files skipped in folders (not a
    data file, an empty file, or an office program's lock file: ``~$评价.xlsx``, which Excel
    leaves beside a workbook it has open), and the paths that name nothing, each as its error
    (a file that cannot be read, as a typo makes one, holds back no other)."""
    files: list[Path] = []
    skipped: list[str] = []
    missing: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.name.startswith("~$"):
                    skipped.append(f"{f} (a lock file of an open workbook)")
                elif f.suffix.lower() in TABLE_SUFFIXES and f.name.lower() not in {"readme.txt"}:
                    if f.stat().st_size == 0:
                        skipped.append(f"{f} (empty)")
                    else:
                        files.append(f)
                else:
                    skipped.append(f"{f} (not a data file)")
        elif p.is_file():
            files.append(p)
        else:
            missing.append(f"{p}: no such file or folder")
    return files, skipped, missing


def _under(f: Path, folder: Path) -> bool:
    return folder == f.parent or folder in f.parents


def channel_from_name(path: Path) -> str:
    for pattern, name in _CHANNEL_HINTS:
        if pattern.search(path.stem):
            return name
    return path.stem


@lru_cache(maxsize=4)
def _mask_fn() -> Callable[[str], str]:
    from voc.io.pii import mask

    return mask


@lru_cache(maxsize=8)
def _product_matcher(lexicons: Lexicons | None):
    from voc.analysis.products import ProductMatcher

    return ProductMatcher.from_lexicons(lexicons)


@lru_cache(maxsize=8)
def product_normalizer(lexicons: Lexicons | None) -> Callable[[str], str]:
    """ProductMatcher.normalize, loaded once per lexicon folder and cached per name."""
    return lru_cache(maxsize=100_000)(_product_matcher(lexicons).normalize)


def detect_kind(path: Path, encoding: str | None) -> str:
    """reviews or tickets, from the file's shape."""
    from voc.io.tickets import detect_ticket_file

    suffix = path.suffix.lower()
    with open(path, "rb") as f:
        sample = f.read(1 << 16)
    if suffix in {".xlsx", ".xlsm"}:
        return "reviews"
    if detect_ticket_file(path, sample):
        return "tickets"
    if suffix == ".txt":
        # A delimited .txt whose header names a review text column is a review export.
        from voc.io.columns import map_columns
        from voc.io.tickets import _sample_text

        first = _sample_text(sample).splitlines()[:1]
        if first and any(d in first[0] for d in "\t,") and "text" in map_columns(
            [h.strip() for h in first[0].replace("\t", ",").split(",")]
        ):
            return "reviews"
        return "tickets"
    return "reviews"


# -- the store side ------------------------------------------------------------------
# A converted chunk, in a form that crosses a process boundary cheaply: the records, how
# many records each stored-or-duplicate row produced, (record index, parent review id)
# links for follow-ups, the dropped rows as (status, row, reason, raw), and the reader's
# notes on the file.
Packed = tuple[list[tuple], list[int], list[tuple[int, str]], list[tuple[str, int, str, str]], list[str]]


def pack(outcomes: list[RowOutcome], notes: list[str] | None = None) -> Packed:
    records: list[tuple] = []
    spans: list[int] = []
    links: list[tuple[int, str]] = []
    dropped: list[tuple[str, int, str, str]] = []
    for o in outcomes:
        if not o.records:
            dropped.append((o.status, o.rownum, o.reason, o.raw))
            continue
        if o.parent_ext:
            links.append((len(records), o.parent_ext))
        records.extend(o.records)
        spans.append(len(o.records))
    return records, spans, links, dropped, list(notes or ())


class _BatchWriter:
    """Dedup against the store and this batch, then insert; counts per row."""

    def __init__(self, batch: IngestBatch, result: FileResult):
        self.batch = batch
        self.result = result
        self.last_inserted: set[str] = set()
        self.undated = 0  # records without a date: dated at the end (date_undated)
        self.latest: str | None = None  # the latest date of the file's records

    def write(self, packed: Packed, *, track: bool = False) -> list[tuple[str, str]]:
        """Insert the new records of a packed chunk; returns (record_id, parent_ext) links to resolve.

        Rows that made one record and need no link (nearly all reviews) take the fast
        path: insert what is new, counting what the store inserted. The others
        (follow-ups, links, and every ticket when ``track`` asks for the inserted ids)
        are checked against the store first.
        """
        records, spans, links_at, dropped, notes = packed
        res = self.result
        res.warnings.extend(notes)
        linked = {i for i, _ in links_at}
        simple: list[tuple] = []
        rest_records: list[tuple] = []
        rest_spans: list[int] = []
        pos = 0
        for n in spans:
            if n == 1 and not track and pos not in linked:
                simple.append(records[pos])
            else:
                rest_records.extend(records[pos : pos + n])
                rest_spans.append(n)
            pos += n
        for r in records:
            when = r[5]
            if when is None:
                self.undated += 1
            elif self.latest is None or when > self.latest:
                self.latest = when
        if simple:
            inserted = self.batch.insert_new(simple)
            res.add(STORED, inserted)
            res.add(DUPLICATE, len(simple) - inserted)
            res.records += inserted
        seen = self.batch.existing([r[0] for r in rest_records])
        new: list[tuple] = []
        pos = 0
        for n in rest_spans:
            fresh = [r for r in rest_records[pos : pos + n] if r[0] not in seen]
            pos += n
            if fresh:
                res.add(STORED)
                for r in fresh:
                    seen.add(r[0])
                new.extend(fresh)
            else:
                res.add(DUPLICATE)
        self.last_inserted = {r[0] for r in new}
        if new:
            self.batch.insert(new)
            res.records += len(new)
        if dropped:
            for status, *_ in dropped:
                res.add(status)
            self.batch.insert_dropped([(st, res.file, row, reason, raw) for st, row, reason, raw in dropped])
        return [(records[i][0], ext) for i, ext in links_at if records[i][0] in self.last_inserted]


# -- one file ------------------------------------------------------------------------
@dataclass(frozen=True)
class IngestOptions:
    kind: str = "auto"
    channel: str | None = None
    mapping: dict = field(default_factory=dict)
    encoding: str | None = None
    sheet: str | None = None
    lexicons: Lexicons | None = None


def _review_outcomes(path: Path, source_file: str, batch_id: int, opts: IngestOptions) -> Iterator[Packed]:
    """Read and convert a review file chunk by chunk (no store access: runs in a helper process)."""
    mask = _mask_fn()
    normalize = product_normalizer(opts.lexicons)
    converter: ReviewRowConverter | None = None
    converter_headers: list[str] = []
    def has_text(headers: list[str]) -> bool:  # the header row, below a title the export may have
        try:
            return "text" in map_columns(headers, opts.mapping)
        except InputError:
            return False

    for headers, chunk in iter_table(path, sheet=opts.sheet, encoding=opts.encoding, header_ok=has_text):
        if converter is None or headers != converter_headers:
            converter_headers = headers
            converter = ReviewRowConverter(
                headers, overrides=opts.mapping, channel=opts.channel, file_channel=channel_from_name(path),
                source_file=source_file, batch_id=batch_id, mask=mask, normalize_product=normalize,
            )
            if "text" not in converter.mapping:
                raise InputError(
                    f"{path}: no review text column among {', '.join(map(str, headers[:12]))}; "
                    "use --map text=COLUMN (or --kind tickets for transcripts)"
                )
            if not {"rating", "nps_score", "csat"} & converter.mapping.keys():
                # a user who expects the star-rating NPS proxy learns now, not from an empty report row
                chunk.notes.append(
                    f"no rating or score column among {', '.join(map(str, headers[:12]))}: the star-rating NPS proxy "
                    "leaves these reviews out (the sentiment proxy counts them); use --map rating=COLUMN if one holds stars")
        out = [RowOutcome(rownum, [], REJECTED, reason, converter.raw_json(raw) if isinstance(raw, dict) else mask(raw))
               for rownum, reason, raw in chunk.bad]
        out.extend(converter.convert(row, n) for row, n in zip(chunk.rows, chunk.rownums))
        yield pack(out, chunk.notes)


def _produce(queue, parent: int, *args) -> None:
    """Helper-process side: push converted chunks, then None; an exception is pushed as such.

    If the parent dies (kill -9), nothing reads the queue any more: exit instead of
    waiting on it forever.
    """

    def put(item) -> None:
        while True:
            try:
                queue.put(item, timeout=1)
                return
            except Full:
                if os.getppid() != parent:
                    os._exit(1)

    try:
        for outcomes in _review_outcomes(*args):
            put(outcomes)
        put(None)
    except BaseException as e:  # noqa: BLE001 - handed to the parent, which re-raises it
        try:
            put(e)
        except Exception:  # an exception that does not pickle
            put(InputError(f"{args[0]}: {type(e).__name__}: {e}"))


def _in_helper_process(*args) -> Iterator[Packed]:
    """Convert in a forked process while this one writes: both cores busy on big files."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue(maxsize=3)
    proc = ctx.Process(target=_produce, args=(queue, os.getpid(), *args), daemon=True)
    proc.start()
    try:
        while True:
            try:
                item = queue.get(timeout=5)
            except Empty:
                if not proc.is_alive():
                    raise InputError(f"{args[0]}: the reader process died (exit code {proc.exitcode})") from None
                continue
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()


def _ingest_reviews(batch: IngestBatch, path: Path, res: FileResult, opts: IngestOptions) -> None:
    writer = _BatchWriter(batch, res)
    links: list[tuple[str, str]] = []
    args = (path, res.file, res.batch_id, opts)
    # an XLSX file is compressed text: a quarter of a CSV's size holds as many rows
    min_bytes = PARALLEL_MIN_BYTES // 4 if path.suffix.lower() in {".xlsx", ".xlsm"} else PARALLEL_MIN_BYTES
    parallel = "fork" in mp.get_all_start_methods() and path.stat().st_size >= min_bytes
    if parallel:
        _mask_fn(), product_normalizer(opts.lexicons)  # load once, before the fork
    for outcomes in (_in_helper_process(*args) if parallel else _review_outcomes(*args)):
        links.extend(writer.write(outcomes))
    batch.link_followups(links)
    _date_undated(batch, res, writer)


def _date_undated(batch: IngestBatch, res: FileResult, writer: _BatchWriter) -> None:
    """Date the file's records that have none, so that a report places them (an undated
    safety report would be in no week's alert): the latest date among the file's other
    records (the export's own period), else the time of the ingest; and say so."""
    if not writer.undated:
        return
    if writer.latest is not None:
        when, why = writer.latest, "the latest date in the file"
    else:
        from voc.period import CST

        when, why = datetime.now(CST).strftime("%Y-%m-%d %H:%M:%S"), "the time they were ingested"
    n = batch.date_undated(when)
    if n:
        res.warnings.append(f"{n} record(s) have no date: dated {when}, {why}, so that reports place them "
                            "(map a date column with --map created_at=COLUMN)")


def _ingest_tickets(batch: IngestBatch, path: Path, res: FileResult, opts: IngestOptions) -> None:
    from voc.io.reviews import dedup_text, record_id
    from voc.io.tickets import CUSTOMER, Ticket, customer_text, is_customer_words, read_tickets

    mask = _mask_fn()
    normalize = product_normalizer(opts.lexicons)
    find_products = _product_matcher(opts.lexicons).find
    writer = _BatchWriter(batch, res)
    file_channel = channel_from_name(path)
    pending: list[tuple[RowOutcome, list[tuple]]] = []
    no_agent: list[str] = []
    no_customer: list[str] = []
    unsure: list[str] = []

    def flush() -> None:
        if not pending:
            return
        writer.write(pack([o for o, _ in pending]), track=True)
        batch.insert_turns([t for _, ts in pending for t in ts if t[0] in writer.last_inserted])
        pending.clear()

    for item in read_tickets(path, encoding=opts.encoding):
        if not isinstance(item, Ticket):
            pending.append((RowOutcome(item.source_row, [], REJECTED, item.reason, mask(item.raw)), []))
            continue
        masked_turns = [(t.seq, t.speaker, mask(t.text), t.created_at, 1 if is_customer_words(t) else 0) for t in item.turns]
        text = mask(customer_text(item.turns))
        raw = json.dumps({"ticket": item.external_id, "turns": len(item.turns)}, ensure_ascii=False)
        if not text:
            if not any(t.speaker == CUSTOMER for t in item.turns):  # keep what was said, masked, for a person
                no_customer.append(str(item.external_id or item.source_row))
                said = "\n".join(f"{t[1]}: {t[2]}" for t in masked_turns)[:2000]
                raw = json.dumps({"ticket": item.external_id, "turns": len(item.turns), "text": said},
                                 ensure_ascii=False)
            pending.append((RowOutcome(item.source_row, [], FILTERED, "no customer words in the transcript", raw), []))
            continue
        signature = dedup_text("\n".join(t[2] for t in masked_turns))
        rid = record_id("t", "ticket", item.external_id, signature)
        created = item.created_at or next((t.created_at for t in item.turns if t.created_at), None)
        product_raw = item.product or None
        named = None if product_raw else _named_product(find_products, item, text)
        if (item.extra or {}).get("speakers_unsure"):
            unsure.append(str(item.external_id or item.source_row))
        if len(item.turns) > 1 and not any(t.speaker == "agent" for t in item.turns):
            no_agent.append(str(item.external_id or item.source_row))
        extra = {k: side_cell(str(v), personal_column(k), mask) for k, v in (item.extra or {}).items() if v not in (None, "")}
        rec = (
            rid, "ticket", opts.channel or item.channel or file_channel,
            normalize(product_raw) if product_raw else named, product_raw, created, None,
            item.nps_score, item.csat, text, item.external_id, None, None, 0,
            json.dumps(extra, ensure_ascii=False) if extra else None, res.file, item.source_row, res.batch_id,
        )
        pending.append((RowOutcome(item.source_row, [rec]), [(rid, *t) for t in masked_turns]))
        if len(pending) >= 2000:
            flush()
    flush()
    _date_undated(batch, res, writer)
    if unsure:
        first = ", ".join(unsure[:3]) + (" ..." if len(unsure) > 3 else "")
        res.warnings.append(f"{len(unsure)} ticket(s) with a speaker shown by name only beside both a customer and an "
                            f"agent ({first}): their turns were read as the customer's; give them a speaker prefix")
    if no_customer:
        first = ", ".join(no_customer[:3]) + (" ..." if len(no_customer) > 3 else "")
        res.warnings.append(f"{len(no_customer)} ticket(s) with no customer turn recognised ({first}): not stored; "
                            "their masked turns are in the rejects (--rejects FILE). Give the customer's lines a "
                            "speaker prefix such as 顾客：")
    if no_agent:
        first = ", ".join(no_agent[:3]) + (" ..." if len(no_agent) > 3 else "")
        res.warnings.append(f"{len(no_agent)} ticket(s) with several turns and no agent turn recognised: every turn "
                            f"was read as the customer's words ({first}); name the agent's label with a speaker "
                            "prefix such as 客服：")


def _encoding_of(path: Path, encoding: str | None) -> str | None:
    """The text encoding a file is read with (None for workbooks)."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return None
    if encoding:
        return encoding
    from voc.io.readers import detect_encoding

    try:
        return detect_encoding(path)
    except InputError:
        return None  # the reader says why


def ingest_file(store: Store, path: Path, opts: IngestOptions) -> FileResult:
    """One file, one batch, one transaction."""
    kind = opts.kind
    if kind not in KINDS:
        raise InputError(f"--kind '{kind}' is not one of {', '.join(KINDS)}")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        hint = "; save old .xls workbooks as .xlsx" if suffix == ".xls" else ""
        raise InputError(f"{path}: unknown file type '{suffix or path.name}' (expected CSV, TSV, XLSX, JSON, JSONL or TXT){hint}")
    if kind == "auto":
        kind = detect_kind(path, opts.encoding)
    res = FileResult(file=str(path), kind=kind, encoding=_encoding_of(path, opts.encoding))
    options = {"channel": opts.channel, "map": opts.mapping, "encoding": opts.encoding}
    if kind == "reviews" and res.encoding and not opts.encoding:
        opts = replace(opts, encoding=res.encoding)  # sniffed once: the reader need not sniff again
    with store.ingest_batch(str(path), kind, options) as batch:
        res.batch_id = batch.id
        if kind == "reviews":
            _ingest_reviews(batch, path, res, opts)
        else:
            _ingest_tickets(batch, path, res, opts)
        batch.finish(res.read, res.stored, res.duplicates, res.rejected, res.filtered)
    if res.read == 0:  # a header and nothing under it, or one line of no known shape
        res.warnings.append("no rows in this file (only a header line?)" if kind == "reviews"
                            else "no ticket in this file")
    return res


def _named_product(find_products, item, text: str) -> str | None:
    """The model a ticket without a product header names: the customer's, else the one its
    banner or header line names (=== 会话 T-1001 小新Pro14 ===), else the agent's ("您的小新Pro14
    …"); each looked for only when the one before names none."""
    for said in (text, (item.extra or {}).get("preamble")):
        if said and (found := find_products(said)):
            return found[0]
    from voc.io.tickets import CUSTOMER

    agents = "\n".join(t.text for t in item.turns if t.speaker != CUSTOMER)
    found = find_products(agents) if agents else None
    return found[0] if found else None


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    kind: str = "auto",
    channel: str | None = None,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    lexicons: Lexicons | None = None,
    rejects_path: str | Path | None = None,
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestResult:
    """Ingest files and folders; raises IngestError (with the partial result) on a bad file."""
    if rejects_path:  # before anything is stored: a bad name must not fail the run after it
        from voc.report.files import check_writable

        check_writable(rejects_path)
    opts = IngestOptions(kind=kind, channel=channel, mapping=dict(mapping or {}), encoding=encoding,
                         sheet=sheet, lexicons=lexicons)
    result = IngestResult()
    paths = list(paths)
    files, result.skipped, failed = expand_paths(paths)
    result.warnings = [f"{p}: no data file in this folder (CSV, TSV, XLSX, JSON, JSONL or a TXT transcript)"
                       for p in map(Path, paths) if p.is_dir() and not any(_under(f, p) for f in files)]
    for path in files:  # a bad file is reported, and the files after it are still read
        try:
            fr = ingest_file(store, path, opts)
        except InputError as e:
            failed.append(str(e))
            continue
        result.files.append(fr)
        if on_file:
            on_file(fr)
    if rejects_path:
        write_rejects(store, result, rejects_path)
    if failed:  # each unreadable file named, with why
        result.error = failed[0] if len(failed) == 1 else f"{len(failed)} files could not be read: " + "; ".join(failed)
        raise IngestError(result.error, result)
    return result


def write_rejects(store: Store, result: IngestResult, path: str | Path) -> int:
    """The rejected and filtered rows of this run as CSV (masked), for a human to fix."""
    from voc.report.files import atomic_path

    ids = [f.batch_id for f in result.files if f.batch_id is not None]
    n = 0
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "row", "status", "reason", "raw"])
        for row in store.dropped_rows(ids):
            w.writerow(row)
            n += 1
    return n
