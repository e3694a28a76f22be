"""Turn raw review rows into records (masked, parsed, keyed) or reasons to drop them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from voc.io.columns import map_columns
from voc.io.dates import parse_datetime
from voc.io.values import ValueProblem, cell_text, is_platform_default, parse_csat, parse_nps, parse_rating

# Column order of INSERT INTO records (see voc/migrations/0001_core.sql).
RECORD_FIELDS = (
    "id", "kind", "channel", "product", "product_raw", "created_at", "rating", "nps_score", "csat",
    "text", "external_id", "order_ref", "parent_id", "is_followup", "extra", "source_file",
    "source_row", "batch_id",
)

STORED, DUPLICATE, REJECTED, FILTERED = "stored", "duplicates", "rejected", "filtered"


def record_id(prefix: str, *parts: object) -> str:
    """A stable id from the dedup key: the same review always gets the same id."""
    h = hashlib.blake2b("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"), digest_size=10)
    return prefix + h.hexdigest()


def pseudonym(prefix: str, value: str) -> str:
    """A one-way stand-in for an order number or user name: links rows without exposing them."""
    return prefix + hashlib.blake2b(value.encode("utf-8"), digest_size=6).hexdigest()


def dedup_text(text: str) -> str:
    """The text as compared for duplicates: whitespace-insensitive."""
    return "".join(text.split())


@dataclass
class RowOutcome:
    """What became of one input row: records to insert, or a drop with its reason."""

    rownum: int
    records: list[tuple]
    status: str | None = None  # REJECTED / FILTERED when records is empty
    reason: str = ""
    raw: str = ""
    parent_ext: str | None = None  # a follow-up row that names its review by id


class ReviewRowConverter:
    """Converts rows of one file, given its headers and the ingest options."""

    def __init__(
        self,
        headers: list[str],
        *,
        overrides: dict[str, str],
        channel: str | None,
        file_channel: str,
        source_file: str,
        batch_id: int,
        mask: Callable[[str], str],
        normalize_product: Callable[[str], str],
    ):
        self.mapping = map_columns(headers, overrides)
        self.col = self.mapping.get
        mapped = set(self.mapping.values())
        self.extra_cols = [h for h in headers if h not in mapped]
        self.channel_override = channel
        self.file_channel = file_channel
        self.source_file = source_file
        self.batch_id = batch_id
        self.mask = mask
        self.normalize_product = normalize_product

    def _get(self, row: dict, field: str):
        c = self.mapping.get(field)
        return row.get(c) if c is not None else None

    def raw_json(self, row: dict) -> str:
        return json.dumps({k: self.mask(cell_text(v)) for k, v in row.items() if cell_text(v)}, ensure_ascii=False)

    def convert(self, row: dict, rownum: int) -> RowOutcome:
        get = self._get
        text = self.mask(cell_text(get(row, "text")))
        follow = self.mask(cell_text(get(row, "followup_text")))
        if follow and is_platform_default(follow):
            follow = ""
        main_filtered = ""
        if not text:
            main_filtered = "no review text"
        elif is_platform_default(text):
            main_filtered = "platform default review (no customer words)"
        if main_filtered and not follow:
            return RowOutcome(rownum, [], FILTERED, main_filtered, self.raw_json(row))
        try:
            rating = parse_rating(get(row, "rating"))
            nps = parse_nps(get(row, "nps_score"))
            csat = parse_csat(get(row, "csat"))
            created_raw = get(row, "created_at")
            created = parse_datetime(created_raw)
            if created is None and cell_text(created_raw):
                raise ValueProblem(f"date '{cell_text(created_raw)[:30]}' is not a date")
            follow_raw = get(row, "followup_at")
            follow_at = parse_datetime(follow_raw)
            if follow_at is None and cell_text(follow_raw):
                raise ValueProblem(f"follow-up date '{cell_text(follow_raw)[:30]}' is not a date")
        except ValueProblem as e:
            return RowOutcome(rownum, [], REJECTED, str(e), self.raw_json(row))

        product_raw = cell_text(get(row, "product"))
        product = self.normalize_product(product_raw) if product_raw else None
        channel = self.channel_override or cell_text(get(row, "channel")) or self.file_channel
        ext_id = cell_text(get(row, "review_id")) or None
        order = cell_text(get(row, "order_id"))
        order_ref = pseudonym("o", order) if order else None
        extra = {}
        for h in self.extra_cols:
            v = cell_text(row.get(h))
            if v:
                extra[h] = self.mask(v)
        reply = cell_text(get(row, "merchant_reply"))
        if reply:
            extra["merchant_reply"] = self.mask(reply)
        user = cell_text(get(row, "user"))
        if user:
            extra["user"] = pseudonym("u", user)
        parent_ext = cell_text(get(row, "parent_review_id")) or None
        extra_json = json.dumps(extra, ensure_ascii=False) if extra else None

        records: list[tuple] = []
        main_id = None
        if not main_filtered:
            if ext_id:
                main_id = record_id("r", "review", ext_id, dedup_text(text))
            else:
                main_id = record_id("r", "review", dedup_text(text), product, created, rating, nps)
            records.append((
                main_id, "review", channel, product, product_raw or None, created, rating, nps, csat,
                text, ext_id, order_ref, None, 1 if parent_ext else 0, extra_json, self.source_file,
                rownum, self.batch_id,
            ))
        if follow:
            anchor = main_id or record_id("r", "review", ext_id or "", product, created)
            fid = record_id("r", "followup", anchor, dedup_text(follow))
            records.append((
                fid, "review", channel, product, product_raw or None, follow_at or created, None, None,
                None, follow, None, order_ref, main_id, 1, None, self.source_file, rownum, self.batch_id,
            ))
        return RowOutcome(rownum, records, parent_ext=parent_ext if (parent_ext and main_id) else None)
