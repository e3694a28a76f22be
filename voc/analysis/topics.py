"""Defect topics: multi-label tagging from the editable taxonomy, with aspect polarity.

The taxonomy lives in ``topics.tsv`` (format in that file's header): rows of keywords
per topic, with the topic's names and owner team on its first row, a prior polarity
for words that are a complaint or a praise by themselves (卡顿, 流畅) and the ``more``
direction for magnitude words (续航长 good, 发热大 bad). Opinion, negation, degree,
contrast and hypothetical words come from ``opinion.tsv``.

>>> tagger = TopicTagger.from_lexicons()
>>> [(h.id, h.polarity, h.evidence) for h in tagger.tag("屏幕很好，但是发热严重")]
[('display', 'pos', '屏幕很好'), ('thermal', 'neg', '发热严重')]

Every hit carries its evidence, a substring of the (normalised) text. The phrases are
found by :class:`voc.analysis.scanner.Scanner`, their polarity by the clause rules of
:mod:`voc.analysis.aspects` (in one pass over the scanner's cut). A caller that has
normalised the text already (``voc analyze``) can call :meth:`TopicTagger.tag_normalized`.
:func:`evaluate_topics` scores any tagger on labelled data (DESIGN.md keys); a model
trained on labelled data is in :mod:`voc.analysis.topic_model` (:func:`train_topics`,
:class:`TrainedTopicModel`, re-exported here).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from voc.analysis.aspects import (
    POLARITY,
    Entry,
    TopicRef,
    add_phrase,
    normalized,
    read_opinions,
    resolve_pieces,
    split_terms,
)
from voc.analysis.normalize import normalize
from voc.analysis.scanner import FREQ, Scanner
from voc.analysis.senses import Senses
from voc.errors import InputError, LexiconError
from voc.lexicon import Lexicons, read_lines

__all__ = ["TopicDef", "TopicHit", "TopicLexicon", "TopicTagger", "read_topics", "evaluate_topics",
           "parse_topic_labels", "train_topics", "TrainedTopicModel"]

TOPICS_FILE = "topics.tsv"
OPINION_FILE = "opinion.tsv"

_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_POLARITIES = {"": 0, "aspect": 0, "neu": 0, "generic": 0, "pos": 1, "neg": -1}
_SENTIMENT = {"positive": 1, "pos": 1, "正面": 1, "negative": -1, "neg": -1, "负面": -1,
              "neutral": 0, "neu": 0, "中性": 0}
_COLUMNS = ("id", "name_zh", "name_en", "owner", "polarity", "more", "terms", "kind")
#: the genres a row may be limited to (its ``kind`` column)
_KINDS = ("review", "ticket")
#: Topics whose complaints are felt at a place: a part right before one (机身烫, 键盘烫得厉害,
#: 风扇异响) is where the symptom is, not a topic of its own (see :mod:`voc.analysis.senses`).
LOCATED_SYMPTOMS = ("thermal", "noise")
#: Topics that are a service, not the device: a bare 慢 with no subject right after a
#: clause about one (物流长时间没更新，太慢了) is said of it (see :mod:`voc.analysis.senses`).
SERVICES = ("logistics", "customer_service", "after_sales")


@dataclass(frozen=True)
class TopicDef:
    """A topic of the taxonomy: id, Chinese and English names, owner team."""

    id: str
    name_zh: str
    name_en: str
    owner: str


@dataclass(slots=True)
class TopicHit:
    """One topic found in a text: its polarity there and the phrase that shows it.

    ``evidence`` is ``text[start:start + len(evidence)]`` of the normalised text (the
    text itself when it was already normalised, as ``voc analyze`` passes it).
    """

    id: str
    polarity: str
    evidence: str
    start: int


@dataclass
class TopicLexicon:
    """The parsed taxonomy: topic definitions, the phrases that name them, and the
    ``context`` phrases of each topic (circumstances: a topic only with an opinion)."""

    topics: dict[str, TopicDef]
    literals: dict[str, Entry]
    patterns: list[tuple[str, Entry]]
    context: dict[str, frozenset[str]] = field(default_factory=dict)
    party: dict[str, frozenset[str]] = field(default_factory=dict)
    #: per topic, the phrases of its aspect rows (empty polarity: 物流, 屏幕, 价保), which
    #: take their polarity from an opinion word, else from the clause or the document
    aspects: dict[str, frozenset[str]] = field(default_factory=dict)
    #: per topic, the phrases of its complaint rows (polarity neg: 卡顿, 坏点, 漏光)
    complaints: dict[str, frozenset[str]] = field(default_factory=dict)
    #: per genre (``review``/``ticket``), per topic, the phrases of the rows limited to the
    #: other genre: in this one they name nothing (a ticket's 好评 is given to the agent)
    foreign: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)


def _unquote(cell: str) -> str:
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"')
    return cell


def read_topics(path: str | Path) -> TopicLexicon:
    """Parse ``topics.tsv`` (see its header for the format).

    Raises:
        LexiconError: ``topics.tsv:LINE: message`` for a missing header, a bad topic id,
            an unknown polarity or ``more`` value, or a regex that does not compile.
    """
    path = Path(path)
    lines = read_lines(path)
    if not lines:
        raise LexiconError(f"{path.name}:1: empty taxonomy (expected a header line: {' '.join(_COLUMNS)})")
    number, header_line = lines[0]
    header = [_unquote(h).lower() for h in header_line.split("\t")]
    for required in ("id", "terms"):
        if required not in header:
            raise LexiconError(f"{path.name}:{number}: header must name the columns {', '.join(_COLUMNS)}; "
                               f"missing {required!r}")
    col = {name: header.index(name) for name in _COLUMNS if name in header}
    topics: dict[str, TopicDef] = {}
    literals: dict[str, Entry] = {}
    patterns: list[tuple[str, Entry]] = []
    more_default: dict[str, int] = {}
    context: dict[str, frozenset[str]] = {}
    party: dict[str, frozenset[str]] = {}
    generics: dict[str, set[str]] = {}  # per topic, its generic phrases (服务)
    aspects: dict[str, set[str]] = {}
    complaints: dict[str, set[str]] = {}
    foreign: dict[str, dict[str, set[str]]] = {}
    shared: dict[str, set[str]] = {}  # per topic, the phrases of its rows for both kinds
    limited: list[tuple[str, str, str]] = []  # (where, topic, phrase) of the rows for one kind
    for number, line in lines[1:]:
        where = f"{path.name}:{number}"
        cells = [_unquote(c) for c in line.split("\t")]
        if len(cells) > len(header):
            raise LexiconError(f"{where}: {len(cells)} fields but the header has {len(header)} (a stray tab?)")
        row = {name: (cells[i] if i < len(cells) else "") for name, i in col.items()}
        topic = row["id"]
        if not _ID_RE.match(topic):
            raise LexiconError(f"{where}: topic id {topic!r} must be letters, digits and _ (e.g. thermal)")
        polarity = row.get("polarity", "").lower()
        if polarity not in _POLARITIES and polarity not in ("exclude", "context", "party"):
            raise LexiconError(f"{where}: polarity {polarity!r} must be empty, pos, neg, neu, generic, context, "
                               "party or exclude")
        more_cell = row.get("more", "")
        if more_cell not in ("", "+", "-"):
            raise LexiconError(f"{where}: more {more_cell!r} must be +, - or empty")
        only = row.get("kind", "").lower()
        if only not in ("", *_KINDS):
            raise LexiconError(f"{where}: kind {only!r} must be review, ticket or empty (both)")
        if topic not in topics:
            topics[topic] = TopicDef(topic, row.get("name_zh", "") or topic, row.get("name_en", "") or topic,
                                     row.get("owner", ""))
            more_default[topic] = -1 if more_cell == "-" else 1
        elif any(row.get(c) for c in ("name_zh", "name_en", "owner")):
            # names and owner come from the first row that has them: a topic's first row may be
            # an exclude row written above its heading row (build's 拿着 comes before 做工/外壳)
            old = topics[topic]
            topics[topic] = TopicDef(topic, old.name_zh if old.name_zh != topic else row.get("name_zh", "") or topic,
                                     old.name_en if old.name_en != topic else row.get("name_en", "") or topic,
                                     old.owner or row.get("owner", ""))
        prior = _POLARITIES.get(polarity, 0)
        if more_cell:
            more = 1 if more_cell == "+" else -1
        else:
            more = prior if prior else more_default[topic]
        if polarity == "exclude":
            template = Entry(exclude=True)
        else:
            ref = TopicRef(topic, prior, more, fallback=polarity not in ("neu", "context"),
                           generic=polarity == "generic")
            template = Entry(refs=(ref,))
        for term in split_terms(row.get("terms", "")):
            if polarity in ("context", "party"):
                if term.startswith("re:"):
                    raise LexiconError(f"{where}: a {polarity} row takes phrases, not patterns ({term!r})")
                into = context if polarity == "context" else party
                into[topic] = into.get(topic, frozenset()) | {normalize(term).lower()}
            elif polarity == "generic" and not term.startswith("re:"):
                generics.setdefault(topic, set()).add(normalize(term).lower())
            elif polarity in ("", "neg") and not term.startswith("re:") and not only:
                (aspects if not polarity else complaints).setdefault(topic, set()).add(normalize(term).lower())
            if only and polarity != "exclude":
                if term.startswith("re:"):
                    raise LexiconError(f"{where}: a row limited to one kind takes phrases, not patterns ({term!r})")
                other = _KINDS[1 - _KINDS.index(only)]
                foreign.setdefault(other, {}).setdefault(topic, set()).add(normalize(term).lower())
                limited.append((where, topic, normalize(term).lower()))
            elif polarity != "exclude" and not term.startswith("re:"):
                shared.setdefault(topic, set()).add(normalize(term).lower())
            add_phrase(term, template, literals, patterns, where)
    for where, topic, phrase in limited:
        # a mention holding a row's phrase names nothing in the other kind: a phrase inside
        # another of the topic's (退 in 退货) would hide that one there too
        inside = sorted(p for p in shared.get(topic, ()) if phrase in p and phrase != p)
        if inside:
            raise LexiconError(f"{where}: {phrase!r} is limited to one kind but is inside {inside[0]!r}, a phrase of "
                               f"{topic} for both kinds, which it would hide in the other kind; limit a longer phrase")
    for topic in party:  # a party's own generic word said bare (京东汽车服务, 退换货等服务) names it, as 客服 does
        party[topic] |= generics.get(topic, set())
    return TopicLexicon(topics, literals, patterns, context, party,
                        {topic: frozenset(terms) for topic, terms in aspects.items()},
                        {topic: frozenset(terms) for topic, terms in complaints.items()},
                        {kind: {topic: frozenset(terms) for topic, terms in per.items()} for kind, per in foreign.items()})


class TopicTagger:
    """Tag texts with defect topics and their polarity, from the lexicon files.

    Args:
        topics: the parsed taxonomy (:func:`read_topics` of ``topics.tsv``).
        opinions: the parsed opinion words (:func:`read_opinions` of ``opinion.tsv``).
        version: a short hash of the files they came from (stamped on results).
        default_from_lexicon: when no document sentiment is passed, let the opinion
            words of the whole text stand in for it (rule 6 of :mod:`voc.analysis.aspects`).

    :meth:`from_lexicons` reads the files in effect.

    Attributes:
        topics: the topic definitions, by id, in file order.
        version: a short hash of the lexicon files used.
    """

    def __init__(self, topics: TopicLexicon, opinions: tuple[dict[str, Entry], list[tuple[str, Entry]]],
                 version: str = "topics-custom", default_from_lexicon: bool = True):
        self.default_from_lexicon = default_from_lexicon
        op_literals, op_patterns = opinions
        literals = dict(op_literals)
        for term, entry in topics.literals.items():
            if term in literals:
                merged = Entry()
                merged.merge(literals[term])
                merged.merge(entry)
                literals[term] = merged
            else:
                literals[term] = entry
        self.topics: dict[str, TopicDef] = topics.topics
        self._senses = Senses(topics.context, [t for t in LOCATED_SYMPTOMS if t in topics.topics], topics.party,
                              topics.aspects, [t for t in SERVICES if t in topics.topics], topics.complaints,
                              topics.foreign)
        self._scanner = Scanner(literals, op_patterns + topics.patterns)
        self._kernel = _compiled_kernel(self._scanner)
        self.version = version

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons | None = None, default_from_lexicon: bool = True) -> TopicTagger:
        """The tagger of ``topics.tsv`` and ``opinion.tsv`` in effect (``None``: packaged)."""
        lexicons = lexicons if lexicons is not None else Lexicons.packaged()
        version = hashlib.sha256((lexicons.digest(TOPICS_FILE, OPINION_FILE) + rules_fingerprint()).encode())
        return cls(lexicons.parsed(TOPICS_FILE, read_topics), lexicons.parsed(OPINION_FILE, read_opinions),
                   "topics-" + version.hexdigest()[:12], default_from_lexicon)

    @property
    def topic_ids(self) -> list[str]:
        """Topic ids in taxonomy order."""
        return list(self.topics)

    def tag(self, text: str | None, doc_sentiment: str | int | None = None, kind: str = "review") -> list[TopicHit]:
        """Topics of one text, each once, ordered by where their evidence starts.

        Args:
            text: the review or ticket text (normalised here if it is not already).
            doc_sentiment: the document's sentiment (``positive``/``neutral``/
                ``negative``, ``pos``/``neu``/``neg`` or 1/0/-1); used for a topic that
                has no opinion word of its own.
            kind: ``review`` or ``ticket``, the genre (:class:`voc.analysis.senses.Senses`).
        """
        if not text:
            return []
        return self.tag_normalized(normalized(text), doc_sentiment, kind)

    def tag_normalized(self, text: str | None, doc_sentiment: str | int | None = None,
                       kind: str = "review") -> list[TopicHit]:
        """:meth:`tag` of a text that is already normalised (:func:`voc.analysis.normalize.normalize`,
        as ``voc analyze`` passes it): the same hits, without normalising again."""
        found = self.spans_normalized(text, doc_sentiment, kind)
        return [TopicHit(topic, POLARITY[pol], text[s:e], s) for topic, pol, s, e in found] if found else []

    def spans_normalized(self, text: str | None, doc_sentiment: str | int | None = None,
                         kind: str = "review") -> list[tuple[str, int, int, int]]:
        """The hits of :meth:`tag_normalized` as plain ``(topic, polarity, start, end)``
        tuples (polarity -1/0/1, evidence ``text[start:end]``): the per-review path."""
        if not text:
            return []
        # a ticket's topics take no polarity from the chat's overall mood: a session raises
        # several things, mostly as questions (neu), and its mood is about one of them at
        # most (on the 200 labelled JD sessions, aspect accuracy 0.761 with the mood, 0.789
        # without); a mention with an opinion of its own keeps it. Nor from the sum of the
        # chat's opinion words (修改地址 / 后台无法改: the customer's words in one turn judge
        # what that turn is about, not an address asked about in another)
        from_lexicon = self.default_from_lexicon
        if kind == "ticket":
            doc = None
            from_lexicon = False
        else:  # _doc_polarity, its usual case first
            doc = _SENTIMENT.get(doc_sentiment) if isinstance(doc_sentiment, str) else None
            if doc is None and doc_sentiment is not None:
                doc = _doc_polarity(doc_sentiment)
        kernel = self._kernel
        if kernel is not None:
            low, extra = self._scanner.lower_and_patterns(text)
            # the kernel cuts the phrases itself, like the scanner's jieba, and merges in
            # the pattern matches (a tenth of short reviews have one)
            if not extra:
                found = kernel.scan_resolve(text, low, doc, from_lexicon, kind == "ticket")
            else:
                found = kernel.scan_resolve_extra(text, low, extra, doc, from_lexicon, kind == "ticket")
        else:
            low, pieces, get, edges = self._scanner.cut(text)
            found = resolve_pieces(text, pieces, get, edges, low, doc, from_lexicon, kind == "ticket")
        return self._senses(text, found, kind) if found else found

    def tag_many(self, texts: Iterable[str | None],
                 doc_sentiments: Iterable[str | int | None] | None = None) -> list[list[TopicHit]]:
        """:meth:`tag` for many texts (optionally with their document sentiments)."""
        texts = list(texts)
        sentiments = list(doc_sentiments) if doc_sentiments is not None else [None] * len(texts)
        return [self.tag(t, s) for t, s in zip(texts, sentiments, strict=True)]

    def scan(self, text: str) -> list[tuple[int, int, Entry]]:
        """The raw lexicon matches of a normalised text (for debugging and models)."""
        return self._scanner.scan(text)


#: The sources whose rules read the lexicons (the compiled resolver is held equal to
#: aspects.py by the tests): a new voc whose rules read a text otherwise makes the
#: results of the old one stale, as a new lexicon does.
RULE_SOURCES = ("topics.py", "aspects.py", "senses.py", "scanner.py")


def rules_fingerprint(folder: Path | None = None) -> str:
    """A hash of :data:`RULE_SOURCES` in ``folder`` (by default this package's: read
    once a process), part of the tagger's version."""
    if folder is None:
        return _package_rules()
    digest = hashlib.sha256()
    for name in RULE_SOURCES:
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


