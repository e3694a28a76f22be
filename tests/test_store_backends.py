"""The store contract on both backends (SQLite file, PostgreSQL server): the same
behaviour, the same results; a PostgreSQL URL on the command line; moving a store
between them with `voc store copy`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from report_synth import demo_store
from typer.testing import CliRunner

from voc.cli import app
from voc.errors import StoreError
from voc.store import latest_version, open_store
from voc.store.rows import FindingEvent

REPO = Path(__file__).resolve().parents[1]
LEX = str(REPO / "lexicons")
runner = CliRunner()
STARS = ((5,), (4,), (1, 2, 3))


def rec(rid: str, batch_id: int, *, text: str = "还行", external_id: str | None = None, followup: int = 0,
        created_at: str = "2026-11-18 10:00:00") -> tuple:
    """A record in RECORD_FIELDS order."""
    return (rid, "review", "京东", "Y9000P", "Y9000P", created_at, 5, None, None, text, external_id, None, None,
            followup, None, "a.csv", 2, batch_id)


# -- the contract, once per backend -------------------------------------------------------
def test_a_new_store_is_at_the_latest_schema_and_reopens_as_it_was(store_target):
    with open_store(store_target) as s:
        assert s.version == latest_version()
        with s.ingest_batch("a.csv", "reviews", {}) as b:
            b.insert([rec("r1", b.id)])
            b.finish(1, 1, 0, 0, 0)
    with open_store(store_target, must_exist=True) as s:
        assert s.version == latest_version() and s.count_records() == 1


def test_a_command_that_reads_refuses_a_place_with_no_store(store_target):
    with pytest.raises(StoreError, match="no store at .*run `voc ingest` first"):
        open_store(store_target, must_exist=True)


def test_an_ingest_batch_is_all_or_nothing_even_on_ctrl_c(store_target):
    with open_store(store_target) as s:
        generation = s.generation()
        with pytest.raises(KeyboardInterrupt), s.ingest_batch("a.csv", "reviews", {}) as b:
            b.insert([rec("r1", b.id)])
            b.insert_dropped([("rejected", "a.csv", 3, "bad rating", "x")])
            raise KeyboardInterrupt
        assert (s.count_records(), s.table_count("batches"), s.table_count("dropped")) == (0, 0, 0)
        assert s.generation() == generation


def test_insert_new_counts_what_it_stored_and_duplicates_are_not_stored_twice(store_target):
    with open_store(store_target) as s:
        with s.ingest_batch("a.csv", "reviews", {}) as b:
            assert b.insert_new([rec("r1", b.id), rec("r2", b.id), rec("r1", b.id, text="again")]) == 2
            assert b.insert_new([rec("r2", b.id), rec("r3", b.id)]) == 1
            assert b.existing(["r1", "r9", "r3"]) == {"r1", "r3"}
            b.insert([rec("t1", b.id, external_id="c1"), rec("t2", b.id, followup=1)])
            b.insert_turns([("t1", 1, "customer", "你好", None, 1), ("t1", 2, "agent", "您好", None, 0)])
            b.insert_dropped([("filtered", "a.csv", 9, "no text", None), ("rejected", "a.csv", 4, "bad", "x,y")])
            b.link_followups([("t2", "c1")])
            b.finish(9, 5, 2, 1, 1)
        assert s.generation() == 1
        assert s.texts([]) == [] and s.count_records() == 5
        assert s.record_texts(["r1"])["r1"][3] == "还行"  # the first of two rows with one id is kept
        assert list(s.dropped_rows([b.id])) == [("a.csv", 4, "rejected", "bad", "x,y"),
                                                ("a.csv", 9, "filtered", "no text", None)]
        assert s.table_count("turns") == 2


def test_analysis_results_replace_earlier_ones_and_pending_follows_versions(store_target):
    with open_store(store_target) as s:
        with s.ingest_batch("a.csv", "reviews", {}) as b:
            b.insert([rec(f"r{i}", b.id, text=f"评论{i}") for i in range(3)])
            b.finish(3, 3, 0, 0, 0)
        keys = s.pending_analysis("m1", "l1")
        assert [t[0] for t in s.texts(keys)] == ["r0", "r1", "r2"]
        # in record id order whatever the keys' order, each record once, unknown keys skipped
        assert s.texts([keys[2], keys[0], keys[2], 10**9, keys[1]]) == s.texts(keys)

        def result(rid, sentiment, topics, safety=False):
            row = (rid, sentiment, 0.25, json.dumps(topics), safety, None, None, "a b", "m1", "l1",
                   "2026-11-24T00:00:00", "swelling" if safety else None)
            return row, [(rid, t, p, t) for t, p in topics]

        rows, topics = zip(*(result(f"r{i}", "negative", [("battery", "neg"), ("display", "pos")], i == 0)
                             for i in range(3)))
        s.write_analysis(list(rows), [t for ts in topics for t in ts])
        assert s.pending_analysis("m1", "l1") == [] and len(s.pending_analysis("m2", "l1")) == 3
        row, topic_rows = result("r1", "positive", [("thermal", "neg")])
        s.write_analysis([row], topic_rows)
        got = [r for r in s.records("2026-11-01 00:00:00", "2026-12-01 00:00:00")]
        assert [(r.id, r.sentiment, r.topics, r.safety) for r in got] == [
            ("r0", "negative", "battery:neg|display:pos", 1), ("r1", "positive", "thermal:neg", 0),
            ("r2", "negative", "battery:neg|display:pos", 0)]
        assert s.table_count("record_topics") == 5
        if not s.claims_analysis:  # (SQLite) a chunk whose range of ids holds another record's results,
            # none of its own: that record's topics are left be
            s.conn.execute("DELETE FROM analysis WHERE record_id IN ('r0', 'r2')")
            s.conn.execute("DELETE FROM record_topics WHERE record_id IN ('r0', 'r2')")
            rows, topics = zip(*(result(f"r{i}", "negative", [("battery", "neg"), ("display", "pos")], i == 0)
                                 for i in (0, 2)))
            s.write_analysis(list(rows), [t for ts in topics for t in ts])
            assert s.table_count("record_topics") == 5
        before = s.generation()
        assert s.bump_generation() == before + 1 == s.generation()


def test_a_report_of_two_hazards_counts_under_each_and_once_as_a_report(store_target):
    """鼓包了，还冒烟: the swelling and the smoke finding each count the report (and may quote it),
    the week's safety reports and the product's safety NPS count it once."""
    from voc.report.cube import read_day_cube
    from voc.report.metrics import NpsQuery

    with open_store(store_target) as s:
        with s.ingest_batch("a.csv", "reviews", {}) as b:
            b.insert([rec(f"r{i}", b.id, text=f"评论{i}") for i in range(3)])
            b.finish(3, 3, 0, 0, 0)
        kinds = {"r0": "swelling|smoke", "r1": "smoke", "r2": None}
        s.write_analysis([(rid, "negative", 0.1, "[]", int(k is not None), "电池鼓包了" if k else None, None, None,
                           "m1", "l1", "2026-11-24T00:00:00", k) for rid, k in kinds.items()],
                         [(rid, "battery", "neg", "鼓包") for rid in kinds])
        lo, hi = "2026-11-16 00:00:00", "2026-11-23 00:00:00"
        assert list(s.day_safety(lo, hi)) == [("2026-11-18", "Y9000P", "smoke", 2), ("2026-11-18", "Y9000P", "swelling", 1)]
        assert s.safety_arrivals("2000-01-01") == {("smoke", "Y9000P"): 2, ("swelling", "Y9000P"): 1}
        quoted = sorted((q.group, q.record_id) for q in s.quotes(lo, hi, "safety", 5))
        assert quoted == [("safety:smoke", "r0"), ("safety:smoke", "r1"), ("safety:swelling", "r0")]
        terms = sorted((g, n) for g, _key, _term, n in s.evidence_terms(lo, hi, "safety", 5))
        assert terms == [("safety:smoke", 2), ("safety:swelling", 1)]
        cube = read_day_cube(s, NpsQuery(), date(2026, 11, 16), date(2026, 11, 23))
        assert sum(cube.safety.values()) == 2  # reports, not hazards
        by_hazard = cube.safety_nps(date(2026, 11, 16), date(2026, 11, 23), "stars", 1, by_hazard=True)
        assert {k: v.n for k, v in by_hazard.items()} == {("smoke", "Y9000P"): 2, ("swelling", "Y9000P"): 1}
        by_product = cube.safety_nps(date(2026, 11, 16), date(2026, 11, 23), "stars", 1)
        assert {k: v.n for k, v in by_product.items()} == {"Y9000P": 2}


def test_a_learned_model_round_trips_as_bytes(store_target):
    data = bytes(range(256)) * 3
    with open_store(store_target) as s:
        assert s.latest_model("sentiment-adapted") is None
        s.save_model("k1", "sentiment-adapted", data, '{"kept": true}')
        s.save_model("k2", "sentiment-adapted", b"", '{"kept": false}')
        assert s.latest_model("sentiment-adapted") == ("k2", b"", '{"kept": false}')
        s.save_model("k1", "sentiment-adapted", data, '{"kept": true}')  # saved again: replaced, newest
        assert s.latest_model("sentiment-adapted") == ("k1", data, '{"kept": true}')


# -- the same results on both backends -------------------------------------------------------
READS = {
    "count_records": lambda s: s.count_records(),
    "latest_record_time": lambda s: s.latest_record_time(),
    "coverage": lambda s: s.coverage("2026-11-16 00:00:00", "2026-11-23 00:00:00"),
    "coverage_empty": lambda s: s.coverage("2027-01-04 00:00:00", "2027-01-11 00:00:00"),
    "day_classes": lambda s: list(s.day_classes("2026-09-01 00:00:00", "2026-12-01 00:00:00", STARS)),
    "day_volumes": lambda s: list(s.day_volumes("2026-09-01 00:00:00", "2026-12-01 00:00:00")),
    "day_safety": lambda s: list(s.day_safety("2026-09-01 00:00:00", "2026-12-01 00:00:00")),
    "day_mentions": lambda s: list(s.day_mentions("2026-09-01 00:00:00", "2026-12-01 00:00:00")),
    "safety_arrivals": lambda s: s.safety_arrivals("2000-01-01"),
    "period_classes": lambda s: list(s.period_classes("2026-11-16 00:00:00", "2026-11-23 00:00:00", STARS)),
    "period_mentions": lambda s: list(s.period_mentions("2026-11-09 00:00:00", "2026-11-23 00:00:00", STARS)),
    "quotes": lambda s: [list(s.quotes("2026-09-01 00:00:00", "2026-12-01 00:00:00", g, 3))
                         for g in ("topic", "topic_all", "safety")],
    "evidence_terms": lambda s: [list(s.evidence_terms("2026-09-01 00:00:00", "2026-12-01 00:00:00", g, 2))
                                 for g in ("topic", "topic_all", "safety")],
    "mention_records": lambda s: s.mention_records("2026-11-09 00:00:00", "2026-11-23 00:00:00", "battery",
                                                   "ThinkBook14"),
    "records": lambda s: list(s.records("2026-11-16 00:00:00", "2026-11-23 00:00:00")),
    "records_limited": lambda s: list(s.records("2026-09-01 00:00:00", "2026-12-01 00:00:00", 5003)),
    "complaint_records": lambda s: list(s.complaint_records("2026-09-01 00:00:00", "2026-12-01 00:00:00")),
    "rated_reviews": lambda s: s.rated_reviews(100),
    "pending": lambda s: [t for t in s.texts(s.pending_analysis("synth-1", "other"))][:50],
}


@pytest.fixture(scope="module")
def twin_stores(tmp_path_factory, pg_server):
    """The demo store built on both backends, with a weekly report and emerging run stored."""
    from voc import api
    from voc.report.build import ReportOptions

    path = tmp_path_factory.mktemp("twin") / "voc.db"
    url = pg_server.new_database()
    outputs = {}
    for name, target in (("sqlite", path), ("postgres", url)):
        with demo_store(target) as store:
            lexicons = __import__("voc.lexicon", fromlist=["Lexicons"]).Lexicons.resolve(LEX)
            for week in ("2026-W46", "2026-W47"):
                p = api.period(store, week=week)
                report = api.report(store, p, lexicons=lexicons, options=ReportOptions())
                outputs[(name, week)] = report.to_json()
    yield path, url, outputs
    pg_server.drop_database(url)


@pytest.mark.postgres
@pytest.mark.parametrize("read", sorted(READS))
def test_every_read_gives_the_same_rows_on_both_backends(twin_stores, read):
    path, url, _ = twin_stores
    with open_store(path) as a, open_store(url) as b:
        assert READS[read](b) == READS[read](a)


@pytest.mark.postgres
def test_reports_and_the_findings_loop_come_out_the_same_on_both_backends(twin_stores):
    path, url, outputs = twin_stores

    def stable(d):  # the time it was made aside
        return {k: v for k, v in json.loads(json.dumps(d, ensure_ascii=False, default=str)).items()
                if k != "generated_at"}

    for week in ("2026-W46", "2026-W47"):
        assert stable(outputs[("postgres", week)]) == stable(outputs[("sqlite", week)])
        assert outputs[("sqlite", week)]["findings"]  # something to compare
    with open_store(path) as a, open_store(url) as b:
        assert b.reported_periods() == a.reported_periods()
        assert b.finding_ids() == a.finding_ids()
        assert b.latest_finding_rows("", "9999-12-31") == a.latest_finding_rows("", "9999-12-31")
        assert b.finding_rows("", "9999-12-31") == a.finding_rows("", "9999-12-31")
        assert b.stored_clusters() == a.stored_clusters()
        run_a, run_b = a.emerging_run("2026-W47"), b.emerging_run("2026-W47")
        assert run_a is not None and run_b is not None
        def timeless(run):
            return run._replace(computed_at="", stats={k: v for k, v in run.stats.items() if k != "seconds"})

        assert timeless(run_b) == timeless(run_a)
        assert b.emerging_members("2026-W47") == a.emerging_members("2026-W47")
        assert b.alarmed_series("2026-W47") == a.alarmed_series("2026-W47")


# -- the command line with a PostgreSQL URL ----------------------------------------------------
def _reviews_csv(path: Path, n: int = 60) -> Path:
    from tests.conftest import write_csv

    texts = ["屏幕很清晰，运行流畅", "电池续航太差了，一天三充", "发热严重，玩游戏烫手", "快递很快，包装完好"]
    rows = [[f"c{i}", texts[i % 4] + f"（第{i}条）", str(5 - (i % 4)), f"2026-11-{16 + i % 7:02d} 10:{i % 60:02d}"]
            for i in range(n)]
    return write_csv(path, ["评论ID", "评论内容", "评分", "评论时间"], rows)


@pytest.mark.postgres
def test_ingest_analyze_report_and_findings_through_the_cli_with_a_server_url(tmp_path, pg_url, monkeypatch):
    f = _reviews_csv(tmp_path / "jd.csv")
    r = runner.invoke(app, ["ingest", str(f), "--db", pg_url, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["stored"] == 60
    monkeypatch.setenv("VOC_DB", pg_url)  # the environment names the server as well
    r = runner.invoke(app, ["ingest", str(f), "--json"])
    assert (json.loads(r.stdout)["stored"], json.loads(r.stdout)["duplicates"]) == (0, 60)
    r = runner.invoke(app, ["analyze", "--no-adapt", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["analyzed"] == 60
    r = runner.invoke(app, ["report", "--db", pg_url, "--week", "2026-W47", "--lexicons", LEX, "--json",
                            "--markdown", str(tmp_path / "w47.md")])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["period"] == "2026-W47" and d["volume"]
    assert (tmp_path / "w47.md").is_file()
    r = runner.invoke(app, ["findings", "list", "--all", "--json", "--db", pg_url])
    assert r.exit_code == 0, r.output


@pytest.mark.postgres
def test_a_server_that_cannot_be_reached_is_one_line_without_the_password(tmp_path):
    url = "postgresql://voc:s3cr3t-pw@127.0.0.1:1/voc?connect_timeout=3"
    for args in (["analyze", "--db", url], ["report", "--db", url, "--week", "2026-W47"],
                 ["store", "copy", "--from", url, "--to", str(tmp_path / "x.db")]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2, r.output
        assert r.stderr.startswith("Error: cannot connect to the store postgresql://voc@127.0.0.1:1/voc")
        assert "s3cr3t" not in r.output and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.db").exists()
    r = runner.invoke(app, ["analyze", "--db", url, "--json"])
    assert "s3cr3t" not in r.stdout and json.loads(r.stdout)["exit_code"] == 2


def test_without_the_driver_a_server_url_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg fails
    r = runner.invoke(app, ["analyze", "--db", "postgresql://voc@db.example/voc"])
    assert r.exit_code == 2
    assert r.stderr.strip() == "Error: a PostgreSQL store needs the psycopg driver: pip install 'voc[postgres]'"


def test_help_does_not_import_the_driver():
    code = "import sys; from voc.cli import app; sys.argv=['voc', '--help']\n" \
           "try:\n    app()\nexcept SystemExit:\n    pass\nprint('psycopg' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("False"), out.stderr


def test_a_url_keeps_its_slashes_and_messages_never_show_its_password():
    from voc.cli.app import scrub_secrets  # every error line goes through it
    from voc.settings import Settings
    from voc.store.common import redact_url

    url = "postgresql://ann:pa:ss@db.example:5433/voc?sslmode=require&password=other"
    assert Settings.resolve(url).db == url
    assert redact_url(url) == "postgresql://ann@db.example:5433/voc?sslmode=require"
    assert str(Settings.resolve("voc.db").db) == "voc.db"
    assert scrub_secrets(f"cannot reach {url}; password=hunter2 x") == \
           "cannot reach postgresql://ann@db.example:5433/voc?sslmode=require&password=*** password=*** x"


# -- moving a store ------------------------------------------------------------------------------
def _contents(store) -> dict[str, list]:
    from voc.store.copy import TABLES

    return {t.name: sorted(map(tuple, store.table_rows(t.name, t.columns, t.key)), key=repr) for t in TABLES}


@pytest.mark.postgres
def test_copy_to_the_server_and_back_keeps_every_row(tmp_path, pg_url):
    src = tmp_path / "voc.db"
    demo_store(src).close()
    with open_store(src) as s:
        s.save_model("k", "sentiment-adapted", b"\x00\x01model", "{}")
        original = _contents(s)
    r = runner.invoke(app, ["store", "copy", "--from", str(src), "--to", pg_url])
    assert r.exit_code == 0, r.output
    assert re.search(rf"^records +{len(original['records']):,}$", r.stdout, re.M)
    assert "every table's row count matches" in r.stdout
    with open_store(pg_url) as s:
        assert _contents(s) == original
        with s.ingest_batch("late.csv", "reviews", {}) as b:  # ids go on after the copied ones
            assert b.id == max(row[0] for row in original["batches"]) + 1
            b.insert([rec("zz-late", b.id)])
            b.finish(1, 1, 0, 0, 0)
    back = tmp_path / "back.db"
    r = runner.invoke(app, ["store", "copy", "--from", pg_url, "--to", str(back), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["tables"]["records"] == len(original["records"]) + 1 and d["rows"] == sum(d["tables"].values())
    with open_store(back) as s:
        got = _contents(s)
    assert {k: v for k, v in got.items() if k not in ("records", "batches", "meta")} == \
           {k: v for k, v in original.items() if k not in ("records", "batches", "meta")}
    assert [r for r in got["records"] if r[0] != "zz-late"] == original["records"]


@pytest.mark.postgres
def test_copy_refuses_a_destination_with_data_unless_forced_and_is_quiet_with_q(tmp_path, pg_url):
    src = tmp_path / "voc.db"
    demo_store(src, weeks=2, per_week=50).close()
    other = tmp_path / "other.db"
    with open_store(other) as s, s.ingest_batch("o.csv", "reviews", {}) as b:
        b.insert([rec("only", b.id)])
        b.finish(1, 1, 0, 0, 0)
    assert runner.invoke(app, ["store", "copy", "--from", str(other), "--to", pg_url, "-q"]).stdout == ""
    r = runner.invoke(app, ["store", "copy", "--from", str(src), "--to", pg_url])
    assert r.exit_code == 2 and "is not empty (1 batches, 1 records)" in r.stderr and "--force" in r.stderr
    with open_store(pg_url) as s:
        assert s.count_records() == 1  # left as it was
    r = runner.invoke(app, ["store", "copy", "--from", str(src), "--to", pg_url, "--force", "-q"])
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""
    with open_store(pg_url) as s, open_store(src) as a:
        assert _contents(s) == _contents(a)
    r = runner.invoke(app, ["store", "copy", "--from", str(tmp_path / "none.db"), "--to", pg_url])
    assert r.exit_code == 2 and "no store at" in r.stderr
    r = runner.invoke(app, ["store", "copy", "--from", str(src), "--to", str(src)])
    assert r.exit_code == 2 and "the same store" in r.stderr


def test_copy_between_two_files_works_without_a_server(tmp_path):
    src = tmp_path / "a.db"
    demo_store(src, weeks=2, per_week=40).close()
    r = runner.invoke(app, ["store", "copy", "--from", str(src), "--to", str(tmp_path / "b.db"), "--json"])
    assert r.exit_code == 0, r.output
    with open_store(src) as a, open_store(tmp_path / "b.db") as b:
        assert _contents(a) == _contents(b)


def test_the_copy_covers_every_column_of_the_schema(tmp_path):
    from voc.store.copy import TABLES

    with open_store(tmp_path / "s.db") as s:
        tables = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        schema = {t: {c[1] for c in s.conn.execute(f"PRAGMA table_info({t})")} for t in tables}
    assert {t.name: set(t.columns) for t in TABLES} == schema


def test_a_decision_is_one_event_whoever_records_it(store_target):
    """A close and a reopen written through the store are both kept, in order."""
    from report_synth import StoreBuilder

    b = StoreBuilder(open_store(store_target))
    b.add("2026-11-18 10:00:00", sentiment="negative", topics=(("battery", "neg"),), safety=True)
    with b.commit() as s:
        from voc import api

        api.report(s, api.period(s, week="2026-W47"), lexicons=None)
        (fid,) = s.finding_ids()
        s.add_finding_event(FindingEvent(fid, "close", "2026-W47", "2026-11-16", "2026-11-24T10:00:00.000001", "王工",
                                         "换批次", 1, 10))
        s.add_finding_event(FindingEvent(fid, "reopen", "2026-W47", "2026-11-16", "2026-11-24T10:00:00.000002", "李工",
                                         "复发", 1, 10))
        assert [(e.action, e.by) for e in s.finding_events([fid])] == [("close", "王工"), ("reopen", "李工")]
        assert s.finding_events([]) == [] and len(s.finding_events()) == 2


@pytest.mark.postgres
def test_both_backends_have_the_same_tables_views_and_columns(tmp_path, pg_url):
    from tests.conftest import sql_rows
    from voc.store.postgres import latest_version as server_version

    assert server_version() == latest_version()  # one numbering: version N is one logical schema
    with open_store(tmp_path / "s.db") as s:
        names = [r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        file_schema = {t: {c[1] for c in s.conn.execute(f"PRAGMA table_info({t})")} for t in names}
    with open_store(pg_url) as s:
        server_schema: dict[str, set] = {}
        for table, column in sql_rows(s, "SELECT table_name, column_name FROM information_schema.columns "
                                         "WHERE table_schema = current_schema()"):
            server_schema.setdefault(table, set()).add(column)
    assert server_schema.pop("voc_schema") == {"version"}  # where SQLite has PRAGMA user_version
    assert server_schema["records"] - file_schema["records"] == {"seq"}  # SQLite's rowid
    server_schema["records"].discard("seq")
    assert server_schema == file_schema


@pytest.mark.postgres
def test_a_server_lost_mid_command_is_a_one_line_error(pg_url, pg_server):
    import psycopg

    from voc.cli.app import _lost_server

    with open_store(pg_url) as s:
        pid = s.conn.info.backend_pid
        with psycopg.connect(pg_server.admin_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(psycopg.OperationalError) as e:
            s.count_records()
    assert _lost_server(e.value) and not _lost_server(ValueError("x"))


def test_a_nul_character_in_an_export_does_not_stop_the_ingest(store_target, tmp_path):
    from voc.io.ingest import ingest_paths

    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"content": "屏幕\u0000很好", "rating": 5}) + "\n", encoding="utf-8")
    with open_store(store_target) as s:
        assert ingest_paths(s, [f]).total("stored") == 1
        assert s.rated_reviews(5)[0][1].replace("\x00", "") == "屏幕很好"  # PostgreSQL cannot keep the NUL


def test_undated_records_take_the_latest_date_of_their_file(store_target, tmp_path):
    from tests.conftest import sql_rows
    from voc.io.ingest import ingest_paths

    f = tmp_path / "a.csv"
    f.write_text("评价内容,评分,评价时间\n屏幕很好,5,\n电池不行,1,2026-11-18 09:30\n发热,2,2026-11-17\n", encoding="utf-8")
    with open_store(store_target) as s:
        res = ingest_paths(s, [f])
        assert any("1 record(s) have no date: dated 2026-11-18 09:30:00" in w for w in res.files[0].warnings)
        assert sql_rows(s, "SELECT created_at FROM records WHERE text = ?", ("屏幕很好",)) == [("2026-11-18 09:30:00",)]


def test_a_findings_name_comes_from_its_latest_week_whatever_week_is_re_run(store_target):
    """Re-running an older week stores that week's figures but keeps the name (label, terms)
    the finding has in its latest week; a later week renames it."""
    from voc.store.rows import FindingRecord

    def record(label: str) -> FindingRecord:
        return FindingRecord("F-1", "topic", "display", "X1", "", label, tuple(label.split("·")), 1.0, 5, 100, 1.0, 0,
                             1.0, 5.0, 0.001, 0.01, 2.0, "P1", "ongoing", "显示", "", "", True, False)

    with open_store(store_target) as s:
        s.save_period_findings("2026-W47", "2026-11-16", [record("闪屏·花屏")], 100, True)
        s.save_period_findings("2026-W46", "2026-11-09", [record("花屏·坏点")], 100, True)
        assert s.latest_finding_rows("", "9999")["F-1"].label == "闪屏·花屏"
        s.save_period_findings("2026-W48", "2026-11-23", [record("闪屏·重影")], 100, True)
        assert s.latest_finding_rows("", "9999")["F-1"].label == "闪屏·重影"
