"""The closed loop as a user meets it: empty and unanalysed weeks are refused, a P0 is
never forgotten, people close and reopen findings, `voc run` with nothing new leaves
the loop alone."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from report_synth import StoreBuilder
from typer.testing import CliRunner

from voc.cli import app
from voc.store import open_store

REPO = Path(__file__).resolve().parents[1]
LEX = str(REPO / "lexicons")
runner = CliRunner()
W40 = date(2026, 9, 28)  # Monday of 2026-W40


def invoke(*args: str):
    return runner.invoke(app, list(args))


def week(n: int) -> str:
    return f"2026-W{n}"


def build(path: Path | str, weeks: dict[int, dict]) -> Path | str:
    """Per ISO week of 2026: ``quiet`` positive reviews, ``safety`` battery swelling
    reports on X1, ``unanalysed`` records without analysis."""
    b = StoreBuilder(open_store(path))
    for n, spec in sorted(weeks.items()):
        monday = W40 + timedelta(weeks=n - 40)
        for i in range(spec.get("quiet", 0)):
            b.add(f"{monday + timedelta(days=i % 7)} 10:{i % 60:02d}:{i // 60:02d}", text="用着不错", product="X1",
                  sentiment="positive", rating=5)
        for i in range(spec.get("safety", 0)):
            b.add(f"{monday + timedelta(days=2)} 12:00:{i:02d}", text="电池鼓包了，后盖都顶起来了", product="X1",
                  sentiment="negative", rating=1, topics=(("battery", "neg"),), safety=True)
        for i in range(spec.get("unanalysed", 0)):
            b.add(f"{monday + timedelta(days=3)} 09:00:{i:02d}", text="新到的评价", sentiment=None)
    b.commit().close()
    return path


def report(db: Path, wk: str, *more: str):
    return invoke("report", "--db", str(db), "--lexicons", LEX, "--week", wk, "--no-emerging", "--json", *more)


def loop_state(db: Path) -> tuple:
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT * FROM finding_periods ORDER BY 1, 2").fetchall(),
                conn.execute("SELECT * FROM report_periods ORDER BY 1").fetchall(),
                conn.execute("SELECT * FROM finding_events ORDER BY 1").fetchall())


def test_an_empty_week_is_refused_names_the_latest_week_and_changes_nothing(tmp_path):
    db = build(tmp_path / "v.db", {45: {"quiet": 300, "safety": 1}, 46: {"quiet": 300}})
    assert report(db, week(45)).exit_code == 0
    before = loop_state(db)
    res = report(db, week(48), "--fail-on", "p0")
    assert res.exit_code == 2
    assert res.stderr.strip() == "Error: 2026-W48 has no feedback; the latest is in 2026-W46 (pass --week 2026-W46)"
    # --json: still one object on stdout, naming the error
    assert json.loads(res.stdout) == {"error": res.stderr.strip()[len("Error: "):], "exit_code": 2}
    assert loop_state(db) == before
    # an empty inbox for an empty week: `voc run` says the same and stores nothing
    (tmp_path / "inbox").mkdir()
    res = invoke("run", str(tmp_path / "inbox"), "--db", str(db), "--lexicons", LEX, "--week", week(48),
                 "--fail-on", "p0", "--no-emerging", "-q")
    assert res.exit_code == 2 and "2026-W48 has no feedback" in res.stderr
    assert loop_state(db) == before


def test_an_unanalysed_week_is_refused_and_changes_nothing(tmp_path):
    db = build(tmp_path / "v.db", {45: {"quiet": 200, "safety": 1}, 46: {"quiet": 200, "unanalysed": 7}})
    assert report(db, week(45)).exit_code == 0
    before = loop_state(db)
    res = report(db, week(46))
    assert res.exit_code == 2
    assert "2026-W46 has 7 of 207 records not analysed yet: run `voc analyze` first" in res.stderr
    assert loop_state(db) == before
    emerging = invoke("emerging", "--db", str(db), "--lexicons", LEX, "--week", week(46))
    assert emerging.exit_code == 2 and "not analysed yet" in emerging.stderr


def test_a_report_before_any_ingest_or_analysis_is_refused(tmp_path):
    db = build(tmp_path / "v.db", {45: {"unanalysed": 40}})
    res = report(db, week(45))
    assert res.exit_code == 2 and "40 of 40 records not analysed yet" in res.stderr


def _p0(out: dict) -> list[dict]:
    return [f for f in out["findings"] if f["priority"] == "P0"]


def test_a_p0_stays_open_across_quiet_and_empty_weeks_until_a_person_closes_it(store_target):  # both backends
    # one safety report in W41; then six quiet weeks (W44 has no feedback at all)
    db = build(store_target, {40: {"quiet": 400}, 41: {"quiet": 400, "safety": 1},
                                   42: {"quiet": 400}, 43: {"quiet": 400}, 45: {"quiet": 400},
                                   46: {"quiet": 400}, 47: {"quiet": 400}, 48: {"quiet": 400}})
    first = report(db, week(41), "--fail-on", "p0")
    assert first.exit_code == 3
    (p0,) = _p0(json.loads(first.stdout))
    assert (p0["status"], p0["count"], p0["kind"]) == ("new", 1, "safety")
    for n in (42, 43, 45, 46, 47):
        res = report(db, week(n), "--fail-on", "p0")
        assert res.exit_code == 3, (n, res.output)  # still open, still alarming
        (still,) = _p0(json.loads(res.stdout))
        assert still["id"] == p0["id"] and still["open"] and still["status"] in ("ongoing", "improving")
        assert still["count"] == 0 and not still["qualifies"]
    assert report(db, week(44)).exit_code == 2  # the empty week is refused, not quiet
    # a person closes it, with a note
    listed = invoke("findings", "list", "--db", str(db), "--priority", "p0", "--json")
    assert [f["id"] for f in json.loads(listed.stdout)["findings"]] == [p0["id"]]
    closed = invoke("findings", "close", p0["id"][:8], "--db", str(db), "--note", "更换电池供应商批次", "--by", "王工")
    assert closed.exit_code == 0, closed.output
    assert f"{p0['id']}: closed by 王工 from 2026-W47" in closed.stderr
    rerun = json.loads(report(db, week(47), "--fail-on", "p0").stdout)
    (shown,) = [f for f in rerun["findings"] if f["id"] == p0["id"]]
    assert shown["status"] == "closed" and not shown["open"]
    assert shown["decision"] == {"action": "close", "by": "王工", "at": shown["decision"]["at"],
                                 "note": "更换电池供应商批次", "period": "2026-W47"}
    w48 = report(db, week(48), "--fail-on", "p0")
    assert w48.exit_code == 0 and not _p0(json.loads(w48.stdout))
    assert invoke("findings", "close", p0["id"], "--db", str(db), "--note", "again").exit_code == 2
    # reopened: followed and alarming again
    reopened = invoke("findings", "reopen", p0["id"], "--db", str(db), "--note", "复发了", "--by", "李工")
    assert reopened.exit_code == 0, reopened.output
    again = report(db, week(48), "--fail-on", "p0")
    assert again.exit_code == 3
    (back,) = _p0(json.loads(again.stdout))
    assert back["id"] == p0["id"] and back["open"] and back["decision"]["action"] == "reopen"
    shown = invoke("findings", "show", p0["id"], "--db", str(db))
    assert shown.exit_code == 0
    assert "已关闭\t王工" in shown.stdout and "已重开\t李工" in shown.stdout and "2026-W41\t1\t" in shown.stdout


def test_a_closed_p0_comes_back_as_new_when_another_safety_report_arrives(store_target):  # both backends
    db = build(store_target, {41: {"quiet": 300, "safety": 1}, 42: {"quiet": 300}, 43: {"quiet": 300, "safety": 2}})
    (p0,) = _p0(json.loads(report(db, week(41)).stdout))
    assert report(db, week(42)).exit_code == 0
    assert invoke("findings", "close", p0["id"], "--db", str(db), "--note", "fixed").exit_code == 0
    out = json.loads(report(db, week(43), "--fail-on", "p0").stdout)
    (back,) = _p0(out)
    assert (back["id"], back["status"], back["count"]) == (p0["id"], "new", 2)
    assert back["decision"]["action"] == "close"  # the earlier decision stays visible


def test_closing_needs_a_note_and_an_id_that_exists(store_target):  # both backends
    db = build(store_target, {41: {"quiet": 300, "safety": 1}})
    (p0,) = _p0(json.loads(report(db, week(41)).stdout))
    res = invoke("findings", "close", p0["id"], "--db", str(db), "--note", "  ")
    assert res.exit_code == 2 and "a note is required" in res.stderr
    res = invoke("findings", "close", "F-nope", "--db", str(db), "--note", "x")
    assert res.exit_code == 2 and "no finding 'F-nope'" in res.stderr
    res = invoke("findings", "reopen", p0["id"], "--db", str(db), "--note", "x")
    assert res.exit_code == 2 and "is open" in res.stderr


def test_run_with_nothing_new_for_a_reported_week_says_so_and_leaves_the_loop(tmp_path, monkeypatch):
    db = build(tmp_path / "v.db", {46: {"quiet": 300}, 47: {"quiet": 300, "safety": 1}})
    (tmp_path / "inbox").mkdir()
    args = ["run", str(tmp_path / "inbox"), "--db", str(db), "--lexicons", LEX, "--week", week(47), "--no-emerging",
            "--fail-on", "p0"]
    first = invoke(*args)
    assert first.exit_code == 3 and "nothing new" not in first.stderr  # W47 was never reported: it is now
    before = loop_state(db)
    second = invoke(*args)
    assert second.exit_code == 3  # the P0 is still open: cron keeps alarming
    assert "voc run: nothing new for 2026-W47 since its last report; the findings loop is untouched" in second.stderr
    assert loop_state(db) == before
    quiet = invoke(*args, "-q", "--xlsx", str(tmp_path / "r.xlsx"))
    assert quiet.exit_code == 3 and quiet.stdout == ""
    assert quiet.stderr.startswith("Alert: 1 open finding(s) at P0")  # the alert is all cron mails
    assert (tmp_path / "r.xlsx").is_file()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_output_shows_the_same_numbers(tmp_path, lang):
    """One report, four outputs: each finding's count, growth, status and label read the
    same in the console, the markdown, the workbook and the JSON."""
    import openpyxl
    from report_synth import demo_store

    from voc.findings.model import significant
    from voc.report.i18n import Labels, times

    db = tmp_path / "v.db"
    demo_store(db).close()
    xlsx, md = tmp_path / "r.xlsx", tmp_path / "r.md"
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--json", "--xlsx", str(xlsx),
                 "--markdown", str(md), "--lang", lang)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    console = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--lang", lang).stdout
    markdown = md.read_text(encoding="utf-8")
    t = Labels(lang)
    book = openpyxl.load_workbook(xlsx)
    rows = {r[1]: r for r in book[t("findings")].iter_rows(min_row=2, values_only=True) if r[1]}
    stats = {r[0]: r for r in book[t("details")].iter_rows(min_row=3, values_only=True) if r[0]}
    assert len(out["findings"]) >= 5
    for f in out["findings"]:
        growth = None if f["growth"] is None else f["growth"]
        status = t.status(f["status"])
        md_row = next(line for line in markdown.splitlines() if f"| {f['id']} |" in line)
        assert f"| {f['count']} |" in md_row and f"| {times(growth)} |" in md_row and f"| {status} |" in md_row
        if f["label"]:
            assert f["label"].split("·")[0] in md_row
        row = rows[f["id"]]
        assert row[4] == f["count"] and t.status(f["status"]) == row[6]
        assert (row[5] is None and growth is None) or round(row[5], 2) == growth
        detail = stats[f["id"]]
        assert detail[4] == f["count"] and significant(detail[10]) == f["q_value"] and t.status(f["status"]) == detail[16]
        if f["id"] in console:  # the console lists the first fifteen
            line = next(line for line in console.splitlines() if f["id"] in line)
            assert f" {f['count']:,} " in line and times(growth) in line and status in line
    # an emerging issue and the top-defects table show their finding's figures, not their own
    by_id = {f["id"]: f for f in out["findings"]}
    for issue in out["emerging"]:
        assert issue["growth"] == by_id[issue["finding_id"]]["growth"]
        assert issue["status"] == by_id[issue["finding_id"]]["status"]
    spread = {f["topic"]: f for f in out["findings"] if f["product"] == "*"}
    for topic in out["topics"]:
        if topic["topic"] in spread:
            assert topic["growth"] == spread[topic["topic"]]["growth"]
            # one group, one interval: the topic's row and its finding across products
            assert topic["nps_impact"] == spread[topic["topic"]]["nps_impact"]
    # a finding carried on from earlier weeks (it no longer qualifies) is prioritised on what
    # it is now: its impact and its share of complaints, as a qualifying one is
    carried = [f for f in out["findings"] if f["kind"] == "topic" and f["count"] and not f["qualifies"]]
    assert carried
    for f in carried:
        assert f["negative_share"] is not None and f["nps_impact"]["value"] is not None
    # and the follow-up says what the findings list says
    for u in out["followup"]:
        if u["id"] in by_id:
            assert u["status"] == by_id[u["id"]]["status"]


def test_a_safety_report_that_arrives_after_the_close_for_the_same_week_alarms_again(tmp_path):
    db = build(tmp_path / "v.db", {41: {"quiet": 300, "safety": 1}})
    (p0,) = _p0(json.loads(report(db, week(41)).stdout))
    assert invoke("findings", "close", p0["id"], "--db", str(db), "--note", "已召回").exit_code == 0
    assert report(db, week(41), "--fail-on", "p0").exit_code == 0  # closed: no alarm
    # a late export brings another swelling report dated in the same week
    b = StoreBuilder(open_store(db), prefix="late")
    b.add("2026-10-08 09:30:00", text="电池又鼓包了", product="X1", sentiment="negative", rating=1,
          topics=(("battery", "neg"),), safety=True)
    b.commit().close()
    res = report(db, week(41), "--fail-on", "p0")
    assert res.exit_code == 3
    (back,) = _p0(json.loads(res.stdout))
    assert (back["id"], back["status"], back["count"], back["open"]) == (p0["id"], "new", 2, True)


def test_two_hazards_on_one_product_are_two_findings_with_their_own_owner(tmp_path):
    b = StoreBuilder(open_store(tmp_path / "h.db"))
    for i in range(200):
        b.add(f"2026-10-0{6 + i % 5} 10:00:{i % 60:02d}", text="用着不错", product="X1", sentiment="positive")
    b.add("2026-10-07 12:00:00", text="电池鼓包了", product="X1", sentiment="negative",
          topics=(("battery", "neg"),), safety="swelling")
    b.add("2026-10-08 12:00:00", text="充电口冒烟还有焦味，售后也不管", product="X1", sentiment="negative",
          topics=(("after_sales", "neg"), ("ports_accessories", "neg")), safety="smoke")
    b.commit().close()
    out = json.loads(report(tmp_path / "h.db", week(41)).stdout)
    safety = sorted((f["hazard"], f["owner_team"], f["count"]) for f in out["findings"] if f["kind"] == "safety")
    # routed by the product topic they mention, not the service one (售后)
    assert safety == [("smoke", "配件", 1), ("swelling", "电源", 1)]
    assert len({f["id"] for f in out["findings"] if f["kind"] == "safety"}) == 2


def test_a_week_that_has_not_ended_is_reported_but_not_stored(tmp_path):
    from voc.period import iso_week
    from voc.report.build import ReportOptions, build_report

    db = build(tmp_path / "v.db", {45: {"quiet": 300, "safety": 1}, 46: {"quiet": 100}})
    before = loop_state(db)
    with open_store(db) as store:
        report_46 = build_report(store, iso_week(week(46)), options=ReportOptions(
            emerging=False, n_boot=100, today=date(2026, 11, 11)))  # the Wednesday of W46
    assert not report_46.complete and not report_46.stored
    assert loop_state(db) == before  # not even the earlier weeks were back-filled
    from voc.report.markdown import render_markdown

    assert "2026-W46 尚未结束" in render_markdown(report_46, "zh")


def test_re_running_an_old_week_does_not_alarm_on_what_was_closed_since(tmp_path):
    db = build(tmp_path / "v.db", {41: {"quiet": 300, "safety": 1}, 42: {"quiet": 300}, 43: {"quiet": 300}})
    for n in (41, 42, 43):
        assert report(db, week(n), "--fail-on", "p0").exit_code == 3
    (p0,) = _p0(json.loads(report(db, week(43)).stdout))
    assert invoke("findings", "close", p0["id"], "--db", str(db), "--note", "done").exit_code == 0
    old = report(db, week(42), "--fail-on", "p0")
    assert old.exit_code == 0, old.output  # it was open in W42, but a person has closed it since
    (then,) = _p0(json.loads(old.stdout))
    assert then["open"] and then["closed_later"]["note"] == "done"


def test_a_late_safety_report_reopens_a_closed_p0_in_the_next_report_whatever_its_date(tmp_path):
    db = build(tmp_path / "v.db", {41: {"quiet": 300, "safety": 1}, 42: {"quiet": 300}, 43: {"quiet": 300}})
    for n in (41, 42):
        assert report(db, week(n)).exit_code == 0
    (p0,) = _p0(json.loads(report(db, week(42)).stdout))
    assert invoke("findings", "close", p0["id"], "--db", str(db), "--note", "已召回").exit_code == 0
    quiet = report(db, week(43), "--fail-on", "p0")
    assert quiet.exit_code == 0 and not _p0(json.loads(quiet.stdout))
    # the week after the close, the follow-up says it is closed (its last row, from before the
    # close, said new), with this week's count
    followed = {u["id"]: u for u in json.loads(quiet.stdout)["followup"]}
    assert (followed[p0["id"]]["status"], followed[p0["id"]]["now_count"]) == ("closed", 0)
    # a late export brings a swelling report dated in W41, after the close
    b = StoreBuilder(open_store(db), prefix="late")
    b.add("2026-10-07 09:30:00", text="电池又鼓包了", product="X1", sentiment="negative", rating=1,
          topics=(("battery", "neg"),), safety=True)
    b.commit().close()
    res = report(db, week(43), "--fail-on", "p0")  # the next weekly report sees it
    assert res.exit_code == 3, res.output
    (back,) = _p0(json.loads(res.stdout))
    assert (back["id"], back["status"], back["open"], back["arrived_after_close"]) == (p0["id"], "new", True, 1)
    # what a person reads says why it is back: the console, and the owner's sheet of the workbook
    plain = ("report", "--db", str(db), "--lexicons", LEX, "--week", week(43), "--no-emerging")
    console = invoke(*plain)
    row = next(line for line in console.stdout.splitlines() if p0["id"] in line)
    assert "重新打开" in row, console.stdout
    assert "关闭后又收到 1 条安全报告" in console.stdout  # beside its quote, as in the markdown
    md = tmp_path / "w43.md"
    assert invoke(*plain, "--markdown", str(md), "-q").exit_code == 0
    assert "关闭后又收到 1 条安全报告" in md.read_text(encoding="utf-8")
    # ... and so do `voc findings list` and `show`, and the follow-up (they said 新增)
    listed = invoke("findings", "list", "--db", str(db), "--all")
    assert "重新打开" in next(line for line in listed.stdout.splitlines() if p0["id"] in line), listed.stdout
    state = json.loads(invoke("findings", "list", "--db", str(db), "--all", "--json").stdout)["findings"]
    assert next(f for f in state if f["id"] == p0["id"])["reopened"] is True
    assert "重新打开" in invoke("findings", "show", p0["id"], "--db", str(db)).stdout.splitlines()[0]
    back_up = next(u for u in json.loads(res.stdout)["followup"] if u["id"] == p0["id"])
    assert back_up["arrived_after_close"] == 1
    xlsx = tmp_path / "w43.xlsx"
    assert invoke(*plain, "--xlsx", str(xlsx), "-q").exit_code == 0
    from openpyxl import load_workbook

    cells = [c for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    assert any(c.startswith("关闭后又收到 1 条安全报告，已重新打开。") for c in cells)
    # and so does a re-run of the week it is dated in
    old = report(db, week(41), "--fail-on", "p0")
    assert old.exit_code == 3
    # closing again, after it: quiet until the next report arrives
    assert invoke("findings", "close", p0["id"], "--db", str(db), "--note", "复核：同一批次").exit_code == 0
    assert report(db, week(43), "--fail-on", "p0").exit_code == 0
    # closed again: its owner's sheet no longer says it stays open, and the findings sheet's row
    # is as tall as the person's note needs
    assert invoke(*plain, "--xlsx", str(xlsx), "-q").exit_code == 0
    book = load_workbook(xlsx)
    owners = [ws for ws in book.worksheets if ws.title not in ("摘要", "问题清单")]
    owner = next(ws for ws in owners if any(r[0] == "P0" for r in ws.iter_rows(values_only=True)))
    said = [r[6] for r in owner.iter_rows(values_only=True) if r[0] == "P0"]
    assert said and not any("问题保持打开" in (c or "") for c in said)
    assert not any("关闭后又收到" in (c or "") for c in said)


def test_terms_are_packed_in_lines_broken_between_terms():
    from voc.report.excel_sheets import packed

    lines = packed(["电池鼓包", "冒烟", "充电器", "后盖", "翘起", "屏幕", "续航", "发热严重"], 24).split("\n")
    assert len(lines) > 1 and all(not line.startswith("、") for line in lines)
    assert "、".join(x.rstrip("、") for x in lines) == "电池鼓包、冒烟、充电器、后盖、翘起、屏幕、续航、发热严重"
    assert packed(["关键词：电池鼓包", "冒烟"], 30) == "关键词：电池鼓包、冒烟"


def test_closing_one_finding_leaves_the_others_of_the_week_alone(tmp_path):
    db = build(tmp_path / "v.db", {41: {"quiet": 300, "safety": 2}})
    b = StoreBuilder(open_store(db), prefix="more")
    b.add("2026-10-08 12:00:00", text="充电口冒烟", product="X1", sentiment="negative",
          topics=(("ports_accessories", "neg"),), safety="smoke")
    b.commit().close()
    out = json.loads(report(db, week(41)).stdout)
    swelling = next(f for f in _p0(out) if f["hazard"] == "swelling")
    assert invoke("findings", "close", swelling["id"], "--db", str(db), "--note", "done").exit_code == 0
    res = report(db, week(41), "--fail-on", "p0")
    assert res.exit_code == 3, res.output  # the smoke report is still open
    statuses = {f["hazard"]: f["status"] for f in _p0(json.loads(res.stdout))}
    assert statuses == {"swelling": "closed", "smoke": "new"}


@pytest.mark.parametrize("args", [["--lang", "fr"], ["--fail-on", "p7"], ["--no-such-option"]])
def test_json_usage_errors_are_one_json_object_too(tmp_path, args):
    import subprocess
    import sys

    db = build(tmp_path / "v.db", {41: {"quiet": 50}})
    res = subprocess.run([sys.executable, "-m", "voc", "report", "--db", str(db), "--week", week(41), "--json", *args],
                         capture_output=True, text=True)
    assert res.returncode == 2
    out = json.loads(res.stdout)
    assert out["exit_code"] == 2 and out["error"] in res.stderr and res.stderr.count("\n") == 1