@functools.cache
def _package_rules() -> str:
    return rules_fingerprint(Path(__file__).resolve().parent)


def _compiled_kernel(scanner: Scanner):
    """The compiled resolver for a scanner's lexicon, or None (not built, switched off
    with ``VOC_PURE_PYTHON=1``, or too many topic names for it)."""
    from voc.analysis import compiled

    module = compiled("_aspects_fast")
    if module is None:
        return None
    try:
        return module.AspectKernel(scanner.literals, scanner._edges, scanner.pattern_entries(),
                                   scanner.jieba_words, FREQ)
    except module.TooManyTopics:
        return None


def _doc_polarity(value: str | int | None) -> int | None:
    if value is None:
        return None
    known = _SENTIMENT.get(value)  # type: ignore[arg-type]
    if known is not None:
        return known
    if isinstance(value, (int, float)):
        return (value > 0) - (value < 0)
    return _SENTIMENT.get(str(value).strip().lower())




# -- evaluation -------------------------------------------------------------------------
_LABEL_SPLIT = re.compile(r"[|;,，；、]")
_GOLD_POLARITY = {"pos": "pos", "positive": "pos", "正面": "pos", "neg": "neg", "negative": "neg",
                  "负面": "neg", "neu": "neu", "neutral": "neu", "中性": "neu"}


