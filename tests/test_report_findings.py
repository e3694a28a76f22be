"""Findings: which topic x product become findings, their owners, priorities and the
closed loop of statuses across weeks kept in the store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from report_synth import WEEK47, StoreBuilder, demo_store

from voc.findings.loop import at_baseline, compare, would_have_seen
from voc.findings.model import FindingOptions, finding_id
from voc.lexicon import Lexicons
from voc.period import iso_week
from voc.report.build import ReportOptions, build_report
from voc.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
LEX = Lexicons(REPO / "lexicons")
NO_EMERGING = ReportOptions(emerging=False, n_boot=300)


def series_store(
    path: Path | str, series: dict[tuple[str, str], list[int]], *, background: int | list[int] = 400,
    weeks: int = 10,
) -> Store:
    """``weeks`` weeks (ten: ending 2026-W47, eleven: 2026-W48 ...): ``background`` plain
    records a week (or one number per week) plus the given negative-topic counts per week
    for each (topic, product)."""
    b = StoreBuilder(open_store(path))
    for w in range(weeks):
        monday = WEEK47 - timedelta(weeks=9 - w)
        for i in range(background[w] if isinstance(background, list) else background):
            day = monday + timedelta(days=i % 7)
            b.add(f"{day} 10:{i % 60:02d}:00", product="Z", sentiment="positive", rating=5)
        for (topic, product), counts in series.items():
            for i in range(counts[w]):
                day = monday + timedelta(days=i % 7)
                b.add(f"{day} 11:{i % 60:02d}:00", product=product, sentiment="negative", rating=1,
                      topics=((topic, "neg"),))  # fmt: skip
    return b.commit()


@pytest.fixture
def loop_store(store_target):
    """Eleven weeks of four series, once per backend (SQLite file, PostgreSQL server)."""
    store = series_store(
        store_target,
        {
            # a burst in W46, back to baseline in W47 and W48
            ("battery", "P"): [1] * 8 + [30, 2, 1],
            ("thermal", "Q"): [12] * 9 + [40, 40],  # steady, then worse
            ("display", "R"): [40] * 9 + [15, 15],  # steady, then better (still a finding)
            ("noise", "S"): [12] * 9 + [13, 12],  # steady
        },
        weeks=11,
    )
    yield store
    store.close()


def _rows(store: Store, fid: str) -> dict[str, tuple[str, int]]:
    return {r.period: (r.status, r.count) for r in store.finding_history(fid)}


def test_statuses_across_weeks_are_kept_in_the_store(loop_store):
    report = build_report(loop_store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    by_topic = {f.topic: f for f in report.findings}
    # one quiet week is no evidence yet: lower than its last report, still open
    assert by_topic["battery"].status == "improving" and by_topic["battery"].is_open
    assert by_topic["battery"].at_baseline and not by_topic["battery"].qualifies
    assert by_topic["thermal"].status == "worsening"
    assert by_topic["display"].status == "improving"
    assert by_topic["noise"].status == "ongoing"
    battery = _rows(loop_store, finding_id("topic", "battery", "P"))
    assert battery["2026-W46"] == ("new", 30)
    assert battery["2026-W47"] == ("improving", 2)
    assert "2026-W45" not in battery  # one a week is not a finding
    # back-filled weeks W43..W46 were computed before W47
    assert sorted(loop_store.reported_periods()) == ["2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    assert _rows(loop_store, finding_id("topic", "noise", "S"))["2026-W43"][0] == "new"
    # the second quiet week at baseline, with volume enough to have seen it: resolved
    w48 = build_report(loop_store, iso_week("2026-W48"), lexicons=LEX, options=NO_EMERGING)
    battery48 = next(f for f in w48.findings if f.topic == "battery")
    assert (battery48.status, battery48.count, battery48.priority) == ("resolved", 1, "P3")
    assert not battery48.is_open
    # and a resolved finding is not carried into later weeks
    assert _rows(loop_store, finding_id("topic", "battery", "P"))["2026-W48"] == ("resolved", 1)


def test_report_shows_what_became_of_earlier_findings_with_their_own_status(loop_store):
    report = build_report(loop_store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    statuses = {u.topic: u.status for u in report.followup}
    assert statuses == {"battery": "improving", "thermal": "worsening", "display": "improving",
                        "noise": "ongoing"}
    # one status per finding: the follow-up says what the findings list says
    now = {f.id: f.status for f in report.findings}
    assert all(now[u.id] == u.status for u in report.followup)
    battery = next(u for u in report.followup if u.topic == "battery")
    assert (battery.then_period, battery.then_count, battery.now_count) == ("2026-W46", 30, 2)


def test_rerunning_a_week_is_idempotent(loop_store):
    first = build_report(loop_store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    n_rows = loop_store.count("finding_periods")
    again = build_report(loop_store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    assert loop_store.count("finding_periods") == n_rows
    assert [(f.id, f.status, f.priority, f.count) for f in first.findings] == [
        (f.id, f.status, f.priority, f.count) for f in again.findings
    ]


def test_date_ranges_get_statuses_but_are_not_stored(loop_store):
    from voc.period import resolve_period

    build_report(loop_store, resolve_period(since="2026-11-16", until="2026-11-22"), lexicons=LEX,
                 options=NO_EMERGING)  # fmt: skip
    assert loop_store.count("finding_periods") == 0


def test_demo_burst_and_safety_reports_are_routed_findings(tmp_path):
    store = demo_store(tmp_path / "demo.db")
    report = build_report(
        store, iso_week("2026-W47"), lexicons=LEX, options=ReportOptions(n_boot=300)
    )
    safety = [f for f in report.findings if f.kind == "safety"]
    assert len(safety) == 1
    s = safety[0]
    assert (s.priority, s.product, s.count, s.owner.team, s.routed_topic) == (
        "P0",
        "ThinkBook14",
        2,
        "电源",
        "battery",
    )
    battery = next(f for f in report.findings if f.kind == "topic" and f.topic == "battery")
    assert battery.product == "ThinkBook14" and battery.owner.team == "电源"
    assert battery.priority == "P1" and battery.burst and battery.growth > 3
    assert report.findings[0] is s  # P0 first
    steady = {(f.topic, f.product) for f in report.findings if f.kind == "topic"}
    assert {("display", "小新Pro14"), ("thermal", "Y9000P")} <= steady
    assert {f.id for f in report.findings} == {f.id for f in build_report(
        store, iso_week("2026-W47"), lexicons=LEX, options=ReportOptions(n_boot=300)).findings}  # fmt: skip
    assert [q.text for q in report.quotes_of(s.id)][0].startswith("电池鼓包")


def test_safety_report_without_topic_goes_to_the_safety_owner(tmp_path):
    b = StoreBuilder(open_store(tmp_path / "s.db"))
    for i in range(50):
        b.add(f"2026-11-1{7 + i % 3} 10:00:{i:02d}", sentiment="positive")
    b.add("2026-11-18 12:00:00", text="插头冒烟了", product="X1", sentiment="negative", safety="smoke")
    store = b.commit()
    report = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    (f,) = report.findings
    assert (f.kind, f.priority, f.owner.team, f.product) == ("safety", "P0", "产品安全", "X1")


def test_each_safety_finding_has_the_nps_impact_of_its_own_reports(tmp_path):
    """Two hazards of one product are two findings: the smoke reports' detractors are the
    smoke finding's impact, not the swelling finding's (they had shared the product's)."""
    from dataclasses import replace

    b = StoreBuilder(open_store(tmp_path / "s.db"))
    for i in range(200):
        b.add(f"2026-11-1{7 + i % 3} 10:{i // 60:02d}:{i % 60:02d}", sentiment="positive", nps=9, product="X1")
    for i in range(6):
        b.add(f"2026-11-18 12:00:0{i}", text="插头冒烟了", product="X1", sentiment="negative", nps=0, safety="smoke")
        b.add(f"2026-11-18 13:00:0{i}", text="电池有点鼓包", product="X1", sentiment="neutral", nps=10,
              safety="swelling")
    store = b.commit()
    report = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=replace(NO_EMERGING, min_n=5))
    impact = {f.hazard: f.impact for f in report.findings if f.kind == "safety"}
    assert set(impact) == {"smoke", "swelling"}
    assert impact["smoke"].value > 0 > impact["swelling"].value  # fixing smoke raises the NPS


