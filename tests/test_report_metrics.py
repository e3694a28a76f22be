"""NPS arithmetic, the star and sentiment proxies, margins of error, trends."""

from __future__ import annotations

import math

import pytest
from report_synth import StoreBuilder

from voc.period import iso_week
from voc.report.metrics import (
    KINDS,
    NpsQuery,
    NpsValue,
    RatingMapping,
    delta,
    previous,
    primary_kind,
)
from voc.store import open_store


@pytest.mark.parametrize(
    "p,a,d,value,moe",
    [
        # 50/30/20 of 100: NPS 30; var = .5 + .2 - .3^2 = .61; 1.96 * sqrt(.61/100) * 100 = 15.31
        (50, 30, 20, 30.0, 15.3),
        # 9/0/1 of 10: NPS 80; var = .9 + .1 - .64 = .36; 1.96 * sqrt(.036) * 100 = 37.19
        (9, 0, 1, 80.0, 37.2),
        # 120/60/220 of 400: NPS -25; var = .3 + .55 - .0625 = .7875; 1.96*sqrt(.7875/400)*100 = 8.70
        (120, 60, 220, -25.0, 8.7),
        # all promoters: no variance
        (40, 0, 0, 100.0, 0.0),
        # all passives: NPS 0, var 0
        (0, 35, 0, 0.0, 0.0),
    ],
)
def test_nps_value_and_margin_of_error_match_hand_computation(p, a, d, value, moe):
    v = NpsValue("nps", p, a, d, min_n=10)
    assert v.n == p + a + d
    assert v.value == value
    assert v.moe95 == moe
    n = p + a + d
    expected = 1.96 * math.sqrt((p / n + d / n - (p / n - d / n) ** 2) / n) * 100
    assert v.raw_moe == pytest.approx(expected)


def test_below_minimum_n_is_insufficient_not_a_number():
    v = NpsValue("stars", 10, 5, 3, min_n=30)
    assert v.n == 18 and not v.sufficient
    assert v.value is None and v.moe95 is None
    assert v.raw == pytest.approx(100 * 7 / 18)
    out = v.to_json()
    assert out["insufficient"] is True and out["value"] is None and out["n"] == 18


def test_empty_value_has_no_number():
    v = NpsValue("nps", 0, 0, 0, min_n=1)
    assert v.raw is None and v.value is None and not v.sufficient


def test_delta_combines_margins_of_independent_samples():
    now, before = NpsValue("nps", 50, 30, 20, 10), NpsValue("nps", 30, 30, 40, 10)
    d = delta(now, before)
    assert d.value == 40.0
    assert d.moe95 == round(math.hypot(now.raw_moe, before.raw_moe), 1)
    assert d.significant
    assert delta(now, NpsValue("nps", 1, 0, 0, 10)).value is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("5/4/1-3", RatingMapping((5,), (4,), (1, 2, 3))),
        ("4,5/3/1-2", RatingMapping((4, 5), (3,), (1, 2))),
        ("5//1-4", RatingMapping((5,), (), (1, 2, 3, 4))),
    ],
)
def test_rating_mapping_parses(text, expected):
    assert RatingMapping.parse(text) == expected


@pytest.mark.parametrize("text", ["5/4", "5/5/1-3", "6/4/1-3", "a/b/c"])
def test_rating_mapping_rejects_bad_text(text):
    with pytest.raises(ValueError):
        RatingMapping.parse(text)


@pytest.fixture
def small_store(tmp_path):
    b = StoreBuilder(open_store(tmp_path / "m.db"))
    day = "2026-11-17 09:00:00"
    # true NPS: 10, 9 promoters; 8, 7 passives; 6, 0 detractors (also carry ratings)
    for score, rating in ((10, 5), (9, 5), (8, 4), (7, 3), (6, 2), (0, 1)):
        b.add(day, nps=score, rating=rating, sentiment="positive")
    # ratings only: 5, 4, 3, 1
    for rating in (5, 4, 3, 1):
        b.add(day, rating=rating, sentiment="negative", product="小新Pro14", channel="天猫")
    # neither score: sentiment proxy
    for s in ("positive", "positive", "neutral", "negative"):
        b.add(day, sentiment=s, product="小新Pro14", channel="天猫")
    b.add(day, sentiment=None)  # not analysed: in no proxy
    b.add("2026-11-09 23:59:59", nps=10)  # the week before (Sunday night)
    b.add("2026-11-23 00:00:00", nps=0)  # the week after (Monday 00:00)
    return b.commit()