def parse_topic_labels(cell: object, row: int | None = None) -> dict[str, str | None]:
    """Parse a gold cell: ``thermal:neg|display:pos`` -> {topic: polarity or None}.

    Topic ids are separated by ``|`` (``;`` and ``,`` are accepted too); each may carry
    ``:pos``, ``:neg`` or ``:neu``. An empty cell (or None/NaN) means no topic. A list,
    set or dict is taken as already parsed.

    Raises:
        InputError: an unknown polarity, naming the row when given.
    """
    from voc.errors import InputError

    if isinstance(cell, dict):
        return {str(k): (None if v is None else str(v)) for k, v in cell.items()}
    if isinstance(cell, (list, tuple, set, frozenset)):
        cell = "|".join(str(c) for c in cell)
    if cell is None or (isinstance(cell, float) and cell != cell):
        return {}
    out: dict[str, str | None] = {}
    for part in _LABEL_SPLIT.split(str(cell)):
        part = part.strip()
        if not part:
            continue
        topic, _, pol = part.partition(":")
        topic, pol = topic.strip(), pol.strip().lower()
        if pol and pol not in _GOLD_POLARITY:
            where = f"row {row}: " if row is not None else ""
            raise InputError(f"{where}unknown polarity {pol!r} in {part!r} (use pos, neg or neu)")
        out[topic] = _GOLD_POLARITY[pol] if pol else None
    return out


