"""The complaints of an emerging-issue window, read from the store.

The window is the period plus the ``B`` periods of the same length before it
(:class:`voc.findings.series.Buckets`): bucket ``i < B`` is the i-th baseline period
(oldest first), bucket ``B`` is the period. A complaint is an analysed record with
negative sentiment or a negative topic (:func:`voc.analysis.analyzer.is_complaint`),
reviews and the customer words of tickets alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from voc.findings.series import Buckets
from voc.store import Store

UNKNOWN_PRODUCT = ""


@dataclass
class Window:
    """Complaints of a period and its baseline periods."""

    buckets: Buckets
    ids: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    bucket: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    safety: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    neg_topics: list[tuple[str, ...]] = field(default_factory=list)  # topics with polarity neg
    any_topics: list[tuple[str, ...]] = field(default_factory=list)  # topics neg or neu

    @property
    def current(self) -> int:
        """Index of the period's bucket."""
        return self.buckets.current

    @property
    def labels(self) -> tuple[str, ...]:
        return self.buckets.labels

    def __len__(self) -> int:
        return len(self.ids)


def load_window(store: Store, buckets: Buckets) -> Window:
    """Read the window's complaints (oldest first, ties by id)."""
    from voc.analysis.analyzer import is_complaint

    w = Window(buckets)
    index = buckets.index()
    where: list[int] = []
    safety: list[int] = []
    for row in store.complaint_records(buckets.lo, buckets.hi):
        pairs = sorted(tuple(tp.split("\x1f", 1)) for tp in row.topics.split("\x1e")) if row.topics else []
        neg = tuple(t for t, polarity in pairs if polarity == "neg")
        if not is_complaint("negative" if row.negative else "", ("neg",) if neg else ()):
            continue
        w.ids.append(row.id)
        w.products.append(row.product or UNKNOWN_PRODUCT)
        where.append(index[row.day])
        w.texts.append(row.text)
        w.tokens.append(row.tokens)
        safety.append(int(row.safety or 0))
        w.neg_topics.append(neg)
        w.any_topics.append(tuple(t for t, _ in pairs))
    w.bucket = np.array(where, dtype=np.int64)
    w.safety = np.array(safety, dtype=bool)
    return w
