"""Emerging-issue detection for one period: the pipeline behind `voc emerging`.

1. Read the complaints of the period and of ``baseline_weeks`` weeks before it.
2. Cluster them (:mod:`voc.emerging.cluster`) and recognise earlier clusters
   (:mod:`voc.emerging.identity`).
3. Test every cluster and every topic x product series for a burst
   (:mod:`voc.emerging.burst`), with Benjamini-Hochberg control across all of them.
4. Alarms: significant series, most important first (safety reports, then the
   number of complaints above baseline); alarms about the same records are folded
   into one (the others listed in ``related``).
5. Candidate new topics: clusters that no taxonomy topic covers.
6. Store cluster identities, weekly sizes and statuses (``persist=True``).
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import numpy as np

from voc.emerging.burst import (
    AlarmRule,
    BurstTest,
    benjamini_hochberg,
    burst_test,
    pooled_dispersion,
    pooled_test,
)
from voc.emerging.cluster import ComplaintClusterer, central_docs, distinctive_terms
from voc.emerging.data import Window, load_window
from voc.emerging.describe import candidate_for, label_of, make_issue, product_name
from voc.emerging.identity import (
    load_clusters,
    match_ids,
    normalise,
    previous_alarms,
    save_clusters,
    save_status,
)
from voc.emerging.result import Candidate, EmergingResult, Issue
from voc.emerging.terms import EmergingVocab
from voc.period import Period
from voc.store import Store

SIGNATURE_TERMS = 20
OVERLAP_FOLD = 0.5


def detect_emerging(
    store: Store,
    period: Period,
    *,
    lexicon_dir: str | os.PathLike | None = None,
    min_count: int = 5,
    baseline_weeks: int = 8,
    fdr: float = 0.01,
    persist: bool = True,
    clusterer: ComplaintClusterer | None = None,
) -> EmergingResult:
    """Cluster the complaints of ``period`` and its baseline, test bursts, return alarms.

    ``min_count`` is the fewest complaints in the period for a series to be tested;
    ``fdr`` the false discovery rate across all series (strict by default: clusters
    are fitted on the same data they are tested on, and every alarm costs attention);
    with ``persist`` the cluster identities and statuses are written to the store, so
    later runs keep the ids. ``clusterer`` replaces the default clustering estimator
    (its ``fit(docs, first=...)`` is told which documents are the period's: on a big
    window the clusters are learned from those first and a sample of the baseline).
    """
    started = time.perf_counter()
    rule = AlarmRule(min_count=min_count, fdr=fdr)
    vocab = EmergingVocab.load(lexicon_dir)
    window = load_window(store, period, baseline_weeks)
    model = (clusterer or ComplaintClusterer(stop_words=vocab.stop_words)).fit(
        window.tokens, first=window.bucket == window.current
    )
    was_alarm = previous_alarms(store, period.shift_weeks(1).label)
    n_buckets, cur = baseline_weeks + 1, window.current

    # -- clusters: identities and weekly series --------------------------------------
    k = model.n_clusters_
    weights = model.ctfidf() if k else np.zeros((0, 0))
    ranked_terms = model.top_terms(weights, SIGNATURE_TERMS) if k else []
    signatures = [normalise(dict(r)) for r in ranked_terms]
    ids = match_ids(signatures, [[t for t, _ in r] for r in ranked_terms], load_clusters(store))
    valid = model.labels_ >= 0
    cl_weekly = np.zeros((k, n_buckets))
    np.add.at(cl_weekly, (model.labels_[valid], window.bucket[valid]), 1.0)

    # -- topic x product series ---------------------------------------------------------
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, topics in enumerate(window.neg_topics):
        for t in sorted(set(topics)):
            members[(t, window.products[i])].append(i)
    keys = sorted(members)
    tp_weekly = {key: np.bincount(window.bucket[members[key]], minlength=n_buckets).astype(float) for key in keys}
    topic_rate = _topic_baseline_rates(keys, tp_weekly, window)
    tp_volume = [window.product_volume.get(key[1], np.zeros(n_buckets)) for key in keys]
    phi = pooled_dispersion(
        [(cl_weekly[c][:cur], window.volume[:cur]) for c in range(k)]
        + [(tp_weekly[key][:cur], vol[:cur]) for key, vol in zip(keys, tp_volume, strict=True)]
    )
    cl_tests = [_test(cl_weekly[c], window.volume, cur, phi) for c in range(k)]
    tp_tests = [_test(tp_weekly[key], vol, cur, phi, topic_rate.get(key[0], 0.0)) for key, vol in zip(keys, tp_volume, strict=True)]

    # -- one multiple-testing correction over everything tested --------------------------
    all_tests = cl_tests + tp_tests
    tested = [i for i, t in enumerate(all_tests) if t.count >= min_count or t.expected >= min_count]
    q_hi, q_lo = np.ones(len(all_tests)), np.ones(len(all_tests))
    q_hi[tested] = benjamini_hochberg([all_tests[i].p_value for i in tested])
    q_lo[tested] = benjamini_hochberg([all_tests[i].p_low for i in tested])
    subjects = ids + [f"{t}@{product_name(p)}" for t, p in keys]
    statuses = [rule.classify(t, q_hi[i], q_lo[i], was_alarm=subjects[i] in was_alarm) for i, t in enumerate(all_tests)]

    # -- issues ---------------------------------------------------------------------------
    clusters: list[Issue] = []
    candidates: list[Candidate] = []
    in_period = window.bucket == cur
    for c in range(k):
        test = cl_tests[c]
        status, alarm = statuses[c]
        if test.count == 0 and status != "fading":
            continue
        docs = np.flatnonzero(valid & (model.labels_ == c))
        period_docs = docs[in_period[docs]]
        terms = [t for t, _ in ranked_terms[c]]
        ranked = model.representatives(c, period_docs if period_docs.size else docs, 40)
        issue = make_issue(
            window, issue_id=ids[c], kind="cluster", label=label_of(terms), terms=terms,
            period_docs=period_docs, ranked=ranked, weekly=cl_weekly[c], test=test,
            q_value=q_hi[c], status=status, alarm=alarm,
        )
        clusters.append(issue)
        size = max(int(model.sizes_[c]), 1)
        coverage = {t: float(model.term_counts_[c, model.term_index_[t]]) / size for t in terms}
        cand = candidate_for(issue, docs, window, ranked_terms[c], coverage, vocab, min_count=min_count)
        if cand is not None:
            candidates.append(cand)

    topic_bursts: list[Issue] = []
    doc_freq = np.asarray(model.doc_terms_.sum(axis=0)).ravel()
    for j, key in enumerate(keys):
        test = tp_tests[j]
        status, alarm = statuses[k + j]
        if not (test.count >= min_count or test.expected >= min_count or alarm):
            continue
        sid = subjects[k + j]
        docs = np.asarray(members[key], dtype=np.int64)
        period_docs = docs[in_period[docs]]
        pool = period_docs if period_docs.size else docs
        terms = [t for t, _ in distinctive_terms(model.doc_terms_, model.terms_, pool, 12, df=doc_freq)]
        topic_bursts.append(make_issue(
            window, issue_id=sid, kind="topic", label=_topic_label(vocab.topic_names.get(key[0], key[0]), key[1], terms),
            terms=terms, period_docs=period_docs, ranked=central_docs(model.doc_terms_, pool, 40) if model.doc_terms_.shape[1] else list(pool[:40]),
            weekly=tp_weekly[key], test=test, q_value=q_hi[k + j], status=status, alarm=alarm,
        ))

    alarms = _fold(sorted([i for i in clusters + topic_bursts if i.alarm], key=_importance))
    candidates.sort(key=lambda c: (c.status not in ("new", "growing"), -c.count, c.cluster_id))
    clusters.sort(key=lambda i: (not i.alarm, -i.count, i.id))
    topic_bursts.sort(key=lambda i: (not i.alarm, i.p_value, -i.count, i.id))

    if persist:
        with store.transaction():
            save_clusters(
                store, period.label,
                [(ids[c], label_of([t for t, _ in ranked_terms[c]]), [t for t, _ in ranked_terms[c][:10]], signatures[c]) for c in range(k)],
                {ids[c]: list(zip(window.buckets, cl_weekly[c].astype(int).tolist(), strict=True)) for c in range(k)},
            )
            save_status(store, period.label, [
                (i.id, i.kind, i.status, int(i.alarm), i.count, i.baseline, i.growth, i.p_value, i.q_value, i.label)
                for i in clusters + topic_bursts
            ])

    stats = {
        "complaints": int(in_period.sum()),
        "complaints_window": len(window),
        "volume": int(window.volume[cur]) if window.volume.size else 0,
        "volume_baseline": int(window.volume[:cur].sum()) if window.volume.size else 0,
        "clusters": k,
        "without_content_words": int((~valid).sum()),
        "series_tested": len(tested),
        "dispersion": round(phi, 3),
        "seconds": round(time.perf_counter() - started, 3),
    }
    until = (period.end - timedelta(days=1)).isoformat()
    return EmergingResult(
        period=period.label, since=period.start.isoformat(), until=until, baseline_weeks=baseline_weeks,
        alarms=tuple(alarms), clusters=tuple(clusters), topic_bursts=tuple(topic_bursts),
        candidates=tuple(candidates), stats=stats,
    )


def _test(weekly: np.ndarray, volume: np.ndarray, cur: int, phi: float, pooled_rate: float = 0.0) -> BurstTest:
    """Burst test of the period's bucket against the baseline buckets; a series whose
    normaliser has no baseline volume is tested against ``pooled_rate`` instead."""
    base_total = float(volume[:cur].sum())
    if base_total <= 0 and pooled_rate > 0:
        return pooled_test(int(weekly[cur]), pooled_rate * float(volume[cur]))
    return burst_test(int(weekly[cur]), int(weekly[:cur].sum()), float(volume[cur]), base_total, phi=phi)


def _topic_baseline_rates(keys, weekly: dict, window: Window) -> dict[str, float]:
    """Each topic's baseline complaints per analysed record, over all products."""
    cur = window.current
    base_volume = float(window.volume[:cur].sum())
    sums: dict[str, float] = defaultdict(float)
    for topic, product in keys:
        sums[topic] += float(weekly[(topic, product)][:cur].sum())
    return {t: s / base_volume for t, s in sums.items()} if base_volume > 0 else {}


