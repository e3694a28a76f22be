"""What `voc train` and `voc evaluate` call: one place that knows each task's model."""

from __future__ import annotations

from pathlib import Path

from voc.errors import InputError


def _sentiment_model(model: Path | None):
    from voc.analysis.sentiment import SentimentModel
    from voc.analysis.sentiment_train import default_model

    return SentimentModel.load(model) if model else default_model()


def _sentiment_labels(model, texts: list[str]) -> list[str]:
    """Document sentiment as `voc analyze` computes it (it feeds aspect polarity)."""
    from voc.analysis.normalize import normalize

    return list(model.predict([normalize(t) for t in texts]))


def evaluate(task: str, texts: list[str], gold: list[str], *, model: Path | None = None,
             lexicon_dir: Path | None = None) -> dict:
    if task == "sentiment":
        from voc.analysis.sentiment_eval import evaluate_sentiment

        return evaluate_sentiment(_sentiment_model(model), texts, gold)
    if task == "topics":
        from voc.analysis.topics import TopicTagger, TrainedTopicModel, evaluate_topics

        tagger = TopicTagger(lexicon_dir)
        if model:
            tagger = TrainedTopicModel.load(model, tagger=tagger)
        sentiments = _sentiment_labels(_sentiment_model(None), texts)
        return evaluate_topics(tagger, texts, gold, doc_sentiments=sentiments)
    raise InputError(f"unknown task '{task}': use sentiment or topics")


def train(task: str, texts: list[str], gold: list[str], *, out: Path, lexicon_dir: Path | None = None) -> dict:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if task == "sentiment":
        from voc.analysis.sentiment_train import train_sentiment

        model = train_sentiment(texts, gold)
    elif task == "topics":
        from voc.analysis.topics import TopicTagger, train_topics

        model = train_topics(texts, gold, tagger=TopicTagger(lexicon_dir), lexicon_dir=lexicon_dir)
    else:
        raise InputError(f"unknown task '{task}': use sentiment or topics")
    written = model.save(out)
    return {"task": task, "n": len(texts), "out": str(written or out), "version": getattr(model, "version", None)}
