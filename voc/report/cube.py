"""Grouped counts read from the store in a few passes; everything else is arithmetic.

A report needs counts for the period (by product, channel, topic, kind of score ...)
and for many earlier days (trends, baselines, back-filled weeks). Rather than one
query per figure, a few grouped scans of the store read everything once:

* :class:`DayCube` (``Store.day_classes``): per day, all records, analysed records,
  P/A/D of each kind of score, and safety reports per product, over the whole window;
* :class:`PeriodCube` (``Store.period_classes``): the period's records by product,
  channel, kind, classes, sentiment and safety;
* :class:`PeriodTopics` (``Store.period_mentions``): the period's topic mentions by
  topic, product, polarity, classes and safety;
* the series of findings (``Store.day_volumes``, ``Store.day_mentions``:
  :class:`voc.findings.series.Counts`).

Results are small (days x classes, topics x products), never one row per record, so
a million records cost a few scans and a few thousand Python tuples.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from voc.report.metrics import KINDS, NpsQuery, NpsValue
from voc.store import Store
from voc.store.rows import split_hazards


def _day(d: date) -> str:
    return d.isoformat()


@dataclass
class DayCube:
    """Daily volumes, score classes and safety reports over ``[lo, hi)``."""

    lo: date
    hi: date
    volume: dict[str, int] = field(default_factory=dict)
    analyzed: dict[str, int] = field(default_factory=dict)
    classes: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (day, kind, P/A/D)
    safety: dict[tuple[str, str], int] = field(default_factory=dict)  # (day, product)
    safety_classes: dict[tuple[str, str, str, str, str], int] = field(
        default_factory=dict
    )  # (day, product, hazard, kind, c): a report of two hazards under each
    safety_product_classes: dict[tuple[str, str, str, str], int] = field(
        default_factory=dict
    )  # (day, product, kind, c): each report once

    def covers(self, start: date, end: date) -> bool:
        return self.lo <= start and end <= self.hi

    def days(self, start: date, end: date) -> list[str]:
        return [_day(start + timedelta(days=i)) for i in range((end - start).days)]

    def nps(self, start: date, end: date, min_n: int) -> dict[str, NpsValue]:
        counts = {k: [0, 0, 0] for k in KINDS}
        for d in self.days(start, end):
            for kind in KINDS:
                for i, c in enumerate("PAD"):
                    counts[kind][i] += self.classes.get((d, kind, c), 0)
        return {k: NpsValue(k, *v, min_n=min_n) for k, v in counts.items()}

    def safety_nps(self, start: date, end: date, kind: str, min_n: int, *,
                   by_hazard: bool = False) -> dict:
        """product -> P/A/D of ``kind`` among its safety reports in ``[start, end)``;
        ``by_hazard``: (hazard, product) -> those of each hazard (smoke, swelling ...), so
        that each safety finding has the impact of its own reports."""
        days = set(self.days(start, end))
        acc: dict = {}
        if by_hazard:
            for (d, product, hazard, k, c), n in self.safety_classes.items():
                if k == kind and d in days:
                    acc.setdefault((hazard, product), [0, 0, 0])["PAD".index(c)] += n
        else:
            for (d, product, k, c), n in self.safety_product_classes.items():
                if k == kind and d in days:
                    acc.setdefault(product, [0, 0, 0])["PAD".index(c)] += n
        return {key: NpsValue(kind, *v, min_n=min_n) for key, v in acc.items()}

    def analyzed_between(self, start: date, end: date) -> int:
        return sum(self.analyzed.get(d, 0) for d in self.days(start, end))

    def total_between(self, start: date, end: date) -> int:
        return sum(self.volume.get(d, 0) for d in self.days(start, end))


def read_day_cube(store: Store, query: NpsQuery, lo: date, hi: date) -> DayCube:
    """One grouped scan of the store for ``lo <= day < hi``."""
    cube = DayCube(lo, hi)
    volume: dict[str, int] = defaultdict(int)
    analyzed: dict[str, int] = defaultdict(int)
    classes: dict[tuple[str, str, str], int] = defaultdict(int)
    safety: dict[tuple[str, str], int] = defaultdict(int)
    safety_classes: dict[tuple[str, str, str, str, str], int] = defaultdict(int)
    product_classes: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for day, an, cn, cs, ce, sp, n, hazard in store.day_classes(f"{lo} 00:00:00", f"{hi} 00:00:00", query.stars):
        volume[day] += n
        if an:
            analyzed[day] += n
        for kind, c in zip(KINDS, (cn, cs, ce), strict=False):
            if c:
                classes[(day, kind, c)] += n
        if sp is not None:
            safety[(day, sp)] += n
            for kind, c in zip(KINDS, (cn, cs, ce), strict=False):
                if c:
                    product_classes[(day, sp, kind, c)] += n
                    for one in split_hazards(hazard):  # a report of two hazards counts under each
                        safety_classes[(day, sp, one, kind, c)] += n
    cube.volume, cube.analyzed, cube.classes = dict(volume), dict(analyzed), dict(classes)
    cube.safety, cube.safety_classes = dict(safety), dict(safety_classes)
    cube.safety_product_classes = dict(product_classes)
    return cube


PERIOD_COLUMNS = {"product": 0, "channel": 1, "kind": 2}


@dataclass(frozen=True)
class PeriodCube:
    """The period's records: (product, channel, kind, cn, cs, ce, sentiment, safety, analysed) -> n."""

    rows: tuple[
        tuple[str, str, str, str | None, str | None, str | None, str | None, int, int, int], ...
    ]

    def nps_all(self, min_n: int) -> dict[str, NpsValue]:
        counts = {k: [0, 0, 0] for k in KINDS}
        for row in self.rows:
            for kind, c in zip(KINDS, row[3:6], strict=False):
                if c:
                    counts[kind]["PAD".index(c)] += row[9]
        return {k: NpsValue(k, *v, min_n=min_n) for k, v in counts.items()}

    def grouped_nps(self, column: int, min_n: int) -> dict[str, dict[str, NpsValue]]:
        acc: dict[str, dict[str, list[int]]] = {}
        for row in self.rows:
            slot = acc.setdefault(row[column], {k: [0, 0, 0] for k in KINDS})
            for kind, c in zip(KINDS, row[3:6], strict=False):
                if c:
                    slot[kind]["PAD".index(c)] += row[9]
        return {
            g: {k: NpsValue(k, *v, min_n=min_n) for k, v in kinds.items()}
            for g, kinds in acc.items()
        }

    def total(self) -> int:
        return sum(r[9] for r in self.rows)

    def count_by(self, column: int) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for row in self.rows:
            out[row[column]] += row[9]
        return dict(out)


