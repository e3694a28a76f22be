"""Features for the sentiment model: word n-grams with negation scope, and lexicon scores.

Both come from the tokens :class:`voc.analysis.segment.Segmenter` produces, in one pass per
clause (clauses end at punctuation and spaces).

**N-gram features** (counts): every token and every pair of neighbouring tokens inside
a clause, with clause-boundary markers. After a negation word, the remaining tokens of
the clause carry a ``!`` prefix, so ``不 卡`` yields ``!卡``, a different feature from
``卡``. Negation words are not features themselves (only the pairs they start are).

**Lexicon scores** use our own sentiment lexicons (``lexicons/sentiment/*.txt``):
sentiment words and phrases (matched as token sequences, longest first), scaled by the
degree adverbs among the :data:`WINDOW` tokens before them (非常 ×1.7, 有点 ×0.7) and
flipped by an odd number of negations there: a negated positive becomes negative (不好看 →
−0.9×), a negated negative becomes mildly positive (不卡, 没有发热 → +0.5×). A clause
opened by a contrast word (但是, 可惜, 不过 …) is weighted up, one opened by a concession
(虽然, 尽管 …) weighted down, so "外观好看，但是发热严重" scores negative. The scores
returned, :data:`LEXICON_FEATURES`, are the weighted total, its positive and negative
parts, the last clause's score and an indicator of "no sentiment word at all".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from voc.analysis.segment import Segmenter
from voc.errors import LexiconError
from voc.lexicon import Lexicons, read_terms, read_weighted

__all__ = [
    "BIGRAM_SEP",
    "LEXICON_FEATURES",
    "WINDOW",
    "SentimentLexicon",
    "clauses",
    "is_boundary",
    "ngram_features",
]

#: Names of the lexicon score features, in the order :meth:`SentimentLexicon.score` returns.
LEXICON_FEATURES = ("lex_total", "lex_positive", "lex_negative", "lex_last_clause", "lex_none")
#: How many tokens before a sentiment word a negation or degree word may stand.
WINDOW = 2
#: A negated positive word keeps this share of its weight, with the sign flipped.
NEGATED_POSITIVE = 0.9
#: A negated negative word (不卡, 没有发热) keeps this share, as mild praise.
NEGATED_NEGATIVE = 0.8

#: Weight in the sentiment lexicon of a topics.tsv term that is a complaint or a praise by
#: itself (polarity neg or pos: 死机, 漏光, 流畅), unless the sentiment files list it.
SYMPTOM_WEIGHT = 0.8
TOPICS_FILE = "topics.tsv"
#: Characters that negate what follows them inside a compound word (不卡顿, 无杂音).
_NEGATING_CHARS = frozenset("不没无未非")

#: Separator inside bigram feature names (``prev + BIGRAM_SEP + token``).
BIGRAM_SEP = "\x01"
WHITESPACE = frozenset(" \t\n\r\u3000\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029")
PUNCTUATION = frozenset("，。！？；,.!?;~…、：:（）()【】[]\"“”'‘’《》<>/|-—·\n\r\t ")

_SENTIMENT_FILES = {
    "positive": "sentiment/positive.txt",
    "negative": "sentiment/negative.txt",
    "negation": "sentiment/negation.txt",
    "degree": "sentiment/degree.txt",
    "contrast": "sentiment/contrast.txt",
    "concession": "sentiment/concession.txt",
}


def is_boundary(token: str) -> bool:
    """Whether a token ends a clause: punctuation, whitespace or empty."""
    return token in PUNCTUATION or not token or token[0] in WHITESPACE


def clauses(tokens: Iterable[str]) -> list[list[str]]:
    """Split tokens into clauses at punctuation and whitespace tokens (which are dropped)."""
    result: list[list[str]] = []
    current: list[str] = []
    for token in tokens:
        if token in PUNCTUATION or not token or token[0] in WHITESPACE:  # is_boundary, inlined
            if current:
                result.append(current)
                current = []
        else:
            current.append(token)
    if current:
        result.append(current)
    return result


def ngram_features(clause_list: Sequence[Sequence[str]], negations: frozenset[str]) -> dict[str, int]:
    """Unigram and bigram counts with negation scope marking (see the module doc)."""
    feats: dict[str, int] = {}
    get = feats.get
    for clause in clause_list:
        negated = False
        prev = "<s>"
        for token in clause:
            if token in negations:
                # a negation acts only through the scope it opens: as a feature of its
                # own it would carry the general negativity of negated sentences and
                # outweigh what it negates (不卡, 没有发热)
                negated = True
                prev = token
                continue
            feature = "!" + token if negated else token
            feats[feature] = get(feature, 0) + 1
            bigram = prev + BIGRAM_SEP + token
            feats[bigram] = get(bigram, 0) + 1
            prev = token
        bigram = prev + BIGRAM_SEP + "</s>"
        feats[bigram] = get(bigram, 0) + 1
    return feats


def _compound_heads(entries: dict[tuple[str, ...], float], words: Iterable[str]) -> None:
    """Give a user-dictionary compound with no entry of its own the sentiment of its head,
    its longest final part that is a one-token entry: Chinese compounds put the predicate
    last (屏幕漏光 is 漏光 of the screen, 电池鼓包 鼓包), and the segmenter keeps such
    compounds whole, where the entry of the part would never match. A compound with a
    negation before the head (不卡顿) is left alone."""
    for word in words:
        if (word,) in entries or len(word) < 3 or word.isascii():
            continue
        for cut in range(1, len(word) - 1):
            value = entries.get((word[cut:],))
            if value is not None:
                if not _NEGATING_CHARS.intersection(word[:cut]):
                    entries[(word,)] = value
                break


@dataclass
class SentimentLexicon:
    """The sentiment lexicons, indexed for token-sequence matching.

    Build it with :meth:`load`; ``segmenter`` splits multi-word entries into the token
    sequences they must match.
    """

    entries: dict[tuple[str, ...], float]
    negations: frozenset[str]
    degrees: dict[str, float]
    contrasts: dict[str, float]
    concessions: dict[str, float]
    #: one-token entries tagged ``procedure`` (退款, 退货, 维修, 拒收: what a customer asks to
    #: have done), which do not make a ticket's request a complaint
    procedures: frozenset[str] = frozenset()
    _single: dict[str, float] = field(init=False, repr=False)
    _multi: dict[str, dict[str, list[tuple[tuple[str, ...], float]]]] = field(init=False, repr=False)
    _special: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._single = {}
        self._multi = {}
        for seq, value in self.entries.items():
            if len(seq) == 1:
                self._single[seq[0]] = value
            else:  # indexed by first and second token, longest sequence first
                self._multi.setdefault(seq[0], {}).setdefault(seq[1], []).append((seq, value))
        for by_second in self._multi.values():
            for candidates in by_second.values():
                candidates.sort(key=lambda item: -len(item[0]))
        # Every token the clause loop must look at; all others are skipped at once.
        self._special = frozenset(self._single) | frozenset(self._multi) | self.negations | frozenset(self.degrees)

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons, segmenter: Segmenter) -> SentimentLexicon:
        """Read the six sentiment lexicon files in effect."""
        paths = {key: lexicons.path(name) for key, name in _SENTIMENT_FILES.items()}
        entries: dict[tuple[str, ...], float] = {}
        procedures: set[str] = set()
        for key, sign in (("positive", 1.0), ("negative", -1.0)):
            for entry in read_weighted(paths[key]):
                if entry.weight < 0:
                    raise LexiconError(
                        f"{paths[key].name}:{entry.line}: weight {entry.weight:g} must not be negative "
                        f"(the file gives the polarity)"
                    )
                seq = tuple(t for t in segmenter.cut(entry.term) if not t.isspace())
                # a sequence with punctuation inside could never match within a clause
                if entry.weight and seq and seq not in entries and not any(is_boundary(t) for t in seq):
                    entries[seq] = sign * entry.weight
                    if entry.tag == "procedure" and len(seq) == 1:
                        procedures.add(seq[0])
        if lexicons.has(TOPICS_FILE):
            # the taxonomy's complaints and praises by themselves (死机, 漏光, 流畅, 正品)
            from voc.analysis.topics import read_topics

            # one parse of the taxonomy, shared with the topic tagger
            for phrase, ent in lexicons.parsed(TOPICS_FILE, read_topics).literals.items():
                priors = {r.prior for r in ent.refs}
                if ent.exclude or len(priors) != 1 or 0 in priors or phrase.isascii():
                    continue
                seq = tuple(t for t in segmenter.cut(phrase) if not t.isspace())
                if seq and seq not in entries and not any(is_boundary(t) for t in seq):
                    entries[seq] = SYMPTOM_WEIGHT * priors.pop()
        _compound_heads(entries, (w.word for w in segmenter.user_words))
        return cls(
            entries=entries,
            negations=frozenset(read_terms(paths["negation"])),
            degrees={e.term: e.weight for e in read_weighted(paths["degree"])},
            contrasts={e.term: e.weight for e in read_weighted(paths["contrast"])},
            concessions={e.term: e.weight for e in read_weighted(paths["concession"])},
            procedures=frozenset(procedures),
        )

    def match(self, clause: Sequence[str], i: int) -> tuple[float, int] | None:
        """The sentiment entry starting at ``clause[i]``: (value, length), longest first."""
        by_second = self._multi.get(clause[i])
        if by_second is not None and i + 1 < len(clause):
            candidates = by_second.get(clause[i + 1])
            if candidates is not None:
                for seq, value in candidates:
                    if len(seq) == 2 or tuple(clause[i : i + len(seq)]) == seq:
                        return value, len(seq)
        value = self._single.get(clause[i])
        return None if value is None else (value, 1)

    def clause_weight(self, clause: Sequence[str]) -> float:
        """Weight of a clause: its contrast word (first or second token), times its concession word."""
        weight = self.contrasts.get(clause[0], 0.0) or (
            self.contrasts.get(clause[1], 1.0) if len(clause) > 1 else 1.0
        )
        return weight * self.concessions.get(clause[0], 1.0)

    def clause_scores(self, clause_list: Sequence[Sequence[str]]) -> list[tuple[float, float, float, int]]:
        """Per clause: (clause weight, positive sum, negative sum, number of sentiment hits).

        Sentiment entries are matched left to right, longest first; a matched sequence is
        consumed. Each hit looks at the tokens before it, at most :data:`WINDOW` and
        none before the end of the previous hit: degree adverbs there multiply its
        value, and an odd number of negations there flips it.
        """
        negations, degrees = self.negations, self.degrees
        out: list[tuple[float, float, float, int]] = []
        for clause in clause_list:
            pos = neg = 0.0
            hits = 0
            n = len(clause)
            i = 0
            prev_end = 0
            while i < n:
                found = self.match(clause, i)
                if found is None:
                    i += 1
                    continue
                value, length = found
                n_neg = 0
                for j in range(max(prev_end, i - WINDOW), i):
                    token = clause[j]
                    if token in negations:
                        n_neg += 1
                    degree = degrees.get(token, 1.0)  # an emphatic negation (一点都不) is a degree too
                    if degree < 0 and j < i - 1:
                        degree = 1.0  # a negative multiplier (很少死机: seldom) reaches only the next word
                    value *= degree
                if n_neg % 2:
                    value = -value * (NEGATED_POSITIVE if value > 0 else NEGATED_NEGATIVE)
                if value > 0:
                    pos += value
                else:
                    neg += value
                hits += 1
                i += length
                prev_end = i
            out.append((self.clause_weight(clause), pos, neg, hits))
        return out

    def score(self, clause_list: Sequence[Sequence[str]]) -> tuple[float, float, float, float, float]:
        """The :data:`LEXICON_FEATURES` of a text, from its clauses."""
        per_clause = self.clause_scores(clause_list)
        total = positive = negative = 0.0
        hits = 0
        for weight, pos, neg, n_hits in per_clause:
            positive += weight * pos
            negative += weight * neg
            hits += n_hits
        total = positive + negative
        last = per_clause[-1][1] + per_clause[-1][2] if per_clause else 0.0
        return (total, positive, negative, last, 0.0 if hits else 1.0)
