"""What a finding is: the one record of a defect that every output shows the same way.

A finding is one of:

``topic``
    a defect topic on one product (its negative mentions), or on all products (product
    ``*``) when the topic is spread thin over many of them;
``safety``
    the safety reports of one hazard (swelling, smoke, fire ...) on one product
    (always P0);
``emerging``
    an emerging-issue cluster that no topic finding covers.

Each finding carries one count, one burst test against its baseline (expected count,
growth, p- and q-value: :mod:`voc.findings.series`), one status and one priority,
computed once per period and read by every renderer. Ids are stable: ``F-`` + 10 hex
digits of a hash of kind, topic, product and cluster.

Statuses: ``new`` (qualifies and was not open), ``worsening`` / ``improving`` /
``ongoing`` (was open: its rate against the last report), ``resolved`` (back at its
baseline with evidence, :mod:`voc.findings.loop`) and ``closed`` (a person closed it).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

from voc.findings.routing import Owner
from voc.findings.stats import AlarmRule

PRIORITIES = ("P0", "P1", "P2", "P3")
ALL_PRODUCTS = "*"
STATUSES = ("new", "worsening", "ongoing", "improving", "resolved", "closed")
STATUS_ORDER = ("worsening", "new", "ongoing", "improving", "resolved", "closed")
OPEN_STATUSES = frozenset({"new", "worsening", "ongoing", "improving"})


@dataclass(frozen=True)
class Impact:
    """NPS impact of one group of feedback, with its bootstrap 95% interval."""

    kind: str
    mentions: int  # records in the group that carry this kind of score
    nps_without: float | None
    value: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        return self.low is not None and self.low > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "n": self.mentions,
            "value": self.value,
            "ci95": [self.low, self.high] if self.low is not None else None,
            "nps_without": self.nps_without,
        }


@dataclass(frozen=True)
class FindingOptions:
    """What makes a series a finding, and the burst test every series gets."""

    min_count: int = 10
    min_share: float = 0.001
    baseline_periods: int = 8
    burst: AlarmRule = field(default_factory=AlarmRule)

    def threshold(self, volume: int) -> int:
        return max(self.min_count, math.ceil(self.min_share * volume))


@dataclass(frozen=True)
class Decision:
    """A person's latest decision on a finding (close or reopen)."""

    action: str  # close | reopen
    by: str
    at: str
    note: str
    period: str

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "by": self.by, "at": self.at, "note": self.note, "period": self.period}


@dataclass(frozen=True)
class Finding:
    """One routed finding for the period."""

    id: str
    kind: str  # topic | safety | emerging
    topic: str  # topic id, 'safety' or 'emerging'
    product: str  # '' unknown product, '*' all products
    owner: Owner
    count: int
    volume: int
    priority: str = "P3"
    status: str = "new"
    points: int = 0
    negative_share: float | None = None
    safety: int = 0
    expected: float | None = None  # count expected at the baseline rate
    growth: float | None = None  # count / expected; None without a baseline
    p_value: float | None = None
    q_value: float | None = None
    burst: bool = False  # significant burst (after false-discovery control)
    impact: Impact | None = None
    routed_topic: str = ""  # the topic used for routing (safety and emerging findings)
    cluster_id: str = ""
    emerging_id: str = ""  # the emerging cluster that coincides with it, if any
    label: str = ""  # what it is, in the customers' words (its defining terms)
    terms: tuple[str, ...] = ()
    previous_count: int | None = None
    first_period: str = ""
    baseline_rate: float | None = None  # per 1000 analysed records before it was first seen
    qualifies: bool = True  # False: tracked only because it was open before
    at_baseline: bool = False  # the period's count is not above the baseline rate
    decision: Decision | None = None  # the latest close/reopen by a person, if any
    hazard: str = ""  # a safety finding's hazard: swelling, smoke, fire, ...
    closed_later: Decision | None = None  # closed by a person in a later period (a re-run of an old week)
    arrived_after_close: int = 0  # safety reports stored after a person closed it (they reopen it)
    products: tuple[tuple[str, float], ...] = ()  # (product, share) of an emerging finding

    @property
    def share(self) -> float:
        return self.count / self.volume if self.volume else 0.0

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def reopened(self) -> bool:
        """Open again after a person closed it (重新打开): it came back (a burst, a rate above
        its last report's) or safety reports were stored after the close (a late export)."""
        return self.status == "new" and (
            self.arrived_after_close > 0 or (self.decision is not None and self.decision.action == "close"))

    @property
    def alarming(self) -> bool:
        """Open in its period and not closed by a person since (what --fail-on counts)."""
        return self.is_open and (self.closed_later is None or self.arrived_after_close > 0)

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
            "open": self.is_open,
            "label": self.label,
            "terms": list(self.terms),
            "routed_topic": self.routed_topic or self.topic,
            "hazard": self.hazard or None,
            "share": round(self.share, 4),
            "negative_share": None if self.negative_share is None else round(self.negative_share, 3),
            "safety": self.safety,
            "baseline": rounded(self.expected, 2),
            "growth": rounded(self.growth, 2),
            "p_value": significant(self.p_value),
            "q_value": significant(self.q_value),
            "burst": self.burst,
            "points": self.points,
            "nps_impact": self.impact.to_json() if self.impact else None,
            "emerging_id": self.emerging_id or None,
            "previous_count": self.previous_count,
            "first_seen": self.first_period,
            "qualifies": self.qualifies,
            "at_baseline": self.at_baseline,
            "decision": self.decision.to_json() if self.decision else None,
            "closed_later": self.closed_later.to_json() if self.closed_later else None,
            "arrived_after_close": self.arrived_after_close,
            "reopened": self.reopened,
        }


def rounded(x: float | None, digits: int) -> float | None:
    """``round(x, digits)``; None for None and for what JSON cannot hold (inf, nan)."""
    if x is None or not math.isfinite(x):
        return None
    return round(x, digits)


def significant(x: float | None, digits: int = 3) -> float | None:
    """``x`` to ``digits`` significant digits (p- and q-values)."""
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


def finding_id(kind: str, topic: str, product: str, cluster: str = "") -> str:
    digest = hashlib.sha1(f"{kind}|{topic}|{product}|{cluster}".encode()).hexdigest()
    return f"F-{digest[:10]}"
