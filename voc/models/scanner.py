"""Finding lexicon phrases and patterns in a text, fast (used by topics and safety).

:class:`Scanner` returns ``(start, end, entry)`` for every phrase or ``re:`` pattern of
a lexicon found in a text, in order and without overlaps; an
:class:`~voc.models.aspects.Entry` says what the phrase means. Phrases are looked up
through the Rust jieba (``rjieba``) with a dictionary made of just those phrases, so the
cutting runs in compiled code; patterns run only at the characters they can start with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from voc.models.aspects import Entry

__all__ = ["Scanner", "BOUNDARIES"]

#: Clause boundaries, always recognised (see :func:`voc.models.aspects.resolve_aspects`).
BOUNDARIES = "，,：:（）()“”\"~～… \t/【】[]。.！!？?；;\n\r"
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _first_chars(pattern: str) -> set[str] | None:
    """Lower-case characters a match of ``pattern`` can start with; None if unknown."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        found, _ = _first_of(sre_parse.parse(pattern, re.IGNORECASE).data)
    except Exception:  # noqa: BLE001 - the parser's internals changed: no dispatch
        return None
    if found is None:
        return None
    return {c.lower() for c in found if len(c.lower()) == 1}  # the text is lower-cased


def _first_of(items: list) -> tuple[set[str] | None, bool]:
    """(first characters or None, can match empty) of a parsed regex sequence."""
    out: set[str] = set()
    for op, av in items:
        name = op.name
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue
        if name == "LITERAL":
            return out | {chr(av)}, False
        if name == "IN":
            chars = _in_chars(av)
            return (None if chars is None else out | chars), False
        if name == "BRANCH":
            subs, nullable = av[1], False
        elif name == "SUBPATTERN":
            subs, nullable = [av[3]], False
        elif name == "ATOMIC_GROUP":
            subs, nullable = [av], False
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            subs, nullable = [av[2]], av[0] == 0
        else:
            return None, False  # ANY, NOT_LITERAL, back-references ...
        for sub in subs:
            chars, empty = _first_of(sub)
            if chars is None:
                return None, False
            out |= chars
            nullable |= empty
        if not nullable:
            return out, False
    return out, True


def _in_chars(items: list) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op.name == "LITERAL":
            chars.add(chr(av))
        elif op.name == "RANGE" and av[1] - av[0] <= 256:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op.name == "CATEGORY" and av.name == "CATEGORY_DIGIT":
            chars.update("0123456789")
        elif op.name == "CATEGORY" and av.name == "CATEGORY_SPACE":
            chars.update(" \t\n\r\f\v\u3000")
        else:
            return None
    return chars


# Characters rjieba keeps together in a block; a phrase with others becomes a pattern.
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_FREQ = 1000  # every phrase the same frequency: the fewest phrases win


