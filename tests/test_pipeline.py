"""`voc analyze` over a store: results, versions, incremental runs, workers."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from tests.conftest import sql_rows, write_csv
from voc.analysis.run import analyze_store
from voc.cli import app
from voc.io.ingest import ingest_paths
from voc.lexicon import Lexicons
from voc.settings import packaged_lexicon_dir
from voc.store import open_store

REVIEWS = [
    ["外观很漂亮，屏幕清晰，运行流畅一点都不卡", "5"],
    ["屏幕很好，但是发热严重，玩游戏烫手", "2"],
    ["用了两周电池鼓包了，后盖都顶起来了", "1"],
    ["电池没有鼓包，续航也不错，满意", "5"],
    ["快递太慢了，包装还破了", "2"],
    ["客服态度很差，问什么都不回", "1"],
    ["风扇噪音很大，晚上吵得睡不着", "2"],
    ["性价比很高，推荐购买", "5"],
]


@pytest.fixture
def store(tmp_path, store_target):
    """The reviews ingested into a new store, once per backend (SQLite file, PostgreSQL server)."""
    f = write_csv(tmp_path / "r.csv", ["评论内容", "评分", "评论时间"],
                  [[t, r, f"2026-11-{10 + i:02d} 10:00"] for i, (t, r) in enumerate(REVIEWS)])
    with open_store(store_target) as s:
        ingest_paths(s, [f])
        yield s


def analysis(store) -> dict[str, tuple]:
    q = ("SELECT r.text, a.sentiment, a.score, a.topics, a.safety, a.model_version, a.lexicon_version "
         "FROM records r JOIN analysis a ON a.record_id = r.id")
    return {row[0]: row[1:] for row in sql_rows(store, q)}


def test_every_record_gets_sentiment_topics_safety_and_versions(store):
    res = analyze_store(store)
    assert (res.analyzed, res.skipped) == (len(REVIEWS), 0)
    got = analysis(store)
    assert len(got) == len(REVIEWS)
    for text, (label, score, topics, _safety, mv, lv) in got.items():
        assert label in {"positive", "neutral", "negative"} and 0.0 <= score <= 1.0
        assert mv == res.model_version and lv == res.lexicon_version
        for t in json.loads(topics):
            assert t["evidence"] in text  # evidence is the matched phrase
    assert got["用了两周电池鼓包了，后盖都顶起来了"][3] == 1
    assert got["电池没有鼓包，续航也不错，满意"][3] == 0  # negated: not a safety report
    assert got["风扇噪音很大，晚上吵得睡不着"][0] == "negative"
    assert got["性价比很高，推荐购买"][0] == "positive"
    mixed = {t["id"]: t["polarity"] for t in json.loads(got["屏幕很好，但是发热严重，玩游戏烫手"][2])}
    assert mixed.get("thermal") == "neg" and mixed.get("display") == "pos"
    # record_topics mirrors the JSON, one row per (record, topic).
    n_json = sum(len(json.loads(v[2])) for v in got.values())
    assert store.count("record_topics") == n_json


def test_incremental_then_stale_after_lexicon_change_then_reanalyze(store, tmp_path):
    analyze_store(store)
    again = analyze_store(store)
    assert (again.analyzed, again.skipped) == (0, len(REVIEWS))
    lex = tmp_path / "lex"
    shutil.copytree(packaged_lexicon_dir(), lex)
    with open(lex / "userdict.txt", "a", encoding="utf-8") as f:
        f.write("\n超级本本 9\n")  # any change to what a lexicon says makes earlier results stale
    changed = analyze_store(store, lexicons=Lexicons(lex))
    assert changed.analyzed == len(REVIEWS) and changed.lexicon_version != again.lexicon_version
    forced = analyze_store(store, lexicons=Lexicons(lex), reanalyze=True)
    assert forced.analyzed == len(REVIEWS)
    # re-analysed records keep one record_topics row per topic of their latest analysis
    n_json = sum(len(json.loads(v[2])) for v in analysis(store).values())
    assert n_json > 0 and store.count("record_topics") == n_json


def test_tokens_are_kept_for_complaints_only(store):
    analyze_store(store)
    rows = sql_rows(store,
        "SELECT a.sentiment, a.tokens, EXISTS (SELECT 1 FROM record_topics t WHERE t.record_id = a.record_id "
        "AND t.polarity = 'neg') FROM analysis a")
    assert any(tokens for _, tokens, _ in rows)
    for sentiment, tokens, neg_topic in rows:
        complaint = sentiment == "negative" or bool(neg_topic)
        assert (tokens is not None) == complaint, (sentiment, tokens)


def test_two_workers_give_the_same_results(store):
    one = analyze_store(store)
    first = analysis(store)
    two = analyze_store(store, workers=2, reanalyze=True, chunk_size=3)
    assert two.analyzed == one.analyzed
    assert analysis(store) == first


def test_the_parent_and_its_workers_take_every_chunk_once(store):
    # with N workers the parent analyses beside N - 1 processes, each taking the next
    # chunk from a shared counter; the progress counts both and reaches the total
    analyze_store(store, workers=1)
    first = analysis(store)
    seen: list[tuple[int, int]] = []
    three = analyze_store(store, workers=3, reanalyze=True, chunk_size=1, progress=lambda d, t: seen.append((d, t)))
    assert (three.workers, three.analyzed) == (3, len(REVIEWS))
    assert analysis(store) == first
    assert seen[-1] == (len(REVIEWS), len(REVIEWS))
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))


def test_an_analyzer_is_kept_only_when_asked_and_the_collector_is_left_as_it_was(store, monkeypatch):
    import gc

    import voc.analysis.run as pipeline

    frozen = gc.get_freeze_count()
    assert pipeline.RETAIN is None
    kept: list = []
    monkeypatch.setattr(pipeline, "RETAIN", kept)
    analyze_store(store, workers=2, reanalyze=True, chunk_size=3)
    assert len(kept) == 1 and kept[0].model_version
    assert gc.get_freeze_count() == frozen and gc.isenabled()


def test_a_workers_error_or_death_is_the_runs_error(store, monkeypatch):
    # worker processes send their count or their exception back; one that dies without a
    # word is an error too (the parent does not wait for it forever)
    import os

    import voc.analysis.run as pipeline

    if not pipeline.can_fork() or store.claims_analysis:
        pytest.skip("forked workers of a store that does not hand out claims")

    def boom(chunks, versions):
        raise ValueError("boom in a worker")

    monkeypatch.setattr(pipeline, "_work_shared", boom)
    with pytest.raises(ValueError, match="boom in a worker"):
        analyze_store(store, workers=2, reanalyze=True, chunk_size=1)
    monkeypatch.setattr(pipeline, "_work_shared", lambda chunks, versions: os._exit(3))
    with pytest.raises(RuntimeError, match="exit code 3"):
        analyze_store(store, workers=2, reanalyze=True, chunk_size=1)
    monkeypatch.undo()
    assert analyze_store(store, workers=2, reanalyze=True, chunk_size=1).analyzed == len(REVIEWS)


def test_auto_workers_follow_the_pending_records_and_the_cores():
    from voc.analysis.run import (
        MAX_AUTO_WORKERS,
        PER_FORKED_WORKER,
        PER_SPAWNED_WORKER,
        auto_workers,
    )

    assert auto_workers(0, fork=True, cores=8) == 1
    assert auto_workers(PER_FORKED_WORKER * 2 - 1, fork=True, cores=8) == 1  # too few to pay for a second process
    assert auto_workers(PER_FORKED_WORKER * 2, fork=True, cores=8) == 2
    assert auto_workers(PER_FORKED_WORKER * 3, fork=True, cores=2) == 2  # one per core
    assert auto_workers(10**7, fork=True, cores=64) == MAX_AUTO_WORKERS
    assert auto_workers(PER_FORKED_WORKER * 4, fork=False, cores=8) == 1  # spawned workers build their own analyzer
    assert auto_workers(PER_SPAWNED_WORKER * 2, fork=False, cores=8) == 2


def test_the_default_picks_workers_and_gives_the_same_results(store, monkeypatch):
    import voc.analysis.run as pipeline

    one = analyze_store(store, workers=1)
    first = analysis(store)
    assert one.workers == 1
    monkeypatch.setattr(pipeline, "PER_FORKED_WORKER", 3)  # 8 pending records: two workers
    monkeypatch.setattr(pipeline, "PER_SPAWNED_WORKER", 3)
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)
    auto = analyze_store(store, reanalyze=True, chunk_size=3)
    assert (auto.workers, auto.analyzed) == (2, len(REVIEWS))
    assert analysis(store) == first
    assert analyze_store(store).workers == 1  # nothing pending: no second process


def test_worker_processes_claim_a_server_stores_records(store, monkeypatch):
    # on a server store the records are claimed chunk by chunk (by this command's workers
    # and any other `voc analyze`), so every record is analysed once
    import voc.analysis.run as pipeline

    if not store.claims_analysis:
        pytest.skip("claiming is a server store's (PostgreSQL)")
    monkeypatch.setattr(pipeline, "PER_FORKED_WORKER", 3)
    monkeypatch.setattr(pipeline, "PER_SPAWNED_WORKER", 3)
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)
    claimed = analyze_store(store, chunk_size=2)
    assert (claimed.workers, claimed.analyzed, claimed.skipped) == (2, len(REVIEWS), 0)
    by_workers = analysis(store)
    assert len(by_workers) == len(REVIEWS)
    assert analyze_store(store, workers=1, reanalyze=True).analyzed == len(REVIEWS)
    assert analysis(store) == by_workers


def test_workers_started_by_spawn_give_the_same_results(store, monkeypatch):
    # macOS and Windows start workers by spawning: nothing is inherited, each worker
    # builds its own analyzer from the lexicons
    import voc.analysis.run as pipeline

    one = analyze_store(store)
    first = analysis(store)
    monkeypatch.setattr(pipeline, "can_fork", lambda: False)
    two = analyze_store(store, workers=2, reanalyze=True, chunk_size=3)
    assert two.analyzed == one.analyzed == len(REVIEWS)
    assert analysis(store) == first


def test_cli_analyze_json_and_missing_store(tmp_path, store):
    r = CliRunner().invoke(app, ["analyze", "--db", store.target(), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {"analyzed", "skipped", "seconds", "per_second"} <= set(d)
    r = CliRunner().invoke(app, ["analyze", "--db", str(tmp_path / "nope.db")])
    assert r.exit_code == 2 and "no store" in r.stderr


def test_results_written_in_multi_row_statements_are_the_rows(tmp_path):
    from voc.store.sqlite import _insert_many

    with open_store(tmp_path / "m.db") as s:
        s.conn.execute("CREATE TABLE t (a INTEGER, b TEXT)")
        for n in (0, 1, 49, 50, 51, 137):
            s.conn.execute("DELETE FROM t")
            rows = [(i, f"值{i}") for i in range(n)]
            _insert_many(s.conn, "INSERT INTO t (a, b) VALUES ", 2, rows)
            assert s.conn.execute("SELECT a, b FROM t ORDER BY rowid").fetchall() == rows
        with pytest.raises(ValueError):
            _insert_many(s.conn, "INSERT INTO t (a, b) VALUES ", 2, [(1, "x")] * 49 + [(1,)])


def test_two_runs_writing_the_same_records_do_not_collide(store):
    # Two `voc analyze` runs on one store can fetch the same records before either
    # writes: the second write replaces the first one's results instead of failing on
    # the record_topics key.
    from voc.analysis.run import Analyzer, _analyze_chunk

    analyzer = Analyzer.from_lexicons()
    versions = (analyzer.model_version, analyzer.lexicon_version)
    keys = store.pending_analysis(*versions)
    first = _analyze_chunk(analyzer, store.texts(keys), versions)
    second = _analyze_chunk(analyzer, store.texts(keys), versions)  # fetched before any write
    store.write_analysis(*first)
    store.write_analysis(*second)
    topics = sql_rows(store, "SELECT record_id, topic, polarity, evidence FROM record_topics ORDER BY 1, 2")
    assert topics == sorted(second[1])
    assert store.count("analysis") == len(REVIEWS)
    assert analyze_store(store).analyzed == 0


def test_a_lexicon_folder_that_is_not_there_is_an_error_not_the_packaged_one(tmp_path, store, monkeypatch):
    runner = CliRunner()
    r = runner.invoke(app, ["analyze", "--db", store.target(), "--lexicons", str(tmp_path / "typo")])
    assert r.exit_code == 2 and "no such folder" in r.stderr
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["analyze", "--db", store.target(), "--lexicons", str(tmp_path / "file.txt")])
    assert r.exit_code == 2 and "not a folder" in r.stderr
    (tmp_path / "lex" / "topics.tsv").mkdir(parents=True)
    r = runner.invoke(app, ["analyze", "--db", store.target(), "--lexicons", str(tmp_path / "lex")])
    assert r.exit_code == 2 and "topics.tsv is not a file" in r.stderr
    monkeypatch.setenv("VOC_LEXICON_DIR", str(tmp_path / "gone"))
    r = runner.invoke(app, ["analyze", "--db", store.target()])
    assert r.exit_code == 2 and "VOC_LEXICON_DIR" in r.stderr
    assert store.count("analysis") == 0  # nothing was analysed with the wrong lexicons


def test_forked_workers_share_their_counter_and_lock():
    # the next chunk's number and the records done: counted across forked processes
    import os

    import voc.analysis.run as pipeline

    if not pipeline.can_fork():
        pytest.skip("no fork here")
    turn, counter = pipeline._PipeLock(), pipeline._MapCounter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            for _ in range(2000):
                counter.add(1)
            with turn:
                counter.add(10_000)
        finally:
            os._exit(0)
    taken = [counter.add(2) for _ in range(2000)]
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert counter.value == 2000 + 4000 + 10_000 and len(set(taken)) == 2000
    with turn:
        pass
    turn.close()
    counter.close()