def test_an_open_p0_with_no_report_this_week_is_quoted_from_before(tmp_path):
    """A safety finding stays open (P0) until a person closes it; in a week with no new
    report its owner still reads what was reported, dated, instead of no quote at all."""
    b = StoreBuilder(open_store(tmp_path / "s.db"))
    for week in (WEEK47 - timedelta(weeks=1), WEEK47):
        for i in range(60):
            b.add(f"{week + timedelta(days=i % 7)} 10:{i:02d}:00", sentiment="positive", product="X1")
    b.add(f"{WEEK47 - timedelta(days=5)} 12:00:00", text="充电口冒烟了，还有焦味", product="X1",
          sentiment="negative", safety="smoke")
    store = b.commit()
    build_report(store, iso_week("2026-W46"), lexicons=LEX, options=NO_EMERGING)
    report = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    (f,) = [f for f in report.findings if f.kind == "safety"]
    assert (f.priority, f.count, f.status) == ("P0", 0, "ongoing")
    (q,) = report.quotes_of(f.id)
    assert q.text.startswith("充电口冒烟了") and q.created_at < report.period.start_ts
    from voc.report.markdown import render_markdown

    md = render_markdown(report)
    assert f"充电口冒烟了，还有焦味” ({q.created_at[:10]})" in md
    # the owner's sheet says how each quiet finding can end: a person closes a safety finding,
    # the evidence resolves the others
    from dataclasses import replace

    import openpyxl

    from voc.report.excel import write_workbook

    topic = replace(f, id="F-topic", kind="topic", topic="battery", hazard=None, priority="P3")
    quiet = replace(report, findings=[*report.findings, topic])
    write_workbook(quiet, [], tmp_path / "w.xlsx")
    said = [c.value for ws in openpyxl.load_workbook(tmp_path / "w.xlsx") for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("本期没有新的反馈")]
    assert any("直到有人关闭" in v and "充电口冒烟了" in v for v in said)
    assert any("回到基线" in v and "直到有人关闭" not in v for v in said)


