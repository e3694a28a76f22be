"""Emerging issues end to end on generated stores: bursts, steady issues, seasons, identities, CLI."""

from __future__ import annotations

import json
import shutil

import pytest
from emerging_synth import Plan, build_store, iso_weeks
from typer.testing import CliRunner

from voc.cli import app
from voc.emerging import EmergingResult, detect_emerging
from voc.period import iso_week
from voc.store import open_store

WEEKS = iso_weeks("2026-W37", 12)  # W37 .. W48
PRODUCTS = {"BigA": 500, "BigB": 350, "SmallX": 25}
EVENTS = [("swelling", "SmallX", "2026-W46", 15), ("swelling", "SmallX", "2026-W47", 22)] + [
    ("fingerprint", "BigA", w, n) for w, n in zip(WEEKS[-4:], (3, 6, 12, 20), strict=True)
]
PLAN = Plan(weeks=WEEKS, products=PRODUCTS, season={"2026-W45": 2.0, "2026-W46": 2.5}, events=EVENTS, seed=11)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("em") / "demo.db", PLAN)


@pytest.fixture
def db(demo_db, tmp_path):
    """A private copy, so that identities written by one test do not leak into another."""
    path = tmp_path / "t.db"
    shutil.copy(demo_db, path)
    return path


def run(path, week: str, **kw) -> EmergingResult:
    with open_store(path) as store:
        return detect_emerging(store, iso_week(week), **kw)


@pytest.mark.parametrize("week", ["2026-W46", "2026-W47"])
def test_burst_in_small_product_line_is_the_top_alarm(db, week):
    result = run(db, week)
    top = result.alarms[0]
    assert top.products[0].name == "SmallX" and top.products[0].count >= 12
    assert "鼓包" in top.terms or top.id == "battery@SmallX"
    assert top.status in ("new", "growing") and top.q_value <= 0.05
    assert top.safety > 0
    # the topic x product series of the same records is folded into it, not a second alarm
    assert not any(a.id == "battery@SmallX" for a in result.alarms[1:])


@pytest.mark.parametrize("week", ["2026-W42", "2026-W43", "2026-W44"])
def test_steady_issues_do_not_alarm(db, week):
    result = run(db, week)
    assert result.alarms == ()
    assert len(result.clusters) >= 6  # the steady issues are there, just not alarming
    assert {c.status for c in result.clusters} <= {"ongoing", "fading"}


def test_seasonal_rise_in_volume_does_not_alarm_on_its_own(tmp_path):
    weeks = iso_weeks("2026-W37", 10)
    plan = Plan(weeks=weeks, products=PRODUCTS, season={weeks[-1]: 3.0}, seed=5)
    path = build_store(tmp_path / "season.db", plan)
    result = run(path, weeks[-1])
    assert result.stats["volume"] > 2.5 * result.stats["volume_baseline"] / 8
    assert result.alarms == ()
    assert all(c.growth is None or 0.6 < c.growth < 1.6 for c in result.clusters if c.count >= 20)


def test_never_named_theme_surfaces_as_candidate_topic(db):
    result = run(db, "2026-W48")
    cand = [c for c in result.candidates if "指纹" in c.suggested_keywords]
    assert cand, [c.label for c in result.candidates]
    assert cand[0].untagged_share > 0.9 and cand[0].count >= 15
    assert any(a.id == cand[0].cluster_id for a in result.alarms)  # and it is growing


def test_identities_are_stable_across_reruns(db):
    first = run(db, "2026-W47")
    second = run(db, "2026-W47")
    assert [(c.id, c.label, c.count) for c in first.clusters] == [(c.id, c.label, c.count) for c in second.clusters]
    assert [a.id for a in first.alarms] == [a.id for a in second.alarms]


def test_identities_are_stable_across_added_weeks(tmp_path):
    path = build_store(tmp_path / "grow.db", PLAN, weeks=WEEKS[:-1])  # up to W47
    before = run(path, "2026-W47")
    build_store(path, PLAN, weeks=WEEKS[-1:])  # W48 arrives
    later = run(path, "2026-W48")
    again = run(path, "2026-W47")
    assert {c.id: c.count for c in again.clusters} == {c.id: c.count for c in before.clusters}
    # the issues that continue into W48 keep their W47 ids
    by_label = {c.terms[0]: c.id for c in before.clusters}
    for c in later.clusters:
        if c.count >= 20 and c.terms[0] in by_label:
            assert c.id == by_label[c.terms[0]], c.label
    fp_47 = next(c.id for c in before.clusters if "指纹" in c.terms)
    fp_48 = next(c.id for c in later.clusters if "指纹" in c.terms)
    assert fp_47 == fp_48


def test_fresh_stores_give_the_same_ids_for_the_same_data(db, tmp_path):
    other = tmp_path / "other.db"
    shutil.copy(db, other)
    assert [c.id for c in run(db, "2026-W46").clusters] == [c.id for c in run(other, "2026-W46").clusters]


