"""What `voc train` and `voc evaluate` call: one place that knows each task's model."""

from __future__ import annotations

from pathlib import Path

from voc.errors import InputError
from voc.lexicon import Lexicons


def _sentiment_model(model: Path | None, lexicons: Lexicons):
    from voc.analysis.sentiment import SentimentModel
    from voc.analysis.sentiment_train import default_model

    return SentimentModel.load(model, lexicons=lexicons) if model else default_model(lexicons)


def _sentiment_labels(model, texts: list[str], kind: str) -> list[str]:
    """Document sentiment as `voc analyze` hands it to the topics (it feeds aspect polarity;
    a review made neutral by its frame keeps its lean, :func:`voc.analysis.sentiment.aspect_side`)."""
    from voc.analysis.normalize import normalize
    from voc.analysis.sentiment import aspect_band, aspect_side

    tokens = [model.tokens(normalize(t)) for t in texts]
    labels, scores = model.labels_tokens(tokens, [kind] * len(tokens))
    band = aspect_band(model) if kind == "review" else None
    return [aspect_side(label, float(score), band) for label, score in zip(labels, scores)]


def evaluate(task: str, texts: list[str], gold: list[str], *, model: Path | None = None,
             lexicons: Lexicons | None = None, kind: str = "review") -> dict:
    """Score a task's model on labelled texts of one genre (``kind``: ``review`` or
    ``ticket``: `voc analyze` reads each record by its kind)."""
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    if kind not in ("review", "ticket"):
        raise InputError(f"unknown kind '{kind}': use review or ticket")
    if task == "sentiment":
        from voc.analysis.sentiment_eval import evaluate_sentiment

        return evaluate_sentiment(_sentiment_model(model, lexicons), texts, gold, kind)
    if task == "topics":
        from voc.analysis.topics import TopicTagger, TrainedTopicModel, evaluate_topics

        tagger = TopicTagger.from_lexicons(lexicons)
        if model:
            tagger = TrainedTopicModel.load(model, tagger=tagger)
        sentiments = _sentiment_labels(_sentiment_model(None, lexicons), texts, kind)
        return evaluate_topics(tagger, texts, gold, doc_sentiments=sentiments, kind=kind)
    raise InputError(f"unknown task '{task}': use sentiment or topics")


def train(task: str, texts: list[str], gold: list[str], *, out: Path, lexicons: Lexicons | None = None) -> dict:
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if task == "sentiment":
        from voc.analysis.sentiment_train import train_sentiment

        model = train_sentiment(texts, gold, lexicons=lexicons)
    elif task == "topics":
        from voc.analysis.topics import TopicTagger, train_topics

        model = train_topics(texts, gold, tagger=TopicTagger.from_lexicons(lexicons))
    else:
        raise InputError(f"unknown task '{task}': use sentiment or topics")
    written = model.save(out)
    summary = {"task": task, "n": len(texts), "out": str(written or out), "version": getattr(model, "version", None)}
    if task == "sentiment":  # whether the character n-gram component learned from these labels is in
        summary["chars"] = getattr(model, "chars_", None) is not None
    return summary
