"""Topics, aspect polarity and sentiment on the development sets, with a fixed protocol
so that a figure is never quoted on the texts it was tuned on.

Sets (../shared/data): ``dev1`` topics_dev/labels.csv (300 reviews), ``dev2r``
topics_dev2/reviews.csv (200 reviews), ``dev2t`` topics_dev2/tickets.csv (200 JD
customer-service sessions). Each is split by a hash of its item_id: a fifth is held out
(``--holdout``: look at it only at the end of a piece of work, to quote), the rest is the
tuning part. Work on one set's tuning part (``--errors dev1`` lists its mistakes), check
on the other's, then the reverse; a change that helps one and hurts the other is
overfitting.

Figures: topic micro precision/recall/F1 and aspect polarity accuracy as `voc evaluate
topics` computes them (no document sentiment), the same with the sentiment model's
label as the document sentiment (what `voc analyze` does), and the sentiment model's
3-class accuracy, macro-F1 and neutral F1 (and the binary accuracy on items labelled
positive or negative).

Usage: python benchmarks/eval_dev.py [--holdout] [--errors SET] [--json]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = {
    "dev1": DATA / "topics_dev" / "labels.csv",
    "dev2r": DATA / "topics_dev2" / "reviews.csv",
    "dev2t": DATA / "topics_dev2" / "tickets.csv",
}


def held_out(item_id: str) -> bool:
    """A fifth of every set, fixed by its item ids."""
    return int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % 5 == 0


def rows_of(name: str, holdout: bool) -> list[dict]:
    path = SETS[name]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    return [r for r in rows if held_out(r["item_id"]) == holdout]


def sentiment_scores(gold: list[str], got: list[str]) -> dict:
    labels = ("positive", "neutral", "negative")
    f1 = {}
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, got))
        fp = sum(g != lab and p == lab for g, p in zip(gold, got))
        fn = sum(g == lab and p != lab for g, p in zip(gold, got))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1[lab] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    binary = [(g, p) for g, p in zip(gold, got) if g != "neutral"]
    return {
        "accuracy": round(sum(g == p for g, p in zip(gold, got)) / len(gold), 4),
        "macro_f1": round(sum(f1.values()) / 3, 4),
        "neutral_f1": round(f1["neutral"], 4),
        "binary_accuracy": round(sum(g == p for g, p in binary) / len(binary), 4) if binary else None,
        "n": len(gold),
    }


def evaluate(name: str, rows: list[dict], analyzer) -> dict:
    from voc.analysis.normalize import normalize
    from voc.analysis.topics import evaluate_topics

    texts = [r["text"] for r in rows]
    tokens = analyzer.segmenter.cut_many([normalize(t) for t in texts])
    kind = "ticket" if name == "dev2t" else "review"
    try:
        labels, _ = analyzer.sentiment.labels_tokens(tokens, [kind] * len(tokens))
    except TypeError:  # a voc from before record kinds reached the sentiment model (for comparisons)
        labels, _ = analyzer.sentiment.labels_tokens(tokens)
    plain = evaluate_topics(analyzer.topics, texts, [r["topics"] for r in rows], kind=kind)
    with_doc = evaluate_topics(analyzer.topics, texts, [r["topics"] for r in rows], list(labels), kind=kind)
    return {
        "set": name, "n": len(rows),
        "topics": {k: plain[k] for k in ("micro_precision", "micro_recall", "micro_f1", "aspect_accuracy", "aspect_n")},
        "aspect_accuracy_with_model_sentiment": with_doc["aspect_accuracy"],
        "sentiment": sentiment_scores([r["sentiment"] for r in rows], list(labels)),
    }


def errors(name: str, rows: list[dict], analyzer) -> None:
    from voc.analysis.topics import parse_topic_labels

    kind = "ticket" if name == "dev2t" else "review"
    for r in rows:
        want = parse_topic_labels(r["topics"])
        got = {h.id: (h.polarity, h.evidence) for h in analyzer.topics.tag(r["text"], None, kind)}
        fp = sorted(set(got) - set(want))
        fn = sorted(set(want) - set(got))
        pol = sorted(t for t in set(want) & set(got) if want[t] is not None and want[t] != got[t][0])
        if fp or fn or pol:
            print(f"{r['item_id']}\t{r['text'][:160]}")
            for t in fp:
                print(f"    FP {t}:{got[t][0]} 「{got[t][1]}」")
            for t in fn:
                print(f"    FN {t}:{want[t]}")
            for t in pol:
                print(f"    POL {t}: want {want[t]} got {got[t][0]} 「{got[t][1]}」")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--holdout", action="store_true", help="score the held-out fifth (quote it; do not tune on it)")
    ap.add_argument("--errors", choices=sorted(SETS), help="list the mistakes on a set's tuning part")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    missing = [str(p) for p in SETS.values() if not p.is_file()]
    if missing:
        sys.exit(f"development sets not found: {', '.join(missing)}")
    from voc.analysis.analyzer import Analyzer

    analyzer = Analyzer.from_lexicons()
    if args.errors:
        errors(args.errors, rows_of(args.errors, False), analyzer)
        return
    results = [evaluate(name, rows_of(name, args.holdout), analyzer) for name in SETS]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    part = "held-out fifth" if args.holdout else "tuning part"
    print(f"{part}: topic P / R / F1, aspect accuracy (with the model's sentiment), sentiment acc / macro-F1 / "
          "neutral F1 / binary acc")
    for r in results:
        t, s = r["topics"], r["sentiment"]
        print(f"{r['set']:6} n={r['n']:3}  {t['micro_precision']:.3f} / {t['micro_recall']:.3f} / {t['micro_f1']:.3f}  "
              f"aspect {t['aspect_accuracy']:.3f} ({r['aspect_accuracy_with_model_sentiment']:.3f})  "
              f"sentiment {s['accuracy']:.3f} / {s['macro_f1']:.3f} / {s['neutral_f1']:.3f} / {s['binary_accuracy']}")


if __name__ == "__main__":
    main()
