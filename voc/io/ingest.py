"""`voc ingest`: load review files and ticket transcripts into the store.

Each file is one batch in one transaction: a file that fails half-way (bad bytes,
Ctrl-C, a crash) leaves the store as it was before that file, and the files
before it stay ingested. Every row read is stored, a duplicate, rejected (with a
reason) or filtered, and the counts add up.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from voc.errors import InputError
from voc.io.readers import TABLE_SUFFIXES, iter_table
from voc.io.reviews import (
    DUPLICATE, FILTERED, RECORD_FIELDS, REJECTED, STORED, ReviewRowConverter, RowOutcome,
)
from voc.store import Store

KINDS = ("auto", "reviews", "tickets")
SKIP_SUFFIXES = {".md", ".py", ".pyc", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".sh", ".log", ".db", ".zip", ".gz"}
_INSERT_RECORD = f"INSERT INTO records ({', '.join(RECORD_FIELDS)}) VALUES ({', '.join('?' * len(RECORD_FIELDS))})"
_INSERT_DROPPED = "INSERT INTO dropped (batch_id, status, source_file, source_row, reason, raw) VALUES (?, ?, ?, ?, ?, ?)"
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

    def total(self, key: str) -> int:
        return sum(getattr(f, key) for f in self.files)

    def to_json(self) -> dict:
        out = {k: self.total(k) for k in ("read", "stored", "duplicates", "rejected", "filtered")}
        out["files"] = [f.to_json() for f in self.files]
        if self.skipped:
            out["skipped"] = self.skipped
        if self.error:
            out["error"] = self.error
        return out


class IngestError(InputError):
    """An input that stopped the ingest; ``partial`` holds what was ingested before it."""

    def __init__(self, message: str, partial: IngestResult):
        super().__init__(message)
        self.partial = partial


# -- helpers -------------------------------------------------------------------------
def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to ingest (folders walked in name order) and files skipped in folders."""
    files: list[Path] = []
    skipped: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.suffix.lower() in TABLE_SUFFIXES and f.name.lower() not in {"readme.txt"}:
                    files.append(f)
                else:
                    skipped.append(str(f))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return files, skipped


def channel_from_name(path: Path) -> str:
    for pattern, name in _CHANNEL_HINTS:
        if pattern.search(path.stem):
            return name
    return path.stem


@lru_cache(maxsize=4)
def _mask_fn() -> Callable[[str], str]:
    from voc.text.pii import mask

    return mask


def product_normalizer(lexicon_dir: str | None) -> Callable[[str], str]:
    from voc.models.products import ProductMatcher

    matcher = ProductMatcher(lexicon_dir)
    return lru_cache(maxsize=100_000)(matcher.normalize)


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
        return "tickets"
    return "reviews"


# -- the store side ------------------------------------------------------------------
class _BatchWriter:
    """Dedup against the store and this batch, then insert; counts per row."""

    def __init__(self, conn, result: FileResult):
        self.conn = conn
        self.result = result

    def existing(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT id FROM records WHERE id IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self.conn.execute(q, part))
        return found

    def write(self, outcomes: list[RowOutcome]) -> list[tuple[str, str]]:
        """Insert the new records of these rows; returns (record_id, parent_ext) links to resolve."""
        ids = [rec[0] for o in outcomes for rec in o.records]
        seen = self.existing(ids)
        new: list[tuple] = []
        dropped: list[tuple] = []
        links: list[tuple[str, str]] = []
        res = self.result
        for o in outcomes:
            if not o.records:
                res.add(o.status)
                dropped.append((res.batch_id, o.status, res.file, o.rownum, o.reason, o.raw))
                continue
            fresh = [r for r in o.records if r[0] not in seen]
            if fresh:
                res.add(STORED)
                for r in fresh:
                    seen.add(r[0])
                new.extend(fresh)
                if o.parent_ext:
                    links.append((o.records[0][0], o.parent_ext))
            else:
                res.add(DUPLICATE)
        self.last_inserted = {r[0] for r in new}
        if new:
            self.conn.executemany(_INSERT_RECORD, new)
            res.records += len(new)
        if dropped:
            self.conn.executemany(_INSERT_DROPPED, dropped)
        return links

    def drop(self, rownum: int, status: str, reason: str, raw: str) -> None:
        self.result.add(status)
        self.conn.execute(_INSERT_DROPPED, (self.result.batch_id, status, self.result.file, rownum, reason, raw))


def _resolve_parents(conn, links: list[tuple[str, str]]) -> None:
    """Follow-up rows that name their review by id: point parent_id at that review."""
    for rid, parent_ext in links:
        conn.execute(
            "UPDATE records SET parent_id = (SELECT id FROM records p WHERE p.external_id = ? "
            "AND p.kind = 'review' AND p.id != ? AND p.is_followup = 0 LIMIT 1) WHERE id = ?",
            (parent_ext, rid, rid),
        )


# -- one file ------------------------------------------------------------------------
@dataclass(frozen=True)
class IngestOptions:
    kind: str = "auto"
    channel: str | None = None
    mapping: dict = field(default_factory=dict)
    encoding: str | None = None
    sheet: str | None = None
    lexicon_dir: str | None = None


