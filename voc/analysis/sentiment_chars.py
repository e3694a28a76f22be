"""A character n-gram component learned from the user's own labels (`voc train sentiment`,
and the adaptation of `voc analyze` to a store's star ratings).

The default model knows Chinese sentiment through segmented words and our lexicons,
which transfer across domains but miss a domain's own words: 掉色 for clothes, 起球,
不新鲜 for fruit, 漏水 for water heaters. Character n-grams (1–3 characters) need no
segmentation and no lexicon: trained on a few thousand in-domain labels they pick those
words up, and they err elsewhere than the word model does. The component is fitted on the
user's labelled texts only (not on the default corpus) and the model averages the two
log-odds. On held-out halves of five categories of online_shopping_10_cats
(``benchmarks/bench_train.py``) the blend beat both the word model and a plain character
n-gram logistic regression in every category.

Features are the character 1-, 2- and 3-grams of the normalised text, each occurrence
weighted by the n-gram's smooth idf, and the text's vector divided by the square root of
the sum of its occurrences' squared weights (the L2 norm when no n-gram repeats, as in
most short reviews); the weights are a logistic regression's. An n-gram is identified by an exact 64-bit key computed from its code
points, so a whole chunk of texts is scored with a few numpy operations (looked up one by
one in Python the n-grams cost twice the rest of the analysis).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["CharComponent", "MIN_PER_CLASS", "char_keys"]

#: The component is added when the labels hold at least this many texts of each
#: polarity (fewer: the n-gram weights are mostly noise).
MIN_PER_CLASS = 30
MIN_DF = 2
C = 10.0
_BASE = 0x110000  # one more than the largest code point: n-gram keys are exact


def char_keys(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(keys, owners)``: one exact key per character 1-, 2- and 3-gram of each text
    (whitespace runs count as one space) and the index of the text it comes from."""
    parts = []
    for text in texts:
        if not text.isprintable() or "  " in text:
            text = " ".join(text.replace("\0", " ").split())
        parts.append(text)
    joined = "\0".join(parts) + "\0"
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    owner = np.repeat(np.arange(len(parts), dtype=np.int64), lengths + 1)
    keep1 = cp != 0
    bi = cp[:-1] * _BASE + cp[1:]
    keep2 = keep1[:-1] & keep1[1:]
    tri = bi[:-1] * _BASE + cp[2:]
    keep3 = keep2[:-1] & keep1[2:]
    keys = np.concatenate([cp[keep1], bi[keep2], tri[keep3]])
    owners = np.concatenate([owner[keep1], owner[:-1][keep2], owner[:-2][keep3]])
    return keys, owners


_MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing


