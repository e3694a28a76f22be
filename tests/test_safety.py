"""The safety flag: hazards reported, negated and hypothetical mentions not flagged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from voc.analysis.safety import SafetyDetector
from voc.errors import LexiconError
from voc.lexicon import Lexicons

TOPICS_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "topics_dev" / "labels.csv"


@pytest.fixture(scope="module")
def detector() -> SafetyDetector:
    return SafetyDetector.from_lexicons()


@pytest.mark.parametrize("text,category", [
    ("充电的时候充电口冒烟了，还有一股焦味", "smoke"),
    ("手机充电时突然起火", "fire"),
    ("半夜充电器着火了，吓死了", "fire"),
    ("充电器直接烧了", "fire"),
    ("电池爆炸了", "explosion"),
    ("电池炸了", "explosion"),
    ("插头有火花", "spark"),
    ("电池鼓包了，后盖都被顶起来了", "swelling"),
    ("电池膨胀得很厉害", "swelling"),
    ("用了半年电池鼓起来了", "swelling"),
    ("笔记本漏电，摸上去手麻", "shock"),
    ("摸外壳的时候被电了一下", "shock"),
    ("笔记本插着电源摸键盘有点麻，是不是漏电了？", "shock"),  # the tingle is the report
    ("碰到机身发麻", "shock"),
    ("晚上充电手被烫伤了，起了个水泡", "burn"),
    ("电池烫得起泡", "burn"),
    ("充电口都烧化了", "melt"),
    ("没有冒烟，但是起火了", "fire"),  # the negation covers its own clause only
    ("烧坏了，还冒烟", "fire"),
    ("主板烧了", "fire"),
    ("Battery is swelling and smoking", "swelling"),
    ("the charger caught fire last night", "fire"),
])
def test_hazards_are_flagged(detector, text, category):
    hit = detector.detect(text)
    assert hit is not None and hit.category == category
    assert hit.term in text and hit.evidence in text
    assert text[hit.start:hit.start + len(hit.term)] == hit.term


@pytest.mark.parametrize("text", [
    "用了三个月，没有鼓包，也不会漏电",
    "从来没有出现过冒烟发热的情况",
    "电池没有鼓包，续航也还行，好评",
    "担心充电时会不会爆炸？",
    "这款手机会爆炸吗",
    "听说这款会自燃，买了发现还好",
    "充电时别盖被子，以免起火",
    "之前的手机电池鼓包了，这台用着没鼓包，放心",
    "性能炸裂，打游戏爽",
    "我是数码发烧友，这台很满意",
    "屏幕炸了，摔了一下",
    "待机一晚上掉电20%，估计是漏电",
    "火速发货，物流很快",
    "摸着不麻，放心",
    "设置起来摸索了半天，很麻烦",
    "拿着手机打麻将",
    "爆炸好评，性能爆炸",
    "手机漏电很快，一晚上掉一半电",
    "no swelling, no smoke, works fine",
    # a negation covers the hazards joined to it; a question answered by 不存在的 / 不会 denies it;
    # a screen that burnt out died, it did not burn (a new user's false P0s)
    "从来没有冒烟起火过，放心买",
    "没有冒烟和起火",
    "电池鼓包？不存在的，用了两年好好的",
    "电池会鼓包吗？不会，放心",
    "屏幕就烧坏了",
    "smoking hot deal",
    "",
])
def test_negated_hypothetical_and_look_alike_mentions_are_not_flagged(detector, text):
    assert detector.detect(text) is None


@pytest.mark.parametrize("text,want", [
    # every hazard reported, the first report of each, in the order reported
    ("电池鼓包了，充电的时候还冒烟", ["swelling", "smoke"]),
    ("冒烟了，后来又冒烟，电池也鼓包", ["smoke", "swelling"]),
    # a denied one or a negated one is none of them
    ("电池鼓包了？没有，是我看错了，后来充电冒烟了", ["smoke"]),
    ("没有冒烟起火，只是电池鼓包了", ["swelling"]),
    ("很好用", []),
])
def test_detect_all_gives_every_hazard_a_text_reports(detector, text, want):
    hits = detector.detect_all(text)
    assert [h.category for h in hits] == want
    first = detector.detect(text)
    assert (first.category if first else None) == (want[0] if want else None)


def test_detect_many_and_version(detector):
    assert [h is not None for h in detector.detect_many(["冒烟了", "很好", None])] == [True, False, False]
    assert detector.version.startswith("safety-")


def test_a_user_lexicon_adds_a_hazard_and_bad_lines_name_file_and_line(tmp_path):
    (tmp_path / "safety.tsv").write_text("# mine\n漏液\tburn\n没\tnegator\n", encoding="utf-8")
    detector = SafetyDetector.from_lexicons(Lexicons(tmp_path))
    assert detector.detect("电池漏液了").category == "burn"
    assert detector.detect("电池没漏液") is None
    (tmp_path / "safety.tsv").write_text("冒烟\tsmoke\n起火\tflames\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"safety\.tsv:2: unknown class 'flames'"):
        SafetyDetector.from_lexicons(Lexicons(tmp_path))


@pytest.mark.realdata
def test_topics_dev_safety_column(detector):
    if not TOPICS_DEV.is_file():
        pytest.skip(f"topics_dev not found at {TOPICS_DEV} (clone ../shared beside the repo)")
    rows = list(csv.DictReader(io.StringIO(TOPICS_DEV.read_text(encoding="utf-8"), newline="")))
    flagged = [detector.detect(r["text"]) is not None for r in rows]
    gold = [r["safety"] == "true" for r in rows]
    tp = sum(f and g for f, g in zip(flagged, gold, strict=True))
    assert tp == sum(gold)  # every labelled safety report is found
    assert sum(flagged) - tp <= 1  # at most one false alarm in 300 reviews


def test_a_screen_protector_that_bulges_is_no_swelling():
    from voc.analysis.safety import SafetyDetector

    detector = SafetyDetector.from_lexicons()
    assert detector.detect("屏幕贴膜拱起，有气泡") is None
    assert detector.detect("屏幕钢化膜拱起来了") is None
    assert detector.detect("屏幕拱起来了，怀疑电池鼓包").category == "swelling"
    assert detector.detect("后盖拱起来了").category == "swelling"
