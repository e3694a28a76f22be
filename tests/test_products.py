"""Product model names: found in text and normalised, unknown names cleaned."""

from __future__ import annotations

import pytest

from voc.analysis.products import ProductMatcher, squeeze, squeeze_with_breaks
from voc.errors import LexiconError
from voc.lexicon import Lexicons


@pytest.fixture(scope="module")
def matcher() -> ProductMatcher:
    return ProductMatcher.from_lexicons()


@pytest.mark.parametrize("raw,name", [
    ("y9000p", "Y9000P"),
    ("Y9000P 2023款", "Y9000P"),
    ("拯救者Y9000P", "Y9000P"),
    ("联想拯救者 y9000p 2024款 i9 16G", "Y9000P"),
    ("R7000 2023款", "R7000"),
    ("小新pro14", "小新Pro14"),
    ("小新 Pro 14", "小新Pro14"),
    ("小新-Pro-14 2023", "小新Pro14"),
    ("ThinkPad X1 Carbon 2023", "ThinkPad X1 Carbon"),
    ("iphone15pro max", "iPhone 15 Pro Max"),
    ("ｉＰｈｏｎｅ　１５", "iPhone 15"),
    ("华为Mate60 Pro", "Mate 60 Pro"),
    ("红米k70至尊版", "Redmi K70至尊版"),
    ("华为m3", "华为平板M3"),
])
def test_known_models_are_normalised(matcher, raw, name):
    assert matcher.normalize(raw) == name


def test_unknown_names_are_cleaned_not_dropped(matcher):
    assert matcher.normalize("ＡＢＣ  Phone\u3000X ") == "ABC Phone X"
    assert matcher.normalize("") == ""
    assert matcher.normalize(None) == ""


def test_models_are_found_in_text_in_order_and_once(matcher):
    text = "之前用的小新 pro 14，这次换了Y9000P，比小新pro14强多了"
    assert matcher.find(text) == ["小新Pro14", "Y9000P"]
    assert matcher.find("屏幕很好，物流很快") == []
    assert matcher.find(None) == []


def test_an_alias_does_not_match_inside_a_longer_model_number(matcher):
    assert matcher.find("买了p400") == []
    assert matcher.find("p40 pro 很好用") == ["P40 Pro"]
    assert matcher.find("y9000p2023款") == ["Y9000P"]


def test_squeeze_keeps_numbers_apart():
    assert squeeze("R7000 2023") == "r7000|2023"
    assert squeeze("小新 Pro-14") == "小新pro14"


def test_user_lexicon_and_alias_conflict(tmp_path):
    (tmp_path / "products.tsv").write_text("name\tbrand\tkind\taliases\nZ1\tACME\tphone\tacme z1|z-1\n",
                                           encoding="utf-8")
    matcher = ProductMatcher.from_lexicons(Lexicons(tmp_path))
    assert matcher.find("新买的ACME Z1") == ["Z1"] and matcher.normalize("z 1") == "Z1"
    (tmp_path / "products.tsv").write_text("name\tbrand\tkind\taliases\nZ1\tA\tphone\tzed\nZ2\tA\tphone\tzed\n",
                                           encoding="utf-8")
    with pytest.raises(LexiconError, match=r"products\.tsv:3: alias 'zed' already names 'Z1'"):
        ProductMatcher.from_lexicons(Lexicons(tmp_path))


@pytest.mark.parametrize(
    "cell,model",
    [
        ("ThinkPad X1 Carbon Gen12", "ThinkPad X1 Carbon"),
        ("联想ThinkPad X1 Carbon Gen12 AI PC 2.8K OLED 轻薄商务本", "ThinkPad X1 Carbon"),
        ("YOGA Air14s OLED", "YOGA Air 14s"),
        ("摩托罗拉razr 50 折叠屏", "moto razr 50"),
    ],
)
def test_an_alias_may_end_where_the_export_put_a_space(cell, model):
    from voc.analysis.products import ProductMatcher

    assert ProductMatcher.from_lexicons().normalize(cell) == model


