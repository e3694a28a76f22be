"""The :class:`Analyzer`: everything `voc analyze` computes for a text, from components
built once from one :class:`~voc.lexicon.Lexicons`.

A complaint (:func:`is_complaint`) is a text with negative sentiment or a negative
topic: the records emerging-issue clustering reads, and the only ones whose analysis
keeps its tokens. The rule is part of the stored contract, so it is versioned
(:data:`ANALYSIS_FORMAT`, in every result's ``model_version``): changing it makes
earlier results stale.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from voc.analysis import regex_cache
from voc.lexicon import Lexicons
from voc.store.rows import join_hazards

#: Version of what an analysis row holds beyond the models' outputs (which records keep
#: their tokens: :func:`is_complaint`); part of ``model_version``.
ANALYSIS_FORMAT = "a3"  # a2: the hazard of a safety report is kept (safety_kind); a3: every hazard it reports


def is_complaint(sentiment: str, topic_polarities) -> bool:
    """A complaint: negative sentiment or a negative topic (the records clustered, and
    the only ones whose analysis keeps its tokens)."""
    return sentiment == "negative" or "neg" in topic_polarities


class Analyzer:
    """Everything `voc analyze` computes for a text, from injected components.

    Args:
        segmenter, sentiment, topics, safety, products: the components (see
            :meth:`from_lexicons` for the defaults).
        lexicon_version: the version of the lexicons they were built from.
    """

    def __init__(self, segmenter: Any, sentiment: Any, topics: Any, safety: Any, products: Any,
                 lexicon_version: str):
        self.segmenter = segmenter
        self.sentiment = sentiment
        self.topics = topics
        self.safety = safety
        self.products = products
        self.lexicon_version = lexicon_version
        self.model_version = f"{sentiment.version}+{topics.version}+{ANALYSIS_FORMAT}"

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons | None = None, model: str | Path | None = None,
                      topic_model: str | Path | None = None) -> Analyzer:
        """The default components for ``lexicons`` (``None``: packaged), with an optional
        trained sentiment model and topic model (files from `voc train`).

        The built analyzer is kept in the cache folder and loaded by the next process
        with the same lexicons, models and code (:mod:`voc.analysis.snapshot`)."""
        from voc.analysis import snapshot

        lexicons = lexicons if lexicons is not None else Lexicons.packaged()
        lexicons.check_files()
        key = snapshot.key(lexicons.version, model, topic_model)
        analyzer = snapshot.load(key)
        if not isinstance(analyzer, cls):
            analyzer = cls.build(lexicons, model, topic_model)
            snapshot.save(analyzer, key)
        regex_cache.save()  # the patterns' code, for the next process's start-up
        return analyzer

    @classmethod
    def build(cls, lexicons: Lexicons, model: str | Path | None = None,
              topic_model: str | Path | None = None) -> Analyzer:
        """:meth:`from_lexicons` built from the files, without the cache."""
        from voc.analysis.products import ProductMatcher
        from voc.analysis.safety import SafetyDetector
        from voc.analysis.segment import Segmenter
        from voc.analysis.sentiment import SentimentModel
        from voc.analysis.sentiment_train import default_model
        from voc.analysis.topics import TopicTagger

        segmenter = Segmenter.from_lexicons(lexicons)
        sentiment = (SentimentModel.load(model, lexicons=lexicons, segmenter=segmenter) if model
                     else default_model(lexicons, segmenter=segmenter))
        topics: Any = TopicTagger.from_lexicons(lexicons)
        if topic_model:
            from voc.analysis.topics import TrainedTopicModel

            topics = TrainedTopicModel.load(topic_model, tagger=topics)
        return cls(segmenter, sentiment, topics, SafetyDetector.from_lexicons(lexicons),
                   ProductMatcher.from_lexicons(lexicons), lexicons.version)

    def with_sentiment(self, sentiment: Any) -> Analyzer:
        """The same analyzer with another sentiment model (its own model version)."""
        return type(self)(self.segmenter, sentiment, self.topics, self.safety, self.products, self.lexicon_version)

    def analyze(self, texts: Sequence[str]) -> list[tuple]:
        """One row per text: (sentiment, score, topics_json, safety, safety_evidence, products, tokens)."""
        rows, _ = self.rows(texts, [None] * len(texts), ())
        return [(*row[1:7], row[7]) for row in rows]

    def rows(self, texts: Sequence[str], ids: Sequence, tail: tuple,
             kinds: Sequence[str] | None = None) -> tuple[list[tuple], list[tuple]]:
        """The analysis rows ``(id, sentiment, score, topics_json, safety, safety_evidence,
        products, tokens, *tail, safety_kind)`` (``safety_kind``: every hazard reported,
        :func:`voc.store.rows.join_hazards`; ``tail``: model and lexicon versions and
        the time, so a row is :data:`voc.store.rows.ANALYSIS_FIELDS`) and the topic rows
        ``(id, topic, polarity, evidence)`` of a chunk, built once in their final form.

        ``tokens`` (the clustering input of emerging issues) is kept for complaints only,
        the records emerging issues read it for (:func:`voc.emerging.data.is_complaint`).
        ``kinds`` (``review``/``ticket`` per text) lets the sentiment and the topic senses
        read each genre as it is written: a ticket that mostly asks is neutral, and naming
        the agent one chats with is no comment on the service.
        """
        from voc.analysis.aspects import POLARITY, mark_normalized
        from voc.analysis.normalize import normalize
        from voc.analysis.sentiment import aspect_band, aspect_side

        norm = [normalize(t) for t in texts]
        tokens = self.segmenter.cut_many(norm)
        scored = getattr(self.sentiment, "labels_scores_tokens", None)  # scores as a list: no numpy
        if scored is not None:
            labels, scores = scored(tokens, kinds)
        else:
            labels, array = self.sentiment.labels_tokens(tokens, kinds)
            scores = array.tolist()
        # Texts are normalised once here; a tagger that can skip normalising again does,
        # and the lexicon tagger hands over plain spans.
        # a review made neutral by its frame keeps its lean for its bare aspects (aspect_side)
        band = aspect_band(self.sentiment)
        spans = getattr(self.topics, "spans_normalized", None)
        tag = getattr(self.topics, "tag_normalized", self.topics.tag)
        detect, find = self.safety.detect_all, self.products.find
        rows: list[tuple] = []
        topic_rows: list[tuple] = []
        genres = kinds if kinds is not None else ["review"] * len(norm)
        append = rows.append
        for rid, text, toks, label, p, kind in zip(ids, norm, tokens, labels, scores, genres):
            side = aspect_side(label, p, band) if label == "neutral" and kind == "review" else label
            found = spans(text, side, kind) if spans is not None else tag(text, side, kind)
            if found:  # (a quarter of short reviews name no topic)
                if spans is not None:
                    hits = [(rid, t, POLARITY[pol], text[s:e]) for t, pol, s, e in found]
                else:
                    hits = [(rid, h.id, h.polarity, h.evidence) for h in found]
                topic_rows += hits
                topics_json = _topics_json(hits)
                complaint = is_complaint(label, [h[2] for h in hits])
            else:
                topics_json, complaint = "[]", is_complaint(label, ())
            mark_normalized(text)
            safety = detect(text)
            products = find(text)
            named = ("|".join(products) or None) if products else None
            if not safety:
                append((rid, label, p, topics_json, 0, None, named, " ".join(toks) if complaint else None,
                        *tail, None))
            else:
                append((rid, label, p, topics_json, 1, safety[0].evidence, named, " ".join(toks) if complaint else None,
                        *tail, join_hazards(h.category for h in safety)))
        return rows, topic_rows


def _topics_json(hits: list[tuple[str, str, str, str]]) -> str:
    """``json.dumps([{"id": .., "polarity": .., "evidence": ..}, ...], ensure_ascii=False)``
    of ``(record_id, id, polarity, evidence)`` hits, the same string, built without the
    generic encoder (a fifth of the cost)."""
    if not hits:
        return "[]"
    heads = _HEADS
    parts = []
    for _, i, p, e in hits:
        head = heads.get((i, p))
        if head is None:
            head = heads[(i, p)] = f'{{"id": {_enc(i)}, "polarity": {_enc(p)}, "evidence": '
        parts.append(head + _enc(e) + "}")
    return "[" + ", ".join(parts) + "]"


_enc = json.encoder.encode_basestring  # type: ignore[attr-defined]
_HEADS: dict[tuple[str, str], str] = {}  # (topic, polarity) -> the start of its JSON object


