"""Mask personal data in customer text before anything is written to disk.

``mask(text)`` replaces personal data with typed tokens, so analysis still sees that
something was there (a review that quotes a phone number is often a complaint about
being unreachable)::

    >>> mask("电话138-1234-5678，订单号：123456789012")
    '电话<PHONE>，订单号：<ORDER>'

Tokens (``PII_TOKENS``) and what produces them:

``<EMAIL>``     ``name@host.tld`` (also with a full-width ``＠``).
``<PHONE>``     mainland mobiles ``1[3-9]`` + 9 digits, optionally ``+86``/``0086``/``86-``/
                ``(+86)`` in front and 3-4-4 groups split by spaces or dashes; landlines with
                an area code (``010-12345678``, ``0755-1234567``, ``(021)12345678``,
                ``+86 10 12345678``), an extension ``-123``/``转123`` included.
``<IDCARD>``    18-digit resident ID numbers whose region, birth date and GB 11643 mod-11
                check digit (``X`` allowed) are valid; 15-digit old IDs whose region and
                ``YYMMDD`` date are valid; any 15/18-character number after ``身份证``.
``<BANKCARD>``  16-19 digits (plain, in groups of 4, or 6 + the rest) that pass the Luhn
                check and start like a card (3, 4, 5, 6, 9, or 22-27 with 16 digits); any
                12-19 digits after ``银行卡``/``卡号``/``信用卡``/``储蓄卡``/``借记卡``.
``<ORDER>``     after 订单/订单号/订单编号/单号/运单号/快递单号/order no: an id of 6+
                characters with 6+ digits; anywhere else a run of 10+ digits that is none
                of the above.
``<QQ>``        5-11 digits (not starting with 0) after ``QQ``/``QQ号``/``扣扣``.
``<WECHAT>``    after 微信/微信号/v信/vx/wx/weixin/wechat: a WeChat id
                ``[a-zA-Z][-_a-zA-Z0-9]{5,19}`` or a mobile number. A letters-only id needs
                an explicit ``：``/``号``/``是`` before it, so ``微信Windows版`` stays.
``<SERIAL>``    after SN/S/N/序列号/串号/IMEI/MEID/机身编号: an alphanumeric id (6+
                characters, at least one digit). Not in the original token list, but a
                device serial identifies its owner as well as an order number does.
``<NAME>``      2-4 Chinese characters after ``收货人：``/``收件人：``/``联系人：``/
                ``寄件人：``/``姓名：`` (form labels such as ``姓名: 电话:`` are not
                names); without the colon, and after a self-introduction (``我叫``,
                ``本人``, ``名字叫``), a common surname and one or two more characters
                ending the phrase (``收件人王小明``, ``我叫陈大文，``; ``本人觉得`` stays).
``<ADDRESS>``   a province (by name), city (``XX市``, or a known longer city name) or
                district (``XX区/县``), then a place name ending like a place (路/街/道/巷/
                弄/村/园/苑/小区/大厦/广场/…), then a house-number chain (``27号``,
                ``8栋1201室``, ``3号楼2单元501``), up to two more place + number pairs.
                The span from the province/city through the last number becomes one token.

Deliberately left alone: model names and specs (``Y9000P``, ``i7-13700H``, ``RTX4060``,
``16GB``, ``5000mAh``), prices (``¥6,499.00``), dates and times (``2024-03-05``,
``20240305``), percentages, versions, numbers under 10 digits without a cue, 400/800
service hotlines (``400-820-8820``: a company, not a person), 8-digit local numbers
without an area code, serial-like codes without a cue (``PF3ABC12``), one digit repeated
(``666666666666`` is emphasis), addresses without any province/city/district
(``中关村大街27号``), and the placeholders of already-masked corpora such as JDDC's
``[订单x]``/``[电话x]``/``[姓名x]``. Decisions worth knowing:

* An 18-digit number that fails both the ID checksum and the Luhn test is still a long
  number, so it becomes ``<ORDER>``; so does any other unclassified run of 10+ digits,
  including compact timestamps (``2024030510``) and IMEIs without a cue. Masking too
  much is the safer error.
* A cue wins over the shape: ``订单号：13812345678`` is an ``<ORDER>``, ``vx 138…`` a
  ``<WECHAT>``, ``IMEI：86…`` a ``<SERIAL>``; the cue word itself is kept.
* A digit run that is part of a decimal number (``3.14159265358``) is not masked.
* Full-width digits (``１３８…``) are recognised in unbroken runs (``\\d`` is Unicode);
  inside separated groups only ASCII digits are.

Speed: every pass has a precheck that is a plain character or literal scan, and the big
patterns only run near what the precheck found. Masking is idempotent:
``mask(mask(x)) == mask(x)``, and text without personal data is returned as is.
"""

