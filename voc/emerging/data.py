"""Reading what emerging-issue detection needs from the store, for one window.

The window is the period plus ``baseline_weeks`` weeks before it, cut into buckets:
bucket ``i < B`` is the i-th baseline week (oldest first), bucket ``B`` is the period.
A complaint is an analysed record with negative sentiment or any negative topic
(reviews and the customer words of tickets alike).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from voc.period import Period, week_label
from voc.store import Store

UNKNOWN_PRODUCT = ""

# One pass over the window's analysed records (each records, analysis and record_topics
# row is read once): the volume of every record, the rest for complaints only.
_WINDOW_SQL = """
SELECT r.id, COALESCE(r.product, ''), substr(r.created_at, 1, 10), a.sentiment = 'negative', a.safety,
       (SELECT group_concat(t.topic || char(31) || t.polarity, char(30)) FROM record_topics t
        WHERE t.record_id = r.id AND t.polarity != 'pos'),
       r.text, COALESCE(a.tokens, '')
FROM records r JOIN analysis a ON a.record_id = r.id
WHERE r.created_at >= ? AND r.created_at < ?
ORDER BY r.created_at, r.id
"""


def is_complaint(sentiment: str, topic_polarities) -> bool:
    """A complaint: negative sentiment or a negative topic (the records clustered, and
    the only ones whose analysis keeps its tokens)."""
    return sentiment == "negative" or "neg" in topic_polarities


@dataclass
class Window:
    """Complaints and feedback volumes of a period and its baseline weeks."""

    period: Period
    baseline_weeks: int
    buckets: list[str]  # bucket labels, oldest first; the last is the period
    ids: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    bucket: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    safety: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    neg_topics: list[tuple[str, ...]] = field(default_factory=list)  # topics with polarity neg
    any_topics: list[tuple[str, ...]] = field(default_factory=list)  # topics neg or neu
    volume: np.ndarray = field(default_factory=lambda: np.zeros(0))  # analysed records per bucket
    product_volume: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def current(self) -> int:
        """Index of the period's bucket."""
        return self.baseline_weeks

    def __len__(self) -> int:
        return len(self.ids)


def window_start(period: Period, baseline_weeks: int) -> str:
    """First day of the window, as a timestamp string."""
    return f"{(period.start - timedelta(weeks=baseline_weeks)).isoformat()} 00:00:00"


def bucket_labels(period: Period, baseline_weeks: int) -> list[str]:
    """ISO week labels for weekly periods, else the first day of each baseline week."""
    labels = []
    for k in range(baseline_weeks, 0, -1):
        start = period.start - timedelta(weeks=k)
        labels.append(week_label(start) if period.is_week else start.isoformat())
    return [*labels, period.label]


def _buckets(days: list[str], period: Period, baseline_weeks: int) -> np.ndarray:
    if not days:
        return np.zeros(0, dtype=np.int64)
    d = np.array(days, dtype="datetime64[D]")
    start = np.datetime64(period.start.isoformat(), "D")
    b = baseline_weeks + np.floor_divide((d - start).astype(np.int64), 7)
    return np.where(d >= start, baseline_weeks, np.clip(b, 0, baseline_weeks - 1)).astype(np.int64)


def load_window(store: Store, period: Period, baseline_weeks: int) -> Window:
    """Read the window's complaints (oldest first, ties by id) and its volumes."""
    lo, hi = window_start(period, baseline_weeks), period.end_ts
    w = Window(period, baseline_weeks, bucket_labels(period, baseline_weeks))
    days: list[str] = []
    safety: list[int] = []
    volume: dict[tuple[str, str], int] = {}
    for rid, product, day, negative, flag, topics, text, tokens in store.conn.execute(_WINDOW_SQL, (lo, hi)):
        key = (product, day)
        volume[key] = volume.get(key, 0) + 1
        pairs = sorted(tuple(tp.split("\x1f", 1)) for tp in topics.split("\x1e")) if topics else []
        neg = tuple(t for t, polarity in pairs if polarity == "neg")
        if not (negative or neg):  # not a complaint (is_complaint)
            continue
        w.ids.append(rid)
        w.products.append(product or UNKNOWN_PRODUCT)
        days.append(day)
        w.texts.append(text)
        w.tokens.append(tokens)
        safety.append(int(flag or 0))
        w.neg_topics.append(neg)
        w.any_topics.append(tuple(t for t, _ in pairs))
    w.bucket = _buckets(days, period, baseline_weeks)
    w.safety = np.array(safety, dtype=bool)

    n_buckets = baseline_weeks + 1
    w.volume = np.zeros(n_buckets)
    if volume:
        keys = sorted(volume)
        vb = _buckets([day for _p, day in keys], period, baseline_weeks)
        for (product, _day), b in zip(keys, vb, strict=True):
            w.volume[b] += volume[(product, _day)]
            w.product_volume.setdefault(product, np.zeros(n_buckets))[b] += volume[(product, _day)]
    return w


def series_counts(buckets: np.ndarray, n_buckets: int) -> np.ndarray:
    """Records per bucket for a set of document buckets."""
    return np.bincount(buckets, minlength=n_buckets).astype(float)
