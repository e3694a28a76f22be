"""`voc analyze` on real short reviews against plain jieba.lcut (issue 13, point 6).

The texts are the 25–50 character reviews of ../shared/data/online_shopping_10_cats
(about 20,600 of them, 35 characters on average: what customers write on JD and Tmall),
written to a JD-style CSV under benchmarks/out and ingested. At this length and count a
whole `voc analyze` process spends a large share of its time starting up (imports, the
segmenter's dictionary, the lexicons, the sentiment model), so the figure here is the
whole process, start-up included, against a loop of `jieba.lcut` over the same texts
(jieba's own dictionary load excluded, as users who call it in a loop see it). voc runs
installed as a wheel installs it, its bytecode written (:func:`_common.compile_bytecode`),
and its time is its own process's, from start to exit.

Target: >= 3.5x. The machine's speed drifts, so the pair is measured back to back in
rounds and the median ratio is reported with its range. `voc analyze` runs as a user
runs it (its workers chosen from the pending records and the cores) and, in the same
rounds, with `--workers 1` (one core, as the jieba loop uses).

Usage: python benchmarks/bench_short.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, compile_bytecode, report, run_child  # noqa: E402
from bench_analyze import copy_db, fresh_db, voc_bin  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "online_shopping_10_cats" / "online_shopping_10_cats.csv"


def short_reviews() -> list[str]:
    with open(DATA, encoding="utf-8-sig", newline="") as f:
        texts = [r["review"] for r in csv.DictReader(f) if r["review"] and 25 <= len(r["review"]) <= 50]
    return list(dict.fromkeys(texts))


def write_csv(texts: list[str]) -> Path:
    path = OUT / "short_reviews.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["评论ID", "商品名称", "评论内容", "评论时间"])
        for i, t in enumerate(texts):
            w.writerow([f"s{i}", "小新Pro14", t, f"2026/11/{1 + i % 28} {i % 24}:{i % 60:02d}"])
    return path


def jieba_seconds(texts: list[str]) -> float:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if not DATA.is_file():
        sys.exit(f"skipped: {DATA} not found (the shared development data)")
    texts = short_reviews()
    compile_bytecode()
    template = fresh_db("bench_short_ingested.db", write_csv(texts))
    rounds = []
    for _ in range(args.rounds):
        jieba_s = jieba_seconds(texts)
        db = copy_db(template, "bench_short.db")
        seconds, peak_mb, _ = run_child([voc_bin(), "analyze", "--db", str(db), "-q", "--no-adapt"])
        db = copy_db(template, "bench_short.db")
        one_s, one_mb, _ = run_child([voc_bin(), "analyze", "--db", str(db), "-q", "--no-adapt", "--workers", "1"])
        rounds.append({"jieba_s": jieba_s, "voc_s": seconds, "ratio": jieba_s / seconds, "peak_mb": peak_mb,
                       "one_s": one_s, "one_ratio": jieba_s / one_s, "one_mb": one_mb})
    ratios = [r["ratio"] for r in rounds]
    one = [r["one_ratio"] for r in rounds]
    report("analyze_short_reviews", {
        "reviews": len(texts), "mean_chars": round(sum(map(len, texts)) / len(texts), 1), "rounds": len(rounds),
        "jieba_lcut_s": round(statistics.median(r["jieba_s"] for r in rounds), 2),
        "voc_analyze_process_s": round(statistics.median(r["voc_s"] for r in rounds), 2),
        "voc_per_jieba": round(statistics.median(ratios), 2),
        "range": [round(min(ratios), 2), round(max(ratios), 2)],
        "peak_mb": round(max(r["peak_mb"] for r in rounds)),
        "one_worker_s": round(statistics.median(r["one_s"] for r in rounds), 2),
        "one_worker_per_jieba": round(statistics.median(one), 2),
        "one_worker_range": [round(min(one), 2), round(max(one), 2)],
        "one_worker_peak_mb": round(max(r["one_mb"] for r in rounds)),
        "target": 3.5,
    })


if __name__ == "__main__":
    main()
