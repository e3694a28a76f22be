"""A topic model trained on the user's labelled data (``voc train topics FILE``).

What it learns: for every topic id in the training labels with at least
:data:`MIN_POSITIVES` positive and one negative example, a logistic regression (one
versus rest) over the character 1-3-grams of the normalised text (TF-IDF, sublinear
term frequency, L2-normalised) plus one feature per lexicon topic, "the lexicon tagger
found this topic here". The lexicon features let a small labelled set correct the
lexicon (trust it where it is right, override it where the user labels differently)
instead of starting from nothing; the n-grams pick up the user's own wording and
topics the lexicon does not have. Each topic's decision threshold is chosen on 3-fold
cross-validated probabilities to maximise its F1 (0.5 when there are too few examples).

What it predicts (:meth:`TrainedTopicModel.tag`): the learned topics whose probability
reaches their threshold, plus the lexicon's hits for topics the model did not learn.
Polarity and evidence come from the lexicon tagger when it found the topic too; else
the polarity follows the document sentiment (neutral when unknown) and the evidence is
the n-gram of the text that weighs most for the topic.

The file is data only: a NumPy ``.npz`` archive of plain arrays (loaded with
``allow_pickle=False``) and a JSON metadata string. Loading it cannot run code.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from voc.analysis import model_writer, read_model_arrays
from voc.analysis.normalize import normalize
from voc.errors import ModelError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["TrainedTopicModel", "train_topics", "char_ngrams", "MIN_POSITIVES"]

FORMAT = "voc-topic-model"
FORMAT_VERSION = 1
MIN_POSITIVES = 3
NGRAMS = (1, 3)
_POLARITY = {1: "pos", -1: "neg", 0: "neu"}


def char_ngrams(text: str, ngram_range: tuple[int, int] = NGRAMS) -> list[str]:
    """Character n-grams of the normalised, lower-cased text (whitespace runs as one space)."""
    low = " ".join(normalize(text).lower().split())
    return [low[i:i + n] for n in range(ngram_range[0], ngram_range[1] + 1) for i in range(len(low) - n + 1)]


class TrainedTopicModel:
    """One-vs-rest linear topic classifiers on character n-grams and lexicon hits.

    Build with :func:`train_topics` or :meth:`load`; ``tagger`` is the
    :class:`~voc.analysis.topics.TopicTagger` whose hits are features and give the
    polarity (a default one from the packaged lexicons when None).
    """

    def __init__(self, topics: list[str], vocab: list[str], idf: np.ndarray, coef: np.ndarray,
                 intercept: np.ndarray, thresholds: np.ndarray, lexicon_topics: list[str],
                 tagger=None, meta: dict | None = None):
        import numpy as np

        self.topics = list(topics)
        self.vocab = list(vocab)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float32).astype(np.float64)  # as stored
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.thresholds = np.asarray(thresholds, dtype=np.float64)
        self.lexicon_topics = list(lexicon_topics)
        self.meta = dict(meta or {})
        self._index = {g: i for i, g in enumerate(self.vocab)}
        self._lex_index = {t: len(self.vocab) + i for i, t in enumerate(self.lexicon_topics)}
        if tagger is None:
            from voc.analysis.topics import TopicTagger

            tagger = TopicTagger.from_lexicons()
        self.tagger = tagger
        digest = hashlib.sha256()
        for arr in (self.idf, self.coef, self.intercept, self.thresholds):
            digest.update(np.ascontiguousarray(arr).tobytes())
        digest.update(json.dumps([self.topics, self.vocab, self.lexicon_topics], ensure_ascii=False).encode())
        self.version = "topicmodel-" + digest.hexdigest()[:12]

    # -- features ----------------------------------------------------------------------
    def _features(self, text: str, hits: list) -> tuple[np.ndarray, np.ndarray]:
        """Sparse feature vector of one text as (column indices, values)."""
        import numpy as np

        counts = Counter(i for i in map(self._index.get, char_ngrams(text)) if i is not None)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[cols]
        norm = np.sqrt((vals ** 2).sum())
        if norm > 0:
            vals = vals / norm
        lex = sorted({self._lex_index[h.id] for h in hits if h.id in self._lex_index})
        return np.concatenate([cols, np.array(lex, dtype=np.int64)]), np.concatenate([vals, np.ones(len(lex))])

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Probability of every learned topic (columns in :attr:`topics` order)."""
        import numpy as np

        rows = [self._proba(t, self.tagger.tag(t)) for t in texts]
        return np.vstack(rows) if rows else np.zeros((0, len(self.topics)))

    def _proba(self, text: str, hits: list) -> np.ndarray:
        import numpy as np

        cols, vals = self._features(text, hits)
        scores = self.coef[:, cols] @ vals + self.intercept
        return 1.0 / (1.0 + np.exp(-scores))

    # -- tagging -----------------------------------------------------------------------
    def tag(self, text: str | None, doc_sentiment: str | int | None = None, kind: str = "review") -> list:
        """Topics of one text as :class:`~voc.analysis.topics.TopicHit` (see module doc)."""
        import numpy as np

        from voc.analysis.topics import TopicHit, _doc_polarity

        if not text:
            return []
        norm = normalize(text)
        hits = self.tagger.tag(norm, doc_sentiment, kind)
        by_id = {h.id: h for h in hits}
        learned = set(self.topics)
        out = [h for h in hits if h.id not in learned]
        proba = self._proba(norm, hits)
        for k in np.flatnonzero(proba >= self.thresholds):
            topic = self.topics[k]
            if topic in by_id:
                out.append(by_id[topic])
                continue
            evidence, start = self._evidence(norm, k)
            pol = _doc_polarity(doc_sentiment)
            out.append(TopicHit(topic, _POLARITY[pol or 0], evidence, start))
        out.sort(key=lambda h: h.start)
        return out

    def tag_many(self, texts: Iterable[str | None],
                 doc_sentiments: Iterable[str | int | None] | None = None) -> list[list]:
        """:meth:`tag` for many texts."""
        texts = list(texts)
        sentiments = list(doc_sentiments) if doc_sentiments is not None else [None] * len(texts)
        return [self.tag(t, s) for t, s in zip(texts, sentiments, strict=True)]

    def _evidence(self, norm: str, k: int) -> tuple[str, int]:
        low = norm.lower()
        best, best_w = "", 0.0
        for gram in set(char_ngrams(norm)):
            i = self._index.get(gram)
            if i is not None and self.coef[k, i] > best_w and gram.strip() and gram in low:
                best, best_w = gram, self.coef[k, i]
        start = low.find(best) if best else 0
        return (norm[start:start + len(best)], start) if best else ("", 0)

    # -- persistence -------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model as a data-only ``.npz`` archive; returns the path written."""
        import numpy as np

        path = Path(path)
        meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "ngram_range": list(NGRAMS), **self.meta}
        with model_writer(path) as fh:
            np.savez_compressed(
                fh, topics=np.array(self.topics, dtype=str), vocab=np.array(self.vocab, dtype=str),
                idf=self.idf, coef=self.coef.astype(np.float32), intercept=self.intercept,
                thresholds=self.thresholds, lexicon_topics=np.array(self.lexicon_topics, dtype=str),
                meta=np.array(json.dumps(meta, ensure_ascii=False)),
            )
        return path

    @classmethod
    def load(cls, path: str | Path, tagger=None) -> TrainedTopicModel:
        """Read a model written by :meth:`save` (never unpickles anything).

        Raises:
            ModelError: the file is missing, not such a model, or from a newer voc.
        """
        path = Path(path)
        arrays = read_model_arrays(path, "topic")
        needed = {"topics", "vocab", "idf", "coef", "intercept", "thresholds", "lexicon_topics", "meta"}
        if not needed <= set(arrays):
            raise ModelError(f"{path}: not a voc topic model (missing {', '.join(sorted(needed - set(arrays)))})")
        try:
            meta = json.loads(str(arrays["meta"]))
        except ValueError:
            meta = None
        if not isinstance(meta, dict):
            raise ModelError(f"{path}: not a voc topic model (its metadata is not readable)")
        if meta.get("format") != FORMAT or int(meta.get("format_version", 0)) > FORMAT_VERSION:
            raise ModelError(f"{path}: topic model format {meta.get('format')!r} v{meta.get('format_version')} "
                             f"is not one this voc reads ({FORMAT} v{FORMAT_VERSION})")
        if tuple(meta.get("ngram_range", NGRAMS)) != NGRAMS:
            raise ModelError(f"{path}: n-gram range {meta.get('ngram_range')} is not supported")
        return cls([str(t) for t in arrays["topics"]], [str(v) for v in arrays["vocab"]], arrays["idf"],
                   arrays["coef"], arrays["intercept"], arrays["thresholds"],
                   [str(t) for t in arrays["lexicon_topics"]], tagger=tagger, meta=meta)


