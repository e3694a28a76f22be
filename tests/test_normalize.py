"""Tests for voc.analysis.normalize."""

from __future__ import annotations

import pytest

from voc.analysis.normalize import KEPT_FULLWIDTH, normalize, normalize_many, t2s_table


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("ＴｈｉｎｋＰａｄ　Ｘ１", "ThinkPad X1"),
        ("Ｙ９０００Ｐ性价比高", "Y9000P性价比高"),
        ("价格３９９９元，＋１００送鼠标", "价格3999元，+100送鼠标"),
        ("续航１０％～２０％", "续航10%~20%"),
        ("ｗｉｆｉ＠ｈｏｍｅ", "wifi@home"),
    ],
)
def test_full_width_ascii_becomes_half_width(raw, expected):
    assert normalize(raw) == expected


def test_chinese_sentence_punctuation_is_kept_full_width():
    text = "好用，续航长！真的吗？不错；推荐：（五星）"
    assert normalize(text) == text
    assert set(KEPT_FULLWIDTH) <= set(text)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("這臺電腦發熱嚴重", "这台电脑发热严重"),
        ("螢幕很漂亮，電池續航給力", "萤幕很漂亮，电池续航给力"),
        ("客服態度很差，退貨麻煩", "客服态度很差，退货麻烦"),
    ],
)
def test_traditional_becomes_simplified(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("text", ["效果显著", "余额不足", "乾隆年间", "覆盖范围广", "沈阳发货", "着急用"])
def test_simplified_text_is_unchanged(text):
    assert normalize(text) == text


def test_t2s_table_is_one_to_one_and_never_maps_simplified_characters():
    table = t2s_table()
    assert len(table) > 2000
    assert all(len(v) == 1 for v in table.values())
    targets = set(table.values())
    assert not any(chr(k) in targets and chr(k) != v for k, v in table.items() if chr(k) in "著乾余覆")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("太差了！！！！", "太差了！"),
        ("发货慢。。。", "发货慢。"),
        ("好评~~~", "好评~"),
        ("无语......", "无语."),
        ("什么？？？", "什么？"),
        ("真的吗？！", "真的吗？！"),
        ("等了……", "等了…"),
        ("a   b\t\tc", "a b c"),
    ],
)
def test_runs_of_the_same_punctuation_collapse(raw, expected):
    assert normalize(raw) == expected


def test_invisible_characters_and_bom_are_removed():
    assert normalize("\ufeff好\u200b评\u200c！\u2060") == "好评！"


def test_emoji_and_zwj_sequences_are_kept():
    text = "很喜欢😀👍🏻 全家👨\u200d👩\u200d👧都在用"
    assert normalize(text) == text


@pytest.mark.parametrize("mask", ["<PHONE>", "<EMAIL>", "<IDCARD>", "<BANKCARD>", "<ORDER>", "<QQ>", "<WECHAT>",
                                  "<ADDRESS>", "<NAME>"])
def test_mask_tokens_pass_through(mask):
    assert normalize(f"请联系{mask}，谢谢！！") == f"请联系{mask}，谢谢！"


def test_leading_and_trailing_whitespace_is_stripped_and_case_kept():
    assert normalize("  小新Pro14 很好  ") == "小新Pro14 很好"


def test_empty_and_none():
    assert normalize("") == ""
    assert normalize_many(["", None, "ＯＫ"]) == ["", "", "OK"]


@pytest.mark.parametrize("text", ["ＡＢ！！  這個。。。", "屏幕很好，但是发热严重！！", "～～～😀😀"])
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once
