"""A character n-gram component learned from the user's own labels (`voc train sentiment`).

The default model knows Chinese sentiment through segmented words and our lexicons,
which transfer across domains but miss a domain's own words: 掉色 for clothes, 起球,
不新鲜 for fruit, 漏水 for water heaters. Character n-grams (1–3 characters) need no
segmentation and no lexicon: trained on a few thousand in-domain labels they pick those
words up, and they err elsewhere than the word model does. `voc train sentiment` therefore
fits one on the user's labelled texts (not on the default corpus) and the model averages
the two log-odds. On held-out halves of five categories of online_shopping_10_cats
(``benchmarks/bench_train.py``) the blend beat both the word model and a plain
character n-gram logistic regression in every category.

Features are TF-IDF weighted (sublinear term frequency, smooth idf, L2 norm) counts of the
character 1-, 2- and 3-grams of the normalised text, computed here (no scikit-learn at
scoring time); the weights are a logistic regression's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

__all__ = ["CharComponent", "MIN_PER_CLASS"]

#: `voc train` adds the component when the user's labels hold at least this many texts of
#: each polarity (fewer: the n-gram weights are mostly noise).
MIN_PER_CLASS = 30
NGRAMS = (1, 3)
MIN_DF = 2
C = 10.0


def char_counts(text: str) -> dict[str, int]:
    """Counts of the character 1- to 3-grams of ``text`` (whitespace runs count as one space)."""
    if " " in text or not text.isprintable():
        text = " ".join(text.split())
    n = len(text)
    # one comprehension per size and a C-level count: this runs for every text scored
    grams = list(text)
    grams += [text[i : i + 2] for i in range(n - 1)]
    grams += [text[i : i + 3] for i in range(n - 2)]
    return Counter(grams)


class CharComponent:
    """Learned state: ``vocabulary`` (n-gram → column), ``idf``, ``coef``, ``intercept``
    (log-odds of positive)."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: float):
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)
        # for scoring: ids from 1 (0: not a feature, weight and idf 0)
        self._ids = {gram: j + 1 for gram, j in vocabulary.items()}
        self._size = len(vocabulary) + 1
        self._weights_arr = np.concatenate([[0.0], self.idf * self.coef])
        self._idf_arr = np.concatenate([[0.0], self.idf])

    @classmethod
    def fit(cls, texts: Sequence[str], positive: Sequence[bool], random_state: int = 0) -> CharComponent:
        """Fit on normalised texts and their polarity (``True`` positive)."""
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        counts = [char_counts(t) for t in texts]
        df: dict[str, int] = {}
        for c in counts:
            for gram in c:
                df[gram] = df.get(gram, 0) + 1
        vocabulary = {g: j for j, g in enumerate(sorted(g for g, n in df.items() if n >= MIN_DF))}
        n_docs = len(texts)
        idf = np.ones(len(vocabulary))
        for g, j in vocabulary.items():
            idf[j] = math.log((1 + n_docs) / (1 + df[g])) + 1.0
        rows, cols, vals = [], [], []
        for r, c in enumerate(counts):
            for gram, k in c.items():
                j = vocabulary.get(gram)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    vals.append((1.0 + math.log(k)) * idf[j])
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(n_docs, len(vocabulary)))
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        matrix = sparse.diags(1.0 / norms) @ matrix
        y = np.asarray(positive, dtype=bool)
        clf = LogisticRegression(C=C, max_iter=5000, random_state=random_state).fit(matrix, y)
        sign = 1.0 if bool(clf.classes_[1]) else -1.0
        # stored as float32 in model files: round now so a reloaded model is identical
        coef = np.asarray(sign * clf.coef_[0], dtype=np.float32).astype(np.float64)
        return cls(vocabulary, idf.astype(np.float32).astype(np.float64), coef, float(sign * clf.intercept_[0]))

    def decision(self, text: str) -> float:
        """The component's log-odds of positive for one normalised text."""
        return float(self.decisions([text])[0])

    def decisions(self, texts: Sequence[str]) -> np.ndarray:
        """The component's log-odds of positive for many normalised texts, at once: the
        n-grams of all of them are looked up in one pass and summed per text with numpy
        (scored one by one in Python they cost more than the rest of the analysis)."""
        get = self._ids.get
        ids: list[int] = []
        owners: list[int] = []
        for i, text in enumerate(texts):
            if " " in text or not text.isprintable():
                text = " ".join(text.split())
            n = len(text)
            found = [get(ch, 0) for ch in text]
            found += [get(text[k : k + 2], 0) for k in range(n - 1)]
            found += [get(text[k : k + 3], 0) for k in range(n - 2)]
            ids += found
            owners += [i] * len(found)
        out = np.full(len(texts), self.intercept)
        if not ids:
            return out
        # one key per (text, n-gram): its count is the n-gram's term frequency in the text
        keys, tf = np.unique(np.array(owners, dtype=np.int64) * self._size + np.array(ids, dtype=np.int64),
                             return_counts=True)
        col = keys % self._size
        row = keys // self._size
        tf = 1.0 + np.log(tf)
        dot = np.bincount(row, tf * self._weights_arr[col], minlength=len(texts))
        norm = np.bincount(row, (tf * self._idf_arr[col]) ** 2, minlength=len(texts))
        scored = norm > 0
        out[scored] += dot[scored] / np.sqrt(norm[scored])
        return out

    def arrays(self) -> dict[str, np.ndarray]:
        """What a model file stores (plain arrays)."""
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {"chars_vocabulary": np.array(names, dtype=str), "chars_idf": self.idf.astype(np.float32),
                "chars_coef": self.coef.astype(np.float32), "chars_intercept": np.array([self.intercept])}

    @classmethod
    def from_arrays(cls, data) -> CharComponent:
        names = data["chars_vocabulary"].tolist()
        return cls({g: j for j, g in enumerate(names)}, np.asarray(data["chars_idf"], dtype=np.float64),
                   np.asarray(data["chars_coef"], dtype=np.float64), float(data["chars_intercept"][0]))
