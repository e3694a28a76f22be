"""The team store against the embedded one: ingest, analyze (1 and 2 processes) and a weekly
report on PostgreSQL and on SQLite, side by side in the same run.

For each backend, ``N`` synthetic reviews (``_common.write_reviews_csv``, 13 weeks) are
ingested with `voc ingest`; the store is copied (`voc store copy`) so that both analysis
runs start from the same unanalysed store; then

* ``analyze_1``: one `voc analyze --no-adapt` process;
* ``analyze_2``: on PostgreSQL two `voc analyze` processes started at once (scale-out: they
  claim chunks from the server, as two machines would); on SQLite `--workers 2` (two
  processes on one SQLite file would each analyse everything);
* ``report``: `voc report --week 2026-W47 --xlsx --markdown -q` (emerging issues on).

Every command runs in a fresh child process; the figures are wall seconds, records per
second and the peak resident memory of the command (its worker processes included; for the
two concurrent processes, the larger of the two). The PostgreSQL server is ``--url`` (a
database is created on it for each store, and dropped afterwards) or, without it, a
throwaway cluster from the installed server binaries as the tests make it (fsync off: the
server's disk costs less than on a real one).

    python benchmarks/bench_postgres.py [--rows 1000000] [--url postgresql://user@host/postgres] [--backends postgres]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from _common import _WRAPPER, OUT, child_figures, report, run_child, write_reviews_csv  # noqa: E402

WEEK = "2026-W47"


def voc_bin() -> str:
    return shutil.which("voc", path=str(Path(sys.executable).parent)) or "voc"


def run_two_at_once(args: list[str]) -> tuple[float, float, list[str]]:
    """The same command twice at once: wall seconds, the larger peak (MB), their outputs."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", _WRAPPER, *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate() for p in procs]
    seconds = time.perf_counter() - t0
    for p, (_, err) in zip(procs, outs):
        if p.returncode != 0:
            sys.stderr.write(err)
            raise SystemExit(f"benchmark command failed: {' '.join(args)}")
    peak = max(child_figures(err)[1] for _, err in outs)
    return seconds, peak, [out for out, _ in outs]


def figures(seconds: float, peak: float, n: int | None = None) -> dict:
    out = {"seconds": round(seconds, 1), "peak_mb": round(peak)}
    if n is not None:
        out["per_second"] = round(n / seconds)
    return out


def bench_backend(name: str, first: str, second: str, csv_path: Path, rows: int) -> dict:
    voc = voc_bin()
    res: dict = {}
    s, peak, out = run_child([voc, "ingest", str(csv_path), "--db", first, "--json"])
    stored = json.loads(out)["stored"]
    res["ingest"] = figures(s, peak, rows)
    s, peak, _ = run_child([voc, "store", "copy", "--from", first, "--to", second, "-q"])
    res["copy"] = figures(s, peak, stored)
    s, peak, out = run_child([voc, "analyze", "--db", first, "--no-adapt", "--json"])
    res["analyze_1"] = figures(s, peak, json.loads(out)["analyzed"])
    if name == "postgres":
        s, peak, outs = run_two_at_once([voc, "analyze", "--db", second, "--no-adapt", "--json"])
        shares = [json.loads(o)["analyzed"] for o in outs]
        res["analyze_2"] = {**figures(s, peak, sum(shares)), "how": "two voc analyze processes", "shares": shares}
    else:
        s, peak, out = run_child([voc, "analyze", "--db", second, "--no-adapt", "--workers", "2", "--json"])
        res["analyze_2"] = {**figures(s, peak, json.loads(out)["analyzed"]), "how": "--workers 2"}
    res["analyze_2"]["scaling"] = round(res["analyze_1"]["seconds"] / res["analyze_2"]["seconds"], 2)
    xlsx, md = OUT / f"pg-bench-{name}.xlsx", OUT / f"pg-bench-{name}.md"
    s, peak, _ = run_child([voc, "report", "--db", first, "--week", WEEK, "--xlsx", str(xlsx), "--markdown",
                            str(md), "-q"])
    res["report"] = figures(s, peak)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--url", help="a PostgreSQL server to create the benchmark databases on")
    ap.add_argument("--backends", default="sqlite,postgres", help="which to run (default: both)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"pg-bench-{args.rows}.csv"
    if not csv_path.exists():
        write_reviews_csv(csv_path, args.rows)

    from pg import Server

    # a server for a million records: its tables and indexes in its own memory (the default
    # 128 MB makes every page a copy from the system's cache)
    server = Server(args.url) if args.url else Server.start("-c shared_buffers=2GB")
    try:
        results = {}
        files = [OUT / f"pg-bench-{i}.db" for i in (1, 2)]
        for f in files:
            for p in (f, Path(f"{f}-wal"), Path(f"{f}-shm")):
                p.unlink(missing_ok=True)
        if "sqlite" in args.backends:
            results["sqlite"] = bench_backend("sqlite", str(files[0]), str(files[1]), csv_path, args.rows)
        if "postgres" in args.backends:
            first, second = server.new_database(), server.new_database()
            results["postgres"] = bench_backend("postgres", first, second, csv_path, args.rows)
    finally:
        server.stop()
    report("postgres_vs_sqlite", {"rows": args.rows,
                                  "server": "given" if args.url else "throwaway cluster, fsync off, shared_buffers 2GB",
                                  **results})


if __name__ == "__main__":
    main()
