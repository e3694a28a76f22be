"""`voc analyze` throughput against plain jieba.lcut, workers scaling and peak memory.

Targets (issue 3): >= 5x the throughput of plain `jieba.lcut` over the same texts and
>= 20,000 reviews/s in one process on ~60-character reviews; --workers 2 >= 1.7x one
worker; peak memory < 1.5 GB for 1,000,000 reviews.

This machine's speed drifts by a third from minute to minute (other tenants), so the
throughput runs are repeated in rounds, each round measuring jieba, one worker and two
workers back to back; the ratios are taken within a round and the median round is
reported with the range over rounds.

Usage: python benchmarks/bench_analyze.py [--rows 200000] [--rounds 3] [--memory-rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, compile_bytecode, report, run_child, write_reviews_csv  # noqa: E402


def voc_bin() -> str:
    return shutil.which("voc", path=str(Path(sys.executable).parent)) or "voc"


def fresh_db(name: str, src: Path) -> Path:
    db = OUT / name
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    run_child([voc_bin(), "ingest", str(src), "--db", str(db), "--json"])
    return db


def copy_db(src: Path, name: str) -> Path:
    """A copy of a store (checkpointed first, so the copy is the whole store)."""
    import sqlite3

    conn = sqlite3.connect(src)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    dst = OUT / name
    for p in (dst, Path(f"{dst}-wal"), Path(f"{dst}-shm")):
        p.unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst


def jieba_rate(src: Path, n: int) -> tuple[float, float]:
    """Plain jieba.lcut (default mode, as users call it) over the first n texts: texts/s, mean length."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    with open(src, encoding="utf-8") as f:
        rows = csv.DictReader(f)
        texts = [r["评论内容"] for _, r in zip(range(n), rows)]
    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    return len(texts) / (time.perf_counter() - t0), sum(map(len, texts)) / len(texts)


def analyze(db: Path, workers: int, reanalyze: bool = False) -> tuple[dict, float]:
    # the analysis itself: adapting the sentiment model to the generated ratings is a
    # one-off cost measured by bench_adapt.py
    args = [voc_bin(), "analyze", "--db", str(db), "--json", "--workers", str(workers), "--no-adapt"]
    if reanalyze:
        args.append("--reanalyze")
    _, peak_mb, out = run_child(args)
    return json.loads(out), peak_mb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--memory-rows", type=int, default=1_000_000, help="0 to skip the memory run")
    args = ap.parse_args()
    src = OUT / f"reviews_{args.rows}.csv"
    if not src.exists():
        write_reviews_csv(src, args.rows)
    compile_bytecode()
    template = fresh_db("bench_analyze_ingested.db", src)
    rounds = []
    for _ in range(args.rounds):
        jieba_per_s, mean_len = jieba_rate(src, min(args.rows, 30_000))
        # one and two workers do the same work: a first analysis of the same ingested store
        one, _ = analyze(copy_db(template, "bench_analyze.db"), 1)
        two, _ = analyze(copy_db(template, "bench_analyze.db"), 2)
        rounds.append({"jieba": jieba_per_s, "one": one["per_second"], "two": two["per_second"],
                       "speedup": one["per_second"] / jieba_per_s, "scaling": two["per_second"] / one["per_second"]})
    db = Path(OUT / "bench_analyze.db")
    again, _ = analyze(db, 1)  # incremental: nothing new
    redo, _ = analyze(db, 1, reanalyze=True)  # every record again (replaces the results)

    def median(key: str, digits: int = 0) -> float:
        return round(statistics.median(r[key] for r in rounds), digits)

    def spread(key: str, digits: int = 0) -> list[float]:
        return [round(min(r[key] for r in rounds), digits), round(max(r[key] for r in rounds), digits)]

    report("analyze", {
        "reviews": one["analyzed"], "mean_chars": round(mean_len, 1), "rounds": len(rounds),
        "jieba_lcut_per_s": median("jieba"), "workers1_per_s": median("one"),
        "speedup_vs_jieba": median("speedup", 2), "speedup_range": spread("speedup", 2),
        "workers2_per_s": median("two"), "workers2_scaling": median("scaling", 2),
        "scaling_range": spread("scaling", 2), "workers1_range": spread("one"),
        "incremental_rerun_analyzed": again["analyzed"], "reanalyze_workers1_per_s": redo["per_second"],
        "targets": {"per_s": 20_000, "speedup_vs_jieba": 5, "workers2_scaling": 1.7},
    })
    if args.memory_rows:
        big = OUT / f"reviews_{args.memory_rows}.csv"
        if not big.exists():
            write_reviews_csv(big, args.memory_rows)
        db = fresh_db("bench_analyze_1m.db", big)
        twin = copy_db(db, "bench_analyze_1m_two.db")
        res, peak_mb = analyze(db, 1)
        two, peak_two_mb = analyze(twin, 2)  # the weekly volume: start-up costs weigh less
        report("analyze_memory", {"reviews": res["analyzed"], "per_s": res["per_second"],
                                  "peak_mb": round(peak_mb), "target_peak_mb": 1536,
                                  "workers2_per_s": two["per_second"],
                                  "workers2_scaling": round(two["per_second"] / res["per_second"], 2),
                                  "workers2_peak_mb": round(peak_two_mb)})


if __name__ == "__main__":
    main()