def _topic_label(name: str, product: str, terms: list[str]) -> str:
    """``电池 · Y9000P: 鼓包·触控板``: topic, product and what is distinctive in its complaints."""
    what = label_of(terms, 2)
    return f"{name} · {product_name(product)}" + (f": {what}" if terms else "")


def _importance(issue: Issue) -> tuple:
    """Safety reports first, then complaints above baseline, then significance."""
    major_safety = issue.safety >= max(2, 0.2 * issue.count)
    return (not major_safety, -issue.excess, issue.p_value, issue.id)


def _fold(alarms: list[Issue]) -> list[Issue]:
    """Fold an alarm into a more important one when their shared records are at least
    half of either alarm's records or of either alarm's excess over its baseline (a
    burst inside a big steady cluster shares its *extra* records, not most of them)."""
    kept: list[Issue] = []
    sets: list[set[str]] = []
    for a in alarms:
        mine = set(a.record_ids)
        for j, other in enumerate(sets):
            inter = len(mine & other)
            smaller = min(len(mine), len(other), max(a.excess, 1.0), max(kept[j].excess, 1.0))
            if mine and other and inter >= OVERLAP_FOLD * smaller:
                kept[j] = replace(kept[j], related=(*kept[j].related, a.id))
                break
        else:
            kept.append(a)
            sets.append(mine)
    return kept
