"""Lexicon scanning and aspect-level polarity, shared by topics and the safety flag.

* :class:`Entry` says what one lexicon phrase means: a topic term (:class:`TopicRef`),
  an opinion word, a negator, a degree word, a contrast or hypothetical marker ... A
  phrase may mean several things (漂亮 is a ``build`` term and a positive opinion word).
* :class:`voc.analysis.scanner.Scanner` finds the phrases of a lexicon in a text.
* :func:`resolve_aspects` gives each topic found its polarity in the text;
  :func:`resolve_pieces` does the same straight from the scanner's cut (the fast path).
* :func:`read_opinions` reads ``opinion.tsv``.

Aspect polarity rules, per topic term (``lexicons/opinion.tsv`` documents them too):

1. The text is cut into clauses at punctuation (，。！？；：… and spaces between
   Chinese characters); a term only interacts with the words of its own clause.
2. Its opinion word is the first one after it in the clause (屏幕很好, 屏幕和键盘都很好),
   unless a term of another topic not joined to it comes first, which the opinion is
   said of (换货的第二台是有外观瑕疵的 judges the looks, not the exchange), or a term of
   its own topic read the other way (价格性价比非常高: 高 is said of 性价比); else the
   nearest one before it when no other term comes first (很清晰的屏幕).
3. A negator right before a word (degree words may sit between: 不太好, 不是很流畅)
   flips it; an even number of negators cancels out.
4. Magnitude words (大/小/高/低/快/慢/长/短 …, classes ``more``/``less``) are read
   through the term's ``more`` direction from ``topics.tsv``: 续航长 and 发热小 are
   positive, 发热大 and 续航短 negative.
5. Without an opinion word, a term with its own polarity (卡顿 neg, 流畅 pos) keeps it,
   flipped when negated (不卡, 没有死机 → pos); such a term takes only an opinion word
   right after it (发热严重, 发热不大). A neutral aspect after 没/没有/无/未 is missing,
   a complaint (没有耳机 → neg).
6. In a hypothetical or asked clause (会不会发热, 希望包装能完好, 能调低亮度吗) a term is
   neutral, its opinion word included (not when the clause runs on through 、, a
   writer's comma there). Otherwise the context decides: the other opinion words of
   the clause; then a 缺点/优点 heading before it; then a
   contrast (但是, 不过) takes the opposite of the previous clause; then the document's
   sentiment (given by the caller, or else the sign of the opinion words of the whole
   text), except in a clause that ends in a question mark when the caller asks for it
   (a ticket: 退货的运费怎么算? asks, whatever the rest of the session says); else
   neutral. A clause that turns and judges with no term of its own (摄像头效果不错，但可惜
   不能旋转; 鼠标虽然小了点，可是灵活度还可以) says it of what an opinion word judged the other
   way in the clause before, and has the last word: a concession.
   Rows marked ``neu`` in ``topics.tsv`` (退货,
   检测, product specs) skip the context and stay neutral.
7. A word that is both a term and an opinion word is the opinion of the term it
   attaches to (屏幕很漂亮 → display:pos only) and its own topic otherwise (很漂亮 →
   build:pos). A ``generic`` term right after another term belongs to it (快递速度 is
   logistics, 电池性能 battery).
8. A topic mentioned several times takes the majority of its non-neutral mentions
   (in a ticket, of those that say their polarity themselves, an opinion word or a prior
   of their own, when there are any);
   a tie goes to negative (a complaint is not cancelled by a praise).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from voc.analysis import regex_cache
from voc.analysis.normalize import normalize
from voc.errors import LexiconError
from voc.lexicon import read_lines

__all__ = ["POLARITY", "Entry", "TopicRef", "resolve_aspects", "resolve_pieces", "token_pieces", "normalized",
           "mark_normalized",
           "read_opinions", "split_terms", "add_phrase"]

POLARITY = {1: "pos", 0: "neu", -1: "neg"}
OPINION_CLASSES = ("pos", "neg", "neu", "more", "less", "negator", "degree", "contrast", "hypo", "cons", "pros")

# ASCII clause boundaries between two ASCII letters or digits (16:9, 1.6GHz) do not count.
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_EXISTENTIAL = frozenset("没无未缺少")  # negators that say something is missing
#: Nouns of trouble: after a term negated by 没有 (没有发热问题, 没有什么信号问题) the negation
#: covers the whole phrase, and the trouble is denied.
_TROUBLE = frozenset(("问题", "毛病", "故障", "瑕疵", "异常", "缺陷"))
#: Negators that say a worry is gone (不用担心, 告别): they cover the clause after them, the
#: term and what is said of it (再也不用担心内存不够用 praises the memory).
#: After an opinion word, the trouble noun its phrase describes (没有出现发热严重的问题: what
#: 没有 denies is the trouble, the opinion word included).
_TROUBLE_AFTER = re.compile("的?(?:问题|毛病|故障|现象|情况|异常)")
_WORRY_GONE = ("不用担心", "再也不用担心", "不必担心", "不再担心", "告别", "不怕")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")

AFTER_GAP = 10  # max characters between a term and an opinion word after it
PRIOR_AFTER_GAP = 4  # ... for a term with its own polarity
BEFORE_GAP = 6  # ... and before it
NEG_GAP = 2  # max characters between a negator (or degree word) and the next word
SAID_OF_GAP = 3  # max characters between a term and a magnitude said of it across a term before it (键盘噪音也很小)

# Entry kinds
NONE, BOUNDARY, NEGATOR, DEGREE, OPINION, TERM, WEAK = range(7)


@dataclass(frozen=True, slots=True)
class TopicRef:
    """A topic a term names: its ``prior`` polarity (-1/0/1) and ``more`` direction (±1)."""

    topic: str
    prior: int = 0
    more: int = 1
    fallback: bool = True  # without an opinion word, follow the context (rule 6)
    generic: bool = False  # right after a term of another topic, belongs to it (rule 7)


@dataclass(slots=True)
class Entry:
    """Everything one lexicon phrase means; the lines of several files merge."""

    refs: tuple[TopicRef, ...] = ()
    pol: int = 0
    mag: int = 0
    negator: bool = False
    degree: bool = False
    contrast: bool = False
    hypo: bool = False
    context: int = 0
    boundary: bool = False
    exclude: bool = False
    scope: frozenset[str] | None = None
    kind: int = field(init=False, default=NONE)
    marks: bool = field(init=False, default=False)
    has_prior: bool = field(init=False, default=False)
    generic: bool = field(init=False, default=False)
    topics: frozenset[str] = field(init=False, default=frozenset())  # of refs, for scope checks
    down: frozenset[str] = field(init=False, default=frozenset())  # topics it names with ``more`` -1

    def merge(self, other: Entry) -> None:
        """Add the meanings of ``other`` (the same phrase on another line or file)."""
        self.refs = self.refs + tuple(r for r in other.refs if r not in self.refs)
        self.pol = self.pol or other.pol
        self.mag = self.mag or other.mag
        self.negator |= other.negator
        self.degree |= other.degree
        self.contrast |= other.contrast
        self.hypo |= other.hypo
        self.context = self.context or other.context
        self.boundary |= other.boundary
        self.exclude |= other.exclude
        if other.scope is not None:
            self.scope = other.scope if self.scope is None else self.scope | other.scope

    def finish(self) -> Entry:
        """Derive the fast-path fields; call after the last merge. ``exclude`` only
        holds for a phrase with no other meaning."""
        opinion = bool(self.pol or self.mag)
        if self.boundary:
            self.kind = BOUNDARY
        elif self.refs:
            self.kind = WEAK if opinion else TERM
        elif opinion:
            self.kind = OPINION
        elif self.negator:
            self.kind = NEGATOR
        elif self.degree:
            self.kind = DEGREE
        self.marks = bool(self.hypo or self.contrast or self.context)
        self.has_prior = any(r.prior for r in self.refs)
        self.generic = bool(self.refs) and all(r.generic for r in self.refs)
        self.topics = frozenset(r.topic for r in self.refs)
        self.down = frozenset(r.topic for r in self.refs if r.more < 0)
        return self


_last_normalized: tuple[str | None, str] = (None, "")


def normalized(text: str) -> str:
    """:func:`voc.analysis.normalize.normalize`, remembering the last text it was given:
    ``voc analyze`` hands the same string to the topic tagger, the safety flag and the
    product matcher, so only the first of them pays (a string is immutable, so the same
    object gives the same result)."""
    global _last_normalized
    last = _last_normalized
    if last[0] is text:
        return last[1]
    norm = normalize(text)
    _last_normalized = (text, norm)
    return norm


def mark_normalized(text: str) -> None:
    """Tell :func:`normalized` that ``text`` is already normalised (``voc analyze``
    normalises a chunk at once, then hands each text to the safety flag and the product
    matcher; :func:`voc.analysis.normalize.normalize` is idempotent)."""
    global _last_normalized
    _last_normalized = (text, text)


def split_terms(cell: str) -> list[str]:
    """Split a ``|``-separated cell; a ``|`` inside (), [] or after ``\\`` stays."""
    out: list[str] = []
    depth, buf, escaped = 0, [], False
    for ch in cell:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "|" and depth == 0:
            out.append("".join(buf).strip())
            buf = []
            continue
        buf.append(ch)
    out.append("".join(buf).strip())
    return [t for t in out if t]


def add_phrase(term: str, entry: Entry, literals: dict[str, Entry],
               patterns: list[tuple[str, Entry]], where: str) -> None:
    """Add a copy of ``entry`` under a phrase or ``re:`` pattern, merging duplicates."""
    copy = Entry()
    copy.merge(entry)
    if term.startswith("re:"):
        source = term[3:]
        try:
            rx = regex_cache.compile(source)
        except re.error as exc:
            raise LexiconError(f"{where}: bad pattern {source!r}: {exc}") from None
        if rx.match(""):
            raise LexiconError(f"{where}: pattern {source!r} matches the empty string")
        patterns.append((source, copy))
        return
    key = term.lower()
    if key in literals:
        literals[key].merge(copy)
    else:
        literals[key] = copy


def read_opinions(path: Path) -> tuple[dict[str, Entry], list[tuple[str, Entry]]]:
    """Read ``opinion.tsv``: ``phrase<TAB>class[,class...][<TAB>topic|topic...]``.

    Raises:
        LexiconError: ``opinion.tsv:LINE: message`` for an unknown class, a bad
            pattern or a wrong number of fields.
    """
    literals: dict[str, Entry] = {}
    patterns: list[tuple[str, Entry]] = []
    for number, line in read_lines(path):
        where = f"{path.name}:{number}"
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) < 2 or not fields[0] or not fields[1] or len(fields) > 3:
            raise LexiconError(f"{where}: expected phrase<TAB>class[<TAB>topics], got {line!r}")
        entry = Entry()
        for cls in (c.strip() for c in fields[1].split(",")):
            if cls not in OPINION_CLASSES:
                raise LexiconError(f"{where}: unknown class {cls!r} (expected one of {', '.join(OPINION_CLASSES)})")
            if cls in ("pos", "neg"):
                entry.pol = 1 if cls == "pos" else -1
            elif cls in ("more", "less"):
                entry.mag = 1 if cls == "more" else -1
            elif cls in ("cons", "pros"):
                entry.context = -1 if cls == "cons" else 1
            elif cls != "neu":  # neu: recognised (it shadows shorter words), means nothing
                setattr(entry, cls, True)
        if len(fields) == 3 and fields[2]:
            entry.scope = frozenset(t.strip() for t in fields[2].split("|") if t.strip())
        add_phrase(fields[0], entry, literals, patterns, where)
    return literals, patterns


# -- aspect polarity -------------------------------------------------------------------
def resolve_aspects(
    text: str, tokens: list[tuple[int, int, Entry]], doc_polarity: int | None = None,
    doc_from_lexicon: bool = False, asked_neutral: bool = False,
) -> list[tuple[str, int, int, int]]:
    """Polarity of every topic of a text, from its :meth:`Scanner.scan` tokens.

    Args:
        text: the text the tokens were scanned from.
        tokens: the scanner's output.
        doc_polarity: the document's sentiment (-1/0/1), the last resort of rule 6.
        doc_from_lexicon: when ``doc_polarity`` is None, use the sign of the opinion
            words of the whole text (negation applied) instead.
        asked_neutral: a clause that ends in a question mark does not take the
            document's sentiment (rule 6): a customer-service ticket's questions ask,
            whatever the rest of the session says.

    Returns:
        ``(topic, polarity, evidence_start, evidence_end)`` per topic, ordered by
        evidence; polarity is -1, 0 or 1 (rules in the module docstring).
    """
    for tok in tokens:
        if tok[2].refs:
            break
    else:
        return []
    pieces, entries = token_pieces(text, tokens)
    return resolve_pieces(text, pieces, _reader(entries), None, None, doc_polarity, doc_from_lexicon, asked_neutral)


def _reader(entries: list[Entry | None]):
    """A ``get`` for :func:`resolve_pieces` that returns ``entries`` in turn."""
    step = iter(entries).__next__
    return lambda _piece: step()


def token_pieces(text: str, tokens: list[tuple[int, int, Entry]]) -> tuple[list[str], list[Entry | None]]:
    """Scanner tokens (in order, not overlapping) as consecutive pieces of the text and
    their entries (None for the text between tokens), the input of :func:`resolve_pieces`."""
    pieces: list[str] = []
    entries: list[Entry | None] = []
    pos = 0
    for s, e, ent in tokens:
        if s < pos:
            raise ValueError(f"tokens overlap or are out of order at {s} (expected Scanner.scan output)")
        if s > pos:  # the words between tokens only count by their length
            pieces.append(text[pos:s])
            entries.append(None)
        pieces.append(text[s:e])
        entries.append(ent)
        pos = e
    return pieces, entries


def resolve_pieces(
    text: str, pieces: Iterable[str], get: Callable[[str], Entry | None], edges: dict[str, int] | None = None,
    low: str | None = None, doc_polarity: int | None = None, doc_from_lexicon: bool = False,
    asked_neutral: bool = False,
) -> list[tuple[str, int, int, int]]:
    """:func:`resolve_aspects` straight from the cut of a text (the fast path of
    :meth:`voc.analysis.topics.TopicTagger.tag`): one pass that reads the lexicon entries
    and applies the clause rules, with no token list in between.

    Args:
        text: the text.
        pieces: consecutive pieces of the text (their lengths give the offsets): the
            words of the scanner's jieba cut, or tokens and the gaps between them.
        get: the lexicon entry of a piece, or None (called once per piece, in order).
        edges: ASCII phrases that only count as whole words of ``low`` (the scanner's
            ``_edges``, see :meth:`Scanner.scan`); None when the entries are final.
        low: the lower-cased text the pieces were cut from (needed with ``edges``).
        doc_polarity, doc_from_lexicon, asked_neutral: as for :func:`resolve_aspects`.
    """
    mentions: dict[str, list[list]] = {}
    items: list[tuple[int, int, Entry, bool, int]] = []  # (start, end, entry, negated, negation start)
    hypo = contrast = has_term = False
    context = clause_context = 0
    neg_par, neg_end, neg_start = 0, -99, 0
    prev = op_sum = doc_total = 0
    last = len(text) - 1
    pos = clause_lo = 0
    conceded: list[list] | None = None  # the judged mentions of the clause before, for a concession
    for word in pieces:
        ent = get(word)
        s = pos
        pos += len(word)
        if ent is None:
            continue
        kind = ent.kind
        if kind == BOUNDARY:
            if ord(text[s]) < 128 and 0 < s and pos <= last and text[s - 1] in _ALNUM and text[pos] in _ALNUM:
                continue  # 16:9, 1.6GHz: not a clause boundary
            if items and not op_sum and text[s] in _LIST_COMMAS and _bare_list(text, items, clause_lo, s):
                continue  # 外观，键盘，性能都不错: a clause of bare terms only is the start of a list
            clause_lo = pos
            if has_term:
                conceded = []
                prev = _clause(text, items, hypo, contrast, clause_context, prev, op_sum,
                               0 if asked_neutral and _asks(text, s) else doc_polarity, mentions, conceded)
                has_term = False
            else:
                if conceded and contrast and op_sum:
                    _concede(conceded, op_sum, s)
                conceded = None
                if op_sum:
                    prev = 1 if op_sum > 0 else -1
            if items:
                items = []
            if op_sum:
                doc_total += op_sum
                op_sum = 0
            hypo = contrast = False
            clause_context = context
            neg_par, neg_end = 0, -99
            continue
        if edges and word in edges and not _whole_word(low, s, pos, edges[word]):  # type: ignore[arg-type]
            continue
        if ent.marks:
            if ent.context:
                context = clause_context = ent.context
            hypo |= ent.hypo
            if ent.contrast and not (s and text[s - 1] == "的"):  # 最好的就是屏幕: a cleft, no turn
                contrast = True
        if kind == NEGATOR:
            if s - neg_end <= NEG_GAP:
                neg_par ^= 1
            else:
                neg_par, neg_start = 1, s
            neg_end = pos
            continue
        if kind == DEGREE:
            if s - neg_end <= NEG_GAP:
                neg_end = pos
            continue
        if kind == NONE:
            continue
        if items:
            before = items[-1]
            b_ent = before[2]
            if before[1] == s and b_ent.kind == OPINION and b_ent.degree and text[s] != "得":
                items.pop()  # 好热, 严重发热: an opinion word right before another word is a degree word
                # (not before a complement: in 好得不行 it is the verb 得不行 intensifies)
                if before[3]:
                    op_sum += b_ent.pol
                    neg_par, neg_end, neg_start = 1, s, before[4]
                else:
                    op_sum -= b_ent.pol
                    neg_par, neg_end, neg_start = 0, -99, s
            elif ent.generic and b_ent.refs and (before[1] == s or (before[1] == s - 1 and text[s - 1] == "的")):
                continue  # 快递速度: the generic word belongs to the term before it
        if neg_par and s - neg_end <= NEG_GAP:
            items.append((s, pos, ent, True, neg_start))
            if ent.pol and kind != TERM:
                op_sum -= ent.pol
        else:
            items.append((s, pos, ent, False, s))
            if ent.pol and kind != TERM:
                op_sum += ent.pol
        if kind >= TERM:
            has_term = True
        neg_par, neg_end = 0, -99
    if has_term:
        _clause(text, items, hypo, contrast, clause_context, prev, op_sum,
                0 if asked_neutral and _asks(text, len(text)) else doc_polarity, mentions)
    elif conceded and contrast and op_sum:
        _concede(conceded, op_sum, len(text))
    if not mentions:
        return []
    doc_total += op_sum
    doc = (doc_total > 0) - (doc_total < 0) if doc_from_lexicon else 0
    return _aggregate(mentions, doc, asked_neutral)


#: The commas that may separate the items of a list of terms (外观，键盘，性能和电池都挺不错).
_LIST_COMMAS = frozenset(",，")
#: The longest list item (a term, not a pattern that read a whole phrase: 摄像头虽然只有30W).
_LIST_ITEM_MAX = 6
#: What after a comma starts a clause of its own, not the next item of a list (屏幕，但是…).
_NOT_A_LIST_AFTER = re.compile(r"\s*(?:但|不过|可是|只是|就是|然而|虽然|而且|并且|还有|另外|所以|因为)")
#: What closes an asked clause (``asked_neutral``).
_QUESTION_MARKS = frozenset("?？")
#: Particles that end a question said without its mark (这个有保价嘛, 能退吗)
_QUESTION_PARTICLES = frozenset("吗嘛么")


def _asks(text: str, end: int) -> bool:
    """Whether the clause that ends at ``end`` (a boundary, or the end of the text) asks:
    a question mark there, or a question particle right before it."""
    return (end < len(text) and text[end] in _QUESTION_MARKS) or (end > 0 and text[end - 1] in _QUESTION_PARTICLES)


def _whole_word(low: str, start: int, end: int, edge: int) -> bool:
    """Whether an ASCII phrase stands as a whole word (as ``Scanner._whole_word``)."""
    return not ((edge & 1 and start and low[start - 1] in _LETTERS)
                or (edge & 2 and end < len(low) and low[end] in _LETTERS))


def _clause(text: str, items: list, hypo: bool, contrast: bool, context: int, prev: int, op_sum: int,
            doc: int | None, mentions: dict[str, list[list]], judged: list[list] | None = None) -> int:
    """Add the topic mentions of a clause that has terms; return its sign, for the
    contrast of the next clause. ``judged`` collects the mentions an opinion word judged
    (a concession's turn after them may be said of their terms: see :func:`_concede`)."""
    total = 0
    default: int | None | bool = False  # computed on first need
    n = len(items)
    # a hypothetical or asked clause asserts no opinion either (希望包装能完好, 能调低亮度吗),
    # unless it runs on through 、 (a writer's comma there: the marker is far from most words)
    asked = hypo and "、" not in text[items[0][0]:items[-1][1]]
    # the terms, then the words that are both a term and an opinion word (rule 7)
    if n == 1:
        order: list[int] | tuple[int, ...] = (0,)
    elif n == 2:  # the usual clause: a term and its opinion word, or two terms
        k0, k1 = items[0][2].kind, items[1][2].kind
        if k0 == TERM:
            order = (0, 1) if k1 >= TERM else (0,)
        elif k0 == WEAK:
            order = (1, 0) if k1 == TERM else ((0, 1) if k1 == WEAK else (0,))
        else:  # an opinion word, then the term
            order = (1,)
    else:
        order = []
        weak = None
        for i in range(n):
            kind = items[i][2].kind
            if kind == TERM:
                order.append(i)
            elif kind == WEAK:
                if weak is None:
                    weak = [i]
                else:
                    weak.append(i)
        if weak is not None:
            order += weak
    consumed: set[int] | None = None
    for i in order:
        s, e, ent, negated, nstart = items[i]
        if ent.kind == WEAK:
            if consumed is not None and i in consumed:
                continue
            j = -1
        elif n == 1:
            j = -1
        elif n == 2 and i == 0:  # _find_opinion, for the word after the term
            op_ent = items[1][2]
            if ((op_ent.kind == OPINION or op_ent.kind == WEAK)
                    and (op_ent.scope is None or not op_ent.scope.isdisjoint(ent.topics))
                    and items[1][4] - e <= (PRIOR_AFTER_GAP if ent.has_prior else AFTER_GAP)):  # from its negator
                j = 1
            else:
                j = -1
            if j == 1 and op_ent.kind == WEAK:
                consumed = {1}
        else:
            j = _find_opinion(items, i, n, text)
            if j >= 0 and items[j][2].kind == WEAK:
                if consumed is None:
                    consumed = {j}
                else:
                    consumed.add(j)
        ev_s = nstart if negated else s
        said_of = _said_of(items, i, j) if j > i + 1 else 0
        for ref in ent.refs:
            own = True  # the mention says its polarity itself (else: borrowed from its clause or the text)
            if j >= 0:
                op_s, op_e, op_ent, op_neg, op_nstart = items[j]
                p = op_ent.pol or op_ent.mag * (said_of or ref.more)
                if op_neg:
                    p = -p
                elif negated and op_s > s and ((text[nstart] in _EXISTENTIAL
                                                and (text[op_s:op_e] in _TROUBLE or _TROUBLE_AFTER.match(text, op_e)))
                                               or text.startswith(_WORRY_GONE, nstart)):
                    p = -p  # 没有发热问题, 不用担心内存不够用: the negation covers the term and what is said of it
                if asked:
                    p = 0
                lo = op_nstart if op_nstart < ev_s else ev_s
                hi = op_e if op_e > e else e
            else:
                lo, hi = ev_s, e
                if ref.prior:
                    p = 0 if hypo else (-ref.prior if negated else ref.prior)
                elif negated and text[nstart] in _EXISTENTIAL:
                    p = 0 if hypo else -1  # 没有耳机: missing is a complaint
                elif hypo or not ref.fallback:
                    p = 0
                else:
                    if default is False:
                        default = ((op_sum > 0) - (op_sum < 0)) or context or ((-prev or -1) if contrast else doc)
                    p = default  # None: the document's sign, known at the end
                    own = False
            mention = [p, lo, hi, own]
            found = mentions.get(ref.topic)
            if found is None:
                mentions[ref.topic] = [mention]
            else:
                found.append(mention)
            if j >= 0 and p and judged is not None:
                judged.append(mention)
            if p:
                total += p
    if total:
        return 1 if total > 0 else -1
    return prev


def _concede(judged: list[list], turn: int, end: int) -> None:
    """A concession: a clause that turns (但, 可惜, 可是, 不过) and judges with no term of its
    own says it of what the clause before judged the other way, and that is the last word
    (摄像头效果不错，但可惜不能旋转 complains of the camera; 鼠标虽然小了点，可是灵活度还可以
    praises the mouse). Only what an opinion word said of a term turns: a term that is its
    own judgement (虽然便宜，但是用起来不顺手) names no subject the turn could have left out.
    The evidence of a turned mention runs to ``end``, the end of the turn."""
    side = 1 if turn > 0 else -1
    for m in judged:
        if m[0] == -side:
            m[0] = side
            m[2] = end


def _bare_list(text: str, items: list, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` is nothing but terms with no opinion, joined (屏幕，键盘): the
    comma at ``hi`` then separates the items of a list whose opinion comes after its last one."""
    if items[0][0] != lo or items[-1][1] != hi or _NOT_A_LIST_AFTER.match(text, hi + 1):
        return False
    for i, item in enumerate(items):
        if (item[2].kind != TERM or item[2].has_prior or item[3] or item[1] - item[0] > _LIST_ITEM_MAX
                or (i and not _joined(text, items[i - 1][1], item[0]))):
            return False
    return True


def _joined(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]``, between two terms, joins them (nothing, 和, 与, 跟, 及, 以及, 、, or
    the comma of a list, 外观，键盘都很好): 发热噪音都不大 and 屏幕和键盘都很好 share their opinion word."""
    return b - a == 0 or (b - a == 1 and text[a] in "和与跟及、,，") or text[a:b] == "以及"


def _said_of(items: list, i: int, j: int) -> int:
    """The ``more`` direction a magnitude at ``j`` is read through for the term at ``i``
    when other terms stand between them (the opinion was reached across terms joined to
    the term): the nearest one's, for the magnitude is said of it (键盘噪音小: 小 is the
    noise's, so the keyboard is quiet, which is praise); 0 when none does."""
    for k in range(j - 1, i, -1):
        ent = items[k][2]
        if ent.kind >= TERM and ent.refs:  # right before it, degree words between (噪音也非常小)
            return ent.refs[0].more if items[j][4] - items[k][1] <= SAID_OF_GAP else 0
    return 0


def _find_opinion(items: list, i: int, n: int, text: str = "") -> int:
    """Index of the opinion word of the term at ``i`` (rules 2 and 5), or -1."""
    start, end, ent = items[i][0], items[i][1], items[i][2]
    topics = ent.topics
    has_prior = ent.has_prior
    for j in range(i + 1, n):
        op = items[j][2]
        kind = op.kind
        if kind == TERM and (((op.has_prior or op.topics.isdisjoint(topics)) and not _joined(text, items[j - 1][1], items[j][0]))
                             or not (op.down ^ ent.down).isdisjoint(topics & op.topics)):
            return -1  # 系统更新后耗电特别快, 换货的第二台是有外观瑕疵的: a complaint term, or another topic's, on the
            # way and not joined to the term, takes the opinion after it (the word it is said of); so does a
            # term of the same topic read the other way, joined or not (价格性价比非常高: 高 is said of 性价比)
        if (kind == OPINION or kind == WEAK) and (op.scope is None or not op.scope.isdisjoint(topics)):
            # the reach ends where the word's negation starts (发热没有想象的那么厉害: the negation is next to 发热)
            return j if items[j][4] - end <= (PRIOR_AFTER_GAP if has_prior else AFTER_GAP) else -1
        if kind >= TERM and items[j - 1][1] == end and _joined(text, end, items[j][0]):
            end = items[j][1]  # 发热和噪音都不大: the reach runs from the last term joined to it
    if has_prior:
        return -1
    for j in range(i - 1, -1, -1):
        op = items[j][2]
        kind = op.kind
        if kind == TERM:
            return -1
        if (kind == OPINION or kind == WEAK) and (op.scope is None or not op.scope.isdisjoint(topics)):
            if start - items[j][1] > BEFORE_GAP or any(items[k][2].kind == TERM for k in range(j)):
                return -1  # too far, or it belongs to a term before it
            return j
    return -1


def _aggregate(mentions: dict[str, list[list]], doc: int, own_first: bool = False) -> list[tuple[str, int, int, int]]:
    """One polarity per topic (rule 8), with the evidence of a mention that has it: the
    first that says it itself, else the first that borrowed it from its clause or the
    text (卖家一直没回复 in a complaining chat quotes 一直没回复, not the bare 卖家 that only
    took the chat's polarity). With ``own_first`` (a ticket), the mentions that say a
    polarity themselves outvote those that borrowed one: a chat's words are about many
    things, and its bare 客服 in 可以 / OK了 does not outvote 还没收到回复."""
    out = []
    for topic, ms in mentions.items():
        if len(ms) == 1:
            p, s, e, _ = ms[0]
            out.append((topic, doc if p is None else p, s, e))
            continue
        pos = neg = own_pos = own_neg = 0
        for m in ms:
            p = m[0]
            if p is None:
                p = m[0] = doc
            if p:
                if p > 0:
                    pos += 1
                    own_pos += m[3]
                else:
                    neg += 1
                    own_neg += m[3]
        if own_first and (own_pos or own_neg):
            pos, neg = own_pos, own_neg
        pol = (-1 if neg >= pos else 1) if (pos or neg) else 0
        chosen = None
        for m in ms:
            if m[0] == pol:
                if m[3]:
                    chosen = m
                    break
                if chosen is None:
                    chosen = m
        out.append((topic, pol, chosen[1], chosen[2]))
    if len(out) > 1:
        out.sort(key=_evidence_start)
    return out


def _evidence_start(hit: tuple[str, int, int, int]) -> int:
    return hit[2]
