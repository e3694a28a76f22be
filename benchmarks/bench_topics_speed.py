"""Topic tagging speed, with an equivalence check against saved outputs.

Texts: 20,000 real reviews from online_shopping_10_cats (计算机, 平板, 手机 first, then
the other categories), 10,000 synthetic ~60-character reviews from _common.py, and the
300 labelled topics_dev reviews when present. Each text is tagged raw and normalised, with
doc_sentiment None, 'positive' and 'negative'; the safety flag and the products are kept
too. ``--save FILE`` writes these outputs (id, polarity, evidence, start of every hit;
term, evidence, category, start of the safety hit; products), ``--check FILE`` asserts the
current code gives exactly the same.

Speed, one process: reviews per second of TopicTagger.tag (and tag_normalized),
SafetyDetector.detect and ProductMatcher.find on normalised texts (as `voc analyze` passes
them), and of the three in a row on the same string (as Analyzer.analyze calls them); CPU
time (time.process_time), best of --repeat runs, so other load on the machine counts less.
Run it with PYTHONPATH pointing at an older checkout for that version's rates.

Usage:
    python benchmarks/bench_topics_speed.py --save /tmp/topics_before.json
    python benchmarks/bench_topics_speed.py --check /tmp/topics_before.json
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report, review_text  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REAL = DATA / "online_shopping_10_cats" / "online_shopping_10_cats.csv"
DEV = DATA / "topics_dev" / "labels.csv"
FIRST_CATS = ("计算机", "平板", "手机")
SENTIMENTS = (None, "positive", "negative")

# hand-made texts for the corners: case, ASCII words, spaces, dots, patterns, negation
EXTRA = [
    "", "   ", "屏幕很好，但是发热严重", "充电的时候电池鼓包了，后盖都被顶起来了", "用了一个月，没有鼓包，也不会漏电",
    "担心充电时会不会爆炸？", "Windows 10 很卡，WIN7流畅", "CPU温度很高,风扇声音大", "ＣＰＵ温度９０度，ＴＨＩＮＫＰＡＤ",
    "屏幕 分辨率 1920 x 1080，16:9 的屏幕。1.6GHz 的 i5", "没有耳机，没有说明书", "不卡顿，不是很流畅", "很好看的外观",
    "快递速度很快，电池性能一般", "缺点：发热大；优点：续航长", "会不会发热啊", "内存卡坏了", "16G内存够用",
    "İstanbul 的屏幕很好", "ǅ屏幕ẞ很好", "拯救者 y9000p 2023款 发热严重", "小新 pro 14，这次换了Y9000P", "x1 carbon gen12 键盘不错",
    "电池  掉电  快", "温度太高了!!!", "\t屏幕\n很亮\r\n", "dos系统，windows系统，DOS", "a.b.c屏幕。。。好",
]


def load_texts(n_real: int, n_synth: int) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    if REAL.is_file():
        with REAL.open(encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        first = [r["review"] for r in rows if r["cat"] in FIRST_CATS]
        rest = [r["review"] for r in rows if r["cat"] not in FIRST_CATS]
        sets["real"] = (first + rest)[:n_real]
    rng = random.Random(2024)
    sets["synthetic"] = [review_text(rng)[0] for _ in range(n_synth)]
    if DEV.is_file():
        with DEV.open(encoding="utf-8") as fh:
            sets["topics_dev"] = [r["text"] for r in csv.DictReader(fh)]
    sets["extra"] = EXTRA
    return sets


def outputs(sets: dict[str, list[str]], tagger, detector, products) -> dict:
    from voc.analysis.normalize import normalize

    tag = getattr(tagger, "tag_normalized", None)
    out: dict[str, list] = {}
    for name, texts in sets.items():
        rows = []
        for text in texts:
            norm = normalize(text) if text else text
            row: dict = {}
            for s in SENTIMENTS:
                raw_hits = [[h.id, h.polarity, h.evidence, h.start] for h in tagger.tag(text, s)]
                norm_hits = [[h.id, h.polarity, h.evidence, h.start] for h in tagger.tag(norm, s)]
                row[f"tag_{s}"] = raw_hits
                row[f"tagn_{s}"] = norm_hits
                if tag is not None and norm:
                    fast = [[h.id, h.polarity, h.evidence, h.start] for h in tag(norm, s)]
                    assert fast == norm_hits, (text, s, fast, norm_hits)
            hit = detector.detect(text)
            row["safety"] = None if hit is None else [hit.term, hit.evidence, hit.category, hit.start]
            hitn = detector.detect(norm)
            row["safety_n"] = None if hitn is None else [hitn.term, hitn.evidence, hitn.category, hitn.start]
            row["products"] = products.find(text)
            row["products_n"] = products.find(norm)
            rows.append(row)
        out[name] = rows
    return out


def per_second(fn, texts: list[str], repeat: int, with_sentiment: bool = False) -> int:
    best = 0.0
    sents = [SENTIMENTS[i % 3] for i in range(len(texts))]
    for _ in range(repeat):
        if with_sentiment:
            t0 = time.process_time()
            for t, s in zip(texts, sents, strict=True):
                fn(t, s)
        else:
            t0 = time.process_time()
            for t in texts:
                fn(t)
        best = max(best, len(texts) / max(time.process_time() - t0, 1e-9))
    return round(best)


def compare(before: dict, after: dict) -> list[str]:
    problems = []
    for name in before:
        if name not in after:
            problems.append(f"{name}: missing")
            continue
        b, a = before[name], after[name]
        if len(a) != len(b):
            problems.append(f"{name}: {len(b)} rows before, {len(a)} after")
        for i, (rb, ra) in enumerate(zip(b, a, strict=False)):
            for key in rb:
                if rb[key] != ra.get(key):
                    problems.append(f"{name}[{i}] {key}: before {rb[key]!r} after {ra.get(key)!r}")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--save", help="write the outputs to this JSON file")
    ap.add_argument("--check", help="compare the outputs with this JSON file (exit 1 on a difference)")
    ap.add_argument("--real", type=int, default=20_000)
    ap.add_argument("--synthetic", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()

    from voc.analysis.normalize import normalize
    from voc.analysis.products import ProductMatcher
    from voc.analysis.safety import SafetyDetector
    from voc.analysis.topics import TopicTagger

    t0 = time.perf_counter()
    tagger, detector, products = TopicTagger.from_lexicons(), SafetyDetector.from_lexicons(), ProductMatcher.from_lexicons()
    load_s = time.perf_counter() - t0
    sets = load_texts(args.real, args.synthetic)
    figures: dict = {"load_seconds": round(load_s, 2), "texts": {k: len(v) for k, v in sets.items()}}

    if args.save or args.check:
        got = outputs(sets, tagger, detector, products)
        if args.save:
            Path(args.save).write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
            figures["saved"] = args.save
        if args.check:
            before = json.loads(Path(args.check).read_text(encoding="utf-8"))
            problems = compare(before, got)
            for p in problems[:30]:
                print(p, file=sys.stderr)
            figures["identical"] = not problems
            figures["differences"] = len(problems)
            if problems:
                report("bench_topics_speed", figures)
                raise SystemExit(1)

    if not args.no_speed:
        speed = {}
        for name in ("real", "synthetic"):
            if name not in sets:
                continue
            texts = [normalize(t) for t in sets[name]]
            sents = [SENTIMENTS[i % 3] for i in range(len(texts))]

            def pipeline(i: int, texts=texts, sents=sents) -> None:  # as Analyzer.analyze calls them
                tagger.tag(texts[i], sents[i])
                detector.detect(texts[i])
                products.find(texts[i])

            speed[name] = {
                "avg_chars": round(sum(map(len, texts)) / len(texts), 1),
                "topics_per_s": per_second(tagger.tag, texts, args.repeat),
                "topics_doc_sentiment_per_s": per_second(tagger.tag, texts, args.repeat, with_sentiment=True),
                "safety_per_s": per_second(detector.detect, texts, args.repeat),
                "products_per_s": per_second(products.find, texts, args.repeat),
                "topics_safety_products_per_s": per_second(pipeline, list(range(len(texts))), args.repeat),
            }
            if hasattr(tagger, "tag_normalized"):
                speed[name]["topics_tag_normalized_doc_sentiment_per_s"] = per_second(
                    tagger.tag_normalized, texts, args.repeat, with_sentiment=True)
        figures["speed"] = speed
    report("bench_topics_speed", figures)


if __name__ == "__main__":
    main()