def read_period_cube(store: Store, query: NpsQuery, start_ts: str, end_ts: str) -> PeriodCube:
    return PeriodCube(tuple(tuple(r) for r in store.period_classes(start_ts, end_ts, query.stars)))  # type: ignore[misc]


@dataclass(frozen=True)
class PeriodTopics:
    """The period's topic mentions: (topic, product, polarity, cn, cs, ce, safety) -> n."""

    rows: tuple[tuple[str, str, str, str | None, str | None, str | None, int, int], ...]

    def mentions(self) -> dict[tuple[str, str], tuple[int, int, int]]:
        """(topic, product) -> (all mentions, negative, positive)."""
        acc: dict[tuple[str, str], list[int]] = {}
        for t, p, pol, *_rest, n in self.rows:
            slot = acc.setdefault((t, p), [0, 0, 0])
            slot[0] += n
            slot[1] += n if pol == "neg" else 0
            slot[2] += n if pol == "pos" else 0
        return {k: (a, b, c) for k, (a, b, c) in acc.items()}

    def by_topic(self) -> dict[str, tuple[int, int, int]]:
        acc: dict[str, list[int]] = {}
        for (t, _p), counts in self.mentions().items():
            slot = acc.setdefault(t, [0, 0, 0])
            for i in range(3):
                slot[i] += counts[i]
        return {k: (a, b, c) for k, (a, b, c) in acc.items()}

    def safety_topics(self) -> dict[tuple[str, str], list[tuple[str, int]]]:
        """(hazard, product) -> [(topic, safety records mentioning it)], most first (ties by topic id)."""
        acc: dict[tuple[str, str], dict[str, int]] = {}
        for t, p, _pol, _cn, _cs, _ce, hazards, n in self.rows:
            if hazards:
                for hazard in split_hazards(hazards):  # a report of two hazards counts under each
                    acc.setdefault((hazard, p), {}).setdefault(t, 0)
                    acc[(hazard, p)][t] += n
        return {k: sorted(ts.items(), key=lambda kv: (-kv[1], kv[0])) for k, ts in acc.items()}

    def negative_classes(self, kind: str, *, by_product: bool) -> dict[tuple[str, ...], list[int]]:
        """P/A/D counts of ``kind`` among the negative mentions, by topic (and product)."""
        col = 3 + KINDS.index(kind)
        acc: dict[tuple[str, ...], list[int]] = {}
        for row in self.rows:
            c = row[col]
            if row[2] != "neg" or not c:
                continue
            key = (row[0], row[1]) if by_product else (row[0],)
            acc.setdefault(key, [0, 0, 0])["PAD".index(c)] += row[7]
        return acc


def read_period_topics(store: Store, query: NpsQuery, start_ts: str, end_ts: str) -> PeriodTopics:
    return PeriodTopics(tuple(tuple(r) for r in store.period_mentions(start_ts, end_ts, query.stars)))  # type: ignore[misc]
