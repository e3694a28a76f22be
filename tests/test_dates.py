import math
from datetime import datetime, timezone

import pandas as pd
import pytest

from voc.io.dates import parse_datetime, parse_datetimes


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024-03-05", "2024-03-05 00:00:00"),
        ("2024-03-05 10:02:03", "2024-03-05 10:02:03"),
        ("2024-03-05T10:02:00", "2024-03-05 10:02:00"),
        ("2024-03-05T02:02:00Z", "2024-03-05 10:02:00"),  # UTC -> China time
        ("2024-03-05T10:02:00+08:00", "2024-03-05 10:02:00"),
        ("2024/3/5 10:02", "2024-03-05 10:02:00"),
        ("2024/03/05", "2024-03-05 00:00:00"),
        ("2024.3.5", "2024-03-05 00:00:00"),
        ("2024年3月5日", "2024-03-05 00:00:00"),
        ("2024年3月5日 10:02", "2024-03-05 10:02:00"),
        ("2024年3月5日 10时2分", "2024-03-05 10:02:00"),
        ("20240305", "2024-03-05 00:00:00"),
        (45356, "2024-03-05 00:00:00"),  # Excel serial date
        (45356.5, "2024-03-05 12:00:00"),
        ("45356.5", "2024-03-05 12:00:00"),
        (1709604000, "2024-03-05 10:00:00"),  # epoch seconds (UTC 02:00)
        ("1709604000", "2024-03-05 10:00:00"),
        (1709604000123, "2024-03-05 10:00:00"),  # epoch milliseconds
        (datetime(2024, 3, 5, 10, 2), "2024-03-05 10:02:00"),
        (datetime(2024, 3, 5, 2, 2, tzinfo=timezone.utc), "2024-03-05 10:02:00"),
        (pd.Timestamp("2024-03-05 10:02"), "2024-03-05 10:02:00"),
    ],
)
def test_date_forms_parse_to_china_time(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize("value", ["昨天下午", "2024-13-01", "2024-02-30", "", None, 3.5, math.nan, True, "abc", "1899-01-01"])
def test_non_dates_are_none(value):
    assert parse_datetime(value) is None


def test_vectorised_parse_matches_scalar():
    s = pd.Series(["2024/3/5 10:02", None, 45356, "昨天", "2024/3/5 10:02"])
    assert parse_datetimes(s).tolist() == ["2024-03-05 10:02:00", None, "2024-03-05 00:00:00", None, "2024-03-05 10:02:00"]
