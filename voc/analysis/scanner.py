"""Finding lexicon phrases and patterns in a text, fast (used by topics and safety).

:class:`Scanner` returns ``(start, end, entry)`` for every phrase or ``re:`` pattern of
a lexicon found in a text, in order and without overlaps; an
:class:`~voc.analysis.aspects.Entry` says what the phrase means. Phrases are looked up
through a jieba cutter (:func:`voc.analysis.segment.phrase_cutter`: the compiled segment
kernel, or rjieba) with a dictionary made of just those phrases, so the cutting runs in
compiled code; patterns run only at the characters they can start with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from voc.analysis import regex_cache
from voc.analysis.aspects import Entry
from voc.analysis.gate import char_gate, need_gate, ranges

__all__ = ["Scanner", "BOUNDARIES", "any_match_gate"]

#: Clause boundaries, always recognised (see :func:`voc.analysis.aspects.resolve_aspects`).
BOUNDARIES = "，,：:（）()“”\"~～… \t/【】[]。.！!？?；;\n\r"
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


@lru_cache(maxsize=4096)
def _parsed(pattern: str) -> list:
    """The parse of a regex as ``re`` reads it, ignoring case (the gates read several
    things from each lexicon pattern: parsed once). Callers must not change it."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    return sre_parse.parse(pattern, re.IGNORECASE).data


def _first_chars(pattern: str) -> set[str] | None:
    """Lower-case characters a match of ``pattern`` can start with; None if unknown."""
    try:
        found, _ = _first_of(_parsed(pattern))
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


# -- the first characters of a pattern's matches (a finer gate) ------------------------
# A summary of what a regex (part) can match: for each of the first _AHEAD positions, the
# class fragments of the character there in matches that long (None: unknown), and the
# lengths shorter than _AHEAD a match can have. Zero-width assertions are ignored, and
# the positions are summarised separately, so the summary is a superset of the matches.
_AHEAD = 3
_UNKNOWN = ((None,) * _AHEAD, frozenset(range(_AHEAD)))
_EMPTY = ((frozenset(),) * _AHEAD, frozenset([0]))
_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _union(a, b):
    return None if a is None or b is None else a | b


def _either(p, q):
    """The summary of ``p`` or ``q``."""
    return tuple(_union(x, y) for x, y in zip(p[0], q[0], strict=True)), p[1] | q[1]


def _then(p, q):
    """The summary of ``p`` followed by ``q``."""
    at = list(p[0])
    for n in p[1]:  # p matched n characters, q goes on from position n
        for i in range(n, _AHEAD):
            at[i] = _union(at[i], q[0][i - n])
    return tuple(at), frozenset(a + b for a in p[1] for b in q[1] if a + b < _AHEAD)


def _one(fragments: frozenset[str] | None) -> tuple:
    return (fragments,) + (frozenset(),) * (_AHEAD - 1), frozenset([1])


def _class_fragments(items) -> frozenset[str] | None:
    out = set()
    for op, av in items:
        name = op.name
        if name == "LITERAL":
            out.add(re.escape(chr(av)))
        elif name == "RANGE":
            out.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif name == "CATEGORY" and av.name in _CATEGORIES:
            out.add(_CATEGORIES[av.name])
        else:  # NEGATE and the rest: no summary
            return None
    return frozenset(out)


def _summary(items) -> tuple:
    """The summary (see above) of a parsed regex sequence."""
    total = _EMPTY
    for op, av in items:
        name = op.name
        if name == "LITERAL":
            part = _one(frozenset([re.escape(chr(av))]))
        elif name == "IN":
            part = _one(_class_fragments(av))
        elif name in ("ANY", "NOT_LITERAL"):
            part = _one(None)
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue
        elif name == "SUBPATTERN":
            part = _summary(av[3])
        elif name == "ATOMIC_GROUP":
            part = _summary(av)
        elif name == "BRANCH":
            part = _summary(av[1][0])
            for alt in av[1][1:]:
                part = _either(part, _summary(alt))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            if lo > 50:
                return _UNKNOWN
            unit = _summary(sub)
            rep = _EMPTY
            for _ in range(lo):
                rep = _then(rep, unit)
            part, seen = rep, {rep}
            for _ in range(hi - lo):  # sub repeated lo+1, lo+2 ... times, until a summary recurs
                rep = _then(rep, unit)
                if rep in seen:
                    break
                if len(seen) > 50:  # pragma: no cover - never with _AHEAD characters
                    return _UNKNOWN
                seen.add(rep)
                part = _either(part, rep)
        else:  # back-references, conditionals ...
            return _UNKNOWN
        total = _then(total, part)
    return total