from __future__ import annotations

import re
from calendar import monthrange

__all__ = ["PII_TOKENS", "USER", "is_valid_id_number", "luhn_ok", "mask", "mask_counts", "personal_column"]

PHONE = "<PHONE>"
EMAIL = "<EMAIL>"
IDCARD = "<IDCARD>"
BANKCARD = "<BANKCARD>"
ORDER = "<ORDER>"
QQ = "<QQ>"
WECHAT = "<WECHAT>"
SERIAL = "<SERIAL>"
ADDRESS = "<ADDRESS>"
NAME = "<NAME>"

#: Every token ``mask`` can write. Segmenters keep these as single tokens.
PII_TOKENS: tuple[str, ...] = (
    PHONE,
    EMAIL,
    IDCARD,
    BANKCARD,
    ORDER,
    QQ,
    WECHAT,
    SERIAL,
    ADDRESS,
    NAME,
)

#: What :func:`personal_column` says of a column of user names or ids: its cells become a
#: pseudonym (a stable stand-in that links a user's rows), not a token.
USER = "user"

#: Columns whose name says they hold personal data, whatever their cells look like
#: (收货地址 holds 广东省深圳市南山区科技园, 姓名 holds 李娜, 买家旺旺 holds tb_lina88): the first
#: that matches the normalised header (lower case, no spaces or punctuation) says what
#: every cell of the column is. Chinese names are found inside a longer header (收货人电话,
#: 买家收货地址), English ones are the whole header (productname is no name).
_PERSONAL_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), token) for p, token in (
    (r"身份证|^(?:idcard|idnumber|idno)$", IDCARD),
    (r"邮箱|电子邮件|^(?:e?mail|emailaddress)$", EMAIL),
    (r"电话|联系方式|手机(?:号|号码)?$|^(?:phone|mobile|tel|telephone|phonenumber|mobilephone|contact|contactphone)$", PHONE),
    (r"微信|^(?:wechat|weixin|wx)$", WECHAT),
    (r"qq", QQ),
    (r"地址|^(?:address|addr|shippingaddress|deliveryaddress)$", ADDRESS),
    (r"姓名|收货人|收件人|联系人|寄件人|签收人|^(?:name|fullname|realname|customername|receiver|receivername|"
     r"consignee|contactname)$", NAME),
    (r"旺旺|昵称|用户名|会员名|账号|帐号|用户id|买家id|^(?:nick|nickname|username|userid|user|account|buyer|"
     r"buyerid|buyernick|customerid)$", USER),
))


def personal_column(header: object) -> str | None:
    """What a column named ``header`` holds when its name says it is personal data: a
    token (``<ADDRESS>``, ``<NAME>``, ``<PHONE>`` …) every cell becomes, :data:`USER` for
    user names and ids (a pseudonym), or None for any other column (its cells are masked
    as text: :func:`mask`).

    >>> personal_column("收货地址"), personal_column("买家旺旺"), personal_column("商品名称")
    ('<ADDRESS>', 'user', None)
    """
    from voc.io.columns import norm_header

    key = norm_header(header)
    if not key:
        return None
    for pattern, token in _PERSONAL_COLUMNS:
        if pattern.search(key):
            return token
    return None


_HAN = "\u4e00-\u9fff"
# Separator allowed between digit groups of one number: space, ideographic space, dashes.
_SEP = "[ \u3000\\-－]"
_MOBILE = rf"1[3-9]\d(?:{_SEP}?\d{{4}}){{2}}"
_AREA = r"(?:10|2\d|[3-9]\d\d)"  # area code after its leading 0: 010, 02x, 0xxx