def test_an_open_p0_quiet_this_week_is_quoted_from_its_latest_reports_first(tmp_path):
    """Its owner reads the latest reports first: W46's before W44's, however quotable W44's are."""
    b = StoreBuilder(open_store(tmp_path / "s.db"))
    for back in range(4, -1, -1):
        week = WEEK47 - timedelta(weeks=back)
        for i in range(60):
            b.add(f"{week + timedelta(days=i % 7)} 10:{i:02d}:00", sentiment="positive", product="X1")
    b.add(f"{WEEK47 - timedelta(weeks=3)} 12:00:00", text="充电的时候插头冒烟了，还有一股很浓的焦味，吓得赶紧拔了",
          product="X1", sentiment="negative", safety="smoke")
    b.add(f"{WEEK47 - timedelta(days=3)} 12:00:00", text="又冒烟了", product="X1", sentiment="negative",
          safety="smoke")
    store = b.commit()
    for week in ("2026-W44", "2026-W45", "2026-W46"):
        build_report(store, iso_week(week), lexicons=LEX, options=NO_EMERGING)
    report = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    (f,) = [f for f in report.findings if f.kind == "safety"]
    assert f.count == 0 and f.status != "resolved"
    assert [q.text for q in report.quotes_of(f.id)] == ["又冒烟了", "充电的时候插头冒烟了，还有一股很浓的焦味，吓得赶紧拔了"]


