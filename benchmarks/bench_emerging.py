"""Benchmark: clustering complaints and the whole `detect_emerging`, at 50k/100k/200k.

Each size runs in its own process on one core (``taskset`` when available; the
clusterer limits BLAS/OpenMP to one thread itself), so the peak memory reported is
that run's own maximum resident set size. Two measurements per size:

* ``cluster``: ``ComplaintClusterer.fit`` on N synthetic complaint token documents
  (10 issue themes, generic complaint words, a 20,000-word Zipf noise vocabulary);
* ``detect``: ``detect_emerging`` on a store holding N complaints in the 9-week
  window (reading, clustering, tests, quotes, saving identities).

Usage: python benchmarks/bench_emerging.py [--sizes 50000,100000,200000] [--skip-detect]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def child_cluster(n: int) -> dict:
    from emerging_synth import token_docs

    from voc.emerging.cluster import ComplaintClusterer
    from voc.emerging.terms import BUILTIN_STOP

    docs = token_docs(n, seed=0, noise_size=20000, max_noise=8)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    model = ComplaintClusterer(stop_words=BUILTIN_STOP).fit(docs)
    model.ctfidf()
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"n": n, "seconds": round(seconds, 2), "clusters": model.n_clusters_, "terms": len(model.terms_),
            "peak_mb": round(peak / 1024), "peak_mb_before_fit": round(base / 1024)}


def child_detect(n: int) -> dict:
    from emerging_synth import Plan, build_store, iso_weeks

    from voc.emerging import detect_emerging
    from voc.period import iso_week
    from voc.store import open_store

    weeks = iso_weeks("2026-W40", 9)
    per_week = n / 9 / 3  # three products, every record a complaint
    plan = Plan(weeks=weeks, products={"A": per_week, "B": per_week, "C": per_week}, complaint_rate=1.0,
                events=[("swelling", "C", weeks[-1], 200), ("fingerprint", "A", weeks[-1], 150)], seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = build_store(Path(tmp) / "bench.db", plan)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with open_store(path) as store:
            t = time.perf_counter()
            result = detect_emerging(store, iso_week(weeks[-1]))
            seconds = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"n": result.stats["complaints_window"], "seconds": round(seconds, 2), "clusters": result.stats["clusters"],
            "alarms": [a.label for a in result.alarms][:3], "peak_mb": round(peak / 1024), "peak_mb_before": round(base / 1024)}


def run_child(kind: str, n: int) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--n", str(n)]
    if os.path.exists("/usr/bin/taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50000,100000,200000")
    ap.add_argument("--skip-detect", action="store_true")
    ap.add_argument("--child")
    ap.add_argument("--n", type=int)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child_cluster(args.n) if args.child == "cluster" else child_detect(args.n), ensure_ascii=False))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ["cluster"] + ([] if args.skip_detect else ["detect"])
    for kind in kinds:
        first = None
        for n in sizes:
            r = run_child(kind, n)
            first = first or (r["seconds"] / r["n"])
            ratio = (r["seconds"] / r["n"]) / first
            print(f"{kind:8s} n={r['n']:>7,}  {r['seconds']:7.2f} s  peak {r['peak_mb']:5d} MB  "
                  f"clusters={r['clusters']}  per-doc cost vs smallest: {ratio:.2f}x  {r.get('alarms', '')}", flush=True)


if __name__ == "__main__":
    main()