def _compile(pattern: str) -> re.Pattern[str]:
    r"""Compile with ``\d`` meaning ASCII or full-width digits only.

    Explicit ranges are several times faster for the regex engine than the Unicode
    digit category, and no other script's digits turn up in Chinese feedback.
    """
    out: list[str] = []
    in_class = escaped = False
    for i, c in enumerate(pattern):
        if escaped:
            escaped = False
            if c == "d":
                out[-1] = "0-9０-９" if in_class else "[0-9０-９]"
                continue
        elif c == "\\":
            escaped = True
        elif c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class and pattern[i - 1] != "[":
            in_class = False
        out.append(c)
    return re.compile("".join(out))


# -- cues ---------------------------------------------------------------------------
def _case_variants(word: str) -> list[str]:
    """``qq`` -> qq, qQ, Qq, QQ; longer words -> lower, Title and UPPER case."""
    if len(word) == 2:
        a, b = word
        return [x + y for x in (a, a.upper()) for y in (b, b.upper())]
    return [word, word.capitalize(), word.upper()]


def _latin(*words: str, extra: tuple[str, ...] = ()) -> str:
    """A Latin cue word in its usual spellings, not glued to a preceding letter."""
    variants = [v for w in words for v in _case_variants(w)] + list(extra)
    return "(?<![A-Za-z])(?:" + "|".join(re.escape(v) for v in variants) + ")(?![A-Za-z])"


_ORDER_LATIN = ("order",)
_SERIAL_LATIN = ("sn", "imei", "meid")
_QQ_LATIN = ("qq",)
_WECHAT_LATIN = ("vx", "wx", "weixin", "wechat")
_SERIAL_EXTRA = ("s/n", "S/N")
_WECHAT_EXTRA = ("WeChat", "WeiXin")

_ORDER_CUE = (
    r"(?:订单编号|订单号码|订单号|订单|运单号|快递单号|物流单号|单号"
    rf"|{_latin(*_ORDER_LATIN)}(?:[ \t]*(?i:no\.?|number|num|id)(?![A-Za-z]))?)"
)
_SERIAL_CUE = (
    rf"(?:序列号|串号|机身编号|主机编号|{_latin(*_SERIAL_LATIN, extra=_SERIAL_EXTRA)}(?:码|号)?)"
)
_QQ_CUE = rf"(?:{_latin(*_QQ_LATIN)}(?:号码|号)?|扣扣号?)"
_WECHAT_CUE = (
    rf"(?:(?:微信|威信|薇信|徽信|[vV]信)号?|{_latin(*_WECHAT_LATIN, extra=_WECHAT_EXTRA)}号?)"
)
_ID_CUE = r"(?:身份证(?:号码|号)?)"
_CARD_CUE = r"(?:(?:银行卡|储蓄卡|信用卡|借记卡)(?:卡号|号码|号)?|卡号)"
_NAME_CUE = r"(?:收货人|收件人|联系人|寄件人|客户姓名|姓名)"
# Without a colon, a name is told by its surname: after a name cue or a self-introduction
# (收件人王小明, 联系人韩梅梅, 我叫陈大文, 本人刘洋), one of the common surnames and one or two
# more characters, ending the phrase. (收件人写错了, 本人觉得 start with no surname.)
_SELF_CUE = r"(?:我叫|本人|名字叫|名字是)"
_SURNAMES = (  # the most common ones, less those that also start everyday words (高, 方, 白, 万, 程, 付 ...)
    "欧阳|司马|诸葛|上官|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶苏魏吕丁沈姚卢姜崔钟谭陆"
    "汪范廖贾夏韦邹孟熊秦邱尹薛闫雷侯陶黎贺顾郝龚邵覃戴莫孔汤]"
)
# Form-field labels that follow an empty "姓名：" and are not names.
_FIELD_WORDS = "电话|手机|联系|地址|邮箱|邮编|订单|身份|微信|收货|收件|性别|备注"

# Between a cue and its value: spaces and at most two of ":", "#", "是", "为" ("号码是：").
_DELIM = r"(?:[ \t\u3000]*(?:[:：#＃]|是|为)){0,2}[ \t\u3000]*"
_ALNUM_ID = r"[A-Za-z0-9][-A-Za-z0-9]{5,39}(?![-_A-Za-z0-9])"

