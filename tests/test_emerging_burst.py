"""Burst statistics: exact binomial tails, BH q-values, dispersion, alarm rules."""

from __future__ import annotations

import math

import pytest
from scipy.stats import binom, poisson

from voc.findings.stats import (
    AlarmRule,
    benjamini_hochberg,
    binom_cdf,
    binom_sf,
    burst_test,
    dispersion,
    pooled_dispersion,
    pooled_test,
)


@pytest.mark.parametrize("x,n,p", [(0, 10, 0.3), (1, 10, 0.3), (5, 20, 0.2), (20, 20, 0.5), (7, 40, 0.05)])
def test_binomial_tails_match_scipy_on_integers(x, n, p):
    assert binom_sf(x, n, p) == pytest.approx(binom.sf(x - 1, n, p), rel=1e-9, abs=1e-15)
    assert binom_cdf(x, n, p) == pytest.approx(binom.cdf(x, n, p), rel=1e-9, abs=1e-15)


def test_benjamini_hochberg_matches_hand_computation():
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
    assert q == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])
    assert benjamini_hochberg([]) == []


def test_proportional_rise_in_volume_is_not_a_burst():
    # 双11: three times the feedback, three times the complaints -> nothing unusual.
    test = burst_test(90, 240, total=3000, baseline_total=8000)
    assert test.growth == pytest.approx(1.0)
    assert test.p_value > 0.3


def test_small_series_burst_is_significant_with_growth():
    test = burst_test(30, 16, total=80, baseline_total=400)
    assert test.expected == pytest.approx(3.2)
    assert test.growth == pytest.approx(30 / 3.2)
    assert test.p_value < 1e-10


def test_no_baseline_volume_cannot_be_tested():
    test = burst_test(12, 0, total=100, baseline_total=0)
    assert test.p_value == 1.0 and test.growth is None


def test_overdispersion_weakens_the_test():
    plain = burst_test(30, 160, total=1000, baseline_total=8000)
    noisy = burst_test(30, 160, total=1000, baseline_total=8000, phi=3.0)
    assert noisy.p_value > plain.p_value


def test_dispersion_is_one_for_steady_weeks_and_large_for_erratic_ones():
    assert dispersion([10, 10, 10, 10], [100, 100, 100, 100]) == 1.0
    assert dispersion([0, 40, 0, 40], [100, 100, 100, 100]) > 5
    assert dispersion([5, 5], [10, 10]) == 1.0  # too few weeks
    # pooled: a single erratic series does not set the dispersion of all
    pooled = pooled_dispersion([([10, 11, 9, 10], [100] * 4)] * 3 + [([0, 40, 0, 40], [100] * 4)])
    assert pooled == pytest.approx(1.0)


def test_pooled_test_is_a_poisson_tail():
    t = pooled_test(8, 3.0)
    assert t.p_value == pytest.approx(poisson.sf(7, 3.0))
    assert t.growth == pytest.approx(8 / 3)


@pytest.mark.parametrize(
    "count,base,q,expected_status,alarm",
    [
        (30, 16, 1e-6, "growing", True),
        (12, 0, 1e-4, "new", True),
        (4, 0, 1e-4, "ongoing", False),  # below min_count
        (20, 160, 0.9, "ongoing", False),
        (5, 320, 0.9, "fading", False),
    ],
)
def test_alarm_rule_statuses(count, base, q, expected_status, alarm):
    test = burst_test(count, base, total=1000, baseline_total=8000)
    assert AlarmRule().classify(test, q, 1.0 if expected_status != "fading" else 1e-6) == (expected_status, alarm)


def test_recent_alarm_back_below_baseline_is_fading():
    test = burst_test(18, 160, total=1000, baseline_total=8000)
    assert AlarmRule().classify(test, 0.9, 0.5, was_alarm=True) == ("fading", False)
    assert math.isclose(test.growth, 0.9)
