import pytest

from voc.errors import InputError
from voc.io.columns import map_columns, parse_map_options
from voc.io.values import ValueProblem, is_platform_default, parse_nps, parse_rating


def test_jd_chinese_headers_map_to_fields():
    m = map_columns(["评论ID", "订单号", "商品名称", "评分", "评论内容", "评论时间", "追评内容", "追评时间", "商家回复", "会员等级"])
    assert m == {
        "review_id": "评论ID", "order_id": "订单号", "product": "商品名称", "rating": "评分", "text": "评论内容",
        "created_at": "评论时间", "followup_text": "追评内容", "followup_at": "追评时间", "merchant_reply": "商家回复",
    }
    assert "会员等级" not in m.values()  # unmapped: kept as extra by the converter


def test_english_headers_and_model_over_product_name():
    m = map_columns(["id", "created_at", "product", "model", "stars", "NPS", "Review Text", "Channel"])
    assert m["text"] == "Review Text" and m["rating"] == "stars" and m["nps_score"] == "NPS"
    assert m["product"] == "model" and m["channel"] == "Channel" and m["created_at"] == "created_at"


def test_contained_chinese_alias_is_found():
    assert map_columns(["评价内容（文字）", "星级"])["text"] == "评价内容（文字）"


def test_map_override_wins_and_bad_override_is_an_error():
    assert map_columns(["a", "b", "内容"], parse_map_options(["text=b"]))["text"] == "b"
    with pytest.raises(InputError, match="no column 'zz'"):
        map_columns(["a"], {"text": "zz"})
    with pytest.raises(InputError, match="unknown field"):
        parse_map_options(["body=a"])
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_map_options(["text"])


@pytest.mark.parametrize("value,stars", [(5, 5), ("5", 5), (4.0, 4), ("5星", 5), ("3 星", 3), ("四星", 4), ("★★★★☆", 4), ("★★★★★", 5), ("4/5", 4), ("", None), (None, None)])
def test_rating_forms(value, stars):
    assert parse_rating(value) == stars


@pytest.mark.parametrize("value", [0, 6, "7", "abc", 3.5, "★☆x"])
def test_bad_ratings_raise_with_reason(value):
    with pytest.raises(ValueProblem, match="not a star rating"):
        parse_rating(value)


@pytest.mark.parametrize("value,score", [(0, 0), ("10", 10), ("9分", 9), (7.0, 7), ("8/10", 8), ("", None)])
def test_survey_scores(value, score):
    assert parse_nps(value) == score


@pytest.mark.parametrize("value", [11, -1, "很高", 8.5])
def test_bad_survey_scores(value):
    with pytest.raises(ValueProblem):
        parse_nps(value)


@pytest.mark.parametrize(
    "text,default",
    [
        ("此用户未填写评价内容", True),
        ("该用户未填写评价内容。", True),
        ("系统默认好评", True),
        ("评价方未及时做出评价,系统默认好评!", True),
        ("该用户觉得商品非常好，给出了好评", True),
        ("好评", False),
        ("默认好评是不可能的，屏幕有坏点", False),
        ("用户未填写评价内容但是我要说电池鼓包了" * 3, False),
    ],
)
def test_platform_default_reviews(text, default):
    assert is_platform_default(text) is default


@pytest.mark.parametrize("headers,want", [
    # headers a new user's exports had that were not guessed (text refused, rating and date silently kept aside)
    (["买家评论", "打星", "提交日期"], {"text": "买家评论", "rating": "打星", "created_at": "提交日期"}),
    (["意见反馈", "评分(1-5)", "反馈时间"], {"text": "意见反馈", "rating": "评分(1-5)", "created_at": "反馈时间"}),
    (["问题描述", "星级评分"], {"text": "问题描述", "rating": "星级评分"}),
    (["文本", "日期"], {"text": "文本", "created_at": "日期"}),
])
def test_more_chinese_export_headers_are_guessed(headers, want):
    assert map_columns(headers) == want
