"""Burst tests for count series: current period against a baseline of earlier weeks.

The test is the exact conditional binomial test for two Poisson counts. Given the
period's count ``x`` and the baseline count ``b``, under "no change in rate" ``x``
is ``Binomial(x + b, p0)`` with ``p0 = T / (T + T_b)``, where ``T`` and ``T_b`` are
the feedback volumes of the period and of the baseline. Normalising by volume is
what keeps a seasonal rise in total feedback (双11) from alarming on its own.

Weekly counts are often more variable than Poisson (overdispersion). The baseline
weeks of all well-populated series give one estimate of the dispersion ``phi`` (the
median Pearson chi-square per degree of freedom, clipped to [1, 10]); counts are
divided by ``phi`` before the test (the quasi-Poisson "effective counts"
correction), so data whose weekly shares always jump around need bigger jumps. False alarms across the many series tested
are controlled with the Benjamini-Hochberg procedure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import betainc, gammainc

MAX_DISPERSION = 10.0


@dataclass(frozen=True)
class BurstTest:
    """One series' test for the period (before multiple-testing correction)."""

    count: int  # records in the period
    baseline_count: int  # records in the baseline weeks
    expected: float  # count expected in the period at the baseline rate
    growth: float | None  # count / expected; None when there is no baseline at all
    p_value: float  # upper tail: the period is higher than the baseline predicts
    p_low: float  # lower tail: the period is lower than the baseline predicts
    dispersion: float  # phi used (1.0 = Poisson)


def binom_sf(x: float, n: float, p: float) -> float:
    """P(X >= x) for X ~ Binomial(n, p), continuous in x and n (regularised beta)."""
    if x <= 0:
        return 1.0
    if x > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    return float(betainc(x, n - x + 1.0, p))


def binom_cdf(x: float, n: float, p: float) -> float:
    """P(X <= x) for X ~ Binomial(n, p), continuous in x and n."""
    if x >= n:
        return 1.0
    if x < 0:
        return 0.0
    return 1.0 - binom_sf(x + 1.0, n, p)


def dispersion(counts: Sequence[float], totals: Sequence[float]) -> float:
    """Pearson chi-square / df of weekly counts against a constant share of volume.

    Returns 1.0 (Poisson) when fewer than 3 weeks have volume or nothing was counted.
    """
    c = np.asarray(counts, dtype=float)
    t = np.asarray(totals, dtype=float)
    keep = t > 0
    c, t = c[keep], t[keep]
    if c.size < 3 or c.sum() <= 0:
        return 1.0
    expected = t * (c.sum() / t.sum())
    chi2 = float(np.sum((c - expected) ** 2 / np.maximum(expected, 0.5)))
    return float(min(max(chi2 / (c.size - 1), 1.0), MAX_DISPERSION))


def pooled_dispersion(series: Sequence[tuple[Sequence[float], Sequence[float]]], *, min_weekly: float = 3.0) -> float:
    """One overdispersion for all series: the median of the per-series estimates
    over series averaging at least ``min_weekly`` records a week in the baseline.

    Pooled rather than per series: a series that is already growing during its
    baseline would otherwise look "noisy" and hide its own burst.
    """
    estimates = []
    for counts, totals in series:
        c = np.asarray(counts, dtype=float)
        if c.size and c.mean() >= min_weekly:
            estimates.append(dispersion(c, totals))
    return float(np.median(estimates)) if estimates else 1.0


def burst_test(count: int, baseline_count: int, total: float, baseline_total: float, *, phi: float = 1.0) -> BurstTest:
    """Test whether ``count`` out of volume ``total`` exceeds the baseline rate.

    ``phi`` is the overdispersion (see :func:`pooled_dispersion`); counts are divided
    by it. With no baseline volume at all nothing can be compared: the p-values are 1
    and ``growth`` is None.
    """
    if total <= 0 or baseline_total <= 0:
        return BurstTest(count, baseline_count, 0.0, None, 1.0, 1.0, 1.0)
    expected = baseline_count * total / baseline_total
    growth = count / expected if expected > 0 else None
    phi = min(max(phi, 1.0), MAX_DISPERSION)
    p0 = total / (total + baseline_total)
    n = (count + baseline_count) / phi
    x = count / phi
    p_value = binom_sf(x, n, p0) if count > 0 else 1.0
    p_low = binom_cdf(x, n, p0)
    return BurstTest(count, baseline_count, expected, growth, min(p_value, 1.0), min(p_low, 1.0), phi)


def pooled_test(count: int, expected: float) -> BurstTest:
    """Poisson test of ``count`` against an ``expected`` taken from other series.

    For a series with no baseline of its own (a product first seen this period), the
    expectation is the topic's baseline rate over all products times the product's
    volume; ``P(Poisson(expected) >= count)`` is the upper tail.
    """
    if expected <= 0:
        return BurstTest(count, 0, 0.0, None, 1.0, 1.0, 1.0)
    p_value = float(gammainc(count, expected)) if count > 0 else 1.0
    p_low = 1.0 - float(gammainc(count + 1, expected))
    return BurstTest(count, 0, expected, count / expected, p_value, p_low, 1.0)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """BH-adjusted q-values, in the input order (monotone, capped at 1)."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return [float(v) for v in q]


@dataclass(frozen=True)
class AlarmRule:
    """When a tested series raises an alarm, and how its status is named.

    A series is only tested when its count reaches ``min_count``. It alarms when it
    is significant after FDR control (``q <= fdr``) and practically so: at least
    ``min_growth`` times its baseline and ``min_excess`` records above it. It is
    ``new`` when its baseline is (almost) empty: fewer than ``new_baseline`` records
    expected. ``fading`` is significantly below the baseline, or at most
    ``1/min_growth`` of it, or a recent alarm that is back to normal.
    """

    min_count: int = 5
    fdr: float = 0.01
    min_growth: float = 1.5
    min_excess: float = 3.0
    new_baseline: float = 1.0

    def is_tested(self, test: BurstTest) -> bool:
        return test.count >= self.min_count

    def classify(self, test: BurstTest, q_value: float, q_low: float, *, was_alarm: bool = False) -> tuple[str, bool]:
        """(status, alarm) for one series."""
        significant = (
            test.count >= self.min_count
            and q_value <= self.fdr
            and test.count - test.expected >= self.min_excess
            and (test.growth is None or test.growth >= self.min_growth)
        )
        has_base = test.expected >= self.new_baseline
        if significant and not has_base:
            return "new", True
        if significant:
            return "growing", True
        fell = test.expected >= self.min_count and (
            q_low <= self.fdr or (test.growth is not None and test.growth <= 1.0 / self.min_growth)
        )
        if fell or (was_alarm and test.growth is not None and test.growth < 1.0):
            return "fading", False
        return "ongoing", False


def growth_score(test: BurstTest) -> float:
    """A finite growth for sorting: count / max(expected, 0.5)."""
    return test.count / max(test.expected, 0.5) if test.count else 0.0


def log_p(p: float) -> float:
    """-log10(p), finite."""
    return -math.log10(max(p, 1e-300))