def evaluate_topics(tagger, texts: Iterable[str], gold: Iterable[object],
                    doc_sentiments: Iterable[str | int | None] | None = None, kind: str = "review") -> dict:
    """Score a tagger (anything with ``tag(text, doc_sentiment)``, and a third argument
    ``kind`` for tickets) on labelled texts of one genre (``kind``: ``review`` or ``ticket``).

    Returns DESIGN.md's keys: ``n``; ``micro_f1``; ``macro_f1`` (the mean F1 over every
    topic that is in the gold labels or in the predictions); ``per_topic`` {id:
    {precision, recall, f1, support}} with support the number of texts whose gold has
    the topic; and, when any gold label carries a polarity, ``aspect_accuracy``: of the
    gold (text, topic) pairs with a polarity that were found, the share found with that
    polarity (``aspect_n`` is how many were compared).
    """
    texts = list(texts)
    golds = [parse_topic_labels(g, row=i + 1) for i, g in enumerate(gold)]
    if len(golds) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(golds)} gold labels")
    known = getattr(tagger, "topic_ids", None)
    if known is not None:  # a label no topic has is a typo or another taxonomy, not a miss
        ids = set(known)
        for row, want in enumerate(golds, start=1):
            unknown = sorted(set(want) - ids)
            if unknown:
                raise InputError(f"row {row}: unknown topic id {unknown[0]!r} (the taxonomy has "
                                 f"{', '.join(sorted(ids))}; see topics.tsv)")
    sentiments = list(doc_sentiments) if doc_sentiments is not None else [None] * len(texts)
    counts: dict[str, list[int]] = {}  # topic -> [tp, fp, fn]
    agree = compared = 0
    for text, want, sentiment in zip(texts, golds, sentiments, strict=True):
        hits = tagger.tag(text, sentiment) if kind == "review" else tagger.tag(text, sentiment, kind)
        got = {h.id: h.polarity for h in hits}
        for topic in set(want) | set(got):
            c = counts.setdefault(topic, [0, 0, 0])
            if topic in want and topic in got:
                c[0] += 1
                if want[topic] is not None:
                    compared += 1
                    agree += want[topic] == got[topic]
            elif topic in got:
                c[1] += 1
            else:
                c[2] += 1
    per_topic = {}
    for topic in sorted(counts):
        tp, fp, fn = counts[topic]
        p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        per_topic[topic] = {"precision": round(p, 4), "recall": round(r, 4),
                            "f1": round(_ratio(2 * p * r, p + r), 4), "support": tp + fn}
    tp, fp, fn = (sum(c[k] for c in counts.values()) for k in range(3))
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    result = {
        "n": len(texts),
        "micro_f1": round(_ratio(2 * p * r, p + r), 4),
        "micro_precision": round(p, 4),
        "micro_recall": round(r, 4),
        "macro_f1": round(_ratio(sum(t["f1"] for t in per_topic.values()), len(per_topic)), 4),
        "per_topic": per_topic,
    }
    if any(pol is not None for g in golds for pol in g.values()):
        result["aspect_accuracy"] = round(_ratio(agree, compared), 4)
        result["aspect_n"] = compared
    return result


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


# the trained model lives in its own module; re-exported for `voc train/analyze`
from voc.analysis.topic_model import TrainedTopicModel, train_topics  # noqa: E402


def taxonomy(lexicons: Lexicons) -> dict[str, TopicDef]:
    """Topic id -> definition of the ``topics.tsv`` in effect (parsed once per Lexicons)."""
    return lexicons.parsed(TOPICS_FILE, read_topics).topics if lexicons.has(TOPICS_FILE) else {}
