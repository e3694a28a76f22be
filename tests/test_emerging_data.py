"""Reading the emerging-issue window: one pass over the store gives what three queries gave
(the SQLite file is a documented interface: the reference reads it directly)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from emerging_synth import Plan, build_store, iso_weeks

from voc.emerging.data import UNKNOWN_PRODUCT, load_window
from voc.findings.series import Buckets, Counts
from voc.period import iso_week
from voc.store import open_store

# The three queries the window was read with before it was read in one pass: the reference.
DOCS_SQL = """
SELECT r.id, r.product, substr(r.created_at, 1, 10), r.text, COALESCE(a.tokens, ''), a.safety
FROM records r JOIN analysis a ON a.record_id = r.id
WHERE r.created_at >= ? AND r.created_at < ?
  AND (a.sentiment = 'negative'
       OR EXISTS (SELECT 1 FROM record_topics t WHERE t.record_id = r.id AND t.polarity = 'neg'))
ORDER BY r.created_at, r.id
"""
TOPICS_SQL = """
SELECT t.record_id, t.topic, t.polarity FROM record_topics t JOIN records r ON r.id = t.record_id
WHERE r.created_at >= ? AND r.created_at < ? AND t.polarity != 'pos' ORDER BY t.record_id, t.topic
"""
VOLUME_SQL = """
SELECT COALESCE(r.product, ''), substr(r.created_at, 1, 10), COUNT(*)
FROM records r JOIN analysis a ON a.record_id = r.id
WHERE r.created_at >= ? AND r.created_at < ? GROUP BY 1, 2
"""


def reference_window(conn: sqlite3.Connection, period, baseline_weeks: int) -> dict:
    buckets = Buckets.of(period, baseline_weeks)
    bindex = buckets.index()
    lo, hi = buckets.lo, buckets.hi
    docs = conn.execute(DOCS_SQL, (lo, hi)).fetchall()
    index = {r[0]: i for i, r in enumerate(docs)}
    neg = [[] for _ in docs]
    anyt = [[] for _ in docs]
    for rid, topic, polarity in conn.execute(TOPICS_SQL, (lo, hi)):
        if rid in index:
            anyt[index[rid]].append(topic)
            if polarity == "neg":
                neg[index[rid]].append(topic)
    volume = np.zeros(baseline_weeks + 1)
    product_volume: dict[str, np.ndarray] = {}
    for product, day, n in conn.execute(VOLUME_SQL, (lo, hi)).fetchall():
        b = bindex[day]
        volume[b] += n
        product_volume.setdefault(product, np.zeros(baseline_weeks + 1))[b] += n
    return {
        "ids": [r[0] for r in docs],
        "products": [r[1] or UNKNOWN_PRODUCT for r in docs],
        "texts": [r[3] for r in docs],
        "tokens": [r[4] for r in docs],
        "safety": [bool(r[5]) for r in docs],
        "bucket": [bindex[r[2]] for r in docs],
        "neg_topics": [tuple(t) for t in neg],
        "any_topics": [tuple(t) for t in anyt],
        "volume": volume.tolist(),
        "product_volume": {k: v.tolist() for k, v in product_volume.items()},
    }


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    weeks = iso_weeks("2026-W38", 10)
    plan = Plan(weeks=weeks, products={"A": 120, "B": 60}, events=[("fingerprint", "B", weeks[-1], 15)], seed=4)
    path = build_store(tmp_path_factory.mktemp("win") / "w.db", plan)
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        # the cases the one-pass read must get right: a neutral record with a negative topic
        # (a complaint), a negative record with only a neutral topic, a record with no
        # product, a positive topic on a complaint, and an unanalysed record
        conn.execute("UPDATE analysis SET sentiment = 'neutral' WHERE record_id IN (SELECT record_id FROM record_topics LIMIT 5)")
        conn.execute("UPDATE record_topics SET polarity = 'neu' WHERE record_id IN (SELECT record_id FROM record_topics LIMIT 3 OFFSET 10)")
        conn.execute("INSERT OR IGNORE INTO record_topics (record_id, topic, polarity) SELECT record_id, 'price', 'pos' FROM record_topics LIMIT 7")
        conn.execute("UPDATE records SET product = NULL WHERE id IN (SELECT id FROM records ORDER BY id LIMIT 9)")
        conn.execute("DELETE FROM analysis WHERE record_id IN (SELECT id FROM records ORDER BY id DESC LIMIT 4)")
    return path, weeks


@pytest.mark.parametrize("baseline_weeks", [8, 3])
def test_window_read_in_one_pass_equals_the_three_queries(store_path, baseline_weeks):
    path, weeks = store_path
    period = iso_week(weeks[-1])
    buckets = Buckets.of(period, baseline_weeks)
    with open_store(path) as store:
        w = load_window(store, buckets)
        counts = Counts.from_store(store, buckets)
    with sqlite3.connect(path) as conn:
        ref = reference_window(conn, period, baseline_weeks)
    assert len(w) > 100 and any(w.neg_topics) and any(not t for t in w.neg_topics)
    assert w.labels == buckets.labels and w.labels[-1] == weeks[-1] and len(w.labels) == baseline_weeks + 1
    got = {
        "ids": w.ids, "products": w.products, "texts": w.texts, "tokens": w.tokens,
        "safety": w.safety.tolist(), "bucket": w.bucket.tolist(), "neg_topics": w.neg_topics,
        "any_topics": w.any_topics, "volume": counts.volume.tolist(),
        "product_volume": {k: v.tolist() for k, v in counts.product_volume.items()},
    }  # fmt: skip
    assert got == ref


def test_empty_window(tmp_path):
    buckets = Buckets.of(iso_week("2026-W47"), 8)
    with open_store(tmp_path / "empty.db") as store:
        w = load_window(store, buckets)
        counts = Counts.from_store(store, buckets)
    assert len(w) == 0 and counts.volume.tolist() == [0.0] * 9 and counts.product_volume == {}