# One alternative per cue. Its single named group is the cue plus delimiter, which is
# kept; the rest of the match is the value that the token replaces.
_CUE = _compile(
    "|".join(
        [
            rf"(?P<order>{_ORDER_CUE}{_DELIM}){_ALNUM_ID}",
            rf"(?P<serial>{_SERIAL_CUE}{_DELIM}){_ALNUM_ID}",
            rf"(?P<qq>{_QQ_CUE}{_DELIM})[1-9]\d{{4,10}}(?![\d@])",
            rf"(?P<wechat>{_WECHAT_CUE}{_DELIM})(?:(?:\+86{_SEP}?)?{_MOBILE}(?!\d)"
            r"|[A-Za-z][-_A-Za-z0-9]{5,19}(?![-_A-Za-z0-9]))",
            rf"(?P<idcard>{_ID_CUE}{_DELIM})\d(?:{_SEP}?\d){{13,16}}[\dXx](?![\dA-Za-z])",
            rf"(?P<bankcard>{_CARD_CUE}{_DELIM})\d(?:{_SEP}?\d){{11,18}}(?!\d)",
            rf"(?P<name>{_NAME_CUE}[ \t]*[:：][ \t\u3000]*)"
            rf"(?!{_FIELD_WORDS})[{_HAN}]{{2,4}}?(?={_FIELD_WORDS}|先生|女士|小姐|[^{_HAN}]|$)",
            rf"(?P<surnamed>(?:{_NAME_CUE}|{_SELF_CUE})[ \t\u3000]*)(?!{_FIELD_WORDS})"
            rf"(?:{_SURNAMES})[{_HAN}]{{1,2}}?(?={_FIELD_WORDS}|先生|女士|小姐|[^{_HAN}]|$)",
        ]
    )
)
# Every position where a _CUE match can start: a branch of plain literals, which the
# regex engine scans for by their first characters.
_CUE_START_WORDS = (
    *"订单 运单号 快递单号 物流单号 单号 序列号 串号 机身编号 主机编号 扣扣 微信 威信 薇信 徽信"
    " v信 V信 身份证 银行卡 储蓄卡 信用卡 借记卡 卡号 收货人 收件人 联系人 寄件人 客户姓名 姓名"
    " 我叫 本人 名字叫 名字是".split(),
    *_SERIAL_EXTRA,
    *_WECHAT_EXTRA,
    *(
        v
        for w in _ORDER_LATIN + _SERIAL_LATIN + _QQ_LATIN + _WECHAT_LATIN
        for v in _case_variants(w)
    ),
)
_CUE_PRE = re.compile("|".join(re.escape(w) for w in _CUE_START_WORDS))

_EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}[@＠][A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![A-Za-z])"
)

# -- numbers by their shape -----------------------------------------------------------
_NUM = _compile(
    # Not inside a digit run; a bracket or "+" may follow a digit ("…123(021)8765…").
    r"(?!(?<=\d)\d)(?:"
    # 400/800 service hotlines: matched so that nothing else takes them, then kept.
    rf"(?P<hotline>[48]00(?:{_SEP}?\d){{7}})"
    rf"|(?P<mobile>(?:(?:\+|＋|00)?86{_SEP}?|[(（](?:\+|＋)?86[)）]{_SEP}?)?{_MOBILE})"
    rf"|(?P<landline>(?:[(（]0{_AREA}[)）]|0{_AREA}){_SEP}?[1-9]\d{{2,3}}{_SEP}?\d{{4}}"
    r"(?:(?:-|转)\d{1,5}(?!\d))?)"
    rf"|(?P<intl>(?:\+|＋|00)86{_SEP}?(?:[(（]{_AREA}[)）]|{_AREA}){_SEP}?"
    rf"[1-9]\d{{2,3}}{_SEP}?\d{{4}})"
    rf"|(?P<grouped>\d{{4}}(?:{_SEP}\d{{4}}){{3}}(?:{_SEP}\d{{1,3}})?"
    rf"|\d{{6}}{_SEP}\d{{8}}{_SEP}\d{{3}}[\dXx](?![A-Za-z])"
    rf"|\d{{6}}{_SEP}\d{{10,13}})"
    r"|(?<!\d[.．])(?P<run>\d{17}[Xx](?![A-Za-z])|\d{10,}(?![.．]\d))"
    r")(?!\d)"
)
_DIGIT = _compile(r"\d")
# Each _NUM match is 10+ characters of digits, separators, brackets, "+" and "转" (plus
# the "X" of an ID number), beginning with a digit, a bracket or "+". _NUM runs only on
# such runs ("clusters"), reading up to _NUM_TAIL characters past one (the "X" and the
# character after it); its lookbehinds still see the text before.
_CLUSTER = _compile(r"[\d(（+＋][\d \u3000\-－()（）+＋转]{9,}")
_NUM_TAIL = 2

