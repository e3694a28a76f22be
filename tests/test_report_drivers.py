"""Driver analysis: NPS impact of topics with a reproducible bootstrap interval."""

from __future__ import annotations

import pytest
from report_synth import StoreBuilder

from voc.period import iso_week
from voc.report.drivers import group_counts, impact, impacts
from voc.report.metrics import NpsQuery, NpsValue
from voc.store import open_store


def test_impact_is_nps_without_the_group_minus_nps_overall():
    total = NpsValue("nps", 50, 30, 20, 30)  # NPS 30
    group = NpsValue("nps", 0, 2, 8, 30)  # the 10 who complain about the topic
    imp = impact(total, group)
    # without them: 50 P, 28 A, 12 D of 90 -> 42.22; impact 12.2 points
    assert imp.nps_without == 42.2
    assert imp.value == 12.2
    assert imp.low is not None and imp.high is not None
    assert imp.low < imp.value < imp.high
    assert imp.significant


def test_bootstrap_is_reproducible_and_independent_of_other_groups():
    total = NpsValue("nps", 500, 300, 200, 30)
    a = NpsValue("nps", 5, 10, 40, 30)
    b = NpsValue("nps", 20, 10, 10, 30)
    alone = impacts(total, {("battery",): a})
    together = impacts(total, {("battery",): a, ("display",): b})
    assert alone[("battery",)] == together[("battery",)]
    assert impact(total, a, key=("battery",)) == alone[("battery",)]


def test_praised_topic_has_negative_impact_and_interval_can_cross_zero():
    total = NpsValue("nps", 50, 30, 20, 30)
    praised = impact(total, NpsValue("nps", 10, 0, 0, 30))
    assert praised.value is not None and praised.value < 0
    neutral = impact(total, NpsValue("nps", 1, 1, 1, 30))
    assert neutral.low is not None and neutral.low < 0 < neutral.high


def test_no_impact_when_total_is_insufficient_or_group_empty():
    assert impact(NpsValue("nps", 5, 5, 5, 30), NpsValue("nps", 0, 0, 5, 30)).value is None
    assert impact(NpsValue("nps", 50, 30, 20, 30), NpsValue("nps", 0, 0, 0, 30)).value is None


def test_group_that_is_not_a_subset_is_an_error():
    with pytest.raises(ValueError):
        impact(NpsValue("nps", 50, 30, 20, 30), NpsValue("nps", 0, 31, 0, 30))


def test_group_counts_by_topic_and_product(tmp_path):
    b = StoreBuilder(open_store(tmp_path / "d.db"))
    day = "2026-11-18 12:00:00"
    b.add(day, nps=0, topics=(("battery", "neg"),), product="A", safety=True)
    b.add(day, nps=10, topics=(("battery", "neg"), ("display", "pos")), product="B")
    b.add(day, nps=8, topics=(("display", "neg"),), product="A")
    b.add(day, nps=9, topics=(("battery", "pos"),), product="A")
    b.add("2026-11-30 12:00:00", nps=0, topics=(("battery", "neg"),), product="A")  # outside
    store = b.commit()
    w = iso_week("2026-W47")
    q = NpsQuery(min_n=1)
    by_topic = group_counts(store, q, "nps", w.start_ts, w.end_ts)
    assert (by_topic[("battery",)].promoters, by_topic[("battery",)].detractors) == (1, 1)
    assert by_topic[("display",)].passives == 1
    assert by_topic[("safety",)].detractors == 1
    by_product = group_counts(store, q, "nps", w.start_ts, w.end_ts, by_product=True)
    assert by_product[("battery", "A")].n == 1 and by_product[("battery", "B")].n == 1
    assert by_product[("safety", "A")].n == 1
