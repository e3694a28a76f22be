"""The demo data set in sample_reviews/: regenerated identically, and planted as README.md says.

The files are parsed here with the standard library and openpyxl only (not with voc's own
readers), so these tests check the data, not the ingest code. The expected numbers are the
ones documented in sample_reviews/README.md; change both together.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_reviews"
WEEKS = [f"2026-W{n}" for n in range(36, 48)]
JD_HEADERS = ["评论ID", "订单号", "商品名称", "评分", "评论内容", "评论时间", "追评内容", "追评时间", "商家回复", "会员等级"]
TEXT_FILES = ["jd_reviews_gbk.csv", "jd_reviews_export2.csv", "app_feedback.jsonl", "tickets.jsonl", "call_transcripts.txt"]
CST = timezone(timedelta(hours=8))

# ---- what README.md documents -------------------------------------------------------------
EXPECTED = {
    "burst": {  # moto edge 50, charging failure / battery swelling (JD: unique over both exports)
        "jd": [2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 17, 19],
        "tmall": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 10],
        "app": [1, 2, 1, 2, 1, 1, 2, 1, 2, 2, 12, 13],
        "tickets": [1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 5, 6],
        "calls": [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 5],
    },
    "swelling": {  # the part of the burst that says 鼓包 (a safety word in DESIGN.md)
        "jd": [0] * 10 + [6, 10],
        "tmall": [0] * 10 + [2, 1],
        "app": [0] * 10 + [7, 2],
        "tickets": [0] * 10 + [2, 2],
        "calls": [0] * 10 + [1, 2],
    },
    "fingerprint": {  # ThinkPad X1 Carbon
        "jd": [0] * 8 + [1, 2, 4, 6],
        "tmall": [0] * 8 + [1, 1, 2, 3],
        "app": [0] * 8 + [1, 2, 3, 4],
        "tickets": [0] * 9 + [1, 1, 2],
        "calls": [0] * 10 + [1, 1],
    },
    "fan": {  # 拯救者Y9000P, 12% of its reviews every week
        "jd": [5, 8, 7, 7, 7, 7, 8, 6, 8, 10, 12, 8],
        "tmall": [3, 4, 3, 5, 4, 3, 3, 4, 3, 5, 6, 5],
        "app": [1, 3, 2, 3, 2, 2, 2, 2, 2, 3, 6, 3],
    },
    "light_leak": {  # 小新Pro14, 6% of its reviews every week
        "jd": [3, 3, 2, 3, 3, 3, 3, 3, 2, 4, 5, 4],
        "tmall": [2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3],
        "app": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1],
    },
    "logistics": {  # logistics complaints, 4% (JD, Tmall) and 2% (App) of all reviews every week
        "jd": [7, 8, 8, 9, 9, 8, 8, 8, 9, 11, 14, 11],
        "tmall": [5, 5, 5, 5, 6, 5, 5, 5, 6, 7, 9, 7],
        "app": [2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3],
    },
    "decoy": {  # "没有鼓包" in positive reviews
        "jd": [0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0],
        "tmall": [0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0],
        "app": [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1],
    },
}
ALL_REVIEWS = [379, 440, 427, 454, 493, 418, 431, 440, 483, 615, 769, 609]  # unique, all review files
SAFETY = {("jd", "2026-W46", "冒烟"), ("app", "2026-W47", "烫伤"), ("calls", "2026-W47", "起火"),
          ("tmall", "2026-W41", "漏电")}


# ---- helpers ---------------------------------------------------------------------------
def load_generator():
    name = "voc_sample_reviews_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SAMPLES / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def gen():
    return load_generator()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory, gen):
    out = tmp_path_factory.mktemp("sample_reviews")
    summary = gen.build(out)
    return out, summary


def iso_week(dt: datetime) -> str:
    y, w, _ = dt.isocalendar()
    return f"{y}-W{w:02d}"


def model_of(gen, raw: str) -> str:
    for name, m in gen.MODELS.items():
        if raw == name or raw in m.titles or raw in m.short:
            return name
    raise AssertionError(f"unknown product variant {raw!r}")


def jd_rows(name: str, encoding: str) -> list[list[str]]:
    text = (SAMPLES / name).read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline="")))


def tmall_rows():
    from openpyxl import load_workbook

    wb = load_workbook(SAMPLES / "tmall_reviews.xlsx", read_only=True, data_only=True)
    try:
        return wb.sheetnames, list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


def app_lines() -> tuple[list[dict], int]:
    objs, bad = [], 0
    for line in (SAMPLES / "app_feedback.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            objs.append(json.loads(line))
        except json.JSONDecodeError:
            bad += 1
    return objs, bad


def parse_app_time(v) -> datetime | None:
    if isinstance(v, int):
        secs = v / 1000 if v > 10**12 else v
        return datetime.fromtimestamp(secs, tz=CST).replace(tzinfo=None)
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        return None
    return dt.astimezone(CST).replace(tzinfo=None) if dt.tzinfo else dt


def ticket_lines() -> tuple[list[dict], int]:
    objs, bad = [], 0
    for line in (SAMPLES / "tickets.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            objs.append(json.loads(line))
        except json.JSONDecodeError:
            bad += 1
    return objs, bad


CALL_HEADER = re.compile(r"^工单号: (T2026\d{5})  时间: (\d{4}-\d{2}-\d{2} \d{2}:\d{2})  产品: (.+?)  渠道: (电话|在线客服)$")
CUSTOMER_PREFIX = ("用户：", "客户:", "顾客：")
AGENT_PREFIX = ("客服：", "坐席:", "坐席：", "[客服] ")


def call_blocks() -> list[dict]:
    out = []
    for block in (SAMPLES / "call_transcripts.txt").read_text(encoding="utf-8").strip("\n").split("\n\n"):
        lines = block.split("\n")
        m = CALL_HEADER.match(lines[0])
        assert m, lines[0]
        turns = []
        for line in lines[1:]:
            prefix = next((p for p in CUSTOMER_PREFIX if line.startswith(p)), None)
            if prefix:
                turns.append(("customer", line[len(prefix):]))
            elif line.startswith(AGENT_PREFIX):
                turns.append(("agent", line))
            else:
                assert line.startswith("系统："), line
                turns.append(("system", line))
        out.append({"id": m.group(1), "created": datetime.strptime(m.group(2), "%Y-%m-%d %H:%M"),
                    "product": m.group(3), "channel": m.group(4), "turns": turns})
    return out


@pytest.fixture(scope="module")
def records(gen) -> list[dict]:
    """Every piece of customer text: file bucket, week, model, text (unique per review/ticket)."""
    out: list[dict] = []
    seen: set = set()
    for name, enc in (("jd_reviews_gbk.csv", "gbk"), ("jd_reviews_export2.csv", "utf-8-sig")):
        for row in jd_rows(name, enc)[1:]:
            if len(row) != len(JD_HEADERS) or not row[4] or row[0] in seen:
                continue
            try:
                created = datetime.strptime(row[5], "%Y/%m/%d %H:%M")
            except ValueError:
                continue
            seen.add(row[0])
            model = model_of(gen, row[2])
            out.append({"file": "jd", "week": iso_week(created), "model": model, "text": row[4]})
            if row[6]:
                fu = datetime.strptime(row[7], "%Y/%m/%d %H:%M")
                out.append({"file": "jd", "week": iso_week(fu), "model": model, "text": row[6]})
    _, rows = tmall_rows()
    for row in rows[1:]:
        if not row[3]:
            continue
        when = row[4]
        if isinstance(when, str):
            m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", when)
            if not m:
                continue
            when = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        out.append({"file": "tmall", "week": iso_week(when), "model": model_of(gen, row[1]), "text": row[3]})
    objs, _ = app_lines()
    for o in objs:
        when = parse_app_time(o["created_at"])
        if when is None or not o["content"]:
            continue
        out.append({"file": "app", "week": iso_week(when), "model": model_of(gen, o["product"]), "text": o["content"]})
    tickets, _ = ticket_lines()
    for t in tickets:
        text = "\n".join(x["text"] for x in t["turns"] if x["speaker"] == "customer")
        out.append({"file": "tickets", "week": iso_week(datetime.fromisoformat(t["created_at"])),
                    "model": model_of(gen, t["product"]), "text": text})
    for b in call_blocks():
        text = "\n".join(x for s, x in b["turns"] if s == "customer")
        out.append({"file": "calls", "week": iso_week(b["created"]), "model": model_of(gen, b["product"]), "text": text})
    return out


def weekly(records, file, pred) -> list[int]:
    c = Counter(r["week"] for r in records if r["file"] == file and pred(r))
    return [c.get(w, 0) for w in WEEKS]


# ---- determinism -----------------------------------------------------------------------
def test_regenerating_gives_identical_files(regenerated):
    out, _ = regenerated
    for name in TEXT_FILES:
        assert (out / name).read_bytes() == (SAMPLES / name).read_bytes(), f"{name} differs from a fresh run"


def test_regenerating_gives_identical_workbook_cells(regenerated):
    from openpyxl import load_workbook

    out, _ = regenerated
    a = load_workbook(out / "tmall_reviews.xlsx", read_only=True)
    b = load_workbook(SAMPLES / "tmall_reviews.xlsx", read_only=True)
    try:
        assert a.sheetnames == b.sheetnames
        for wa, wb in zip(a.worksheets, b.worksheets, strict=True):
            assert list(wa.iter_rows(values_only=True)) == list(wb.iter_rows(values_only=True))
    finally:
        a.close()
        b.close()


def test_summary_matches_documented_numbers(regenerated):
    _, s = regenerated
    assert s["unique_reviews"] == sum(ALL_REVIEWS) and s["unique_reviews"] >= 5000
    assert [s["reviews_per_week"]["all_reviews"][w] for w in WEEKS] == ALL_REVIEWS
    assert s["tickets_total"] >= 500
    for plant, by_file in EXPECTED.items():
        for f, counts in by_file.items():
            assert [s["plants"][plant][f][w] for w in WEEKS] == counts, (plant, f)
    for v in s["expected_ingest"].values():
        assert v["read"] == v["stored"] + v["duplicates"] + v["rejected"] + v["filtered"]


# ---- formats ---------------------------------------------------------------------------
def test_jd_csv_is_gbk_with_chinese_headers_and_planted_breakage():
    raw = (SAMPLES / "jd_reviews_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk") == raw.decode("gb18030")  # GBK proper: nothing beyond it
    rows = jd_rows("jd_reviews_gbk.csv", "gbk")
    assert rows[0] == JD_HEADERS
    body = rows[1:]
    assert len(body) == 2887
    assert sum(len(r) != len(JD_HEADERS) for r in body) == 2  # too many fields
    good = [r for r in body if len(r) == len(JD_HEADERS)]
    dates = Counter(bool(re.fullmatch(r"2026/\d{1,2}/\d{1,2} \d{1,2}:\d{2}", r[5])) for r in good)
    assert dates[False] == 3 and {r[5] for r in good if not re.match(r"2026/", r[5])} == {"昨天下午", "3天前"}
    assert Counter(r[3] for r in good if r[3] not in {"1", "2", "3", "4", "5"}) == {"7": 1, "abc": 1}
    texts = Counter(r[4] for r in good)
    assert texts[""] == 4 and texts["此用户未填写评价内容"] == 22 and texts["系统默认好评"] == 12
    assert sum(n - 1 for n in Counter(tuple(r) for r in good).values()) == 30  # exact duplicate rows
    assert len({r[0] for r in good if r[6]}) == 201 and all(r[7] for r in good if r[6])  # follow-ups with times
    assert {r[9] for r in good} <= {"PLUS会员", "金牌会员", "银牌会员", "铜牌会员", "注册会员", "钻石会员"}


def test_second_jd_export_overlaps_the_first():
    raw = (SAMPLES / "jd_reviews_export2.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows2 = jd_rows("jd_reviews_export2.csv", "utf-8-sig")
    assert rows2[0] == JD_HEADERS and len(rows2) - 1 == 150
    first = {tuple(r) for r in jd_rows("jd_reviews_gbk.csv", "gbk")[1:]}
    first_ids = {r[0] for r in first}
    overlap = [r for r in rows2[1:] if r[0] in first_ids]
    assert len(overlap) == 50
    assert all(tuple(r) in first for r in overlap)  # the very same rows


def test_tmall_workbook_shapes():
    sheets, rows = tmall_rows()
    assert sheets[0] == "评价" and len(sheets) == 2
    assert list(rows[0]) == ["宝贝名称", "型号", "星级", "评价内容", "评价日期", "买家昵称", "渠道", "推荐意愿"]
    body = rows[1:]
    assert len(body) == 1785
    kinds = Counter(type(r[4]).__name__ for r in body)
    assert kinds["datetime"] > 1400 and kinds["str"] > 80
    text_dates = [r[4] for r in body if isinstance(r[4], str)]
    assert sorted(d for d in text_dates if not re.fullmatch(r"2026年\d{1,2}月\d{1,2}日", d)) == ["上周", "昨天下午"]
    stars = Counter("星" if str(r[2]).endswith("星") else "★" if "★" in str(r[2]) else str(r[2]) for r in body)
    assert stars["星"] > 700 and stars["★"] > 700 and stars["好评"] == 1
    assert sum(r[2] == "0星" for r in body) == 1
    nps = [r[7] for r in body if r[7] is not None]
    assert 0.15 < len(nps) / len(body) < 0.25 and 11 in nps and all(0 <= x <= 11 for x in nps)
    texts = Counter(r[3] for r in body)
    assert texts[None] == 3 and texts["评价方未及时做出评价,系统默认好评!"] == 15 and texts["此用户未填写评价内容"] == 5


def test_app_feedback_jsonl():
    objs, bad = app_lines()
    assert bad == 2 and len(objs) == 1294
    assert all(o["channel"] == "官方App" for o in objs)
    kinds = Counter("ms" if isinstance(o["created_at"], int) and o["created_at"] > 10**12 else
                    "s" if isinstance(o["created_at"], int) else "str" for o in objs)
    assert kinds["ms"] > 50 and kinds["s"] > 100 and kinds["str"] > 1000
    assert sum(parse_app_time(o["created_at"]) is None for o in objs) == 1  # 昨天下午
    with_nps = [o for o in objs if "nps" in o]
    assert 0.35 < len(with_nps) / len(objs) < 0.45
    assert [o["nps"] for o in with_nps if not 0 <= o["nps"] <= 10] == [15]
    ratings = Counter(o.get("rating") for o in objs)
    assert ratings[7] == 1 and sum(v for k, v in ratings.items() if k in (1, 2, 3, 4, 5)) > 0.85 * len(objs)
    assert sum(o["content"] == "" for o in objs) == 2


def test_ticket_jsonl_and_transcripts():
    tickets, bad = ticket_lines()
    assert bad == 1 and len(tickets) == 388
    assert len({t["ticket_id"] for t in tickets}) == len(tickets)
    assert {t["channel"] for t in tickets} == {"在线客服", "电话"}
    speakers = Counter(x["speaker"] for t in tickets for x in t["turns"])
    assert set(speakers) == {"customer", "agent", "system"}
    agent_text = " ".join(x["text"] for t in tickets for x in t["turns"] if x["speaker"] == "agent")
    for boiler in ("很高兴为您服务", "请问还有什么可以帮您", "感谢您的耐心等待"):
        assert boiler in agent_text
    cust = [x["text"] for t in tickets for x in t["turns"] if x["speaker"] == "customer"]
    assert sum("[图片]" in c for c in cust) > 20 and sum("[表情]" in c for c in cust) > 10
    assert sum(c.startswith("https://") for c in cust) > 5
    assert any(x["text"] == "会话已转接人工客服" for t in tickets for x in t["turns"] if x["speaker"] == "system")
    assert 0.45 < sum("csat" in t for t in tickets) / len(tickets) < 0.65
    calls = call_blocks()
    assert len(calls) == 260 and len({c["id"] for c in calls}) == 260
    assert len(tickets) + len(calls) >= 500
    text = (SAMPLES / "call_transcripts.txt").read_text(encoding="utf-8")
    for prefix in ("\n客服：", "\n用户：", "\n客户:", "\n坐席:", "\n[客服] ", "\n顾客：", "\n系统："):
        assert prefix in text, prefix


# ---- plants ----------------------------------------------------------------------------
def test_weekly_volume_has_a_seasonal_rise(records):
    reviews = [r for r in records if r["file"] in ("jd", "tmall", "app")]
    c = Counter(r["week"] for r in reviews)
    assert len(c) == 12
    assert c["2026-W46"] > 1.5 * c["2026-W42"]  # Double 11
    assert min(c[w] for w in WEEKS[1:9]) > 300


def test_burst_on_one_model_in_the_last_two_weeks(records, gen):
    pat, decoy = gen.PLANT_PATTERNS["burst"], gen.PLANT_PATTERNS["decoy"]

    def is_burst(r):
        return bool(pat.search(r["text"])) and not decoy.search(r["text"])

    hits = [r for r in records if is_burst(r)]
    assert {r["model"] for r in hits} == {"moto edge 50"}
    for f, counts in EXPECTED["burst"].items():
        assert weekly(records, f, is_burst) == counts, f
    total = [sum(EXPECTED["burst"][f][i] for f in ("jd", "tmall", "app")) for i in range(12)]
    baseline = sum(total[:10]) / 10
    assert total[10] >= 8 * baseline and total[11] >= 8 * baseline
    for f, counts in EXPECTED["swelling"].items():
        assert weekly(records, f, lambda r: is_burst(r) and "鼓包" in r["text"]) == counts, f


def test_fingerprint_theme(records, gen):
    hits = [r for r in records if "指纹" in r["text"]]
    assert {r["model"] for r in hits} == {"ThinkPad X1 Carbon"}
    for f, counts in EXPECTED["fingerprint"].items():
        assert weekly(records, f, lambda r: "指纹" in r["text"]) == counts, f
    for word in ("键盘", "触控板", "按键", "触屏", "系统", "驱动", "更新"):
        assert not any(word in r["text"] for r in hits), word


def test_steady_issues(records, gen):
    fan = lambda r: r["model"] == "拯救者Y9000P" and "风扇" in r["text"]  # noqa: E731
    leak = lambda r: "漏光" in r["text"]  # noqa: E731
    logi = lambda r: bool(gen.PLANT_PATTERNS["logistics_neg"].search(r["text"]))  # noqa: E731
    for name, pred in (("fan", fan), ("light_leak", leak), ("logistics", logi)):
        for f, counts in EXPECTED[name].items():
            assert weekly(records, f, pred) == counts, (name, f)
    assert {r["model"] for r in records if leak(r)} == {"小新Pro14"}


def test_safety_reports_and_negation_decoys(records, gen):
    found = set()
    for r in records:
        for word in ("冒烟", "起火", "漏电", "烫伤", "爆炸"):
            if word in r["text"]:
                found.add((r["file"], r["week"], word))
    assert found == SAFETY
    for f, counts in EXPECTED["decoy"].items():
        assert weekly(records, f, lambda r: bool(gen.PLANT_PATTERNS["decoy"].search(r["text"]))) == counts, f


def test_pii_and_look_alikes(records, gen):
    def count(pattern: str, files: tuple[str, ...]) -> int:
        rx = re.compile(pattern)
        return sum(1 for r in records if r["file"] in files and rx.search(r["text"]))

    phones = "|".join(rf"{p[:3]}[- ]?{p[3:7]}[- ]?{p[7:]}" for p in gen.PHONES)
    assert count(phones, ("jd",)) == 5 and count(phones, ("tmall",)) == 2 and count(phones, ("app",)) == 2
    assert count(phones, ("tickets",)) == 42 and count(phones, ("calls",)) == 30
    emails = "|".join(re.escape(e) for e in gen.EMAILS)
    assert [count(emails, (f,)) for f in ("jd", "tmall", "app", "tickets")] == [2, 1, 2, 8]
    ids = "|".join(gen.ID_NUMBERS)
    assert [count(ids, (f,)) for f in ("jd", "tmall", "app", "tickets", "calls")] == [1, 1, 0, 1, 1]
    cards = "|".join(gen.CARDS)
    assert [count(cards, (f,)) for f in ("jd", "app", "tickets")] == [1, 1, 2]
    addresses = "|".join(re.escape(a) for a in gen.ADDRESSES)
    assert [count(addresses, (f,)) for f in ("jd", "tmall", "app", "tickets", "calls")] == [1, 1, 1, 14, 10]
    assert count(r"QQ ?\d{5,}", ("jd", "app", "tickets")) == 3
    assert count("|".join(gen.WECHATS), ("jd", "tmall", "tickets")) == 5
    assert count(r"订单号：?\d{12}", ("jd", "tmall")) == 4
    for no in gen.ID_NUMBERS:  # valid GB 11643 check digits
        assert gen._id_check(no[:17]) == no[17]
    for card in gen.CARDS:  # Luhn-valid
        digits = [int(c) for c in card][::-1]
        assert sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)) % 10 == 0
    look = "|".join(re.escape(x) for x in gen.LOOKALIKES["laptop"] + gen.LOOKALIKES["phone"])
    assert [count(look, (f,)) for f in ("jd", "tmall", "app")] == [12, 8, 8]
