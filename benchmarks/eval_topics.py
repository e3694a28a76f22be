"""Topic tagging, aspect polarity and the safety flag: accuracy on topics_dev, and speed.

Accuracy (../shared/data/topics_dev/labels.csv, 300 real labelled reviews, when present):
micro/macro F1, aspect polarity accuracy (without, then with the gold document
sentiment, as `voc analyze` passes the sentiment model's label), per-topic F1, and the
safety flag's precision and recall. Targets on held-out reviews: micro-F1 >= 0.85,
aspect accuracy >= 0.85.

Speed, one process (CPU time, best of --repeat runs, so other load on the machine counts
less): reviews per second of TopicTagger.tag, SafetyDetector.detect and
ProductMatcher.find on ~60-character reviews (synthetic ones from _common.py, and real
ones from online_shopping_10_cats when present), next to plain jieba.lcut on the same
texts for scale. Target for topic tagging: >= 50,000 reviews/s.

Usage: python benchmarks/eval_topics.py [--n 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report, review_text  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def accuracy(tagger, detector) -> dict:
    from voc.analysis.topics import evaluate_topics

    path = DATA / "topics_dev" / "labels.csv"
    if not path.is_file():
        return {"topics_dev": f"not found at {path}"}
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    texts, gold = [r["text"] for r in rows], [r["topics"] for r in rows]
    plain = evaluate_topics(tagger, texts, gold)
    with_doc = evaluate_topics(tagger, texts, gold, [r["sentiment"] for r in rows])
    flagged = [detector.detect(t) is not None for t in texts]
    wanted = [r["safety"] == "true" for r in rows]
    tp = sum(f and w for f, w in zip(flagged, wanted, strict=True))
    return {
        "n": plain["n"],
        "micro_f1": plain["micro_f1"], "micro_precision": plain["micro_precision"],
        "micro_recall": plain["micro_recall"], "macro_f1": plain["macro_f1"],
        "aspect_accuracy": plain["aspect_accuracy"],
        "aspect_accuracy_with_doc_sentiment": with_doc["aspect_accuracy"],
        "per_topic_f1": {t: v["f1"] for t, v in plain["per_topic"].items()},
        "safety": {"flagged": sum(flagged), "labelled": sum(wanted),
                   "precision": round(tp / sum(flagged), 4) if sum(flagged) else None,
                   "recall": round(tp / sum(wanted), 4) if sum(wanted) else None},
    }


def texts_for_speed(n: int, chars: int = 60) -> dict[str, list[str]]:
    """~``chars``-character reviews: synthetic ones (two _common.py reviews joined and
    cut), and real ones (laptop/tablet/phone reviews at least that long, cut)."""
    rng = random.Random(11)
    sets = {"synthetic": [(review_text(rng)[0] + review_text(rng)[0])[:chars] for _ in range(n)]}
    real = DATA / "online_shopping_10_cats" / "online_shopping_10_cats.csv"
    if real.is_file():
        with real.open(encoding="utf-8-sig") as fh:
            rows = [r["review"][:chars] for r in csv.DictReader(fh)
                    if r["cat"] in ("计算机", "平板", "手机") and len(r["review"]) >= chars]
        sets["real"] = (rows * (n // max(len(rows), 1) + 1))[:n]
    return sets


def per_second(fn, texts: list[str], repeat: int) -> float:
    best = 0.0
    for _ in range(repeat):
        t0 = time.process_time()
        for t in texts:
            fn(t)
        best = max(best, len(texts) / max(time.process_time() - t0, 1e-9))
    return round(best)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=20_000, help="reviews per speed run")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import jieba

    from voc.analysis.normalize import normalize
    from voc.analysis.products import ProductMatcher
    from voc.analysis.safety import SafetyDetector
    from voc.analysis.topics import TopicTagger

    t0 = time.perf_counter()
    tagger, detector, products = TopicTagger.from_lexicons(), SafetyDetector.from_lexicons(), ProductMatcher.from_lexicons()
    load_s = time.perf_counter() - t0
    jieba.setLogLevel(60)
    jieba.lcut("预热")
    speed = {}
    for name, texts in texts_for_speed(args.n).items():
        texts = [normalize(t) for t in texts]
        speed[name] = {
            "avg_chars": round(sum(map(len, texts)) / len(texts), 1),
            "topics_per_s": per_second(tagger.tag, texts, args.repeat),
            "topics_with_doc_sentiment_per_s": per_second(lambda t: tagger.tag(t, "positive"), texts, args.repeat),
            "safety_per_s": per_second(detector.detect, texts, args.repeat),
            "products_per_s": per_second(products.find, texts, args.repeat),
            "jieba_lcut_per_s": per_second(jieba.lcut, texts[: max(1, len(texts) // 5)], 1),
        }
    report("eval_topics", {
        "accuracy": accuracy(tagger, detector), "speed": speed, "load_seconds": round(load_s, 2),
        "versions": {"topics": tagger.version, "safety": detector.version, "products": products.version},
        "targets": {"micro_f1": 0.85, "aspect_accuracy": 0.85, "topics_per_s": 50_000},
    })


if __name__ == "__main__":
    main()
