"""One defect is one issue: merge clusters that are the same fault written differently.

Clustering groups complaints by the words they share, so one fault told five ways
("指纹解锁要重启几次", "指纹模块坏了只能输密码", "用了两周指纹识别不出来" …) can come out as
several clusters that share little but the thing that is broken. What makes them one
issue is that thing: the term most of their complaints share.

A cluster's **defining term** is, among the terms at least half of its complaints
contain, the one that is most specific to it: coverage in the cluster times the term's
inverse document frequency over the whole window (so 指纹, rare in the window and in
every complaint of the cluster, wins over 手机, which most complaints of every cluster
mention). Two clusters are merged when they concern the same product (the product of
at least half their complaints, or both no single product) and either have the same
defining term or each one's defining term is shared by at least half of the other's
complaints. Merging is transitive (union-find), deterministic, and leaves clusters
with no defining term alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

MIN_COVERAGE = 0.5


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
                   min_coverage: float = MIN_COVERAGE) -> tuple[list[str], np.ndarray]:
    """Each cluster's defining term ('' when none), and the clusters x terms coverage."""
    n = x.shape[0]
    rows = np.flatnonzero(labels >= 0)
    member = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (labels[rows], rows)), shape=(k, n))
    counts = np.asarray((member @ x).todense()) if k and x.shape[1] else np.zeros((k, x.shape[1]))
    sizes = np.maximum(np.bincount(labels[rows], minlength=k), 1)[:, None]
    coverage = counts / sizes
    df = np.asarray(x.sum(axis=0)).ravel()
    idf = np.log1p(n / np.maximum(df, 1.0))
    out: list[str] = []
    for c in range(k):
        score = np.where(coverage[c] >= min_coverage, coverage[c] * idf, 0.0)
        j = int(np.argmax(score)) if score.size else 0
        out.append(str(terms[j]) if score.size and score[j] > 0 else "")
    return out, coverage


def main_product(products: Sequence[str]) -> str | None:
    """The product of at least half the complaints, else None."""
    if not products:
        return None
    values, counts = np.unique(np.asarray(products, dtype=object), return_counts=True)
    i = int(np.argmax(counts))
    return str(values[i]) if counts[i] * 2 >= len(products) else None


def merge_groups(defining: Sequence[str], coverage: np.ndarray, term_index: dict[str, int],
                 products: Sequence[str | None], min_coverage: float = MIN_COVERAGE) -> list[list[int]]:
    """Groups of cluster indices to merge (each group sorted, groups by first member)."""
    k = len(defining)
    sets = UnionFind(k)

    def covers(term: str, c: int) -> bool:
        j = term_index.get(term)
        return j is not None and coverage[c, j] >= min_coverage

    for a in range(k):
        if not defining[a]:
            continue
        for b in range(a + 1, k):
            if not defining[b] or products[a] != products[b]:
                continue
            same = defining[a] == defining[b] or (covers(defining[a], b) and covers(defining[b], a))
            if same:
                sets.union(a, b)
    groups: dict[int, list[int]] = {}
    for c in range(k):
        groups.setdefault(sets.find(c), []).append(c)
    return [groups[r] for r in sorted(groups)]
