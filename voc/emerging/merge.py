"""One defect is one issue: merge clusters that are the same fault written differently.

Clustering groups complaints by the words they share, so one fault told five ways
("指纹解锁要重启几次", "指纹模块坏了只能输密码", "用了两周指纹识别不出来" …) can come out as
several clusters that share little but the thing that is broken. What makes them one
issue is that thing: the term most of their complaints share.

A cluster's **defining terms** are the terms at least half of its complaints contain
and that are distinctive of it (at least :data:`MIN_LIFT` times as frequent in it as in
the whole window, which rules out 手机 or 用了). Its **defining term**, the one its
label starts with, is the one of them most complaints share: every complaint of the
fingerprint clusters says 指纹; the words each phrasing adds (密码, 登录, 重启) cover
fewer. Among terms that nearly all its complaints share (within :data:`NEAR`), the
thing that is broken is a noun (jieba's dictionary tag; a word it does not list counts
as one), and of nouns the head of a compound the others build on (指纹 in 指纹识别),
then the rarer one in the window: "指纹识别经常失败，解锁要按好几次" is about 指纹, not
经常 or 几次.

Two clusters are merged when they concern the same product (the product of at least
half their complaints, or both no single product) and share a defining term,
**unless that term is one the topic taxonomy already knows**: 电池 is a part the
taxonomy names, and 电池·鼓包 and 电池·续航 are two faults of it (the topic x product
series already groups them, and a cluster joins its topic's finding in reports); a
term no lexicon names (指纹 in the default taxonomy) is the new thing itself. Merging
is transitive (union-find), deterministic, and leaves clusters with no defining term
alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

MIN_COVERAGE = 0.5
MIN_LIFT = 2.0
NEAR = 0.1
#: jieba tags of words that name things (nouns, verbal nouns, English words).
NOUN_TAGS = ("n", "vn", "eng")


class UnionFind:
    """Disjoint sets over ``0..n-1``; a union keeps the smaller index as the root."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def defining_terms(x: sp.csr_matrix, terms: np.ndarray, labels: np.ndarray, k: int,
                   min_coverage: float = MIN_COVERAGE, min_lift: float = MIN_LIFT,
                   tags: Callable[[set[str]], dict[str, str]] | None = None) -> tuple[list[str], list[frozenset[str]]]:
    """Each cluster's defining term ('' when none) and its set of defining terms.
    ``tags`` looks up part-of-speech tags (default: jieba's dictionary)."""
    n = x.shape[0]
    rows = np.flatnonzero(labels >= 0)
    member = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (labels[rows], rows)), shape=(k, n))
    counts = np.asarray((member @ x).todense()) if k and x.shape[1] else np.zeros((k, x.shape[1]))
    sizes = np.maximum(np.bincount(labels[rows], minlength=k), 1)[:, None]
    coverage = counts / sizes
    df = np.asarray(x.sum(axis=0)).ravel()
    rate = df / max(n, 1)
    chosen = [np.flatnonzero((coverage[c] >= min_coverage) & (coverage[c] >= min_lift * rate)) for c in range(k)]
    sets = [frozenset(str(terms[j]) for j in idx) for idx in chosen]
    near = [idx[coverage[c, idx] >= coverage[c, idx].max() - NEAR] if idx.size else idx
            for c, idx in enumerate(chosen)]
    if tags is None:
        from voc.analysis.segment import word_tags as tags
    tag = tags({str(terms[j]) for idx in near for j in idx}) if any(idx.size > 1 for idx in near) else {}
    first: list[str] = []
    for c, idx in enumerate(near):
        if not idx.size:
            first.append("")
            continue
        words = [str(terms[j]) for j in idx]

        def key(jw: tuple[int, str], cov: np.ndarray = coverage[c], words: list[str] = words) -> tuple:
            j, word = jw
            noun = tag.get(word, "n").startswith(NOUN_TAGS)
            head = any(word != other and word in other for other in words)
            return (not noun, not head, -round(float(cov[j]), 6), df[j], word)

        first.append(min(zip(idx, words, strict=True), key=key)[1])
    return first, sets


def main_product(products: Sequence[str]) -> str | None:
    """The product of at least half the complaints, else None."""
    if not products:
        return None
    values, counts = np.unique(np.asarray(products, dtype=object), return_counts=True)
    i = int(np.argmax(counts))
    return str(values[i]) if counts[i] * 2 >= len(products) else None


def merge_groups(sets: Sequence[frozenset[str]], products: Sequence[str | None],
                 known: Callable[[str], bool] = lambda t: False) -> list[list[int]]:
    """Groups of cluster indices to merge (each group sorted, groups by first member):
    same product and a shared defining term the taxonomy does not know (``known``)."""
    k = len(sets)
    own = [frozenset(t for t in s if not known(t)) for s in sets]
    union = UnionFind(k)
    for a in range(k):
        if not own[a]:
            continue
        for b in range(a + 1, k):
            if products[a] == products[b] and own[a] & own[b]:
                union.union(a, b)
    groups: dict[int, list[int]] = {}
    for c in range(k):
        groups.setdefault(union.find(c), []).append(c)
    return [groups[r] for r in sorted(groups)]
