"""`voc analyze`: segment, score sentiment, tag topics and aspects, flag safety.

:class:`Analyzer` holds the components (injectable, scikit-learn style) and turns texts
into result rows; :func:`analyze_store` streams the records that are new or stale
(analysed by another model or lexicon version) through it in chunks, optionally in
worker processes, writing each chunk in its own transaction.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from voc.store import Store

CHUNK = 10_000
_INSERT_ANALYSIS = (
    "INSERT OR REPLACE INTO analysis (record_id, sentiment, score, topics, safety, safety_evidence, "
    "products_mentioned, tokens, model_version, lexicon_version, analyzed_at) VALUES "
)
_INSERT_TOPICS = "INSERT INTO record_topics (record_id, topic, polarity, evidence) VALUES "
#: Rows per INSERT statement when writing results: one statement step for many rows
#: takes about 15% off the write time (one row per step before).
ROWS_PER_INSERT = 50


@dataclass(frozen=True)
class AnalyzeResult:
    analyzed: int
    skipped: int
    seconds: float
    workers: int
    model_version: str
    lexicon_version: str

    @property
    def per_second(self) -> float:
        return self.analyzed / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict:
        return {
            "analyzed": self.analyzed, "skipped": self.skipped, "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1), "workers": self.workers,
            "model_version": self.model_version, "lexicon_version": self.lexicon_version,
        }


class Analyzer:
    """Everything `voc analyze` computes for a text, from injected components."""

    def __init__(self, lexicon_dir: str | Path | None = None, model: str | Path | None = None,
                 topic_model: str | Path | None = None):
        from voc.analysis.products import ProductMatcher
        from voc.analysis.safety import SafetyDetector
        from voc.analysis.sentiment import SentimentModel
        from voc.analysis.sentiment_train import default_model
        from voc.analysis.topics import TopicTagger
        from voc.settings import resolve_lexicon_dir
        from voc.lexicon import lexicon_version
        from voc.analysis.segment import Segmenter

        self.lexicon_dir = resolve_lexicon_dir(lexicon_dir)
        self.segmenter = Segmenter(self.lexicon_dir)
        self.sentiment = (SentimentModel.load(model, segmenter=self.segmenter) if model
                          else default_model(self.lexicon_dir, segmenter=self.segmenter))
        self.topics = TopicTagger(self.lexicon_dir)
        if topic_model:
            from voc.analysis.topics import TrainedTopicModel

            self.topics = TrainedTopicModel.load(topic_model, tagger=self.topics)
        self.safety = SafetyDetector(self.lexicon_dir)
        self.products = ProductMatcher(self.lexicon_dir)
        self.lexicon_version = lexicon_version(self.lexicon_dir)
        self.model_version = f"{self.sentiment.version}+{self.topics.version}"

    def analyze(self, texts: Sequence[str]) -> list[tuple]:
        """One row per text: (sentiment, score, topics_json, safety, safety_evidence, products, tokens)."""
        rows, _ = self._rows(texts, [None] * len(texts), ())
        return [(*row[1:7], row[7]) for row in rows]

    def _rows(self, texts: Sequence[str], ids: Sequence, tail: tuple) -> tuple[list[tuple], list[tuple]]:
        """The analysis rows ``(id, sentiment, score, topics_json, safety, safety_evidence,
        products, tokens, *tail)`` and the record_topics rows ``(id, topic, polarity,
        evidence)`` of a chunk, built once in their final form.

        ``tokens`` (the clustering input of emerging issues) is kept for complaints only,
        the records emerging issues read it for (:func:`voc.emerging.data.is_complaint`).
        """
        from voc.emerging.data import is_complaint
        from voc.analysis.aspects import POLARITY, mark_normalized
        from voc.analysis.normalize import normalize

        norm = [normalize(t) for t in texts]
        tokens = self.segmenter.cut_many(norm)
        labels, scores = self.sentiment.labels_tokens(tokens)
        # Texts are normalised once here; a tagger that can skip normalising again does,
        # and the lexicon tagger hands over plain spans.
        spans = getattr(self.topics, "spans_normalized", None)
        tag = getattr(self.topics, "tag_normalized", self.topics.tag)
        detect, find = self.safety.detect, self.products.find
        rows: list[tuple] = []
        topic_rows: list[tuple] = []
        for rid, text, toks, label, p in zip(ids, norm, tokens, labels, scores.tolist()):
            if spans is not None:
                hits = [(rid, t, POLARITY[pol], text[s:e]) for t, pol, s, e in spans(text, label)]
            else:
                hits = [(rid, h.id, h.polarity, h.evidence) for h in tag(text, doc_sentiment=label)]
            mark_normalized(text)
            safety = detect(text)
            products = find(text)
            if hits:
                topic_rows += hits
            rows.append((
                rid, label, p, _topics_json(hits) if hits else "[]",
                1 if safety else 0, safety.evidence if safety else None,
                "|".join(products) or None,
                " ".join(toks) if is_complaint(label, [h[2] for h in hits]) else None, *tail,
            ))
        return rows, topic_rows


def _topics_json(hits: list[tuple[str, str, str, str]]) -> str:
    """``json.dumps([{"id": .., "polarity": .., "evidence": ..}, ...], ensure_ascii=False)``
    of ``(record_id, id, polarity, evidence)`` hits, the same string, built without the
    generic encoder (a fifth of the cost)."""
    if not hits:
        return "[]"
    heads = _HEADS
    parts = []
    for _, i, p, e in hits:
        head = heads.get((i, p))
        if head is None:
            head = heads[(i, p)] = f'{{"id": {_enc(i)}, "polarity": {_enc(p)}, "evidence": '
        parts.append(head + _enc(e) + "}")
    return "[" + ", ".join(parts) + "]"


_enc = json.encoder.encode_basestring  # type: ignore[attr-defined]
_HEADS: dict[tuple[str, str], str] = {}  # (topic, polarity) -> the start of its JSON object


# -- worker processes -----------------------------------------------------------------
# A worker reads its chunk, analyses it and writes the results itself (SQLite lets one
# writer in at a time; the others wait on the lock), so the parent only hands out rowid
# ranges and the analysis runs in parallel.
_WORKER: Analyzer | None = None
_WORKER_STORE: Store | None = None


def _init_worker(db_path, lexicon_dir, model, topic_model) -> None:
    global _WORKER, _WORKER_STORE
    if _WORKER is None:  # spawn: nothing inherited (fork: the parent's analyzer is here)
        _WORKER = Analyzer(lexicon_dir, model, topic_model)
    _WORKER_STORE = _writer_store(Store(db_path))


def _writer_store(store: Store) -> Store:
    """The store, set up for analysis writes: the record ids written are read from
    ``records`` in the same run, so the per-row foreign-key lookups are skipped."""
    store.conn.execute("PRAGMA foreign_keys=OFF")
    return store


def _fetch(conn, rowids: list[int]) -> list[tuple[str, str]]:
    """``(id, text)`` of the records with these rowids, in id order."""
    return conn.execute(
        "SELECT id, text FROM records WHERE rowid IN (SELECT value FROM json_each(?)) ORDER BY id",
        (json.dumps(rowids),)).fetchall()


def _analyze_chunk(analyzer: Analyzer, chunk: list[tuple[str, str]],
                   versions: tuple[str, str]) -> tuple[list[tuple], list[tuple]]:
    """The analysis and record_topics rows to write for a fetched chunk."""
    now = datetime.now().isoformat(timespec="seconds")
    return analyzer._rows([c[1] for c in chunk], [c[0] for c in chunk], (*versions, now))


def _work(rowids: list[int], versions: tuple[str, str]) -> int:
    assert _WORKER is not None and _WORKER_STORE is not None
    result = _analyze_chunk(_WORKER, _fetch(_WORKER_STORE.conn, rowids), versions)
    _write(_WORKER_STORE, *result)
    return len(result[0])


def _pending_rowids(store: Store, model_version: str, lexicon_version: str, reanalyze: bool) -> list[int]:
    """The rowids of the records to analyse, in record id order.

    The results are keyed by record id (``analysis`` and ``record_topics``), and record ids
    are hashes, random against the order records arrive in: chunks of consecutive ids
    make each transaction insert into one narrow stretch of those indexes instead of
    touching nearly every page of them, which made every commit rewrite most of the
    indexes (a cost growing with the store; a third of the write time at 200,000 reviews).
    """
    if reanalyze:
        q = "SELECT rowid FROM records ORDER BY id"
        return [r[0] for r in store.conn.execute(q)]
    q = ("SELECT r.rowid FROM records r LEFT JOIN analysis a ON a.record_id = r.id "
         "WHERE a.record_id IS NULL OR a.model_version != ? OR a.lexicon_version != ? ORDER BY r.id")
    return [r[0] for r in store.conn.execute(q, (model_version, lexicon_version))]


def _split(rowids: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(rowids), size):
        yield rowids[i : i + size]


def _guided(rowids: list[int], size: int, workers: int, smallest: int = 1000) -> Iterator[list[int]]:
    """Chunks of ``size`` while there is plenty left, then smaller ones (a share of
    what remains, down to ``smallest``), so the workers run out of work together
    instead of one finishing a full chunk alone."""
    i, n = 0, len(rowids)
    while i < n:
        step = max(smallest, min(size, (n - i) // (2 * workers)))
        if n - i - step < smallest:  # no crumbs at the end
            step = n - i
        yield rowids[i : i + step]
        i += step


def _write(store: Store, rows: list[tuple], topic_rows: list[tuple]) -> None:
    """Store a chunk's results in one transaction (from :func:`_analyze_chunk`).

    Which records had an earlier analysis is read inside the transaction, not when the
    chunk was fetched: another ``voc analyze`` on the same store may have written them
    meanwhile, and their topics are replaced, not added to."""
    with store.transaction() as conn:
        ids = json.dumps([row[0] for row in rows])
        seen = conn.execute("SELECT 1 FROM analysis WHERE record_id IN (SELECT value FROM json_each(?)) LIMIT 1",
                            (ids,)).fetchone()
        if seen:  # topics of an earlier analysis of these records (one statement)
            conn.execute("DELETE FROM record_topics WHERE record_id IN (SELECT value FROM json_each(?))", (ids,))
        _insert_many(conn, _INSERT_ANALYSIS, 11, rows)
        _insert_many(conn, _INSERT_TOPICS, 4, topic_rows)


def _insert_many(conn, head: str, width: int, rows: list[tuple]) -> None:
    """``conn.executemany(head + "(?, ...)", rows)`` with :data:`ROWS_PER_INSERT` rows
    of ``width`` values per statement (the same rows, in the same order)."""
    one = "(" + ",".join("?" * width) + ")"
    full = len(rows) - len(rows) % ROWS_PER_INSERT
    if full:
        step = width * ROWS_PER_INSERT
        flat = [value for row in rows[:full] for value in row]
        if len(flat) != full * width:  # a short or long row would shift every value after it
            raise ValueError(f"rows of {width} values expected")
        statement = head + ",".join([one] * ROWS_PER_INSERT)
        conn.executemany(statement, [flat[i : i + step] for i in range(0, len(flat), step)])
    if full < len(rows):
        conn.executemany(head + one, rows[full:])


def analyze_store(
    store: Store,
    *,
    lexicon_dir: str | Path | None = None,
    workers: int = 1,
    reanalyze: bool = False,
    model: str | Path | None = None,
    topic_model: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK,
) -> AnalyzeResult:
    """Analyse what is new or stale; returns counts and throughput."""
    t0 = time.perf_counter()
    analyzer = Analyzer(lexicon_dir, model, topic_model)
    versions = (analyzer.model_version, analyzer.lexicon_version)
    total = store.count("records")
    rowids = _pending_rowids(store, *versions, reanalyze)
    done = 0
    if workers <= 1:
        fk = store.conn.execute("PRAGMA foreign_keys").fetchone()[0]
        _writer_store(store)
        try:
            for part in _split(rowids, chunk_size):
                result = _analyze_chunk(analyzer, _fetch(store.conn, part), versions)
                _write(store, *result)
                done += len(result[0])
                if progress:
                    progress(done, len(rowids))
        finally:
            store.conn.execute(f"PRAGMA foreign_keys={int(fk)}")
    else:
        global _WORKER
        fork = "fork" in mp.get_all_start_methods()
        ctx = mp.get_context("fork" if fork else "spawn")
        size = min(chunk_size, max(1000, len(rowids) // (workers * 4)))
        initargs = (str(store.path.resolve()), analyzer.lexicon_dir, model, topic_model)
        _WORKER = analyzer if fork else None  # forked workers inherit it, ready
        try:
            with ctx.Pool(workers, initializer=_init_worker, initargs=initargs) as pool:
                work = partial(_work, versions=versions)
                for n in pool.imap_unordered(work, _guided(rowids, size, workers, min(1000, size))):
                    done += n
                    if progress:
                        progress(done, len(rowids))
        finally:
            _WORKER = None
    return AnalyzeResult(
        analyzed=done, skipped=total - done, seconds=time.perf_counter() - t0, workers=workers,
        model_version=versions[0], lexicon_version=versions[1],
    )
