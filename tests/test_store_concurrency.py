"""A team on one PostgreSQL store: ingests, analyze processes and people at the same
time; nothing lost, nothing doubled, a killed analyze process's chunk taken over."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time

import pytest
from report_synth import StoreBuilder

from tests.conftest import sql_rows, write_csv
from voc.errors import VocError
from voc.io.ingest import ingest_paths
from voc.store import open_store

pytestmark = pytest.mark.postgres

TEXTS = ["屏幕很清晰，运行流畅一点都不卡", "电池续航太差了，一天要充三次电", "玩游戏发热严重，键盘烫手",
         "快递很快，包装完好", "风扇噪音很大，晚上吵得睡不着", "客服态度很差，问什么都不回"]


def _csv(path, first: int, n: int):
    rows = [[f"c{i}", f"{TEXTS[i % len(TEXTS)]}（{i}）", str(1 + i % 5), f"2026-11-{16 + i % 7:02d} 10:00"]
            for i in range(first, first + n)]
    return write_csv(path, ["评论ID", "评论内容", "评分", "评论时间"], rows)


def _together(*jobs):
    """Run the jobs in threads released at the same moment; their results (or errors) in order."""
    start = threading.Barrier(len(jobs))
    out: list = [None] * len(jobs)

    def run(i, job):
        start.wait()
        try:
            out[i] = job()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            out[i] = e

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for r in out:
        if isinstance(r, BaseException):
            raise r
    return out


def test_two_ingests_at_once_store_each_record_once_and_count_it_once(tmp_path, pg_url):
    a = _csv(tmp_path / "a.csv", 0, 3000)
    b = _csv(tmp_path / "b.csv", 2000, 3000)  # 1,000 records in both files

    def ingest(path):
        with open_store(pg_url) as s:
            return ingest_paths(s, [path])

    ra, rb = _together(lambda: ingest(a), lambda: ingest(b))
    stored = ra.total("stored") + rb.total("stored")
    duplicates = ra.total("duplicates") + rb.total("duplicates")
    with open_store(pg_url) as s:
        assert s.count_records() == stored == 5000 and duplicates == 1000
        assert sql_rows(s, "SELECT SUM(stored), SUM(duplicates) FROM batches") == [(5000, 1000)]
        assert s.generation() == 2


def _p0_store(url) -> str:
    b = StoreBuilder(open_store(url))
    for i in range(30):
        b.add(f"2026-11-{16 + i % 5} 10:00:{i:02d}", text="用着不错", product="X1", sentiment="positive", rating=5)
    for hazard in ("swelling", "smoke"):
        b.add("2026-11-18 12:00:00", text="电池鼓包冒烟", product="X1", sentiment="negative", rating=1,
              topics=(("battery", "neg"),), safety=hazard)
    with b.commit() as store:
        from voc import api

        api.report(store, api.period(store, week="2026-W47"))
    return url


def test_two_people_closing_findings_at_once_are_both_recorded(pg_url):
    from voc import api

    _p0_store(pg_url)
    with open_store(pg_url) as s:
        first, second = [st.id for st in api.findings(s) if st.latest.priority == "P0"]

    def close(fid, who):
        with open_store(pg_url) as s:
            return api.decide(s, fid, "close", note=f"{who} 处理了", by=who).status

    assert _together(lambda: close(first, "王工"), lambda: close(second, "李工")) == ["closed", "closed"]
    with open_store(pg_url) as s:
        events = s.finding_events()
        assert sorted((e.finding_id, e.by) for e in events) == sorted([(first, "王工"), (second, "李工")])
        assert {st.id: st.status for st in api.findings(s)}[first] == "closed"
    # two people closing the same finding at once: each is recorded, or told it is closed
    with open_store(pg_url) as s:
        api.decide(s, first, "reopen", note="复发", by="王工")

    def try_close(who):
        try:
            return close(first, who)
        except VocError as e:
            assert "is not open" in str(e)
            return None

    outcome = dict(zip(("赵工", "钱工"), _together(lambda: try_close("赵工"), lambda: try_close("钱工"))))
    with open_store(pg_url) as s:
        closes = [e.by for e in s.finding_events([first]) if e.action == "close"]
    assert sorted(closes) == sorted(["王工", *(who for who, status in outcome.items() if status == "closed")])
    assert len(closes) >= 2


def _ingested(tmp_path, url, n):
    with open_store(url) as s:
        ingest_paths(s, [_csv(tmp_path / "r.csv", 0, n)])


def _results(url):
    with open_store(url) as s:
        return sorted(sql_rows(s, "SELECT a.record_id, a.sentiment, a.score, a.topics, a.safety, a.tokens, "
                                  "a.model_version, a.lexicon_version FROM analysis a")), \
            sorted(sql_rows(s, "SELECT record_id, topic, polarity, evidence FROM record_topics"))


def _analyze_in_process(url, chunk, go, out):
    from voc.analysis.analyzer import Analyzer
    from voc.analysis.run import analyze_store

    analyzer = Analyzer.from_lexicons()  # ready before the start: both processes claim from the first chunk
    rows = analyzer.rows

    def slowed(*args, **kwargs):  # 50 short reviews take ~2 ms: on a loaded machine one process
        time.sleep(0.01)          # could claim all 80 chunks before the other is scheduled
        return rows(*args, **kwargs)

    analyzer.rows = slowed
    with open_store(url) as s:
        go.wait(60)
        out.put(analyze_store(s, analyzer=analyzer, chunk_size=chunk).analyzed)


def test_two_analyze_processes_at_once_split_the_work_and_give_the_rows_of_one(tmp_path, pg_server):
    from voc.analysis.run import analyze_store

    one, two = pg_server.new_database(), pg_server.new_database()
    try:
        for url in (one, two):
            _ingested(tmp_path, url, 4000)
        with open_store(one) as s:
            assert analyze_store(s, adapt=False).analyzed == 4000
        ctx = mp.get_context("fork")
        go, out = ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_analyze_in_process, args=(two, 50, go, out)) for _ in range(2)]
        for p in procs:
            p.start()
        go.set()
        shares = [out.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(60)
        assert sum(shares) == 4000 and min(shares) > 0, shares  # each record once, the work split
        assert _results(two) == _results(one)
        with open_store(two) as s:  # and a report reads the store meanwhile and after
            assert s.coverage("2026-11-16 00:00:00", "2026-11-23 00:00:00").analysed == 4000
    finally:
        pg_server.drop_database(one)
        pg_server.drop_database(two)


def _claim_and_hang(url, ready):
    from voc.analysis.analyzer import Analyzer

    analyzer = Analyzer.from_lexicons()
    with open_store(url) as s, s.claim_pending(analyzer.model_version, analyzer.lexicon_version, 250) as chunk:
        assert chunk
        ready.set()
        time.sleep(600)  # killed here, its chunk claimed and not written


def test_a_chunk_of_an_analyze_process_killed_mid_chunk_is_analysed_by_another_once(tmp_path, pg_url):
    from voc.analysis.run import analyze_store

    _ingested(tmp_path, pg_url, 1000)
    ctx = mp.get_context("fork")
    ready = ctx.Event()
    victim = ctx.Process(target=_claim_and_hang, args=(pg_url, ready))
    victim.start()
    assert ready.wait(60)
    result: dict = {}

    def survivor():
        with open_store(pg_url) as s:
            result["analyzed"] = analyze_store(s, adapt=False, chunk_size=100).analyzed

    t = threading.Thread(target=survivor)
    t.start()
    deadline = time.time() + 60
    while time.time() < deadline:  # the survivor does all the rest, then waits for the held chunk
        with open_store(pg_url) as s:
            if s.table_count("analysis") == 750:
                break
        time.sleep(0.1)
    time.sleep(0.3)
    with open_store(pg_url) as s:
        assert s.table_count("analysis") == 750 and t.is_alive()
    os.kill(victim.pid, signal.SIGKILL)
    victim.join(30)
    t.join(60)
    assert not t.is_alive() and result["analyzed"] == 1000
    with open_store(pg_url) as s:
        assert s.table_count("analysis") == 1000
        assert len(s.pending_analysis(*_versions())) == 0


def _versions():
    from voc.analysis.analyzer import Analyzer

    a = Analyzer.from_lexicons()
    return a.model_version, a.lexicon_version


def test_a_team_at_once_two_ingests_two_analyze_processes_and_a_report(tmp_path, pg_url):
    """The busy Monday: the cron job's ingest and an engineer's, two analysing machines and
    someone reporting the week, all as the commands users run, started together."""
    import json
    import subprocess
    import sys

    from voc.analysis.run import analyze_store

    base = _csv(tmp_path / "base.csv", 0, 1500)  # the week as it stood before
    with open_store(pg_url) as s:
        ingest_paths(s, [base])
        analyze_store(s, adapt=False)
    a = _csv(tmp_path / "a.csv", 1500, 2000)
    b = _csv(tmp_path / "b.csv", 3000, 2000)  # 500 records in both new files
    env = {**os.environ, "VOC_DB": pg_url}

    def voc(*args):
        return subprocess.Popen([sys.executable, "-m", "voc", *args], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    procs = [voc("ingest", str(a), "--json"), voc("ingest", str(b), "--json"),
             voc("analyze", "--no-adapt", "--json"), voc("analyze", "--no-adapt", "--json"),
             voc("report", "--week", "2026-W47", "--json")]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs[:4], outs[:4], strict=True):
        assert p.returncode == 0, err
    stored = [json.loads(out)["stored"] for out, _ in outs[:2]]
    assert sum(stored) == 3500  # the 500 records in both files stored once, counted once
    # the report either read the week as it stood, or refused, in one line, a week whose
    # new records were not analysed yet (it never reports half-analysed data)
    if procs[4].returncode:
        assert procs[4].returncode == 2 and "not analysed yet" in outs[4][1], outs[4][1]
        assert outs[4][1].count("\n") == 1
    else:
        assert json.loads(outs[4][0])["volume"]["analyzed"] >= 1500
    with open_store(pg_url) as s:
        assert s.table_count("records") == 5000
        analyze_store(s, adapt=False)  # what arrived after the analyze processes ended
        assert s.table_count("analysis") == 5000
        assert not s.pending_analysis(*_versions())
        topics = sql_rows(s, "SELECT count(*), count(DISTINCT (record_id, topic, evidence)) FROM record_topics")
        assert topics[0][0] == topics[0][1]  # no record's topics written twice
    again = voc("report", "--week", "2026-W47", "--json")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert json.loads(out)["volume"]["total"] == json.loads(out)["volume"]["analyzed"] == 5000
