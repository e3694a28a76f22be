"""Batch scoring of a two-class sentiment model, vectorised with numpy.

Scoring one review feature by feature in Python costs ~25 µs; the per-review budget of
``voc analyze`` (segmentation + sentiment well under 40 µs) needs less. The
:class:`BatchScorer` gets the same numbers as the reference path in
:mod:`voc.analysis.sentiment` (``ngram_features`` + ``SentimentLexicon.score``), for a
whole batch of tokenised reviews at once:

1. every token is mapped to an integer id with one dict lookup (tokens no feature
   mentions share id 0);
2. clause boundaries, negation scope, unigram and negated-unigram weights come from
   array lookups and cumulative sums over the flat token array; bigram weights from a
   sorted array of (previous id, id) keys and ``np.searchsorted``;
3. only the few tokens with a lexicon role (sentiment word, negation, degree adverb) go
   through the sequential lexicon rules in Python.

Tests assert the equality with the reference path on real reviews.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

from voc.analysis.packed import LazyArrays, pack_arrays
from voc.analysis.sentiment_features import (
    BIGRAM_SEP,
    NEGATED_NEGATIVE,
    NEGATED_POSITIVE,
    PUNCTUATION,
    WHITESPACE,
    WINDOW,
    SentimentLexicon,
    is_boundary,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["BatchScorer"]

_START, _END = "<s>", "</s>"


class _IntTable:
    """A read-only open-addressing hash table int64 key → float, looked up with numpy.

    ``np.searchsorted`` over ~10⁵ bigram keys costs a cache miss per halving step; a
    hash probe touches one or two slots.
    """

    _MULT = 0x9E3779B97F4A7C15

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        import numpy as np

        n = len(keys)
        bits = max(4, int(np.ceil(np.log2(max(n, 1) * 3))))
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.full(1 << bits, -1, dtype=np.int64)
        self._values = np.zeros(1 << bits)
        slot = self._slots(keys)
        pending = np.arange(n)
        probes = 0
        while len(pending):
            probes += 1
            s = slot[pending]
            free = self._keys[s] == -1
            candidates, cand_slots = pending[free], s[free]
            unique_slots, first = np.unique(cand_slots, return_index=True)
            winners = candidates[first]
            self._keys[unique_slots] = keys[winners]
            self._values[unique_slots] = values[winners]
            placed = np.zeros(n, dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & self._mask
        self._max_probes = max(probes, 1)

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        import numpy as np

        hashed = (keys.astype(np.uint64) * np.uint64(self._MULT)) >> self._shift
        return hashed.astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """Values of ``keys`` (0.0 for absent keys); keys must be non-negative."""
        import numpy as np

        out = np.zeros(len(keys))
        if not len(keys):
            return out
        slot = self._slots(keys)
        active = np.arange(len(keys))
        for _ in range(self._max_probes):
            s = slot[active]
            found_keys = self._keys[s]
            hit = found_keys == keys[active]
            out[active[hit]] = self._values[s[hit]]
            go_on = (found_keys != -1) & ~hit
            active = active[go_on]
            if not len(active):
                break
            slot[active] = (s[go_on] + 1) & self._mask
        return out


#: Bumped when what the scorer's tables mean changes: tables a model file kept in an
#: older layout are rebuilt from the weights, not read.
TABLES_FORMAT = 2  # 2: a negation word listed in degree.txt scales too (一点都不)
# per token id: n-gram weights, boundary/negation/special flags, lexicon value, degree,
# contrast and concession factors, multi-token lexicon starts; then the bigram table
_TABLES = ("uni", "neg", "boundary", "negation", "special", "lexval", "degree", "contrast",
           "concession", "multi_first", "pair_keys", "pair_vals")
_BOOL_TABLES = frozenset({"boundary", "negation", "special", "multi_first"})


def _build_tables(weights: dict[str, float], lexicon: SentimentLexicon) -> tuple[list[str], dict[str, np.ndarray]]:
    """The token names (id order; id 0 is ``""``, any token no feature mentions) and the
    scorer's tables, from the n-gram weights and the lexicon."""
    import numpy as np

    unigram: dict[str, float] = {}
    negated: dict[str, float] = {}
    bigram: dict[tuple[str, str], float] = {}
    for feature, weight in weights.items():
        prev, sep, token = feature.partition(BIGRAM_SEP)
        if sep:
            bigram[(prev, token)] = weight
        elif feature.startswith("!") and len(feature) > 1:
            negated[feature[1:]] = weight
        else:
            unigram[feature] = weight
    special = lexicon._special
    vocab = set(unigram) | set(negated) | special | {t for pair in bigram for t in pair}
    vocab |= {seq[1] for by_second in lexicon._multi.values() for seq, _ in chain.from_iterable(by_second.values())}
    vocab |= PUNCTUATION | WHITESPACE | {"\r\n"}  # boundaries need their own ids
    vocab.discard(_START)
    vocab.discard(_END)
    names = [""] + sorted(vocab)
    size = len(names) + 2  # and the start and end ids
    # each table as one list turned into an array (item by item into numpy costs more)
    names_by_id = names[1:]  # ids 1 .. len(names) - 1; the ids 0, start and end keep the fill
    neg_words, degrees, multi = lexicon.negations, lexicon.degrees, lexicon._multi

    def table(values: list, fill: float | bool, dtype: type = np.float64) -> np.ndarray:
        return np.array([fill, *values, fill, fill], dtype=dtype)

    tables = {
        "uni": table([unigram.get(n, 0.0) for n in names_by_id], 0.0),
        "neg": table([negated.get(n, 0.0) for n in names_by_id], 0.0),
        "boundary": table([is_boundary(n) for n in names_by_id], False, bool),
        "negation": table([n in neg_words for n in names_by_id], False, bool),
        "special": table([n in special for n in names_by_id], False, bool),
        "lexval": table([lexicon._single.get(n, 0.0) for n in names_by_id], 0.0),
        "degree": table([degrees.get(n, 1.0) for n in names_by_id], 1.0),
        "contrast": table([lexicon.contrasts.get(n, 0.0) for n in names_by_id], 0.0),
        "concession": table([lexicon.concessions.get(n, 1.0) for n in names_by_id], 1.0),
        "multi_first": table([n in multi for n in names_by_id], False, bool),
    }
    ids = {name: i for i, name in enumerate(names) if i}
    ids[_START], ids[_END] = len(names), len(names) + 1
    get = ids.get
    pairs = [(i * size + j, w) for (p, t), w in bigram.items()
             if (i := get(p)) is not None and (j := get(t)) is not None]
    keys = np.array([k for k, _ in pairs], dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    tables["pair_keys"] = keys[order]
    tables["pair_vals"] = np.array([w for _, w in pairs], dtype=np.float64)[order]
    return names, tables


def _checked_names(tables: dict[str, np.ndarray]) -> list[str]:
    """The names of saved tables, after checking the tables fit them (ValueError if not)."""
    import numpy as np

    names = np.asarray(tables["names"]).tolist()
    if not names or names[0] != "":
        raise ValueError("scorer tables: no token names")
    size = len(names) + 2
    for key in _TABLES[:-2]:
        table = tables[key]
        want = np.bool_ if key in _BOOL_TABLES else np.float64
        if table.shape != (size,) or table.dtype != want:
            raise ValueError(f"scorer tables: {key} does not fit the names")
    keys, vals = tables["pair_keys"], tables["pair_vals"]
    if (keys.ndim != 1 or keys.shape != vals.shape or keys.dtype != np.int64 or vals.dtype != np.float64
            or (len(keys) and (keys[0] < 0 or keys[-1] >= size * size or np.any(np.diff(keys) < 0)))):
        raise ValueError("scorer tables: bad bigram table")
    return names


class BatchScorer(LazyArrays):
    """Linear log-odds of positive for batches of tokenised texts (two-class models).

    Args:
        weights: n-gram feature name → weight (names as :func:`ngram_features` makes them);
            None when ``tables`` are given.
        lexicon: the sentiment lexicon the model was trained with.
        lexicon_coef: the five lexicon-feature weights.
        intercept: the model intercept.
        tables: :meth:`tables` of a scorer with the same weights and lexicon (checked
            for shape; the caller checks they belong to this lexicon).

    Pickled with its compiled kernel (which pickles its own tables) and its arrays as
    bytes (:mod:`voc.analysis.packed`): a process that loads it scores without numpy;
    the arrays, the bigram hash table and the token names are made again when the numpy
    scorer or :meth:`tables` reads them.
    """

    def __init__(
        self,
        weights: dict[str, float] | None,
        lexicon: SentimentLexicon,
        lexicon_coef: Sequence[float],
        intercept: float,
        *,
        tables: dict[str, np.ndarray] | None = None,
    ) -> None:
        import numpy as np

        self.lexicon = lexicon
        self.lexicon_coef = np.asarray(lexicon_coef, dtype=np.float64)
        self.intercept = float(intercept)
        if tables is None:
            if weights is None:
                raise ValueError("BatchScorer needs the weights or their tables")
            names, tables = _build_tables(weights, lexicon)
        else:
            names = _checked_names(tables)
        self._ids = {name: i for i, name in enumerate(names) if i}
        self._start_id = len(names)
        self._end_id = len(names) + 1
        size = len(names) + 2
        for key in _TABLES:
            setattr(self, f"_{key}", tables[key])
        multi_keys: list[int] = []
        self._multi_candidates: list[list[tuple[tuple[str, ...], float]]] = []
        for first_token, by_second in lexicon._multi.items():
            for second_token, candidates in by_second.items():
                if first_token in self._ids and second_token in self._ids:
                    multi_keys.append(self._ids[first_token] * size + self._ids[second_token])
                    self._multi_candidates.append(candidates)
        multi_order = np.argsort(np.asarray(multi_keys, dtype=np.int64), kind="stable")
        self._multi_keys = np.asarray(multi_keys, dtype=np.int64)[multi_order]
        self._multi_index = multi_order
        self._names = names
        self._size = size
        self._pairs = _IntTable(self._pair_keys, self._pair_vals)
        self._kernel = _compiled_kernel(self)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        # made again when first read (__getattr__): the bigram hash table from the
        # sorted pairs, the names from the ids
        state.pop("_pairs", None)
        state.pop("_names", None)
        return pack_arrays(state)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if state.get("_kernel") is None:
            self._kernel = _compiled_kernel(self)

    def __getattr__(self, name: str) -> Any:
        if name == "_pairs":
            self._pairs = _IntTable(self._pair_keys, self._pair_vals)
            return self._pairs
        if name == "_names":
            names = [""] * (len(self._ids) + 1)
            for token, i in self._ids.items():
                names[i] = token
            self._names = names
            return names
        return super().__getattr__(name)

    def tables(self) -> dict[str, np.ndarray]:
        """The scorer's tables as plain arrays (a model file keeps them, so that loading
        it skips their build: ``BatchScorer(None, lexicon, ..., tables=...)``)."""
        import numpy as np

        out = {key: getattr(self, f"_{key}") for key in _TABLES}
        out["names"] = np.array(self._names, dtype=str)
        return out

    def _pair_weights(self, keys: np.ndarray) -> np.ndarray:
        """Weights of bigram keys (0 for unknown pairs)."""
        return self._pairs.get(keys)

    def decision(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Log-odds of positive for each tokenised text."""
        return self.decision_and_words(token_lists)[0]

    def decision_and_words(self, token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Log-odds of positive, and the number of word (non-punctuation) tokens, per text."""
        if self._kernel is not None:
            import numpy as np

            decision, words = self._kernel.decision_and_words(token_lists)
            return np.array(decision, dtype=np.float64), np.array(words, dtype=np.int64)
        return self.decision_and_words_numpy(token_lists)

    def decision_and_words_lists(self, token_lists: Sequence[Sequence[str]]) -> tuple[list[float], list[int]]:
        """:meth:`decision_and_words` as lists: without numpy when the compiled kernel
        scores (the per-review path of `voc analyze`)."""
        if self._kernel is not None:
            return self._kernel.decision_and_words(token_lists)
        decision, words = self.decision_and_words_numpy(token_lists)
        return decision.tolist(), words.tolist()

    def decision_and_words_numpy(self, token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`decision_and_words` with numpy (the reference for the compiled kernel)."""
        import numpy as np

        n_docs = len(token_lists)
        lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=n_docs)
        flat = list(chain.from_iterable(token_lists))
        total = np.full(n_docs, self.intercept)
        if not flat:
            return total + self.lexicon_coef[4], np.zeros(n_docs, dtype=np.int64)
        ids = np.array(list(map(self._ids.get, flat, repeat(0, len(flat)))), dtype=np.int64)
        doc_of = np.repeat(np.arange(n_docs), lengths)
        doc_start = np.zeros(len(flat), dtype=bool)
        starts = np.cumsum(lengths) - lengths
        doc_start[starts[lengths > 0]] = True

        boundary = self._boundary[ids]
        word = ~boundary
        # a clause starts at a word whose predecessor is a boundary or another document
        prev_boundary = np.empty(len(flat), dtype=bool)
        prev_boundary[0] = True
        prev_boundary[1:] = boundary[:-1]
        clause_start = word & (prev_boundary | doc_start)
        next_boundary = np.empty(len(flat), dtype=bool)
        next_boundary[-1] = True
        next_boundary[:-1] = boundary[1:] | doc_start[1:]
        clause_end = word & next_boundary
        clause_id = np.cumsum(clause_start) - 1
        if not word.any():  # only punctuation and spaces
            return total + self.lexicon_coef[4], np.zeros(n_docs, dtype=np.int64)

        # negation scope: a negation word earlier in the same clause
        is_neg = self._negation[ids] & word
        neg_cum = np.cumsum(is_neg)
        first = np.flatnonzero(clause_start)
        before_clause = (neg_cum - is_neg)[first][clause_id.clip(min=0)]
        scoped = word & ((neg_cum - is_neg) - before_clause > 0)
        uni = np.where(scoped, self._neg[ids], self._uni[ids]) * word

        prev_ids = np.empty_like(ids)
        prev_ids[0] = self._start_id
        prev_ids[1:] = ids[:-1]
        prev_ids[clause_start] = self._start_id
        size = self._size
        pair = self._pair_weights(prev_ids[word] * size + ids[word])
        ends = np.flatnonzero(clause_end)
        end_pair = self._pair_weights(ids[ends] * size + self._end_id)

        total += np.bincount(doc_of, weights=uni, minlength=n_docs)
        total += np.bincount(doc_of[word], weights=pair, minlength=n_docs)
        total += np.bincount(doc_of[ends], weights=end_pair, minlength=n_docs)

        lex = self._lexicon_features(flat, ids, word, doc_of, clause_id, first, ends, n_docs)
        # column by column, not ``lex @ coef``: a matrix product's rounding depends on how
        # many rows the batch has, and a text must score the same in any batch (workers)
        for k, coef in enumerate(self.lexicon_coef.tolist()):
            total += lex[:, k] * coef
        return total, np.bincount(doc_of[word], minlength=n_docs)

    def _multi_matches(
        self, flat: list[str], ids: np.ndarray, word: np.ndarray, clause_id: np.ndarray, clause_last: np.ndarray
    ) -> list[tuple[int, int, float]]:
        """Multi-token sentiment entries found, as (position, length, value), left to right,
        longest first, skipping those that start inside an earlier match."""
        import numpy as np

        if not len(self._multi_keys):
            return []
        cand = np.flatnonzero(self._multi_first[ids[:-1]] & word[:-1] & word[1:])
        cand = cand[clause_id[cand] == clause_id[cand + 1]]
        if not len(cand):
            return []
        keys = ids[cand] * self._size + ids[cand + 1]
        pos = np.searchsorted(self._multi_keys, keys)
        pos[pos == len(self._multi_keys)] = 0
        found = self._multi_keys[pos] == keys
        matches: list[tuple[int, int, float]] = []
        consumed_until = -1
        for i, k in zip(cand[found].tolist(), self._multi_index[pos[found]].tolist(), strict=True):
            if i < consumed_until:
                continue
            stop = int(clause_last[clause_id[i]]) + 1
            for seq, value in self._multi_candidates[k]:
                end = i + len(seq)
                if len(seq) == 2 or (end <= stop and tuple(flat[i:end]) == seq):
                    matches.append((i, len(seq), value))
                    consumed_until = end
                    break
        return matches

    def _lexicon_features(
        self,
        flat: list[str],
        ids: np.ndarray,
        word: np.ndarray,
        doc_of: np.ndarray,
        clause_id: np.ndarray,
        clause_first: np.ndarray,
        clause_last: np.ndarray,
        n_docs: int,
    ) -> np.ndarray:
        """The five lexicon features per document (rules of ``SentimentLexicon.clause_scores``)."""
        import numpy as np

        out = np.zeros((n_docs, 5))
        values = np.where(word, self._lexval[ids], 0.0)
        ends = np.arange(1, len(ids) + 1)
        matches = self._multi_matches(flat, ids, word, clause_id, clause_last)
        if matches:
            consumed = np.zeros(len(ids), dtype=bool)
            for i, length, value in matches:
                values[i] = value
                ends[i] = i + length
                consumed[i + 1 : i + length] = True
            values[consumed] = 0.0
        hits = np.flatnonzero(values)
        if not len(hits):
            out[:, 4] = 1.0
            return out
        hit_clause = clause_id[hits]
        hit_values = values[hits]
        prev_end = np.empty_like(hits)
        prev_end[0] = clause_first[hit_clause[0]]
        prev_end[1:] = ends[hits[:-1]]
        new_clause = np.empty(len(hits), dtype=bool)
        new_clause[0] = True
        new_clause[1:] = hit_clause[1:] != hit_clause[:-1]
        prev_end[new_clause] = clause_first[hit_clause[new_clause]]
        low = np.maximum(prev_end, hits - WINDOW)
        n_neg = np.zeros(len(hits), dtype=np.int64)
        for k in range(1, WINDOW + 1):
            j = hits - k
            valid = j >= low
            window_ids = ids[np.where(valid, j, 0)]
            n_neg += valid & self._negation[window_ids]
            degree = self._degree[window_ids]
            if k > 1:  # a negative multiplier (很少) reaches only the word right after it
                degree = np.where(degree < 0, 1.0, degree)
            hit_values *= np.where(valid, degree, 1.0)
        flip = (n_neg % 2).astype(bool)
        factor = np.where(hit_values > 0, NEGATED_POSITIVE, NEGATED_NEGATIVE)
        hit_values = np.where(flip, -hit_values * factor, hit_values)

        n_clauses = len(clause_first)
        c_pos = np.bincount(hit_clause, weights=np.maximum(hit_values, 0.0), minlength=n_clauses)
        c_neg = np.bincount(hit_clause, weights=np.minimum(hit_values, 0.0), minlength=n_clauses)
        first_ids = ids[clause_first]
        second_ids = ids[np.minimum(clause_first + 1, len(ids) - 1)]
        weight = self._contrast[first_ids]
        second = np.where(clause_last > clause_first, self._contrast[second_ids], 0.0)
        weight = np.where(weight > 0, weight, np.where(second > 0, second, 1.0))
        weight *= self._concession[first_ids]
        clause_doc = doc_of[clause_first]
        out[:, 1] = np.bincount(clause_doc, weights=weight * c_pos, minlength=n_docs)
        out[:, 2] = np.bincount(clause_doc, weights=weight * c_neg, minlength=n_docs)
        per_doc = np.bincount(clause_doc, minlength=n_docs)
        has_clause = per_doc > 0
        last_clause = np.cumsum(per_doc) - 1  # clause ids grow with the document order
        out[has_clause, 3] = (c_pos + c_neg)[last_clause[has_clause]]
        out[:, 4] = np.bincount(doc_of[hits], minlength=n_docs) == 0
        out[:, 0] = out[:, 1] + out[:, 2]
        return out


def _compiled_kernel(scorer: BatchScorer):
    """The compiled per-review scorer with the same tables, or None when it is not
    built (or ``VOC_PURE_PYTHON=1``)."""
    from voc.analysis import compiled

    module = compiled("_sentiment_fast")
    if module is None:
        return None
    return module.ScorerKernel(scorer, NEGATED_POSITIVE, NEGATED_NEGATIVE, WINDOW)