def _ingest_reviews(conn, path: Path, res: FileResult, opts: IngestOptions) -> None:
    mask = _mask_fn()
    normalize = product_normalizer(opts.lexicon_dir)
    writer = _BatchWriter(conn, res)
    links: list[tuple[str, str]] = []
    converter: ReviewRowConverter | None = None
    for headers, chunk in iter_table(path, sheet=opts.sheet, encoding=opts.encoding):
        if converter is None or headers != converter_headers:
            converter_headers = headers
            converter = ReviewRowConverter(
                headers, overrides=opts.mapping, channel=opts.channel, file_channel=channel_from_name(path),
                source_file=res.file, batch_id=res.batch_id, mask=mask, normalize_product=normalize,
            )
            if "text" not in converter.mapping:
                raise InputError(
                    f"{path}: no review text column among {', '.join(map(str, headers[:12]))}; "
                    "use --map text=COLUMN (or --kind tickets for transcripts)"
                )
        for rownum, reason, raw in chunk.bad:
            writer.drop(rownum, REJECTED, reason, mask(raw))
        outcomes = [converter.convert(row, n) for row, n in zip(chunk.rows, chunk.rownums)]
        links.extend(writer.write(outcomes))
    _resolve_parents(conn, links)


def _ingest_tickets(conn, path: Path, res: FileResult, opts: IngestOptions) -> None:
    from voc.io.reviews import dedup_text, record_id
    from voc.io.tickets import Ticket, customer_text, is_customer_words, read_tickets

    mask = _mask_fn()
    normalize = product_normalizer(opts.lexicon_dir)
    writer = _BatchWriter(conn, res)
    file_channel = channel_from_name(path)
    pending: list[tuple[RowOutcome, list[tuple]]] = []

    def flush() -> None:
        if not pending:
            return
        writer.write([o for o, _ in pending])
        turns = [t for _, ts in pending for t in ts if t[0] in writer.last_inserted]
        conn.executemany(
            "INSERT INTO turns (record_id, seq, speaker, text, created_at, is_customer_words) VALUES (?, ?, ?, ?, ?, ?)",
            turns,
        )
        pending.clear()

    for item in read_tickets(path, encoding=opts.encoding):
        if not isinstance(item, Ticket):
            writer.drop(item.source_row, REJECTED, item.reason, mask(item.raw))
            continue
        masked_turns = [(t.seq, t.speaker, mask(t.text), t.created_at, 1 if is_customer_words(t) else 0) for t in item.turns]
        text = mask(customer_text(item.turns))
        raw = json.dumps({"ticket": item.external_id, "turns": len(item.turns)}, ensure_ascii=False)
        if not text:
            pending.append((RowOutcome(item.source_row, [], FILTERED, "no customer words in the transcript", raw), []))
            continue
        signature = dedup_text("\n".join(t[2] for t in masked_turns))
        rid = record_id("t", "ticket", item.external_id, signature)
        created = item.created_at or next((t.created_at for t in item.turns if t.created_at), None)
        product_raw = item.product or None
        extra = {k: mask(str(v)) for k, v in (item.extra or {}).items() if v not in (None, "")}
        rec = (
            rid, "ticket", opts.channel or item.channel or file_channel,
            normalize(product_raw) if product_raw else None, product_raw, created, None,
            item.nps_score, item.csat, text, mask(item.external_id), None, None, 0,
            json.dumps(extra, ensure_ascii=False) if extra else None, res.file, item.source_row, res.batch_id,
        )
        pending.append((RowOutcome(item.source_row, [rec]), [(rid, *t) for t in masked_turns]))
        if len(pending) >= 2000:
            flush()
    flush()


def ingest_file(store: Store, path: Path, opts: IngestOptions) -> FileResult:
    """One file, one batch, one transaction."""
    kind = opts.kind
    if kind not in KINDS:
        raise InputError(f"--kind '{kind}' is not one of {', '.join(KINDS)}")
    if kind == "auto":
        kind = detect_kind(path, opts.encoding)
    res = FileResult(file=str(path), kind=kind)
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO batches (started_at, source_file, kind, options) VALUES (?, ?, ?, ?)",
            (datetime.now().isoformat(timespec="seconds"), str(path), kind,
             json.dumps({"channel": opts.channel, "map": opts.mapping, "encoding": opts.encoding}, ensure_ascii=False)),
        )
        res.batch_id = cur.lastrowid
        if kind == "reviews":
            _ingest_reviews(conn, path, res, opts)
        else:
            _ingest_tickets(conn, path, res, opts)
        conn.execute(
            "UPDATE batches SET finished_at=?, read=?, stored=?, duplicates=?, rejected=?, filtered=? WHERE id=?",
            (datetime.now().isoformat(timespec="seconds"), res.read, res.stored, res.duplicates,
             res.rejected, res.filtered, res.batch_id),
        )
    return res


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    kind: str = "auto",
    channel: str | None = None,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    lexicon_dir: str | None = None,
    rejects_path: str | Path | None = None,
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestResult:
    """Ingest files and folders; raises IngestError (with the partial result) on a bad file."""
    opts = IngestOptions(kind=kind, channel=channel, mapping=dict(mapping or {}), encoding=encoding,
                         sheet=sheet, lexicon_dir=lexicon_dir)
    result = IngestResult()
    files, result.skipped = expand_paths(paths)
    try:
        for path in files:
            fr = ingest_file(store, path, opts)
            result.files.append(fr)
            if on_file:
                on_file(fr)
    except InputError as e:
        result.error = str(e)
        if rejects_path:
            write_rejects(store, result, rejects_path)
        raise IngestError(str(e), result) from None
    if rejects_path:
        write_rejects(store, result, rejects_path)
    return result


def write_rejects(store: Store, result: IngestResult, path: str | Path) -> int:
    """The rejected and filtered rows of this run as CSV (masked), for a human to fix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = [f.batch_id for f in result.files if f.batch_id is not None]
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "row", "status", "reason", "raw"])
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            q = (f"SELECT source_file, source_row, status, reason, raw FROM dropped WHERE batch_id IN "
                 f"({','.join('?' * len(part))}) ORDER BY batch_id, source_row")
            for row in store.conn.execute(q, part):
                w.writerow(row)
                n += 1
    return n
