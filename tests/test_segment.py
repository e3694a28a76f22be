"""Tests for voc.analysis.segment and voc.lexicon."""

from __future__ import annotations

import csv
import math
import pickle
import random
from pathlib import Path

import pytest

from voc.analysis import segment
from voc.analysis.normalize import normalize
from voc.analysis.segment import Segmenter
from voc.errors import LexiconError
from voc.lexicon import (
    Lexicons,
    UserWord,
    lexicon_file,
    lexicon_version,
    read_terms,
    read_userdict,
    read_weighted,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter.from_lexicons()


@pytest.mark.parametrize(
    "text,term",
    [
        ("我买的小新Pro14屏幕很好", "小新Pro14"),
        ("y9000p不如Y9000P", "Y9000P"),
        ("拯救者R9000P发热", "拯救者R9000P"),
        ("R9000P发热", "R9000P"),
        ("触控板偶尔失灵", "触控板"),
        ("电池鼓包了", "鼓包"),
        ("屏幕有漏光和坏点", "漏光"),
        ("屏幕有漏光和坏点", "坏点"),
        ("开机就蓝屏", "蓝屏"),
        ("风扇有啸叫和电流声", "电流声"),
        ("京东自营发货快", "京东自营"),
        ("性价比很高，追评一下", "追评"),
        ("MateBook续航不错", "MateBook"),
        ("Type-C接口松动", "Type-C"),
    ],
)
def test_user_dictionary_term_is_one_token(seg, text, term):
    assert term in seg.cut(text)


def test_user_words_with_capitals_also_match_in_lower_case(seg):
    assert "小新pro14" in seg.cut("小新pro14很好用")


@pytest.mark.parametrize(
    "text,term",
    [
        ("ThinkPad X1 Carbon键盘好", "ThinkPad X1 Carbon"),
        ("thinkpad  x1很轻", "thinkpad  x1"),
        ("买了iPhone 15 Pro发烫", "iPhone 15 Pro"),
        ("macbook air续航长", "macbook air"),
    ],
)
def test_user_words_with_spaces_are_one_token(seg, text, term):
    assert term in seg.cut(text)


def test_spaced_word_needs_a_word_boundary(seg):
    assert "iPhone 15" not in seg.cut("iPhone 150")


@pytest.mark.parametrize("mask", ["<PHONE>", "<EMAIL>", "<IDCARD>", "<BANKCARD>", "<ORDER>", "<QQ>", "<WECHAT>",
                                  "<ADDRESS>", "<NAME>"])
def test_mask_tokens_are_single_tokens(seg, mask):
    tokens = seg.cut(f"请打{mask}联系我{mask}")
    assert tokens.count(mask) == 2
    assert "<" not in tokens and ">" not in tokens


@pytest.mark.parametrize("emoji", ["😀", "👍🏻", "👨\u200d👩\u200d👧", "❤️", "🇨🇳"])
def test_emoji_are_single_tokens(seg, emoji):
    assert emoji in seg.cut(f"很好{emoji}推荐")


def test_cut_keeps_every_character(seg):
    text = "小新Pro14的触控板很好用， <PHONE> 😀 iPhone 15不错"
    assert "".join(seg.cut(text)) == text
    assert seg.cut("") == []


def test_stopwords_are_available_but_not_removed(seg):
    assert {"的", "了", "，"} <= seg.stopwords
    assert not {"不", "没有", "但是", "很"} & seg.stopwords
    tokens = seg.cut("屏幕的颜色很好")
    assert "的" in tokens
    assert "的" not in seg.content_tokens(tokens)


def test_cut_many_matches_cut(seg):
    texts = ["续航很好", "", "发热严重，但是屏幕不错"]
    assert seg.cut_many(texts) == [seg.cut(t) for t in texts]


def test_custom_lexicon_dir_replaces_userdict_and_falls_back_per_file(tmp_path):
    (tmp_path / "userdict.txt").write_text("# ours\n超级本本 5 n\n", encoding="utf-8")
    seg = Segmenter.from_lexicons(Lexicons(tmp_path))
    assert "超级本本" in seg.cut("这台超级本本不错")
    assert "触控板" not in {w.word for w in seg.user_words}
    assert "的" in seg.stopwords  # stopwords.txt missing here: packaged one used


def test_extra_words_are_added():
    seg = Segmenter.from_lexicons(extra_words=[UserWord("卡卡顿顿", None, None)])
    assert "卡卡顿顿" in seg.cut("这电脑卡卡顿顿的")


def test_segmenters_do_not_share_dictionaries(tmp_path):
    (tmp_path / "userdict.txt").write_text("超级本本\n", encoding="utf-8")
    Segmenter.from_lexicons(Lexicons(tmp_path))
    assert "超级本本" not in Segmenter.from_lexicons().cut("这台超级本本不错")


def test_segmenter_survives_pickling(seg):
    clone = pickle.loads(pickle.dumps(seg))
    text = "小新Pro14 <PHONE> 漏光"
    assert clone.cut(text) == seg.cut(text)


def test_a_pickled_segmenter_adds_its_words_with_the_frequencies_they_got(tmp_path, monkeypatch):
    # words without a frequency get jieba's suggest_freq, which depends on the words
    # added before them: the clone adds them with the frequencies they got, not again
    (tmp_path / "userdict.txt").write_text("超级本本\n小新Pro14 50 nz\n本本超级\nThinkPad X1\n续航一般 3\n",
                                           encoding="utf-8")
    original = Segmenter.from_lexicons(Lexicons(tmp_path))
    clone = pickle.loads(pickle.dumps(original))
    assert clone.user_words == original.user_words and clone.spaced_words == original.spaced_words
    assert [w.freq for w in clone.user_words if w.word == "小新pro14"] == [50]
    texts = ["这台超级本本续航一般", "thinkpad  x1 和小新Pro14", "本本超级好"]
    assert clone.cut_many(texts) == original.cut_many(texts)

    class NoSuggesting:
        def __init__(self, cutter):
            self.cutter = cutter

        def __getattr__(self, name):
            if name == "suggest_freq":
                raise AssertionError("a frequency suggested again")
            return getattr(self.cutter, name)

    new_cutter = segment._new_cutter
    monkeypatch.setattr(segment, "_new_cutter", lambda: NoSuggesting(new_cutter()))
    assert pickle.loads(pickle.dumps(original)).cut_many(texts) == original.cut_many(texts)


def _jieba_logprob(tokenizer, tokens: list[str]) -> float:
    return sum(math.log(tokenizer.FREQ.get(t) or 1) for t in tokens)


def _real_texts(n: int) -> list[str]:
    path = SHARED / "online_shopping_10_cats" / "online_shopping_10_cats.csv"
    if not path.is_file():
        pytest.skip(f"real data not found at {SHARED}")
    with path.open(encoding="utf-8") as fh:
        rows = [r["review"] for r in csv.DictReader(fh) if r["review"]]
    random.Random(7).shuffle(rows)
    return [normalize(t) for t in rows[:n]]


def test_tokens_equal_jieba_with_the_same_user_dictionary(seg):
    """Same dictionary semantics as jieba (HMM off); ties between equally likely cuts excepted."""
    jieba = pytest.importorskip("jieba")
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in seg.user_words:
        tokenizer.add_word(word.word, word.freq, word.tag)
    texts = _real_texts(500)
    differ = 0
    for text in texts:
        ours = seg.cut(text)
        if seg._protected.search(text):  # masks, emoji sequences, spaced words: compared elsewhere
            continue
        theirs = tokenizer.lcut(text, HMM=False)
        if ours != theirs:
            differ += 1
            assert "".join(ours) == "".join(theirs)
            assert len(ours) == len(theirs)
            assert _jieba_logprob(tokenizer, ours) == pytest.approx(_jieba_logprob(tokenizer, theirs))
    assert differ <= 3


# ---- lexicon files -------------------------------------------------------------------


def test_read_weighted_strips_bom_and_comments(tmp_path):
    path = tmp_path / "positive.txt"
    path.write_bytes("\ufeff# comment\n好用\t1.5\tgeneric\n\n  # another\n满意\t2\n".encode())
    entries = read_weighted(path)
    assert [(e.term, e.weight, e.tag, e.line) for e in entries] == [
        ("好用", 1.5, "generic", 2),
        ("满意", 2.0, None, 5),
    ]


def test_bad_weight_names_file_and_line(tmp_path):
    path = tmp_path / "negative.txt"
    path.write_text("\n".join(["# c"] * 13 + ["差\tx"]) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"^negative\.txt:14: weight 'x' is not a number$"):
        read_weighted(path)


def test_missing_weight_is_an_error_unless_defaulted(tmp_path):
    path = tmp_path / "degree.txt"
    path.write_text("很\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"degree\.txt:1: missing weight"):
        read_weighted(path)
    assert read_weighted(path, default_weight=1.0)[0].weight == 1.0


def test_not_utf8_is_reported_with_the_line(tmp_path):
    path = tmp_path / "stopwords.txt"
    path.write_bytes("的\n".encode() + "了".encode("gbk") + b"\n")
    with pytest.raises(LexiconError, match=r"stopwords\.txt:2: not UTF-8"):
        read_terms(path)


def test_read_userdict_accepts_jieba_and_tab_forms(tmp_path):
    path = tmp_path / "userdict.txt"
    path.write_text("小新Pro14 nz\n触控板 20 n\n续航\nThinkPad X1\t\tnz\n坏点 x1 n\n", encoding="utf-8")
    words = read_userdict(path)
    assert words[:4] == [
        UserWord("小新Pro14", None, "nz"),
        UserWord("触控板", 20, "n"),
        UserWord("续航", None, None),
        UserWord("ThinkPad X1", None, "nz"),
    ]
    assert words[4] == UserWord("坏点 x1", None, "n")  # jieba reads it this way too


def test_bad_userdict_frequency(tmp_path):
    path = tmp_path / "userdict.txt"
    path.write_text("触控板\tmany\tn\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"userdict\.txt:1: frequency 'many'"):
        read_userdict(path)
    path.write_text("续航\n好词 99999999999999999999999999 nz\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"userdict\.txt:2: frequency 9+ is too large"):
        read_userdict(path)


def test_lexicon_version_changes_with_content_and_covers_fallbacks(tmp_path):
    base = lexicon_version(tmp_path)
    assert base == lexicon_version(None)  # empty folder: packaged files in effect
    (tmp_path / "userdict.txt").write_text("超级本本\n", encoding="utf-8")
    first = lexicon_version(tmp_path)
    (tmp_path / "userdict.txt").write_text("超级本本 9\n", encoding="utf-8")
    assert len({base, first, lexicon_version(tmp_path)}) == 3


def test_lexicon_version_ignores_comments_and_routing(tmp_path):
    from voc.analysis.topics import TopicTagger

    packaged = lexicon_file("topics.tsv").read_text(encoding="utf-8")
    (tmp_path / "topics.tsv").write_text(packaged, encoding="utf-8")
    (tmp_path / "userdict.txt").write_text("超级本本 9\n", encoding="utf-8")
    before, topics_before = lexicon_version(tmp_path), TopicTagger.from_lexicons(Lexicons(tmp_path)).version
    (tmp_path / "topics.tsv").write_text("# a note of ours\n" + packaged + "\n\n", encoding="utf-8")
    (tmp_path / "userdict.txt").write_text("# product names\n超级本本 9\r\n", encoding="utf-8")
    (tmp_path / "owners.tsv").write_text(lexicon_file("owners.tsv").read_text(encoding="utf-8") + "\n# moved\n",
                                         encoding="utf-8")
    assert lexicon_version(tmp_path) == before  # results are not stale for a comment
    assert TopicTagger.from_lexicons(Lexicons(tmp_path)).version == topics_before
    (tmp_path / "userdict.txt").write_text("超级本本 10\n", encoding="utf-8")
    assert lexicon_version(tmp_path) != before


def test_lexicon_file_falls_back_to_packaged(tmp_path):
    assert lexicon_file("stopwords.txt", tmp_path).is_file()
    (tmp_path / "stopwords.txt").write_text("的\n", encoding="utf-8")
    assert lexicon_file("stopwords.txt", tmp_path) == tmp_path / "stopwords.txt"


def test_shipped_lexicons_parse():
    for name in ["userdict.txt", "stopwords.txt"]:
        assert lexicon_file(name).is_file()
    assert len(read_userdict(lexicon_file("userdict.txt"))) > 300
    for name in ["positive", "negative", "degree", "contrast", "concession"]:
        assert read_weighted(lexicon_file(f"sentiment/{name}.txt"))
    assert "不" in read_terms(lexicon_file("sentiment/negation.txt"))