def _pattern_summary(pattern: str) -> tuple | None:
    """The summary of a regex (see above), or None when its parse cannot be read."""
    try:
        return _summary(_parsed(pattern))
    except Exception:  # noqa: BLE001 - the parser's internals changed: no finer gate
        return None


def _lookahead(pattern: str) -> str | None:
    """A lookahead for the characters after the first one of every match of ``pattern``
    (None: no condition, a match may be one character long or the pattern is unknown)."""
    summary = _pattern_summary(pattern)
    if summary is None:
        return None
    at, lengths = summary
    if 1 in lengths or not at[1]:
        return None
    classes = []
    for i in range(1, _AHEAD):
        if i in lengths or not at[i]:  # a match may end before i
            break
        classes.append(f"[{''.join(sorted(at[i]))}]")
    return "(?i:" + "".join(classes) + ")"


_MAX_STRINGS = 200


def _exact(items) -> frozenset[str] | None:
    """All the strings a parsed regex sequence matches, when they are few (None otherwise)."""
    out = frozenset([""])
    for op, av in items:
        name = op.name
        if name == "LITERAL":
            part: frozenset[str] | None = frozenset([chr(av)])
        elif name == "IN":
            chars = [chr(a) for o, a in av if o.name == "LITERAL"]
            part = frozenset(chars) if len(chars) == len(av) else None
        elif name == "SUBPATTERN":
            part = _exact(av[3])
        elif name == "BRANCH":
            alts = [_exact(alt) for alt in av[1]]
            part = None if any(a is None for a in alts) else frozenset().union(*alts)  # type: ignore[arg-type]
        else:
            part = None
        if part is None or len(out) * len(part) > _MAX_STRINGS:
            return None
        out = frozenset(a + b for a in out for b in part)
    return out


def _required(items) -> frozenset[str] | None:
    """Strings one of which every match of a parsed regex sequence contains (None: none
    found): the strings of a run of parts with few matches each (烧(?:了|坏) → 烧了, 烧坏), or
    what a part that must match requires. The candidate with the longest shortest
    string wins, the last one on ties (the rarer words come last in these patterns)."""
    best: frozenset[str] | None = None
    run: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and "" not in found and (best is None or min(map(len, found)) >= min(map(len, best))):
            best = found

    for op, av in items:
        name = op.name
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # zero-width: the parts either side are still adjacent
        exact = _exact([(op, av)])
        if exact is not None and "" not in exact:
            if run is not None and len(run) * len(exact) <= _MAX_STRINGS:
                run = frozenset(a + b for a in run for b in exact)
            else:
                consider(run)
                run = exact
            continue
        consider(run)
        run = None
        if name == "SUBPATTERN":
            consider(_required(av[3]))
        elif name == "ATOMIC_GROUP":
            consider(_required(av))
        elif name == "BRANCH":
            alts = [_required(alt) for alt in av[1]]
            consider(None if any(a is None for a in alts) else frozenset().union(*alts))  # type: ignore[arg-type]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            consider(_required(av[2]))
        # other parts (optional, any character ...) are not required
    consider(run)
    return best


