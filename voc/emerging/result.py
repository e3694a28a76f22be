"""Result types of emerging-issue detection, and their DESIGN.md JSON form.

A :class:`ClusterDescription` is what clustering says about a cluster in a period
(stored with the run, so a report reads it instead of clustering again). An
:class:`Issue` is one thing that can raise an alarm, with its burst test: either an issue cluster
(``kind='cluster'``, id like ``E3f9a2c1b``) or a topic x product series
(``kind='topic'``, id like ``battery@Y9000P``). Both carry the keys scripts rely
on (DESIGN.md, ``emerging``): ``id``, ``label``, ``terms``, ``products``,
``topics``, ``count``, ``baseline``, ``growth``, ``p_value``, ``status``,
``quotes``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("new", "growing", "ongoing", "fading")


@dataclass(frozen=True)
class Share:
    """One product or topic within an issue: how many of its records in the period."""

    name: str
    count: int
    share: float


@dataclass(frozen=True)
class ClusterDescription:
    """An issue cluster of a period, as clustering describes it.

    ``label`` starts with the cluster's defining term (:mod:`voc.emerging.merge`);
    ``weekly`` counts its complaints per bucket of the window; ``suggested`` holds the
    keywords to paste into ``topics.tsv`` when no taxonomy topic covers the cluster.
    """

    id: str
    label: str
    terms: tuple[str, ...]
    defining: str
    products: tuple[Share, ...]
    topics: tuple[Share, ...]
    quotes: tuple[str, ...]
    weekly: tuple[int, ...]
    count: int
    safety: int = 0
    untagged_share: float = 0.0
    main_topic: str = ""
    main_product: str | None = None
    suggested: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()  # ids of earlier clusters merged into this one

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "terms": list(self.terms), "defining": self.defining,
            "products": [[s.name, s.count, s.share] for s in self.products],
            "topics": [[s.name, s.count, s.share] for s in self.topics],
            "quotes": list(self.quotes), "weekly": list(self.weekly), "count": self.count, "safety": self.safety,
            "untagged_share": self.untagged_share, "main_topic": self.main_topic, "main_product": self.main_product,
            "suggested": list(self.suggested), "merged": list(self.merged),
        }

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> ClusterDescription:
        return cls(
            d["id"], d["label"], tuple(d["terms"]), d.get("defining", ""),
            tuple(Share(*s) for s in d["products"]), tuple(Share(*s) for s in d["topics"]), tuple(d["quotes"]),
            tuple(d["weekly"]), d["count"], d.get("safety", 0), d.get("untagged_share", 0.0),
            d.get("main_topic", ""), d.get("main_product"), tuple(d.get("suggested", ())), tuple(d.get("merged", ())),
        )


@dataclass(frozen=True)
class Issue:
    """An issue cluster or a topic x product series, with its burst test for the period.

    ``baseline`` is the count expected in the period at the baseline rate, scaled by
    the feedback volume (so ``growth == count / baseline``); ``growth`` is ``None``
    when there is no baseline at all (a new issue).
    """

    id: str
    kind: str  # "cluster" | "topic"
    label: str
    terms: tuple[str, ...]
    products: tuple[Share, ...]
    topics: tuple[Share, ...]
    count: int
    baseline: float
    growth: float | None
    p_value: float
    q_value: float
    status: str  # new | growing | ongoing | fading
    alarm: bool
    quotes: tuple[str, ...] = ()
    weekly: tuple[tuple[str, int], ...] = ()  # (ISO week, count) over the window, oldest first
    safety: int = 0  # records in the period flagged as safety reports
    untagged_share: float = 0.0  # share of the period's records with no taxonomy topic
    related: tuple[str, ...] = ()  # ids of other alarms describing the same records
    record_ids: tuple[str, ...] = field(default=(), repr=False)  # the period's records

    @property
    def excess(self) -> float:
        """Records above what the baseline predicts (what ranks alarms)."""
        return self.count - self.baseline

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md form of one emerging issue."""
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "terms": list(self.terms),
            "products": [{"product": s.name, "count": s.count, "share": round(s.share, 4)} for s in self.products],
            "topics": [{"topic": s.name, "count": s.count, "share": round(s.share, 4)} for s in self.topics],
            "count": self.count,
            "baseline": round(self.baseline, 3),
            "growth": _finite(self.growth),
            "p_value": _finite(self.p_value, 6),
            "q_value": _finite(self.q_value, 6),
            "status": self.status,
            "alarm": self.alarm,
            "safety": self.safety,
            "untagged_share": round(self.untagged_share, 4),
            "quotes": list(self.quotes),
            "weekly": [{"week": w, "count": n} for w, n in self.weekly],
            "related": list(self.related),
        }


@dataclass(frozen=True)
class Candidate:
    """A cluster that matches no taxonomy topic: a candidate new topic for the lexicon.

    ``suggested_keywords`` are distinctive terms not yet in the topic lexicon; they can
    be pasted into ``lexicons/topics.tsv`` as a new topic's keywords.
    """

    cluster_id: str
    label: str
    count: int
    untagged_share: float
    suggested_keywords: tuple[str, ...]
    quotes: tuple[str, ...] = ()
    status: str = "ongoing"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.cluster_id,
            "label": self.label,
            "count": self.count,
            "untagged_share": round(self.untagged_share, 4),
            "suggested_keywords": list(self.suggested_keywords),
            "status": self.status,
            "quotes": list(self.quotes),
        }


@dataclass(frozen=True)
class EmergingResult:
    """Everything `voc emerging` found for one period.

    ``alarms`` are the issues that are new or whose burst test is significant, most
    important first (safety first, then excess volume); ``clusters`` are all issue
    clusters with records in the period; ``topic_bursts`` are the tested topic x
    product series; ``candidates`` are clusters that no taxonomy topic covers.
    """

    period: str
    since: str
    until: str  # inclusive last day
    baseline_weeks: int
    alarms: tuple[Issue, ...]
    clusters: tuple[Issue, ...]
    topic_bursts: tuple[Issue, ...]
    candidates: tuple[Candidate, ...]
    stats: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md ``emerging`` object (``--json`` of `voc emerging`)."""
        return {
            "period": self.period,
            "since": self.since,
            "until": self.until,
            "baseline_weeks": self.baseline_weeks,
            "emerging": [i.to_json() for i in self.alarms],
            "clusters": [i.to_json() for i in self.clusters],
            "topic_bursts": [i.to_json() for i in self.topic_bursts],
            "candidates": [c.to_json() for c in self.candidates],
            "stats": dict(self.stats),
        }


def _finite(x: float | None, digits: int = 3) -> float | None:
    """JSON has no inf/nan: map them to null, round the rest."""
    if x is None or not math.isfinite(x):
        return None
    if digits >= 6 and x != 0 and abs(x) < 1e-4:
        return float(f"{x:.3e}")
    return round(x, digits)