def test_min_count_and_share_set_the_volume_threshold():
    opts = FindingOptions(min_count=10, min_share=0.001)
    assert opts.threshold(500) == 10
    assert opts.threshold(50_000) == 50


def test_finding_ids_are_stable_and_distinct():
    assert finding_id("topic", "battery", "Y9000P") == finding_id("topic", "battery", "Y9000P")
    assert finding_id("topic", "battery", "Y9000P") != finding_id("safety", "battery", "Y9000P")
    assert finding_id("topic", "battery", "Y9000P").startswith("F-")


def test_compare_at_baseline_and_would_have_seen():
    assert compare(40, 1000, 12, 1000) == "worsening"
    assert compare(12, 1000, 40, 1000) == "improving"
    assert compare(13, 1000, 12, 1000) == "ongoing"
    assert compare(24, 2000, 12, 1000) == "ongoing"  # same rate, twice the volume
    assert at_baseline(0, 1000, 0.0)
    assert at_baseline(2, 400, 2.5)  # expected 1: two is normal
    assert not at_baseline(8, 400, 2.5)
    # would the quiet weeks have shown an issue at the rate it had when open?
    assert would_have_seen(2, 800, 30 / 400)  # 60 expected, 2 seen
    assert not would_have_seen(0, 20, 30 / 400)  # 1.5 expected: a small week proves nothing
    assert not would_have_seen(0, 0, 0.1)  # an empty week never does


def test_emerging_clusters_become_routed_findings_or_join_their_topic_finding(tmp_path):
    from voc.findings.routing import load_router
    from voc.findings.select import ClusterInfo, candidates
    from voc.findings.series import Buckets, Counts, test_series

    store = demo_store(tmp_path / "c.db", weeks=9)
    w = iso_week("2026-W47")
    counts = Counts.from_store(store, Buckets.of(w, 8))
    counts.clusters = {"E1234abcd": np.array([0.0] * 8 + [12.0]), "E99990000": np.array([1.0] * 8 + [40.0])}
    tests = test_series(counts)
    assert tests["E1234abcd"].burst and tests["E99990000"].burst
    clusters = {
        "E1234abcd": ClusterInfo("E1234abcd", "指纹·解锁", ("指纹", "解锁"), "", "Y9000P", (("Y9000P", 0.8),)),
        "E99990000": ClusterInfo("E99990000", "充电·续航", ("充电", "续航"), "battery", "ThinkBook14",
                                 (("ThinkBook14", 0.9),)),
    }
    found = {f.kind + ":" + f.topic: f for f in candidates(tests, counts.period_volume, load_router(LEX),
                                                          FindingOptions(), clusters=clusters)}
    new_issue = found["emerging:emerging"]
    assert (new_issue.owner.team, new_issue.product, new_issue.cluster_id, new_issue.burst) == (
        "质量分析", "Y9000P", "E1234abcd", True)
    assert new_issue.label == "指纹·解锁" and new_issue.terms == ("指纹", "解锁")
    assert new_issue.id == finding_id("emerging", "emerging", "Y9000P", "E1234abcd")
    # its numbers are its series' test: one growth figure
    assert (new_issue.count, new_issue.growth, new_issue.q_value) == (
        12, tests["E1234abcd"].growth, tests["E1234abcd"].q_value)
    battery = found["topic:battery"]
    assert battery.emerging_id == "E99990000" and battery.burst  # joined, not duplicated
    assert battery.growth == tests["battery@ThinkBook14"].growth  # the topic series' own figure
    assert sum(f.kind == "emerging" for f in found.values()) == 1