class _KeyTable:
    """An open-addressing hash table from n-gram keys to columns, probed for a whole
    array of keys at once (a binary search over the vocabulary cost more than the rest)."""

    def __init__(self, keys: np.ndarray):
        bits = max(4, int(np.ceil(np.log2(max(len(keys), 1) * 4))))  # load factor <= 1/4
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.slots = np.full(self.mask + 1, -1, dtype=np.int64)  # the key in each slot, -1 empty
        self.cols = np.zeros(self.mask + 1, dtype=np.int64)
        slot = self._home(keys)
        pending = np.arange(len(keys))
        while pending.size:  # place every key in its first free slot (no key twice)
            s = slot[pending]
            free = self.slots[s] == -1
            # of several keys wanting the same free slot, the first takes it
            _, first = np.unique(s[free], return_index=True)
            take = pending[free][first]
            self.slots[slot[take]] = keys[take]
            self.cols[slot[take]] = take
            placed = np.zeros(len(keys), dtype=bool)
            placed[take] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & self.mask

    def _home(self, keys: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((keys.astype(np.uint64) * _MULT) >> self.shift).astype(np.int64)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The column of each key, -1 for a key not in the table."""
        out = np.full(len(keys), -1, dtype=np.int64)
        slot = self._home(keys)
        todo = np.arange(len(keys))
        while todo.size:
            s = slot[todo]
            held = self.slots[s]
            hit = held == keys[todo]
            out[todo[hit]] = self.cols[s[hit]]
            todo = todo[~hit & (held != -1)]  # an empty slot: not in the table
            slot[todo] = (slot[todo] + 1) & self.mask
        return out


class CharComponent:
    """Learned state: ``keys`` (sorted n-gram keys, one per column), ``idf``, ``coef``,
    ``intercept`` (log-odds of positive)."""

    def __init__(self, keys: np.ndarray, idf: np.ndarray, coef: np.ndarray, intercept: float):
        self.keys = np.asarray(keys, dtype=np.int64)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)
        self._weights = self.idf * self.coef
        self._idf2 = self.idf * self.idf
        self._table = _KeyTable(self.keys)

    @classmethod
    def fit(cls, texts: Sequence[str], positive: Sequence[bool], random_state: int = 0) -> CharComponent:
        """Fit on normalised texts and their polarity (``True`` positive)."""
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        n = len(texts)
        keys, owners = char_keys(texts)
        # document frequency of every key: count each (text, key) pair once
        order = np.lexsort((owners, keys))
        k, o = keys[order], owners[order]
        first = np.ones(k.size, dtype=bool)
        first[1:] = (k[1:] != k[:-1]) | (o[1:] != o[:-1])
        vocab, df = np.unique(k[first], return_counts=True)
        vocab = vocab[df >= MIN_DF]
        df = df[df >= MIN_DF]
        idf = np.log((1 + n) / (1 + df)) + 1.0
        idf = idf.astype(np.float32).astype(np.float64)  # as stored in model files
        column = _KeyTable(vocab).lookup(keys)
        found = column >= 0
        rows, cols = owners[found], column[found]
        # one entry per occurrence, summed: the term frequency times the idf
        matrix = sparse.csr_matrix((idf[cols], (rows, cols)), shape=(n, vocab.size))
        norms = np.sqrt(np.bincount(rows, idf[cols] ** 2, minlength=n))
        norms[norms == 0] = 1.0
        matrix = sparse.diags(1.0 / norms) @ matrix
        y = np.asarray(positive, dtype=bool)
        clf = LogisticRegression(C=C, max_iter=5000, random_state=random_state).fit(matrix, y)
        sign = 1.0 if bool(clf.classes_[1]) else -1.0
        # stored as float32 in model files: round now so a reloaded model is identical
        coef = np.asarray(sign * clf.coef_[0], dtype=np.float32).astype(np.float64)
        return cls(vocab, idf, coef, float(sign * clf.intercept_[0]))

    def decision(self, text: str) -> float:
        """The component's log-odds of positive for one normalised text."""
        return float(self.decisions([text])[0])

    def decisions(self, texts: Sequence[str]) -> np.ndarray:
        """The component's log-odds of positive for many normalised texts, at once."""
        out = np.full(len(texts), self.intercept)
        if not texts or not self.keys.size:
            return out
        keys, owners = char_keys(texts)
        column = self._table.lookup(keys)
        found = column >= 0
        rows, cols = owners[found], column[found]
        dot = np.bincount(rows, self._weights[cols], minlength=len(texts))
        norm = np.bincount(rows, self._idf2[cols], minlength=len(texts))
        scored = norm > 0
        out[scored] += dot[scored] / np.sqrt(norm[scored])
        return out

    def arrays(self) -> dict[str, np.ndarray]:
        """What a model file stores (plain arrays)."""
        return {"chars_keys": self.keys, "chars_idf": self.idf.astype(np.float32),
                "chars_coef": self.coef.astype(np.float32), "chars_intercept": np.array([self.intercept])}

    @classmethod
    def from_arrays(cls, data) -> CharComponent:
        return cls(np.asarray(data["chars_keys"], dtype=np.int64), np.asarray(data["chars_idf"], dtype=np.float64),
                   np.asarray(data["chars_coef"], dtype=np.float64), float(data["chars_intercept"][0]))
