"""The counts behind findings: a period and its baseline periods, and the burst test.

:class:`Window` holds, per bucket (the ``baseline_periods`` periods before the report
period, oldest first, then the period), the analysed feedback volume and the negative
mentions of every topic x product, plus the safety reports per product. It is built
from the grouped scans of :mod:`voc.report.cube`, never from records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from voc.emerging.burst import benjamini_hochberg, binom_sf
from voc.period import Period
from voc.report.cube import DayCube, DayTopics, PeriodTopics


@dataclass(frozen=True)
class BurstRule:
    """When a topic x product series counts as a significant burst (same test as ``voc emerging``)."""

    min_count: int = 5
    fdr: float = 0.05
    min_growth: float = 1.5
    min_excess: float = 3.0


@dataclass
class Window:
    """Counts per bucket (oldest first; the last bucket is the period)."""

    volume: np.ndarray
    topic: dict[tuple[str, str], np.ndarray]
    mentions: dict[tuple[str, str], tuple[int, int]]  # period: (all mentions, negative)
    safety: dict[str, np.ndarray]
    safety_topics: dict[str, list[tuple[str, int]]]  # product -> [(topic, n)] most first

    @property
    def period_volume(self) -> int:
        return int(self.volume[-1])

    @property
    def baseline_volume(self) -> int:
        return int(self.volume[:-1].sum())


def buckets(period: Period, n_before: int) -> list[tuple[date, date]]:
    """``[start, end)`` of the ``n_before`` periods before ``period`` (oldest first), then ``period``."""
    days = timedelta(days=(period.end - period.start).days)
    return [(period.start - days * k, period.end - days * k) for k in range(n_before, -1, -1)]


def window_from(
    day_cube: DayCube,
    day_topics: DayTopics,
    period_topics: PeriodTopics,
    period: Period,
    baseline_periods: int,
) -> Window:
    """The counts findings need for ``period`` and its baseline, from the grouped scans."""
    spans = buckets(period, baseline_periods)
    if not day_cube.covers(spans[0][0], spans[-1][1]):
        raise ValueError(
            f"day cube {day_cube.lo}..{day_cube.hi} does not cover {spans[0][0]}..{spans[-1][1]}"
        )
    volume = np.array([day_cube.analyzed_between(a, b) for a, b in spans], dtype=float)
    index = {d: b for b, (lo, hi) in enumerate(spans) for d in day_cube.days(lo, hi)}
    safety: dict[str, np.ndarray] = {}
    for (day, product), n in day_cube.safety.items():
        b = index.get(day)
        if b is not None:
            safety.setdefault(product, np.zeros(len(spans)))[b] += n
    mentions = {k: (a, neg) for k, (a, neg, _pos) in period_topics.mentions().items()}
    return Window(volume, day_topics.series(spans), mentions, safety, period_topics.safety_topics())


@dataclass(frozen=True)
class BurstInfo:
    expected: float
    growth: float | None
    q_value: float
    significant: bool


def _dispersion(series: Sequence[np.ndarray], totals: np.ndarray, min_weekly: float = 3.0) -> float:
    """One overdispersion for all series (median Pearson chi2/df over busy baselines), >= 1."""
    keep = totals > 0
    estimates = []
    for s in series:
        c = s[keep]
        if c.size >= 3 and c.mean() >= min_weekly:
            exp = totals[keep] * (c.sum() / totals[keep].sum())
            estimates.append(float(np.sum((c - exp) ** 2 / np.maximum(exp, 0.5))) / (c.size - 1))
    return float(min(max(np.median(estimates), 1.0), 10.0)) if estimates else 1.0


def topic_bursts(window: Window, rule: BurstRule) -> dict[tuple[str, str], BurstInfo]:
    """The burst test for every topic x product series with enough records in the period.

    Exact conditional binomial test of the period's count against the baseline
    periods' count, normalised by feedback volume, with counts divided by a pooled
    overdispersion; Benjamini-Hochberg across the series tested. Significant: q <=
    ``fdr``, at least ``min_growth`` x the baseline and ``min_excess`` records above it.
    """
    total, base_total = window.period_volume, window.baseline_volume
    keys = sorted(k for k, s in window.topic.items() if s[-1] >= rule.min_count)
    if not keys or total <= 0:
        return {}
    phi = _dispersion([window.topic[k][:-1] for k in sorted(window.topic)], window.volume[:-1])
    p0 = total / (total + base_total) if base_total > 0 else 1.0
    tests = []
    for key in keys:
        s = window.topic[key]
        count, base = float(s[-1]), float(s[:-1].sum())
        expected = base * total / base_total if base_total > 0 else 0.0
        p = binom_sf(count / phi, (count + base) / phi, p0) if base_total > 0 else 1.0
        tests.append((count, expected, p))
    qs = benjamini_hochberg([p for _, _, p in tests])
    out = {}
    for key, (count, expected, _p), q in zip(keys, tests, qs, strict=False):
        growth = count / expected if expected > 0 else None
        significant = (
            base_total > 0
            and q <= rule.fdr
            and count - expected >= rule.min_excess
            and (growth is None or growth >= rule.min_growth)
        )
        out[key] = BurstInfo(expected, growth, q, significant)
    return out
