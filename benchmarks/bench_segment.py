"""Throughput of normalisation, segmentation and sentiment, against plain ``jieba.lcut``.

Measures, in one process on the same texts (typical ~60-character reviews):

* ``jieba.lcut`` (the reference the speed target is stated against) and jieba without HMM;
* ``normalize``, ``Segmenter.cut`` (the compiled cutter, or rjieba, + voc lexicons), the sentiment model on
  pre-cut tokens (batched, as ``voc analyze`` calls it);
* the sentiment path end to end: normalize → cut → score, in chunks.

Usage: ``python benchmarks/bench_segment.py [--n 20000] [--chunk 2000]``. Texts come from
``../shared/data`` when present, else from our template generator.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voc.analysis.normalize import normalize, normalize_many  # noqa: E402
from voc.analysis.segment import Segmenter  # noqa: E402
from voc.analysis.sentiment_train import default_model, default_model_path  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "online_shopping_10_cats" / "online_shopping_10_cats.csv"


def load_texts(n: int, length: int = 60) -> list[str]:
    """``n`` review texts of ``length`` characters (longer reviews cut to that length)."""
    if DATA.is_file():
        with DATA.open(encoding="utf-8") as fh:
            texts = [r["review"] for r in csv.DictReader(fh) if r["review"] and len(r["review"]) >= length]
    else:
        from voc.analysis.sentiment_templates import generate

        parts = generate(4 * n, random_state=0)[0]
        texts = ["，".join(parts[i : i + 4]) for i in range(0, len(parts), 4)]
    rng = random.Random(0)
    texts = [rng.choice(texts)[:length] for _ in range(n)]
    return texts


def rate(label: str, n: int, seconds: float, reference: float | None = None) -> float:
    per_second = n / seconds
    ratio = f"  ({per_second / reference:4.1f}x jieba.lcut)" if reference else ""
    print(f"{label:42s} {per_second:>10,.0f} texts/s  {seconds / n * 1e6:7.2f} µs/text{ratio}")
    return per_second


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="number of texts")
    parser.add_argument("--chunk", type=int, default=2000, help="texts per sentiment batch")
    args = parser.parse_args()
    texts = load_texts(args.n)
    n = len(texts)
    print(f"{n} texts, mean length {sum(map(len, texts)) / n:.1f} characters\n")

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    _, t_jieba = timed(lambda: [jieba.lcut(t) for t in texts])
    ref = rate("jieba.lcut (HMM on, the reference)", n, t_jieba)
    _, t = timed(lambda: [jieba.lcut(t, HMM=False) for t in texts])
    rate("jieba.lcut(HMM=False)", n, t, ref)

    (segmenter, t_init) = timed(Segmenter)
    print(f"{'Segmenter.from_lexicons() construction':42s} {t_init * 1000:10.0f} ms")
    cached = default_model_path().is_file()
    (model, t_model) = timed(default_model)
    what = "loaded from cache" if cached else "built and cached"
    print(f"{'default_model() ' + what:42s} {t_model * 1000:10.0f} ms\n")

    normalised, t_norm = timed(normalize_many, texts)
    rate("normalize", n, t_norm, ref)
    tokens, t_cut = timed(segmenter.cut_many, normalised)
    rate("Segmenter.cut (normalised input)", n, t_cut, ref)
    chunk = args.chunk

    def score_all():
        for i in range(0, n, chunk):
            model.labels_tokens(tokens[i : i + chunk])

    _, t_sent = timed(score_all)
    rate(f"sentiment on tokens (batches of {chunk})", n, t_sent, ref)

    def end_to_end():
        labels = []
        for i in range(0, n, chunk):
            toks = [segmenter.cut(normalize(t)) for t in texts[i : i + chunk]]
            labels.extend(model.labels_tokens(toks)[0])
        return labels

    labels, t_all = timed(end_to_end)
    rate("normalize + cut + sentiment", n, t_all, ref)
    share = {label: labels.count(label) / n for label in ("positive", "neutral", "negative")}
    print("\nlabel shares: " + ", ".join(f"{k} {v:.2f}" for k, v in share.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
