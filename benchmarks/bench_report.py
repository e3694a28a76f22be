"""Benchmark `voc report` on a store of 1,000,000 analysed records (target: < 60 s, < 2 GB).

The store is generated directly (records + analysis + record_topics, as `voc analyze`
leaves them; deterministic, seed 7) and cached between runs. Each scenario runs in a
fresh child process that prints its stage timings and its own peak RSS:

* ``week``: the weekly report of the last week (about 1/13 of the records), with
  back-fill of 4 earlier weeks, workbook (data sheet = that week's records), Markdown,
  console and JSON, first run and re-run;
* ``all``: one report over the whole date range (all 1,000,000 records aggregated; the
  data sheet capped at the default 100,000 rows);
* ``cli``: the real command line, ``voc report --week ... --xlsx ... --markdown ... -q``
  (peak RSS of that process alone).

As the real ``voc report``, every scenario runs emerging-issue detection ("emerging" in
the stage timings); ``--no-emerging`` leaves it out, for the report's own cost. The
analysis tokens are jieba words plus a Zipf long tail, and a complaint no topic names
(指纹识别 …, 300 more records of one product) is planted in the last week: every
scenario reports whether that alarm was raised.

    python benchmarks/bench_report.py [--records 1000000] [--weeks 13] [--db PATH] [--no-emerging]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from emerging_synth import noise_vocab  # noqa: E402

from voc.lexicon import Lexicons  # noqa: E402
from voc.store import open_store  # noqa: E402


def _cut(text: str) -> str:
    import rjieba

    return " ".join(rjieba.cut(text, False))


TOPICS = ["thermal", "battery", "display", "input", "noise", "performance", "software", "connectivity",
          "audio_camera", "build", "storage", "ports_accessories", "logistics", "customer_service",
          "after_sales", "price", "authenticity"]  # fmt: skip
CHANNELS = ["京东", "天猫", "拼多多", "官网", "客服热线"]
PHRASES = ["屏幕很清晰", "运行流畅一点都不卡", "续航不错", "做工精致", "物流很快", "性价比高", "发热严重", "风扇噪音很大",
           "电池掉电快", "屏幕有漏光", "经常死机", "蓝牙老是断", "外壳有划痕", "快递太慢了", "客服不理人", "充电器发烫"]  # fmt: skip
TAIL = "。整体来说还可以，希望能耐用。"
LAST_MONDAY = date(2026, 11, 16)
CHUNK = 100_000
# A complaint no topic names, planted in the last week for one product: the emerging
# alarm the report must show (checked by every scenario).
PLANTED = "指纹识别经常失败，解锁要按好几次，录入指纹也没反应"
PLANTED_N = 300
PLANTED_PRODUCT = "型号07"
PHRASE_TOKENS = [_cut(p) for p in PHRASES]
TAIL_TOKENS = _cut(TAIL)
NOISE = noise_vocab(20000)
DATA_VERSION = "v6"  # bump when generate() changes, so a cached store is not reused


def texts(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """n ~40-60 character reviews from a few phrases, and their analysis tokens.

    The tokens are what `voc analyze` stores (space-joined jieba words), plus 0-6 words
    from a 20,000-word Zipf vocabulary standing in for a real corpus' long tail, so
    that emerging-issue clustering sees a realistic vocabulary.
    """
    idx = rng.integers(0, len(PHRASES), size=(n, 4))
    bodies = ["，".join(PHRASES[j] for j in row) + TAIL for row in idx]
    n_noise = rng.integers(0, 7, size=n)
    noise = np.minimum(rng.zipf(1.3, size=int(n_noise.sum())) - 1, len(NOISE) - 1)
    at = np.concatenate([[0], np.cumsum(n_noise)])
    tokens = [
        " ".join([*(PHRASE_TOKENS[j] for j in row), TAIL_TOKENS, *(NOISE[k] for k in noise[at[i]:at[i + 1]])])
        for i, row in enumerate(idx)
    ]
    return bodies, tokens


def generate(path: Path, n: int, weeks: int, seed: int = 7) -> None:
    """Write n analysed records spread over ``weeks`` weeks ending 2026-W47."""
    rng = np.random.default_rng(seed)
    products = [f"型号{i:02d}" for i in range(40)]
    pweights = 1.0 / np.arange(1, 41)
    pweights /= pweights.sum()
    first = np.datetime64(LAST_MONDAY - timedelta(weeks=weeks - 1), "s")
    span = weeks * 7 * 86400
    store = open_store(path)
    for lo in range(0, n, CHUNK):
        m = min(CHUNK, n - lo)
        ids = [f"B{i:08d}" for i in range(lo, lo + m)]
        ts = (first + rng.integers(0, span, size=m).astype("timedelta64[s]")).astype(str)
        created = np.char.replace(ts, "T", " ").tolist()
        prod = rng.choice(len(products), size=m, p=pweights)
        chan = rng.integers(0, len(CHANNELS), size=m)
        has_neg = rng.random(m) < 0.35
        neg_topic = rng.integers(0, len(TOPICS), size=m)
        has_pos = rng.random(m) < 0.10
        pos_topic = rng.integers(0, len(TOPICS), size=m)
        rating = np.where(has_neg, rng.integers(1, 4, size=m), rng.integers(4, 6, size=m))
        nps = np.where(has_neg, rng.integers(0, 7, size=m), rng.integers(6, 11, size=m))
        with_nps = rng.random(m) < 0.3
        with_rating = chan != 4
        safety = rng.random(m) < 0.0001
        body, tokens = texts(rng, m)
        recs = [
            (ids[i], "ticket" if chan[i] == 4 else "review", CHANNELS[chan[i]], products[prod[i]], products[prod[i]],
             created[i], int(rating[i]) if with_rating[i] else None, int(nps[i]) if with_nps[i] else None, None,
             body[i], None, None, None, 0, None, "bench.csv", lo + i + 2)
            for i in range(m)
        ]  # fmt: skip
        sentiment = np.where(
            has_neg, "negative", np.where(rng.random(m) < 0.75, "positive", "neutral")
        )
        ana = [
            (ids[i], str(sentiment[i]), 0.1 if has_neg[i] else 0.8, "[]", int(safety[i]), None, None,
             tokens[i] if has_neg[i] else None,  # voc analyze keeps tokens for complaints only
             "bench", "bench", "2026-11-24T00:00:00", "smoke" if safety[i] else None)
            for i in range(m)
        ]  # fmt: skip
        tops = [(ids[i], TOPICS[neg_topic[i]], "neg", None) for i in np.flatnonzero(has_neg)]
        tops += [
            (ids[i], TOPICS[pos_topic[i]], "pos", None) for i in np.flatnonzero(has_pos & ~has_neg)
        ]
        _write(store, recs, ana, tops)
    planted_ts = LAST_MONDAY.isoformat() + " 10:00:00"
    planted_tokens = _cut(PLANTED)
    _write(  # the planted issue (PLANTED_N more records)
        store,
        [(f"P{i:05d}", "review", "京东", PLANTED_PRODUCT, PLANTED_PRODUCT, planted_ts, 1, None, None, PLANTED, None,
          None, None, 0, None, "bench.csv", n + i + 2) for i in range(PLANTED_N)],
        [(f"P{i:05d}", "negative", 0.05, "[]", 0, None, None, f"{planted_tokens} {NOISE[i % 500]}", "bench", "bench",
          "2026-11-24T00:00:00", None) for i in range(PLANTED_N)],
        [],
    )  # fmt: skip
    store.close()


def _write(store, records: list[tuple], analysis: list[tuple], topics: list[tuple]) -> None:
    """Records and their analysis through the store contract, as ingest and analyze write them."""
    with store.ingest_batch("bench.csv", "reviews", {}) as batch:
        batch.insert([(*r, batch.id) for r in records])
        batch.finish(len(records), len(records), 0, 0, 0)
    with store.analysis_writer():
        store.write_analysis(analysis, topics)


def child(db: Path, scenario: str, emerging: bool, out: Path) -> dict:
    """One scenario in this (fresh) process: stage timings and peak RSS."""
    import voc.report.build as build
    from voc.period import iso_week, resolve_period
    from voc.report import ReportOptions, build_report
    from voc.report.console import make_console, render
    from voc.report.excel import write_workbook
    from voc.report.markdown import render_markdown

    period = (
        iso_week("2026-W47")
        if scenario.startswith("week")
        else resolve_period(since="2026-08-01", until="2026-11-22")
    )
    times: dict[str, float] = {}
    detect = build._emerging

    def timed_emerging(*args, **kwargs):  # how much of "build" is emerging-issue detection
        t = time.perf_counter()
        try:
            return detect(*args, **kwargs)
        finally:
            times["emerging"] = time.perf_counter() - t

    build._emerging = timed_emerging
    t0 = time.perf_counter()
    with open_store(db) as store:
        report = build_report(
            store,
            period,
            lexicons=Lexicons(HERE.parent / "lexicons"),
            options=ReportOptions(emerging=emerging),
        )
        times["build"] = time.perf_counter() - t0
        t = time.perf_counter()
        info = write_workbook(report, store.records(period.start_ts, period.end_ts, 100_000),
                              out / f"bench-{scenario}.xlsx")
        times["xlsx"] = time.perf_counter() - t
        t = time.perf_counter()
        (out / f"bench-{scenario}.md").write_text(render_markdown(report), encoding="utf-8")
        render(report, make_console(io.StringIO()))
        json.dumps(report.to_json(), ensure_ascii=False)
        times["text"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0
    planted = [  # the emerging issue of the planted records: their product, their words
        f for f in report.emerging if f.product == PLANTED_PRODUCT and "指纹" in f.label
    ]
    return {
        "scenario": scenario,
        "emerging": emerging,
        "records_in_period": report.volume.total,
        "findings": len(report.findings),
        "alarms": len(report.emerging),
        "planted_alarm": f"{planted[0].cluster_id} {planted[0].status} {planted[0].label} count={planted[0].count}"
        if planted
        else None,
        "emerging_error": report.emerging_error or None,
        "data_rows": info.data_rows,
        "seconds": {k: round(v, 2) for k, v in times.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    from _common import run_child

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--weeks", type=int, default=13)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument(
        "--no-emerging", dest="emerging", action="store_false",
        help="leave out emerging-issue detection (the report's own cost)",
    )  # fmt: skip
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--child-db", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    pristine = args.db or out / f"report-{args.records}-{DATA_VERSION}.db"
    db = pristine.with_name(pristine.stem + "-run.db")
    if args.child:
        print(json.dumps(child(Path(args.child_db), args.child, args.emerging, out), ensure_ascii=False))
        return
    if not pristine.exists():
        t = time.perf_counter()
        generate(pristine, args.records, args.weeks)
        print(
            json.dumps(
                {
                    "generated": args.records,
                    "weeks": args.weeks,
                    "seconds": round(time.perf_counter() - t, 1),
                }
            )
        )
    # a cold start: a copy of the generated store, no findings (so "week" back-fills), no clusters
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, db)
    base = [sys.executable, __file__, "--db", str(pristine), "--child-db", str(db)] + (
        [] if args.emerging else ["--no-emerging"])
    results = []
    for scenario in ("week", "week-rerun", "all"):
        proc = subprocess.run([*base, "--child", scenario], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit(f"scenario {scenario} failed")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    voc = Path(sys.executable).parent / "voc"
    cmd = [str(voc), "report", "--db", str(db), "--week", "2026-W47", "--xlsx", str(out / "bench-cli-{week}.xlsx"),
           "--markdown", str(out / "bench-cli-{week}.md"), "-q", *([] if args.emerging else ["--no-emerging"])]  # fmt: skip
    seconds, peak, _ = run_child(cmd)
    print(json.dumps({"scenario": "cli", "emerging": args.emerging, "seconds": round(seconds, 2),
                      "peak_rss_mb": round(peak)}))  # fmt: skip
    worst = max([r["seconds"]["total"] for r in results] + [seconds])
    worst_mb = max([r["peak_rss_mb"] for r in results] + [peak])
    # the weekly report must raise the planted alarm (over the whole range it is no burst)
    found = all(r["planted_alarm"] for r in results if r["scenario"].startswith("week")) if args.emerging else None
    print(
        json.dumps(
            {
                "benchmark": "report",
                "records": args.records,
                "emerging": args.emerging,
                "worst_seconds": worst,
                "worst_peak_rss_mb": round(worst_mb),
                "planted_alarm_found": found,
                "within_target": worst < 60 and worst_mb < 2048 and found is not False,
            }
        )
    )


if __name__ == "__main__":
    main()
