"""Findings: what the report asks an owner to act on, with volume, growth and priority.

A finding is one of:

``topic``
    a defect topic on one product (negative mentions), with at least
    ``max(min_count, min_share * volume)`` records in the period, or a significant
    burst (:func:`topic_bursts`: the same exact conditional test as ``voc emerging``,
    normalised by volume, Benjamini-Hochberg across all topic x product series), or an alarm of
    ``voc emerging`` on that topic x product;
``safety``
    every product with at least one safety report in the period (always P0), routed
    to the owner of the topic most of those reports mention (battery swelling goes to
    the battery team), else to the ``safety`` line of the owners file;
``emerging``
    an emerging-issue cluster alarm that does not coincide with a topic finding
    (same main topic and product), routed by its main topic or the ``emerging`` line.

Ids are stable: ``F-`` + 10 hex digits of a hash of kind, topic, product and cluster.
Statuses across periods are kept by :mod:`voc.report.loop`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from voc.emerging.burst import benjamini_hochberg, binom_sf
from voc.period import Period
from voc.report.cube import DayCube, DayTopics, PeriodTopics
from voc.report.drivers import Impact
from voc.report.routing import Owner, PriorityRule, Router

PRIORITIES = ("P0", "P1", "P2", "P3")
STATUS_ORDER = ("worsening", "new", "ongoing", "improving", "resolved")


@dataclass(frozen=True)
class FindingOptions:
    """Thresholds that make a topic x product a finding."""

    min_count: int = 10
    min_share: float = 0.001
    baseline_periods: int = 8
    burst_min_count: int = 5
    fdr: float = 0.05
    min_growth: float = 1.5
    min_excess: float = 3.0

    def threshold(self, volume: int) -> int:
        return max(self.min_count, math.ceil(self.min_share * volume))


@dataclass(frozen=True)
class Finding:
    """One routed finding for the period."""

    id: str
    kind: str  # topic | safety | emerging
    topic: str  # topic id, 'safety' or 'emerging'
    product: str  # '' when the finding spans products
    owner: Owner
    count: int
    volume: int
    priority: str = "P3"
    status: str = "new"
    points: int = 0
    negative_share: float | None = None
    safety: int = 0
    expected: float | None = None
    growth: float | None = None
    q_value: float | None = None
    burst: bool = False
    impact: Impact | None = None
    routed_topic: str = ""  # the topic used for routing (safety and emerging findings)
    cluster_id: str = ""
    emerging_id: str = ""  # the matching alarm of `voc emerging`, if any
    label: str = ""
    previous_count: int | None = None
    first_period: str = ""
    baseline_rate: float | None = None  # per 1000 analysed records before the period; None: no baseline data
    qualifies: bool = True  # False: tracked only because it was open before

    @property
    def share(self) -> float:
        return self.count / self.volume if self.volume else 0.0

    def sort_key(self) -> tuple[Any, ...]:
        return (
            PRIORITIES.index(self.priority),
            STATUS_ORDER.index(self.status),
            -self.count,
            self.id,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "topic": self.topic,
            "product": self.product,
            "owner": self.owner.name,
            "owner_team": self.owner.team,
            "owner_person": self.owner.person,
            "owner_contact": self.owner.contact,
            "priority": self.priority,
            "count": self.count,
            "status": self.status,
            "label": self.label,
            "routed_topic": self.routed_topic or self.topic,
            "share": round(self.share, 4),
            "negative_share": None
            if self.negative_share is None
            else round(self.negative_share, 3),
            "safety": self.safety,
            "baseline": None if self.expected is None else round(self.expected, 2),
            "growth": None if self.growth is None else round(self.growth, 2),
            "q_value": None if self.q_value is None else float(f"{self.q_value:.3g}"),
            "burst": self.burst,
            "points": self.points,
            "nps_impact": self.impact.to_json() if self.impact else None,
            "emerging_id": self.emerging_id or None,
            "previous_count": self.previous_count,
            "first_seen": self.first_period,
        }


def finding_id(kind: str, topic: str, product: str, cluster: str = "") -> str:
    digest = hashlib.sha1(f"{kind}|{topic}|{product}|{cluster}".encode()).hexdigest()
    return f"F-{digest[:10]}"


@dataclass
class Window:
    """Counts per bucket (oldest first; the last bucket is the period)."""

    volume: np.ndarray
    topic: dict[tuple[str, str], np.ndarray]
    mentions: dict[tuple[str, str], tuple[int, int]]  # period: (all mentions, negative)
    safety: dict[str, np.ndarray]
    safety_topics: dict[str, list[tuple[str, int]]]  # product -> [(topic, n)] most first

    @property
    def period_volume(self) -> int:
        return int(self.volume[-1])

    @property
    def baseline_volume(self) -> int:
        return int(self.volume[:-1].sum())


def buckets(period: Period, n_before: int) -> list[tuple[date, date]]:
    """``[start, end)`` of the ``n_before`` periods before ``period`` (oldest first), then ``period``."""
    days = timedelta(days=(period.end - period.start).days)
    return [(period.start - days * k, period.end - days * k) for k in range(n_before, -1, -1)]


def window_from(
    day_cube: DayCube,
    day_topics: DayTopics,
    period_topics: PeriodTopics,
    period: Period,
    baseline_periods: int,
) -> Window:
    """The counts findings need for ``period`` and its baseline, from the grouped scans."""
    spans = buckets(period, baseline_periods)
    if not day_cube.covers(spans[0][0], spans[-1][1]):
        raise ValueError(
            f"day cube {day_cube.lo}..{day_cube.hi} does not cover {spans[0][0]}..{spans[-1][1]}"
        )
    volume = np.array([day_cube.analyzed_between(a, b) for a, b in spans], dtype=float)
    index = {d: b for b, (lo, hi) in enumerate(spans) for d in day_cube.days(lo, hi)}
    safety: dict[str, np.ndarray] = {}
    for (day, product), n in day_cube.safety.items():
        b = index.get(day)
        if b is not None:
            safety.setdefault(product, np.zeros(len(spans)))[b] += n
    mentions = {k: (a, neg) for k, (a, neg, _pos) in period_topics.mentions().items()}
    return Window(volume, day_topics.series(spans), mentions, safety, period_topics.safety_topics())


@dataclass(frozen=True)
class BurstInfo:
    expected: float
    growth: float | None
    q_value: float
    significant: bool


def _dispersion(series: Sequence[np.ndarray], totals: np.ndarray, min_weekly: float = 3.0) -> float:
    """One overdispersion for all series (median Pearson chi2/df over busy baselines), >= 1."""
    keep = totals > 0
    estimates = []
    for s in series:
        c = s[keep]
        if c.size >= 3 and c.mean() >= min_weekly:
            exp = totals[keep] * (c.sum() / totals[keep].sum())
            estimates.append(float(np.sum((c - exp) ** 2 / np.maximum(exp, 0.5))) / (c.size - 1))
    return float(min(max(np.median(estimates), 1.0), 10.0)) if estimates else 1.0


def topic_bursts(window: Window, options: FindingOptions) -> dict[tuple[str, str], BurstInfo]:
    """The burst test for every topic x product series with enough records in the period.

    Exact conditional binomial test of the period's count against the baseline
    periods' count, normalised by feedback volume, with counts divided by a pooled
    overdispersion; Benjamini-Hochberg across the series tested. Significant: q <=
    ``fdr``, at least ``min_growth`` x the baseline and ``min_excess`` records above it.
    """
    total, base_total = window.period_volume, window.baseline_volume
    keys = sorted(k for k, s in window.topic.items() if s[-1] >= options.burst_min_count)
    if not keys or total <= 0:
        return {}
    phi = _dispersion([window.topic[k][:-1] for k in sorted(window.topic)], window.volume[:-1])
    p0 = total / (total + base_total) if base_total > 0 else 1.0
    tests = []
    for key in keys:
        s = window.topic[key]
        count, base = float(s[-1]), float(s[:-1].sum())
        expected = base * total / base_total if base_total > 0 else 0.0
        p = binom_sf(count / phi, (count + base) / phi, p0) if base_total > 0 else 1.0
        tests.append((count, expected, p))
    qs = benjamini_hochberg([p for _, _, p in tests])
    out = {}
    for key, (count, expected, _p), q in zip(keys, tests, qs, strict=False):
        growth = count / expected if expected > 0 else None
        significant = (
            base_total > 0
            and q <= options.fdr
            and count - expected >= options.min_excess
            and (growth is None or growth >= options.min_growth)
        )
        out[key] = BurstInfo(expected, growth, q, significant)
    return out


def _expected(series: np.ndarray, window: Window) -> tuple[float | None, float | None]:
    """(count expected in the period at the baseline rate, baseline rate per 1000);
    both None when the baseline periods have no analysed feedback at all."""
    base_vol = window.baseline_volume
    if base_vol <= 0:
        return None, None
    rate = float(series[:-1].sum()) / base_vol
    return rate * window.period_volume, rate * 1000.0


def candidates(
    window: Window,
    router: Router,
    options: FindingOptions,
    *,
    alarms: Sequence[Any] = (),
) -> list[Finding]:
    """The period's findings before status and priority (see the module docstring).

    ``alarms`` are ``voc emerging`` Issues with ``alarm=True`` (topic series and clusters).
    """
    volume = window.period_volume
    bursts = topic_bursts(window, options)
    threshold = options.threshold(volume)
    topic_alarm = {}
    cluster_alarms = []
    for issue in alarms:
        if getattr(issue, "kind", "") == "topic" and issue.topics and issue.products:
            topic_alarm[(issue.topics[0].name, issue.products[0].name)] = issue.id
        elif getattr(issue, "kind", "") == "cluster":
            cluster_alarms.append(issue)
    out: dict[str, Finding] = {}
    for key, series in sorted(window.topic.items()):
        count = int(series[-1])
        info = bursts.get(key)
        burst = bool(info and info.significant) or key in topic_alarm
        if count == 0 or not (count >= threshold or burst):
            continue
        topic, product = key
        expected, rate = _expected(series, window)
        all_m, neg_m = window.mentions.get(key, (count, count))
        fid = finding_id("topic", topic, product)
        out[fid] = Finding(
            fid, "topic", topic, product, router.route(topic, product), count, volume,
            negative_share=neg_m / all_m if all_m else None,
            expected=expected,
            growth=info.growth if info else (count / expected if expected else None),
            q_value=info.q_value if info else None,
            burst=burst,
            emerging_id=topic_alarm.get(key, ""),
            baseline_rate=rate,
        )  # fmt: skip
    for product, series in sorted(window.safety.items()):
        count = int(series[-1])
        if count == 0:
            continue
        ranked = window.safety_topics.get(product, [])
        routed = ranked[0][0] if ranked else "safety"
        expected, rate = _expected(series, window)
        fid = finding_id("safety", "safety", product)
        out[fid] = Finding(
            fid, "safety", "safety", product, router.route(routed, product), count, volume,
            safety=count, expected=expected, growth=count / expected if expected else None,
            routed_topic=routed, baseline_rate=rate,
        )  # fmt: skip
    by_key = {(f.topic, f.product): f for f in out.values() if f.kind == "topic"}
    for issue in cluster_alarms:
        topic = (
            issue.topics[0].name if issue.topics and issue.topics[0].share >= 0.5 else "emerging"
        )
        product = (
            issue.products[0].name if issue.products and issue.products[0].share >= 0.5 else ""
        )
        same = by_key.get((topic, product))
        if same is not None:
            out[same.id] = replace(same, emerging_id=same.emerging_id or issue.id, burst=True)
            continue
        fid = finding_id("emerging", "emerging", product, issue.id)
        growth = issue.growth if issue.growth is not None and math.isfinite(issue.growth) else None
        out[fid] = Finding(
            fid, "emerging", "emerging", product, router.route(topic, product), int(issue.count), volume,
            negative_share=1.0, expected=float(issue.baseline), growth=growth,
            q_value=float(issue.q_value), burst=True, routed_topic=topic, cluster_id=issue.id,
            emerging_id=issue.id, label=issue.label,
            baseline_rate=1000.0 * float(issue.baseline) / volume if volume else None,
        )  # fmt: skip
    return list(out.values())


def prioritise(
    findings: Sequence[Finding], rule: PriorityRule, impacts: Mapping[tuple[str, str], Impact]
) -> list[Finding]:
    """Attach NPS impacts and apply the priority rule, sorted most urgent first."""
    out = []
    for f in findings:
        impact = impacts.get((f.topic, f.product)) if f.kind in ("topic", "safety") else None
        signals = {
            "share": f.share,
            "negative_share": f.negative_share,
            "burst": f.burst,
            "growth": f.growth,
            "impact": impact.value if impact else None,
            "impact_low": impact.low if impact else None,
        }
        points = rule.points(**signals)  # type: ignore[arg-type]
        priority = rule.priority(safety=f.safety if f.kind == "safety" else 0, **signals)
        out.append(replace(f, impact=impact, points=points, priority=priority))
    return sorted(out, key=Finding.sort_key)