def test_results_are_stored(db):
    result = run(db, "2026-W47")
    with open_store(db) as store:
        ids = {r[0] for r in store.conn.execute("SELECT id FROM emerging_clusters")}
        weeks = store.count("emerging_cluster_weeks")
        alarms = {r[0] for r in store.conn.execute("SELECT subject FROM emerging_status WHERE period = '2026-W47' AND alarm = 1")}
    assert {c.id for c in result.clusters} <= ids
    assert weeks >= len(ids) * 9
    assert {a.id for a in result.alarms} <= alarms


def test_fading_after_the_burst(db):
    run(db, "2026-W47")
    after = run(db, "2026-W48")
    swelling = [c for c in after.clusters if "鼓包" in c.terms]
    assert swelling and swelling[0].status == "fading" and not swelling[0].alarm


def test_json_has_the_design_keys(db):
    data = run(db, "2026-W47").to_json()
    assert {"period", "emerging", "clusters", "topic_bursts", "candidates"} <= set(data)
    keys = {"id", "label", "terms", "products", "topics", "count", "baseline", "growth", "p_value", "status", "quotes"}
    for item in data["emerging"] + data["clusters"] + data["topic_bursts"]:
        assert keys <= set(item)
        assert item["status"] in ("new", "growing", "ongoing", "fading")
    assert all(3 <= len(a["quotes"]) <= 5 for a in data["emerging"])
    assert all("suggested_keywords" in c for c in data["candidates"])
    json.dumps(data, allow_nan=False)


def test_empty_store_has_nothing_to_report(tmp_path):
    with open_store(tmp_path / "empty.db") as store:
        result = detect_emerging(store, iso_week("2026-W47"))
    assert result.alarms == () and result.clusters == () and result.candidates == ()


def test_cli_json_and_plain_output(db):
    runner = CliRunner()
    res = runner.invoke(app, ["emerging", "--db", str(db), "--week", "2026-W47", "--json"], catch_exceptions=False)
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["period"] == "2026-W47" and data["emerging"]
    res = runner.invoke(app, ["emerging", "--db", str(db), "--week", "latest"], catch_exceptions=False)
    assert res.exit_code == 0
    assert res.stdout.startswith("period\t2026-W48") and "\nalarm\t" in res.stdout


def test_cli_rejects_a_bad_week(db):
    res = CliRunner().invoke(app, ["emerging", "--db", str(db), "--week", "2026-W99"])
    assert res.exit_code == 2
    assert "W99" in res.stderr


def test_a_report_reads_the_stored_clustering_and_clusters_again_only_when_stale(db, monkeypatch):
    import voc.emerging.run as emerging_run
    from voc.report.build import ReportOptions, build_report

    result = run(db, "2026-W47")  # `voc emerging` stores the week's clustering
    assert not result.stats["reused_clustering"]

    def refuse(*_a, **_k):
        raise AssertionError("clustered again although the stored run is current")

    monkeypatch.setattr(emerging_run, "cluster_period", refuse)
    with open_store(db) as store:
        report = build_report(store, iso_week("2026-W47"), options=ReportOptions(n_boot=100))
        assert not report.emerging_error
        alarms = {(a.id, a.count, a.growth) for a in result.alarms}
        shown = {(e["id"], e["count"], e["growth"]) for e in report.to_json()["emerging"]}
        assert {(i, c) for i, c, _g in alarms} == {(i, c) for i, c, _g in shown}  # the same issues and counts
        store.bump_generation()  # new data arrived: the stored run is stale
        stale = build_report(store, iso_week("2026-W47"), options=ReportOptions(n_boot=100))
    assert stale.emerging_error.startswith("AssertionError: clustered again")


def test_plain_output_never_calls_an_ongoing_issue_new():
    """With no baseline the growth is '-': whether an issue is new is its status (a small
    cluster with no history is ongoing, and 'ongoing ... growth=new' read as a contradiction)."""
    from types import SimpleNamespace

    from voc.cli.emerging import _growth

    assert _growth(SimpleNamespace(growth=None)) == "-"
    assert _growth(SimpleNamespace(growth=2.5)) == "2.5x"


def test_the_first_week_has_no_baseline_to_show(db):
    """With no record in the baseline weeks, a baseline of 0.0 would say none was expected:
    the plain output says there is nothing to compare with and shows no baseline."""
    runner = CliRunner()
    first = runner.invoke(app, ["emerging", "--db", str(db), "--week", "2026-W37"], catch_exceptions=False)
    assert first.exit_code == 0
    lines = first.stdout.splitlines()
    assert lines[1].startswith("note\tno record in the baseline weeks")
    clusters = [line for line in lines if line.startswith("cluster\t")]
    assert clusters and all("\tbaseline=-\t" in line for line in clusters)
    later = runner.invoke(app, ["emerging", "--db", str(db), "--week", "2026-W38"], catch_exceptions=False)
    assert "\nnote\t" not in later.stdout and "\tbaseline=-\t" not in later.stdout
