# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled :func:`voc.analysis.aspects.resolve_pieces` (the topic tagger's hot loop).

The same rules, in the same order, as the pure-Python reference in
:mod:`voc.analysis.aspects`; the lexicon entries are copied once into C structs (topic
sets as 64-bit masks), and a piece's entry is found with one dict lookup. Tests compare
the two on thousands of real and generated reviews; the Python version stays the
reference and the fallback when this module is not built.
"""


from voc.analysis._state cimport copied
from libc.math cimport log
from libc.stdint cimport int64_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy

cdef enum:
    NONE = 0
    BOUNDARY = 1
    NEGATOR = 2
    DEGREE = 3
    OPINION = 4
    TERM = 5
    WEAK = 6

# rule constants, read from voc.analysis.aspects so the two resolvers cannot drift apart
from voc.analysis import aspects as _reference
from voc.analysis.aspects import _NOT_A_LIST_AFTER, _TROUBLE, _TROUBLE_AFTER, _WORRY_GONE

cdef int AFTER_GAP = _reference.AFTER_GAP
cdef int PRIOR_AFTER_GAP = _reference.PRIOR_AFTER_GAP
cdef int BEFORE_GAP = _reference.BEFORE_GAP
cdef int NEG_GAP = _reference.NEG_GAP
cdef int SAID_OF_GAP = _reference.SAID_OF_GAP
cdef int LIST_ITEM_MAX = _reference._LIST_ITEM_MAX
cdef int P_NONE = 2  # the document's sign, known at the end

ctypedef unsigned long long mask_t


cdef struct Ent:
    int kind
    int pol
    int mag
    bint degree
    bint marks
    bint hypo
    bint contrast
    int context
    bint has_prior
    bint generic
    bint has_refs
    bint has_scope
    mask_t topics
    mask_t down
    mask_t scope
    int ref0
    int nref
    int edge


cdef struct Ref:
    int topic
    int prior
    int more
    bint fallback


cdef struct Item:
    int s
    int e
    int ent
    bint negated
    int nstart


cdef inline bint _alnum(Py_UCS4 c):
    return (c >= u'0' and c <= u'9') or (c >= u'a' and c <= u'z') or (c >= u'A' and c <= u'Z')


cdef inline bint _letter(Py_UCS4 c):
    return c >= u'a' and c <= u'z'


cdef inline bint _joined(str text, Py_ssize_t a, Py_ssize_t b):
    """aspects._joined: nothing, 和, 与, 跟, 及, 以及, 、 or a list's comma between two terms."""
    return b - a == 0 or (b - a == 1 and text[a] in "和与跟及、,，") or text[a:b] == "以及"



cdef inline bint _asks(str text, Py_ssize_t end):
    """aspects.py's _asks: a question mark at ``end``, or a question particle before it."""
    cdef Py_UCS4 c
    if end < len(text):
        c = text[end]
        if c == u'?' or c == u'？':
            return True
    if end > 0:
        c = text[end - 1]
        return c == u'吗' or c == u'嘛' or c == u'么'
    return False


cdef inline bint _existential(Py_UCS4 c):
    return c == u'没' or c == u'无' or c == u'未' or c == u'缺' or c == u'少'


cdef inline int _sign(long x):
    return (x > 0) - (x < 0)


class TooManyTopics(ValueError):
    """More than 64 topic names: the masks cannot hold them (use the Python path)."""


