"""NPS-style metrics: true NPS, the star-rating proxy and the sentiment proxy.

Three kinds of score, never mixed:

``nps``
    True Net Promoter Score from 0-10 survey answers: promoters 9-10, passives 7-8,
    detractors 0-6. Over the records that carry an ``nps_score``.
``stars``
    A *proxy* from 1-5 star ratings (default: 5 promoter, 4 passive, 1-3 detractor;
    configurable with :class:`RatingMapping`). Over the records that carry a ``rating``.
``sentiment``
    A *proxy* from the analysed sentiment (positive promoter, neutral passive, negative
    detractor), only over the feedback that has neither score.

Each value is ``100 * (P - D) / n`` with a 95% margin of error from the multinomial
variance of ``%P - %D``::

    moe95 = 1.96 * sqrt((p + d - (p - d)**2) / n) * 100      (p, d as fractions)

Below ``min_n`` a value is *insufficient*: reported as ``None``, never as a number.
All counting happens in SQL (one scan per query, grouped), so a million records cost
one pass and no Python objects per record.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from voc.period import Period
from voc.store import Store

KINDS = ("nps", "stars", "sentiment")
Z95 = 1.96
DEFAULT_MIN_N = 30


@dataclass(frozen=True)
class RatingMapping:
    """How 1-5 star ratings map onto promoters, passives and detractors (the proxy)."""

    promoters: tuple[int, ...] = (5,)
    passives: tuple[int, ...] = (4,)
    detractors: tuple[int, ...] = (1, 2, 3)

    def __post_init__(self) -> None:
        seen = [*self.promoters, *self.passives, *self.detractors]
        if len(seen) != len(set(seen)) or not all(isinstance(s, int) and 1 <= s <= 5 for s in seen):
            groups = "/".join(",".join(map(str, g)) for g in (self.promoters, self.passives, self.detractors))
            raise ValueError(f"each star 1..5 may be in one group only, got {groups} (promoters/passives/detractors)")

    def describe(self, lang: str = "zh") -> str:
        """``5=推荐 4=中立 1-3=贬损`` (``5=promoter 4=passive 1-3=detractor``), and the
        stars left out, if any."""
        def stars(group: tuple[int, ...]) -> str:
            s = sorted(group)
            if len(s) > 1 and s == list(range(s[0], s[-1] + 1)):
                return f"{s[0]}-{s[-1]}"
            return ",".join(map(str, s))

        names = ("推荐", "中立", "贬损") if lang == "zh" else ("promoter", "passive", "detractor")
        parts = [f"{stars(g)}={n}" for g, n in zip((self.promoters, self.passives, self.detractors), names) if g]
        left = sorted(set(range(1, 6)) - {*self.promoters, *self.passives, *self.detractors})
        if left:
            parts.append(("不计：" if lang == "zh" else "not counted: ") + ",".join(map(str, left)))
        return " ".join(parts)

    @classmethod
    def parse(cls, text: str) -> RatingMapping:
        """Parse ``'5/4/1-3'`` (promoters/passives/detractors; ranges and commas allowed)."""
        parts = text.split("/")
        if len(parts) != 3:
            raise ValueError(
                f"rating mapping '{text}' is not PROMOTERS/PASSIVES/DETRACTORS like 5/4/1-3"
            )
        groups = []
        for part in parts:
            stars: list[int] = []
            for item in filter(None, (s.strip() for s in part.split(","))):
                lo, _, hi = item.partition("-")
                stars.extend(range(int(lo), int(hi or lo) + 1))
            groups.append(tuple(stars))
        return cls(*groups)


@dataclass(frozen=True)
class NpsValue:
    """One NPS-style figure: counts, the value and its 95% margin of error."""

    kind: str
    promoters: int
    passives: int
    detractors: int
    min_n: int = DEFAULT_MIN_N

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def sufficient(self) -> bool:
        return self.n >= max(self.min_n, 1)

    @property
    def raw(self) -> float | None:
        """Unrounded NPS (whatever n), or None when n is 0."""
        if self.n == 0:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.n

    @property
    def raw_moe(self) -> float | None:
        """Unrounded 95% margin of error in NPS points, or None when n is 0."""
        if self.n == 0:
            return None
        p, d = self.promoters / self.n, self.detractors / self.n
        var = max(p + d - (p - d) ** 2, 0.0)
        return Z95 * math.sqrt(var / self.n) * 100.0

    @property
    def value(self) -> float | None:
        """NPS rounded to 0.1 point; None when insufficient."""
        raw = self.raw
        return round(raw, 1) if raw is not None and self.sufficient else None

    @property
    def moe95(self) -> float | None:
        moe = self.raw_moe
        return round(moe, 1) if moe is not None and self.sufficient else None

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "n": self.n,
            "moe95": self.moe95,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "insufficient": not self.sufficient,
        }


@dataclass(frozen=True)
class Delta:
    """Change of an NPS-style value against a reference, with the moe of the difference."""

    value: float | None
    moe95: float | None

    @property
    def significant(self) -> bool:
        return self.value is not None and self.moe95 is not None and abs(self.value) > self.moe95

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "moe95": self.moe95, "significant": self.significant}


def delta(now: NpsValue, ref: NpsValue) -> Delta:
    """now - ref; independent samples, so moe = sqrt(moe_now^2 + moe_ref^2)."""
    if not (now.sufficient and ref.sufficient):
        return Delta(None, None)
    assert (
        now.raw is not None
        and ref.raw is not None
        and now.raw_moe is not None
        and ref.raw_moe is not None
    )
    return Delta(round(now.raw - ref.raw, 1), round(math.hypot(now.raw_moe, ref.raw_moe), 1))


@dataclass(frozen=True)
class NpsSummary:
    """One kind of score for the period with its trend."""

    kind: str
    current: NpsValue
    prev_period: NpsValue
    baseline: NpsValue  # the previous 8 periods pooled
    baseline_periods: int = 8

    @property
    def vs_prev(self) -> Delta:
        return delta(self.current, self.prev_period)

    @property
    def vs_baseline(self) -> Delta:
        return delta(self.current, self.baseline)

    def to_json(self) -> dict[str, Any]:
        out = self.current.to_json()
        out["proxy"] = self.kind != "nps"
        out["previous"] = self.prev_period.to_json()
        out["baseline"] = self.baseline.to_json()
        out["baseline_periods"] = self.baseline_periods
        out["delta_previous"] = self.vs_prev.to_json()
        out["delta_baseline"] = self.vs_baseline.to_json()
        return out


@dataclass(frozen=True)
class NpsQuery:
    """How records are classified into P/A/D for each kind of score (the store counts them)."""

    mapping: RatingMapping = field(default_factory=RatingMapping)
    min_n: int = DEFAULT_MIN_N

    @property
    def stars(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        """The star mapping as the store takes it (promoters, passives, detractors)."""
        m = self.mapping
        return (tuple(m.promoters), tuple(m.passives), tuple(m.detractors))

    def empty(self) -> dict[str, NpsValue]:
        return {k: NpsValue(k, 0, 0, 0, self.min_n) for k in KINDS}

    # -- queries (one grouped scan each, see voc.report.cube) ---------------------------
    def overall(self, store: Store, start: str, end: str) -> dict[str, NpsValue]:
        """All kinds for ``start <= created_at < end``."""
        from voc.report.cube import read_period_cube

        return read_period_cube(store, self, start, end).nps_all(self.min_n)

    def grouped(
        self, store: Store, start: str, end: str, column: str
    ) -> dict[str, dict[str, NpsValue]]:
        """All kinds per value of ``column`` (``product``, ``channel`` or ``kind``), '' for empty."""
        from voc.report.cube import PERIOD_COLUMNS, read_period_cube

        if column not in PERIOD_COLUMNS:
            raise ValueError(f"cannot group NPS by '{column}'")
        return read_period_cube(store, self, start, end).grouped_nps(
            PERIOD_COLUMNS[column], self.min_n
        )

    def periodic(
        self, store: Store, period: Period, n_periods: int
    ) -> list[tuple[Period, dict[str, NpsValue]]]:
        """The ``n_periods`` periods ending with ``period`` (oldest first), each with all kinds."""
        from voc.report.cube import read_day_cube

        first = previous(period, n_periods - 1)
        return self.series(read_day_cube(store, self, first.start, period.end), period, n_periods)

    def series(
        self, cube: Any, period: Period, n_periods: int
    ) -> list[tuple[Period, dict[str, NpsValue]]]:
        """Like :meth:`periodic`, from a :class:`voc.report.cube.DayCube` that covers the periods."""
        periods = [previous(period, k) for k in range(n_periods - 1, -1, -1)]
        return [(p, cube.nps(p.start, p.end, self.min_n)) for p in periods]

    def summary(
        self, series: Sequence[tuple[Period, dict[str, NpsValue]]], baseline_periods: int = 8
    ) -> dict[str, NpsSummary]:
        """Current, previous and pooled-baseline values for every kind.

        ``series`` is :meth:`periodic` output (oldest first, the report period last);
        the baseline pools the ``baseline_periods`` periods before the last one.
        """
        if len(series) < baseline_periods + 1:
            raise ValueError(f"need {baseline_periods + 1} periods, got {len(series)}")
        series = series[-(baseline_periods + 1) :]
        current = series[-1][1]
        prev = series[-2][1]
        base: dict[str, NpsValue] = {}
        for kind in KINDS:
            p = sum(v[kind].promoters for _, v in series[:-1])
            a = sum(v[kind].passives for _, v in series[:-1])
            d = sum(v[kind].detractors for _, v in series[:-1])
            base[kind] = NpsValue(kind, p, a, d, self.min_n)
        return {k: NpsSummary(k, current[k], prev[k], base[k], baseline_periods) for k in KINDS}


def previous(period: Period, k: int = 1) -> Period:
    """The period ``k`` lengths before ``period`` (ISO weeks stay ISO weeks)."""
    if k == 0:
        return period
    days = (period.end - period.start).days
    if period.is_week:
        return period.shift_weeks(k)
    shift = timedelta(days=days * k)
    start, end = period.start - shift, period.end - shift
    return Period(start, end, f"{start}..{end - timedelta(days=1)}")


def primary_kind(values: dict[str, NpsValue]) -> str:
    """The kind that speaks for the period: true NPS if sufficient, else stars, else sentiment."""
    for kind in KINDS:
        if values[kind].sufficient:
            return kind
    return max(KINDS, key=lambda k: values[k].n)
