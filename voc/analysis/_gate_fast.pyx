# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled character gates: does a text contain one of a set of characters, or one
character of a set followed by one of another?

The per-review stages rule most texts out with a cheap pre-check before their real
work (normalisation, the segmenter's protected spans, the safety flag, the product
matcher). As regular expressions those pre-checks cost 0.5-1.3 us each on a
60-character review; one table lookup per character costs about a tenth of that.
:func:`voc.analysis.gate.char_gate` builds a gate from code point ranges and falls back to
the equivalent regular expression when this module is not built.
"""

cimport cython
from libc.stdlib cimport calloc, free, malloc

cdef enum:
    BMP = 0x10000
    SINGLE = 1
    FIRST = 2
    THEN = 4


@cython.final
cdef class CharGate:
    """``search(text)``: True when ``text`` has a character of ``singles``, or a
    character of ``first`` right before one of ``then`` (ranges of code points,
    ``(low, high)`` inclusive)."""

    cdef unsigned char* _bmp   # code point -> SINGLE | FIRST | THEN bits
    cdef list _astral          # (low, high, bits) for ranges above the BMP
    cdef bint _pairs
    cdef tuple _args           # the ranges it was built from (for pickling)

    def __cinit__(self):
        self._bmp = NULL

    def __init__(self, singles, first=(), then=()):
        self._args = (singles, first, then)
        self._bmp = <unsigned char*> calloc(BMP, sizeof(unsigned char))
        if self._bmp == NULL:
            raise MemoryError()
        self._astral = []
        self._pairs = bool(first) and bool(then)
        self._mark(singles, SINGLE)
        if self._pairs:
            self._mark(first, FIRST)
            self._mark(then, THEN)

    def __dealloc__(self):
        free(self._bmp)

    def __reduce__(self):
        return (CharGate, self._args)

    cdef _mark(self, ranges, unsigned char bit):
        cdef long lo, hi, c
        for low, high in ranges:
            lo, hi = low, high
            if lo < 0 or hi > 0x10FFFF or lo > hi:
                raise ValueError(f"bad code point range {low!r}-{high!r}")
            for c in range(lo, min(hi, BMP - 1) + 1):
                self._bmp[c] |= bit
            if hi >= BMP:
                self._astral.append((max(lo, BMP), hi, bit))

    cdef unsigned char _astral_bits(self, Py_UCS4 c):
        cdef unsigned char bits = 0
        cdef long code = <long> c, low, high
        for entry in self._astral:
            low, high = entry[0], entry[1]
            if low <= code <= high:
                bits |= <unsigned char> entry[2]
        return bits

    def search(self, str text):
        cdef Py_UCS4 c
        cdef unsigned char bits, previous = 0
        cdef bint pairs = self._pairs
        cdef unsigned char* bmp = self._bmp
        for c in text:
            bits = bmp[c] if c < BMP else self._astral_bits(c)
            if bits & SINGLE:
                return True
            if pairs and (previous & FIRST) and (bits & THEN):
                return True
            previous = bits
        return False


cdef extern from "Python.h":
    int PyUnicode_KIND(object text)
    void* PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil


cdef enum:
    MAYBE = 1   # a character the gate never rules a text out with
    STARTS = 2  # the first character of a needed string
    FIRST_MAYBE = 0xFFFF


cdef inline unsigned long long _mix(long long key):
    return (<unsigned long long> key) * <unsigned long long> 0x9E3779B97F4A7C15ULL >> 11


@cython.final
cdef class NeedGate:
    """``possible(text)``: the patterns that may match ``text``: those for which every
    clause of their needs (strings one of which each match puts in the text) has one of
    its strings in ``text``; None (any) for a text with a character of ``maybe`` (code
    point ranges). :func:`voc.analysis.gate.need_gate` builds it from
    :func:`voc.analysis.scanner.pattern_needs`.

    The strings are held in a trie (open addressing on ``node << 21 | code point``); a
    text is walked once from each character that starts a string, marking the strings
    found, then the clauses are read."""

    cdef long long* _keys
    cdef int* _vals
    cdef unsigned long long _mask
    cdef int* _word        # node -> string number ending there, or -1
    cdef unsigned char* _kids   # node -> whether a longer string goes on from it
    cdef unsigned short* _first  # BMP character -> its node below the root (0: none), or FIRST_MAYBE
    cdef int _n_nodes
    cdef unsigned char* _bmp
    cdef list _astral      # (low, high) ranges of maybe characters above the BMP
    cdef int* _seen        # string number -> the call that last found it
    cdef int _call
    cdef int _n_words
    cdef int* _word_clauses   # the clauses each string is in, one run after another
    cdef int* _word_start     # string -> its first clause in _word_clauses (n_words + 1)
    cdef int* _clause_seen    # clause -> the call that last found one of its strings
    cdef int _n_clauses
    cdef int* _pattern_start  # pattern -> its first clause (n_patterns + 1)
    cdef int* _clause_pattern  # clause -> its pattern
    cdef int* _pattern_seen    # pattern -> the call that last met one of its clauses
    cdef int* _pattern_met     # pattern -> how many of its clauses that call met
    cdef int _n_patterns
    cdef tuple _args

    def __cinit__(self):
        self._keys = NULL
        self._vals = self._word = self._seen = NULL
        self._word_clauses = self._word_start = self._clause_seen = self._pattern_start = NULL
        self._clause_pattern = self._pattern_seen = self._pattern_met = NULL
        self._bmp = NULL
        self._kids = NULL
        self._first = NULL

    def __init__(self, needs, maybe=()):
        """``needs``: per pattern, its clauses (iterables of non-empty strings);
        ``maybe``: code point ranges ``(low, high)``."""
        needs = [[sorted(set(clause)) for clause in clauses] for clauses in needs]
        maybe = [tuple(r) for r in maybe]
        self._args = (needs, maybe)
        words = {}
        for clauses in needs:
            for clause in clauses:
                if not clause:
                    raise ValueError("an empty clause")
                for w in clause:
                    if not w:
                        raise ValueError("an empty string in a clause")
                    words.setdefault(w, len(words))
        self._n_words = len(words)
        cdef Py_ssize_t n_chars = sum(len(w) for w in words) + 1
        cdef unsigned long long cap = 64
        while cap < <unsigned long long> (n_chars * 2 + 1):
            cap <<= 1
        self._mask = cap - 1
        self._keys = <long long*> malloc(cap * sizeof(long long))
        self._vals = <int*> malloc(cap * sizeof(int))
        self._word = <int*> malloc(n_chars * sizeof(int))
        self._kids = <unsigned char*> calloc(n_chars, sizeof(unsigned char))
        self._first = <unsigned short*> calloc(BMP, sizeof(unsigned short))
        self._seen = <int*> calloc(max(1, len(words)), sizeof(int))
        self._bmp = <unsigned char*> calloc(BMP, sizeof(unsigned char))
        n_clauses = sum(len(c) for c in needs)
        in_clauses = [[] for _ in range(len(words))]
        number = 0
        for clauses in needs:
            for clause in clauses:
                for w in clause:
                    in_clauses[words[w]].append(number)
                number += 1
        self._n_clauses = n_clauses
        self._word_clauses = <int*> malloc(max(1, sum(len(cl) for c in needs for cl in c)) * sizeof(int))
        self._word_start = <int*> malloc((len(words) + 1) * sizeof(int))
        self._clause_seen = <int*> calloc(max(1, n_clauses), sizeof(int))
        self._pattern_start = <int*> malloc((len(needs) + 1) * sizeof(int))
        self._clause_pattern = <int*> malloc(max(1, n_clauses) * sizeof(int))
        self._pattern_seen = <int*> calloc(max(1, len(needs)), sizeof(int))
        self._pattern_met = <int*> calloc(max(1, len(needs)), sizeof(int))
        if (self._clause_pattern == NULL or self._pattern_seen == NULL or self._pattern_met == NULL
                or self._keys == NULL or self._vals == NULL or self._word == NULL or self._seen == NULL
                or self._kids == NULL or self._first == NULL or self._bmp == NULL or self._word_clauses == NULL or self._word_start == NULL
                or self._clause_seen == NULL or self._pattern_start == NULL):
            raise MemoryError()
        cdef unsigned long long i
        for i in range(cap):
            self._keys[i] = -1
        self._word[0] = -1
        self._n_nodes = 1
        self._call = 0
        cdef int node, child
        cdef Py_UCS4 c
        for w, number in words.items():
            node = 0
            for c in <str> w:
                child = self._child(node, c)
                if child < 0:
                    child = self._n_nodes
                    self._n_nodes += 1
                    self._word[child] = -1
                    self._set_child(node, c, child)
                    self._kids[node] = 1
                node = child
            self._word[node] = number
            c = (<str> w)[0]
            if c < BMP:
                self._bmp[c] |= STARTS
        if self._n_nodes >= FIRST_MAYBE:
            raise ValueError("too many strings for the gate")
        for c in range(BMP):
            if self._bmp[c] & STARTS:
                self._first[c] = <unsigned short> self._child(0, c)
        self._astral = []
        cdef long lo, hi, code
        for low, high in maybe:
            lo, hi = low, high
            if lo < 0 or hi > 0x10FFFF or lo > hi:
                raise ValueError(f"bad code point range {low!r}-{high!r}")
            for code in range(lo, min(hi, BMP - 1) + 1):
                self._bmp[code] |= MAYBE
                self._first[code] = FIRST_MAYBE
            if hi >= BMP:
                self._astral.append((max(lo, BMP), hi))
        cdef int k = 0, p = 0, n = 0
        for clauses in needs:
            self._pattern_start[p] = k
            for _ in clauses:
                self._clause_pattern[k] = p
                k += 1
            p += 1
        self._pattern_start[p] = k
        self._n_patterns = p
        for k in range(len(words)):
            self._word_start[k] = n
            for number in in_clauses[k]:
                self._word_clauses[n] = number
                n += 1
        self._word_start[len(words)] = n

    def __dealloc__(self):
        free(self._keys)
        free(self._vals)
        free(self._word)
        free(self._kids)
        free(self._first)
        free(self._seen)
        free(self._bmp)
        free(self._word_clauses)
        free(self._word_start)
        free(self._clause_seen)
        free(self._clause_pattern)
        free(self._pattern_seen)
        free(self._pattern_met)
        free(self._pattern_start)

    def __reduce__(self):
        return (NeedGate, self._args)

    cdef inline int _child(self, int node, Py_UCS4 c) noexcept:
        cdef long long key = ((<long long> node) << 21) | <long long> c
        cdef unsigned long long s = _mix(key) & self._mask
        cdef long long k
        while True:
            k = self._keys[s]
            if k == key:
                return self._vals[s]
            if k == -1:
                return -1
            s = (s + 1) & self._mask

    cdef inline void _set_child(self, int node, Py_UCS4 c, int child) noexcept:
        cdef long long key = ((<long long> node) << 21) | <long long> c
        cdef unsigned long long s = _mix(key) & self._mask
        while self._keys[s] != -1:
            s = (s + 1) & self._mask
        self._keys[s] = key
        self._vals[s] = child

    cdef bint _astral_maybe(self, Py_UCS4 c):
        cdef long code = <long> c, low, high
        for entry in self._astral:
            low, high = entry[0], entry[1]
            if low <= code <= high:
                return True
        return False

    def possible(self, str text):
        """The patterns whose needs are all in ``text``, as a tuple of their numbers in
        order (empty: no pattern can match), or None when ``text`` has a character of
        ``maybe`` (any pattern may match)."""
        cdef Py_ssize_t n = len(text), i, j
        cdef Py_UCS4 c
        cdef unsigned char bits
        cdef int node, call, k, w, p, q
        cdef bint found = False
        if self._call >= 0x7FFFFFF0:  # the marks start again
            for k in range(self._n_words):
                self._seen[k] = 0
            for k in range(self._n_clauses):
                self._clause_seen[k] = 0
            for k in range(self._n_patterns):
                self._pattern_seen[k] = 0
            self._call = 0
        self._call += 1
        call = self._call
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef unsigned short* first = self._first
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c < BMP:
                node = first[c]
                if node == 0:
                    continue
                if node == FIRST_MAYBE:
                    return None
            elif self._astral_maybe(c):
                return None
            else:
                node = self._child(0, c)
                if node < 0:
                    continue
            j = i + 1
            while True:
                w = self._word[node]
                if w >= 0 and self._seen[w] != call:
                    self._seen[w] = call
                    for q in range(self._word_start[w], self._word_start[w + 1]):
                        k = self._word_clauses[q]
                        if self._clause_seen[k] == call:
                            continue
                        self._clause_seen[k] = call
                        p = self._clause_pattern[k]
                        if self._pattern_seen[p] != call:
                            self._pattern_seen[p] = call
                            self._pattern_met[p] = 0
                        self._pattern_met[p] += 1
                        if self._pattern_met[p] == self._pattern_start[p + 1] - self._pattern_start[p]:
                            found = True  # every clause of pattern p is met
                if j >= n or not self._kids[node]:
                    break
                node = self._child(node, PyUnicode_READ(kind, data, j))
                if node < 0:
                    break
                j += 1
        if not found:
            return ()
        out = []
        for p in range(self._n_patterns):
            if (self._pattern_seen[p] == call
                    and self._pattern_met[p] == self._pattern_start[p + 1] - self._pattern_start[p]):
                out.append(p)
        return tuple(out)