def any_match_gate(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One search that proves none of ``patterns`` (searched ignoring case) matches a text:
    every match contains one of a few strings read from the patterns (for 电池[^，。]{0,5}
    (?:膨胀|鼓起) one of 膨胀, 鼓起), and ``gate.search(text) is None`` when the text has
    none of them. None when a pattern has no such strings (or cannot be parsed)."""
    needed = required_strings(patterns)
    if not needed:
        return None
    trie: dict = {}
    for word in needed:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def alternatives(node: dict) -> str:
        if "" in node:  # a shorter string already ends here: enough for a search
            return ""
        alts = [re.escape(ch) + alternatives(node[ch]) for ch in sorted(node)]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return regex_cache.compile("|".join(re.escape(ch) + alternatives(trie[ch]) for ch in sorted(trie)), re.IGNORECASE)


def required_strings(patterns: Iterable[str]) -> set[str] | None:
    """Strings one of which every match of any of ``patterns`` (ignoring case) contains,
    or None when a pattern has none (or cannot be parsed): :func:`any_match_gate`'s."""
    needed: set[str] = set()
    for pattern in patterns:
        try:
            found = _required(_parsed(pattern))
        except Exception:  # noqa: BLE001 - the parser's internals changed
            return None
        if not found:
            return None
        needed |= found
    return needed or None


# -- what every match of a pattern needs somewhere in the text (the compiled pattern gate)
# A pattern's needs: clauses of strings, each clause a set one of which every match puts
# in the text (a lookaround's too: what it sees is in the text). The strings are read as
# _required reads them, a run of parts with few matches each joined into one (烧(?:了|坏):
# 烧了, 烧坏), and also from character classes of a few characters and digits: ``\d``
# stands for the ASCII digits here, so a text with another decimal digit is never ruled
# out (see :func:`need_gate`), as a text with a character that only matches a needed one
# when case is ignored (K, the Kelvin sign, for k) is not.
_SMALL_CLASS = 32
_MAX_CHOICES = 16


def _class_chars(av) -> tuple[frozenset[str] | None, bool]:
    r"""(the characters of a character class when few, whether ``\d`` is among them)."""
    chars: set[str] = set()
    digits = False
    for op, a in av:
        name = op.name
        if name == "LITERAL":
            chars.add(chr(a))
        elif name == "RANGE" and a[1] - a[0] < _SMALL_CLASS:
            chars.update(chr(c) for c in range(a[0], a[1] + 1))
        elif name == "CATEGORY" and a.name == "CATEGORY_DIGIT":
            chars.update("0123456789")
            digits = True
        else:  # NEGATE, wide ranges, other categories
            return None, False
    if not chars or len(chars) > _SMALL_CLASS:
        return None, False
    return frozenset(chars), digits


def _few(items, flags: set[str]) -> frozenset[str] | None:
    r"""The strings a parsed regex sequence matches when they are few (None otherwise),
    reading small classes and ``\d`` (noted in ``flags``) as their characters; the
    zero-width parts (lookarounds, anchors) are passed over, so it may hold more strings
    than match, never fewer."""
    out = frozenset([""])
    for op, av in items:
        name = op.name
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name == "LITERAL":
            part: frozenset[str] | None = frozenset([chr(av)])
        elif name == "IN":
            part, digits = _class_chars(av)
            if digits:
                flags.add("digits")
        elif name == "SUBPATTERN":
            part = _few(av[3], flags)
        elif name == "BRANCH":
            alts = [_few(alt, flags) for alt in av[1]]
            part = None if any(a is None for a in alts) else frozenset().union(*alts)  # type: ignore[arg-type]
        else:
            part = None
        if part is None or len(out) * len(part) > _MAX_STRINGS:
            return None
        out = frozenset(a + b for a in out for b in part)
    return out


def _joined(run: frozenset[str] | None, part: frozenset[str]) -> frozenset[str] | None:
    """Every string of ``run`` followed by one of ``part`` (``part`` if no run), or None
    when too many."""
    if run is None:
        return part
    if len(run) * len(part) > _MAX_STRINGS:
        return None
    return frozenset(a + b for a in run for b in part)


def _needs(items, flags: set[str], prefix: frozenset[str] | None = None) -> list[frozenset[str]]:
    r"""The needs (see above) of a parsed regex sequence: clauses of strings, one string of
    each clause in every text a match is found in. ``prefix``: strings one of which the
    text has right before the sequence's match, joined to its first parts. ``flags``
    collects ``digits`` when a ``\d`` was read as the ASCII digits."""
    clauses: list[frozenset[str]] = []
    run = prefix  # the strings of the parts read so far, adjacent, ending where the match is

    def close() -> None:
        if run and "" not in run:
            clauses.append(run)

    for op, av in items:
        name = op.name
        if name in ("AT", "ASSERT_NOT"):
            continue  # zero-width: the parts either side are still adjacent
        if name == "ASSERT":  # what a lookaround sees is in the text too (a lookahead right after the run)
            clauses.extend(_needs(av[1], flags, run if av[0] > 0 else None))
            continue
        exact = _few([(op, av)], flags)
        if exact is not None and "" not in exact:
            joined = _joined(run, exact)
            if joined is None:
                close()
                joined = exact
            run = joined
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            lo, hi, sub = av
            unit = _few(sub, flags)
            if unit is not None and "" not in unit:  # its first copies go on the run
                copies = 0
                while copies < lo and (joined := _joined(run, unit)) is not None:
                    run = joined
                    copies += 1
                if copies == lo == hi:  # exactly so many copies, all on the run: it goes on
                    continue
                close()
                run = None
                continue
            nested = _needs(sub, flags, run)
            close()
            run = None
            clauses.extend(nested)
            continue
        if name == "SUBPATTERN":
            nested = _needs(av[3], flags, run)
        elif name == "ATOMIC_GROUP":
            nested = _needs(av, flags, run)
        elif name == "BRANCH":
            alts = [_needs(alt, flags, run) for alt in av[1]]
            nested = []
            if all(alts):  # a clause of each alternative, joined: every such choice, when few
                choices: list[frozenset[str]] = [frozenset()]
                for alt in alts:
                    if len(choices) * len(alt) > _MAX_CHOICES:
                        alt = [max(alt, key=lambda c: (min(map(len, c)), -len(c)))]
                    choices = [c | d for c in choices for d in alt]
                nested = choices
        else:  # other parts (optional, any character, back-references ...) need nothing
            nested = []
        close()
        run = None
        clauses.extend(nested)
    close()
    return clauses


def pattern_needs(patterns: Iterable[str]) -> tuple[list[list[frozenset[str]]], bool] | None:
    r"""The needs (see above) of each of ``patterns`` (searched ignoring case), their
    strings lower-cased, and whether a ``\d`` was read as the ASCII digits; None when a
    pattern needs nothing or cannot be parsed (no gate can rule a text out)."""
    flags: set[str] = set()
    out = []
    for pattern in patterns:
        try:
            parsed = _parsed(pattern)
            if _refers_back(parsed):  # its groups are numbered otherwise among the others
                return None
            clauses = _needs(parsed, flags)
        except Exception:  # noqa: BLE001 - the parser's internals changed
            return None
        clauses = [frozenset(_lower_chars(s) for s in c) for c in clauses]
        if not clauses:
            return None
        out.append(clauses)
    return out, "digits" in flags


def _refers_back(items) -> bool:
    """Whether a parsed regex has a back-reference (or a conditional on a group)."""
    for op, av in items:
        if op.name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE", "GROUPREF_LOC_IGNORE",
                       "GROUPREF_UNI_IGNORE"):
            return True
        subs = []
        if op.name == "SUBPATTERN":
            subs = [av[3]]
        elif op.name == "ATOMIC_GROUP":
            subs = [av]
        elif op.name in ("ASSERT", "ASSERT_NOT"):
            subs = [av[1]]
        elif op.name == "BRANCH":
            subs = av[1]
        elif op.name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            subs = [av[2]]
        if any(_refers_back(sub) for sub in subs):
            return True
    return False


