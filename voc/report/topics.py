"""Per-topic rows of the report and the customer quotes shown with findings.

Quotes are the customers' own words as stored (personal data was masked at ingest);
:func:`shorten` additionally masks any run of 7+ digits and trims them for display.
Quotes are chosen deterministically: texts of a readable length first, then the most
negative (lowest P(positive)), then by record id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voc.findings.model import ALL_PRODUCTS, Finding, Impact, rounded, significant
from voc.findings.routing import Owner, Router
from voc.findings.series import SPREAD, SeriesTest
from voc.period import Period
from voc.report.cube import PeriodTopics
from voc.store import Store

_DIGITS = re.compile(r"\d{7,}")
_SPACE = re.compile(r"\s+")


def shorten(text: str, width: int = 120) -> str:
    """One line, long digit runs masked, at most ``width`` characters (with an ellipsis)."""
    text = _DIGITS.sub("<NUM>", _SPACE.sub(" ", text or "").strip())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class TopicRow:
    """One defect topic in the period, across products: the numbers of its ``topic@*``
    series test (the same a finding on the topic across products shows)."""

    topic: str
    mentions: int
    negative: int
    positive: int
    previous_negative: int
    expected: float | None  # negative mentions expected at the baseline rate
    growth: float | None
    q_value: float | None
    volume: int  # analysed records of the period
    owner: Owner
    impact: Impact | None = None

    @property
    def share(self) -> float:
        """Share of the period's analysed feedback that mentions the topic negatively."""
        return self.negative / self.volume if self.volume else 0.0

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.mentions if self.mentions else None

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "mentions": self.mentions,
            "negative": self.negative,
            "positive": self.positive,
            "share": round(self.share, 4),
            "negative_share": None if self.negative_share is None else round(self.negative_share, 3),
            "previous_negative": self.previous_negative,
            "baseline": rounded(self.expected, 2),
            "growth": rounded(self.growth, 2),
            "q_value": significant(self.q_value),
            "owner": self.owner.name,
            "nps_impact": self.impact.to_json() if self.impact else None,
        }


def topic_rows(
    period_topics: PeriodTopics,
    tests: Mapping[str, SeriesTest],
    volume: int,
    router: Router,
    impacts: Mapping[tuple[str, ...], Impact],
) -> list[TopicRow]:
    """Every topic mentioned in the period, most negative mentions first."""
    rows = []
    for topic, (n, neg, pos) in period_topics.by_topic().items():
        t = tests.get(f"{topic}@{SPREAD}")
        rows.append(TopicRow(
            topic, n, neg, pos, t.weekly[-2] if t is not None and len(t.weekly) > 1 else 0,
            t.expected if t is not None else None, t.growth if t is not None else None,
            t.q_value if t is not None and t.tested else None, volume, router.route(topic), impacts.get((topic,)),
        ))  # fmt: skip
    return sorted(rows, key=lambda r: (-r.negative, -r.mentions, r.topic))


@dataclass(frozen=True)
class Quote:
    """A customer's words illustrating a finding."""

    finding_id: str
    record_id: str
    created_at: str
    product: str
    channel: str
    rating: int | None
    text: str
    source_id: str = ""  # the record's id in its source (a ticket's T-1001), "" when it had none

    def to_json(self) -> dict[str, Any]:
        return {
            "finding": self.finding_id,
            "record": self.record_id,
            "source": self.source_id or None,
            "created_at": self.created_at,
            "product": self.product,
            "channel": self.channel,
            "rating": self.rating,
            "text": self.text,
        }


QUOTE_POOL = 5  # candidates read per quote shown, to find those that say what the label says
EARLIER_WEEKS = 8  # how far back an open safety finding with no report this period is quoted from


def _quote(finding_id: str, q) -> Quote:
    """The quote of a finding from a stored quote row."""
    return Quote(finding_id, q.record_id, q.created_at or "", q.product, q.channel, q.rating, shorten(q.text, 300),
                 q.source_id)


def quotes_for(
    store: Store,
    period: Period,
    findings: Sequence[Finding],
    clusters: Mapping[str, Sequence[str]] | None = None,
    *,
    per_finding: int = 3,
) -> list[Quote]:
    """Up to ``per_finding`` quotes for every finding: the records of its series that say
    what its label says (the most of its terms), then the most quotable (readable length
    first, then the most negative); for an emerging finding, the most typical complaints
    of its cluster (``clusters``: cluster id -> quotes)."""
    if per_finding <= 0 or not findings:
        return []
    terms = {f.id: tuple(f.terms[:6]) for f in findings}
    wanted = {(f"safety:{f.hazard}" if f.kind == "safety" else f.topic, f.product): f.id
              for f in findings if f.kind in ("topic", "safety") and f.count}
    groups = ["topic", "safety"]
    if any(product == ALL_PRODUCTS for _topic, product in wanted):
        groups.append("topic_all")
    ranked: list[tuple[int, Quote]] = []
    candidates: dict[str, list[tuple[int, int, Quote]]] = {}
    for group in groups:
        for q in store.quotes(period.start_ts, period.end_ts, group, per_finding * QUOTE_POOL):
            fid = wanted.get((q.group, q.key))
            if fid is not None:
                said = sum(term in q.text for term in terms[fid])
                candidates.setdefault(fid, []).append((-said, q.rank, _quote(fid, q)))
    # an open safety finding with no report this period (a P0 stays open until a person closes
    # it) is quoted from the weeks before, so that its owner still reads what was reported:
    # the latest week with reports first (its most quotable ones), then the week before it
    quiet = {(f"safety:{f.hazard}", f.product): f.id for f in findings
             if f.kind == "safety" and not f.count and f.status != "resolved"}
    end = period.start_ts
    for back in range(1, EARLIER_WEEKS + 1):
        if not quiet:
            break
        start = period.shift_weeks(back).start_ts
        for q in store.quotes(start, end, "safety", per_finding):
            fid = quiet.get((q.group, q.key))
            if fid is not None:
                candidates.setdefault(fid, []).append((back, q.rank, _quote(fid, q)))
        quiet = {k: fid for k, fid in quiet.items() if len(candidates.get(fid, ())) < per_finding}
        end = start
    for pool in candidates.values():
        pool.sort(key=lambda c: c[:2])
        ranked.extend((rank, quote) for rank, (_said, _rn, quote) in enumerate(pool[:per_finding], 1))
    clusters = clusters or {}
    for f in findings:
        texts = clusters.get(f.cluster_id, ()) if f.kind == "emerging" else ()
        for rn, text in enumerate(texts[:per_finding], 1):
            ranked.append((rn, Quote(f.id, "", "", f.product, "", None, shorten(text, 300))))
    order = {f.id: i for i, f in enumerate(findings)}
    ranked.sort(key=lambda rq: (order.get(rq[1].finding_id, 0), rq[0]))
    return [q for _, q in ranked]
