"""Emerging issues of one period: clustering (stored per period) and the alarms of `voc emerging`.

1. :func:`cluster_period` reads the complaints of the period and of the ``B`` periods
   before it, clusters them (:mod:`voc.emerging.cluster`), recognises earlier clusters
   (:mod:`voc.emerging.identity`), merges clusters that are one defect written several
   ways (:mod:`voc.emerging.merge`) and describes each: label (its defining term
   first), terms, quotes, product and topic mix, complaints per bucket, and the
   keywords of a candidate new topic when no taxonomy topic covers it.
2. :func:`current_run` stores that run for the period and reuses it while it is
   current: same data (the store's generation: every ingest that stores records and
   every analysis run moves it on), same lexicons, same clustering and window.
   `voc report` reads the run instead of clustering again.
3. :func:`detect_emerging` (`voc emerging`) tests every series of the period with the
   one burst test of :mod:`voc.findings.series`, the same numbers a report shows, and
   lists the alarms, most important first (safety reports, then complaints above
   baseline): the issues a report shows (:func:`voc.findings.select.alarms`), a
   cluster that coincides with a topic x product series listed under that series.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field, replace

import numpy as np

from voc.emerging.cluster import ComplaintClusterer
from voc.emerging.data import Window, load_window
from voc.emerging.describe import (
    candidate_of,
    describe_cluster,
    issue_of,
    label_of,
    suggested_keywords,
)
from voc.emerging.identity import absorbed_ids, match_ids, merged_ids, normalise
from voc.emerging.merge import defining_terms, main_product, merge_groups
from voc.emerging.result import Candidate, ClusterDescription, EmergingResult, Issue, Share
from voc.emerging.terms import EmergingVocab
from voc.findings.model import FindingOptions
from voc.findings.select import ClusterInfo
from voc.findings.select import alarms as select_alarms
from voc.findings.series import Buckets, Counts, SeriesTest, product_name, test_series
from voc.findings.stats import AlarmRule
from voc.lexicon import Lexicons
from voc.period import Period
from voc.store import Store
from voc.store.rows import ClusterRecord, SeriesStatusRecord

#: Version of the clustering and of what a stored run holds: part of its stamp.
EMERGING_VERSION = "e3"  # e3: bursting terms the lexicon does not know get clusters of their own
SIGNATURE_TERMS = 20
TOPIC_TERMS = 8


@dataclass
class EmergingRun:
    """The clustering of one period: its clusters, described, and the period's members."""

    period: Period
    buckets: Buckets
    clusters: dict[str, ClusterDescription]
    members: dict[str, str] = field(default_factory=dict)  # period record id -> cluster id
    stats: dict = field(default_factory=dict)
    stamp: str = ""
    reused: bool = False

    def weekly(self) -> dict[str, np.ndarray]:
        return {cid: np.asarray(d.weekly, dtype=float) for cid, d in self.clusters.items()}

    def record_ids(self, cluster_id: str) -> tuple[str, ...]:
        return tuple(sorted(r for r, c in self.members.items() if c == cluster_id))


def run_stamp(store: Store, lexicons: Lexicons, buckets: Buckets, clusterer: ComplaintClusterer | None) -> str:
    """What a stored run must match to be current."""
    params = json.dumps(_params(clusterer), sort_keys=True, default=str)
    digest = hashlib.sha256(params.encode()).hexdigest()[:8]
    return f"g{store.generation()}|lex={lexicons.version}|{EMERGING_VERSION}|b={len(buckets) - 1}|c={digest}"


def _params(clusterer: ComplaintClusterer | None) -> dict:
    if clusterer is None:
        return {"default": True}
    return {k: v for k, v in vars(clusterer).items() if not k.endswith("_") and k not in ("stop_words", "known_terms")}