def _lower_chars(s: str) -> str:
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in s)


def needs_met(low: str, needs: list[list[frozenset[str]]]) -> bool:
    """Whether some pattern's needs are all in ``low`` (the reference of the compiled
    gate, for a text with none of the characters it never rules out)."""
    return any(all(any(s in low for s in clause) for clause in clauses) for clauses in needs)


def _not_after(items) -> frozenset[str]:
    """Characters that cannot come right before a match of a parsed regex sequence, from
    a negative lookbehind it starts with (``(?<![\\d.a-z])``): some of them, enough for a
    gate (a category stands for its ASCII members only)."""
    for op, av in items:
        name = op.name
        if name == "AT":
            continue
        if name == "ASSERT_NOT" and av[0] < 0 and len(av[1].data) == 1:
            sub_op, sub_av = av[1].data[0]
            if sub_op.name == "LITERAL":
                return frozenset(chr(sub_av))
            if sub_op.name == "IN":
                chars: set[str] = set()
                for o, a in sub_av:
                    if o.name == "LITERAL":
                        chars.add(chr(a))
                    elif o.name == "RANGE" and a[1] - a[0] <= 256:
                        chars.update(chr(c) for c in range(a[0], a[1] + 1))
                    elif o.name == "CATEGORY" and a.name == "CATEGORY_DIGIT":
                        chars.update("0123456789")
                    elif o.name == "NEGATE":
                        return frozenset()
                return frozenset(chars)
            return frozenset()
        if name == "SUBPATTERN":
            return _not_after(av[3])
        if name == "BRANCH":
            sets = [_not_after(alt) for alt in av[1]]
            return frozenset.intersection(*sets) if sets else frozenset()
        return frozenset()
    return frozenset()


