# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled :func:`voc.models.aspects.resolve_pieces` (the topic tagger's hot loop).

The same rules, in the same order, as the pure-Python reference in
:mod:`voc.models.aspects`; the lexicon entries are copied once into C structs (topic
sets as 64-bit masks), and a piece's entry is found with one dict lookup. Tests compare
the two on thousands of real and generated reviews; the Python version stays the
reference and the fallback when this module is not built.
"""

from libc.stdlib cimport free, malloc, realloc

cdef enum:
    NONE = 0
    BOUNDARY = 1
    NEGATOR = 2
    DEGREE = 3
    OPINION = 4
    TERM = 5
    WEAK = 6

# rule constants (voc.models.aspects)
cdef int AFTER_GAP = 10
cdef int PRIOR_AFTER_GAP = 4
cdef int BEFORE_GAP = 6
cdef int NEG_GAP = 2
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


cdef inline bint _existential(Py_UCS4 c):
    return c == u'没' or c == u'无' or c == u'未' or c == u'缺' or c == u'少'


cdef inline int _sign(long x):
    return (x > 0) - (x < 0)


class TooManyTopics(ValueError):
    """More than 64 topic names: the masks cannot hold them (use the Python path)."""


cdef class AspectKernel:
    """The lexicon of a :class:`voc.models.scanner.Scanner`, compiled for :meth:`resolve`.

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
    cdef list _topic_names
    cdef Item* _items
    cdef int _items_cap
    cdef int* _m_topic
    cdef int* _m_p
    cdef int* _m_lo
    cdef int* _m_hi
    cdef int _m_cap

    def __cinit__(self):
        self._ents = NULL
        self._refs = NULL
        self._items = NULL
        self._m_topic = self._m_p = self._m_lo = self._m_hi = NULL

    def __init__(self, dict literals, dict edges, extra_entries=()):
        names = {}
        entries = []
        self._index = {}
        self._by_object = {}
        for key, ent in literals.items():
            if id(ent) not in self._by_object:
                self._by_object[id(ent)] = len(entries)
                entries.append((ent, edges.get(key, 0)))
            else:  # one object under two keys: each key keeps its own edges
                entries.append((ent, edges.get(key, 0)))
            self._index[key] = len(entries) - 1
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
            e.scope = 0
            for t in ent.topics:
                e.topics |= (<mask_t> 1) << <int> names[t]
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
        self._grow(64)

    def __dealloc__(self):
        free(self._ents)
        free(self._refs)
        free(self._items)
        free(self._m_topic)
        free(self._m_p)
        free(self._m_lo)
        free(self._m_hi)

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
        if (self._items == NULL or self._m_topic == NULL or self._m_p == NULL
                or self._m_lo == NULL or self._m_hi == NULL):
            raise MemoryError()
        self._items_cap = cap
        self._m_cap = cap
        return 0

    def entry_numbers(self, entries):
        """The numbers of finished Entry objects (None stays None), for :meth:`resolve`."""
        by = self._by_object
        return [None if e is None else by[id(e)] for e in entries]

    def resolve(self, str text, list pieces, list numbers, str low, object doc_polarity,
                bint doc_from_lexicon):
        """``resolve_pieces(text, pieces, get, edges, low, doc_polarity, doc_from_lexicon)``.

        ``numbers`` is None for the scanner's usual cut (the pieces are looked up in the
        literals, with the whole-word check of ASCII phrases against ``low``), or the
        entry numbers of the pieces (:meth:`entry_numbers`) when they are final.
        Returns ``(topic, polarity, evidence_start, evidence_end)`` per topic.
        """
        cdef Py_ssize_t n_pieces = len(pieces)
        # every piece adds at most one item, every (item, ref) at most one mention
        self._grow(<int> n_pieces * 4 + 8)
        cdef Item* items = self._items
        cdef int n_items = 0
        cdef int n_ment = 0
        cdef bint hypo = False, contrast = False, has_term = False
        cdef int context = 0, clause_context = 0
        cdef int neg_par = 0, neg_end = -99, neg_start = 0
        cdef int prev = 0
        cdef long op_sum = 0, doc_total = 0
        cdef int doc_pol = P_NONE if doc_polarity is None else <int> doc_polarity
        cdef Py_ssize_t length = len(text)
        cdef Py_ssize_t low_len = len(low) if low is not None else 0
        cdef int last = <int> length - 1
        cdef int pos = 0, s, k, idx
        cdef Ent* ent
        cdef Ent* b_ent
        cdef Item* before
        cdef dict index = self._index
        cdef object word, found
        cdef bint use_numbers = numbers is not None
        cdef int edge
        for k in range(n_pieces):
            word = pieces[k]
            s = pos
            pos += len(<str> word)
            if use_numbers:
                found = numbers[k]
            else:
                found = index.get(word)
            if found is None:
                continue
            idx = <int> found
            ent = &self._ents[idx]
            if ent.kind == BOUNDARY:
                if (<Py_UCS4> text[s] < 128 and 0 < s and pos <= last
                        and _alnum(text[s - 1]) and _alnum(text[pos])):
                    continue  # 16:9, 1.6GHz: not a clause boundary
                if has_term:
                    prev = self._clause(text, n_items, hypo, contrast, clause_context, prev, op_sum,
                                        doc_pol, &n_ment)
                    has_term = False
                elif op_sum:
                    prev = 1 if op_sum > 0 else -1
                n_items = 0
                if op_sum:
                    doc_total += op_sum
                    op_sum = 0
                hypo = contrast = False
                clause_context = context
                neg_par, neg_end = 0, -99
                continue
            if not use_numbers:
                edge = ent.edge
                if edge and ((edge & 1 and s and _letter(low[s - 1]))
                             or (edge & 2 and pos < low_len and _letter(low[pos]))):
                    continue
            if ent.marks:
                if ent.context:
                    context = clause_context = ent.context
                hypo |= ent.hypo
                contrast |= ent.contrast
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
                if before.e == s and b_ent.kind == OPINION and b_ent.degree:
                    n_items -= 1  # 好热, 严重发热: an opinion word right before another word is a degree word
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
            self._clause(text, n_items, hypo, contrast, clause_context, prev, op_sum, doc_pol, &n_ment)
        if not n_ment:
            return []
        doc_total += op_sum
        cdef int doc = _sign(doc_total) if doc_from_lexicon else 0
        return self._aggregate(n_ment, doc)

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
        cdef int i, j, o, r, k0, k1, p, lo, hi, ev_s
        cdef Ent* ent
        cdef Ent* op_ent
        cdef Item* it
        cdef Item* op
        cdef Ref* ref
        cdef mask_t consumed = 0  # items 0..63 consumed as opinion words (WEAK)
        cdef bint consumed_overflow = False
        cdef list consumed_big = None
        cdef int* ords
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
                            and items[1].s - it.e <= (PRIOR_AFTER_GAP if ent.has_prior else AFTER_GAP)):
                        j = 1
                    else:
                        j = -1
                    if j == 1 and op_ent.kind == WEAK:
                        consumed, consumed_big = _consume(consumed, consumed_big, 1)
                else:
                    j = self._find_opinion(i, n)
                    if j >= 0 and self._ents[items[j].ent].kind == WEAK:
                        consumed, consumed_big = _consume(consumed, consumed_big, j)
                ev_s = it.nstart if it.negated else it.s
                for r in range(ent.ref0, ent.ref0 + ent.nref):
                    ref = &self._refs[r]
                    if j >= 0:
                        op = &items[j]
                        op_ent = &self._ents[op.ent]
                        p = op_ent.pol if op_ent.pol else op_ent.mag * ref.more
                        if op.negated:
                            p = -p
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
                    k0 = n_ment[0]
                    self._m_topic[k0] = ref.topic
                    self._m_p[k0] = p
                    self._m_lo[k0] = lo
                    self._m_hi[k0] = hi
                    n_ment[0] = k0 + 1
                    if p != 0 and p != P_NONE:
                        total += p
        finally:
            if order_buf != NULL:
                free(order_buf)
        if total:
            return 1 if total > 0 else -1
        return prev

    cdef int _find_opinion(self, int i, int n):
        """Index of the opinion word of the term at ``i`` (rules 2 and 5), or -1."""
        cdef Item* items = self._items
        cdef int start = items[i].s, end = items[i].e, j, k
        cdef Ent* ent = &self._ents[items[i].ent]
        cdef mask_t topics = ent.topics
        cdef bint has_prior = ent.has_prior
        cdef Ent* op
        for j in range(i + 1, n):
            op = &self._ents[items[j].ent]
            if (op.kind == OPINION or op.kind == WEAK) and (not op.has_scope or (op.scope & topics)):
                return j if items[j].s - end <= (PRIOR_AFTER_GAP if has_prior else AFTER_GAP) else -1
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

    cdef list _aggregate(self, int n_ment, int doc):
        """One polarity per topic (rule 8), in order of first mention, then sorted by
        evidence start (stable)."""
        cdef int i, k, t, p, pos, neg, pol, count
        cdef list out = []
        cdef mask_t seen = 0
        names = self._topic_names
        for i in range(n_ment):
            t = self._m_topic[i]
            if seen & ((<mask_t> 1) << t):
                continue
            seen |= (<mask_t> 1) << t
            count = 0
            pos = neg = 0
            for k in range(i, n_ment):
                if self._m_topic[k] != t:
                    continue
                count += 1
                p = self._m_p[k]
                if p == P_NONE:
                    p = self._m_p[k] = doc
                if p > 0:
                    pos += 1
                elif p < 0:
                    neg += 1
            if count == 1:
                out.append((names[t], self._m_p[i], self._m_lo[i], self._m_hi[i]))
                continue
            pol = (-1 if neg >= pos else 1) if (pos or neg) else 0
            for k in range(i, n_ment):
                if self._m_topic[k] == t and self._m_p[k] == pol:
                    out.append((names[t], pol, self._m_lo[k], self._m_hi[k]))
                    break
        if len(out) > 1:
            out.sort(key=_evidence_start)
        return out


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
