"""Findings: which topic x product become findings, their owners, priorities and the
closed loop of statuses across weeks kept in the store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from report_synth import WEEK47, StoreBuilder, demo_store

from voc.period import iso_week
from voc.report.build import ReportOptions, build_report
from voc.report.findings import FindingOptions, finding_id
from voc.report.loop import back_to_baseline, compare
from voc.store import Store

REPO = Path(__file__).resolve().parents[1]
LEX = REPO / "lexicons"
NO_EMERGING = ReportOptions(emerging=False, n_boot=300)


def series_store(
    path: Path, series: dict[tuple[str, str], list[int]], *, background: int = 400
) -> Store:
    """Ten weeks ending 2026-W47: ``background`` plain records a week plus the given
    negative-topic counts per week for each (topic, product)."""
    b = StoreBuilder(Store(path))
    for w in range(10):
        monday = WEEK47 - timedelta(weeks=9 - w)
        for i in range(background):
            day = monday + timedelta(days=i % 7)
            b.add(f"{day} 10:{i % 60:02d}:00", product="Z", sentiment="positive", rating=5)
        for (topic, product), counts in series.items():
            for i in range(counts[w]):
                day = monday + timedelta(days=i % 7)
                b.add(f"{day} 11:{i % 60:02d}:00", product=product, sentiment="negative", rating=1,
                      topics=((topic, "neg"),))  # fmt: skip
    return b.commit()


@pytest.fixture
def loop_store(tmp_path):
    return series_store(
        tmp_path / "loop.db",
        {
            ("battery", "P"): [
                1,
                1,
                1,
                1,
                1,
                1,
                1,
                1,
                30,
                2,
            ],  # burst in W46, back to baseline in W47
            ("thermal", "Q"): [12] * 9 + [40],  # steady, then worse
            ("display", "R"): [40] * 9 + [15],  # steady, then better (still a finding)
            ("noise", "S"): [12] * 9 + [13],  # steady
        },
    )


def _rows(store: Store, fid: str) -> dict[str, tuple[str, int]]:
    sql = "SELECT period, status, count FROM finding_periods WHERE finding_id = ? ORDER BY period_start"
    return {p: (s, c) for p, s, c in store.conn.execute(sql, (fid,))}


def test_statuses_across_weeks_are_kept_in_the_store(loop_store):
    report = build_report(loop_store, iso_week("2026-W47"), lexicon_dir=LEX, options=NO_EMERGING)
    by_topic = {f.topic: f for f in report.findings}
    assert by_topic["battery"].status == "resolved"
    assert by_topic["thermal"].status == "worsening"
    assert by_topic["display"].status == "improving"
    assert by_topic["noise"].status == "ongoing"
    battery = _rows(loop_store, finding_id("topic", "battery", "P"))
    assert battery["2026-W46"] == ("new", 30)
    assert battery["2026-W47"] == ("resolved", 2)
    assert "2026-W45" not in battery  # one a week is not a finding
    # back-filled weeks W43..W46 were computed before W47
    periods = [
        r[0]
        for r in loop_store.conn.execute("SELECT period FROM report_periods ORDER BY period_start")
    ]
    assert periods == ["2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    assert _rows(loop_store, finding_id("topic", "noise", "S"))["2026-W43"][0] == "new"


def test_report_shows_whether_last_months_findings_got_better(loop_store):
    report = build_report(loop_store, iso_week("2026-W47"), lexicon_dir=LEX, options=NO_EMERGING)
    verdicts = {u.topic: u.verdict for u in report.followup}
    assert verdicts == {
        "battery": "resolved",
        "thermal": "worse",
        "display": "better",
        "noise": "unchanged",
    }
    battery = next(u for u in report.followup if u.topic == "battery")
    assert (battery.then_period, battery.then_count, battery.now_count) == ("2026-W46", 30, 2)


def test_rerunning_a_week_is_idempotent(loop_store):
    first = build_report(loop_store, iso_week("2026-W47"), lexicon_dir=LEX, options=NO_EMERGING)
    n_rows = loop_store.count("finding_periods")
    again = build_report(loop_store, iso_week("2026-W47"), lexicon_dir=LEX, options=NO_EMERGING)
    assert loop_store.count("finding_periods") == n_rows
    assert [(f.id, f.status, f.priority, f.count) for f in first.findings] == [
        (f.id, f.status, f.priority, f.count) for f in again.findings
    ]


def test_date_ranges_get_statuses_but_are_not_stored(loop_store):
    from voc.period import resolve_period

    build_report(loop_store, resolve_period(since="2026-11-16", until="2026-11-22"), lexicon_dir=LEX,
                 options=NO_EMERGING)  # fmt: skip
    assert loop_store.count("finding_periods") == 0


def test_demo_burst_and_safety_reports_are_routed_findings(tmp_path):
    store = demo_store(tmp_path / "demo.db")
    report = build_report(
        store, iso_week("2026-W47"), lexicon_dir=LEX, options=ReportOptions(n_boot=300)
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
        store, iso_week("2026-W47"), lexicon_dir=LEX, options=ReportOptions(n_boot=300)).findings}  # fmt: skip
    assert [q.text for q in report.quotes_of(s.id)][0].startswith("电池鼓包")


def test_safety_report_without_topic_goes_to_the_safety_owner(tmp_path):
    b = StoreBuilder(Store(tmp_path / "s.db"))
    for i in range(50):
        b.add(f"2026-11-1{7 + i % 3} 10:00:{i:02d}", sentiment="positive")
    b.add("2026-11-18 12:00:00", text="插头冒烟了", product="X1", sentiment="negative", safety=True)
    store = b.commit()
    report = build_report(store, iso_week("2026-W47"), lexicon_dir=LEX, options=NO_EMERGING)
    (f,) = report.findings
    assert (f.kind, f.priority, f.owner.team, f.product) == ("safety", "P0", "产品安全", "X1")


def test_min_count_and_share_set_the_volume_threshold():
    opts = FindingOptions(min_count=10, min_share=0.001)
    assert opts.threshold(500) == 10
    assert opts.threshold(50_000) == 50


def test_finding_ids_are_stable_and_distinct():
    assert finding_id("topic", "battery", "Y9000P") == finding_id("topic", "battery", "Y9000P")
    assert finding_id("topic", "battery", "Y9000P") != finding_id("safety", "battery", "Y9000P")
    assert finding_id("topic", "battery", "Y9000P").startswith("F-")


def test_compare_and_back_to_baseline():
    assert compare(40, 1000, 12, 1000) == "worsening"
    assert compare(12, 1000, 40, 1000) == "improving"
    assert compare(13, 1000, 12, 1000) == "ongoing"
    assert compare(24, 2000, 12, 1000) == "ongoing"  # same rate, twice the volume
    assert back_to_baseline(0, 1000, 0.0)
    assert back_to_baseline(2, 400, 2.5)  # expected 1: two is normal
    assert not back_to_baseline(8, 400, 2.5)


def _issue(id_: str, kind: str, topic: str | None, product: str, count: int, status: str = "new"):
    from voc.emerging import Issue, Share

    topics = (Share(topic, count, 0.9),) if topic else ()
    return Issue(id=id_, kind=kind, label=f"{topic or '指纹'} 问题", terms=("指纹", "解锁"),
                 products=(Share(product, count, 0.8),), topics=topics, count=count, baseline=1.0,
                 growth=float(count), p_value=1e-6, q_value=1e-5, status=status, alarm=True,
                 quotes=("指纹解锁经常失灵",))  # fmt: skip


def test_emerging_clusters_become_routed_findings_or_join_their_topic_finding(tmp_path):
    from voc.report.cube import read_day_cube, read_day_topics, read_period_topics
    from voc.report.findings import candidates
    from voc.report.metrics import NpsQuery
    from voc.report.routing import load_router
    from voc.report.window import window_from

    store = demo_store(tmp_path / "c.db", weeks=9)
    w = iso_week("2026-W47")
    q = NpsQuery()
    lo = w.start - timedelta(weeks=8)
    window = window_from(read_day_cube(store, q, lo, w.end), read_day_topics(store, lo, w.end),
                         read_period_topics(store, q, w.start_ts, w.end_ts), w, 8)  # fmt: skip
    alarms = [
        _issue("E1234abcd", "cluster", None, "Y9000P", 12),
        _issue("E99990000", "cluster", "battery", "ThinkBook14", 40),
    ]
    found = {
        f.kind + ":" + f.topic: f
        for f in candidates(window, load_router(LEX), FindingOptions(), alarms=alarms)
    }
    new_issue = found["emerging:emerging"]
    assert (new_issue.owner.team, new_issue.product, new_issue.cluster_id, new_issue.burst) == (
        "质量分析",
        "Y9000P",
        "E1234abcd",
        True,
    )
    assert new_issue.id == finding_id("emerging", "emerging", "Y9000P", "E1234abcd")
    battery = found["topic:battery"]
    assert battery.emerging_id == "E99990000" and battery.burst  # joined, not duplicated
    assert sum(f.kind == "emerging" for f in found.values()) == 1


def test_without_any_baseline_a_finding_resolves_once_it_stops_qualifying(tmp_path):
    store = series_store(tmp_path / "nb.db", {("thermal", "Q"): [0] * 8 + [12, 4]}, background=0)
    store.conn.execute(
        "DELETE FROM records WHERE created_at < '2026-11-09'"
    )  # only W46 and W47 remain
    report = build_report(store, iso_week("2026-W47"), lexicon_dir=LEX, options=NO_EMERGING)
    (f,) = report.findings
    assert (f.status, f.count, f.previous_count) == ("resolved", 4, 12)
    assert f.baseline_rate is None


def test_a_topic_spread_over_many_products_becomes_one_finding_for_all_products(tmp_path):
    series = {("logistics", f"L{i}"): [2] * 10 for i in range(8)}  # 16 a week, 2 per product
    series[("thermal", "Q")] = [12] * 10
    store = series_store(tmp_path / "spread.db", series)
    report = build_report(store, iso_week("2026-W47"), lexicon_dir=LEX, options=NO_EMERGING)
    spread = [f for f in report.findings if f.product == "*"]
    assert [(f.topic, f.count, f.owner.team) for f in spread] == [("logistics", 16, "供应链")]
    assert report.quotes_of(spread[0].id)  # quotes from any product
    assert not any(
        f.topic == "thermal" and f.product == "*" for f in report.findings
    )  # Q covers it
