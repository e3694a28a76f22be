"""Map the headers of real e-commerce exports onto our record fields.

Matching is on a normalised header (lower case, no spaces, underscores, dashes or
brackets): exact aliases first, then, for the longer Chinese aliases, containment
(``评论内容（文字）`` still finds ``评论内容``). ``--map FIELD=COLUMN`` overrides.
Columns that map to no field are kept, not dropped (``extra``).
"""

from __future__ import annotations

import re

from voc.errors import InputError

# Field -> aliases, in priority order (the first alias present wins).
ALIASES: dict[str, tuple[str, ...]] = {
    "text": (
        "评论内容", "评价内容", "初评内容", "首评内容", "内容", "评论", "评价", "反馈内容", "反馈",
        "用户评论", "用户评价", "评语", "留言", "心得", "买家评论", "买家评价", "意见反馈", "反馈意见", "用户反馈",
        "问题描述", "评论文本", "评价文本", "文本", "意见",
        "content", "comment", "comments", "review", "reviewtext", "reviewcontent", "text", "body",
        "commentcontent", "feedback", "message",
    ),
    "rating": (
        "评分", "星级", "评星", "打分", "商品评分", "评价星级", "星数", "分数", "得分", "打星", "星级评分",
        "评分15", "评分1到5", "星级15",
        "rating", "stars", "star", "starrating", "score", "reviewrating",
    ),
    "nps_score": (
        "推荐意愿", "推荐度", "推荐分", "推荐指数", "推荐可能性", "净推荐值", "nps", "npsscore",
        "likelihoodtorecommend", "recommendscore", "recommend",
    ),
    "csat": ("满意度", "满意度评分", "csat", "satisfaction"),
    "created_at": (
        "评论时间", "评价时间", "评论日期", "评价日期", "发表时间", "发布时间", "提交时间", "创建时间",
        "提交日期", "反馈时间", "反馈日期", "留言时间", "咨询时间",
        "日期", "时间", "createdat", "created", "createtime", "date", "time", "datetime", "timestamp",
        "reviewtime", "reviewdate", "commenttime", "commentdate", "postedat",
    ),
    "product": (
        "型号", "机型", "商品型号", "规格型号", "产品型号", "商品名称", "宝贝名称", "产品名称", "商品名",
        "产品", "商品", "宝贝", "model", "productmodel", "product", "productname", "itemname", "item",
        "goods", "goodsname", "sku", "skuname", "skuid",
    ),
    "channel": ("平台", "渠道", "来源", "来源渠道", "销售渠道", "店铺", "channel", "source", "platform", "store", "shop"),
    "review_id": ("评论id", "评价id", "评论编号", "评价编号", "reviewid", "commentid", "id", "编号"),
    "order_id": ("订单号", "订单编号", "订单id", "orderid", "orderno", "ordernumber", "order"),
    "followup_text": ("追评", "追评内容", "追加评论", "追加评价", "追加内容", "followup", "followuptext", "appendcomment", "additionalcomment"),
    "followup_at": ("追评时间", "追评日期", "追加时间", "追加评论时间", "followupat", "followuptime", "followupdate"),
    "parent_review_id": ("原评论id", "父评论id", "主评id", "parentid", "parentreviewid"),
    "merchant_reply": ("商家回复", "卖家回复", "店家回复", "掌柜回复", "商家回评", "回复", "回复内容", "reply", "merchantreply", "sellerreply", "shopreply"),
    "user": ("用户名", "昵称", "买家", "买家昵称", "会员名", "用户昵称", "用户", "user", "username", "nickname", "userid", "buyer"),
}
FIELDS = tuple(ALIASES)
_NORM = re.compile(r"[\s_\-()（）\[\]【】:：/\\.·]+")


def norm_header(h: object) -> str:
    return _NORM.sub("", str(h).replace("\ufeff", "")).lower()


def parse_map_options(items: list[str] | None) -> dict[str, str]:
    """``["text=评价", "rating=星"]`` -> {field: column}; unknown fields are an error."""
    out: dict[str, str] = {}
    for item in items or []:
        field, sep, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise InputError(f"--map '{item}' is not FIELD=COLUMN")
        if field not in ALIASES:
            raise InputError(f"--map: unknown field '{field}' (known: {', '.join(FIELDS)})")
        out[field] = column
    return out


def map_columns(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Return {field: header} for the fields found among ``headers``."""
    overrides = overrides or {}
    normed = {norm_header(h): h for h in reversed(headers)}  # first occurrence wins
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for field, column in overrides.items():
        if column not in headers:
            match = normed.get(norm_header(column))
            if match is None:
                raise InputError(f"--map {field}={column}: no column '{column}' (columns: {', '.join(map(str, headers))})")
            column = match
        mapping[field] = column
        used.add(column)
    for exact in (True, False):
        for field, aliases in ALIASES.items():
            if field in mapping:
                continue
            for alias in aliases:
                if exact:
                    h = normed.get(alias)
                else:
                    if len(alias) < 3 or alias.isascii():
                        continue
                    h = next((orig for n, orig in normed.items() if alias in n and orig not in used), None)
                if h is not None and h not in used:
                    mapping[field] = h
                    used.add(h)
                    break
    return mapping