# -- addresses ----------------------------------------------------------------------
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北"
    "|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
# Cities whose name is longer than two characters. Any other city is matched as exactly
# two characters before 市, which pins the start of the match to the start of the name.
_LONG_CITIES = (
    "石家庄|张家口|秦皇岛|哈尔滨|齐齐哈尔|牡丹江|佳木斯|七台河|双鸭山|呼和浩特|鄂尔多斯"
    "|巴彦淖尔|乌兰察布|乌鲁木齐|克拉玛依|吐鲁番|连云港|马鞍山|景德镇|驻马店|平顶山|三门峡"
    "|张家界|防城港|攀枝花|六盘水|日喀则|嘉峪关|石嘴山|葫芦岛|阿拉善|锡林郭勒"
)
# Two characters + 市 that are ordinary words, not cities.
_NOT_CITY = (
    "超市|城市|门市|都市|股市|夜市|上市|集市|菜市|花市|黑市|早市|开市|闹市|街市|楼市|车市"
    "|省市|各市|本市|全市|该市|此市"
)
_PROV = (
    rf"(?:{_PROVINCES})"
    r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?"
)
_CITY = rf"(?:(?:{_LONG_CITIES})|(?!{_NOT_CITY})[{_HAN}]{{2}})(?:市|自治州|地区|盟)"
_CITY_AFTER_PROV = rf"[{_HAN}]{{2,4}}?(?:市|自治州|地区|盟)"
_DIST_AFTER = rf"[{_HAN}]{{1,5}}?(?:区|县|旗|市)"
_DIST = rf"[{_HAN}]{{2}}(?:区|县|旗)"
# The place name before a house number must end like a place: a road, a compound...
_PLACE = (
    rf"[{_HAN}A-Za-z]{{0,14}}?"
    r"(?:大街|大道|胡同|小区|社区|公寓|大厦|广场|中心|花园|新村|家园|路|街|道|巷|弄|里|村|镇|乡"
    r"|园|苑|庄|城|院|湾|府|邸|期|区)"
)
_UNIT = r"(?:号楼|号院|号(?![线机店码])|栋|幢|座|单元|楼|层|室|弄)"
_HOUSE = (
    rf"\d{{1,5}}{_UNIT}(?:[-－]?(?:\d{{1,5}}|[A-Za-z]){_UNIT})*"
    r"(?:(?<=[元栋幢座楼])\d{1,5}(?![\d.])|[-－]\d{1,5}(?!\d))?室?"
)
_ADDRESS = _compile(
    rf"(?:{_PROV}(?:{_CITY_AFTER_PROV})?(?:{_DIST_AFTER})?|{_CITY}(?:{_DIST_AFTER})?|{_DIST})"
    rf"{_PLACE}{_HOUSE}(?:{_PLACE}{_HOUSE}){{0,2}}"
)
# Every address has a place name ending in one of these characters right before its
# first house number, and starts at most _ADDR_LEAD characters before that character
# (province 9 + city 7 + district 6 + place 15 = 37). _ADDRESS looks for a match from
# there to _ADDR_TAIL characters past it.
_ADDR_PRE = _compile(
    r"[街道同区寓厦场心园村路巷弄里镇乡苑庄城院湾府邸期]\d{1,5}(?:号|栋|幢|座|单元|楼|层|室|弄)"
)
_ADDR_LEAD = 40
_ADDR_TAIL = 160
_ADDR_MAX_WINDOWS = 4


# -- validators ---------------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_REGIONS = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


def _valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]