@pytest.mark.parametrize("title,model", [
    # JD and Tmall listing titles of one phone, and the name alone
    ("荣耀X60 8GB+256GB 雅黑 5000mAh大电池 5G手机", "荣耀X60"),
    ("荣耀X60", "荣耀X60"),
    ("【官方正品】荣耀 X60 12+512GB 墨岩黑 全网通", "荣耀X60"),
    ("荣耀（HONOR）X60 8+256 雅黑", "荣耀X60"),
    # colour and edition names are not listed anywhere: they are the Chinese words after the model
    ("星河 S10 深空黑 12GB+256GB", "星河S10"),
    ("Zeta Phone 7 Pro 5G 16+1TB 大漠银月 拍照手机", "Zeta Phone 7 Pro"),
    ("青云Book 14 i7-13700H 32G 1T 2.8K 120Hz 14英寸 轻薄笔记本电脑", "青云Book 14"),
    ("启明 G5 R7-7840HS RTX4060 16G 512G 游戏本 灰", "启明G5"),
    # no listing words: the name stays as written
    ("ThinkPad Z13", "ThinkPad Z13"),
    ("Pixel 8", "Pixel 8"),
])
def test_listing_titles_name_their_model(matcher, title, model):
    assert matcher.normalize(title) == model


def test_an_alias_in_products_tsv_wins_over_the_listing_rule(tmp_path):
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "products.tsv").write_text(
        "name\tbrand\tkind\taliases\n荣耀X60（8+256）\t荣耀\tphone\t荣耀X60 8GB+256GB\n", encoding="utf-8"
    )
    matcher = ProductMatcher.from_lexicons(Lexicons(folder))
    assert matcher.normalize("荣耀X60 8GB+256GB 雅黑 5G手机") == "荣耀X60（8+256）"
    assert matcher.normalize("荣耀X60 12GB+512GB 雅黑 5G手机") == "荣耀X60"


@pytest.mark.parametrize("a,b", [
    ("红米K70E", "红米K70"),  # letters after the digits: another model
    ("vivo X100s", "vivo X100"),
    ("一加 Ace 3V", "一加 Ace 3"),
    ("一加 Ace 3 活力版", "一加 Ace 3"),  # an edition that is a model of its own
    ("三星Galaxy S24+", "Galaxy S24"),
    ("S24 FE", "Galaxy S24"),
    ("华为nova 12 Ultra", "nova 12"),
    ("荣耀X60 青春版", "荣耀X60"),
    ("Redmi Note 13 Pro+", "Redmi Note 13 Pro"),
])
def test_different_models_stay_apart(matcher, a, b):
    assert matcher.normalize(a) != matcher.normalize(b)


@pytest.mark.parametrize("a,b", [
    ("荣耀x60", "荣耀X60"),  # case of a model code
    ("HONOR/荣耀 X60", "荣耀X60"),  # the brand in two scripts
    ("荣耀X60 国行版 8+256", "荣耀X60"),  # an edition that is no model
])
def test_spellings_of_one_model_are_one(matcher, a, b):
    assert matcher.normalize(a) == matcher.normalize(b)


@pytest.mark.parametrize("text", [
    "小 新 Pro 14 用着不错", "换了Y9000-P以后", "ＹＯＧＡ Ａｉｒ １４ｓ 真好看", "ＸＩＡＯＸＩＮ　ＰＲＯ１４", "之前的 iPhone15 更好", "MateBook\u3000X Pro 续航一般",
    "一直用小米，也看过一加Ace 3，最后买了荣耀Magic6",
])
def test_the_quick_check_lets_every_mention_through(matcher, text):
    # the cheap pre-check (first alias characters right before a second one or a
    # separator) must never rule out a text the matcher itself would find a model in
    found = list(matcher._matches(*squeeze_with_breaks(text)))
    assert found and matcher.find(text) == list(dict.fromkeys(found))


def test_the_quick_check_agrees_with_the_matcher_on_every_alias(matcher):
    for alias in matcher._aliases:
        for text in (f"用了{alias}三天", f"用了{alias.upper()} 三天", f"用了{' '.join(alias)}三天"):
            if list(matcher._matches(*squeeze_with_breaks(text))):
                assert matcher.find(text), (alias, text)
