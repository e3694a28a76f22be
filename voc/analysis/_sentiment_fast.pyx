# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled :meth:`voc.analysis.sentiment_fast.BatchScorer.decision_and_words`.

The vectorised numpy scorer walks a whole chunk with ~60 array operations; this walks
each review once, with the same tables (copied from the :class:`BatchScorer`) and the
same rules in the same order, so it gives the same numbers (tests compare them). The
numpy version stays the reference and the fallback when this module is not built.

The kernel pickles as its C tables' bytes (:func:`_from_state` copies them back), so
that a process that loads a cached analyzer neither rebuilds them nor imports numpy;
it returns plain lists.
"""

from voc.analysis._state cimport copied
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy
from libc.stdint cimport int64_t, uint64_t

cdef int WINDOW = 2
cdef double NEGATED_POSITIVE = 0.9
cdef double NEGATED_NEGATIVE = 0.8


cdef class ScorerKernel:
    """Built from a :class:`voc.analysis.sentiment_fast.BatchScorer`."""

    cdef dict _ids
    cdef int _size, _start_id, _end_id
    cdef Py_ssize_t _n_table  # entries of each per-id table
    cdef double* _uni
    cdef double* _neg
    cdef char* _boundary
    cdef char* _negation
    cdef double* _lexval
    cdef double* _degree
    cdef double* _contrast
    cdef double* _concession
    cdef char* _multi_first
    cdef double _intercept
    cdef double _coef[5]
    # bigram weights: open addressing, key = prev * size + id
    cdef int64_t* _pkeys
    cdef double* _pvals
    cdef uint64_t _pmask
    # multi-token lexicon entries: sorted keys -> candidate lists
    cdef int64_t* _mkeys
    cdef int _n_mkeys
    cdef list _mcands
    # per-review scratch
    cdef int* _tid
    cdef double* _val
    cdef int* _end
    cdef int _cap

    def __cinit__(self):
        self._uni = self._neg = self._lexval = self._degree = self._contrast = self._concession = NULL
        self._boundary = self._negation = self._multi_first = NULL
        self._pkeys = NULL
        self._pvals = NULL
        self._mkeys = NULL
        self._tid = NULL
        self._val = NULL
        self._end = NULL
        self._cap = 0
        self._n_table = 0
        self._n_mkeys = 0
        self._pmask = 0

    def __init__(self, scorer, double negated_positive, double negated_negative, int window):
        import numpy as np  # the scorer's tables are numpy arrays (a loaded kernel needs none)

        global NEGATED_POSITIVE, NEGATED_NEGATIVE, WINDOW
        NEGATED_POSITIVE, NEGATED_NEGATIVE, WINDOW = negated_positive, negated_negative, window
        self._ids = scorer._ids  # read only, shared (and pickled once) with the scorer
        self._size = scorer._size
        self._start_id = scorer._start_id
        self._end_id = scorer._end_id
        self._n_table = len(scorer._uni)
        for table in (scorer._neg, scorer._lexval, scorer._degree, scorer._contrast, scorer._concession,
                      scorer._boundary, scorer._negation, scorer._multi_first):
            if len(table) != self._n_table:
                raise ValueError("scorer tables of different lengths")
        self._uni = _doubles(np.ascontiguousarray(scorer._uni, dtype=np.float64))
        self._neg = _doubles(np.ascontiguousarray(scorer._neg, dtype=np.float64))
        self._lexval = _doubles(np.ascontiguousarray(scorer._lexval, dtype=np.float64))
        self._degree = _doubles(np.ascontiguousarray(scorer._degree, dtype=np.float64))
        self._contrast = _doubles(np.ascontiguousarray(scorer._contrast, dtype=np.float64))
        self._concession = _doubles(np.ascontiguousarray(scorer._concession, dtype=np.float64))
        self._boundary = _flags(np.ascontiguousarray(scorer._boundary, dtype=np.uint8))
        self._negation = _flags(np.ascontiguousarray(scorer._negation, dtype=np.uint8))
        self._multi_first = _flags(np.ascontiguousarray(scorer._multi_first, dtype=np.uint8))
        self._intercept = scorer.intercept
        cdef int i
        for i in range(5):
            self._coef[i] = float(scorer.lexicon_coef[i])
        # typed views: indexing the arrays themselves made a numpy scalar per entry
        # (65,000 pairs: about 20 ms of every start-up)
        cdef const int64_t[::1] keys = np.ascontiguousarray(scorer._pair_keys, dtype=np.int64)
        cdef const double[::1] vals = np.ascontiguousarray(scorer._pair_vals, dtype=np.float64)
        cdef uint64_t cap = 16
        while cap < <uint64_t> (len(keys) * 2 + 1):
            cap <<= 1
        self._pmask = cap - 1
        self._pkeys = <int64_t*> malloc(cap * sizeof(int64_t))
        self._pvals = <double*> malloc(cap * sizeof(double))
        if self._pkeys == NULL or self._pvals == NULL:
            raise MemoryError()
        cdef uint64_t s
        for i in range(<int> cap):
            self._pkeys[i] = -1
            self._pvals[i] = 0.0
        cdef int64_t k
        for i in range(keys.shape[0]):
            k = keys[i]
            s = _hash(k) & self._pmask
            while self._pkeys[s] != -1 and self._pkeys[s] != k:
                s = (s + 1) & self._pmask
            if self._pkeys[s] == -1:  # the first of equal keys wins, as in the sorted array
                self._pkeys[s] = k
                self._pvals[s] = vals[i]
        cdef const int64_t[::1] mkeys = np.ascontiguousarray(scorer._multi_keys, dtype=np.int64)
        self._n_mkeys = mkeys.shape[0]
        self._mkeys = <int64_t*> malloc(max(1, self._n_mkeys) * sizeof(int64_t))
        if self._mkeys == NULL:
            raise MemoryError()
        for i in range(self._n_mkeys):
            self._mkeys[i] = mkeys[i]
        order = scorer._multi_index.tolist()
        self._mcands = [scorer._multi_candidates[j] for j in order]

    def __reduce__(self):
        cdef Py_ssize_t n = self._n_table, cap = <Py_ssize_t> (self._pmask + 1)
        cdef Py_ssize_t d = sizeof(double), i, used = 0
        # the bigram table's used slots only (a quarter of them), inserted again by _from_state
        for i in range(cap):
            used += self._pkeys[i] != -1
        cdef int64_t* keys = <int64_t*> malloc(max(1, used) * sizeof(int64_t))
        cdef double* vals = <double*> malloc(max(1, used) * sizeof(double))
        if keys == NULL or vals == NULL:
            free(keys)
            free(vals)
            raise MemoryError()
        # in slot order from just after an empty slot, so that no run of probed slots wraps
        # around the table's end: inserted again in that order, every key lands where it was
        # (the pickled bytes stay the same however often a kernel is pickled and read back)
        cdef Py_ssize_t empty = 0, at
        while empty < cap and self._pkeys[empty] != -1:
            empty += 1
        used = 0
        for i in range(1, cap + 1):
            at = (empty + i) & (cap - 1)
            if self._pkeys[at] != -1:
                keys[used] = self._pkeys[at]
                vals[used] = self._pvals[at]
                used += 1
        try:
            pair_keys, pair_vals = (<char*> keys)[:used * sizeof(int64_t)], (<char*> vals)[:used * d]
        finally:
            free(keys)
            free(vals)
        tables = ((<char*> self._uni)[:n * d], (<char*> self._neg)[:n * d], (<char*> self._lexval)[:n * d],
                  (<char*> self._degree)[:n * d], (<char*> self._contrast)[:n * d],
                  (<char*> self._concession)[:n * d])
        flags = (self._boundary[:n], self._negation[:n], self._multi_first[:n])
        coef = (self._coef[0], self._coef[1], self._coef[2], self._coef[3], self._coef[4])
        state = (self._ids, self._size, self._start_id, self._end_id, n, tables, flags, self._intercept, coef,
                 self._pmask, pair_keys, pair_vals,
                 self._n_mkeys, (<char*> self._mkeys)[:self._n_mkeys * sizeof(int64_t)], self._mcands,
                 NEGATED_POSITIVE, NEGATED_NEGATIVE, WINDOW)
        return (_from_state, (state,))

    def __dealloc__(self):
        free(self._uni); free(self._neg); free(self._lexval); free(self._degree)
        free(self._contrast); free(self._concession); free(self._boundary); free(self._negation)
        free(self._multi_first); free(self._pkeys); free(self._pvals); free(self._mkeys)
        free(self._tid); free(self._val); free(self._end)

    cdef inline double _pair(self, int64_t key):
        cdef uint64_t s = _hash(key) & self._pmask
        cdef int64_t k
        while True:
            k = self._pkeys[s]
            if k == key:
                return self._pvals[s]
            if k == -1:
                return 0.0
            s = (s + 1) & self._pmask

    cdef int _multi(self, int64_t key):
        """Position of key in the sorted multi keys (the first equal one), or -1."""
        cdef int lo = 0, hi = self._n_mkeys, mid
        while lo < hi:
            mid = (lo + hi) >> 1
            if self._mkeys[mid] < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < self._n_mkeys and self._mkeys[lo] == key:
            return lo
        return -1

    cdef int _grow(self, int n) except -1:
        if n <= self._cap:
            return 0
        cdef int cap = n * 2
        self._tid = <int*> realloc(self._tid, cap * sizeof(int))
        self._val = <double*> realloc(self._val, cap * sizeof(double))
        self._end = <int*> realloc(self._end, cap * sizeof(int))
        if self._tid == NULL or self._val == NULL or self._end == NULL:
            raise MemoryError()
        self._cap = cap
        return 0

    def decision_and_words(self, token_lists):
        """Log-odds of positive and the number of word tokens, per tokenised text (two
        lists)."""
        cdef Py_ssize_t n_docs = len(token_lists)
        cdef list decision = [None] * n_docs
        cdef list words = [None] * n_docs
        cdef Py_ssize_t d
        cdef int n_words
        for d in range(n_docs):
            decision[d] = self._doc(token_lists[d], &n_words)
            words[d] = n_words
        return decision, words

    cdef double _doc(self, object tokens, int* n_words_out) except? -1e300:
        cdef list toks = tokens if type(tokens) is list else list(tokens)
        cdef Py_ssize_t n = len(toks)
        n_words_out[0] = 0
        cdef double lex[5]
        lex[0] = lex[1] = lex[2] = lex[3] = 0.0
        lex[4] = 1.0
        if n == 0:
            return self._intercept + self._coef[4]
        self._grow(<int> n + 1)
        cdef int* tid = self._tid
        cdef double* val = self._val
        cdef int* endp = self._end
        cdef dict ids = self._ids
        cdef Py_ssize_t i
        cdef object found
        for i in range(n):
            found = ids.get(toks[i])
            tid[i] = 0 if found is None else <int> found
        cdef char* boundary = self._boundary
        cdef char* negation = self._negation
        cdef int64_t size = self._size
        cdef double ngram = 0.0, pair_sum = 0.0, end_sum = 0.0
        cdef int n_words = 0, n_hits = 0
        cdef Py_ssize_t c_first, c_last, j, k, stop, consumed_until, low, h, prev_end
        cdef int m, length, t
        cdef bint negated_scope
        cdef double v, d, c_pos, c_neg, weight, second, last_clause_sum = 0.0
        cdef bint any_clause = False
        cdef int n_neg
        cdef tuple seq
        i = 0
        while i < n:
            if boundary[tid[i]]:
                i += 1
                continue
            # a clause: tokens c_first..c_last, all words
            c_first = i
            while i + 1 < n and not boundary[tid[i + 1]]:
                i += 1
            c_last = i
            i += 1
            # n-grams: unigrams (negated after a negation word), bigrams, end bigram
            negated_scope = False
            for j in range(c_first, c_last + 1):
                t = tid[j]
                n_words += 1
                if negated_scope:
                    ngram += self._neg[t]
                else:
                    ngram += self._uni[t]
                if negation[t]:
                    negated_scope = True
                if j == c_first:
                    pair_sum += self._pair(self._start_id * size + t)
                else:
                    pair_sum += self._pair(tid[j - 1] * size + t)
            end_sum += self._pair(tid[c_last] * size + self._end_id)
            # lexicon values, multi-token entries first
            for j in range(c_first, c_last + 1):
                val[j] = self._lexval[tid[j]]
                endp[j] = <int> j + 1
            if self._n_mkeys:
                consumed_until = -1
                stop = c_last + 1
                for j in range(c_first, c_last):
                    if not self._multi_first[tid[j]] or j < consumed_until:
                        continue
                    m = self._multi(tid[j] * size + tid[j + 1])
                    if m < 0:
                        continue
                    for cand in self._mcands[m]:
                        seq = cand[0]
                        length = len(seq)
                        if length == 2 or (j + length <= stop and _same(toks, j, seq)):
                            val[j] = cand[1]
                            endp[j] = <int> (j + length)
                            for k in range(j + 1, j + length):
                                val[k] = 0.0
                            consumed_until = j + length
                            break
            # sentiment hits: negation and degree words in the window before each
            c_pos = c_neg = 0.0
            prev_end = c_first
            for h in range(c_first, c_last + 1):
                v = val[h]
                if v == 0.0:
                    continue
                n_hits += 1
                low = prev_end if prev_end > h - WINDOW else h - WINDOW
                n_neg = 0
                for k in range(1, WINDOW + 1):
                    j = h - k
                    if j >= low:
                        n_neg += negation[tid[j]]
                        d = self._degree[tid[j]]
                        if d < 0 and k > 1:  # a negative multiplier (很少) reaches only the next word
                            d = 1.0
                        v *= d
                if n_neg % 2:
                    v = -v * (NEGATED_POSITIVE if v > 0 else NEGATED_NEGATIVE)
                if v > 0:
                    c_pos += v
                else:
                    c_neg += v
                prev_end = endp[h]
            weight = self._contrast[tid[c_first]]
            second = self._contrast[tid[c_first + 1]] if c_last > c_first else 0.0
            if not weight > 0:
                weight = second if second > 0 else 1.0
            weight *= self._concession[tid[c_first]]
            lex[1] += weight * c_pos
            lex[2] += weight * c_neg
            last_clause_sum = c_pos + c_neg
            any_clause = True
        n_words_out[0] = n_words
        if any_clause:
            lex[3] = last_clause_sum
        lex[4] = 1.0 if n_hits == 0 else 0.0
        lex[0] = lex[1] + lex[2]
        cdef double total = self._intercept
        total += ngram
        total += pair_sum
        total += end_sum
        return total + (lex[0] * self._coef[0] + lex[1] * self._coef[1] + lex[2] * self._coef[2]
                        + lex[3] * self._coef[3] + lex[4] * self._coef[4])


cdef inline uint64_t _hash(int64_t key):
    return (<uint64_t> key) * <uint64_t> 0x9E3779B97F4A7C15ULL >> 17


cdef bint _same(list toks, Py_ssize_t at, tuple seq):
    cdef Py_ssize_t k
    for k in range(len(seq)):
        if toks[at + k] != seq[k]:
            return False
    return True


cdef double* _doubles(const double[::1] view) except NULL:
    cdef Py_ssize_t n = view.shape[0], i
    cdef double* out = <double*> malloc(max(1, n) * sizeof(double))
    if out == NULL:
        raise MemoryError()
    for i in range(n):
        out[i] = view[i]
    return out


cdef char* _flags(const unsigned char[::1] view) except NULL:
    cdef Py_ssize_t n = view.shape[0], i
    cdef char* out = <char*> malloc(max(1, n) * sizeof(char))
    if out == NULL:
        raise MemoryError()
    for i in range(n):
        out[i] = view[i]
    return out


cdef inline void* _copied(bytes data, Py_ssize_t want) except NULL:
    return copied(data, want, "sentiment")


def _from_state(tuple state):
    """A kernel from :meth:`ScorerKernel.__reduce__`'s state: its tables copied back."""
    global NEGATED_POSITIVE, NEGATED_NEGATIVE, WINDOW
    cdef ScorerKernel k = ScorerKernel.__new__(ScorerKernel)
    (ids, size, start_id, end_id, n, tables, flags, intercept, coef, pmask, pkeys, pvals, n_mkeys, mkeys, mcands,
     negated_positive, negated_negative, window) = state
    k._ids = ids
    k._size, k._start_id, k._end_id, k._n_table = size, start_id, end_id, n
    cdef Py_ssize_t d = sizeof(double)
    k._uni = <double*> _copied(tables[0], n * d)
    k._neg = <double*> _copied(tables[1], n * d)
    k._lexval = <double*> _copied(tables[2], n * d)
    k._degree = <double*> _copied(tables[3], n * d)
    k._contrast = <double*> _copied(tables[4], n * d)
    k._concession = <double*> _copied(tables[5], n * d)
    k._boundary = <char*> _copied(flags[0], n)
    k._negation = <char*> _copied(flags[1], n)
    k._multi_first = <char*> _copied(flags[2], n)
    k._intercept = intercept
    cdef int i
    for i in range(5):
        k._coef[i] = coef[i]
    k._pmask = pmask
    cdef uint64_t cap = pmask + 1, s
    cdef Py_ssize_t used = len(pkeys) // sizeof(int64_t), j
    if (pmask & cap) or len(pkeys) % sizeof(int64_t) or len(pvals) != used * d or <uint64_t> used * 2 > cap:
        raise ValueError("a damaged sentiment kernel state")
    k._pkeys = <int64_t*> malloc(cap * sizeof(int64_t))
    k._pvals = <double*> malloc(cap * d)
    if k._pkeys == NULL or k._pvals == NULL:
        raise MemoryError()
    for s in range(cap):
        k._pkeys[s] = -1
        k._pvals[s] = 0.0
    cdef const int64_t* keys = <const int64_t*> (<const char*> pkeys)
    cdef const double* vals = <const double*> (<const char*> pvals)
    cdef int64_t key
    for j in range(used):  # distinct keys: where each lands does not change what it finds
        key = keys[j]
        s = _hash(key) & k._pmask
        while k._pkeys[s] != -1:
            s = (s + 1) & k._pmask
        k._pkeys[s] = key
        k._pvals[s] = vals[j]
    k._n_mkeys = n_mkeys
    k._mkeys = <int64_t*> _copied(mkeys, n_mkeys * sizeof(int64_t))
    k._mcands = mcands
    NEGATED_POSITIVE, NEGATED_NEGATIVE, WINDOW = negated_positive, negated_negative, window
    return k
