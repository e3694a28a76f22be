"""Turn raw review rows into records (masked, parsed, keyed) or reasons to drop them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import NamedTuple

from voc.io.columns import map_columns
from voc.io.dates import parse_datetime
from voc.io.pii import USER, personal_column
from voc.io.values import (
    ValueProblem,
    cell_text,
    is_platform_default,
    parse_csat,
    parse_nps,
    parse_rating,
)

# Records are built as tuples in the store's column order (voc.store.rows.RECORD_FIELDS).
_encode = json.JSONEncoder(ensure_ascii=False).encode
STORED, DUPLICATE, REJECTED, FILTERED = "stored", "duplicates", "rejected", "filtered"


def record_id(prefix: str, *parts: object) -> str:
    """A stable id from the dedup key: the same review always gets the same id."""
    key = "\x1f".join(["" if p is None else str(p) for p in parts])
    return prefix + hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


def pseudonym(prefix: str, value: str) -> str:
    """A one-way stand-in for an order number or user name: links rows without exposing them."""
    return prefix + hashlib.blake2b(value.encode("utf-8"), digest_size=6).hexdigest()


def side_cell(value: str, personal: str | None, mask: Callable[[str], str]) -> str:
    """A side column's cell as stored: the token or pseudonym its column's name calls for
    when the name says it holds personal data (``personal``, :func:`voc.io.pii.personal_column`
    of the name: 收货地址 → ``<ADDRESS>``, 买家旺旺 → a user pseudonym), else the cell
    ``mask``-ed as text."""
    if personal is None:
        return mask(value)
    return pseudonym("u", value) if personal == USER else personal


def dedup_text(text: str) -> str:
    """The text as compared for duplicates: whitespace-insensitive."""
    return "".join(text.split())


class RowOutcome(NamedTuple):
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
        # One column name (or None) per field, bound once: convert() runs per row.
        m = self.mapping.get
        self._c = tuple(m(f) for f in (
            "text", "followup_text", "rating", "nps_score", "csat", "created_at", "followup_at",
            "product", "channel", "review_id", "order_id", "merchant_reply", "user", "parent_review_id",
        ))
        mapped = set(self.mapping.values())
        self.extra_cols = [h for h in headers if h not in mapped]
        # the side columns whose name says they hold personal data (收货地址, 姓名, 买家旺旺): every
        # cell is a token or a pseudonym, whatever it looks like
        self._personal = {h: t for h in self.extra_cols if (t := personal_column(h)) is not None}
        self.channel_override = channel
        self.file_channel = file_channel
        self.source_file = source_file
        self.batch_id = batch_id
        self.mask = mask
        self.normalize_product = normalize_product

        # Parsed values repeat a lot in exports (ratings, timestamps, model names): cache them.
        self._dates: dict = {}
        self._ratings: dict = {}
        self._masked: dict[str, str] = {}
        # rows with no review id are known by their content: the ids given so far in this
        # file, and how often each came again (identical rows are several customers' reviews)
        self._seen: set[str] = set()
        self._again: dict[str, int] = {}

    def _date(self, raw) -> str | None:
        """parse_datetime with a bounded cache; raises ValueProblem for a non-empty non-date."""
        if raw is None or raw == "":
            return None
        try:
            got = self._dates[raw]
        except KeyError:
            if len(self._dates) > 200_000:
                self._dates.clear()
            got = self._dates[raw] = parse_datetime(raw)
        except TypeError:
            got = parse_datetime(raw)
        if got is None and cell_text(raw):
            raise ValueProblem(f"date '{cell_text(raw)[:30]}' is not a date")
        return got

    def _mask_short(self, v: str) -> str:
        """mask() with a cache for the short values that repeat in side columns (levels, tags)."""
        if len(v) > 16:
            return self.mask(v)
        got = self._masked.get(v)
        if got is None:
            if len(self._masked) > 50_000:
                self._masked.clear()
            got = self._masked[v] = self.mask(v)
        return got

    def _rating(self, raw, parse) -> int | None:
        key = (parse, raw)
        try:
            return self._ratings[key]
        except KeyError:
            value = parse(raw)  # may raise ValueProblem: not cached, reported per row
            if len(self._ratings) < 10_000:
                self._ratings[key] = value
            return value
        except TypeError:
            return parse(raw)

    def raw_json(self, row: dict) -> str:
        """A dropped row as kept for the rejects file: its cells masked, and its order number and
        user name as the same pseudonyms a stored record gets (never in clear)."""
        c_order, c_user = self._c[10], self._c[12]
        out = {}
        for k, v in row.items():
            v = cell_text(v)
            if v:
                if k == c_user:
                    out[k] = pseudonym("u", v)
                elif k == c_order:
                    out[k] = pseudonym("o", v)
                else:  # a side column, or a mapped one masked as text (its name is no side column's)
                    out[k] = side_cell(v, self._personal.get(k), self._mask_short if k not in self._c else self.mask)
        return json.dumps(out, ensure_ascii=False)

    def _content_id(self, first: str) -> str:
        """The id of a review with no id of its own and no time of day, known by its
        content (``first``): an identical row further down the same file (the same words,
        stars, day and product, from another customer: 很好用, 5 stars) is a review of its
        own, the n-th copy of ``first``, so that re-ingesting the file, or a later export
        holding it, finds every copy stored once. (With a time to the minute, identical rows
        are the export repeating one review, and stay duplicates.)"""
        if first not in self._seen:
            self._seen.add(first)
            return first
        n = self._again[first] = self._again.get(first, 1) + 1
        return record_id("r", "review-copy", first, n)

    def convert(self, row: dict, rownum: int) -> RowOutcome:
        g = row.get
        (c_text, c_follow, c_rating, c_nps, c_csat, c_created, c_follow_at, c_product, c_channel,
         c_review, c_order, c_reply, c_user, c_parent) = self._c
        text = cell_text(g(c_text))
        if text:
            text = self.mask(text)
        follow = cell_text(g(c_follow)) if c_follow else ""
        if follow:
            follow = self.mask(follow)
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
            rating = self._rating(g(c_rating), parse_rating) if c_rating else None
            nps = self._rating(g(c_nps), parse_nps) if c_nps else None
            csat = self._rating(g(c_csat), parse_csat) if c_csat else None
            created = self._date(g(c_created)) if c_created else None
            try:
                follow_at = self._date(g(c_follow_at)) if c_follow_at else None
            except ValueProblem as e:
                raise ValueProblem(f"follow-up {e}") from None
        except ValueProblem as e:
            return RowOutcome(rownum, [], REJECTED, str(e), self.raw_json(row))

        product_raw = cell_text(g(c_product)) if c_product else ""
        product = self.normalize_product(product_raw) if product_raw else None
        channel = self.channel_override or (c_channel and cell_text(g(c_channel))) or self.file_channel
        ext_id = (c_review and cell_text(g(c_review))) or None
        order = cell_text(g(c_order)) if c_order else ""
        order_ref = pseudonym("o", order) if order else None
        extra = {}
        personal = self._personal
        for h in self.extra_cols:
            v = cell_text(g(h))
            if v:
                extra[h] = side_cell(v, personal.get(h), self._mask_short) if personal else self._mask_short(v)
        reply = cell_text(g(c_reply)) if c_reply else ""
        if reply:
            extra["merchant_reply"] = self.mask(reply)
        user = cell_text(g(c_user)) if c_user else ""
        if user:
            extra["user"] = pseudonym("u", user)
        parent_ext = (c_parent and cell_text(g(c_parent))) or None
        extra_json = _encode(extra) if extra else None

        records: list[tuple] = []
        main_id = None
        if not main_filtered:
            if ext_id:
                main_id = record_id("r", "review", ext_id, dedup_text(text))
            else:
                main_id = record_id("r", "review", dedup_text(text), product, created, rating, nps)
                if created is None or created.endswith(" 00:00:00"):  # a day at most: copies may be several reviews
                    main_id = self._content_id(main_id)
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
