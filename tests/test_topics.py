"""Defect topics: tagging, aspect polarity, the editable lexicon, evaluation, training."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pytest

from voc.analysis.topics import TopicTagger, evaluate_topics, parse_topic_labels, read_topics
from voc.errors import LexiconError, ModelError
from voc.lexicon import Lexicons
from voc.settings import packaged_lexicon_dir

TOPICS_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "topics_dev" / "labels.csv"


@pytest.fixture(scope="module")
def tagger() -> TopicTagger:
    return TopicTagger.from_lexicons()


def polarities(tagger: TopicTagger, text: str, doc: str | None = None) -> dict[str, str]:
    return {h.id: h.polarity for h in tagger.tag(text, doc)}


@pytest.mark.parametrize("text,topic", [
    ("玩了半小时游戏，机身烫手，散热太差", "thermal"),
    ("续航太短了，半天就没电", "battery"),
    ("屏幕左下角有漏光", "display"),
    ("键盘手感软绵绵的，触控板也不灵", "input"),
    ("风扇狂转，噪音很大", "noise"),
    ("开个网页都卡顿，还死机", "performance"),
    ("预装软件太多，系统老是蓝屏", "software"),
    ("wifi老是断线，蓝牙也连不上", "connectivity"),
    ("喇叭音质很差，摄像头拍出来很糊", "audio_camera"),
    ("外壳有缝隙，边角还掉漆", "build"),
    ("硬盘只有256G，内存也不够用", "storage"),
    ("接口太少，充电器也很笨重", "ports_accessories"),
    ("快递太慢了，包装也破了", "logistics"),
    ("客服态度很差，半天不回复", "customer_service"),
    ("售后维修拖了一个月", "after_sales"),
    ("刚买就降价了，也不保价", "price"),
    ("收到的是翻新机，不是正品", "authenticity"),
])
def test_each_topic_is_found_in_a_sentence_about_it(tagger, text, topic):
    assert topic in polarities(tagger, text)


@pytest.mark.parametrize("text,expected", [
    ("屏幕很好，但是发热严重", {"display": "pos", "thermal": "neg"}),
    ("外观漂亮，可惜续航太短", {"build": "pos", "battery": "neg"}),
    ("运行流畅，一点也不卡", {"performance": "pos"}),
    ("用了一下午，一点也不烫", {"thermal": "pos"}),
    ("没有发热，风扇也很安静", {"thermal": "pos", "noise": "pos"}),
    ("发热不大，续航长", {"thermal": "pos", "battery": "pos"}),
    ("发热量大，续航短", {"thermal": "neg", "battery": "neg"}),
    ("屏幕不是很清晰", {"display": "neg"}),
    ("价格不贵，性价比高", {"price": "pos"}),
    ("没有耳机，也没送贴膜", {"ports_accessories": "neg"}),
    ("从来没有死机过", {"performance": "pos"}),
    ("人脸识别不灵敏", {"input": "neg"}),  # 别 inside 识别 is no negation
    ("指纹识别失灵", {"input": "neg"}),
    ("人脸识别很灵敏", {"input": "pos"}),
    ("吓死了，风扇声音太大", {"noise": "neg"}),  # 吓死了 is no freeze (死了)
    ("螢幕很差，記憶體不夠用", {"display": "neg", "storage": "neg"}),  # Taiwanese words survive 繁→简
])
def test_aspect_polarity_follows_opinion_words_negation_and_contrast(tagger, text, expected):
    assert polarities(tagger, text) == expected


def test_topic_without_opinion_word_follows_the_document_sentiment(tagger):
    assert polarities(tagger, "这次买的笔记本的键盘", "negative") == {"input": "neg"}
    assert polarities(tagger, "这次买的笔记本的键盘", "positive") == {"input": "pos"}
    assert polarities(tagger, "不知道续航怎么样", "positive") == {"battery": "neu"}


def test_evidence_is_a_substring_at_its_offset(tagger):
    text = "物流很快，屏幕有坏点，客服说可以换货，不过发热有点严重。"
    hits = tagger.tag(text)
    assert {h.id for h in hits} >= {"logistics", "display", "customer_service", "after_sales", "thermal"}
    for hit in hits:
        assert hit.evidence and text[hit.start:hit.start + len(hit.evidence)] == hit.evidence


def test_empty_text_and_text_without_topics(tagger):
    assert tagger.tag("") == [] and tagger.tag(None) == []
    assert tagger.tag("很好，满意，下次还来") == []
    assert tagger.tag_many(["", "屏幕很好"], ["positive", None])[1][0].id == "display"


def test_fingerprint_reader_is_left_to_emerging_issues(tagger):
    # the demo data plants a fingerprint complaint that no taxonomy topic may name
    assert "指纹" not in (packaged_lexicon_dir() / "topics.tsv").read_text(encoding="utf-8")
    assert tagger.tag("指纹识别经常识别不了，录不进指纹") == []


def test_a_user_added_topic_is_picked_up(tmp_path):
    shutil.copy(packaged_lexicon_dir() / "topics.tsv", tmp_path / "topics.tsv")
    with (tmp_path / "topics.tsv").open("a", encoding="utf-8") as fh:
        fh.write("hinge\t转轴/铰链\tHinge\t结构与工艺\t\t\t合页|阻尼感\n")
        fh.write("hinge\t\t\t\tneg\t\tre:转轴(?:松|断|裂)|屏轴断裂\n")
    tagger = TopicTagger.from_lexicons(Lexicons(tmp_path))
    assert "hinge" in tagger.topics and tagger.topics["hinge"].owner == "结构与工艺"
    assert polarities(tagger, "用了一个月转轴松了")["hinge"] == "neg"
    assert polarities(tagger, "屏轴断裂")["hinge"] == "neg"
    assert polarities(tagger, "阻尼感很好")["hinge"] == "pos"
    assert tagger.version != TopicTagger.from_lexicons().version


@pytest.mark.parametrize("line,message", [
    ("thermal\t\t\t\tbad\t\t烫", "polarity 'bad'"),
    ("thermal\t\t\t\t\t*\t烫", "more '*'"),
    ("bad id\t\t\t\t\t\t烫", "topic id 'bad id'"),
    ("thermal\t\t\t\t\t\tre:(unclosed", "bad pattern"),
    ("thermal\t\t\t\t\t\t烫\textra\tfields", "fields"),
])
def test_a_malformed_topics_line_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "topics.tsv"
    path.write_text("# comment\nid\tname_zh\tname_en\towner\tpolarity\tmore\tterms\n" + line + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"topics\.tsv:3: .*{message}"):
        read_topics(path)


@pytest.mark.parametrize("line,message", [
    ("customer_service\t\t\t\tpos\t\t好评\tchat", "kind 'chat'"),
    ("customer_service\t\t\t\tpos\t\tre:好评\tticket", "phrases, not patterns"),
])
def test_a_malformed_kind_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "topics.tsv"
    path.write_text("# comment\nid\tname_zh\tname_en\towner\tpolarity\tmore\tterms\tkind\n" + line + "\n",
                    encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"topics\.tsv:3: .*{message}"):
        read_topics(path)


def test_a_row_limited_to_tickets_names_nothing_in_a_review(tmp_path):
    path = tmp_path / "topics.tsv"
    path.write_text("id\tname_zh\tname_en\towner\tpolarity\tmore\tterms\tkind\n"
                    "praise\t表扬\tPraise\t客服\tpos\t\t表扬你\tticket\n", encoding="utf-8")
    tagger = TopicTagger.from_lexicons(Lexicons(tmp_path))
    assert [h.id for h in tagger.tag("我要表扬你", kind="ticket")] == ["praise"]
    assert tagger.tag("我要表扬你", kind="review") == []


def test_a_phrase_limited_to_one_kind_may_not_hide_a_longer_one(tmp_path):
    """A mention holding a ticket-only phrase names nothing in a review: 退 for tickets would
    hide 退货 in every review. The lexicon says so, with the file and line."""
    path = tmp_path / "topics.tsv"
    path.write_text("id\tname_zh\tname_en\towner\tpolarity\tmore\tterms\tkind\n"
                    "after_sales\t售后\tAfter-sales\t售后\tneu\t\t退货|退款\t\n"
                    "after_sales\t\t\t\tneu\t\t退\tticket\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"topics\.tsv:3: '退' is limited to one kind but is inside '退款'"):
        read_topics(path)


def test_a_malformed_opinion_line_names_file_and_line(tmp_path):
    (tmp_path / "opinion.tsv").write_text("好\tpos\n坏\tterrible\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"opinion\.tsv:2: unknown class 'terrible'"):
        TopicTagger.from_lexicons(Lexicons(tmp_path))


def test_parse_topic_labels():
    assert parse_topic_labels("thermal:neg|display:pos|price") == {"thermal": "neg", "display": "pos", "price": None}
    assert parse_topic_labels("") == {} and parse_topic_labels(None) == {}
    with pytest.raises(Exception, match="row 3: unknown polarity 'good'"):
        parse_topic_labels("thermal:good", row=3)


class FixedTagger:
    """Returns fixed hits, to check the evaluation arithmetic by hand."""

    def __init__(self, outputs: dict[str, list[tuple[str, str]]]):
        self.outputs = outputs

    def tag(self, text, doc_sentiment=None):
        from voc.analysis.topics import TopicHit

        return [TopicHit(t, p, text, 0) for t, p in self.outputs[text]]


def test_evaluate_topics_keys_and_arithmetic():
    tagger = FixedTagger({"a": [("thermal", "neg"), ("display", "pos")], "b": [("thermal", "pos")], "c": []})
    result = evaluate_topics(tagger, ["a", "b", "c"], ["thermal:neg|battery:neg", "thermal:neg", ""])
    # thermal: tp 2 (a, b); display: fp 1 (a); battery: fn 1 (a)
    assert result["n"] == 3
    assert result["per_topic"]["thermal"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert result["per_topic"]["display"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert result["per_topic"]["battery"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert result["micro_f1"] == round(2 * (2 / 3) * (2 / 3) / (4 / 3), 4)  # P = R = 2/3
    assert result["macro_f1"] == round(1 / 3, 4)
    assert result["aspect_accuracy"] == 0.5 and result["aspect_n"] == 2  # a: neg == neg, b: pos != neg


def test_evaluate_without_polarities_has_no_aspect_accuracy():
    tagger = FixedTagger({"a": [("thermal", "neg")]})
    assert "aspect_accuracy" not in evaluate_topics(tagger, ["a"], ["thermal"])


def test_trained_model_learns_saves_without_pickle_and_loads(tmp_path, tagger):
    from voc.analysis.topics import TrainedTopicModel, train_topics

    texts = [f"这台的指纹模块{w}，很烦" for w in ("识别慢", "经常失败", "录不进去", "没反应", "时灵时不灵", "不好用")]
    texts += ["屏幕很清晰", "物流很快", "价格便宜", "外观好看", "客服热情", "续航很长"]
    gold = ["fingerprint:neg"] * 6 + ["display:pos", "logistics:pos", "price:pos", "build:pos",
                                      "customer_service:pos", "battery:pos"]
    model = train_topics(texts, gold, tagger=tagger)
    assert "fingerprint" in model.topics
    assert [h.id for h in model.tag("指纹模块又识别失败了", "negative")] == ["fingerprint"]
    path = model.save(tmp_path / "topics.npz")
    with np.load(path, allow_pickle=False) as data:  # plain arrays only
        assert "coef" in data.files
    loaded = TrainedTopicModel.load(path, tagger=tagger)
    assert loaded.version == model.version
    assert loaded.tag("指纹模块又识别失败了")[0].id == "fingerprint"


def test_loading_a_file_that_is_no_model_is_a_model_error(tmp_path):
    from voc.analysis.topics import TrainedTopicModel

    bad = tmp_path / "model.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        TrainedTopicModel.load(bad)


@pytest.mark.realdata
def test_topics_dev_scores_above_floors(tagger):
    if not TOPICS_DEV.is_file():
        pytest.skip(f"topics_dev not found at {TOPICS_DEV} (clone ../shared beside the repo)")
    rows = list(csv.DictReader(io.StringIO(TOPICS_DEV.read_text(encoding="utf-8"), newline="")))
    texts, gold = [r["text"] for r in rows], [r["topics"] for r in rows]
    result = evaluate_topics(tagger, texts, gold)
    assert result["micro_f1"] >= 0.85
    assert result["aspect_accuracy"] >= 0.82
    with_doc = evaluate_topics(tagger, texts, gold, [r["sentiment"] for r in rows])
    assert with_doc["aspect_accuracy"] >= 0.85


def test_the_tagger_version_changes_with_its_rules_as_with_its_lexicons(tmp_path):
    """Results of an older voc whose rules read a text otherwise are stale after an
    upgrade: the version hashes the rule sources, not only the lexicon files."""
    from voc.analysis import topics

    here = Path(topics.__file__).resolve().parent
    for name in topics.RULE_SOURCES:
        shutil.copy(here / name, tmp_path / name)
    assert topics.rules_fingerprint(tmp_path) == topics.rules_fingerprint()
    with open(tmp_path / "senses.py", "a", encoding="utf-8") as f:
        f.write("\n_NEW_RULE = 1\n")
    assert topics.rules_fingerprint(tmp_path) != topics.rules_fingerprint()
    assert TopicTagger.from_lexicons().version.startswith("topics-")


def test_every_packaged_topic_has_its_names_and_owner_whatever_row_comes_first():
    """A topic's names come from its first row that has them: build's first row is an exclude
    row above its heading row, and reports had shown 'build' instead of 做工."""
    from voc.analysis.topics import taxonomy
    from voc.lexicon import Lexicons
    from voc.report.i18n import load_topic_names

    topics = taxonomy(Lexicons.packaged())
    assert all(d.name_zh != t and d.name_en != t and d.owner for t, d in topics.items()), \
        [t for t, d in topics.items() if d.name_zh == t or d.name_en == t or not d.owner]
    assert load_topic_names()["build"] == ("做工", "Build & design")
