# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled word segmentation: jieba-rs's ``Jieba.cut(text, hmm=False)``, tokens included.

:class:`voc.analysis.segment.Segmenter` cuts with ``rjieba`` (the Rust port of jieba) when
this module is not built; this is the same algorithm over the same dictionary, without
the regex splitting, the per-call allocations and the conversion of every Rust string:

* the dictionary is jieba's ``dict.txt`` (``word freq [tag]`` lines; a repeated word
  keeps its last frequency; the total is the sum over distinct words), held as a trie
  (open addressing on ``node << 21 | code point``, with a direct table for the root's
  children in the Basic Multilingual Plane);
* :meth:`SegmentKernel.add_word` and :meth:`SegmentKernel.suggest_freq` follow
  jieba-rs (an existing word's frequency is replaced and the total corrected);
* :meth:`SegmentKernel.cut` splits text into blocks of CJK, ASCII letters, digits and
  ``+#&._%-``; every other character is a token of its own (``\\r\\n`` one token); a
  block is cut on the most probable route (each word ``log(freq) - log(total)``, a
  character no word covers ``log(1) - log(total)``, ties to the longer word) and runs of
  single ASCII letters and digits are merged into one token.

``tests/test_kernels.py`` compares the tokens with rjieba's on real and generated
reviews, user words included. An instance is not thread-safe (it cuts in its own scratch
buffers); ``voc analyze`` runs workers as processes, each with its own.
"""

from cpython.buffer cimport PyBUF_WRITABLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.list cimport PyList_New, PyList_SET_ITEM
from cpython.mem cimport PyMem_Free
from cpython.ref cimport Py_INCREF, Py_XDECREF, PyObject
from libc.math cimport exp, log
from libc.stdint cimport int64_t, uint64_t
from libc.stdlib cimport calloc, free, malloc, realloc
from libc.string cimport memcpy

cdef extern from "Python.h":
    Py_UCS4* PyUnicode_AsUCS4Copy(object) except NULL


cdef enum:
    ROOT = 0x10000  # direct child table of the root for code points below this

#: The layout :meth:`SegmentKernel.dump` writes (bumped when it changes: a dump of
#: another layout is refused, and the caller builds the dictionary again).
DUMP_FORMAT = 2  # 2: room for more nodes after the dictionary's (user words)
_MAGIC = b"VOCSEG\x00\x02"
cdef Py_ssize_t _HEAD = len(_MAGIC) + 40  # the magic and five int64 fields


def _dump_header(bytes head, Py_ssize_t length=-1):
    """``(cap, used, nodes, total, room)`` of a dump's header (``room``: the nodes its
    node arrays hold, ``nodes`` of them used), after checking the dump's length
    (``length``: the whole dump's, when ``head`` is only its start); ValueError for
    anything else."""
    if length < 0:
        length = len(head)
    if len(head) < _HEAD or length < _HEAD or head[:len(_MAGIC)] != _MAGIC:
        raise ValueError("not a segmenter dump of this version")
    cap, used, n, total, room = [
        int.from_bytes(head[len(_MAGIC) + 8 * i:len(_MAGIC) + 8 * (i + 1)], "little", signed=True) for i in range(5)]
    if (cap < 1024 or cap & (cap - 1) or not 0 <= used <= cap // 2 or not 1 <= n <= room or room >= 2 ** 31
            or total < 0):
        raise ValueError("not a segmenter dump of this version")
    cdef Py_ssize_t want = (_HEAD + cap * sizeof(int64_t) + cap * sizeof(int) + ROOT * sizeof(int)
                            + room * sizeof(int64_t) + room * sizeof(double))
    if length != want:
        raise ValueError("a truncated segmenter dump")
    return cap, used, n, total, room


cdef class SegmentKernel:
    """A jieba dictionary and the cutter over it."""

    cdef int64_t* _tkeys    # (node << 21 | code point) -> child, open addressing
    cdef int* _tvals
    cdef uint64_t _tmask
    cdef uint64_t _tused
    cdef int* _root          # code point -> child of the root (BMP), or -1
    cdef int64_t* _freq      # node -> frequency of the word ending there, or -1
    cdef double* _logp       # node -> log(freq), valid when not _dirty
    cdef double _logtotal    # log(total)
    cdef PyObject** _strs    # node -> its word as a str, made on first use (tokens share it)
    cdef PyObject** _chars   # code point -> a one-character str, for characters no word covers
    cdef int _n_nodes
    cdef int _cap_nodes
    cdef int64_t _total
    cdef double _w_unknown
    cdef bint _dirty
    cdef Py_UCS4* _buf       # scratch: the text being cut
    cdef double* _rp         # route probability from each position
    cdef int* _re            # route: end of the word starting at each position
    cdef int* _rn            # route: node of that word, or -1 for a character no word covers
    cdef int* _ps            # piece starts and ends
    cdef int* _pe
    cdef int* _pn            # piece node: a word's node, -1 one character, -2 anything else
    cdef int _scap
    cdef Py_buffer _view     # from_buffer: the mapped dump the tables point into
    cdef bint _viewing       # _view is held (released by __dealloc__)
    cdef bint _borrowed_table  # _tkeys, _tvals and _root point into _view (not freed)
    cdef bint _borrowed_nodes  # _freq and _logp point into _view (copied before they grow)

    def __cinit__(self):
        self._tkeys = NULL
        self._tvals = NULL
        self._root = NULL
        self._freq = NULL
        self._logp = NULL
        self._strs = NULL
        self._chars = NULL
        self._buf = NULL
        self._rp = NULL
        self._re = NULL
        self._rn = NULL
        self._ps = NULL
        self._pe = NULL
        self._pn = NULL
        self._scap = 0
        self._viewing = False
        self._borrowed_table = False
        self._borrowed_nodes = False

    def __init__(self, str dictionary):
        """``dictionary``: the text of a jieba dictionary file (``word freq [tag]`` lines)."""
        cdef Py_ssize_t n = len(dictionary)
        cdef uint64_t cap = 1024
        while cap < <uint64_t> (n // 2 + 1):  # about one trie edge per character of words
            cap <<= 1
        self._tused = 0
        self._allocate(cap, <int> (n // 2 + 16))
        cdef uint64_t k
        for k in range(cap):
            self._tkeys[k] = -1
        cdef int r
        for r in range(ROOT):
            self._root[r] = -1
        self._freq[0] = -1
        self._n_nodes = 1
        self._load(dictionary)
        self._total = 0
        for r in range(self._n_nodes):
            if self._freq[r] > 0:
                self._total += self._freq[r]
        self._dirty = True
        self._grow_scratch(256)

    cdef int _allocate(self, uint64_t cap, int cap_nodes) except -1:
        """The trie's table of ``cap`` slots (a power of two) and room for ``cap_nodes``
        nodes (contents unset, apart from the cleared string caches)."""
        self._tmask = cap - 1
        self._cap_nodes = cap_nodes
        self._tkeys = <int64_t*> malloc(cap * sizeof(int64_t))
        self._tvals = <int*> malloc(cap * sizeof(int))
        self._root = <int*> malloc(ROOT * sizeof(int))
        self._freq = <int64_t*> malloc(cap_nodes * sizeof(int64_t))
        self._logp = <double*> malloc(cap_nodes * sizeof(double))
        self._strs = <PyObject**> calloc(cap_nodes, sizeof(PyObject*))
        self._chars = <PyObject**> calloc(ROOT, sizeof(PyObject*))
        if (self._tkeys == NULL or self._tvals == NULL or self._root == NULL or self._freq == NULL
                or self._logp == NULL or self._strs == NULL or self._chars == NULL):
            raise MemoryError()
        return 0

    def dump(self, Py_ssize_t spare_nodes=0):
        """The built dictionary as bytes, for :meth:`from_buffer` (a cache: building
        the trie from ``dict.txt`` costs about 90 ms, mapping a dump file back next to
        nothing). ``spare_nodes``: room for that many more nodes (the words added to a
        mapped dump, the user dictionary's, go there: its 8 MB of node arrays are not
        copied out of the map for them)."""
        if self._dirty:
            self._refresh()
        if spare_nodes < 0:
            raise ValueError("spare_nodes < 0")
        cdef uint64_t cap = self._tmask + 1
        cdef Py_ssize_t n = self._n_nodes
        header = _MAGIC + b"".join(int(v).to_bytes(8, "little", signed=True)
                                   for v in (cap, self._tused, n, self._total, n + spare_nodes))
        spare = bytes(spare_nodes * sizeof(int64_t))  # a spare node's fields are set when it is made
        return b"".join([
            header,
            (<char*> self._tkeys)[:cap * sizeof(int64_t)],
            (<char*> self._tvals)[:cap * sizeof(int)],
            (<char*> self._root)[:ROOT * sizeof(int)],
            (<char*> self._freq)[:n * sizeof(int64_t)], spare,
            (<char*> self._logp)[:n * sizeof(double)], spare,
        ])

    def __reduce__(self):
        # pickled as its dump (a lexicon scanner's phrase dictionary: small; the segmenter
        # leaves its jieba dictionary out of its own pickle and maps it back)
        return (_from_dump, (self.dump(),))

    @staticmethod
    def from_dump(bytes data):
        """A kernel from :meth:`dump`'s bytes (of this build), copied once: the
        :meth:`from_buffer` of a private copy. Raises ValueError for bytes of another
        layout, truncated or not a dump at all."""
        return SegmentKernel.from_buffer(bytearray(data))

    @staticmethod
    def from_buffer(buffer):
        """A kernel over :meth:`dump`'s bytes in a writable buffer, without copying them:
        a private (copy-on-write) memory map of a dump file, so that only the pages a
        cut touches are read, and forked processes share them. The kernel holds the
        buffer until it is freed; a table that must grow (a new word) is copied out
        first. Raises ValueError as :meth:`from_dump` does."""
        cdef SegmentKernel k = SegmentKernel.__new__(SegmentKernel)
        PyObject_GetBuffer(buffer, &k._view, PyBUF_WRITABLE)
        k._viewing = True
        cdef char* src = <char*> k._view.buf
        cdef uint64_t cap
        cdef Py_ssize_t n
        cap, used, n, total, room = _dump_header((<char*> k._view.buf)[:min(_HEAD, k._view.len)], k._view.len)
        if (<size_t> src) % sizeof(int64_t):
            raise ValueError("a segmenter dump not aligned in memory")
        k._tused = used
        k._n_nodes = <int> n
        k._cap_nodes = <int> room
        k._total = total
        k._tmask = cap - 1
        cdef Py_ssize_t at = _HEAD
        k._tkeys = <int64_t*> (src + at)
        at += cap * sizeof(int64_t)
        k._tvals = <int*> (src + at)
        at += cap * sizeof(int)
        k._root = <int*> (src + at)
        at += ROOT * sizeof(int)
        k._freq = <int64_t*> (src + at)
        at += room * sizeof(int64_t)
        k._logp = <double*> (src + at)
        k._borrowed_table = True
        k._borrowed_nodes = True
        k._strs = <PyObject**> calloc(room, sizeof(PyObject*))
        k._chars = <PyObject**> calloc(ROOT, sizeof(PyObject*))
        if k._strs == NULL or k._chars == NULL:
            raise MemoryError()
        k._ready()
        return k

    cdef int _ready(self) except -1:
        """After the tables of a dump are in place."""
        self._set_total_log()
        self._dirty = False
        self._grow_scratch(256)
        return 0

    cdef int _own_nodes(self, int cap) except -1:
        """Copy the node arrays out of the mapped dump, with room for ``cap`` nodes."""
        cdef int64_t* freq = <int64_t*> malloc(cap * sizeof(int64_t))
        cdef double* logp = <double*> malloc(cap * sizeof(double))
        if freq == NULL or logp == NULL:
            free(freq)
            free(logp)
            raise MemoryError()
        memcpy(freq, self._freq, self._n_nodes * sizeof(int64_t))
        memcpy(logp, self._logp, self._n_nodes * sizeof(double))
        self._freq, self._logp = freq, logp
        self._borrowed_nodes = False
        return 0

    def __dealloc__(self):
        cdef int i
        if self._strs != NULL:
            for i in range(self._n_nodes):
                Py_XDECREF(self._strs[i])
        if self._chars != NULL:
            for i in range(ROOT):
                Py_XDECREF(self._chars[i])
        free(self._strs)
        free(self._chars)
        if not self._borrowed_table:
            free(self._tkeys)
            free(self._tvals)
            free(self._root)
        if not self._borrowed_nodes:
            free(self._freq)
            free(self._logp)
        if self._viewing:
            PyBuffer_Release(&self._view)
        free(self._buf)
        free(self._rp)
        free(self._re)
        free(self._rn)
        free(self._ps)
        free(self._pe)
        free(self._pn)

    # -- dictionary ---------------------------------------------------------------
    cdef int _load(self, str text) except -1:
        """Every ``word freq`` line (split at whitespace, as jieba-rs does)."""
        cdef Py_ssize_t n = len(text), i = 0, a, b
        cdef int64_t freq
        cdef int node
        cdef Py_UCS4* t = PyUnicode_AsUCS4Copy(text)  # a plain array: no str indexing per character
        try:
            while i < n:
                while i < n and _space(t[i]):  # blank lines and leading blanks
                    i += 1
                a = i
                while i < n and not _space(t[i]):
                    i += 1
                b = i
                while i < n and (t[i] == u' ' or t[i] == u'\t'):
                    i += 1
                freq = 0
                while i < n and u'0' <= t[i] <= u'9':
                    freq = freq * 10 + (<int64_t> t[i] - 48)
                    i += 1
                while i < n and t[i] != u'\n':  # the tag
                    i += 1
                if b > a:
                    node = self._insert(t, a, b)
                    self._freq[node] = freq
        finally:
            PyMem_Free(t)
        return 0

    cdef int _insert(self, const Py_UCS4* word, Py_ssize_t a, Py_ssize_t b) except -1:
        """The node of ``word[a:b]``, created with its missing prefixes."""
        cdef int node = 0, child
        cdef Py_ssize_t i
        cdef Py_UCS4 c
        for i in range(a, b):
            c = word[i]
            child = self._child(node, c)
            if child < 0:
                child = self._new_node()
                self._set_child(node, c, child)
            node = child
        return node

    cdef int _new_node(self) except -1:
        cdef int cap, i
        if self._n_nodes == self._cap_nodes:
            cap = self._cap_nodes * 2
            if self._borrowed_nodes:  # out of the mapped dump, with room for user words
                cap = self._cap_nodes + 4096
                self._own_nodes(cap)
            self._freq = <int64_t*> realloc(self._freq, cap * sizeof(int64_t))
            self._logp = <double*> realloc(self._logp, cap * sizeof(double))
            self._strs = <PyObject**> realloc(self._strs, cap * sizeof(PyObject*))
            if self._freq == NULL or self._logp == NULL or self._strs == NULL:
                raise MemoryError()
            for i in range(self._cap_nodes, cap):
                self._strs[i] = NULL
            self._cap_nodes = cap
        self._freq[self._n_nodes] = -1
        self._n_nodes += 1
        return self._n_nodes - 1

    cdef inline int _child(self, int node, Py_UCS4 c):
        if node == 0 and c < ROOT:
            return self._root[c]
        cdef int64_t key = ((<int64_t> node) << 21) | <int64_t> c
        cdef uint64_t s = _hash(key) & self._tmask
        cdef int64_t k
        while True:
            k = self._tkeys[s]
            if k == key:
                return self._tvals[s]
            if k == -1:
                return -1
            s = (s + 1) & self._tmask

    cdef int _set_child(self, int node, Py_UCS4 c, int child) except -1:
        if node == 0 and c < ROOT:
            self._root[c] = child
            return 0
        if (self._tused + 1) * 2 > self._tmask + 1:
            self._rehash()
        cdef int64_t key = ((<int64_t> node) << 21) | <int64_t> c
        cdef uint64_t s = _hash(key) & self._tmask
        while self._tkeys[s] != -1:
            s = (s + 1) & self._tmask
        self._tkeys[s] = key
        self._tvals[s] = child
        self._tused += 1
        return 0

    cdef int _rehash(self) except -1:
        cdef uint64_t old_cap = self._tmask + 1, cap = old_cap * 2, i, s
        cdef int64_t* keys = self._tkeys
        cdef int* vals = self._tvals
        self._tkeys = <int64_t*> malloc(cap * sizeof(int64_t))
        self._tvals = <int*> malloc(cap * sizeof(int))
        if self._tkeys == NULL or self._tvals == NULL:
            raise MemoryError()
        self._tmask = cap - 1
        for i in range(cap):
            self._tkeys[i] = -1
        for i in range(old_cap):
            if keys[i] != -1:
                s = _hash(keys[i]) & self._tmask
                while self._tkeys[s] != -1:
                    s = (s + 1) & self._tmask
                self._tkeys[s] = keys[i]
                self._tvals[s] = vals[i]
        cdef int* root
        if self._borrowed_table:  # the old table was the mapped dump's: copy the root's out too
            root = <int*> malloc(ROOT * sizeof(int))
            if root == NULL:
                raise MemoryError()
            memcpy(root, self._root, ROOT * sizeof(int))
            self._root = root
            self._borrowed_table = False
        else:
            free(keys)
            free(vals)
        return 0

    cdef int _find(self, str word):
        """The node of ``word``, or -1."""
        cdef int node = 0
        cdef Py_UCS4 c
        for c in word:
            node = self._child(node, c)
            if node < 0:
                return -1
        return node

    cdef int64_t _word_freq(self, str word, int64_t default):
        cdef int node = self._find(word) if word else -1
        if node < 0 or self._freq[node] < 0:
            return default
        return self._freq[node]

    def freq(self, str word):
        """The frequency of ``word``, or None when it is not a word."""
        cdef int64_t f = self._word_freq(word, -1)
        return None if f < 0 else f

    @property
    def total(self):
        return self._total

    def add_word(self, str word, freq=None):
        """Add ``word`` (or set its frequency) as jieba-rs's ``add_word``; returns the
        frequency used (``suggest_freq(word)`` when ``freq`` is None)."""
        cdef int64_t f = self.suggest_freq(word) if freq is None else freq
        cdef int node
        if not word:
            return f
        cdef Py_UCS4* chars = PyUnicode_AsUCS4Copy(word)
        try:
            node = self._insert(chars, 0, len(word))
        finally:
            PyMem_Free(chars)
        if self._freq[node] >= 0:
            self._total += f - self._freq[node]
        else:
            self._total += f
        self._freq[node] = f
        if not self._dirty:  # one word changed: its log and the total's, not every word's
            self._logp[node] = log(<double> f)
            self._set_total_log()
        return f

    def suggest_freq(self, str word):
        """jieba-rs's ``suggest_freq``: the smallest frequency that cuts ``word`` out as
        one token (or its own frequency, if higher)."""
        cdef double logtotal = log(<double> self._total)
        cdef double logfreq = 0.0
        for piece in self.cut(word):
            logfreq = logfreq + log(<double> self._word_freq(piece, 1)) - logtotal
        return max(<int64_t> exp(logfreq + logtotal) + 1, self._word_freq(word, 1))

    cdef void _refresh(self):
        cdef int i
        for i in range(self._n_nodes):
            if self._freq[i] >= 0:
                self._logp[i] = log(<double> self._freq[i])
        self._set_total_log()
        self._dirty = False

    cdef void _set_total_log(self):
        self._logtotal = log(<double> self._total)
        self._w_unknown = log(1.0) - self._logtotal

    # -- cutting ------------------------------------------------------------------
    cdef int _grow_scratch(self, Py_ssize_t n) except -1:
        if n <= self._scap:
            return 0
        cdef int cap = <int> (n * 2)
        self._buf = <Py_UCS4*> realloc(self._buf, cap * sizeof(Py_UCS4))
        self._rp = <double*> realloc(self._rp, (cap + 1) * sizeof(double))
        self._re = <int*> realloc(self._re, (cap + 1) * sizeof(int))
        self._rn = <int*> realloc(self._rn, (cap + 1) * sizeof(int))
        self._ps = <int*> realloc(self._ps, cap * sizeof(int))
        self._pe = <int*> realloc(self._pe, cap * sizeof(int))
        self._pn = <int*> realloc(self._pn, cap * sizeof(int))
        if (self._buf == NULL or self._rp == NULL or self._re == NULL or self._rn == NULL
                or self._ps == NULL or self._pe == NULL or self._pn == NULL):
            raise MemoryError()
        self._scap = cap
        return 0

    cdef int _pieces(self, str text) except -1:
        """Cut ``text`` into ``_ps``/``_pe``; returns the number of tokens."""
        cdef Py_ssize_t length = len(text), i, j
        cdef Py_UCS4* b
        cdef Py_UCS4 c
        cdef int n = 0
        if self._dirty:
            self._refresh()
        self._grow_scratch(length + 1)
        b = self._buf
        i = 0
        for c in text:
            b[i] = c
            i += 1
        i = 0
        while i < length:
            c = b[i]
            if _in_block(c):
                j = i + 1
                while j < length and _in_block(b[j]):
                    j += 1
                n = self._cut_block(<int> i, <int> j, n)
                i = j
            elif c == u'\r' and i + 1 < length and b[i + 1] == u'\n':
                self._ps[n] = <int> i
                self._pe[n] = <int> i + 2
                self._pn[n] = -2
                n += 1
                i += 2
            else:
                self._ps[n] = <int> i
                self._pe[n] = <int> i + 1
                self._pn[n] = -1
                n += 1
                i += 1
        return n

    cdef int _cut_block(self, int b0, int b1, int n):
        cdef Py_UCS4* b = self._buf
        cdef double* rp = self._rp
        cdef int* re = self._re
        cdef int* rn = self._rn
        cdef int64_t* freq = self._freq
        cdef double* logp = self._logp
        cdef double logtotal = self._logtotal
        cdef int i, j, node, best_e, best_n, x, y, left
        cdef double p, best_p
        cdef bint found
        rp[b1] = 0.0
        for i in range(b1 - 1, b0 - 1, -1):
            found = False
            best_p = 0.0
            best_e = i + 1
            best_n = -1
            node = self._child(0, b[i])
            j = i
            while node >= 0:
                if freq[node] >= 0:
                    p = logp[node] - logtotal + rp[j + 1]  # jieba-rs's order of operations
                    if not found or p > best_p or (p == best_p and j + 1 > best_e):
                        best_p = p
                        best_e = j + 1
                        best_n = node
                        found = True
                j += 1
                if j >= b1:
                    break
                node = self._child(node, b[j])
            if not found:
                best_p = self._w_unknown + rp[i + 1]
                best_e = i + 1
            rp[i] = best_p
            re[i] = best_e
            rn[i] = best_n
        x = b0
        left = -1
        while x < b1:
            y = re[x]
            if y == x + 1 and _alnum(b[x]):
                if left < 0:
                    left = x
            else:
                if left >= 0:
                    n = self._run(left, x, n)
                    left = -1
                self._ps[n] = x
                self._pe[n] = y
                self._pn[n] = rn[x]
                n += 1
            x = y
        if left >= 0:
            n = self._run(left, b1, n)
        return n

    cdef inline int _run(self, int a, int b, int n):
        """A run of single ASCII letters and digits, one token."""
        self._ps[n] = a
        self._pe[n] = b
        self._pn[n] = self._rn[a] if b == a + 1 else -2
        return n + 1

    cdef list _tokens(self, str text, int n):
        """The tokens of the last :meth:`_pieces`, sharing one str per word."""
        cdef list out = PyList_New(n)
        cdef int k, node, s, e
        cdef object tok
        cdef Py_UCS4 c
        for k in range(n):
            node = self._pn[k]
            s = self._ps[k]
            e = self._pe[k]
            if node >= 0:
                if self._strs[node] == NULL:
                    tok = text[s:e]
                    Py_INCREF(tok)
                    self._strs[node] = <PyObject*> tok
                else:
                    tok = <object> self._strs[node]
            elif node == -1 and self._buf[s] < ROOT:
                c = self._buf[s]
                if self._chars[c] == NULL:
                    tok = text[s:e]
                    Py_INCREF(tok)
                    self._chars[c] = <PyObject*> tok
                else:
                    tok = <object> self._chars[c]
            else:
                tok = text[s:e]
            Py_INCREF(tok)
            PyList_SET_ITEM(out, k, tok)
        return out

    def cut(self, str text):
        """The tokens of ``text`` (``"".join(tokens) == text``), as ``rjieba.Jieba.cut(text, False)``."""
        return self._tokens(text, self._pieces(text))

    def cut_many(self, list texts):
        """:meth:`cut` of each text."""
        cdef list out = []
        cdef str text
        for text in texts:
            out.append(self._tokens(text, self._pieces(text)))
        return out


cdef inline uint64_t _hash(int64_t key):
    return (<uint64_t> key) * <uint64_t> 0x9E3779B97F4A7C15ULL >> 11


cdef inline bint _alnum(Py_UCS4 c):
    return (u'0' <= c <= u'9') or (u'a' <= c <= u'z') or (u'A' <= c <= u'Z')


cdef inline bint _space(Py_UCS4 c):
    return c == u' ' or c == u'\t' or c == u'\n' or c == u'\r' or c == u'\x0b' or c == u'\x0c'


cdef inline bint _in_block(Py_UCS4 c):
    """jieba-rs's block characters (RE_HAN_DEFAULT)."""
    if c < 128:
        return _alnum(c) or c == u'+' or c == u'#' or c == u'&' or c == u'.' or c == u'_' or c == u'%' or c == u'-'
    return ((0x3400 <= c <= 0x4DBF) or (0x4E00 <= c <= 0x9FFF) or (0xF900 <= c <= 0xFAFF)
            or (0x20000 <= c <= 0x2A6DF) or (0x2A700 <= c <= 0x2EBEF) or (0x2F800 <= c <= 0x2FA1F))


def _from_dump(bytes data):
    """:meth:`SegmentKernel.from_dump` (what a pickled kernel is made from)."""
    return SegmentKernel.from_dump(data)
