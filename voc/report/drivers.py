"""Driver analysis: how many NPS points does each defect cost?

For a group of feedback G (the records that mention a topic negatively, or a
topic x product finding), the impact is::

    impact(G) = NPS(all feedback except G) - NPS(all feedback)

in points of the chosen kind of score. A positive impact is what fixing the defect
could win back, if those customers became as satisfied as the rest.

Uncertainty: a bootstrap with a fixed seed. Every record falls into one of six cells
(in G or not, times promoter/passive/detractor), so resampling the records is exactly
resampling the six cell counts from a multinomial; ``n_boot`` resamples give a
percentile 95% interval without touching a single record in Python. The counts come
from the grouped scans of :mod:`voc.report.cube`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date

import numpy as np

from voc.findings.model import Impact
from voc.report.cube import PeriodTopics, read_day_cube, read_period_topics
from voc.report.metrics import NpsQuery, NpsValue
from voc.store import Store

N_BOOT = 2000
SEED = 20261116


def _nps(p: np.ndarray, d: np.ndarray, n: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, 100.0 * (p - d) / np.maximum(n, 1), np.nan)


def impact(
    total: NpsValue, group: NpsValue, *, n_boot: int = N_BOOT, seed: int = SEED, key: Hashable = ""
) -> Impact:
    """The impact of ``group`` (a subset of ``total``, same kind) with a bootstrap interval.

    The random stream depends only on ``seed`` and the counts resampled, so each
    group's interval is reproducible whatever else is in the report, and one group
    reached under two names (a topic's row and its finding across products) has one
    interval. ``key`` names the group in errors.
    """
    kind = total.kind
    if not total.sufficient or group.n == 0 or group.n > total.n:
        return Impact(kind, group.n, None, None, None, None)
    cells = np.array(
        [
            group.promoters,
            group.passives,
            group.detractors,
            total.promoters - group.promoters,
            total.passives - group.passives,
            total.detractors - group.detractors,
        ],
        dtype=float,
    )
    if (cells < 0).any():
        raise ValueError(f"group {key!r} is not a subset of the total")
    n = int(cells.sum())
    rest = cells[3:]
    point_all = _nps(np.array(total.promoters), np.array(total.detractors), np.array(n))
    point_wo = _nps(rest[0:1], rest[2:3], rest.sum(keepdims=True))
    value = float(point_wo[0] - point_all)
    if not np.isfinite(value):
        return Impact(kind, group.n, None, None, None, None)
    rng = np.random.default_rng([seed, *(int(c) for c in cells)])
    draws = rng.multinomial(n, cells / n, size=n_boot).astype(float)
    all_p, all_d = draws[:, 0] + draws[:, 3], draws[:, 2] + draws[:, 5]
    boot = _nps(draws[:, 3], draws[:, 5], draws[:, 3:].sum(axis=1)) - _nps(
        all_p, all_d, np.full(n_boot, n)
    )
    boot = boot[np.isfinite(boot)]
    low, high = (float(x) for x in np.percentile(boot, [2.5, 97.5])) if boot.size else (None, None)
    return Impact(
        kind,
        group.n,
        round(float(point_wo[0]), 1),
        round(value, 1),
        round(low, 1) if low is not None else None,
        round(high, 1) if high is not None else None,
    )


def group_values(
    topics: PeriodTopics,
    safety: Mapping[str, NpsValue],
    kind: str,
    min_n: int,
    *,
    by_product: bool = False,
) -> dict[tuple[str, ...], NpsValue]:
    """Counts of ``kind`` among records mentioning each topic negatively.

    Keys are ``(topic,)`` or, with ``by_product``, ``(topic, product)``; plus
    ``('safety',)`` / ``('safety', product)`` for the safety reports (``safety`` maps
    product -> their values, see :meth:`voc.report.cube.DayCube.safety_nps`).
    """
    out = {
        k: NpsValue(kind, *v, min_n=min_n)
        for k, v in topics.negative_classes(kind, by_product=by_product).items()
    }
    if by_product:
        out.update({("safety", p): v for p, v in safety.items()})
    elif safety:
        vals = list(safety.values())
        out[("safety",)] = NpsValue(kind, sum(v.promoters for v in vals), sum(v.passives for v in vals),
                                    sum(v.detractors for v in vals), min_n)  # fmt: skip
    return out


def group_counts(
    store: Store, query: NpsQuery, kind: str, start: str, end: str, *, by_product: bool = False
) -> dict[tuple[str, ...], NpsValue]:
    """:func:`group_values` read from the store for ``start <= created_at < end`` (whole days)."""
    lo, hi = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    topics = read_period_topics(store, query, start, end)
    safety = read_day_cube(store, query, lo, hi).safety_nps(lo, hi, kind, query.min_n)
    return group_values(topics, safety, kind, query.min_n, by_product=by_product)


def impacts(
    total: NpsValue,
    groups: Mapping[tuple[str, ...], NpsValue],
    *,
    n_boot: int = N_BOOT,
    seed: int = SEED,
) -> dict[tuple[str, ...], Impact]:
    """:func:`impact` for every group."""
    return {key: impact(total, g, n_boot=n_boot, seed=seed, key=key) for key, g in groups.items()}
