"""Findings: what the report asks an owner to act on, with volume, growth and priority.

A finding is one of:

``topic``
    a defect topic on one product (negative mentions), with at least
    ``max(min_count, min_share * volume)`` records in the period, or a significant
    burst (:func:`voc.report.window.topic_bursts`: the same exact conditional test as
    ``voc emerging``, normalised by volume, Benjamini-Hochberg across all topic x product
    series), or an alarm of ``voc emerging`` on that topic x product. A topic spread thin
    over many products (logistics, service, price ...) whose product findings cover less
    than half of its mentions becomes one finding for all products (product ``*``);
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
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from voc.report.drivers import Impact
from voc.report.routing import Owner, PriorityRule, Router
from voc.report.window import BurstInfo, BurstRule, Window, topic_bursts

PRIORITIES = ("P0", "P1", "P2", "P3")
ALL_PRODUCTS = "*"
STATUS_ORDER = ("worsening", "new", "ongoing", "improving", "resolved")


@dataclass(frozen=True)
class FindingOptions:
    """Thresholds that make a topic x product a finding."""

    min_count: int = 10
    min_share: float = 0.001
    baseline_periods: int = 8
    burst: BurstRule = field(default_factory=BurstRule)

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
    baseline_rate: float | None = (
        None  # per 1000 analysed records before the period; None: no baseline data
    )
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


def _expected(series: np.ndarray, window: Window) -> tuple[float | None, float | None]:
    """(count expected in the period at the baseline rate, baseline rate per 1000);
    both None when the baseline periods have no analysed feedback at all."""
    base_vol = window.baseline_volume
    if base_vol <= 0:
        return None, None
    rate = float(series[:-1].sum()) / base_vol
    return rate * window.period_volume, rate * 1000.0


def _topic_finding(
    key: tuple[str, str],
    series: np.ndarray,
    window: Window,
    router: Router,
    mentions: tuple[int, int],
    info: BurstInfo | None,
    burst: bool,
    emerging_id: str = "",
) -> Finding:
    topic, product = key
    count = int(series[-1])
    expected, rate = _expected(series, window)
    all_m, neg_m = mentions
    fid = finding_id("topic", topic, product)
    return Finding(
        fid, "topic", topic, product, router.route(topic, "" if product == ALL_PRODUCTS else product),
        count, window.period_volume,
        negative_share=neg_m / all_m if all_m else None,
        expected=expected,
        growth=info.growth if info else (count / expected if expected else None),
        q_value=info.q_value if info else None,
        burst=burst, emerging_id=emerging_id, baseline_rate=rate,
    )  # fmt: skip


def _spread_topics(window: Window) -> Window:
    """The window with one series per topic, summed over products (key ``(topic, '*')``)."""
    series: dict[tuple[str, str], np.ndarray] = {}
    mentions: dict[tuple[str, str], tuple[int, int]] = {}
    for (topic, _product), s in window.topic.items():
        key = (topic, ALL_PRODUCTS)
        series[key] = series.get(key, 0) + s
    for (topic, _product), (a, n) in window.mentions.items():
        old = mentions.get((topic, ALL_PRODUCTS), (0, 0))
        mentions[(topic, ALL_PRODUCTS)] = (old[0] + a, old[1] + n)
    return Window(window.volume, series, mentions, {}, {})


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
    threshold = options.threshold(volume)
    topic_alarm = {
        (i.topics[0].name, i.products[0].name): i.id
        for i in alarms
        if getattr(i, "kind", "") == "topic" and i.topics and i.products
    }
    out: dict[str, Finding] = {}
    bursts = topic_bursts(window, options.burst)
    for key, series in sorted(window.topic.items()):
        info = bursts.get(key)
        burst = bool(info and info.significant) or key in topic_alarm
        if series[-1] > 0 and (series[-1] >= threshold or burst):
            mentions = window.mentions.get(key, (int(series[-1]),) * 2)
            f = _topic_finding(
                key, series, window, router, mentions, info, burst, topic_alarm.get(key, "")
            )
            out[f.id] = f
    # A topic spread thin over many products (logistics, service, price ...): one finding
    # for the topic across products when the product findings cover less than half of it.
    spread = _spread_topics(window)
    covered: dict[str, int] = {}
    for f in out.values():
        covered[f.topic] = covered.get(f.topic, 0) + f.count
    spread_bursts = topic_bursts(spread, options.burst)
    for key, series in sorted(spread.topic.items()):
        info = spread_bursts.get(key)
        burst = bool(info and info.significant)
        count = int(series[-1])
        if count > 0 and (count >= threshold or burst) and 2 * covered.get(key[0], 0) < count:
            f = _topic_finding(
                key, series, spread, router, spread.mentions.get(key, (count, count)), info, burst
            )
            out[f.id] = f
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
    _add_clusters(out, [i for i in alarms if getattr(i, "kind", "") == "cluster"], router, volume)
    return list(out.values())


def _add_clusters(
    out: dict[str, Finding], clusters: Sequence[Any], router: Router, volume: int
) -> None:
    """Cluster alarms: join the topic finding they coincide with, or become their own finding."""
    by_key = {(f.topic, f.product): f for f in out.values() if f.kind == "topic"}
    for issue in clusters:
        top_topic = issue.topics[0] if issue.topics else None
        top_product = issue.products[0] if issue.products else None
        topic = top_topic.name if top_topic and top_topic.share >= 0.5 else "emerging"
        product = top_product.name if top_product and top_product.share >= 0.5 else ""
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
        if f.status == "resolved":
            priority = "P3"  # back to baseline: nothing to do this period
        out.append(replace(f, impact=impact, points=points, priority=priority))
    return sorted(out, key=Finding.sort_key)
