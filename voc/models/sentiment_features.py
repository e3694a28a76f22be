"""Features for the sentiment model: word n-grams with negation scope, and lexicon scores.

Both come from the tokens :class:`voc.text.segment.Segmenter` produces, in one pass per
clause (clauses end at punctuation and spaces).

**N-gram features** (binary): every token and every pair of neighbouring tokens inside
a clause, with clause-boundary markers. After a negation word, the remaining tokens of
the clause carry a ``!`` prefix, so ``不 卡`` yields ``!卡``, a different feature from
``卡``.

**Lexicon scores** use our own sentiment lexicons (``lexicons/sentiment/*.txt``):
sentiment words and phrases (matched as token sequences, longest first), scaled by a
degree adverb up to :data:`WINDOW` tokens before them (非常 ×1.7, 有点 ×0.7) and flipped
by a negation within the same distance: a negated positive becomes negative (不好看 →
−0.9×), a negated negative becomes mildly positive (不卡, 没有发热 → +0.5×). A clause
opened by a contrast word (但是, 可惜, 不过 …) is weighted up, one opened by a concession
(虽然, 尽管 …) weighted down, so "外观好看，但是发热严重" scores negative. The scores
returned, :data:`LEXICON_FEATURES`, are the weighted total, its positive and negative
parts, the last clause's score and an indicator of "no sentiment word at all".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voc.errors import LexiconError
from voc.text.lexicons import lexicon_file, read_terms, read_weighted
from voc.text.segment import Segmenter

__all__ = [
    "LEXICON_FEATURES",
    "WINDOW",
    "SentimentLexicon",
    "clauses",
    "ngram_features",
]

#: Names of the lexicon score features, in the order :meth:`SentimentLexicon.score` returns.
LEXICON_FEATURES = ("lex_total", "lex_positive", "lex_negative", "lex_last_clause", "lex_none")
#: How many tokens before a sentiment word a negation or degree word may stand.
WINDOW = 2
#: A negated positive word keeps this share of its weight, with the sign flipped.
NEGATED_POSITIVE = 0.9
#: A negated negative word (不卡, 没有发热) keeps this share, as mild praise.
NEGATED_NEGATIVE = 0.5

_PUNCT = frozenset("，。！？；,.!?;~…、：:（）()【】[]\"“”'‘’《》<>/|-—·\n\r\t ")

_SENTIMENT_FILES = {
    "positive": "sentiment/positive.txt",
    "negative": "sentiment/negative.txt",
    "negation": "sentiment/negation.txt",
    "degree": "sentiment/degree.txt",
    "contrast": "sentiment/contrast.txt",
    "concession": "sentiment/concession.txt",
}


def clauses(tokens: Iterable[str]) -> list[list[str]]:
    """Split tokens into clauses at punctuation and whitespace tokens (which are dropped)."""
    result: list[list[str]] = []
    current: list[str] = []
    for token in tokens:
        if token in _PUNCT or token.isspace():
            if current:
                result.append(current)
                current = []
        else:
            current.append(token)
    if current:
        result.append(current)
    return result


def ngram_features(clause_list: Sequence[Sequence[str]], negations: frozenset[str]) -> set[str]:
    """Binary unigram and bigram features with negation scope marking (see module doc)."""
    feats: set[str] = set()
    add = feats.add
    for clause in clause_list:
        negated = False
        prev = "<s>"
        for token in clause:
            if negated:
                feature = "!" + token
            else:
                feature = token
                if token in negations:
                    negated = True
            add(feature)
            add(prev + "\x01" + token)
            prev = token
        add(prev + "\x01</s>")
    return feats


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
    _single: dict[str, float] = field(init=False, repr=False)
    _multi: dict[str, list[tuple[tuple[str, ...], float]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._single = {}
        self._multi = {}
        for seq, value in self.entries.items():
            if len(seq) == 1:
                self._single[seq[0]] = value
            else:
                self._multi.setdefault(seq[0], []).append((seq, value))
        for candidates in self._multi.values():
            candidates.sort(key=lambda item: -len(item[0]))

    @classmethod
    def load(cls, lexicon_dir: str | Path | None, segmenter: Segmenter) -> SentimentLexicon:
        """Read the six sentiment lexicon files (falling back to the packaged ones)."""
        paths = {key: lexicon_file(name, lexicon_dir) for key, name in _SENTIMENT_FILES.items()}
        entries: dict[tuple[str, ...], float] = {}
        for key, sign in (("positive", 1.0), ("negative", -1.0)):
            for entry in read_weighted(paths[key]):
                if entry.weight < 0:
                    raise LexiconError(
                        f"{paths[key].name}:{entry.line}: weight {entry.weight:g} must not be negative "
                        f"(the file gives the polarity)"
                    )
                seq = tuple(t for t in segmenter.cut(entry.term) if not t.isspace())
                if seq and seq not in entries:
                    entries[seq] = sign * entry.weight
        return cls(
            entries=entries,
            negations=frozenset(read_terms(paths["negation"])),
            degrees={e.term: e.weight for e in read_weighted(paths["degree"])},
            contrasts={e.term: e.weight for e in read_weighted(paths["contrast"])},
            concessions={e.term: e.weight for e in read_weighted(paths["concession"])},
        )

    def clause_scores(self, clause_list: Sequence[Sequence[str]]) -> list[tuple[float, float, float, int]]:
        """Per clause: (clause weight, positive sum, negative sum, number of sentiment hits)."""
        single, multi = self._single, self._multi
        negations, degrees = self.negations, self.degrees
        out: list[tuple[float, float, float, int]] = []
        for clause in clause_list:
            weight = self.contrasts.get(clause[0], 0.0) or (
                self.contrasts.get(clause[1], 1.0) if len(clause) > 1 else 1.0
            )
            weight *= self.concessions.get(clause[0], 1.0)
            pos = neg = 0.0
            hits = 0
            n = len(clause)
            i = 0
            last_neg = last_deg = -99
            neg_count = 0
            degree = 1.0
            while i < n:
                token = clause[i]
                value = None
                length = 1
                candidates = multi.get(token)
                if candidates is not None:
                    for seq, val in candidates:
                        if tuple(clause[i : i + len(seq)]) == seq:
                            value, length = val, len(seq)
                            break
                if value is None:
                    value = single.get(token)
                if value is not None:
                    if i - last_deg <= WINDOW:
                        value *= degree
                    if i - last_neg <= WINDOW and neg_count % 2 == 1:
                        value = -value * (NEGATED_POSITIVE if value > 0 else NEGATED_NEGATIVE)
                    if value > 0:
                        pos += value
                    else:
                        neg += value
                    hits += 1
                    neg_count, degree, last_neg, last_deg = 0, 1.0, -99, -99
                    i += length
                    continue
                if token in negations:
                    neg_count = neg_count + 1 if i - last_neg <= WINDOW else 1
                    last_neg = i
                else:
                    factor = degrees.get(token)
                    if factor is not None:
                        degree = factor if i - last_deg > WINDOW else degree * factor
                        last_deg = i
                i += 1
            out.append((weight, pos, neg, hits))
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