def test_a_new_finding_needs_two_quiet_weeks_with_volume_to_resolve(tmp_path):
    store = series_store(tmp_path / "nb.db", {("thermal", "Q"): [0] * 8 + [12, 0, 0]}, background=200, weeks=11)
    first = build_report(store, iso_week("2026-W46"), lexicons=LEX, options=NO_EMERGING)
    (f,) = [f for f in first.findings if f.topic == "thermal"]
    assert (f.status, f.count) == ("new", 12)
    w47 = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    (f,) = [f for f in w47.findings if f.topic == "thermal"]
    assert (f.status, f.count, f.previous_count, f.qualifies) == ("improving", 0, 12, False)
    w48 = build_report(store, iso_week("2026-W48"), lexicons=LEX, options=NO_EMERGING)
    (f,) = [f for f in w48.findings if f.topic == "thermal"]
    assert f.status == "resolved"


def test_the_follow_up_of_a_finding_no_longer_listed_counts_its_series_this_week(tmp_path):
    """A resolved finding leaves the findings list; the follow-up still says how many its
    series has this week (it said 0 whatever the count was)."""
    store = series_store(tmp_path / "fu.db", {("thermal", "Q"): [0] * 8 + [12, 0, 0, 2]}, background=200, weeks=12)
    for w in ("2026-W46", "2026-W47", "2026-W48"):
        build_report(store, iso_week(w), lexicons=LEX, options=NO_EMERGING)
    w49 = build_report(store, iso_week("2026-W49"), lexicons=LEX, options=NO_EMERGING)
    assert not [f for f in w49.findings if f.topic == "thermal"]
    (u,) = [u for u in w49.followup if u.topic == "thermal"]
    assert (u.status, u.then_count, u.now_count) == ("resolved", 12, 2)


def test_a_week_too_small_to_show_the_issue_resolves_nothing(tmp_path):
    """Three records after weeks of two hundred (an export cut short): had the issue
    persisted, less than one report was expected there, so the week is no evidence it
    went away, neither as the second quiet week nor as a link in the streak."""
    store = series_store(tmp_path / "small.db", {("thermal", "Q"): [0] * 8 + [12, 0, 0, 0]},
                         background=[200] * 10 + [3, 200], weeks=12)
    build_report(store, iso_week("2026-W46"), lexicons=LEX, options=NO_EMERGING)
    w47_report = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    w48 = build_report(store, iso_week("2026-W48"), lexicons=LEX, options=NO_EMERGING)
    (f,) = [f for f in w48.findings if f.topic == "thermal"]
    assert (f.status, f.count, w48.volume.total) == ("ongoing", 0, 3)
    from voc.report.markdown import render_markdown

    assert w48.thin and not w47_report.thin  # and every format says so
    assert "不到上期 200 条的五分之一" in render_markdown(w48)
    assert w48.to_json()["thin"] is True
    w49 = build_report(store, iso_week("2026-W49"), lexicons=LEX, options=NO_EMERGING)
    (f,) = [f for f in w49.findings if f.topic == "thermal"]
    assert f.status == "resolved"  # W47 and W49 had the volume, W48 is passed over


def test_a_topic_spread_over_many_products_becomes_one_finding_for_all_products(tmp_path):
    series = {("logistics", f"L{i}"): [2] * 10 for i in range(8)}  # 16 a week, 2 per product
    series[("thermal", "Q")] = [12] * 10
    store = series_store(tmp_path / "spread.db", series)
    report = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    spread = [f for f in report.findings if f.product == "*"]
    assert [(f.topic, f.count, f.owner.team) for f in spread] == [("logistics", 16, "供应链")]
    assert report.quotes_of(spread[0].id)  # quotes from any product
    assert not any(
        f.topic == "thermal" and f.product == "*" for f in report.findings
    )  # Q covers it


