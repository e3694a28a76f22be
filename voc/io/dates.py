"""Dates in the forms real exports use, parsed to naive China time strings.

Accepted: ISO 8601 (``2024-03-05``, ``2024-03-05T10:02:00``, with ``Z`` or an offset,
converted to China time), ``2024/3/5 10:02``, ``2024.3.5``, ``2024年3月5日 10时2分``,
``20240305``, Excel serial dates (``45356.42``), epoch seconds and milliseconds (UTC,
converted to China time), and ``datetime``/``date`` objects. Output is
``YYYY-MM-DD HH:MM:SS``; anything else is ``None`` (the caller decides what that means).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone

import pandas as pd

CST = timezone(timedelta(hours=8))
FORMAT = "%Y-%m-%d %H:%M:%S"
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1990, 2100

_YMD = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*[T ]?\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})?\s*(?:[:分]\s*(\d{1,2}(?:\.\d+)?)?\s*秒?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\s*(\d{2}):?(\d{2}):?(\d{2})?)?\s*$")
_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")


def _valid(dt: datetime) -> bool:
    return _MIN_YEAR <= dt.year <= _MAX_YEAR


def _from_number(x: float) -> datetime | None:
    if math.isnan(x) or x <= 0:
        return None
    if 1e12 <= x < 1e14:  # epoch milliseconds
        return datetime.fromtimestamp(x / 1000, tz=CST).replace(tzinfo=None)
    if 1e8 <= x < 1e11:  # epoch seconds
        return datetime.fromtimestamp(x, tz=CST).replace(tzinfo=None)
    if 20000 <= x < 80000:  # Excel serial date (1954..2119)
        return _EXCEL_EPOCH + timedelta(days=x)
    if 19900101 <= x <= 21001231 and float(x).is_integer():
        return _from_string(str(int(x)))
    return None


def _from_string(s: str) -> datetime | None:
    s = s.strip()
    if not s:
        return None
    m = _YMD.match(s)
    if m:
        y, mo, d, hh, mi, ss, tz = m.groups()
        try:
            sec = float(ss) if ss else 0.0
            dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(sec))
        except ValueError:
            return None
        if tz:
            if tz == "Z":
                offset = timedelta(0)
            else:
                sign = -1 if tz[0] == "-" else 1
                digits = tz[1:].replace(":", "")
                offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            dt = (dt - offset + timedelta(hours=8)).replace(tzinfo=None)
        return dt
    m = _COMPACT.match(s)
    if m:
        y, mo, d, hh, mi, ss = m.groups()
        try:
            return datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
        except ValueError:
            return None
    if _NUMBER.match(s):
        return _from_number(float(s))
    return None


def parse_datetime(value) -> str | None:
    """One value to ``YYYY-MM-DD HH:MM:SS`` (China time), or None if it is not a date."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        dt = value
        if dt.tzinfo is not None:
            dt = dt.astimezone(CST).replace(tzinfo=None)
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, bool):
        return None
    elif isinstance(value, (int, float)):
        dt = _from_number(float(value))
    elif isinstance(value, str):
        dt = _from_string(value)
    else:
        return None
    if dt is None or not _valid(dt):
        return None
    return dt.strftime(FORMAT)


def parse_datetimes(values: pd.Series) -> pd.Series:
    """Vectorised :func:`parse_datetime` with a cache: exports repeat timestamps a lot."""
    cache: dict = {}
    out = []
    for v in values.tolist():
        key = (type(v), v) if not isinstance(v, float) or not math.isnan(v) else None
        if key is None:
            out.append(None)
            continue
        try:
            r = cache[key]
        except KeyError:
            r = cache[key] = parse_datetime(v)
        except TypeError:  # unhashable
            r = parse_datetime(v)
        out.append(r)
    return pd.Series(out, index=values.index, dtype=object)
