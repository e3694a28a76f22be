"""Sentiment on unrated reviews of a store whose other reviews carry stars: the default
model against the model `voc analyze` adapts to the store's ratings.

For each category of ../shared/data/online_shopping_10_cats (labelled reviews, not in
this repository), a store is built the way a user's would be: ``--rated`` reviews with
star ratings (their label as 5 or 1 stars) and ``--unrated`` other reviews without any.
`voc analyze` runs on it twice, with ``adapt=False`` (the default model) and with
adaptation (the default); the unrated reviews' sentiment is scored against their labels.
The evidence the adaptation keeps (accuracy on its own held-back rated reviews) is shown
beside it. Texts that occur more than once are left out, so no unrated review is also a
rated one.

Usage: python benchmarks/bench_adapt.py [--rated 4000] [--unrated 2000] [--cats 平板,手机,计算机,水果,酒店]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "online_shopping_10_cats" / "online_shopping_10_cats.csv"


def category_rows(cat: str) -> list[tuple[str, int]]:
    with DATA.open(encoding="utf-8-sig", newline="") as fh:
        rows = [(r["review"].strip().lstrip("\ufeff"), int(r["label"])) for r in csv.DictReader(fh)
                if r["cat"] == cat and r["review"].strip().lstrip("\ufeff")]
    seen: dict[str, int] = {}
    for text, _ in rows:
        seen[text] = seen.get(text, 0) + 1
    return [(t, y) for t, y in rows if seen[t] == 1]


def run_category(cat: str, n_rated: int, n_unrated: int, seed: int = 41) -> dict:
    from voc import api
    from voc.store import open_store

    rows = category_rows(cat)
    random.Random(seed).shuffle(rows)
    n_rated = min(n_rated, int(len(rows) * 0.65))  # small categories: two thirds rated, the rest not
    rated, unrated = rows[:n_rated], rows[n_rated : n_rated + n_unrated]
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "store_export.csv"
        with export.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["评论ID", "评价内容", "评分", "评价时间"])
            for i, (text, y) in enumerate(rated):
                w.writerow([f"r{i}", text, 5 if y else 1, "2026-11-10 10:00"])
            for i, (text, _y) in enumerate(unrated):
                w.writerow([f"u{i}", text, "", "2026-11-10 10:00"])
        db = Path(folder) / "voc.db"
        out: dict = {"category": cat, "rated": len(rated), "unrated": len(unrated)}
        with open_store(db) as store:
            api.ingest(store, [export])
            for name, adapt in (("default", False), ("adapted", True)):
                t0 = time.perf_counter()
                result = api.analyze(store, adapt=adapt)
                seconds = time.perf_counter() - t0
                got = dict(store.conn.execute(
                    "SELECT r.external_id, a.sentiment FROM records r JOIN analysis a ON a.record_id = r.id "
                    "WHERE r.rating IS NULL").fetchall())
                gold = {f"u{i}": y for i, (_t, y) in enumerate(unrated)}
                polar = [(got[k], y) for k, y in gold.items() if k in got]
                out[name] = {
                    "accuracy_unrated": round(sum((s == "positive") == bool(y) for s, y in polar) / len(polar), 4),
                    "neutral_share": round(sum(s == "neutral" for s, _ in polar) / len(polar), 4),
                    "seconds": round(seconds, 1),
                }
                if adapt:
                    out["evidence"] = result.sentiment
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rated", type=int, default=4000)
    ap.add_argument("--unrated", type=int, default=2000)
    ap.add_argument("--cats", default="平板,手机,计算机,水果,酒店")
    args = ap.parse_args()
    if not DATA.is_file():
        sys.exit(f"not found: {DATA}")
    results = [run_category(c, args.rated, args.unrated) for c in args.cats.split(",")]
    for r in results:
        e = r.get("evidence") or {}
        print(f"{r['category']}: rated {r['rated']}, unrated {r['unrated']}: default {r['default']['accuracy_unrated']:.3f}"
              f" -> adapted {r['adapted']['accuracy_unrated']:.3f} (kept: {e.get('adopted')}; its own check "
              f"{e.get('base_accuracy')} -> {e.get('adapted_accuracy')} on {e.get('n_validation')})")
    report("adapt", {"categories": results})


if __name__ == "__main__":
    main()
