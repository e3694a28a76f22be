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
from libc.stdlib cimport calloc, free

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
