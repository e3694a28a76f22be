"""Reporting periods: ISO weeks (``2026-W47``, ``last``) or explicit date ranges.

Times are China Standard Time, stored naive (DESIGN.md). A period is half-open:
``start <= created_at < end``, compared as ``YYYY-MM-DD HH:MM:SS`` strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from voc.errors import VocError

CST = timezone(timedelta(hours=8))
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


class PeriodError(VocError):
    """A --week/--since/--until value that cannot be understood."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive
    label: str

    @property
    def start_ts(self) -> str:
        return f"{self.start.isoformat()} 00:00:00"

    @property
    def end_ts(self) -> str:
        return f"{self.end.isoformat()} 00:00:00"

    @property
    def is_week(self) -> bool:
        return _WEEK.match(self.label) is not None

    def shift_weeks(self, n: int) -> Period:
        """The period n weeks earlier (n > 0) or later (n < 0), same length."""
        delta = timedelta(weeks=n)
        start, end = self.start - delta, self.end - delta
        return Period(start, end, week_label(start) if self.is_week else f"{start}..{end - timedelta(days=1)}")

    def contains(self, ts: str | None) -> bool:
        return ts is not None and self.start_ts <= ts < self.end_ts


def today_cst() -> date:
    return datetime.now(CST).date()


def week_label(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def week_start(d: date) -> date:
    return d - timedelta(days=d.isoweekday() - 1)


def iso_week(label: str) -> Period:
    m = _WEEK.match(label.strip())
    if not m:
        raise PeriodError(f"--week '{label}' is not an ISO week like 2026-W47 (or 'last')")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        start = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(f"--week '{label}': {year} has no week {week}") from None
    return Period(start, start + timedelta(days=7), f"{year}-W{week:02d}")


def last_complete_week(today: date | None = None) -> Period:
    """The last ISO week that has fully ended (China time)."""
    today = today or today_cst()
    return iso_week(week_label(week_start(today) - timedelta(days=7)))


def _parse_day(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise PeriodError(f"{flag} '{value}' is not a date like 2026-11-16") from None


def resolve_period(
    week: str | None = None,
    since: str | None = None,
    until: str | None = None,
    *,
    today: date | None = None,
    latest: str | None = None,
) -> Period:
    """Turn CLI options into a Period.

    ``week='last'`` is the last complete ISO week; ``week='latest'`` is the ISO week of
    ``latest`` (the newest record in the store), handy for historical data sets.
    ``--since/--until`` are inclusive days.
    """
    if since or until:
        if week:
            raise PeriodError("use either --week or --since/--until, not both")
        if not (since and until):
            raise PeriodError("--since and --until go together")
        s, u = _parse_day(since, "--since"), _parse_day(until, "--until")
        if u < s:
            raise PeriodError(f"--until {u} is before --since {s}")
        return Period(s, u + timedelta(days=1), f"{s}..{u}")
    if not week or week == "last":
        return last_complete_week(today)
    if week == "latest":
        if not latest:
            raise PeriodError("the store has no dated records: no 'latest' week")
        return iso_week(week_label(date.fromisoformat(latest[:10])))
    return iso_week(week)