cdef class AspectKernel:
    """The lexicon of a :class:`voc.analysis.scanner.Scanner`, compiled for :meth:`resolve`.

    Args:
        literals: the scanner's ``literals`` (lower-cased phrase -> finished Entry).
        edges: the scanner's ``_edges`` (ASCII phrases that must stand as whole words).
        extra_entries: other finished entries that :meth:`resolve_entries` may be given
            (the pattern entries).
    """

    cdef dict _index       # phrase -> entry number (literals only)
    cdef dict _by_object   # id(Entry) -> entry number
    cdef list _keep        # the Entry objects (so their ids stay valid)
    cdef Ent* _ents
    cdef Ref* _refs
    cdef int _n_ents
    cdef int _n_refs
    cdef list _topic_names
    cdef Item* _items
    cdef int _items_cap
    cdef int* _m_topic
    cdef int* _m_p
    cdef int* _m_lo
    cdef int* _m_hi
    cdef char* _m_own   # the mention says its polarity itself (not borrowed from its clause or the text)
    cdef int _m_cap
    # the pieces that have an entry: start, end, entry number
    cdef int* _fs
    cdef int* _fe
    cdef int* _fi
    # the phrase dictionary of the scanner's jieba, as a trie (see _cut_found)
    cdef int64_t* _tkeys   # open addressing: (node << 21 | code point) -> child
    cdef int* _tvals
    cdef uint64_t _tmask
    cdef int* _tword      # node -> entry number of the phrase ending there, or -1
    cdef int _n_nodes
    cdef double _w_known  # log(freq) - log(total) of a phrase
    cdef double _w_unknown  # log(1) - log(total) of a character no phrase covers
    cdef double* _route_p
    cdef int* _route_e
    cdef int* _route_w    # entry number of the route's word at each position, or -1
    cdef bint _has_trie
    cdef int _max_nref
    cdef tuple _args      # what it was built from (a pickled kernel is built again from them)

    def __cinit__(self):
        self._ents = NULL
        self._refs = NULL
        self._items = NULL
        self._m_topic = self._m_p = self._m_lo = self._m_hi = NULL
        self._m_own = NULL
        self._fs = self._fe = self._fi = NULL
        self._tkeys = NULL
        self._tvals = self._tword = self._route_e = self._route_w = NULL
        self._route_p = NULL
        self._has_trie = False

    def __init__(self, dict literals, dict edges, extra_entries=(), jieba_words=None, int freq=0):
        self._args = (literals, edges, extra_entries, jieba_words, freq)
        names = {}
        entries = []
        self._index = {}
        self._by_object = {}
        for key, ent in literals.items():  # one slot per key: each keeps its own edges
            self._by_object.setdefault(id(ent), len(entries))
            self._index[key] = len(entries)
            entries.append((ent, edges.get(key, 0)))
        for ent in extra_entries:
            if id(ent) not in self._by_object:
                self._by_object[id(ent)] = len(entries)
                entries.append((ent, 0))
        for ent, _ in entries:
            for ref in ent.refs:
                names.setdefault(ref.topic, len(names))
            if ent.scope is not None:
                for t in sorted(ent.scope):
                    names.setdefault(t, len(names))
        if len(names) > 64:
            raise TooManyTopics(f"{len(names)} topic names (the compiled path holds 64)")
        self._topic_names = list(names)
        self._keep = [obj for obj, _ in entries]
        n_refs = sum(len(obj.refs) for obj, _ in entries)
        self._n_ents = len(entries)
        self._ents = <Ent*> malloc(max(1, len(entries)) * sizeof(Ent))
        self._refs = <Ref*> malloc(max(1, n_refs) * sizeof(Ref))
        if self._ents == NULL or self._refs == NULL:
            raise MemoryError()
        cdef int i = 0, r = 0
        cdef Ent* e
        for ent, edge in entries:
            e = &self._ents[i]
            e.kind = ent.kind
            e.pol = ent.pol
            e.mag = ent.mag
            e.degree = ent.degree
            e.marks = ent.marks
            e.hypo = ent.hypo
            e.contrast = ent.contrast
            e.context = ent.context
            e.has_prior = ent.has_prior
            e.generic = ent.generic
            e.has_refs = bool(ent.refs)
            e.has_scope = ent.scope is not None
            e.topics = 0
            e.down = 0
            e.scope = 0
            for t in ent.topics:
                e.topics |= (<mask_t> 1) << <int> names[t]
            for t in ent.down:
                e.down |= (<mask_t> 1) << <int> names[t]
            if ent.scope is not None:
                for t in ent.scope:
                    e.scope |= (<mask_t> 1) << <int> names[t]
            e.ref0 = r
            e.nref = len(ent.refs)
            e.edge = edge
            for ref in ent.refs:
                self._refs[r].topic = names[ref.topic]
                self._refs[r].prior = ref.prior
                self._refs[r].more = ref.more
                self._refs[r].fallback = ref.fallback
                r += 1
            i += 1
        self._n_refs = r
        self._max_nref = max([len(obj.refs) for obj in self._keep] + [4])
        self._grow(64)
        if jieba_words is not None:
            self._build_trie(list(jieba_words), freq)

    cdef int _build_trie(self, list words, int freq) except -1:
        """The phrases the scanner gave its jieba (all of frequency ``freq``), as a trie,
        and the two log-probabilities its dynamic programme uses."""
        cdef uint64_t cap = 64
        cdef Py_ssize_t n_chars = sum(len(w) for w in words) + 1
        while cap < <uint64_t> (n_chars * 2 + 1):
            cap <<= 1
        self._tmask = cap - 1
        self._tkeys = <int64_t*> malloc(cap * sizeof(int64_t))
        self._tvals = <int*> malloc(cap * sizeof(int))
        self._tword = <int*> malloc(n_chars * sizeof(int))
        if self._tkeys == NULL or self._tvals == NULL or self._tword == NULL:
            raise MemoryError()
        cdef uint64_t i
        for i in range(cap):
            self._tkeys[i] = -1
        self._tword[0] = -1
        self._n_nodes = 1
        cdef int node, child
        cdef Py_UCS4 c
        distinct = set()
        for w in words:
            if not w or w in distinct:
                continue
            distinct.add(w)
            node = 0
            for c in <str> w:
                child = self._child(node, c)
                if child < 0:
                    child = self._n_nodes
                    self._n_nodes += 1
                    self._tword[child] = -1
                    self._set_child(node, c, child)
                node = child
            self._tword[node] = self._index[w]
        cdef double logtotal = log(<double> freq * len(distinct))
        self._w_known = log(<double> freq) - logtotal
        self._w_unknown = log(1.0) - logtotal
        self._has_trie = True
        return 0

    cdef inline int _child(self, int node, Py_UCS4 c):
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

    cdef inline void _set_child(self, int node, Py_UCS4 c, int child):
        cdef int64_t key = ((<int64_t> node) << 21) | <int64_t> c
        cdef uint64_t s = _hash(key) & self._tmask
        while self._tkeys[s] != -1:
            s = (s + 1) & self._tmask
        self._tkeys[s] = key
        self._tvals[s] = child

    def cut_found(self, str low):
        """The pieces of the scanner's jieba cut of ``low`` that are phrases, as
        ``(start, end, entry number)``: what :meth:`scan_resolve` works from (for tests)."""
        self._grow(<int> len(low) * self._max_nref + 8)
        cdef int n = self._cut_found(low), k
        if n < 0:
            return None
        return [(self._fs[k], self._fe[k], self._fi[k]) for k in range(n)]

    cdef int _cut_found(self, str low) except -2:
        """jieba-rs's cut without HMM (``Jieba.cut(low, False)``) with the phrase
        dictionary, keeping only the pieces that are phrases. Blocks of CJK, ASCII
        letters, digits and ``+#&._%-`` go through the dynamic programme (the most
        probable route, ties to the longer word, single ASCII letters and digits merged
        into runs); every other character is a piece of its own, ``\\r\\n`` one piece.
        Returns the number of pieces found, or -1 without a trie."""
        if not self._has_trie:
            return -1
        cdef Py_ssize_t length = len(low), i = 0, j
        cdef int n = 0, node
        cdef Py_UCS4 c
        while i < length:
            c = low[i]
            if _in_block(c):
                j = i + 1
                while j < length and _in_block(low[j]):
                    j += 1
                n = self._cut_block(low, <int> i, <int> j, n)
                i = j
            elif c == u'\r' and i + 1 < length and low[i + 1] == u'\n':
                i += 2  # one piece, no phrase
            else:
                node = self._child(0, c)
                if node >= 0 and self._tword[node] >= 0:
                    self._fs[n] = <int> i
                    self._fe[n] = <int> i + 1
                    self._fi[n] = self._tword[node]
                    n += 1
                i += 1
        return n

    cdef int _cut_block(self, str low, int b0, int b1, int n) except -2:
        cdef double* rp = self._route_p
        cdef int* re = self._route_e
        cdef int* rw = self._route_w
        cdef int i, j, node, best_e, best_w, x, y, left
        cdef double p, best_p
        cdef bint found
        rp[b1] = 0.0
        for i in range(b1 - 1, b0 - 1, -1):
            found = False
            node = 0
            best_p = 0.0
            best_e = i + 1
            best_w = -1
            for j in range(i, b1):
                node = self._child(node, low[j])
                if node < 0:
                    break
                if self._tword[node] >= 0:
                    p = self._w_known + rp[j + 1]
                    if not found or p > best_p or (p == best_p and j + 1 > best_e):
                        best_p, best_e, best_w = p, j + 1, self._tword[node]
                        found = True
            if not found:
                best_p, best_e, best_w = self._w_unknown + rp[i + 1], i + 1, -1
            rp[i] = best_p
            re[i] = best_e
            rw[i] = best_w
        x = b0
        left = -1
        while x < b1:
            y = re[x]
            if y == x + 1 and _alnum(low[x]):
                if left < 0:
                    left = x
            else:
                if left >= 0:
                    n = self._run(low, left, x, n)
                    left = -1
                if rw[x] >= 0:
                    self._fs[n] = x
                    self._fe[n] = y
                    self._fi[n] = rw[x]
                    n += 1
            x = y
        if left >= 0:
            n = self._run(low, left, b1, n)
        return n

    cdef int _run(self, str low, int a, int b, int n) except -2:
        """A run of single ASCII letters and digits is one piece: a phrase or not."""
        cdef object found
        if b - a == 1:
            if self._route_w[a] < 0:
                return n
            self._fs[n], self._fe[n], self._fi[n] = a, b, self._route_w[a]
            return n + 1
        found = self._index.get(low[a:b])
        if found is None:
            return n
        self._fs[n], self._fe[n], self._fi[n] = a, b, <int> found
        return n + 1

    def __reduce__(self):
        # what it was built from (the scanner's tables: a pickled analyzer shares them
        # with it) and its own tables as bytes, copied back by _from_state instead of
        # being built again (3,700 entries and their phrases' trie: a few ms of a start-up)
        cdef Py_ssize_t cap = <Py_ssize_t> (self._tmask + 1) if self._has_trie else 0
        cdef Py_ssize_t nodes = self._n_nodes if self._has_trie else 0
        state = (self._n_ents, self._n_refs, (<char*> self._ents)[:self._n_ents * sizeof(Ent)],
                 (<char*> self._refs)[:self._n_refs * sizeof(Ref)], self._topic_names, self._max_nref,
                 self._has_trie, self._tmask, (<char*> self._tkeys)[:cap * sizeof(int64_t)],
                 (<char*> self._tvals)[:cap * sizeof(int)], (<char*> self._tword)[:nodes * sizeof(int)], nodes,
                 self._w_known, self._w_unknown)
        return (_from_state, (self._args, state))

    def __dealloc__(self):
        free(self._ents)
        free(self._refs)
        free(self._items)
        free(self._m_topic)
        free(self._m_p)
        free(self._m_lo)
        free(self._m_hi)
        free(self._m_own)
        free(self._fs)
        free(self._fe)
        free(self._fi)
        free(self._tkeys)
        free(self._tvals)
        free(self._tword)
        free(self._route_p)
        free(self._route_e)
        free(self._route_w)

    cdef int _grow(self, int n) except -1:
        """Room for n items and n mentions."""
        if n <= self._items_cap:
            return 0
        cdef int cap = n * 2
        self._items = <Item*> realloc(self._items, cap * sizeof(Item))
        self._m_topic = <int*> realloc(self._m_topic, cap * sizeof(int))
        self._m_p = <int*> realloc(self._m_p, cap * sizeof(int))
        self._m_lo = <int*> realloc(self._m_lo, cap * sizeof(int))
        self._m_hi = <int*> realloc(self._m_hi, cap * sizeof(int))
        self._m_own = <char*> realloc(self._m_own, cap * sizeof(char))
        self._fs = <int*> realloc(self._fs, cap * sizeof(int))
        self._fe = <int*> realloc(self._fe, cap * sizeof(int))
        self._fi = <int*> realloc(self._fi, cap * sizeof(int))
        self._route_p = <double*> realloc(self._route_p, (cap + 1) * sizeof(double))
        self._route_e = <int*> realloc(self._route_e, (cap + 1) * sizeof(int))
        self._route_w = <int*> realloc(self._route_w, (cap + 1) * sizeof(int))
        if (self._items == NULL or self._m_topic == NULL or self._m_p == NULL
                or self._m_lo == NULL or self._m_hi == NULL or self._m_own == NULL or self._fs == NULL or self._fe == NULL
                or self._fi == NULL or self._route_p == NULL or self._route_e == NULL
                or self._route_w == NULL):
            raise MemoryError()
        self._items_cap = cap
        self._m_cap = cap
        return 0

    def entry_numbers(self, entries):
        """The numbers of finished Entry objects (None stays None), for :meth:`resolve`."""
        by = self._by_object
        return [None if e is None else by[id(e)] for e in entries]

    def resolve(self, str text, list pieces, list numbers, str low, object doc_polarity,
                bint doc_from_lexicon, bint asked_neutral=False):
        """``resolve_pieces(text, pieces, get, edges, low, doc_polarity, doc_from_lexicon,
        asked_neutral)``.

        ``numbers`` is None for the scanner's usual cut (the pieces are looked up in the
        literals, with the whole-word check of ASCII phrases against ``low``), or the
        entry numbers of the pieces (:meth:`entry_numbers`) when they are final.
        Returns ``(topic, polarity, evidence_start, evidence_end)`` per topic.
        """
        cdef Py_ssize_t n_pieces = len(pieces)
        # every piece adds at most one item, every (item, ref) at most one mention
        self._grow(<int> n_pieces * self._max_nref + 8)
        cdef int n = 0, pos = 0, s, k
        cdef dict index = self._index
        cdef object word, found
        cdef bint use_numbers = numbers is not None
        for k in range(n_pieces):
            word = pieces[k]
            s = pos
            pos += len(<str> word)
            found = numbers[k] if use_numbers else index.get(word)
            if found is None:
                continue
            self._fs[n] = s
            self._fe[n] = pos
            self._fi[n] = <int> found
            n += 1
        return self._resolve_found(text, low, n, not use_numbers, doc_polarity, doc_from_lexicon, asked_neutral)

    def scan_resolve(self, str text, str low, object doc_polarity, bint doc_from_lexicon,
                     bint asked_neutral=False):
        """:meth:`resolve` of the scanner's usual cut of ``low``, cut here: the phrase
        dictionary's jieba cut (see :meth:`cut_found`) without building the pieces."""
        self._grow(<int> len(low) * self._max_nref + 8)
        cdef int n = self._cut_found(low)
        if n < 0:
            return None
        return self._resolve_found(text, low, n, True, doc_polarity, doc_from_lexicon, asked_neutral)

    def scan_resolve_extra(self, str text, str low, list extra, object doc_polarity, bint doc_from_lexicon,
                           bint asked_neutral=False):
        """:meth:`scan_resolve` with the scanner's pattern matches merged in, as
        :meth:`voc.analysis.scanner.Scanner.pieces` merges them: ``extra`` is
        ``(start, end, Entry)`` by start (``Scanner._pattern_tokens``); the phrases of the
        cut that stand as whole words and the matches are taken in order of their start,
        a match before a phrase at the same place, each unless an earlier one covers it.
        The same as :meth:`resolve` of those pieces, without building them in Python."""
        cdef int length = <int> len(low)
        cdef int base = length * self._max_nref + 8  # the phrases are set aside from here
        self._grow(base + length + 8)
        cdef int n = self._cut_found(low)
        if n < 0:
            return None
        cdef int m = 0, k, s, e, edge
        for k in range(n):  # the whole-word check of ASCII phrases, before the merge
            s = self._fs[k]
            e = self._fe[k]
            edge = self._ents[self._fi[k]].edge
            if edge and ((edge & 1 and s and _letter(low[s - 1]))
                         or (edge & 2 and e < length and _letter(low[e]))):
                continue
            self._fs[base + m] = s
            self._fe[base + m] = e
            self._fi[base + m] = self._fi[k]
            m += 1
        cdef Py_ssize_t j = 0, n_extra = len(extra)
        cdef int i = 0, out = 0, last = 0, xs = 0, xe = 0
        cdef dict by = self._by_object
        cdef tuple tok
        while i < m or j < n_extra:
            if j < n_extra:
                tok = <tuple> extra[j]
                xs = <int> tok[0]
                xe = <int> tok[1]
            if j < n_extra and (i >= m or xs <= self._fs[base + i]):
                if xs >= last:
                    self._fs[out] = xs
                    self._fe[out] = xe
                    self._fi[out] = <int> by[id(tok[2])]
                    out += 1
                    last = xe
                j += 1
            else:
                s = self._fs[base + i]
                if s >= last:
                    self._fs[out] = s
                    self._fe[out] = self._fe[base + i]
                    self._fi[out] = self._fi[base + i]
                    out += 1
                    last = self._fe[base + i]
                i += 1
        return self._resolve_found(text, low, out, False, doc_polarity, doc_from_lexicon, asked_neutral)

    cdef bint _bare_list(self, str text, int n_items, int lo, int hi):
        """aspects._bare_list: ``text[lo:hi]`` is nothing but joined terms with no opinion."""
        cdef Item* items = self._items
        cdef Ent* ent
        cdef int i
        if items[0].s != lo or items[n_items - 1].e != hi or _NOT_A_LIST_AFTER.match(text, hi + 1) is not None:
            return False
        for i in range(n_items):
            ent = &self._ents[items[i].ent]
            if (ent.kind != TERM or ent.has_prior or items[i].negated or items[i].e - items[i].s > LIST_ITEM_MAX
                    or (i and not _joined(text, items[i - 1].e, items[i].s))):
                return False
        return True

    cdef list _resolve_found(self, str text, str low, int n_found, bint check_edges,
                             object doc_polarity, bint doc_from_lexicon, bint asked_neutral):
        """The rules over the pieces that have an entry (``_fs``/``_fe``/``_fi``)."""
        cdef Item* items = self._items
        cdef int n_items = 0
        cdef int n_ment = 0
        cdef bint hypo = False, contrast = False, has_term = False
        cdef int context = 0, clause_context = 0
        cdef int neg_par = 0, neg_end = -99, neg_start = 0
        cdef int prev = 0
        cdef long op_sum = 0, doc_total = 0
        cdef int clause_lo = 0
        cdef int said_lo = 0, said_hi = 0  # the mentions of the clause before (a concession's, see _concede)
        cdef int doc_pol = P_NONE if doc_polarity is None else <int> doc_polarity
        cdef Py_ssize_t length = len(text)
        cdef Py_ssize_t low_len = len(low) if low is not None else 0
        cdef int last = <int> length - 1
        cdef int pos = 0, s, k, idx
        cdef Ent* ent
        cdef Ent* b_ent
        cdef Item* before
        cdef int edge
        for k in range(n_found):
            s = self._fs[k]
            pos = self._fe[k]
            idx = self._fi[k]
            ent = &self._ents[idx]
            if ent.kind == BOUNDARY:
                if (<Py_UCS4> text[s] < 128 and 0 < s and pos <= last
                        and _alnum(text[s - 1]) and _alnum(text[pos])):
                    continue  # 16:9, 1.6GHz: not a clause boundary
                if (n_items and not op_sum and (text[s] == u',' or text[s] == u'，')
                        and self._bare_list(text, n_items, clause_lo, s)):
                    continue  # 外观，键盘，性能都不错: a clause of bare terms only is the start of a list
                clause_lo = pos
                if has_term:
                    said_lo = n_ment
                    prev = self._clause(text, n_items, hypo, contrast, clause_context, prev, op_sum,
                                        0 if asked_neutral and _asks(text, s) else doc_pol,
                                        &n_ment)
                    said_hi = n_ment
                    has_term = False
                else:
                    if said_hi > said_lo and contrast and op_sum:
                        self._concede(said_lo, said_hi, 1 if op_sum > 0 else -1, s)
                    said_lo = said_hi = 0
                    if op_sum:
                        prev = 1 if op_sum > 0 else -1
                n_items = 0
                if op_sum:
                    doc_total += op_sum
                    op_sum = 0
                hypo = contrast = False
                clause_context = context
                neg_par, neg_end = 0, -99
                continue
            if check_edges:
                edge = ent.edge
                if edge and ((edge & 1 and s and _letter(low[s - 1]))
                             or (edge & 2 and pos < low_len and _letter(low[pos]))):
                    continue
            if ent.marks:
                if ent.context:
                    context = clause_context = ent.context
                hypo |= ent.hypo
                if ent.contrast and not (s and text[s - 1] == "的"):  # 最好的就是屏幕: a cleft, no turn
                    contrast = True
            if ent.kind == NEGATOR:
                if s - neg_end <= NEG_GAP:
                    neg_par ^= 1
                else:
                    neg_par, neg_start = 1, s
                neg_end = pos
                continue
            if ent.kind == DEGREE:
                if s - neg_end <= NEG_GAP:
                    neg_end = pos
                continue
            if ent.kind == NONE:
                continue
            if n_items:
                before = &items[n_items - 1]
                b_ent = &self._ents[before.ent]
                if before.e == s and b_ent.kind == OPINION and b_ent.degree and text[s] != u'得':
                    n_items -= 1  # 好热, 严重发热: an opinion word right before another word is a degree word
                    # (not before a complement: in 好得不行 it is the verb 得不行 intensifies)
                    if before.negated:
                        op_sum += b_ent.pol
                        neg_par, neg_end, neg_start = 1, s, before.nstart
                    else:
                        op_sum -= b_ent.pol
                        neg_par, neg_end, neg_start = 0, -99, s
                elif ent.generic and b_ent.has_refs and (
                        before.e == s or (before.e == s - 1 and text[s - 1] == u'的')):
                    continue  # 快递速度: the generic word belongs to the term before it
            items[n_items].s = s
            items[n_items].e = pos
            items[n_items].ent = idx
            if neg_par and s - neg_end <= NEG_GAP:
                items[n_items].negated = True
                items[n_items].nstart = neg_start
                if ent.pol and ent.kind != TERM:
                    op_sum -= ent.pol
            else:
                items[n_items].negated = False
                items[n_items].nstart = s
                if ent.pol and ent.kind != TERM:
                    op_sum += ent.pol
            n_items += 1
            if ent.kind >= TERM:
                has_term = True
            neg_par, neg_end = 0, -99
        if has_term:
            self._clause(text, n_items, hypo, contrast, clause_context, prev, op_sum,
                         0 if asked_neutral and _asks(text, len(text)) else doc_pol, &n_ment)
        elif said_hi > said_lo and contrast and op_sum:
            self._concede(said_lo, said_hi, 1 if op_sum > 0 else -1, <int> length)
        if not n_ment:
            return []
        doc_total += op_sum
        cdef int doc = _sign(doc_total) if doc_from_lexicon else 0
        return self._aggregate(n_ment, doc, asked_neutral)

    cdef int _clause(self, str text, int n, bint hypo, bint contrast, int context, int prev,
                     long op_sum, int doc, int* n_ment):
        """Add the topic mentions of a clause that has terms; return its sign."""
        cdef Item* items = self._items
        cdef long total = 0
        cdef int default = 0
        cdef bint have_default = False
        cdef int order[2]
        cdef int n_order = 0
        cdef int* order_buf = NULL
        cdef int i, j, o, r, k0, k1, p, lo, hi, ev_s, own, said_of
        cdef Ent* ent
        cdef Ent* op_ent
        cdef Item* it
        cdef Item* op
        cdef Ref* ref
        cdef mask_t consumed = 0  # items 0..63 consumed as opinion words (WEAK)
        cdef bint consumed_overflow = False
        cdef list consumed_big = None
        cdef int* ords
        # a hypothetical or asked clause asserts no opinion either (see aspects._clause)
        cdef bint asked = hypo and "、" not in text[items[0].s:items[n - 1].e]
        if n == 1:
            order[0] = 0
            n_order = 1
            ords = order
        elif n == 2:
            k0 = self._ents[items[0].ent].kind
            k1 = self._ents[items[1].ent].kind
            if k0 == TERM:
                order[0] = 0
                if k1 >= TERM:
                    order[1] = 1
                    n_order = 2
                else:
                    n_order = 1
            elif k0 == WEAK:
                if k1 == TERM:
                    order[0], order[1] = 1, 0
                    n_order = 2
                elif k1 == WEAK:
                    order[0], order[1] = 0, 1
                    n_order = 2
                else:
                    order[0] = 0
                    n_order = 1
            else:
                order[0] = 1
                n_order = 1
            ords = order
        else:
            order_buf = <int*> malloc(n * sizeof(int))
            if order_buf == NULL:
                raise MemoryError()
            for i in range(n):
                if self._ents[items[i].ent].kind == TERM:
                    order_buf[n_order] = i
                    n_order += 1
            for i in range(n):
                if self._ents[items[i].ent].kind == WEAK:
                    order_buf[n_order] = i
                    n_order += 1
            ords = order_buf
        try:
            for o in range(n_order):
                i = ords[o]
                it = &items[i]
                ent = &self._ents[it.ent]
                if ent.kind == WEAK:
                    if _is_consumed(consumed, consumed_big, i):
                        continue
                    j = -1
                elif n == 1:
                    j = -1
                elif n == 2 and i == 0:
                    op_ent = &self._ents[items[1].ent]
                    if ((op_ent.kind == OPINION or op_ent.kind == WEAK)
                            and (not op_ent.has_scope or (op_ent.scope & ent.topics))
                            and items[1].nstart - it.e <= (PRIOR_AFTER_GAP if ent.has_prior else AFTER_GAP)):
                        j = 1
                    else:
                        j = -1
                    if j == 1 and op_ent.kind == WEAK:
                        consumed, consumed_big = _consume(consumed, consumed_big, 1)
                else:
                    j = self._find_opinion(i, n, text)
                    if j >= 0 and self._ents[items[j].ent].kind == WEAK:
                        consumed, consumed_big = _consume(consumed, consumed_big, j)
                ev_s = it.nstart if it.negated else it.s
                said_of = self._said_of(i, j) if j > i + 1 else 0
                for r in range(ent.ref0, ent.ref0 + ent.nref):
                    ref = &self._refs[r]
                    own = 1
                    if j >= 0:
                        op = &items[j]
                        op_ent = &self._ents[op.ent]
                        p = op_ent.pol if op_ent.pol else op_ent.mag * (said_of if said_of else ref.more)
                        if op.negated:
                            p = -p
                        elif it.negated and op.s > it.s and (
                                (_existential(text[it.nstart])
                                 and (text[op.s:op.e] in _TROUBLE or _TROUBLE_AFTER.match(text, op.e) is not None))
                                or text.startswith(_WORRY_GONE, it.nstart)):
                            p = -p  # 没有发热问题, 不用担心内存不够用: the negation covers what is said too
                        if asked:
                            p = 0
                        lo = op.nstart if op.nstart < ev_s else ev_s
                        hi = op.e if op.e > it.e else it.e
                    else:
                        lo, hi = ev_s, it.e
                        if ref.prior:
                            p = 0 if hypo else (-ref.prior if it.negated else ref.prior)
                        elif it.negated and _existential(text[it.nstart]):
                            p = 0 if hypo else -1  # 没有耳机: missing is a complaint
                        elif hypo or not ref.fallback:
                            p = 0
                        else:
                            if not have_default:
                                default = _sign(op_sum)
                                if not default:
                                    default = context
                                if not default:
                                    if contrast:
                                        default = -prev if prev else -1
                                    else:
                                        default = doc
                                have_default = True
                            p = default
                            own = 0
                    k0 = n_ment[0]
                    self._m_topic[k0] = ref.topic
                    self._m_p[k0] = p
                    self._m_lo[k0] = lo
                    self._m_hi[k0] = hi
                    self._m_own[k0] = 2 if own and j >= 0 else own  # 2: said by an opinion word
                    n_ment[0] = k0 + 1
                    if p != 0 and p != P_NONE:
                        total += p
        finally:
            if order_buf != NULL:
                free(order_buf)
        if total:
            return 1 if total > 0 else -1
        return prev

    cdef int _said_of(self, int i, int j):
        """As aspects._said_of: the ``more`` of the nearest term between ``i`` and ``j``."""
        cdef int k
        cdef Ent* ent
        for k in range(j - 1, i, -1):
            ent = &self._ents[self._items[k].ent]
            if ent.kind >= TERM and ent.nref:
                return self._refs[ent.ref0].more if self._items[j].nstart - self._items[k].e <= SAID_OF_GAP else 0
        return 0

    cdef int _find_opinion(self, int i, int n, str text):
        """Index of the opinion word of the term at ``i`` (rules 2 and 5), or -1."""
        cdef Item* items = self._items
        cdef int start = items[i].s, end = items[i].e, j, k
        cdef Ent* ent = &self._ents[items[i].ent]
        cdef mask_t topics = ent.topics
        cdef bint has_prior = ent.has_prior
        cdef Ent* op
        for j in range(i + 1, n):
            op = &self._ents[items[j].ent]
            if op.kind == TERM and (((op.has_prior or not (op.topics & topics)) and not _joined(text, items[j - 1].e, items[j].s))
                                    or ((op.down ^ ent.down) & topics & op.topics)):
                return -1  # a complaint term or another topic's on the way and not joined, or one of its topic read
                # the other way (价格性价比非常高), takes the opinion after it
            if (op.kind == OPINION or op.kind == WEAK) and (not op.has_scope or (op.scope & topics)):
                return j if items[j].nstart - end <= (PRIOR_AFTER_GAP if has_prior else AFTER_GAP) else -1  # from its negator
            if op.kind >= TERM and items[j - 1].e == end and _joined(text, end, items[j].s):
                end = items[j].e  # the reach runs from the last term joined to it
        if has_prior:
            return -1
        for j in range(i - 1, -1, -1):
            op = &self._ents[items[j].ent]
            if op.kind == TERM:
                return -1
            if (op.kind == OPINION or op.kind == WEAK) and (not op.has_scope or (op.scope & topics)):
                if start - items[j].e > BEFORE_GAP:
                    return -1
                for k in range(j):
                    if self._ents[items[k].ent].kind == TERM:
                        return -1  # it belongs to a term before it
                return j
        return -1

    cdef void _concede(self, int lo, int hi, int side, int end):
        """A concession's turn with no term of its own turns what an opinion word judged the
        other way in the clause before, its evidence running to ``end`` (``aspects._concede``)."""
        cdef int k
        for k in range(lo, hi):
            if self._m_own[k] == 2 and self._m_p[k] == -side:
                self._m_p[k] = side
                self._m_hi[k] = end

    cdef list _aggregate(self, int n_ment, int doc, bint own_first):
        """One polarity per topic (rule 8), in order of first mention, then sorted by
        evidence start (stable)."""
        cdef int i, k, t, p, pos, neg, own_pos, own_neg, pol, count, chosen
        cdef list out = []
        cdef mask_t seen = 0
        names = self._topic_names
        for i in range(n_ment):
            t = self._m_topic[i]
            if seen & ((<mask_t> 1) << t):
                continue
            seen |= (<mask_t> 1) << t
            count = 0
            pos = neg = own_pos = own_neg = 0
            for k in range(i, n_ment):
                if self._m_topic[k] != t:
                    continue
                count += 1
                p = self._m_p[k]
                if p == P_NONE:
                    p = self._m_p[k] = doc
                if p > 0:
                    pos += 1
                    own_pos += self._m_own[k] != 0
                elif p < 0:
                    neg += 1
                    own_neg += self._m_own[k] != 0
            if own_first and (own_pos or own_neg):  # a ticket: what mentions say themselves outvotes what others borrowed
                pos = own_pos
                neg = own_neg
            if count == 1:
                p = self._m_p[i]
                out.append((names[t], doc if p == P_NONE else p, self._m_lo[i], self._m_hi[i]))
                continue
            pol = (-1 if neg >= pos else 1) if (pos or neg) else 0
            # the first mention that says the polarity itself, else the first that borrowed it
            chosen = -1
            for k in range(i, n_ment):
                if self._m_topic[k] == t and self._m_p[k] == pol:
                    if self._m_own[k]:
                        chosen = k
                        break
                    if chosen < 0:
                        chosen = k
            out.append((names[t], pol, self._m_lo[chosen], self._m_hi[chosen]))
        if len(out) > 1:
            out.sort(key=_evidence_start)
        return out


