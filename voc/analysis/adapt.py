"""Sentiment adapted to a store's own star ratings, as `voc analyze` does by default.

A shop's reviews carry star ratings; 1–2 stars and 5 stars are weak labels of the
store's own words (its products, its customers' way of saying things), which the
default model, trained on other reviews, partly does not know. When a store holds
enough of them (:data:`MIN_PER_CLASS` of each), `voc analyze` trains a candidate on
the default corpus plus these reviews (:func:`voc.analysis.sentiment_train.adapt_with_ratings`)
and keeps it only if it is more accurate than the default model on rated reviews held
back from its training. The decision and its evidence (both accuracies, how many
reviews) are kept in the store with the model itself, so every machine that analyses
the store uses the same model, and printed. The adaptation is made again when the
rated reviews have grown by half (:data:`REFRESH_GROWTH`) or the default model changed;
in between, the kept model is reused (a new model makes every record stale: the whole
store is analysed again).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voc.analysis.sentiment import SentimentModel
from voc.analysis.sentiment_train import adapt_with_ratings, rating_labels
from voc.store import Store

__all__ = ["Adaptation", "adapted_sentiment", "KIND", "MIN_PER_CLASS"]

KIND = "sentiment-adapted"
#: Rated reviews of each weak class (1–2 stars, 5 stars) needed to adapt.
MIN_PER_CLASS = 100
#: At most this many rated reviews (the first by record id) are used.
MAX_RATED = 20_000
#: Adapt again once the rated reviews are this many times as many as last time.
REFRESH_GROWTH = 1.5


@dataclass(frozen=True)
class Adaptation:
    """The sentiment model to use and why: ``evidence`` holds ``adopted``, ``n_rated``,
    ``n_validation``, ``base_accuracy``, ``adapted_accuracy``, ``base_version``,
    ``version`` (of the model in use) and, when nothing was tried, ``reason``."""

    model: SentimentModel
    evidence: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for the console."""
        e = self.evidence
        if "reason" in e:
            return f"sentiment: the default model ({e['reason']})"
        change = f"accuracy on {e['n_validation']:,} held-back rated reviews {e['base_accuracy']:.3f} -> " \
                 f"{e['adapted_accuracy']:.3f}"
        again = ", as before" if e.get("reused") else ""
        if e["adopted"]:
            return f"sentiment: adapted to {e['n_rated']:,} rated reviews of this store: {change}, adapted model kept{again}"
        return (f"sentiment: a model adapted to {e['n_rated']:,} rated reviews of this store was not better "
                f"({change}): the default model kept{again}")


def adapted_sentiment(store: Store, base: SentimentModel,
                      training: Callable[[int], None] | None = None) -> Adaptation:
    """The sentiment model for ``store``: ``base`` adapted to its star ratings when
    that is more accurate (see the module docstring), else ``base``. ``training`` is told
    the number of rated reviews before a candidate is trained (the one slow step: a
    console says what the wait is for)."""
    rows = store.rated_reviews(MAX_RATED)
    last = store.latest_model(KIND)
    if last is not None:
        _key, data, text = last
        evidence = json.loads(text)
        if evidence.get("base_version") == base.version and len(rows) < evidence.get("n_rated", 0) * REFRESH_GROWTH:
            model = _load(data, base) if evidence.get("adopted") and data else base
            return Adaptation(model, {**evidence, "reused": True})
    labels = rating_labels([r[2] for r in rows])
    positive, negative = labels.count("positive"), labels.count("negative")
    if min(positive, negative) < MIN_PER_CLASS:
        return Adaptation(base, {
            "adopted": False, "n_rated": len(rows), "base_version": base.version, "version": base.version,
            "reason": f"too few rated reviews to adapt to: {positive:,} of 5 stars and {negative:,} of 1-2 stars, "
                      f"{MIN_PER_CLASS} of each needed",
        })
    if training is not None:
        training(len(rows))
    result = adapt_with_ratings(base, [r[1] for r in rows], [r[2] for r in rows], min_per_class=MIN_PER_CLASS)
    evidence = {
        "adopted": result.adopted, "n_rated": len(rows), "n_weak": result.n_weak, "n_validation": result.n_validation,
        "base_accuracy": round(result.base_accuracy, 4), "adapted_accuracy": round(result.adapted_accuracy, 4),
        "base_version": base.version, "version": result.model.version,
    }
    digest = hashlib.sha256(base.version.encode())
    for rid, _text, rating in rows:
        digest.update(f"{rid}:{rating}\n".encode())
    store.save_model(digest.hexdigest()[:16], KIND, _dump(result.model) if result.adopted else b"", json.dumps(evidence))
    return Adaptation(result.model, evidence)


def _dump(model: SentimentModel) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.npz"
        model.save(path)
        return path.read_bytes()


def _load(data: bytes, base: SentimentModel) -> SentimentModel:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.npz"
        path.write_bytes(data)
        return SentimentModel.load(path, lexicons=base.lexicons, segmenter=base.segmenter)


def model_file(model: SentimentModel) -> Path:
    """The model written to the cache folder (for analysis worker processes to load)."""
    from voc.analysis import cache_dir, keep_in_cache

    path = cache_dir() / f"sentiment-adapted-{model.version}.npz"
    if not path.is_file() and (exc := keep_in_cache(path, model.save, "sentiment-adapted-*.npz", keep=4)) is not None:
        raise exc  # the workers could not load it
    return path
