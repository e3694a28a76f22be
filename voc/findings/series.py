"""The count series of a period and the one burst test they all get.

A period is compared with the ``B`` periods of the same length before it (its
baseline). Per bucket (baseline buckets oldest first, then the period) the store's
grouped scans give the analysed feedback volume, per product too, the negative
mentions of every topic x product, and the safety reports per product; emerging-issue
clustering adds each cluster's complaints per bucket. :class:`Counts` holds them.

:func:`test_series` tests every series once, the same way for all (what `voc emerging`
and `voc report` both show):

* the exact conditional binomial test of the period's count against the baseline
  count, normalised by the volume the series lives in (the product's analysed
  feedback for a topic or safety series of a product, all analysed feedback for a
  topic across products and for a cluster), with counts divided by one pooled
  overdispersion (:mod:`voc.findings.stats`); a product with no baseline volume is
  tested against the topic's baseline rate over all products;
* safety reports are one series per product and hazard (swelling, smoke, fire ...);
* one Benjamini-Hochberg correction over every series tested in the period;
* :class:`voc.findings.stats.AlarmRule` says whether it is a significant burst and
  names its status against the baseline (new, growing, ongoing, fading).

The growth shown anywhere for a series is ``count / expected`` of this test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from voc.findings.stats import (
    AlarmRule,
    BurstTest,
    benjamini_hochberg,
    burst_test,
    pooled_dispersion,
    pooled_test,
)
from voc.period import Period, week_label
from voc.store import Store
from voc.store.rows import DayMentionRow, DaySafetyRow, DayVolumeRow

UNKNOWN = "(unknown)"
SPREAD = "*"


def product_name(product: str) -> str:
    """How a product key is shown: '' (no product recorded) is ``(unknown)``."""
    return product if product else UNKNOWN


def safety_subject(hazard: str, product: str) -> str:
    """The series of one hazard's safety reports on one product: ``safety:swelling@X1``."""
    return f"safety:{hazard or 'safety'}@{product_name(product)}"


@dataclass(frozen=True)
class Buckets:
    """The period and the ``n_before`` periods of the same length before it."""

    period: Period
    spans: tuple[tuple[date, date], ...]  # [start, end), oldest first; the last is the period
    labels: tuple[str, ...]

    @classmethod
    def of(cls, period: Period, n_before: int) -> Buckets:
        days = timedelta(days=(period.end - period.start).days)
        spans = tuple((period.start - days * k, period.end - days * k) for k in range(n_before, -1, -1))
        labels = [week_label(s) if period.is_week else s.isoformat() for s, _ in spans[:-1]]
        return cls(period, spans, (*labels, period.label))

    @property
    def current(self) -> int:
        return len(self.spans) - 1

    @property
    def lo(self) -> str:
        return f"{self.spans[0][0].isoformat()} 00:00:00"

    @property
    def hi(self) -> str:
        return f"{self.spans[-1][1].isoformat()} 00:00:00"

    def index(self) -> dict[str, int]:
        """Day ('YYYY-MM-DD') -> bucket."""
        out = {}
        for b, (start, end) in enumerate(self.spans):
            for i in range((end - start).days):
                out[(start + timedelta(days=i)).isoformat()] = b
        return out

    def __len__(self) -> int:
        return len(self.spans)


@dataclass
class Counts:
    """Counts per bucket of everything that is tested (see the module docstring)."""

    buckets: Buckets
    volume: np.ndarray
    product_volume: dict[str, np.ndarray] = field(default_factory=dict)
    topic: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # (topic, product)
    safety: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # (hazard, product)
    clusters: dict[str, np.ndarray] = field(default_factory=dict)  # cluster id

    @property
    def period_volume(self) -> int:
        return int(self.volume[-1])

    @property
    def baseline_volume(self) -> int:
        return int(self.volume[:-1].sum())

    def spread(self) -> dict[str, np.ndarray]:
        """Each topic summed over products."""
        out: dict[str, np.ndarray] = {}
        for (topic, _p), s in self.topic.items():
            out[topic] = out.get(topic, 0) + s
        return out

    @classmethod
    def from_rows(cls, buckets: Buckets, volumes: Iterable[DayVolumeRow], mentions: Iterable[DayMentionRow],
                  safety: Iterable[DaySafetyRow]) -> Counts:
        """From the store's grouped scans over (at least) ``[buckets.lo, buckets.hi)``:
        analysed records per day and product, negative mentions per day, topic and
        product, and safety reports per day, product and hazard."""
        index = buckets.index()
        n = len(buckets)
        counts = cls(buckets, np.zeros(n))
        for day, product, k in volumes:
            b = index.get(day)
            if b is not None:
                counts.volume[b] += k
                counts.product_volume.setdefault(product, np.zeros(n))[b] += k
        for day, topic, product, k in mentions:
            b = index.get(day)
            if b is not None:
                counts.topic.setdefault((topic, product), np.zeros(n))[b] += k
        for day, product, hazard, k in safety:
            b = index.get(day)
            if b is not None:
                counts.safety.setdefault((hazard, product), np.zeros(n))[b] += k
        return counts

    @classmethod
    def from_store(cls, store: Store, buckets: Buckets) -> Counts:
        """Read the scans from the store (the stars mapping does not matter here)."""
        return cls.from_rows(buckets, store.day_volumes(buckets.lo, buckets.hi),
                             store.day_mentions(buckets.lo, buckets.hi), store.day_safety(buckets.lo, buckets.hi))