cdef inline bint _in_block(Py_UCS4 c):
    """jieba-rs's block characters (RE_HAN_DEFAULT)."""
    if c < 128:
        return _alnum(c) or c == u'+' or c == u'#' or c == u'&' or c == u'.' or c == u'_' or c == u'%' or c == u'-'
    return ((0x3400 <= c <= 0x4DBF) or (0x4E00 <= c <= 0x9FFF) or (0xF900 <= c <= 0xFAFF)
            or (0x20000 <= c <= 0x2A6DF) or (0x2A700 <= c <= 0x2EBEF) or (0x2F800 <= c <= 0x2FA1F))


cdef inline uint64_t _hash(int64_t key):
    return (<uint64_t> key) * <uint64_t> 0x9E3779B97F4A7C15ULL >> 11


cdef inline bint _is_consumed(mask_t consumed, list big, int i):
    if i < 64:
        return (consumed >> i) & 1
    return big is not None and i in big


cdef inline tuple _consume(mask_t consumed, list big, int i):
    if i < 64:
        return consumed | ((<mask_t> 1) << i), big
    if big is None:
        big = []
    big.append(i)
    return consumed, big


def _evidence_start(hit):
    return hit[2]


cdef inline void* _copied(bytes data, Py_ssize_t want) except NULL:
    return copied(data, want, "aspect")