def cluster_period(store: Store, buckets: Buckets, *, lexicons: Lexicons,
                   clusterer: ComplaintClusterer | None = None,
                   min_count: int = 5) -> tuple[EmergingRun, list[ClusterRecord]]:
    """Cluster the window of ``buckets`` (see the module docstring); nothing is stored."""
    started = time.perf_counter()
    vocab = EmergingVocab.from_lexicons(lexicons)
    window = load_window(store, buckets)
    cur = window.current
    model = (clusterer or ComplaintClusterer(stop_words=vocab.stop_words,
                                             known_terms=vocab.known | vocab.sentiment_words)).fit(
        window.tokens, first=window.bucket == cur
    )
    stored = store.stored_clusters()
    k = model.n_clusters_
    pre_terms = model.top_terms(model.ctfidf(), SIGNATURE_TERMS) if k else []
    pre_sigs = [normalise(dict(r)) for r in pre_terms]
    pre_ids = match_ids(pre_sigs, [[t for t, _ in r] for r in pre_terms], stored)
    absorbed = absorbed_ids(pre_sigs, pre_ids, stored)

    valid = model.labels_ >= 0
    docs_of = [np.flatnonzero(valid & (model.labels_ == c)) for c in range(k)]
    defining, sets = defining_terms(model.doc_terms_, model.terms_, model.labels_, k)
    products = [main_product([window.products[i] for i in docs]) for docs in docs_of]
    groups = merge_groups(sets, products, known=vocab.is_known)
    if len(groups) < k:
        remap = np.empty(k, dtype=np.int64)
        for g, members in enumerate(groups):
            remap[members] = g
        labels = model.labels_.copy()
        labels[valid] = remap[labels[valid]]
        model.labels_ = labels
        model.n_clusters_ = k = len(groups)
        model.sizes_ = np.bincount(labels[valid], minlength=k)
        model.term_counts_ = model._term_counts(labels)
        docs_of = [np.flatnonzero(valid & (labels == c)) for c in range(k)]
        defining, _sets = defining_terms(model.doc_terms_, model.terms_, labels, k)
    weights = model.ctfidf() if k else np.zeros((0, 0))
    ranked_terms = model.top_terms(weights, SIGNATURE_TERMS) if k else []
    ids, merged = merged_ids(groups, pre_ids, [[t for t, _ in r] for r in ranked_terms], stored, absorbed)

    n_buckets = len(buckets)
    weekly = np.zeros((k, n_buckets))
    np.add.at(weekly, (model.labels_[valid], window.bucket[valid]), 1.0)
    in_period = window.bucket == cur
    clusters: dict[str, ClusterDescription] = {}
    records: list[ClusterRecord] = []
    members: dict[str, str] = {}
    for c in range(k):
        docs = docs_of[c]
        period_docs = docs[in_period[docs]]
        terms = [t for t, _ in ranked_terms[c]]
        ranked = model.representatives(c, period_docs if period_docs.size else docs, 40)
        d = describe_cluster(window, cluster_id=ids[c], label=label_of(terms, 3, first=defining[c]),
                             terms=_terms_first(defining[c], terms), defining=defining[c],
                             period_docs=period_docs, ranked=ranked, weekly=weekly[c])
        size = max(int(model.sizes_[c]), 1)
        cover = {t: float(model.term_counts_[c, model.term_index_[t]]) / size for t in terms}
        d = replace(d, suggested=suggested_keywords(docs, window, ranked_terms[c], cover, vocab, count=d.count,
                                                    min_count=min_count), merged=merged[c])
        clusters[d.id] = d
        for i in period_docs:
            members[window.ids[i]] = d.id
        records.append(ClusterRecord(d.id, d.label, tuple(terms[:10]), normalise(dict(ranked_terms[c])),
                                     tuple(zip(buckets.labels, (int(x) for x in weekly[c]), strict=True)), merged[c]))
    stats = {
        "complaints": int(in_period.sum()),
        "complaints_window": len(window),
        "clusters": k,
        "clusters_merged": sum(len(g) - 1 for g in groups),
        "without_content_words": int((~valid).sum()),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return EmergingRun(buckets.period, buckets, clusters, members, stats), records


def _terms_first(defining: str, terms: list[str]) -> list[str]:
    return [defining, *[t for t in terms if t != defining]] if defining else terms


def current_run(
    store: Store,
    period: Period,
    *,
    lexicons: Lexicons | None = None,
    baseline_weeks: int = 8,
    clusterer: ComplaintClusterer | None = None,
    persist: bool = True,
    min_count: int = 5,
) -> EmergingRun:
    """The period's clustering: the stored run when it is current, else a new one
    (stored when ``persist``)."""
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    buckets = Buckets.of(period, baseline_weeks)
    stamp = run_stamp(store, lexicons, buckets, clusterer)
    stored = store.emerging_run(period.label)
    if stored is not None and stored.stamp == stamp and tuple(stored.buckets) == buckets.labels:
        clusters = {cid: ClusterDescription.from_data(d) for cid, d in stored.issues.items()}
        return EmergingRun(period, buckets, clusters, store.emerging_members(period.label), dict(stored.stats),
                           stamp, reused=True)
    run, records = cluster_period(store, buckets, lexicons=lexicons, clusterer=clusterer, min_count=min_count)
    run.stamp = stamp
    if persist:
        store.save_emerging_run(period.label, period.start.isoformat(), period.end.isoformat(), buckets.labels,
                                stamp, run.stats, records, {cid: d.to_data() for cid, d in run.clusters.items()},
                                run.members)
    return run


# -- `voc emerging`: the alarms -----------------------------------------------------------------
def topic_terms(store: Store, period: Period, group: str = "topic", per: int = TOPIC_TERMS) -> dict[tuple[str, str], tuple[str, ...]]:
    """(topic, product) -> the evidence phrases its negative mentions use most in the period."""
    out: dict[tuple[str, str], list[str]] = {}
    for grp, key, evidence, _n in store.evidence_terms(period.start_ts, period.end_ts, group, per):
        out.setdefault((grp, key), []).append(evidence)
    return {k: tuple(v) for k, v in out.items()}


def detect_emerging(
    store: Store,
    period: Period,
    *,
    lexicons: Lexicons | None = None,
    min_count: int = 5,
    baseline_weeks: int = 8,
    fdr: float = 0.01,
    persist: bool = True,
    clusterer: ComplaintClusterer | None = None,
) -> EmergingResult:
    """Clusters of the period (stored or computed) and the burst test of every series."""
    started = time.perf_counter()
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    run = current_run(store, period, lexicons=lexicons, baseline_weeks=baseline_weeks, clusterer=clusterer,
                      persist=persist, min_count=min_count)
    buckets = run.buckets
    counts = Counts.from_store(store, buckets)
    counts.clusters = run.weekly()
    previous = store.alarmed_series(period.shift_weeks(1).label) if period.is_week else set()
    tests = test_series(counts, AlarmRule(min_count=min_count, fdr=fdr), previous_alarms=previous)
    clusters = [issue_of(d, tests[cid], buckets.labels, run.record_ids(cid) if tests[cid].burst else ())
                for cid, d in run.clusters.items() if tests[cid].count > 0 or tests[cid].status == "fading"]
    candidates = [c for c in (candidate_of(run.clusters[i.id], i.status) for i in clusters) if c is not None]
    topic_bursts = _topic_issues(store, period, tests, buckets, lexicons, min_count)
    # the alarms: the same issues a report shows (a cluster joins the topic x product
    # series it coincides with: one issue, one row, that series' numbers)
    infos = {cid: cluster_info(d) for cid, d in run.clusters.items()}
    by_id = {i.id: i for i in clusters + topic_bursts}
    alarms = sorted((replace(by_id[subject], alarm=True, related=tuple(related))
                     for subject, related in select_alarms(tests, infos, counts.period_volume, FindingOptions())
                     if subject in by_id), key=_importance)
    candidates.sort(key=lambda c: (c.status not in ("new", "growing"), -c.count, c.cluster_id))
    clusters.sort(key=lambda i: (not i.alarm, -i.count, i.id))
    topic_bursts.sort(key=lambda i: (not i.alarm, i.p_value, -i.count, i.id))
    if persist and period.is_week:
        save_statuses(store, period, tests, {i.id: i.label for i in clusters + topic_bursts})
    stats = {
        **run.stats,
        "volume": counts.period_volume,
        "volume_baseline": counts.baseline_volume,
        "series_tested": sum(1 for t in tests.values() if t.tested),
        "reused_clustering": run.reused,
        "seconds": round(time.perf_counter() - started, 3),
    }
    until = (period.end.fromordinal(period.end.toordinal() - 1)).isoformat()
    return EmergingResult(
        period=period.label, since=period.start.isoformat(), until=until, baseline_weeks=baseline_weeks,
        alarms=tuple(alarms), clusters=tuple(clusters), topic_bursts=tuple(topic_bursts),
        candidates=tuple(candidates), stats=stats,
    )


def save_statuses(store: Store, period: Period, tests: dict[str, SeriesTest], labels: dict[str, str]) -> None:
    """The status history of every tested cluster and topic x product series (for 'fading')."""
    rows = [SeriesStatusRecord(t.subject, "cluster" if t.kind == "cluster" else "topic", t.status, t.burst, t.count,
                               t.expected, t.growth, t.p_value, t.q_value, labels.get(t.subject, t.subject))
            for t in tests.values() if t.kind in ("cluster", "topic") and (t.tested or t.burst)]
    store.save_series_status(period.label, rows)


def _topic_issues(store: Store, period: Period, tests: dict[str, SeriesTest], buckets: Buckets,
                  lexicons: Lexicons, min_count: int) -> list[Issue]:
    """An Issue for every topic x product series tested (or alarming)."""
    wanted = [t for t in tests.values() if t.kind == "topic" and (t.tested or t.burst)]
    if not wanted:
        return []
    names = EmergingVocab.from_lexicons(lexicons).topic_names
    terms = topic_terms(store, period)
    safety: dict[tuple[str, str], int] = {}
    for m in store.period_mentions(period.start_ts, period.end_ts, ((5,), (4,), (1, 2, 3))):
        if m.polarity == "neg" and m.safety:
            safety[(m.topic, m.product)] = safety.get((m.topic, m.product), 0) + m.n
    quotes: dict[tuple[str, str], list[str]] = {}
    for q in store.quotes(period.start_ts, period.end_ts, "topic", 5):
        quotes.setdefault((q.group, q.key), []).append(" ".join(q.text.split())[:120])
    out = []
    for t in wanted:
        topic, product = t.key
        words = terms.get(t.key, ())
        name = names.get(topic) or topic
        label = f"{name} · {product_name(product)}" + (f": {label_of(words, 2)}" if words else "")
        record_ids = tuple(store.mention_records(period.start_ts, period.end_ts, topic, product)) if t.burst else ()
        out.append(Issue(
            id=t.subject, kind="topic", label=label, terms=words, products=(Share(product_name(product), t.count, 1.0),),
            topics=(Share(topic, t.count, 1.0),), count=t.count, baseline=t.expected, growth=t.growth,
            p_value=t.p_value, q_value=t.q_value, status=t.status, alarm=t.burst,
            quotes=tuple(quotes.get(t.key, ())), weekly=tuple(zip(buckets.labels, t.weekly, strict=True)),
            safety=safety.get(t.key, 0), record_ids=record_ids,
        ))  # fmt: skip
    return out


def cluster_info(d: ClusterDescription) -> ClusterInfo:
    """What the findings engine needs of a described cluster."""
    return ClusterInfo(d.id, d.label, d.terms, d.main_topic, d.main_product,
                       tuple((s.name, s.share) for s in d.products), d.safety)


def _importance(issue: Issue) -> tuple:
    """Safety reports first, then complaints above baseline, then significance."""
    major_safety = issue.safety >= max(2, 0.2 * issue.count)
    return (not major_safety, -issue.excess, issue.p_value, issue.id)


__all__ = ["EMERGING_VERSION", "Candidate", "EmergingRun", "Window", "cluster_period", "current_run",
           "detect_emerging", "topic_terms"]
