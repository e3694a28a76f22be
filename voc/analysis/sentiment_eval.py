"""Gold-label normalisation and the evaluation report of ``voc evaluate sentiment``.

Gold files label sentiment in many ways; :func:`normalize_labels` maps every accepted
form to ``positive`` / ``neutral`` / ``negative``. :func:`evaluate_sentiment` returns the
keys DESIGN.md fixes: ``n``, ``accuracy``, ``macro_f1``, ``per_class`` (precision,
recall, f1, support) and ``confusion``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from voc.errors import InputError

__all__ = ["LABEL_FORMS", "evaluate_sentiment", "normalize_label", "normalize_labels"]

#: Accepted spellings (compared after strip + lower-case) → canonical label.
LABEL_FORMS: dict[str, str] = {
    "1": "positive", "1.0": "positive", "positive": "positive", "pos": "positive", "正面": "positive",
    "正向": "positive", "积极": "positive", "好评": "positive", "p": "positive", "+": "positive",
    "0": "negative", "0.0": "negative", "negative": "negative", "neg": "negative", "负面": "negative",
    "负向": "negative", "消极": "negative", "差评": "negative", "n": "negative", "-": "negative",
    "neutral": "neutral", "neu": "neutral", "中性": "neutral", "中立": "neutral", "中评": "neutral",
}


def normalize_label(value: Any) -> str:
    """Map one gold label to ``positive`` / ``neutral`` / ``negative``.

    Accepts ``1``/``0`` (ints, floats, bools or strings), ``positive/negative/neutral``,
    ``pos/neg/neu`` and ``正面/负面/中性`` (case and surrounding spaces ignored).
    Numeric three-class codes (0/1/2, -1/0/1) are rejected rather than guessed, since
    the schemes disagree about what 0 and 1 mean.

    Raises:
        InputError: the value is empty or not a known label.
    """
    if isinstance(value, bool):
        return "positive" if value else "negative"
    if isinstance(value, float) and math.isnan(value):
        raise InputError("empty sentiment label")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    key = str(value).strip().lower()
    if not key:
        raise InputError("empty sentiment label")
    label = LABEL_FORMS.get(key)
    if label is None:
        raise InputError(
            f"unknown sentiment label {value!r}; use 1/0, positive/negative/neutral, "
            f"pos/neg/neu or 正面/负面/中性"
        )
    return label


def normalize_labels(values: Iterable[Any]) -> list[str]:
    """Normalise many gold labels; the error names the first bad value and its position."""
    out: list[str] = []
    for position, value in enumerate(values):
        try:
            out.append(normalize_label(value))
        except InputError as exc:
            raise InputError(f"label #{position + 1}: {exc}") from None
    return out


class _Scorer(Protocol):
    def predict(self, texts: Iterable[str]) -> list[str]: ...

    def predict_proba(self, texts: Iterable[str]) -> Any: ...


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate_sentiment(model: _Scorer, texts: Sequence[str], gold: Sequence[Any],
                       kind: str = "review") -> dict[str, Any]:
    """Score ``model`` on labelled texts of one genre (``kind``: ``review`` or ``ticket``).

    When the gold labels use two classes (positive and negative only), each prediction
    is the likelier of positive and negative (score ≥ 0.5); otherwise the model's
    three-way label is compared.

    Returns:
        ``{"n", "accuracy", "macro_f1", "per_class": {label: {precision, recall, f1,
        support}}, "confusion": {gold: {predicted: count}}, "labels", "mode"}`` where
        ``mode`` is ``"binary"`` or ``"3-class"``.
    """
    gold_labels = normalize_labels(gold)
    if len(gold_labels) != len(texts):
        raise InputError(f"{len(texts)} texts but {len(gold_labels)} gold labels")
    binary = "neutral" not in gold_labels
    if binary:
        labels = ["positive", "negative"]
        predicted = ["positive" if p >= 0.5 else "negative" for p in model.predict_proba(texts)]
    else:
        labels = ["positive", "neutral", "negative"]
        predicted = list(model.predict(texts) if kind == "review" else model.predict(texts, kind=kind))
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold_labels, predicted, strict=True):
        confusion[g][p] += 1
    n = len(gold_labels)
    correct = sum(confusion[label][label] for label in labels)
    per_class: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = confusion[label][label]
        fp = sum(confusion[g][label] for g in labels if g != label)
        fn = sum(confusion[label][p] for p in labels if p != label)
        precision, recall, f1 = _prf(tp, fp, fn)
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": sum(confusion[label].values()),
        }
    present = [label for label in labels if per_class[label]["support"] > 0] or labels
    macro_f1 = sum(per_class[label]["f1"] for label in present) / len(present)
    return {
        "n": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "macro_f1": round(macro_f1, 4),
        "per_class": per_class,
        "confusion": confusion,
        "labels": labels,
        "mode": "binary" if binary else "3-class",
    }
