"""Tests for voc.io.pii: typed masking of personal data.

All ID and card numbers are synthetic: computed here from made-up digits with the
GB 11643 and Luhn rules, so the tests never hold real personal data.
"""

from __future__ import annotations

import re

import pytest

from voc.io import pii
from voc.io.pii import PII_TOKENS, is_valid_id_number, luhn_ok, mask, mask_counts

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_char(body17: str) -> str:
    """GB 11643 mod-11 check character for the first 17 digits."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, _WEIGHTS, strict=True)) % 11]


def make_id(region: str = "110105", birth: str = "19900307", seq: str = "123") -> str:
    body = region + birth + seq
    return body + id_check_char(body)


def luhn_check_digit(partial: str) -> str:
    """The digit that makes ``partial + digit`` pass the Luhn check."""
    total = 0
    for i, c in enumerate(reversed(partial)):
        d = int(c)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def make_card(prefix: str = "622202", length: int = 16) -> str:
    partial = (prefix + "0123456789" * 2)[: length - 1]
    return partial + luhn_check_digit(partial)


def bad_id_and_bad_luhn(body17: str) -> str:
    """An 18-digit number with a wrong ID check digit that also fails Luhn."""
    for d in "0123456789":
        n = body17 + d
        if d != id_check_char(body17) and not luhn_ok(n):
            return n
    raise AssertionError("unreachable: at most two of ten digits are excluded")


ID18 = make_id()
ID18_X = next(
    make_id(seq=f"{s:03d}") for s in range(1000) if id_check_char(f"11010519900307{s:03d}") == "X"
)
ID15 = "110105900307123"  # old format: region 110105, born 1990-03-07
CARD16 = make_card()
CARD19 = make_card("621700", 19)
CARD16_BAD = CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10)
BAD18 = bad_id_and_bad_luhn(ID18[:17])


# -- the helpers themselves, against published worked examples ----------------------
def test_id_helper_matches_the_gb11643_worked_example():
    assert id_check_char("11010519491231002") == "X"


def test_luhn_helper_matches_the_textbook_example():
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")


@pytest.mark.parametrize(
    "number,valid",
    [
        (ID18, True),
        (ID18_X, True),
        (ID18_X.lower(), True),
        (ID15, True),
        (ID18[:-1] + str((int(ID18[-1]) + 1) % 10) if ID18[-1] != "X" else ID18[:-1] + "0", False),
        ("991051" + ID18[6:17] + id_check_char("991051" + ID18[6:17]), False),  # no region 99
        (make_id(birth="19901301"), False),  # month 13
        (make_id(birth="19900230"), False),  # 30 February
        ("110105901307123", False),  # 15-digit, month 13
        ("12345", False),
    ],
)
def test_id_number_validation(number, valid):
    assert is_valid_id_number(number) is valid


# -- positive cases -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        # mobiles
        ("我的手机13912345678，请回电", "我的手机<PHONE>，请回电"),
        ("电话139 1234 5678", "电话<PHONE>"),
        ("电话139-1234-5678", "电话<PHONE>"),
        ("+86 139 1234 5678找我", "<PHONE>找我"),
        ("+8613912345678", "<PHONE>"),
        ("86-13912345678", "<PHONE>"),
        ("0086 13912345678", "<PHONE>"),
        ("(+86)13912345678", "<PHONE>"),
        ("打了１３９１２３４５６７８没人接", "打了<PHONE>没人接"),
        # landlines
        ("座机010-12345678", "座机<PHONE>"),
        ("售后点0755-1234567", "售后点<PHONE>"),
        ("(021)12345678", "<PHONE>"),
        ("（021）8765-4321转123", "<PHONE>"),
        ("+86 10 87654321", "<PHONE>"),
        ("电话020-87654321-8001", "电话<PHONE>"),
        # e-mail
        ("联系我 someone.test@example.com 谢谢", "联系我 <EMAIL> 谢谢"),
        ("邮箱：a_b+c@mail.example.cn", "邮箱：<EMAIL>"),
        ("QQ邮箱 12345678@qq.com", "QQ邮箱 <EMAIL>"),
        ("邮箱abc＠example.com", "邮箱<EMAIL>"),
        # ID numbers
        (f"身份证{ID18}", "身份证<IDCARD>"),
        (f"证件号 {ID18_X} 已提交", "证件号 <IDCARD> 已提交"),
        (f"号码是 {ID18[:6]} {ID18[6:14]} {ID18[14:]}", "号码是 <IDCARD>"),
        (f"老身份证{ID15}", "老身份证<IDCARD>"),
        (f"我的是{ID15}", "我的是<IDCARD>"),
        (f"身份证号：{BAD18}", "身份证号：<IDCARD>"),  # the cue wins over the checksum
        # bank cards
        (f"退款到{CARD16}", "退款到<BANKCARD>"),
        (f"卡 {CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}", "卡 <BANKCARD>"),
        (f"卡 {CARD16[:4]}-{CARD16[4:8]}-{CARD16[8:12]}-{CARD16[12:]}", "卡 <BANKCARD>"),
        (f"{CARD19}", "<BANKCARD>"),
        (f"银行卡号：{CARD16_BAD}", "银行卡号：<BANKCARD>"),  # the cue wins over Luhn
        # long numbers: orders
        ("订单号：123456789012已经7天了", "订单号：<ORDER>已经7天了"),
        ("订单号码是：12345678", "订单号码是：<ORDER>"),
        ("单号SF1234567890到了", "单号<ORDER>到了"),
        ("快递单号 YT12345678", "快递单号 <ORDER>"),
        ("order no: 20240305001", "order no: <ORDER>"),
        ("订单号：13912345678", "订单号：<ORDER>"),  # the cue wins over the mobile shape
        ("投诉1234567890123", "投诉<ORDER>"),
        (f"数字{CARD16_BAD}", "数字<ORDER>"),  # 16 digits failing Luhn
        (f"编号{BAD18}", "编号<ORDER>"),  # 18 digits failing the ID check and Luhn
        # QQ
        ("QQ：12345678", "QQ：<QQ>"),
        ("加qq 123456 交流", "加qq <QQ> 交流"),
        ("我的QQ号是284210953", "我的QQ号是<QQ>"),
        ("扣扣98765432", "扣扣<QQ>"),
        # WeChat
        ("微信：abc_123456", "微信：<WECHAT>"),
        ("加vx 13912345678", "加vx <WECHAT>"),
        ("v信abc123", "v信<WECHAT>"),
        ("微信号：zhangsan", "微信号：<WECHAT>"),
        ("wx: Li-Lei_88", "wx: <WECHAT>"),
        # serial numbers only after a cue
        ("SN:PF3ABC12", "SN:<SERIAL>"),
        ("序列号是PF3ABC12", "序列号是<SERIAL>"),
        ("IMEI：861234567890123", "IMEI：<SERIAL>"),
        # names only after an explicit cue and colon
        ("收货人：张三，电话13912345678", "收货人：<NAME>，电话<PHONE>"),
        ("联系人: 李小明 先生", "联系人: <NAME> 先生"),
        ("姓名：王五电话", "姓名：<NAME>电话"),
        ("收货人：张三北京市海淀区中关村大街27号", "收货人：<NAME><ADDRESS>"),  # two rounds
        # addresses
        ("北京市海淀区中关村大街27号", "<ADDRESS>"),
        ("寄到广东省深圳市南山区科技园南区8栋1201室，谢谢", "寄到<ADDRESS>，谢谢"),
        ("寄到了深圳市南山区科技园8栋1201室", "寄到了<ADDRESS>"),
        ("江苏苏州工业园区星湖街328号", "<ADDRESS>"),
        ("地址：上海赤峰路63号", "地址：<ADDRESS>"),
        ("北京市朝阳区建国路88号现代城5号楼2单元501", "<ADDRESS>"),
        ("拿去厦门市思明区湖滨东路61号修", "拿去<ADDRESS>修"),
        ("住在海淀区中关村南大街5号", "住在<ADDRESS>"),
    ],
)
def test_mask_replaces_personal_data_with_typed_tokens(text, expected):
    assert mask(text) == expected


# -- negative cases -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Y9000P和R9000P对比，小新Pro14也不错",
        "i7-13700H + RTX4060，16GB内存，512G硬盘",
        "2.5K 165Hz屏幕，5000mAh电池，13代酷睿",
        "PF3ABC12 这个编码是什么",
        "价格5999元，活动价¥6,499.00，降了10%",
        "2024-03-05买的，2024年3月5日 10:02到货，20240305开的发票",
        "2024-03-05T10:02:33 下单",
        "BIOS 1.2.3 升级到 1.2.10",
        "客服热线400-820-8820，也打了800-810-8888和4008208820",
        "400 820 8820 一直占线",
        "电池循环12次，续航13小时，跑分2100000",
        "3月5号下单，3月8号到货",
        "圆周率3.14159265358979",
        "666666666666666 好评",
        "[订单x]还请您稍等，[数字x]-[数字x]天，[电话x]，[姓名x]，[地址x]，#E-s57",
        "联系人：[姓名x]",
        "上海[地址x]，北京[地址x]",
        "微信Windows版很好用，微信支付也方便",
        "QQ10元礼券",
        "订单号：ABC123",
        "订单 2024年3月5日",
        "姓名: 电话: 订单号:",
        "北京市地铁1号线",
        "上海仓库3号发货",
        "我们小区3栋",
        "在超市3楼买的",
        "中关村大街27号",  # no province, city or district: kept
        "本地电话87654321",  # 8 digits without an area code
        "USB3.2 Gen2，WiFi6E，Win11，骁龙8Gen3，6.82英寸",
        "",
    ],
)
def test_mask_leaves_non_personal_text_alone(text):
    assert mask(text) == text


# -- properties ---------------------------------------------------------------------
_FRAGMENTS = [
    "电话139-1234-5678",
    "+86 139 1234 5678",
    "(021)12345678",
    "0755-1234567转8",
    "400-820-8820",
    ID18,
    ID18_X,
    CARD16,
    f"{CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}",
    BAD18,
    "订单号：123456789012",
    "QQ：12345678",
    "微信：abc_123",
    "收货人：张三，",
    "北京市海淀区中关村大街27号",
    "广东省深圳市南山区科技园南区8栋1201室",
    "a.b@example.com",
    "SN:PF3ABC12",
    "１３９１２３４５６７８",
    "2024-03-05 10:02",
    "5999元",
    "i7-13700H",
    "Y9000P",
    "[订单x]",
]
_BASE = "电脑收到了，散热一般，客服态度很好，物流也快。"


def _spliced(seed: int) -> str:
    """A deterministic mix of fragments glued into a review, often with no space."""
    state = seed
    text = _BASE
    for _ in range(1 + seed % 4):
        state = (state * 1103515245 + 12345) % 2**31
        frag = _FRAGMENTS[state % len(_FRAGMENTS)]
        pos = (state >> 8) % (len(text) + 1)
        text = text[:pos] + frag + text[pos:]
    return text


_MIXED = [_spliced(seed) for seed in range(300)]
_TOKEN_RE = re.compile(r"<[A-Z]+>")


@pytest.mark.parametrize("text", [*_FRAGMENTS, *_MIXED])
def test_mask_is_idempotent(text):
    once = mask(text)
    assert mask(once) == once


def test_mask_writes_only_the_typed_tokens():
    seen = set()
    for text in [*_FRAGMENTS, *_MIXED]:
        seen.update(_TOKEN_RE.findall(mask(text)))
    assert seen <= set(PII_TOKENS)
    assert {"<PHONE>", "<IDCARD>", "<BANKCARD>", "<ORDER>", "<ADDRESS>"} <= seen


def test_masked_text_keeps_no_digits_of_the_personal_data():
    for number in (ID18, ID18_X, CARD16, CARD19, BAD18, "13912345678"):
        assert number not in mask(f"客户的号码{number}，请处理")
        assert number[3:-3] not in mask(f"客户的号码{number}，请处理")


def test_pii_tokens_are_distinct_and_bracketed():
    assert len(set(PII_TOKENS)) == len(PII_TOKENS)
    assert all(_TOKEN_RE.fullmatch(t) for t in PII_TOKENS)


def test_existing_tokens_pass_through():
    text = "用户留了<PHONE>和<EMAIL>"
    assert mask(text) == text
    assert mask_counts(text) == (text, {})


def test_mask_counts_counts_each_replacement():
    text = f"电话13912345678，备用0755-1234567，订单号：123456789012，身份证{ID18}，QQ：12345678"
    masked, counts = mask_counts(text)
    assert masked == mask(text)
    assert counts == {"<PHONE>": 2, "<ORDER>": 1, "<IDCARD>": 1, "<QQ>": 1}


def test_mask_counts_on_clean_text_is_empty():
    assert mask_counts("屏幕很好，续航一般") == ("屏幕很好，续航一般", {})


def test_cue_word_without_digits_still_reaches_the_cue_pass():
    # No digit and no "@": the fast path must not skip WeChat ids and names.
    assert mask("加微信号：zhangsan 聊") == "加微信号：<WECHAT> 聊"
    assert mask("收件人：李四") == "收件人：<NAME>"


def test_long_texts_mask_every_occurrence():
    review = "散热不行，" * 200 + "电话13912345678" + "，键盘还行" * 200 + f"，卡{CARD16}"
    masked = mask(review)
    assert masked.count("<PHONE>") == 1 and masked.count("<BANKCARD>") == 1
    assert masked.startswith("散热不行，") and masked.endswith("，卡<BANKCARD>")


def test_many_addresses_in_one_transcript_are_all_masked():
    # More candidates than the windowed search handles: the single-scan path.
    turns = [f"第{i}单寄到北京市海淀区中关村大街{i + 1}号" for i in range(8)]
    masked = mask("；".join(turns))
    assert masked.count("<ADDRESS>") == 8
    assert "中关村" not in masked


def _plain_mask(text: str) -> str:
    """Reference: every pass as one plain substitution over the whole text."""
    while True:
        new = pii._EMAIL.sub(pii.EMAIL, text)
        new = pii._CUE.sub(pii._cue_repl, new)
        new = pii._NUM.sub(pii._number_repl, new)
        new = pii._ADDRESS.sub(pii.ADDRESS, new)
        if new == text:
            return new
        text = new


@pytest.mark.parametrize("text", [*_FRAGMENTS, *_MIXED])
def test_prechecks_and_windows_do_not_change_the_result(text):
    assert mask(text) == _plain_mask(text)


@pytest.mark.parametrize("text,want", [
    # without the colon a name is told by its surname, after a name cue or a self-introduction
    ("收件人王小明，麻烦尽快发货", "收件人<NAME>，麻烦尽快发货"),
    ("联系人韩梅梅。", "联系人<NAME>。"),
    ("你好，我叫陈大文，订单没收到", "你好，我叫<NAME>，订单没收到"),
    ("本人刘洋", "本人<NAME>"),
    ("我叫欧阳娜娜", "我叫<NAME>"),
    ("收件人王小明先生", "收件人<NAME>先生"),
    # ... and what follows the cue is left when it is no name
    ("本人觉得还行", "本人觉得还行"),
    ("收件人写错了", "收件人写错了"),
    ("我叫了客服", "我叫了客服"),
    ("本人于昨日购买", "本人于昨日购买"),
    ("按姓名查找、按号码查找", "按姓名查找、按号码查找"),
    ("联系人只能修改姓名和电话", "联系人只能修改姓名和电话"),
])
def test_a_name_after_a_cue_without_a_colon(text, want):
    assert mask(text) == want
