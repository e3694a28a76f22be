"""Clustering complaints into issue clusters, from their segmented tokens.

Pipeline (scikit-learn style estimator, fixed ``random_state``):

1. Binary bag of words over the analysis tokens (``str.split``: analyze already
   segmented), minus stop words, punctuation, numbers and words too rare or too common;
   a compound also counts as the corpus words it is made of (指纹识别 -> 指纹, 识别).
2. TF-IDF (l2) -> truncated SVD (LSA) -> l2 normalisation: short complaints share few
   words, and the low-rank space lets "鼓包" and "电池 胀" land near each other.
3. k-means (Lloyd, k-means++ seeding) with a deliberately generous number of clusters;
   documents that fit their centre poorly are clustered again and given centres of
   their own (a new complaint theme is such a group); clusters holding two clearly
   different groups are bisected; finally clusters whose term centroids are
   near-duplicates are merged (union-find over centroid cosine). Every document with
   at least one content word gets a cluster: there is no outlier bucket; tiny
   clusters are kept and simply never alarm.
4. Class-based TF-IDF (BERTopic's c-TF-IDF) gives each cluster its distinctive terms,
   its label and a term signature that later runs use to recognise it.

Big windows: the clusters are learned from at most ``max_fit_docs`` documents (those
:meth:`ComplaintClusterer.fit` is told to keep first, the period's, then an evenly
spaced share of the others, so every baseline week is represented); every other
document is projected into the same LSA space and goes to its nearest cluster centre,
as k-means itself places documents. Features, counts, c-TF-IDF terms and signatures
still use every document. Below the cap the result is exactly that of a full fit.

Cost is linear in the number of documents, and beyond the cap only the cheap sparse
passes grow (benchmarks/bench_emerging.py).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from voc.emerging.terms import names_term

_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_MASK = re.compile(r"^<[A-Z_]+>$")


def content_term(term: str) -> bool:
    """A term worth clustering on: has a CJK character or a letter, and is no mask."""
    return bool(_CONTENT.search(term)) and not _MASK.match(term)


class ComplaintClusterer:
    """Issue clusters for token documents (each a space-joined token string).

    Learned attributes (after :meth:`fit`): ``labels_`` (cluster per document, -1 for a
    document with no content word), ``n_clusters_``, ``terms_`` (vocabulary) and
    ``term_index_`` (term -> column),
    ``doc_terms_`` (binary document-term matrix), ``term_counts_`` (clusters x terms,
    documents of the cluster containing the term), ``sizes_``.
    """

    def __init__(
        self,
        *,
        docs_per_cluster: int = 80,
        min_clusters: int = 8,
        max_clusters: int = 120,
        n_components: int = 100,
        min_df: int = 3,
        max_df: float = 0.25,
        merge_threshold: float = 0.55,
        max_iter: int = 60,
        fit_threshold: float = 0.35,
        residual_rounds: int = 2,
        min_residual: int = 10,
        residual_docs_per_cluster: int = 20,
        split_threshold: float = 0.55,
        split_depth: int = 3,
        min_cluster_size: int = 5,
        expand_compounds: bool = True,
        max_fit_docs: int | None = 60_000,
        stop_words: Iterable[str] = (),
        known_terms: Iterable[str] = (),
        burst_lift: float = 4.0,
        max_burst_terms: int = 10,
        random_state: int = 0,
    ) -> None:
        self.docs_per_cluster = docs_per_cluster
        self.min_clusters = min_clusters
        self.max_clusters = max_clusters
        self.n_components = n_components
        self.min_df = min_df
        self.max_df = max_df
        self.merge_threshold = merge_threshold
        self.max_iter = max_iter
        self.fit_threshold = fit_threshold
        self.residual_rounds = residual_rounds
        self.min_residual = min_residual
        self.residual_docs_per_cluster = residual_docs_per_cluster
        self.split_threshold = split_threshold
        self.split_depth = split_depth
        self.min_cluster_size = min_cluster_size
        self.expand_compounds = expand_compounds
        self.max_fit_docs = max_fit_docs
        self.stop_words = stop_words
        self.known_terms = frozenset(known_terms)
        self.burst_lift = burst_lift
        self.max_burst_terms = max_burst_terms
        self.random_state = random_state

    # -- fitting ------------------------------------------------------------------
    def fit(self, docs: Sequence[str], first: np.ndarray | None = None) -> ComplaintClusterer:
        """Cluster ``docs`` (space-joined tokens); deterministic for the same input.

        ``first`` (boolean, one per document) marks the documents to learn the clusters
        from before any other when there are more than ``max_fit_docs``: the period's,
        so that a small new theme is never thinned out by sampling.
        """
        x, terms = self._features(docs)
        self.terms_ = terms
        self.term_index_ = {str(t): j for j, t in enumerate(terms)}
        self.doc_terms_ = x
        n = x.shape[0]
        has = np.asarray(x.getnnz(axis=1)) > 0
        labels = np.full(n, -1, dtype=np.int64)
        rows = np.flatnonzero(has)
        self.n_fitted_ = int(rows.size)
        if rows.size:
            tfidf = self._tfidf(x[rows])
            fit = self._fit_rows(rows, first)
            self.n_fitted_ = int(fit.size)
            if fit.size == rows.size:
                z, sub = self._kmeans(tfidf)
                sub = self._split(z, tfidf, sub)
                labels[rows] = self._merge(tfidf, sub)[sub]
            else:
                rest = np.setdiff1d(np.arange(rows.size), fit, assume_unique=True)
                z, sub, svd = self._kmeans(tfidf[fit], with_svd=True)
                sub = self._split(z, tfidf[fit], sub)
                roots = self._merge(tfidf[fit], sub)
                labels[rows[fit]] = roots[sub]
                labels[rows[rest]] = roots[self._assign(svd, tfidf[rest], z, sub)]
        if first is not None:
            labels = self._burst_terms(x, np.asarray(first, dtype=bool), labels)
        self.labels_ = self._renumber(labels)
        self.n_clusters_ = int(self.labels_.max()) + 1 if n else 0
        self.sizes_ = np.bincount(self.labels_[self.labels_ >= 0], minlength=self.n_clusters_)
        self.term_counts_ = self._term_counts(self.labels_)
        return self

    def _burst_terms(self, x: sp.csr_matrix, period: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Give each bursting term a cluster of its own: the documents (of every week)
        that contain it.

        A term bursts when at least ``min_cluster_size`` of the period's documents have
        it and their share is at least ``burst_lift`` times its (smoothed) share of the
        baseline's; terms the topic lexicon already knows (``known_terms``: the topic
        series count those) are left to the topics. k-means spends its centres on the big
        themes and a small new one (five complaints about 指纹 among hundreds) lands in
        whichever big cluster is nearest, which one depending on the rest of the data: a
        single unrelated complaint more could hide it. Counting a term's documents does
        not depend on the rest. A term whose period documents k-means already holds
        together (:data:`TOGETHER` of them in one cluster) in a cluster that bursts too
        (at half the lift) is left there: that cluster is its theme; in a steady cluster
        it is a new issue hidden in an old one. Terms are taken by the number of period documents, most
        first (指纹 before 指纹识别, which it contains after compound expansion), at most
        ``max_burst_terms``; a document goes to the first of its terms.
        """
        if not period.any() or period.all() or not x.shape[1]:
            return labels
        xc = sp.csc_matrix(x)
        in_period = np.asarray(x[period].sum(axis=0)).ravel()
        in_base = np.asarray(x[~period].sum(axis=0)).ravel()
        n_period, n_base = int(period.sum()), int((~period).sum())
        expected = (in_base + 0.5) / (n_base + 1.0) * n_period
        candidates = np.flatnonzero((in_period >= self.min_cluster_size) & (in_period >= self.burst_lift * expected))
        known = self.known_terms
        terms = [t for t in candidates[np.lexsort((-in_period[candidates] / expected[candidates],
                                                   -in_period[candidates]))]
                 if not names_term(known, str(self.terms_[t]))][: self.max_burst_terms]
        if not terms:
            return labels
        labels = labels.copy()
        claimed = np.zeros(labels.size, dtype=bool)
        next_label = int(labels.max()) + 1 if labels.size else 0
        for t in terms:
            docs = xc.indices[xc.indptr[t] : xc.indptr[t + 1]]
            docs = docs[~claimed[docs]]
            in_p = docs[period[docs]]
            if in_p.size < self.min_cluster_size:
                continue  # most of its documents went to a term taken before
            held = labels[in_p][labels[in_p] >= 0]
            if held.size:
                top = int(np.bincount(held).argmax())
                if (held == top).sum() >= TOGETHER * in_p.size:
                    members = labels == top
                    cluster_lift = (int((members & period).sum()) / n_period) / (
                        (int((members & ~period).sum()) + 0.5) / (n_base + 1.0))
                    if cluster_lift >= self.burst_lift / 2:
                        claimed[docs] = True  # k-means has them in a cluster that bursts with them: its theme
                        continue
            labels[docs] = next_label
            claimed[docs] = True
            next_label += 1
        return labels

    def _fit_rows(self, rows: np.ndarray, first: np.ndarray | None) -> np.ndarray:
        """Positions (into ``rows``) of the documents the clusters are learned from."""
        cap = self.max_fit_docs
        if cap is None or rows.size <= cap:
            return np.arange(rows.size)
        mask = np.zeros(rows.size, dtype=bool) if first is None else np.asarray(first, dtype=bool)[rows]
        head, tail = np.flatnonzero(mask), np.flatnonzero(~mask)
        head = _evenly(head, cap)
        return np.sort(np.concatenate([head, _evenly(tail, cap - head.size)]))

    def _assign(self, svd, tfidf: sp.csr_matrix, z: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Label (of ``labels``' numbering) of the nearest fitted cluster centre for each
        row of ``tfidf``, in the LSA space of the fit."""
        from sklearn.preprocessing import normalize
        from threadpoolctl import threadpool_limits

        used, dense = np.unique(labels, return_inverse=True)
        sums = np.zeros((used.size, z.shape[1]), dtype=np.float64)
        np.add.at(sums, dense, z)
        centers = normalize(sums).astype(np.float32)
        if svd is None:  # the fit had a single dimension: one centre
            return np.full(tfidf.shape[0], used[0], dtype=np.int64)
        with threadpool_limits(limits=1):
            zr = normalize(svd.transform(tfidf).astype(np.float32), copy=False)
            return used[_nearest(zr, centers)]

    def _features(self, docs: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
        from sklearn.feature_extraction.text import CountVectorizer

        n = len(docs)
        min_df = self.min_df if n >= 20 * self.min_df else 1
        vec = CountVectorizer(
            tokenizer=str.split, token_pattern=None, lowercase=False, binary=True,
            min_df=min_df, max_df=self.max_df if n >= 50 else 1.0, dtype=np.float32,
        )
        try:
            x = vec.fit_transform(docs)
        except ValueError:  # no term survives (empty or tiny input)
            return sp.csr_matrix((n, 0), dtype=np.float32), np.array([], dtype=object)
        terms = vec.get_feature_names_out()
        stop = set(self.stop_words)
        keep = np.array([content_term(t) and t not in stop for t in terms], dtype=bool)
        x, terms = sp.csr_matrix(x[:, keep]), terms[keep]
        if self.expand_compounds and terms.size:
            x = x @ compound_expansion(terms)
            x.data[:] = 1.0
        return x, terms

    def _tfidf(self, x: sp.csr_matrix) -> sp.csr_matrix:
        from sklearn.preprocessing import normalize

        df = np.asarray(x.sum(axis=0)).ravel()
        idf = np.log((1.0 + x.shape[0]) / (1.0 + df)) + 1.0
        return normalize(x @ sp.diags(idf.astype(np.float32)), copy=False)

    def n_clusters_for(self, n_docs: int) -> int:
        """How many k-means clusters to start from (merging then removes duplicates)."""
        k = int(round(n_docs / self.docs_per_cluster))
        return max(1, min(n_docs, max(self.min_clusters, min(self.max_clusters, k))))

    def _kmeans(self, tfidf: sp.csr_matrix, with_svd: bool = False) -> tuple:
        """LSA, Lloyd k-means (k-means++ seeding), then residual re-seeding; on one
        thread so that the result does not depend on the machine.

        Lloyd, not mini-batch: mini-batch updates let a small, tight theme be swallowed
        by a big neighbour. And k-means may still spend its centres on splitting big
        themes: documents that fit their centre poorly (cosine below ``fit_threshold``)
        are clustered again on their own, the new centres are added and every document
        goes to its nearest centre. A new complaint theme is exactly such a group.
        """
        from sklearn.preprocessing import normalize
        from threadpoolctl import threadpool_limits

        n, v = tfidf.shape
        k = self.n_clusters_for(n)
        if v < 2 or n < 2:
            out = np.ones((n, 1), dtype=np.float32), np.zeros(n, dtype=np.int64)
            return (*out, None) if with_svd else out
        dims = min(self.n_components, v - 1, n - 1)
        with threadpool_limits(limits=1):
            from sklearn.decomposition import TruncatedSVD

            svd = TruncatedSVD(dims, algorithm="randomized", n_iter=4, random_state=self.random_state)
            z = normalize(svd.fit_transform(tfidf).astype(np.float32), copy=False)
            centers = self._lloyd(z, k)
            labels = _nearest(z, centers)
            for _ in range(self.residual_rounds):
                fit = np.einsum("ij,ij->i", z, centers[labels])
                poor = np.flatnonzero(fit < self.fit_threshold)
                if poor.size < self.min_residual or poor.size > 0.3 * n:
                    break  # nothing left over, or diffuse data that re-seeding cannot help
                k2 = max(1, min(self.max_clusters, int(round(poor.size / self.residual_docs_per_cluster))))
                centers = np.vstack([centers, self._lloyd(z[poor], min(k2, poor.size))])
                labels = _nearest(z, centers)
                centers, labels = _recenter(z, labels)
        return (z, labels, svd) if with_svd else (z, labels)

    def _split(self, z: np.ndarray, tfidf: sp.csr_matrix, labels: np.ndarray) -> np.ndarray:
        """Bisect clusters that hold two clearly different groups.

        Each cluster is cut in two by 2-means; the cut is kept when both halves have at
        least ``min_cluster_size`` documents, their term centroids have cosine below
        ``split_threshold`` and their three most distinctive terms have nothing in
        common. The last condition tells two issues that share words of the situation
        (指纹 "按上去没反应" vs 电源键 "按了没反应") from two phrasings of one issue
        (指纹 "识别失败" vs 指纹 "录不进去"). Repeated ``split_depth`` times: this
        separates small themes that k-means lumped together.
        """
        from sklearn.cluster import KMeans
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.preprocessing import normalize
        from threadpoolctl import threadpool_limits

        labels = labels.copy()
        present = sp.csr_matrix(tfidf, copy=True)
        present.data[:] = 1.0
        idf = np.log1p(present.shape[0] / np.maximum(np.asarray(present.sum(axis=0)).ravel(), 1.0))

        def top_terms(rows: np.ndarray) -> set[int]:
            w = np.asarray(present[rows].sum(axis=0)).ravel() / rows.size * idf
            return set(np.argsort(-w, kind="stable")[:3].tolist())

        with threadpool_limits(limits=1):
            for _ in range(self.split_depth):
                order = np.argsort(labels, kind="stable")
                bounds = np.searchsorted(labels[order], np.arange(labels.max() + 2))
                next_label = int(labels.max()) + 1
                changed = False
                for c in range(int(labels.max()) + 1):
                    idx = order[bounds[c] : bounds[c + 1]]
                    if idx.size < 2 * self.min_cluster_size:
                        continue
                    with warnings.catch_warnings():  # duplicate texts: fewer distinct points than 2
                        warnings.simplefilter("ignore", ConvergenceWarning)
                        halves = KMeans(2, n_init=1, max_iter=30, random_state=self.random_state).fit_predict(z[idx])
                    a, b = idx[halves == 0], idx[halves == 1]
                    if min(a.size, b.size) < self.min_cluster_size:
                        continue
                    ca = normalize(sp.csr_matrix(tfidf[a].sum(axis=0)))
                    cb = normalize(sp.csr_matrix(tfidf[b].sum(axis=0)))
                    if float((ca @ cb.T).toarray()[0, 0]) < self.split_threshold and not top_terms(a) & top_terms(b):
                        labels[b] = next_label
                        next_label += 1
                        changed = True
                if not changed:
                    break
        return labels

    def _lloyd(self, z: np.ndarray, k: int) -> np.ndarray:
        from sklearn.cluster import KMeans
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.preprocessing import normalize

        km = KMeans(n_clusters=k, n_init=1, max_iter=self.max_iter, tol=1e-4, random_state=self.random_state)
        with warnings.catch_warnings():  # repeated texts: fewer distinct points than k (duplicate centres merge later)
            warnings.simplefilter("ignore", ConvergenceWarning)
            km.fit(z)
        return normalize(km.cluster_centers_.astype(np.float32))

    def _merge(self, tfidf: sp.csr_matrix, labels: np.ndarray) -> np.ndarray:
        """Merge clusters whose term centroids have cosine >= merge_threshold: the
        merged label of each label (``roots[labels]`` labels the documents)."""
        from sklearn.preprocessing import normalize

        k = int(labels.max()) + 1
        member = sp.csr_matrix((np.ones(labels.size, dtype=np.float32), (labels, np.arange(labels.size))), shape=(k, labels.size))
        centroids = normalize(member @ tfidf)
        sim = (centroids @ centroids.T).toarray()
        from voc.emerging.merge import UnionFind

        sets = UnionFind(k)
        pairs = np.argwhere(np.triu(sim, 1) >= self.merge_threshold)
        for a, b in sorted(map(tuple, pairs), key=lambda ab: (-sim[ab[0], ab[1]], ab[0], ab[1])):
            sets.union(int(a), int(b))
        return np.array([sets.find(i) for i in range(k)], dtype=np.int64)

    def _renumber(self, labels: np.ndarray) -> np.ndarray:
        """Clusters numbered by size (largest first), ties by first document: stable order."""
        valid = labels >= 0
        if not valid.any():
            return labels
        ids, first, counts = np.unique(labels[valid], return_index=True, return_counts=True)
        order = sorted(range(ids.size), key=lambda i: (-counts[i], first[i]))
        mapping = np.full(int(ids.max()) + 1, -1, dtype=np.int64)
        mapping[ids[order]] = np.arange(ids.size)
        out = labels.copy()
        out[valid] = mapping[labels[valid]]
        return out

    def _term_counts(self, labels: np.ndarray) -> sp.csr_matrix:
        rows = np.flatnonzero(labels >= 0)
        k = self.n_clusters_
        member = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (labels[rows], rows)), shape=(k, labels.size))
        return sp.csr_matrix(member @ self.doc_terms_)

    # -- describing clusters --------------------------------------------------------
    def ctfidf(self) -> np.ndarray:
        """Class-based TF-IDF, clusters x terms: share of the cluster's documents that
        contain the term, times log(1 + average cluster size / documents with the term)."""
        counts = self.term_counts_.toarray()
        sizes = np.maximum(self.sizes_, 1)[:, None]
        tf = counts / sizes
        df = counts.sum(axis=0)
        avg = max(float(self.sizes_.mean()) if self.n_clusters_ else 1.0, 1.0)
        idf = np.log1p(avg / np.maximum(df, 1.0))
        return tf * idf[None, :]

    def top_terms(self, weights: np.ndarray, n: int = 10) -> list[list[tuple[str, float]]]:
        """Per cluster, its ``n`` most distinctive terms with their c-TF-IDF weight."""
        out = []
        for row in weights:
            idx = np.argsort(-row, kind="stable")[:n]
            out.append([(str(self.terms_[i]), float(row[i])) for i in idx if row[i] > 0])
        return out

    def representatives(self, cluster: int, candidates: Sequence[int], n: int = 5) -> list[int]:
        """Up to ``n`` of the ``candidates`` (document indices of this cluster) closest to
        the cluster's term centroid; ties by position, so the choice is deterministic."""
        cand = [i for i in candidates if self.labels_[i] == cluster]
        centroid = np.asarray(self.term_counts_[cluster].todense()).ravel()
        return central_docs(self.doc_terms_, cand, n, centroid)


def compound_expansion(terms: np.ndarray) -> sp.csr_matrix:
    """terms x terms 0/1 matrix: each term, plus the words it is made of that are also
    terms of the corpus (jieba's search-mode cut: 指纹识别 -> 指纹, 识别).

    Segmentation keeps 指纹识别 and 指纹 apart; multiplying the document-term matrix by
    this matrix lets the two documents share 指纹. Only words that occur on their own in
    the corpus are added, so fragments such as 机时 (from 待机时间) are not.
    """
    import rjieba

    index = {str(t): i for i, t in enumerate(terms)}
    seg = rjieba.Jieba()
    rows, cols = list(range(terms.size)), list(range(terms.size))
    for i, t in enumerate(terms):
        t = str(t)
        if len(t) < 3:
            continue
        for sub in seg.cut_for_search(t, False):
            j = index.get(sub)
            if j is not None and j != i and len(sub) >= 2:
                rows.append(i)
                cols.append(j)
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(terms.size, terms.size))


def _evenly(idx: np.ndarray, n: int) -> np.ndarray:
    """``n`` elements of ``idx`` evenly spaced over it (all of them if it has no more)."""
    if n >= idx.size:
        return idx
    if n <= 0:
        return idx[:0]
    return idx[(np.arange(n) * idx.size) // n]


#: The share of a bursting term's period documents in one cluster that says k-means has
#: found its theme already (:meth:`ComplaintClusterer._burst_terms`).
TOGETHER = 0.7


def _nearest(z: np.ndarray, centers: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """Index of the most similar centre for each row (cosine; ties to the lower index)."""
    out = np.empty(z.shape[0], dtype=np.int64)
    for i in range(0, z.shape[0], chunk):
        out[i : i + chunk] = np.argmax(z[i : i + chunk] @ centers.T, axis=1)
    return out


def _recenter(z: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop empty clusters, renumber labels densely, centres = normalised means."""
    from sklearn.preprocessing import normalize

    used, labels = np.unique(labels, return_inverse=True)
    sums = np.zeros((used.size, z.shape[1]), dtype=np.float64)
    np.add.at(sums, labels, z)
    return normalize(sums).astype(np.float32), labels.astype(np.int64)


def central_docs(x: sp.csr_matrix, idx: Sequence[int], n: int, centroid: np.ndarray | None = None) -> list[int]:
    """Up to ``n`` of the documents ``idx`` (rows of binary matrix ``x``) nearest to
    ``centroid`` (default: their own term centroid), by cosine; ties by position."""
    cand = np.asarray(idx, dtype=np.int64)
    if cand.size == 0:
        return []
    sub = x[cand]
    if centroid is None:
        centroid = np.asarray(sub.sum(axis=0)).ravel()
    lengths = np.sqrt(np.asarray(sub.sum(axis=1)).ravel()) + 1e-9
    score = (sub @ centroid) / lengths
    order = np.lexsort((np.arange(cand.size), -score))
    return [int(cand[i]) for i in order[:n]]


def distinctive_terms(
    x: sp.csr_matrix, terms: np.ndarray, idx: Sequence[int], n: int = 10, df: np.ndarray | None = None
) -> list[tuple[str, float]]:
    """The terms most distinctive of documents ``idx`` against all rows of ``x``:
    share of ``idx`` containing the term times log(1 + rows / rows containing it).
    ``df`` (rows containing each term, ``x.sum(axis=0)``) may be passed when calling
    this for many sets of rows of the same ``x``."""
    cand = np.asarray(idx, dtype=np.int64)
    if cand.size == 0 or x.shape[1] == 0:
        return []
    inside = np.asarray(x[cand].sum(axis=0)).ravel() / cand.size
    if df is None:
        df = np.asarray(x.sum(axis=0)).ravel()
    w = inside * np.log1p(x.shape[0] / np.maximum(df, 1.0))
    order = np.lexsort((np.arange(w.size), -w))[:n]
    return [(str(terms[i]), float(w[i])) for i in order if w[i] > 0]


def terms_in(docs: Iterable[str]) -> set[str]:
    """All distinct tokens of token documents."""
    out: set[str] = set()
    for d in docs:
        out.update(d.split())
    return out
