"""Character gates: cheap necessary conditions that rule most texts out of a stage.

``char_gate(singles, first, then)`` returns ``search(text) -> bool``: True when the text
contains a character of ``singles``, or a character of ``first`` right before one of
``then``. Sets are given as code point ranges (:func:`ranges`). The compiled
:mod:`voc.analysis._gate_fast` kernel answers with one table lookup per character; without
it the same question goes to a regular expression.

A gate must only ever say "maybe" for a text the stage could match: give it every
character a match can start with (:func:`with_cases` adds the other cases of letters,
for stages that ignore case), never fewer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, partial

__all__ = ["char_gate", "lowering_into", "need_gate", "ranges", "with_cases", "WHITESPACE"]

Ranges = Sequence[tuple[int, int]]

# What `\s` matches in a str regex (str.isspace); none lies above U+3000.
WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())


def ranges(chars: Iterable[str]) -> list[tuple[int, int]]:
    """The code points of ``chars`` as sorted, merged ``(low, high)`` ranges."""
    out: list[list[int]] = []
    for code in sorted({ord(ch) for ch in chars}):
        if out and out[-1][1] + 1 == code:
            out[-1][1] = code
        else:
            out.append([code, code])
    return [(lo, hi) for lo, hi in out]


def with_cases(chars: Iterable[str]) -> set[str]:
    """Every character a case-insensitive regular expression matches to one of
    ``chars`` (``k`` also stands for ``K`` and the Kelvin sign): the Basic Multilingual
    Plane is tested with such an expression; a character beyond it brings its own
    upper and lower case."""
    chars = set(chars)
    if not any(ch.lower() != ch or ch.upper() != ch for ch in chars):
        return chars  # uncased (Chinese, digits): only themselves
    regex = re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]", re.IGNORECASE)
    out = {ch for ch in _cased_bmp() if regex.match(ch)} | chars
    for ch in chars:
        out |= {v for v in (ch.lower(), ch.upper(), ch.casefold(), ch.swapcase()) if len(v) == 1}
    return out


@lru_cache(maxsize=1)
def _cased_bmp() -> tuple[str, ...]:
    """The characters of the Basic Multilingual Plane that have another case (only
    they can match a character other than themselves when case is ignored)."""
    return tuple(ch for ch in map(chr, range(0x10000)) if ch.lower() != ch or ch.upper() != ch)


def lowering_into(chars: Iterable[str]) -> set[str]:
    """``chars`` and every character whose lower case starts with one of them (``Y`` for
    ``y``, the Kelvin sign for ``k``): for stages that lower-case the text first. Only
    the Basic Multilingual Plane is searched (the few cased scripts beyond it, Deseret
    and the like, lower into themselves)."""
    chars = set(chars)
    return chars | {ch for ch in _cased_bmp() if ch.lower()[:1] in chars}


def char_gate(singles: Ranges, first: Ranges = (), then: Ranges = ()) -> Callable[[str], bool]:
    """``search(text) -> bool`` for these ranges (see the module docstring)."""
    from voc.analysis import compiled

    module = compiled("_gate_fast")
    if module is not None:
        return module.CharGate(list(singles), list(first), list(then)).search
    alternatives = [_class(singles)] if singles else []
    if first and then:
        alternatives.append(_class(first) + _class(then))
    if not alternatives:
        return _never
    return partial(_found, re.compile("|".join(alternatives)))  # a function that pickles


def _never(text: str) -> bool:
    return False


def _found(regex: re.Pattern[str], text: str) -> bool:
    return regex.search(text) is not None


def _class(rs: Ranges) -> str:
    return "[" + "".join(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
                         for lo, hi in rs) + "]"


def need_gate(needs: Sequence[Sequence[Iterable[str]]], digits: bool = False,
              lowered: bool = True) -> Callable[[str], tuple[int, ...] | None] | None:
    """``possible(text)``, for patterns searched ignoring case in a lower-cased text,
    from their needs (:func:`voc.analysis.scanner.pattern_needs`: per pattern, clauses
    of strings one of which every match puts in the text): the numbers (in order) of the
    patterns with a string of each of their clauses in the text, the others cannot match
    it. ``digits``: the needs read ``\\d`` as the ASCII digits. For a text with a
    character that matches a needed one only when case is ignored (K, the Kelvin sign,
    for k), or with a decimal digit other than 0-9 when ``digits``, None: any pattern
    may match. ``lowered=False``: for a text not lower-cased, also None for a text with a
    character its lower case changes (so a text it reads is its own lower case). The
    gate itself is None when the compiled :mod:`voc.analysis._gate_fast` kernel is not
    built (the callers then match as they would without it)."""
    from voc.analysis import compiled

    module = compiled("_gate_fast")
    if module is None:
        return None
    chars = {ch for clauses in needs for clause in clauses for word in clause for ch in word}
    maybe: set[str] = set()
    for ch in chars:
        maybe |= with_cases({ch}) - {ch}
    spans = ranges(maybe)
    if digits:
        spans = sorted(spans + _other_digits())
    if not lowered:
        spans = sorted(spans + lowering_chars())
    return module.NeedGate([[list(clause) for clause in clauses] for clauses in needs], spans).possible


@lru_cache(maxsize=1)
def _other_digits() -> list[tuple[int, int]]:
    """The decimal digits ``\\d`` matches besides 0-9, as ranges."""
    return ranges(ch for ch in map(chr, range(0x110000)) if ch.isdecimal() and not ch.isascii())


@lru_cache(maxsize=1)
def lowering_chars() -> list[tuple[int, int]]:
    """The characters whose lower case is not themselves, as ranges (a text without any
    is its own lower case)."""
    return ranges(ch for ch in map(chr, range(0x110000)) if ch.lower() != ch)
