"""Ingest throughput and peak memory on generated JD-style CSVs.

Target (issue 2): >= 50,000 rows/s and peak memory < 1 GB for 1,000,000 reviews.
Usage: python benchmarks/bench_ingest.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, report, run_child, write_reviews_csv  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    src = OUT / f"reviews_{args.rows}.csv"
    if not src.exists():
        write_reviews_csv(src, args.rows)
    db = OUT / "bench_ingest.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    voc = shutil.which("voc", path=str(Path(sys.executable).parent)) or "voc"
    seconds, peak_mb, out = run_child([voc, "ingest", str(src), "--db", str(db), "--json"])
    counts = json.loads(out)
    report("ingest", {
        "rows": counts["read"], "stored": counts["stored"], "seconds": round(seconds, 2),
        "rows_per_s": round(counts["read"] / seconds), "peak_mb": round(peak_mb),
        "target_rows_per_s": 50_000, "target_peak_mb": 1024,
        "file_mb": round(src.stat().st_size / 2**20, 1),
    })


if __name__ == "__main__":
    main()