def _from_state(tuple args, tuple state):
    """An :class:`AspectKernel` from :meth:`AspectKernel.__reduce__`: the entry numbers
    found again from what it was built from, the tables copied back."""
    cdef AspectKernel k = AspectKernel.__new__(AspectKernel)
    literals, edges, extra_entries, jieba_words, freq = args
    (n_ents, n_refs, ents, refs, names, max_nref, has_trie, tmask, tkeys, tvals, tword, nodes,
     w_known, w_unknown) = state
    k._args = args
    # as __init__ numbers them: the literals in order, then the extra entries not among them
    k._index = dict(zip(literals, range(len(literals))))
    keep = list(literals.values())
    by = {}
    for i, ent in enumerate(keep):
        by.setdefault(id(ent), i)
    for ent in extra_entries:
        if id(ent) not in by:
            by[id(ent)] = len(keep)
            keep.append(ent)
    if len(keep) != n_ents:
        raise ValueError("a damaged aspect kernel state")
    k._by_object, k._keep = by, keep
    k._topic_names = list(names)
    k._n_ents, k._n_refs, k._max_nref = n_ents, n_refs, max_nref
    k._ents = <Ent*> _copied(ents, n_ents * sizeof(Ent))
    k._refs = <Ref*> _copied(refs, n_refs * sizeof(Ref))
    if has_trie:
        k._tmask = tmask
        k._tkeys = <int64_t*> _copied(tkeys, (tmask + 1) * sizeof(int64_t))
        k._tvals = <int*> _copied(tvals, (tmask + 1) * sizeof(int))
        k._tword = <int*> _copied(tword, nodes * sizeof(int))
        k._n_nodes = nodes
        k._w_known, k._w_unknown = w_known, w_unknown
        k._has_trie = True
    k._grow(64)
    return k