@dataclass(frozen=True)
class SeriesTest:
    """One series' burst test in the period, after the false-discovery correction."""

    subject: str  # cluster id, 'topic@product', 'topic@*', 'safety:hazard@product'
    kind: str  # topic | spread | safety | cluster
    key: tuple[str, str]  # (topic, product), (topic, '*'), (hazard, product), (cluster id, '')
    weekly: tuple[int, ...]  # count per bucket, oldest first
    count: int
    expected: float  # count expected in the period at the baseline rate
    growth: float | None  # count / expected; None without a baseline
    p_value: float
    q_value: float
    tested: bool  # enough records to be tested (others keep p = q = 1)
    burst: bool  # a significant burst (AlarmRule)
    status: str  # against the baseline: new | growing | ongoing | fading

    def to_json(self) -> dict:
        from voc.findings.model import rounded, significant

        return {"subject": self.subject, "count": self.count, "baseline": rounded(self.expected, 3),
                "growth": rounded(self.growth, 3), "p_value": significant(self.p_value),
                "q_value": significant(self.q_value), "burst": self.burst, "status": self.status}


def _test(weekly: np.ndarray, volume: np.ndarray | None, cur: int, phi: float, pooled_rate: float = 0.0,
          total: np.ndarray | None = None) -> BurstTest:
    """Burst test of the period's bucket against the baseline buckets; a series whose
    volume has no baseline is tested against ``pooled_rate`` (per analysed record)."""
    if volume is None:
        volume = np.zeros_like(weekly)
    base_total = float(volume[:cur].sum())
    if base_total <= 0 and pooled_rate > 0:
        return pooled_test(int(weekly[cur]), pooled_rate * float(volume[cur]))
    return burst_test(int(weekly[cur]), int(weekly[:cur].sum()), float(volume[cur]), base_total, phi=phi)


def test_series(counts: Counts, rule: AlarmRule | None = None, *,
                previous_alarms: frozenset[str] | set[str] = frozenset()) -> dict[str, SeriesTest]:
    """Every series of ``counts`` tested once (see the module docstring), by subject."""
    rule = rule or AlarmRule()
    cur = counts.buckets.current
    total = counts.volume
    base_volume = float(total[:cur].sum())

    # (subject, kind, key, weekly, normalising volume, pooled rate for a volume without baseline)
    series: list[tuple[str, str, tuple[str, str], np.ndarray, np.ndarray | None, float]] = []
    for cid, weekly in sorted(counts.clusters.items()):
        series.append((cid, "cluster", (cid, ""), weekly, total, 0.0))
    topic_rate: dict[str, float] = {}
    if base_volume > 0:
        for (topic, _p), s in counts.topic.items():
            topic_rate[topic] = topic_rate.get(topic, 0.0) + float(s[:cur].sum()) / base_volume
    for (topic, product), weekly in sorted(counts.topic.items()):
        series.append((f"{topic}@{product_name(product)}", "topic", (topic, product), weekly,
                       counts.product_volume.get(product), topic_rate.get(topic, 0.0)))
    n_clusters_topics = len(series)
    for topic, weekly in sorted(counts.spread().items()):
        series.append((f"{topic}@{SPREAD}", "spread", (topic, SPREAD), weekly, total, 0.0))
    safety_rate = (sum(float(s[:cur].sum()) for s in counts.safety.values()) / base_volume) if base_volume > 0 else 0.0
    for (hazard, product), weekly in sorted(counts.safety.items()):
        series.append((safety_subject(hazard, product), "safety", (hazard, product), weekly,
                       counts.product_volume.get(product), safety_rate))

    phi = pooled_dispersion([(w[:cur], (v if v is not None else np.zeros_like(w))[:cur])
                             for _s, _k, _key, w, v, _r in series[:n_clusters_topics]])
    tests = [_test(w, v, cur, phi, rate) for _s, _k, _key, w, v, rate in series]
    tested = [i for i, t in enumerate(tests) if t.count >= rule.min_count or t.expected >= rule.min_count]
    q_hi, q_lo = np.ones(len(tests)), np.ones(len(tests))
    if tested:
        q_hi[tested] = benjamini_hochberg([tests[i].p_value for i in tested])
        q_lo[tested] = benjamini_hochberg([tests[i].p_low for i in tested])
    out: dict[str, SeriesTest] = {}
    chosen = set(tested)
    for i, ((subject, kind, key, weekly, _v, _r), t) in enumerate(zip(series, tests, strict=True)):
        status, alarm = rule.classify(t, q_hi[i], q_lo[i], was_alarm=subject in previous_alarms)
        out[subject] = SeriesTest(
            subject, kind, key, tuple(int(x) for x in weekly), t.count, float(t.expected), t.growth,
            float(t.p_value) if i in chosen else 1.0, float(q_hi[i]), i in chosen, bool(alarm), status,
        )
    return out


def tests_by_key(tests: Mapping[str, SeriesTest], kind: str) -> dict[tuple[str, str], SeriesTest]:
    return {t.key: t for t in tests.values() if t.kind == kind}