def is_valid_id_number(number: str) -> bool:
    """Whether ``number`` is a well-formed mainland resident ID number.

    18 characters: a region code, a birth date from 1900 to 2099 and the GB 11643
    mod-11 check digit (``X`` for 10). 15 digits (the pre-1999 format, no check digit):
    a region code and a valid ``YYMMDD`` birth date in the 1900s.
    """
    n = number.translate(_ASCII_DIGITS).upper()
    if len(n) == 18:
        if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
            return False
        if n[:2] not in _ID_REGIONS:
            return False
        year, month, day = int(n[6:10]), int(n[10:12]), int(n[12:14])
        if not (1900 <= year <= 2099 and _valid_date(year, month, day)):
            return False
        total = sum(int(c) * w for c, w in zip(n[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == n[17]
    if len(n) == 15 and n.isdigit():
        if n[:2] not in _ID_REGIONS:
            return False
        return _valid_date(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]))
    return False


def luhn_ok(digits: str) -> bool:
    """Whether a non-empty string of digits passes the Luhn (mod-10) check of bank cards."""
    total = 0
    for i, c in enumerate(reversed(digits.translate(_ASCII_DIGITS))):
        d = int(c)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return bool(digits) and total % 10 == 0


def _looks_like_card(d: str) -> bool:
    if not 16 <= len(d) <= 19 or not luhn_ok(d):
        return False
    return d[0] in "34569" or (len(d) == 16 and "22" <= d[:2] <= "27")


_MOBILE_DIGITS = re.compile(r"(?:86)?1[3-9][0-9]{9}")


def _classify_long(raw: str) -> str:
    """The replacement for a number of 10+ digits (maybe grouped) without a cue."""
    if raw.isdigit() and raw.isascii():
        d = raw
    else:
        d = "".join(c for c in raw.translate(_ASCII_DIGITS) if c.isdigit() or c == "X")
    if len(d) == 10 and d[:3] in ("400", "800"):
        return raw  # a hotline typed in full-width digits
    if len(set(d)) == 1:
        return raw  # "666666666666", "8888888888": emphasis, not an identifier
    if len(d) in (15, 18) and is_valid_id_number(d):
        return IDCARD
    if d.isdigit():
        if _looks_like_card(d):
            return BANKCARD
        if _MOBILE_DIGITS.fullmatch(d):
            return PHONE  # full-width digits never reach the mobile branch of _NUM
    return ORDER


def _number_repl(m: re.Match[str]) -> str:
    kind = m.lastgroup
    if kind == "hotline":
        return m.group()
    if kind in ("mobile", "landline", "intl"):
        return PHONE
    return _classify_long(m.group())


_CUE_TOKEN = {
    "order": ORDER,
    "serial": SERIAL,
    "qq": QQ,
    "wechat": WECHAT,
    "idcard": IDCARD,
    "bankcard": BANKCARD,
    "name": NAME,
    "surnamed": NAME,
}
_NOT_NAMES = frozenset({"本人", "自己", "客服", "先生", "女士", "小姐", "同上", "不详", "未知"})
_NOT_WECHAT_IDS = frozenset({"wechat", "weixin"})
_EXPLICIT_DELIMS = frozenset("号:：#＃是为")


def _cue_repl(m: re.Match[str]) -> str:
    """``cue + token`` if the value after the cue passes its check, else the match."""
    kind = m.lastgroup
    assert kind is not None
    cue = m.group(kind)
    value = m.group()[len(cue) :]
    ok = True
    if kind == "order":
        ok = sum(c.isdigit() for c in value) >= 6
    elif kind == "serial":
        ok = any(c.isdigit() for c in value)
    elif kind == "wechat" and value[0].isalpha():
        ok = value.lower() not in _NOT_WECHAT_IDS and (
            any(c.isdigit() or c in "-_" for c in value) or cue.rstrip()[-1:] in _EXPLICIT_DELIMS
        )
    elif kind == "idcard":
        ok = sum(c.isdigit() or c in "Xx" for c in value) in (15, 18)
    elif kind in ("name", "surnamed"):
        ok = value not in _NOT_NAMES
    return cue + _CUE_TOKEN[kind] if ok else m.group()


# -- passes -------------------------------------------------------------------------
def _join(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` span (ascending) replaced."""
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end, repl in spans:
        parts.append(text[last:start])
        parts.append(repl)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _mask_emails(text: str) -> str:
    at = min(i for i in (text.find("@"), text.find("＠")) if i >= 0)
    # A match starts at most 64 characters (the longest local part) before its "@".
    spans = [(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text, max(0, at - 64))]
    return _join(text, spans)


def _mask_cues(text: str, first: re.Match[str]) -> str:
    spans: list[tuple[int, int, str]] = []
    last = 0
    hits = [first, *_CUE_PRE.finditer(text, first.end())]
    for hit in hits:
        if hit.start() < last:
            continue
        m = _CUE.match(text, hit.start())
        if m is not None:
            spans.append((m.start(), m.end(), _cue_repl(m)))
            last = m.end()
    return _join(text, spans)


def _mask_numbers(text: str, first: re.Match[str]) -> str:
    spans: list[tuple[int, int, str]] = []
    last = 0
    for cluster in (first, *_CLUSTER.finditer(text, first.end())):
        lo = max(last, cluster.start())
        hi = min(len(text), cluster.end() + _NUM_TAIL)
        for m in _NUM.finditer(text, lo, hi):
            spans.append((m.start(), m.end(), _number_repl(m)))
            last = m.end()
    return _join(text, spans)


def _mask_addresses(text: str, first: re.Match[str]) -> str:
    lo = max(0, first.start() - _ADDR_LEAD)
    hits = [first]
    for hit in _ADDR_PRE.finditer(text, first.end()):
        hits.append(hit)
        if len(hits) > _ADDR_MAX_WINDOWS:
            # Many candidates (a long transcript): one scan is cheaper than the windows.
            return _join(text, [(m.start(), m.end(), ADDRESS) for m in _ADDRESS.finditer(text, lo)])
    spans: list[tuple[int, int, str]] = []
    last = 0
    for hit in hits:
        if hit.start() < last:
            continue
        lo = max(last, hit.start() - _ADDR_LEAD)
        m = _ADDRESS.search(text, lo, min(len(text), hit.end() + _ADDR_TAIL))
        if m is not None and m.start() <= hit.start():
            spans.append((m.start(), m.end(), ADDRESS))
            last = m.end()
    return _join(text, spans)


_MAX_ROUNDS = 8


def mask(text: str) -> str:
    """Return ``text`` with personal data replaced by the typed tokens in ``PII_TOKENS``.

    Text without personal data comes back unchanged. See the module docstring for what
    each token covers and what is deliberately left alone.

    A replacement can free a neighbour: in ``收货人：张三北京市海淀区中关村大街27号`` the
    name's end is clear only once the address is a token. So text that changed is masked
    again until it no longer changes (each round only shrinks the unmasked text; real
    text needs one or two rounds, and the rounds are capped at ``_MAX_ROUNDS`` against
    crafted input). This makes ``mask(mask(x)) == mask(x)`` hold by construction.
    """
    masked = _mask_once(text)
    for _ in range(_MAX_ROUNDS):
        if masked is text or masked == text:
            break
        text, masked = masked, _mask_once(masked)
    return masked


def _mask_once(text: str) -> str:
    """One round of all passes: e-mails, cue words, numbers, addresses."""
    has_digit = _DIGIT.search(text) is not None
    if "@" in text or "＠" in text:
        text = _mask_emails(text)
    hit = _CUE_PRE.search(text)
    if hit is not None:
        text = _mask_cues(text, hit)
    if has_digit:
        hit = _CLUSTER.search(text)
        if hit is not None:
            text = _mask_numbers(text, hit)
        hit = _ADDR_PRE.search(text)
        if hit is not None:
            text = _mask_addresses(text, hit)
    return text


def mask_counts(text: str) -> tuple[str, dict[str, int]]:
    """Mask ``text`` and count the replacements per token.

    Returns the masked text and ``{token: count}`` for the tokens that were written,
    e.g. ``{"<PHONE>": 2}``; tokens already present in the input are not counted.
    """
    masked = mask(text)
    if masked == text:
        return text, {}
    counts: dict[str, int] = {}
    for token in PII_TOKENS:
        n = masked.count(token)
        if n:
            n -= text.count(token)
            if n > 0:
                counts[token] = n
    return masked, counts