class Scanner:
    """Lexicon phrases and patterns found in a text, in order, without overlaps.

    Phrases are found by the Rust jieba (``rjieba``) with a dictionary of just the
    lexicon's phrases, all of one frequency: its dynamic programme picks the cut of the
    text that covers it with the fewest phrases, preferring a phrase to an unknown
    character. Where phrases do not overlap that is the longest match (不卡顿 → 不 卡顿);
    where they do, it is the better reading (很好看 → 很 好看, not 很好 看). Matching
    ignores case (the text is lower-cased, which keeps offsets for Chinese and ASCII);
    a phrase that starts or ends with an ASCII letter only matches whole words (``dos``
    is not found in ``windows``).

    ``re:`` patterns, and phrases jieba cannot hold in one piece (with spaces or
    symbols such as °), are matched case-insensitively. The characters a pattern can
    start with are read from the parsed pattern; the text is searched for those
    characters only, and at each one the patterns that can start there are tried in
    lexicon order (one small compiled alternation per character). A pattern that can
    start anywhere is searched for everywhere (slower). A pattern beats the phrases it
    overlaps unless a phrase starts before it. Punctuation boundaries are always part
    of the lexicon.
    """

    def __init__(self, literals: dict[str, Entry], patterns: Sequence[tuple[str, Entry]] = ()):
        import rjieba

        lits: dict[str, Entry] = {ch: Entry(boundary=True) for ch in BOUNDARIES}
        for text, entry in literals.items():
            key = text.lower()
            if key in lits:
                merged = Entry()
                merged.merge(lits[key])
                merged.merge(entry)
                lits[key] = merged
            else:
                lits[key] = entry
        self.literals = {k: e.finish() for k, e in lits.items()}
        self._jieba = rjieba.Jieba.empty()
        pattern_list = [(src, e.finish()) for src, e in patterns]
        for key, entry in self.literals.items():
            if len(key) == 1 or _JIEBA_BLOCK.fullmatch(key):
                self._jieba.add_word(key, _FREQ, None)
            else:
                pattern_list.append((r"\s*".join(re.escape(part) for part in key.split()), entry))
        self._edges = {k: (k[0] in _LETTERS) | ((k[-1] in _LETTERS) << 1)
                       for k in self.literals if k[0] in _LETTERS or k[-1] in _LETTERS}
        # patterns: one small regex per character a pattern can start with
        by_char: dict[str, list[tuple[str, Entry]]] = {}
        anywhere: list[tuple[str, Entry]] = []
        for source, entry in pattern_list:
            firsts = _first_chars(source)
            for target in [anywhere] if firsts is None else [by_char.setdefault(c, []) for c in firsts]:
                target.append((source, entry))
        self._char_re = {ch: _grouped(pats) for ch, pats in by_char.items()}
        self._anywhere_re = _grouped(anywhere) if anywhere else None
        self._gate = re.compile(_char_class(by_char)) if by_char else None

    def scan(self, text: str) -> list[tuple[int, int, Entry]]:
        """``(start, end, entry)`` of every phrase and pattern found, in text order."""
        low = text.lower()
        if len(low) != len(text):  # rare characters whose lower case is longer
            low = text
        found = []
        pos = 0
        get, edges = self.literals.get, self._edges
        for word in self._jieba.cut(low, False):
            end = pos + len(word)
            entry = get(word)
            if entry is not None and (word not in edges or self._whole_word(low, pos, end, edges[word])):
                found.append((pos, end, entry))
            pos = end
        if self._gate is None and self._anywhere_re is None:
            return found
        extra = []
        if self._gate is not None:
            covered = 0
            for g in self._gate.finditer(low):
                at = g.start()
                if at >= covered:
                    rx, entries_of = self._char_re[low[at]]
                    m = rx.match(low, at)
                    if m is not None and m.end() > at:
                        extra.append((at, m.end(), entries_of[m.lastindex]))
                        covered = m.end()
        if self._anywhere_re is not None:
            rx, entries_of = self._anywhere_re
            extra.extend((m.start(), m.end(), entries_of[m.lastindex]) for m in rx.finditer(low) if m.end() > m.start())
        if not extra:
            return found
        merged: list[tuple[int, int, Entry]] = []
        last = 0
        for tok in sorted(extra + found, key=lambda t: t[0]):  # stable: patterns first on ties
            if tok[0] >= last:
                merged.append(tok)
                last = tok[1]
        return merged

    @staticmethod
    def _whole_word(low: str, start: int, end: int, edge: int) -> bool:
        """Whether an ASCII phrase stands as a whole word (not inside a longer one)."""
        return not ((edge & 1 and start and low[start - 1] in _LETTERS)
                    or (edge & 2 and end < len(low) and low[end] in _LETTERS))

def _grouped(patterns: list[tuple[str, Entry]]) -> tuple[re.Pattern[str], dict[int, Entry]]:
    """One case-insensitive regex of alternatives, and the entry of each outer group."""
    entries: dict[int, Entry] = {}
    group = 1
    for source, entry in patterns:
        entries[group] = entry
        group += 1 + re.compile(source).groups
    return re.compile("|".join(f"({src})" for src, _ in patterns), re.IGNORECASE), entries