def test_a_cluster_spread_over_products_joins_its_topics_finding_across_products(tmp_path):
    """A fault the taxonomy names, written about on several products with none the main one
    (充电口松动 on four laptops), is its topic's finding across products, not a second
    emerging finding counting the same complaints again."""
    from voc.findings.routing import load_router
    from voc.findings.select import ClusterInfo, alarms, candidates
    from voc.findings.series import Buckets, Counts, test_series

    store = demo_store(tmp_path / "s.db", weeks=9)
    counts = Counts.from_store(store, Buckets.of(iso_week("2026-W47"), 8))
    counts.clusters = {"E5555aaaa": np.array([0.0] * 8 + [14.0])}
    tests = test_series(counts)
    options = FindingOptions()
    threshold = options.threshold(counts.period_volume)
    spread = next(t for t in sorted(tests.values(), key=lambda t: t.key)
                  if t.kind == "spread" and t.count > 0 and (t.burst or t.count >= threshold))
    topic = spread.key[0]
    clusters = {"E5555aaaa": ClusterInfo("E5555aaaa", "充电口·松动", ("充电口", "松动"), topic, None,
                                         (("A", 0.29), ("B", 0.29), ("C", 0.21), ("D", 0.21)))}
    found = candidates(tests, counts.period_volume, load_router(LEX), options, clusters=clusters)
    assert not [f for f in found if f.kind == "emerging"]
    (joined,) = [f for f in found if f.emerging_id == "E5555aaaa"]
    assert (joined.kind, joined.topic, joined.product) == ("topic", topic, "*")
    assert (f"{topic}@*", ["E5555aaaa"]) in alarms(tests, clusters, counts.period_volume, options)


def test_a_steady_rise_is_worsening_though_each_step_is_too_small_to_tell(tmp_path):
    """8 → 15 → 22 complaints a week: neither step alone is significant, the rise over the
    two weeks is, and it went the same way twice: 恶化, not 持续. A jump and a fall back is no trend."""
    store = series_store(tmp_path / "tr.db", {("thermal", "Q"): [0] * 6 + [8, 8, 15, 22],
                                              ("display", "Q"): [0] * 6 + [8, 8, 22, 15]}, background=300)
    statuses = {}
    for w in ("2026-W44", "2026-W45", "2026-W46", "2026-W47"):
        r = build_report(store, iso_week(w), lexicons=LEX, options=NO_EMERGING)
        statuses[w] = {f.topic: f.status for f in r.findings if f.product == "*"}  # the series followed since W44
    assert statuses["2026-W46"]["thermal"] == "ongoing"  # 8 → 15 alone is not clear
    assert statuses["2026-W47"]["thermal"] == "worsening"
    assert statuses["2026-W47"]["display"] != "worsening"


def test_the_trend_starts_at_the_stores_first_week_of_feedback(tmp_path):
    """A store that began three weeks ago draws three weeks, not nine empty ones before them."""
    store = series_store(tmp_path / "t.db", {("thermal", "Q"): [0] * 9 + [5]}, background=[0] * 7 + [200, 200, 200])
    r = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    assert [label for label, _ in r.trend] == ["2026-W45", "2026-W46", "2026-W47"]


def test_a_closed_finding_that_comes_back_reads_reopened_in_the_report_and_the_list(tmp_path):
    """A fault a person closed that bursts again is open again, as 重新打开 in the report's
    findings and in `voc findings list` alike (its JSON status stays new, reopened true)."""
    from voc import api
    from voc.report.i18n import Labels

    store = series_store(tmp_path / "rb.db", {("thermal", "Q"): [0] * 7 + [12, 0, 30]}, background=300)
    for w in ("2026-W45", "2026-W46"):
        r = build_report(store, iso_week(w), lexicons=LEX, options=NO_EMERGING)
    (f,) = [f for f in build_report(store, iso_week("2026-W45"), lexicons=LEX, options=NO_EMERGING).findings
            if f.topic == "thermal"]
    api.decide(store, f.id, "close", note="换了风扇批次", by="王工")
    r = build_report(store, iso_week("2026-W47"), lexicons=LEX, options=NO_EMERGING)
    (back,) = [g for g in r.findings if g.id == f.id]
    assert (back.status, back.reopened, back.to_json()["reopened"]) == ("new", True, True)
    assert Labels("zh").finding_status(back) == "重新打开"
    (state,) = [s for s in api.findings(store) if s.id == f.id]
    assert state.reopened and state.to_json()["reopened"] is True