def test_each_kind_counts_its_own_records(small_store):
    q = NpsQuery(min_n=1)
    w = iso_week("2026-W47")
    v = q.overall(small_store, w.start_ts, w.end_ts)
    assert (v["nps"].promoters, v["nps"].passives, v["nps"].detractors) == (2, 2, 2)
    # stars over every rated record: 5,5,4,3,2,1 and 5,4,3,1
    assert (v["stars"].promoters, v["stars"].passives, v["stars"].detractors) == (3, 2, 5)
    # sentiment only where there is neither score (the rated negatives are not counted)
    assert (v["sentiment"].promoters, v["sentiment"].passives, v["sentiment"].detractors) == (
        2,
        1,
        1,
    )
    assert v["nps"].value == 0.0 and v["stars"].value == -20.0 and v["sentiment"].value == 25.0


def test_star_mapping_is_configurable(small_store):
    q = NpsQuery(RatingMapping((4, 5), (3,), (1, 2)), min_n=1)
    w = iso_week("2026-W47")
    v = q.overall(small_store, w.start_ts, w.end_ts)["stars"]
    assert (v.promoters, v.passives, v.detractors) == (5, 2, 3)


def test_grouped_by_product_and_channel(small_store):
    q = NpsQuery(min_n=1)
    w = iso_week("2026-W47")
    by_product = q.grouped(small_store, w.start_ts, w.end_ts, "product")
    assert set(by_product) == {"Y9000P", "小新Pro14"}
    assert by_product["小新Pro14"]["nps"].n == 0
    assert by_product["小新Pro14"]["sentiment"].n == 4
    by_channel = q.grouped(small_store, w.start_ts, w.end_ts, "channel")
    assert by_channel["天猫"]["stars"].n == 4
    with pytest.raises(ValueError):
        q.grouped(small_store, w.start_ts, w.end_ts, "text; DROP TABLE records")


def test_periodic_buckets_follow_iso_weeks_and_summary_pools_the_baseline(small_store):
    q = NpsQuery(min_n=1)
    w = iso_week("2026-W47")
    series = q.periodic(small_store, w, 9)
    labels = [p.label for p, _ in series]
    assert labels[0] == "2026-W39" and labels[-1] == "2026-W47"
    assert series[-2][1]["nps"].promoters == 1  # Sunday 23:59:59 belongs to W46
    assert series[-1][1]["nps"].n == 6  # Monday 00:00 of W48 is not in W47
    s = q.summary(series, 8)
    assert s["nps"].baseline.n == 1 and s["nps"].prev_period.n == 1
    assert s["nps"].vs_prev.value == 0.0 - 100.0
    with pytest.raises(ValueError):
        q.summary(series[:5], 8)


def test_previous_period_of_a_date_range_has_the_same_length():
    from datetime import date

    from voc.period import resolve_period

    p = resolve_period(since="2026-11-01", until="2026-11-10")
    prev = previous(p, 1)
    assert prev.end == p.start and (prev.end - prev.start) == (p.end - p.start)
    assert previous(iso_week("2026-W47"), 2).label == "2026-W45"
    assert prev.start == date(2026, 10, 22)


def test_primary_kind_prefers_true_nps_then_stars_then_sentiment():
    def vals(n_nps, n_stars, n_sent):
        return {
            k: NpsValue(k, n, 0, 0, 30)
            for k, n in zip(KINDS, (n_nps, n_stars, n_sent), strict=False)
        }

    assert primary_kind(vals(30, 100, 100)) == "nps"
    assert primary_kind(vals(29, 100, 100)) == "stars"
    assert primary_kind(vals(0, 5, 40)) == "sentiment"
    assert primary_kind(vals(3, 5, 4)) == "stars"  # nothing sufficient: the largest