def train_topics(texts: Iterable[str], gold: Iterable[object], *, tagger=None, lexicons=None,
                 min_df: int = 2, C: float = 4.0, random_state: int = 0) -> TrainedTopicModel:
    """Train a :class:`TrainedTopicModel` on texts and gold topic cells (``a:neg|b``).

    Args:
        texts: the labelled texts.
        gold: their topic labels (any form :func:`~voc.analysis.topics.parse_topic_labels` reads).
        tagger: the lexicon tagger to use as features (default: one for ``lexicons``).
        lexicons: the :class:`~voc.lexicon.Lexicons` of the default tagger (``None``: packaged).
        min_df: an n-gram must occur in this many texts to be a feature.
        C: inverse regularisation strength of the logistic regressions.
        random_state: seed of the cross-validation folds (training is deterministic).

    Raises:
        ModelError: no topic has enough examples to learn.
    """
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from voc.analysis.topics import TopicTagger, parse_topic_labels

    texts = [normalize(t or "") for t in texts]
    labels = [set(parse_topic_labels(g, row=i + 1)) for i, g in enumerate(gold)]
    if len(labels) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(labels)} gold labels")
    tagger = tagger or TopicTagger.from_lexicons(lexicons)
    grams = [char_ngrams(t) for t in texts]
    df = Counter(g for gs in grams for g in set(gs))
    vocab = sorted(g for g, c in df.items() if c >= min_df and g.strip())
    n = len(texts)
    idf = np.array([np.log((1 + n) / (1 + df[g])) + 1.0 for g in vocab])
    lexicon_topics = list(tagger.topic_ids)
    learnable = sorted(t for t in {t for ls in labels for t in ls}
                       if MIN_POSITIVES <= sum(t in ls for ls in labels) < n)
    if not learnable:
        raise ModelError(f"no topic has {MIN_POSITIVES} or more labelled examples (and some without it) to learn from")
    model = TrainedTopicModel(learnable, vocab, idf, np.zeros((len(learnable), len(vocab) + len(lexicon_topics))),
                              np.zeros(len(learnable)), np.full(len(learnable), 0.5), lexicon_topics, tagger=tagger)
    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        c, v = model._features(text, tagger.tag(text))
        rows.extend([r] * len(c))
        cols.extend(c.tolist())
        vals.extend(v.tolist())
    X = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab) + len(lexicon_topics)))
    for k, topic in enumerate(learnable):
        y = np.array([topic in ls for ls in labels], dtype=int)
        clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=random_state)
        if min(y.sum(), n - y.sum()) >= 3:
            folds = StratifiedKFold(3, shuffle=True, random_state=random_state)
            proba = cross_val_predict(clf, X, y, cv=folds, method="predict_proba")[:, 1]
            model.thresholds[k] = _best_threshold(proba, y)
        clf.fit(X, y)
        model.coef[k] = clf.coef_[0]
        model.intercept[k] = clf.intercept_[0]
    model.meta = {"trained_on": n, "lexicon_version": getattr(tagger, "version", "")}
    return TrainedTopicModel(model.topics, vocab, idf, model.coef, model.intercept, model.thresholds,
                             lexicon_topics, tagger=tagger, meta=model.meta)


def _best_threshold(proba: np.ndarray, y: np.ndarray) -> float:
    import numpy as np

    best_t, best_f = 0.5, -1.0
    for t in np.arange(0.2, 0.81, 0.05):
        pred = proba >= t
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / (pred.sum() + y.sum()) if (pred.sum() + y.sum()) else 0.0
        if f1 > best_f + 1e-9:
            best_t, best_f = float(t), f1
    return round(best_t, 2)
