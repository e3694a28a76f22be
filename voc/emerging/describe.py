"""Turning a set of complaint documents into a readable issue: label, quotes, mixes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from voc.emerging.data import UNKNOWN_PRODUCT, Window
from voc.emerging.result import Candidate, ClusterDescription, Issue, Share
from voc.emerging.terms import EmergingVocab
from voc.findings.series import SeriesTest

QUOTE_MIN_CHARS = 6
QUOTE_MAX_CHARS = 120
N_QUOTES = 5
N_TERMS = 8


def product_name(product: str) -> str:
    return product if product != UNKNOWN_PRODUCT else "(unknown)"


def shares(names: Sequence[str], total: int, top: int = 5) -> tuple[Share, ...]:
    """The ``top`` most frequent names with count and share of ``total`` (ties by name)."""
    counts = Counter(names)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return tuple(Share(name, n, n / total if total else 0.0) for name, n in ranked)


def label_of(terms: Sequence[str], n: int = 3, first: str = "") -> str:
    """A readable label: ``first`` (the defining term), then the most distinctive terms,
    joined by a middle dot, skipping a term that repeats one already chosen (指纹识别
    after 指纹)."""
    chosen: list[str] = [first] if first else []
    for t in terms:
        if not any(t in c or c in t for c in chosen):
            chosen.append(t)
        if len(chosen) == n:
            break
    return "·".join(chosen) if chosen else "(no content words)"


def pick_quotes(window: Window, ranked: Sequence[int], n: int = N_QUOTES) -> tuple[str, ...]:
    """Up to ``n`` distinct quotes from documents in ``ranked`` order (most typical
    first), preferring texts of a readable length; long ones are shortened."""
    good: list[str] = []
    fallback: list[str] = []
    seen: set[str] = set()
    for i in ranked:
        text = " ".join(window.texts[i].split())
        if not text or text in seen:
            continue
        seen.add(text)
        short = text if len(text) <= QUOTE_MAX_CHARS else text[: QUOTE_MAX_CHARS - 1] + "…"
        (good if len(text) >= QUOTE_MIN_CHARS else fallback).append(short)
        if len(good) >= n:
            break
    return tuple((good + fallback)[:n])


def describe_cluster(
    window: Window,
    *,
    cluster_id: str,
    label: str,
    terms: Sequence[str],
    defining: str,
    period_docs: np.ndarray,
    ranked: Sequence[int],
    weekly: np.ndarray,
) -> ClusterDescription:
    """What a cluster is in the period, for documents ``period_docs`` (indices into ``window``)."""
    count = int(period_docs.size)
    products = [window.products[i] for i in period_docs]
    topics = [t for i in period_docs for t in window.neg_topics[i]]
    untagged = sum(1 for i in period_docs if not window.any_topics[i])
    product_shares = shares(products, count)
    topic_shares = shares(topics, count)
    main_product = product_shares[0].name if product_shares and product_shares[0].share >= 0.5 else None
    main_topic = topic_shares[0].name if topic_shares and topic_shares[0].share >= 0.5 else ""
    return ClusterDescription(
        id=cluster_id,
        label=label,
        terms=tuple(terms[:N_TERMS]),
        defining=defining,
        products=tuple(Share(product_name(s.name), s.count, s.share) for s in product_shares),
        topics=topic_shares,
        quotes=pick_quotes(window, ranked),
        weekly=tuple(int(n) for n in weekly),
        count=count,
        safety=int(window.safety[period_docs].sum()) if count else 0,
        untagged_share=untagged / count if count else 0.0,
        main_topic=main_topic,
        main_product=main_product,
    )


def issue_of(d: ClusterDescription, test: SeriesTest, labels: Sequence[str], record_ids: Sequence[str] = ()) -> Issue:
    """The cluster's :class:`Issue`: its description with its burst test."""
    return Issue(
        id=d.id, kind="cluster", label=d.label, terms=d.terms, products=d.products, topics=d.topics,
        count=test.count, baseline=test.expected, growth=test.growth, p_value=test.p_value, q_value=test.q_value,
        status=test.status, alarm=test.burst, quotes=d.quotes,
        weekly=tuple(zip(labels, test.weekly, strict=True)), safety=d.safety,
        untagged_share=d.untagged_share, record_ids=tuple(record_ids),
    )


def suggested_keywords(
    cluster_docs: np.ndarray,
    window: Window,
    ranked_terms: Sequence[tuple[str, float]],
    coverage: dict[str, float],
    vocab: EmergingVocab,
    *,
    count: int,
    min_count: int,
    max_keywords: int = 8,
) -> tuple[str, ...]:
    """Keywords for a candidate new topic when the cluster's documents mostly carry no
    taxonomy topic, its top term is shared by a good part of them, and it has terms
    worth suggesting; () when it is no candidate."""
    if count < min_count or cluster_docs.size == 0:
        return ()
    untagged = sum(1 for i in cluster_docs if not window.any_topics[i]) / cluster_docs.size
    if untagged < 0.5 or not ranked_terms:
        return ()
    suggested = [t for t, _ in ranked_terms if vocab.suggestable(t) and coverage.get(t, 0.0) >= 0.05]
    top = [t for t, _ in ranked_terms[:3]]
    if (
        len(suggested) < 2
        or not any(t in suggested for t in top)
        or coverage.get(suggested[0], 0.0) < 0.3
        or len(suggested[0]) < 2  # a single character is no topic keyword (评, 卡)
    ):
        return ()
    return tuple(suggested[:max_keywords])


def candidate_of(d: ClusterDescription, status: str) -> Candidate | None:
    """The candidate new topic a cluster suggests, if any."""
    if not d.suggested:
        return None
    untagged = d.untagged_share
    return Candidate(cluster_id=d.id, label=d.label, count=d.count, untagged_share=untagged,
                     suggested_keywords=d.suggested, quotes=d.quotes[:3], status=status)
