"""Benchmark `voc report` on a store of 1,000,000 analysed records (target: < 60 s, < 2 GB).

The store is generated directly (records + analysis + record_topics, as `voc analyze`
leaves them; deterministic, seed 7) and cached between runs. Each scenario runs in a
fresh child process that prints its stage timings and its own peak RSS:

* ``week``: the weekly report of the last week (about 1/13 of the records), with
  back-fill of 4 earlier weeks, workbook (data sheet = that week's records), Markdown,
  console and JSON, first run and re-run;
* ``all``: one report over the whole date range (all 1,000,000 records aggregated; the
  data sheet capped at the default 100,000 rows);
* ``cli``: the real command line, ``voc report --week ... --xlsx ... --markdown ...``.

Emerging-issue detection is benchmarked by ``bench_emerging.py``; here it is off by
default (``--emerging`` turns it on) so the figures are the report's own.

    python benchmarks/bench_report.py [--records 1000000] [--weeks 13] [--db PATH] [--emerging]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from voc.store import Store  # noqa: E402

TOPICS = ["thermal", "battery", "display", "input", "noise", "performance", "software", "connectivity",
          "audio_camera", "build", "storage", "ports_accessories", "logistics", "customer_service",
          "after_sales", "price", "authenticity"]  # fmt: skip
CHANNELS = ["京东", "天猫", "拼多多", "官网", "客服热线"]
PHRASES = ["屏幕很清晰", "运行流畅一点都不卡", "续航不错", "做工精致", "物流很快", "性价比高", "发热严重", "风扇噪音很大",
           "电池掉电快", "屏幕有漏光", "经常死机", "蓝牙老是断", "外壳有划痕", "快递太慢了", "客服不理人", "充电器发烫"]  # fmt: skip
LAST_MONDAY = date(2026, 11, 16)
CHUNK = 100_000


def texts(rng: np.random.Generator, n: int) -> list[str]:
    """n ~40-60 character reviews from a few phrases (only the data sheet reads them)."""
    idx = rng.integers(0, len(PHRASES), size=(n, 4))
    return ["，".join(PHRASES[j] for j in row) + "。整体来说还可以，希望能耐用。" for row in idx]


def generate(path: Path, n: int, weeks: int, seed: int = 7) -> None:
    """Write n analysed records spread over ``weeks`` weeks ending 2026-W47."""
    rng = np.random.default_rng(seed)
    products = [f"型号{i:02d}" for i in range(40)]
    pweights = 1.0 / np.arange(1, 41)
    pweights /= pweights.sum()
    first = np.datetime64(LAST_MONDAY - timedelta(weeks=weeks - 1), "s")
    span = weeks * 7 * 86400
    store = Store(path)
    store.conn.execute("PRAGMA synchronous=OFF")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO batches (id, started_at, source_file, kind) VALUES (1, '2026-11-24', 'bench', 'reviews')"
        )
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
        body = texts(rng, m)
        recs = [
            (ids[i], "ticket" if chan[i] == 4 else "review", CHANNELS[chan[i]], products[prod[i]], products[prod[i]],
             created[i], int(rating[i]) if with_rating[i] else None, int(nps[i]) if with_nps[i] else None, None,
             body[i], None, None, None, 0, None, "bench.csv", lo + i + 2, 1)
            for i in range(m)
        ]  # fmt: skip
        sentiment = np.where(
            has_neg, "negative", np.where(rng.random(m) < 0.75, "positive", "neutral")
        )
        ana = [
            (ids[i], str(sentiment[i]), 0.1 if has_neg[i] else 0.8, "[]", int(safety[i]), None, None, body[i][:20],
             "bench", "bench", "2026-11-24T00:00:00")
            for i in range(m)
        ]  # fmt: skip
        tops = [(ids[i], TOPICS[neg_topic[i]], "neg", None) for i in np.flatnonzero(has_neg)]
        tops += [
            (ids[i], TOPICS[pos_topic[i]], "pos", None) for i in np.flatnonzero(has_pos & ~has_neg)
        ]
        with store.transaction() as conn:
            conn.executemany(f"INSERT INTO records (id, kind, channel, product, product_raw, created_at, rating, "
                             f"nps_score, csat, text, external_id, order_ref, parent_id, is_followup, extra, "
                             f"source_file, source_row, batch_id) VALUES ({','.join('?' * 18)})", recs)  # fmt: skip
            conn.executemany(f"INSERT INTO analysis (record_id, sentiment, score, topics, safety, safety_evidence, "
                             f"products_mentioned, tokens, model_version, lexicon_version, analyzed_at) "
                             f"VALUES ({','.join('?' * 11)})", ana)  # fmt: skip
            conn.executemany(
                "INSERT INTO record_topics (record_id, topic, polarity, evidence) VALUES (?, ?, ?, ?)",
                tops,
            )
    store.conn.execute("ANALYZE")
    store.close()


def child(db: Path, scenario: str, emerging: bool, out: Path) -> dict:
    """One scenario in this (fresh) process: stage timings and peak RSS."""
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
    t0 = time.perf_counter()
    with Store(db) as store:
        report = build_report(
            store,
            period,
            lexicon_dir=HERE.parent / "lexicons",
            options=ReportOptions(emerging=emerging),
        )
        times["build"] = time.perf_counter() - t0
        t = time.perf_counter()
        info = write_workbook(report, store, out / f"bench-{scenario}.xlsx")
        times["xlsx"] = time.perf_counter() - t
        t = time.perf_counter()
        (out / f"bench-{scenario}.md").write_text(render_markdown(report), encoding="utf-8")
        render(report, make_console(io.StringIO()))
        json.dumps(report.to_json(), ensure_ascii=False)
        times["text"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0
    return {
        "scenario": scenario,
        "records_in_period": report.volume.total,
        "findings": len(report.findings),
        "data_rows": info.data_rows,
        "seconds": {k: round(v, 2) for k, v in times.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--weeks", type=int, default=13)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--emerging", action="store_true")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    db = args.db or out / f"report-{args.records}.db"
    if args.child:
        print(json.dumps(child(db, args.child, args.emerging, out), ensure_ascii=False))
        return
    if not db.exists():
        t = time.perf_counter()
        generate(db, args.records, args.weeks)
        print(
            json.dumps(
                {
                    "generated": args.records,
                    "weeks": args.weeks,
                    "seconds": round(time.perf_counter() - t, 1),
                }
            )
        )
    with Store(db) as store:  # start from no stored findings, so "week" includes the back-fill
        store.conn.executescript(
            "DELETE FROM finding_periods; DELETE FROM findings; DELETE FROM report_periods;"
        )
    base = [sys.executable, __file__, "--db", str(db)] + (["--emerging"] if args.emerging else [])
    results = []
    for scenario in ("week", "week-rerun", "all"):
        proc = subprocess.run(
            [*base, "--child", scenario], capture_output=True, text=True, check=True
        )
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    voc = Path(sys.executable).parent / "voc"
    cmd = [str(voc), "report", "--db", str(db), "--week", "2026-W47", "--xlsx", str(out / "bench-cli-{week}.xlsx"),
           "--markdown", str(out / "bench-cli-{week}.md"), *([] if args.emerging else ["--no-emerging"])]  # fmt: skip
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"scenario": "cli", "exit_code": proc.returncode, "seconds": round(seconds, 2),
                      "peak_rss_mb_max_of_children": round(peak)}))  # fmt: skip
    worst = max(r["seconds"]["total"] for r in results)
    ok = worst < 60 and max(r["peak_rss_mb"] for r in results) < 2048
    print(
        json.dumps(
            {
                "benchmark": "report",
                "records": args.records,
                "worst_seconds": worst,
                "within_target": ok,
            }
        )
    )


if __name__ == "__main__":
    main()
