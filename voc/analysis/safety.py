"""The safety flag: does a record report smoke, fire, explosion, sparks, battery
swelling, electric leakage or shock, burns or melting?

A safety report is a flag on a record, not a topic (DESIGN.md), and always the highest
priority. The phrases live in ``safety.tsv`` (format in its header); detection is
negation- and hypothesis-aware, clause by clause:

>>> detector = SafetyDetector.from_lexicons()
>>> detector.detect("充电的时候电池鼓包了，后盖都被顶起来了").category
'swelling'
>>> detector.detect("用了一个月，没有鼓包，也不会漏电") is None
True
>>> detector.detect("担心充电时会不会爆炸？") is None
True

A hazard phrase flags the record unless, in its clause, a negator comes right before
it (degree words such as 出现过 may sit between: 没有出现过冒烟) or a hypothetical
marker appears anywhere (担心, 会不会, 吗, 以免, 听说 ...), or its clause is a question
answered by a denial (电池鼓包了？没有，是我看错了). Ambiguous phrases (``?``
classes, such as 漏电, which phone users also say of a battery that drains) flag only
when the text has a confirming word (麻, 手摸 ...) or no dismissing one (待机, 耗电 ...);
such words may be limited to one category (``dismiss:explosion`` for 屏幕 in 屏幕炸了).
Most texts mention no hazard at all; a compiled regular expression of the hazard
phrases skips them before any clause analysis.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from voc.analysis import regex_cache
from voc.analysis.aspects import Entry, TopicRef, add_phrase, normalized
from voc.analysis.gate import char_gate, need_gate, ranges, with_cases
from voc.analysis.scanner import (
    BOUNDARIES,
    Scanner,
    any_match_gate,
    pattern_needs,
    required_strings,
)
from voc.errors import LexiconError
from voc.lexicon import Lexicons, read_lines

__all__ = ["SafetyHit", "SafetyDetector", "HAZARD_CLASSES"]

#: A question answered by a denial is no report: 电池鼓包了？没有，是我看错了 (and one the customer
#: takes back as a mistake further on: see :data:`_RETRACTION`).
#: The answer must be a bare denial (没有, / 不是。) or say the report was a mistake; 不是吧
#: (disbelief) and 没事吧 (concern) are no answers: a safety flag errs on reporting.
_DENIAL = regex_cache.compile(r"[?？]+[\s!！。，,]*(?:(?:没有|没|不是|并没有|并不是|不存在的?|不会)(?:[\s，,。.!！]|$)|是我看错|我看错|看错了|误会了|搞错了|一切正常)")


#: A report taken back later in the text (电池鼓包了？我看后盖好像有点翘起来 / 没有，是我看错了，是保护壳
#: 没装好): the words that say it was a mistake, unless they only feared or supposed one
#: (还以为是我看错了, 怕是看错了).
_RETRACTION = regex_cache.compile(r"是我看错|我看错|看错了|误会了|搞错了|虚惊一场")
_NOT_RETRACTING = regex_cache.compile(r"以为|怕|担心|是不是|会不会|不是我|不是看错")
_CLAUSE_END = frozenset("，。！？,.!?；;\n/")


def _denied(text: str, end: int) -> bool:
    """Whether the clause ending at ``end`` is a question its next words deny, or one taken
    back as a mistake later in the text."""
    if not (end < len(text) and text[end] in "?？"):
        return False
    if _DENIAL.match(text, end) is not None:
        return True
    for m in _RETRACTION.finditer(text, end + 1):
        start = max(end + 1, m.start() - 6)  # the words just before, in the same clause
        for i in range(m.start() - 1, start - 1, -1):
            if text[i] in _CLAUSE_END:
                start = i + 1
                break
        if _NOT_RETRACTING.search(text, start, m.end()) is None:
            return True
    return False

def question_denied(text: str, end: int) -> bool:
    """Whether the clause ending at ``end`` asks a question that its next words deny, or
    that is taken back as a mistake later in ``text`` (电池鼓包了？没有，是我看错了)."""
    return _denied(text, end)


def denied_question(text: str) -> bool:
    """Whether a question in ``text`` is answered no or taken back as a mistake (电池鼓包了？
    没有，是我看错了): what it asked about was not the case."""
    return any(_denied(text, i) for i, c in enumerate(text) if c in "?？")


SAFETY_FILE = "safety.tsv"
HAZARD_CLASSES = ("fire", "smoke", "explosion", "spark", "swelling", "shock", "burn", "melt")
_OTHER_CLASSES = ("negator", "degree", "hypo", "confirm", "dismiss", "exclude")
NEG_GAP = 2  # max characters between a negator (or degree word) and the next word
EVIDENCE_CHARS = 40


@dataclass(slots=True)
class SafetyHit:
    """The first hazard reported in a text.

    Attributes:
        term: the matched phrase, as written in the text.
        evidence: the clause that reports it (at most 40 characters around the term).
        category: fire, smoke, explosion, spark, swelling, shock, burn or melt.
        start: offset of ``term`` in the normalised text.
    """

    term: str
    evidence: str
    category: str
    start: int


def _entry(cls: str, where: str) -> Entry:
    category = cls.rstrip("?")
    if category in HAZARD_CLASSES:
        return Entry(refs=(TopicRef(category, prior=-1, fallback=not cls.endswith("?")),))
    if cls == "negator":
        return Entry(negator=True)
    if cls == "degree":
        return Entry(degree=True)
    if cls == "hypo":
        return Entry(hypo=True)
    kind, _, scope = cls.partition(":")
    scopes = [c for c in scope.split(",") if c]  # dismiss:explosion,fire: for both
    if kind in ("confirm", "dismiss") and all(c in HAZARD_CLASSES for c in scopes):
        return Entry(context=1 if kind == "confirm" else -1, scope=frozenset(scopes) if scopes else None)
    if cls == "exclude":
        return Entry(exclude=True)
    expected = ", ".join(HAZARD_CLASSES + _OTHER_CLASSES)
    raise LexiconError(f"{where}: unknown class {cls!r} (expected one of {expected}; a hazard may end in ?)")


def read_safety(path: Path) -> tuple[dict[str, Entry], list[tuple[str, Entry]]]:
    """Read ``safety.tsv`` (``phrase<TAB>class`` lines) into scanner entries."""
    literals: dict[str, Entry] = {}
    patterns: list[tuple[str, Entry]] = []
    for number, line in read_lines(path):
        where = f"{path.name}:{number}"
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != 2 or not fields[0] or not fields[1]:
            raise LexiconError(f"{where}: expected phrase<TAB>class, got {line!r}")
        add_phrase(fields[0], _entry(fields[1], where), literals, patterns, where)
    return literals, patterns


class SafetyDetector:
    """Flag safety reports, from the phrases of ``safety.tsv`` (:func:`read_safety`).

    :meth:`from_lexicons` reads the file in effect.

    Attributes:
        version: a short hash of the lexicon file used.
    """

    def __init__(self, literals: dict[str, Entry], patterns: list[tuple[str, Entry]],
                 version: str = "safety-custom"):
        self._scanner = Scanner(literals, patterns)
        # most texts name no hazard: skip them with searches that run in C, one for the
        # phrases (all starting with a literal, so the search jumps between candidates)
        # and one per pattern
        hazards = sorted((re.escape(k) for k, e in literals.items() if e.refs), key=len, reverse=True)
        self._prefilters = [regex_cache.compile("|".join(hazards), re.IGNORECASE)] if hazards else []
        self._prefilters += [regex_cache.compile(src, re.IGNORECASE) for src, e in patterns if e.refs]
        # and before them one search that rules most texts out: for strings one of which
        # every match contains (the phrases; 膨胀, 鼓起 ... for 电池[^，。]{0,5}(?:膨胀|鼓起))
        gated = hazards + [src for src, e in patterns if e.refs]
        self._gate = any_match_gate(gated)
        # and before that a pass over the characters: a one-character string, or the first
        # two characters of a longer one next to each other
        needed = required_strings(gated) if self._gate is not None else None
        self._chars = None
        if needed:
            singles = with_cases(w for w in needed if len(w) == 1)
            longer = [w for w in needed if len(w) > 1]
            self._chars = char_gate(ranges(singles), ranges(with_cases(w[0] for w in longer)),
                                    ranges(with_cases(w[1] for w in longer)))
        # and first of all, compiled: the hazards whose needs (:func:`pattern_needs`) are
        # all in the text; none for most texts (None without the compiled kernel)
        needs = pattern_needs(gated) if gated else None
        self._needs = need_gate(*needs) if needs is not None else None
        self.version = version

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons | None = None) -> SafetyDetector:
        """The detector of ``safety.tsv`` in effect (``None``: packaged)."""
        lexicons = lexicons if lexicons is not None else Lexicons.packaged()
        path = lexicons.path(SAFETY_FILE)
        return cls(*lexicons.parsed(SAFETY_FILE, read_safety), "safety-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12])

    def detect(self, text: str | None) -> SafetyHit | None:
        """The first hazard the text reports (not negated, not hypothetical), or None."""
        found = self._hits(text, first=True)
        return found[0] if found else None

    def detect_all(self, text: str | None) -> list[SafetyHit]:
        """Every hazard the text reports, the first report of each kind, in the order they
        are reported (鼓包了，还冒烟: swelling, then smoke); empty when it reports none."""
        return self._hits(text, first=False)

    def _hits(self, text: str | None, first: bool) -> list[SafetyHit]:
        if not text:
            return []
        norm = normalized(text)
        if self._needs is not None and self._needs(norm) == ():
            return []  # no hazard can match (None: a character the gate cannot read)
        if self._chars is not None and not self._chars(norm):
            return []
        if self._gate is not None and self._gate.search(norm) is None:
            return []
        if not any(rx.search(norm) for rx in self._prefilters):
            return []
        tokens = self._scanner.scan(norm)
        confirmed = {c for _, _, e in tokens if e.context > 0 for c in (e.scope or ("*",))}
        dismissed = {c for _, _, e in tokens if e.context < 0 for c in (e.scope or ("*",))}
        found: list[SafetyHit] = []
        clause: list[tuple[int, int, Entry]] = []
        clause_start = 0
        for tok in tokens + [(len(norm), len(norm), Entry(boundary=True))]:
            if tok[2].boundary and (tok[0] == len(norm) or norm[tok[0]] in BOUNDARIES):
                if clause and not _denied(norm, tok[0]):
                    for hit in self._clause_hits(norm, clause, clause_start, tok[0], confirmed, dismissed):
                        if first:
                            return [hit]
                        if all(h.category != hit.category for h in found):
                            found.append(hit)
                clause, clause_start = [], tok[1]
            else:
                clause.append(tok)
        return found

    def detect_many(self, texts: Iterable[str | None]) -> list[SafetyHit | None]:
        """:meth:`detect` for many texts."""
        return [self.detect(t) for t in texts]

    @staticmethod
    def _clause_hits(text: str, clause: list, start: int, end: int, confirmed: set[str],
                     dismissed: set[str]) -> Iterator[SafetyHit]:
        """The hazards a clause reports, in order (none when it is hypothetical)."""
        if not clause or any(e.hypo for _, _, e in clause):
            return
        neg_par, neg_end = 0, -99
        for s, e, ent in clause:
            if ent.negator:
                neg_par = neg_par ^ 1 if s - neg_end <= NEG_GAP else 1
                neg_end = e
                continue
            if ent.degree:
                if s - neg_end <= NEG_GAP:
                    neg_end = e
                continue
            if ent.refs:
                ref = ent.refs[0]
                negated = neg_par == 1 and s - neg_end <= NEG_GAP
                ambiguous_ok = (ref.fallback or bool(confirmed & {"*", ref.topic})
                                or not dismissed & {"*", ref.topic})
                if not negated and ambiguous_ok:
                    lo = max(start, s - (EVIDENCE_CHARS - (e - s)) // 2)
                    hi = min(end, lo + EVIDENCE_CHARS)
                    yield SafetyHit(text[s:e], text[lo:hi].strip(), ref.topic, s)
                if negated:  # 没有冒烟起火过, 没有冒烟和起火: the negation covers the hazards joined to it
                    neg_end = e
                    continue
            neg_par, neg_end = 0, -99
