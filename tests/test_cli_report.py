"""`voc report` and `voc run` from the command line: outputs, JSON keys, exit codes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from report_synth import demo_store
from typer.testing import CliRunner

from voc.cli import app

REPO = Path(__file__).resolve().parents[1]
LEX = str(REPO / "lexicons")
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "voc.db"
    demo_store(path).close()
    return path


@pytest.fixture(scope="module")
def quiet_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "quiet.db"
    demo_store(path, weeks=3, burst=False).close()
    return path


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_json_is_one_object_with_the_design_keys(db):
    res = invoke(
        "report",
        "--db",
        str(db),
        "--lexicons",
        LEX,
        "--week",
        "2026-W47",
        "--json",
        "--no-emerging",
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in ("period", "volume", "nps", "topics", "emerging", "findings"):
        assert key in out
    assert (out["period"], out["since"], out["until"]) == ("2026-W47", "2026-11-16", "2026-11-22")
    for kind in ("nps", "stars", "sentiment"):
        assert {"value", "n", "moe95"} <= set(out["nps"][kind])
    assert out["nps"]["stars"]["proxy"] is True and out["nps"]["nps"]["proxy"] is False
    assert out["findings"]
    for f in out["findings"]:
        assert {"id", "topic", "product", "owner", "priority", "count", "status"} <= set(f)


def test_fail_on_p0_exits_3_when_a_safety_finding_is_open(db):
    res = invoke(
        "report",
        "--db",
        str(db),
        "--lexicons",
        LEX,
        "--week",
        "2026-W47",
        "--fail-on",
        "p0",
        "--no-emerging",
    )
    assert res.exit_code == 3
    assert "Alert: 1 open finding(s) at P0" in res.stderr
    assert "客户之声周报" in res.stdout


def test_fail_on_p0_exits_0_without_safety_reports(quiet_db):
    res = invoke("report", "--db", str(quiet_db), "--lexicons", LEX, "--week", "2026-W47", "--fail-on", "P0",
                 "--no-emerging")  # fmt: skip
    assert res.exit_code == 0, res.output


def test_markdown_dash_prints_the_markdown(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "latest", "--markdown", "-",
                 "--lang", "en", "--no-emerging")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("# Voice of Customer report 2026-W47") and "| P0 |" in res.stdout
    assert not (tmp_path / "-").exists()  # no file named "-"
    both = invoke("report", "--db", str(db), "--week", "latest", "--markdown", "-", "--json")
    assert both.exit_code == 2 and "standard output" in both.output


def test_xlsx_and_markdown_paths_are_expanded_and_created(db, tmp_path):
    xlsx = tmp_path / "reports" / "deep" / "voc-{week}.xlsx"
    md = tmp_path / "mail" / "voc-{week}.md"
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "latest", "--xlsx", str(xlsx),
                 "--markdown", str(md), "--lang", "en", "--no-emerging")  # fmt: skip
    assert res.exit_code == 0, res.output
    book = tmp_path / "reports" / "deep" / "voc-2026-W47.xlsx"
    assert openpyxl.load_workbook(book).sheetnames[0] == "Summary"
    assert (
        (tmp_path / "mail" / "voc-2026-W47.md")
        .read_text(encoding="utf-8")
        .startswith("# Voice of Customer")
    )
    assert f"wrote xlsx: {book}" in res.stderr
    assert not list(book.parent.glob(".*.tmp"))


@pytest.mark.parametrize(
    "args,message",
    [
        (["--lang", "fr"], "--lang 'fr' is not zh or en"),
        (["--fail-on", "p9"], "--fail-on 'p9'"),
        (["--week", "2026-W99"], "2026 has no week 99"),
        (
            ["--week", "2026-W47", "--since", "2026-11-01", "--until", "2026-11-02"],
            "either --week or --since",
        ),
        (["--stars", "5/4"], "--stars"),
        (["--stars", "5/3-4/1-3"], "each star 1..5 may be in one group only, got 5/3,4/1,2,3"),
        (["--xlsx", "out/{nope}.xlsx"], "unknown field"),
    ],
)
def test_usage_errors_exit_2_with_one_line(db, args, message):
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--no-emerging", *args)
    assert res.exit_code == 2
    assert message in res.stderr
    assert "Traceback" not in res.output


def test_missing_store_exits_2(tmp_path):
    res = invoke("report", "--db", str(tmp_path / "none.db"))
    assert res.exit_code == 2 and "no store" in res.stderr


# -- voc run -----------------------------------------------------------------------------
CSV = """评论时间,商品,评分,NPS,评价内容
2026-11-16 10:00:00,Y9000P,5,10,屏幕很好，速度快
2026-11-17 10:00:00,Y9000P,1,2,电池鼓包了，充电时冒烟
2026-11-17 11:00:00,小新Pro14,2,,玩游戏发热严重
2026-11-18 12:00:00,小新Pro14,5,9,"=HYPERLINK(""http://x"",""y"")"
2026-11-19 12:00:00,ThinkBook14,4,8,还可以
"""


@dataclass(frozen=True)
class _Analyzed:
    analyzed: int
    skipped: int = 0
    sentiment_note: str = ""

    def to_json(self) -> dict:
        return {"analyzed": self.analyzed, "skipped": self.skipped}


def keyword_analyzer(store, **_kwargs):
    """A stand-in for `voc analyze` (tested in its own suite): keywords to topics and flags."""
    rows = store.conn.execute(
        "SELECT r.id, r.text, r.rating FROM records r LEFT JOIN analysis a ON a.record_id = r.id "
        "WHERE a.record_id IS NULL"
    ).fetchall()
    with store.transaction() as conn:
        for rid, text, rating in rows:
            topics = [t for t, kw in (("battery", "电池"), ("thermal", "发热")) if kw in text]
            sentiment = "negative" if (rating or 3) <= 2 else "positive"
            conn.execute(
                "INSERT INTO analysis (record_id, sentiment, score, topics, safety, model_version, "
                "lexicon_version, analyzed_at) VALUES (?, ?, ?, '[]', ?, 'kw', 'kw', 'now')",
                (rid, sentiment, 0.1 if sentiment == "negative" else 0.9, int("鼓包" in text)),
            )
            conn.executemany(
                "INSERT INTO record_topics VALUES (?, ?, 'neg', ?)", [(rid, t, t) for t in topics]
            )
    return _Analyzed(len(rows))


def _ingest_works(tmp_path: Path) -> bool:
    res = invoke(
        "ingest", str(tmp_path / "probe.csv"), "--db", str(tmp_path / "probe.db"), "--json"
    )
    return res.exit_code == 0


def _inbox_with_jd_export(tmp_path: Path, monkeypatch) -> Path:
    """An inbox holding one JD export, `voc analyze` replaced by :func:`keyword_analyzer`
    (skips when ingest is not usable in this checkout)."""
    (tmp_path / "probe.csv").write_text(CSV, encoding="utf-8")
    if not _ingest_works(tmp_path):
        pytest.skip("`voc ingest` is not usable in this checkout yet")
    monkeypatch.setattr("voc.analysis.run.analyze_store", keyword_analyzer)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "jd.csv").write_text(CSV, encoding="utf-8")
    return inbox


def test_run_ingests_analyzes_reports_and_is_idempotent(tmp_path, monkeypatch):
    inbox = _inbox_with_jd_export(tmp_path, monkeypatch)
    db = tmp_path / "voc.db"
    args = ["run", str(inbox), "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--min-n", "1",
            "--xlsx", str(tmp_path / "reports" / "voc-{week}.xlsx"), "--fail-on", "p0", "--json", "--no-emerging"]  # fmt: skip
    first = invoke(*args)
    assert first.exit_code == 3, first.output
    out = json.loads(first.stdout)
    assert out["ingest"]["stored"] == 5 and out["analyze"]["analyzed"] == 5
    assert any(f["priority"] == "P0" and f["owner_team"] == "电源" for f in out["findings"])
    book = tmp_path / "reports" / "voc-2026-W47.xlsx"
    assert book.is_file()
    again = invoke(*args)
    assert again.exit_code == 3
    out2 = json.loads(again.stdout)
    assert out2["ingest"]["stored"] == 0 and out2["ingest"]["duplicates"] == 5
    assert out2["analyze"]["analyzed"] == 0
    assert [(f["id"], f["count"]) for f in out2["findings"]] == [
        (f["id"], f["count"]) for f in out["findings"]
    ]
    wb = openpyxl.load_workbook(book)
    texts = [c for row in wb[wb.sheetnames[-1]].iter_rows(values_only=True) for c in row]
    assert '=HYPERLINK("http://x","y")' in texts


def test_an_unreadable_file_does_not_cost_the_week_its_report(tmp_path, monkeypatch):
    """cron's `voc run` over a folder where one export is broken: the others are stored,
    the week's workbook is written, and the run still exits 2 naming the bad file."""
    inbox = _inbox_with_jd_export(tmp_path, monkeypatch)
    (inbox / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    db = tmp_path / "voc.db"
    book = tmp_path / "voc-2026-W47.xlsx"
    args = ["run", str(inbox), "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--min-n", "1",
            "--xlsx", str(book), "--no-emerging"]  # fmt: skip
    res = invoke(*args, "-q")
    assert res.exit_code == 2, res.output
    assert "broken.xlsx" in res.stderr and "the report was made from the other files" in res.stderr
    assert book.is_file()
    js = invoke(*args, "--json")
    assert js.exit_code == 2
    out = json.loads(js.stdout)  # one JSON object, the error in it
    assert out["ingest"]["stored"] == 0 and out["ingest"]["duplicates"] == 5 and "broken.xlsx" in out["ingest"]["error"]
    assert out["findings"]
    # only the broken file this time: the report is the store's, and says so
    alone = invoke("run", str(inbox / "broken.xlsx"), *args[2:], "-q")
    assert alone.exit_code == 2 and "the report was made from what the store already held" in alone.stderr
    # with an open P0 and --fail-on p0 the run exits 3, and the bad file is still named
    (inbox / "cut.xlsx").write_bytes(b"PK\x03\x04 cut short")
    alarmed = invoke(*args, "-q", "--fail-on", "p0")
    assert alarmed.exit_code == 3, alarmed.output
    error = next(x for x in alarmed.stderr.splitlines() if x.startswith("Error:"))
    assert "2 files could not be read" in error and "broken.xlsx" in error and "cut.xlsx" in error
    assert "Alert: " in alarmed.stderr


def test_output_path_that_is_a_folder_exits_2(db, tmp_path):
    (tmp_path / "taken.xlsx").mkdir()
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--no-emerging",
                 "--xlsx", str(tmp_path / "taken.xlsx"))  # fmt: skip
    assert res.exit_code == 2 and "is a folder" in res.stderr


def test_json_run_is_the_same_report_and_keeps_the_loop(tmp_path):
    """A --json run stores the week's statuses like a console run (the loop does not
    depend on the output chosen); re-running it gives the same findings."""
    import sqlite3

    def run_json(path: Path) -> dict:
        res = invoke("report", "--db", str(path), "--lexicons", LEX, "--week", "2026-W47", "--json", "--no-emerging")
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    path = tmp_path / "voc.db"
    demo_store(path).close()
    first = run_json(path)
    with sqlite3.connect(path) as conn:
        periods = {r[0] for r in conn.execute("SELECT period FROM report_periods")}
        stored = {r[0]: r[1] for r in conn.execute("SELECT finding_id, status FROM finding_periods WHERE period = '2026-W47'")}
    assert "2026-W47" in periods
    assert stored == {f["id"]: f["status"] for f in first["findings"]}
    again = run_json(path)
    assert [(f["id"], f["status"], f["count"]) for f in again["findings"]] == [
        (f["id"], f["status"], f["count"]) for f in first["findings"]
    ]