def _fine_gate(by_char: dict[str, list[tuple[str, Entry]]]) -> re.Pattern[str]:
    """The gate's characters, each only where the next characters can continue a match of
    one of its patterns (compared as the patterns compare: ignoring case) and, when all
    of them start with a negative lookbehind, where the character before allows it."""
    alternatives = []
    for ch in sorted(by_char):
        sources = [source for source, _ in by_char[ch]]
        aheads = [_lookahead(source) for source in sources]
        try:
            before = frozenset.intersection(*(_not_after(_parsed(src))
                                              for src in sources))
        except Exception:  # noqa: BLE001 - the parser's internals changed
            before = frozenset()
        alt = re.escape(ch)
        if before:  # after the character: sre still skips to the gate's characters at once
            alt += f"(?<![{''.join(re.escape(c) for c in sorted(before))}](?s:.))"
        if None not in aheads:
            alt += "(?=" + "|".join(sorted(set(aheads))) + ")"  # type: ignore[arg-type]
        alternatives.append(alt)
    return regex_cache.compile("|".join(alternatives))


# Characters rjieba keeps together in a block; a phrase with others becomes a pattern.
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
FREQ = 1000  # every phrase the same frequency: the fewest phrases win


class Scanner:
    """Lexicon phrases and patterns found in a text, in order, without overlaps.

    Phrases are found by a jieba cutter (compiled, jieba-rs's algorithm) with a
    dictionary of just the lexicon's phrases, all of one frequency: its dynamic
    programme picks the cut of the text that covers it with the fewest phrases,
    preferring a phrase to an unknown character. Where phrases do not overlap that is the longest match (不卡顿 → 不 卡顿);
    where they do, it is the better reading (很好看 → 很 好看, not 很好 看). Matching
    ignores case (the text is lower-cased, which keeps offsets for Chinese and ASCII);
    a phrase that starts or ends with an ASCII letter only matches whole words (``dos``
    is not found in ``windows``).

    ``re:`` patterns, and phrases jieba cannot hold in one piece (with spaces or
    symbols such as °), are matched case-insensitively. The characters a pattern can
    start with are read from the parsed pattern; the text is searched for those
    characters only, and at each one the patterns that can start there are tried in
    lexicon order (one small compiled alternation per character). The search skips the
    places where the next two characters (or the one before, for a pattern that starts
    with a negative lookbehind) rule every pattern out, also read from the parse. A
    pattern that can start anywhere is searched for everywhere (slower). A pattern beats
    the phrases it overlaps unless a phrase starts before it. Punctuation boundaries are
    always part of the lexicon.

    :meth:`cut` gives the jieba words and the lookup for
    :func:`voc.analysis.aspects.resolve_pieces`, which reads them in one pass without
    building the token list (the topic tagger's fast path).
    """

    def __init__(self, literals: dict[str, Entry], patterns: Sequence[tuple[str, Entry]] = ()):
        from voc.analysis.segment import phrase_cutter

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
        self._jieba = phrase_cutter()
        pattern_list = [(src, e.finish()) for src, e in patterns]
        self.jieba_words: list[str] = []  # the phrases its jieba holds, all of frequency FREQ
        for key, entry in self.literals.items():
            if len(key) == 1 or _JIEBA_BLOCK.fullmatch(key):
                self._jieba.add_word(key, FREQ)
                self.jieba_words.append(key)
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
        self._gate = regex_cache.compile(_char_class(by_char)) if by_char else None
        self.has_patterns = self._gate is not None or self._anywhere_re is not None
        # the same positions, less those where no pattern can go on with the next character
        self._fine_gate = _fine_gate(by_char) if by_char else None
        # and before it one compiled pass: does the text have any of those characters
        self._chars = char_gate(ranges(by_char)) if by_char else None
        # and before all of them a compiled pass that rules most texts out for good, and
        # names the few patterns that may match the others: those that have all they need
        # in the text (most reviews have a gate character, few a match); None without the
        # compiled kernel. The patterns it names are then searched one by one.
        needs = pattern_needs(source for source, _ in pattern_list) if pattern_list else None
        self._needs = need_gate(*needs) if needs is not None else None
        # the same for a text not lower-cased yet, that also lets a text through only if
        # it is its own lower case (most are: Chinese with no Latin capitals)
        self._text_needs = need_gate(*needs, lowered=False) if self._needs is not None else None
        self._singles: list[tuple[re.Pattern[str], frozenset[str] | None, Entry]] = []
        if self._needs is not None:
            for source, entry in pattern_list:
                firsts = _first_chars(source)
                self._singles.append((regex_cache.compile(source, re.IGNORECASE),
                                      None if firsts is None else frozenset(firsts), entry))

    def scan(self, text: str) -> list[tuple[int, int, Entry]]:
        """``(start, end, entry)`` of every phrase and pattern found, in text order."""
        low = self.lower(text)
        words = self._jieba.cut(low)
        extra = self._pattern_tokens(low) if self.has_patterns else None
        return self._tokens(low, words, extra)

    def cut(self, text: str) -> tuple[str, list[str], Callable[[str], Entry | None], dict[str, int] | None]:
        """The cut of a text for :func:`voc.analysis.aspects.resolve_pieces`: ``(low, pieces,
        get, edges)``, the same tokens as :meth:`scan` without building them. Usually the
        jieba words, the lexicon lookup (None for words not in the lexicon) and the ASCII
        phrases that must stand as whole words; when a pattern matches, the merged tokens
        and the gaps between them, with their entries in turn (``edges`` None)."""
        low, pieces, entries = self.pieces(text)
        if entries is None:
            return low, pieces, self.literals.get, self._edges
        from voc.analysis.aspects import _reader

        return low, pieces, _reader(entries), None

    def pieces(self, text: str) -> tuple[str, list[str], list[Entry | None] | None]:
        """:meth:`cut` with the entries as a list: ``(low, pieces, entries)``, with
        ``entries`` None for the usual jieba words (to be looked up in ``literals``, the
        ASCII phrases checked against ``_edges``), or the entries of the merged tokens
        and gaps when a pattern matched (the compiled resolver takes either)."""
        low = self.lower(text)
        words = self._jieba.cut(low)
        if self.has_patterns:
            extra = self._pattern_tokens(low)
            if extra:
                from voc.analysis.aspects import token_pieces

                pieces, entries = token_pieces(low, self._tokens(low, words, extra))
                return low, pieces, entries
        return low, words, None

    def lower_and_patterns(self, text: str) -> tuple[str, list[tuple[int, int, Entry]] | None]:
        """``(low, extra)``: :meth:`lower` of ``text`` and its :meth:`_pattern_tokens`
        (None without patterns), without lower-casing a text that is its own lower case."""
        if self._text_needs is not None:
            possible = self._text_needs(text)
            if possible is not None:  # its own lower case
                return text, self._possible_tokens(text, possible) if possible else []
        low = self.lower(text)
        return low, self._pattern_tokens(low) if self.has_patterns else None

    def lower(self, text: str) -> str:
        """The lower-cased text the phrases are looked up in (the text itself when a
        rare character's lower case is longer, so offsets are kept)."""
        low = text.lower()
        return text if len(low) != len(text) else low

    def pattern_entries(self) -> list[Entry]:
        """Every entry a pattern match can carry."""
        groups = list(self._char_re.values())
        if self._anywhere_re is not None:
            groups.append(self._anywhere_re)
        return [entry for _, entries_of in groups for entry in entries_of.values()]

    def _tokens(self, low: str, words: list[str], extra: list[tuple[int, int, Entry]] | None) -> list[tuple[int, int, Entry]]:
        """The tokens of :meth:`scan` from the jieba words and the pattern matches."""
        found = []
        pos = 0
        get, edges = self.literals.get, self._edges
        for word in words:
            end = pos + len(word)
            entry = get(word)
            if entry is not None and (word not in edges or self._whole_word(low, pos, end, edges[word])):
                found.append((pos, end, entry))
            pos = end
        if not extra:
            return found
        merged: list[tuple[int, int, Entry]] = []
        last = 0
        for tok in sorted(extra + found, key=lambda t: t[0]):  # stable: patterns first on ties
            if tok[0] >= last:
                merged.append(tok)
                last = tok[1]
        return merged

    def _pattern_tokens(self, low: str) -> list[tuple[int, int, Entry]]:
        """``(start, end, entry)`` of the ``re:`` patterns (and phrases jieba cannot
        hold) found in a lower-cased text, by start, before merging with the phrases."""
        extra: list[tuple[int, int, Entry]] = []
        if self._needs is not None:
            possible = self._needs(low)
            if possible is not None:
                return self._possible_tokens(low, possible) if possible else extra
        gate = self._fine_gate
        first = gate.search(low) if gate is not None and self._chars(low) else None  # type: ignore[misc]
        if first is not None:  # (most texts have no place where a pattern can start)
            covered = 0
            for g in gate.finditer(low, first.start()):  # type: ignore[union-attr]
                at = g.start()
                if at >= covered:
                    rx, entries_of = self._char_re[low[at]]
                    m = rx.match(low, at)
                    if m is not None and m.end() > at:
                        extra.append((at, m.end(), entries_of[m.lastindex]))
                        covered = m.end()
        if self._anywhere_re is not None:
            rx, entries_of = self._anywhere_re
            gated = len(extra)
            extra.extend((m.start(), m.end(), entries_of[m.lastindex]) for m in rx.finditer(low) if m.end() > m.start())
            if gated and len(extra) > gated:  # two runs, each in order: merged by start (stable)
                extra.sort(key=lambda t: t[0])
        return extra

    def _possible_tokens(self, low: str, possible: tuple[int, ...]) -> list[tuple[int, int, Entry]]:
        """:meth:`_pattern_tokens` when only the patterns numbered ``possible`` (in
        order) can match: the same matches, each of those patterns searched on its own.
        The dispatch of :meth:`_pattern_tokens` tries, at each place not covered by an
        earlier match, the patterns that can start with its character in order, and takes
        the first that matches there (nothing when that match is empty); the others never
        match, so that is the first of these that matches there."""
        singles = self._singles
        if self._anywhere_re is None:  # (then every pattern has its first characters)
            gated = [singles[i] for i in possible] if len(possible) > 1 else None
        else:
            gated = [singles[i] for i in possible if singles[i][1] is not None]
        extra: list[tuple[int, int, Entry]] = []
        if gated is None or len(gated) == 1:  # the usual case: one pattern
            rx, firsts, entry = singles[possible[0]] if gated is None else gated[0]
            pos = 0
            while (m := rx.search(low, pos)) is not None:
                at, end = m.span()
                if low[at] in firsts and end > at:  # type: ignore[operator]
                    extra.append((at, end, entry))
                    pos = end
                else:
                    pos = at + 1
        elif gated:
            found = [_next_match(rx, firsts, low, 0) for rx, firsts, _ in gated]  # type: ignore[arg-type]
            pos = 0
            while True:
                best = -1
                for k, m in enumerate(found):
                    if m is not None and m.start() < pos:
                        m = found[k] = _next_match(gated[k][0], gated[k][1], low, pos)  # type: ignore[arg-type]
                    if m is not None and (best < 0 or m.start() < found[best].start()):  # type: ignore[union-attr]
                        best = k
                if best < 0:
                    break
                at, end = found[best].span()  # type: ignore[union-attr]
                if end > at:
                    extra.append((at, end, gated[best][2]))
                    pos = end
                else:
                    pos = at + 1
        if self._anywhere_re is not None:  # as _pattern_tokens finds them
            rx, entries_of = self._anywhere_re
            gated_n = len(extra)
            extra.extend((m.start(), m.end(), entries_of[m.lastindex]) for m in rx.finditer(low) if m.end() > m.start())
            if gated_n and len(extra) > gated_n:
                extra.sort(key=lambda t: t[0])
        return extra

    @staticmethod
    def _whole_word(low: str, start: int, end: int, edge: int) -> bool:
        """Whether an ASCII phrase stands as a whole word (not inside a longer one)."""
        return not ((edge & 1 and start and low[start - 1] in _LETTERS)
                    or (edge & 2 and end < len(low) and low[end] in _LETTERS))

def _next_match(rx: re.Pattern[str], firsts: frozenset[str], low: str, pos: int) -> re.Match[str] | None:
    """The first match of ``rx`` in ``low`` from ``pos`` that starts with one of ``firsts``."""
    while (m := rx.search(low, pos)) is not None:
        if low[m.start()] in firsts:
            return m
        pos = m.start() + 1
    return None


def _grouped(patterns: list[tuple[str, Entry]]) -> tuple[re.Pattern[str], dict[int, Entry]]:
    """One case-insensitive regex of alternatives, and the entry of each outer group."""
    entries: dict[int, Entry] = {}
    group = 1
    for source, entry in patterns:
        entries[group] = entry
        group += 1 + regex_cache.compile(source).groups
    return regex_cache.compile("|".join(f"({src})" for src, _ in patterns), re.IGNORECASE), entries
