"""Parsers for the values exports put in cells: star ratings, survey scores, default texts."""

from __future__ import annotations

import math
import re

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:星|颗星|分|stars?|points?|pts?)?\s*(?:/\s*(\d+))?\s*$", re.I)
_CN = re.compile(r"^\s*([零一二两三四五六七八九十])\s*(?:星|颗星|分)\s*$")


class ValueProblem(ValueError):
    """A cell that is present but not a valid value; the message is the reject reason."""


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _number(v) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    stars = s.count("★")
    if stars and set(s) <= {"★", "☆", " "}:
        return float(stars)
    m = _NUM.match(s)
    if m:
        x = float(m.group(1))
        if m.group(2):  # "4/5" or "8/10": keep the scale the caller expects
            return x / float(m.group(2)) if float(m.group(2)) else None
        return x
    m = _CN.match(s)
    if m:
        return float(_CN_DIGITS[m.group(1)])
    return None


def parse_rating(v) -> int | None:
    """Star rating 1–5 from 4, 4.0, "4", "4星", "四星", "★★★★☆", "4/5"; blank -> None."""
    if _is_blank(v):
        return None
    s = str(v)
    x = _number(v)
    if x is not None and "/" in s:
        x = x * 5
    if x is None or not (1 <= x <= 5) or abs(x - round(x)) > 1e-9:
        raise ValueProblem(f"rating '{str(v).strip()[:20]}' is not a star rating 1–5")
    return int(round(x))


def parse_nps(v) -> int | None:
    """Survey score 0–10 ("9", 9.0, "9分", "9/10"); blank -> None."""
    if _is_blank(v):
        return None
    s = str(v)
    x = _number(v)
    if x is not None and "/" in s:
        x = x * 10
    if x is None or not (0 <= x <= 10) or abs(x - round(x)) > 1e-9:
        raise ValueProblem(f"survey score '{str(v).strip()[:20]}' is not 0–10")
    return int(round(x))


def parse_csat(v) -> float | None:
    if _is_blank(v):
        return None
    x = _number(v)
    if x is None or not (0 <= x <= 10):
        raise ValueProblem(f"satisfaction '{str(v).strip()[:20]}' is not a number 0–10")
    return x


def cell_text(v) -> str:
    """A cell as text: blank -> '', floats that are integers without '.0'."""
    if type(v) is str:
        return v.strip()
    if _is_blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# Texts the platform writes when the customer wrote nothing.
_PLATFORM_DEFAULT = re.compile(
    r"^[\s\"'“”]*(?:"
    r"(?:此|该)?用户(?:未|没有)(?:填写|及时|做出|留下)?(?:文字)?(?:评价|评论)(?:内容)?"
    r"|(?:评价方|买家|用户)?(?:未及时做出评价|未及时评价|未评价)[,，]?\s*系统默认(?:好评|评价)"
    r"|系统默认(?:好评|评价)"
    r"|默认好评"
    r"|(?:此|该)用户(?:觉得|认为)商品(?:较好|非常好|很好|不错)[,，]?\s*(?:给出了|给了)?(?:好评|默认好评)"
    r"|好评[!！]?\s*系统默认"
    r")[\s!！。.~]*$"
)


def is_platform_default(text: str) -> bool:
    """True for texts the platform filled in by itself ("此用户未填写评价内容", "系统默认好评")."""
    return len(text) <= 60 and bool(_PLATFORM_DEFAULT.match(text))
