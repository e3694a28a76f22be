"""Turning a set of complaint documents into a readable issue: label, quotes, mixes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from voc.emerging.burst import BurstTest
from voc.emerging.data import UNKNOWN_PRODUCT, Window
from voc.emerging.result import Candidate, Issue, Share
from voc.emerging.terms import EmergingVocab

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


def label_of(terms: Sequence[str], n: int = 3) -> str:
    """A readable label: the most distinctive terms joined by a middle dot, skipping a
    term that repeats one already chosen (指纹识别 after 指纹)."""
    chosen: list[str] = []
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


def make_issue(
    window: Window,
    *,
    issue_id: str,
    kind: str,
    label: str,
    terms: Sequence[str],
    period_docs: np.ndarray,
    ranked: Sequence[int],
    weekly: np.ndarray,
    test: BurstTest,
    q_value: float,
    status: str,
    alarm: bool,
) -> Issue:
    """Assemble an :class:`Issue` for documents ``period_docs`` (indices into ``window``)."""
    count = int(period_docs.size)
    products = [window.products[i] for i in period_docs]
    topics = [t for i in period_docs for t in window.neg_topics[i]]
    untagged = sum(1 for i in period_docs if not window.any_topics[i])
    return Issue(
        id=issue_id,
        kind=kind,
        label=label,
        terms=tuple(terms[:N_TERMS]),
        products=tuple(Share(product_name(s.name), s.count, s.share) for s in shares(products, count)),
        topics=shares(topics, count),
        count=count,
        baseline=float(test.expected),
        growth=test.growth,
        p_value=float(test.p_value),
        q_value=float(q_value),
        status=status,
        alarm=alarm,
        quotes=pick_quotes(window, ranked),
        weekly=tuple((b, int(n)) for b, n in zip(window.buckets, weekly, strict=True)),
        safety=int(window.safety[period_docs].sum()) if count else 0,
        untagged_share=untagged / count if count else 0.0,
        record_ids=tuple(window.ids[i] for i in period_docs),
    )


def candidate_for(
    issue: Issue,
    cluster_docs: np.ndarray,
    window: Window,
    ranked_terms: Sequence[tuple[str, float]],
    coverage: dict[str, float],
    vocab: EmergingVocab,
    *,
    min_count: int,
    max_keywords: int = 8,
) -> Candidate | None:
    """A candidate new topic when the cluster's documents mostly carry no taxonomy topic,
    its top term is shared by a good part of them, and it has terms worth suggesting."""
    if issue.count < min_count or cluster_docs.size == 0:
        return None
    untagged = sum(1 for i in cluster_docs if not window.any_topics[i]) / cluster_docs.size
    if untagged < 0.5 or not ranked_terms:
        return None
    suggested = [t for t, _ in ranked_terms if vocab.suggestable(t) and coverage.get(t, 0.0) >= 0.05]
    top = [t for t, _ in ranked_terms[:3]]
    if (
        len(suggested) < 2
        or not any(t in suggested for t in top)
        or coverage.get(suggested[0], 0.0) < 0.3
        or len(suggested[0]) < 2  # a single character is no topic keyword (评, 卡)
    ):
        return None
    return Candidate(
        cluster_id=issue.id,
        label=issue.label,
        count=issue.count,
        untagged_share=untagged,
        suggested_keywords=tuple(suggested[:max_keywords]),
        quotes=issue.quotes[:3],
        status=issue.status,
    )
