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

import numpy as np

from voc.period import Period
from voc.report.cube import PeriodTopics, in_range
from voc.report.drivers import Impact
from voc.report.findings import ALL_PRODUCTS, Finding
from voc.report.routing import Owner, Router
from voc.report.window import Window
from voc.store import Store

_DIGITS = re.compile(r"\d{7,}")
_SPACE = re.compile(r"\s+")


def shorten(text: str, width: int = 120) -> str:
    """One line, long digit runs masked, at most ``width`` characters (with an ellipsis)."""
    text = _DIGITS.sub("<NUM>", _SPACE.sub(" ", text or "").strip())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class TopicRow:
    """One defect topic in the period, across products."""

    topic: str
    mentions: int
    negative: int
    positive: int
    previous_negative: int
    expected: float | None  # negative mentions expected at the baseline rate
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

    @property
    def growth(self) -> float | None:
        return self.negative / self.expected if self.expected else None

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "mentions": self.mentions,
            "negative": self.negative,
            "positive": self.positive,
            "share": round(self.share, 4),
            "negative_share": None
            if self.negative_share is None
            else round(self.negative_share, 3),
            "previous_negative": self.previous_negative,
            "baseline": None if self.expected is None else round(self.expected, 2),
            "growth": None if self.growth is None else round(self.growth, 2),
            "owner": self.owner.name,
            "nps_impact": self.impact.to_json() if self.impact else None,
        }


def topic_rows(
    period_topics: PeriodTopics,
    window: Window,
    router: Router,
    impacts: Mapping[tuple[str, ...], Impact],
) -> list[TopicRow]:
    """Every topic mentioned in the period, most negative mentions first."""
    series: dict[str, np.ndarray] = {}
    for (topic, _product), s in window.topic.items():
        series[topic] = series.get(topic, 0) + s
    base_vol = window.baseline_volume
    rows = []
    for topic, (n, neg, pos) in period_topics.by_topic().items():
        s = series.get(topic)
        expected = (
            float(s[:-1].sum()) * window.period_volume / base_vol
            if s is not None and base_vol
            else None
        )
        rows.append(
            TopicRow(
                topic, n, neg, pos, int(s[-2]) if s is not None and len(s) > 1 else 0,
                expected, window.period_volume, router.route(topic), impacts.get((topic,)),
            )
        )  # fmt: skip
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

    def to_json(self) -> dict[str, Any]:
        return {
            "finding": self.finding_id,
            "record": self.record_id,
            "created_at": self.created_at,
            "product": self.product,
            "channel": self.channel,
            "rating": self.rating,
            "text": self.text,
        }


_ORDER = "(length(r.text) BETWEEN 8 AND 240) DESC, a.score, r.id"  # readable first, most negative
_TOPIC_QUOTES = """
SELECT topic, product, id, created_at, channel, rating, text, rn, product FROM (
  SELECT rt.topic AS topic, COALESCE(r.product, '') AS product, r.id AS id, r.created_at AS created_at,
         COALESCE(r.channel, '') AS channel, r.rating AS rating, r.text AS text,
         ROW_NUMBER() OVER (PARTITION BY rt.topic, COALESCE(r.product, '') ORDER BY _ORDER_) AS rn
  FROM records r CROSS JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg'
  JOIN analysis a ON a.record_id = r.id
  WHERE {where}
) WHERE rn <= ?
""".replace("_ORDER_", _ORDER)
_SAFETY_QUOTES = """
SELECT 'safety', product, id, created_at, channel, rating, text, rn, product FROM (
  SELECT COALESCE(r.product, '') AS product, r.id AS id, r.created_at AS created_at,
         COALESCE(r.channel, '') AS channel, r.rating AS rating, r.text AS text,
         ROW_NUMBER() OVER (PARTITION BY COALESCE(r.product, '') ORDER BY _ORDER_) AS rn
  FROM records r JOIN analysis a ON a.record_id = r.id AND a.safety = 1
  WHERE {where}
) WHERE rn <= ?
""".replace("_ORDER_", _ORDER)
_SPREAD_QUOTES = """
SELECT topic, '*', id, created_at, channel, rating, text, rn, product FROM (
  SELECT rt.topic AS topic, COALESCE(r.product, '') AS product, r.id AS id, r.created_at AS created_at,
         COALESCE(r.channel, '') AS channel, r.rating AS rating, r.text AS text,
         ROW_NUMBER() OVER (PARTITION BY rt.topic ORDER BY _ORDER_) AS rn
  FROM records r CROSS JOIN record_topics rt ON rt.record_id = r.id AND rt.polarity = 'neg'
  JOIN analysis a ON a.record_id = r.id
  WHERE {where}
) WHERE rn <= ?
""".replace("_ORDER_", _ORDER)


def quotes_for(
    store: Store,
    period: Period,
    findings: Sequence[Finding],
    alarms: Sequence[Any] = (),
    *,
    per_finding: int = 3,
) -> list[Quote]:
    """Up to ``per_finding`` quotes for every finding (emerging ones from the alarm itself)."""
    if per_finding <= 0 or not findings:
        return []
    wanted = {
        (f.topic, f.product): f.id for f in findings if f.kind in ("topic", "safety") and f.count
    }
    where = in_range(store, period.start_ts, period.end_ts)
    ranked: list[tuple[int, Quote]] = []
    queries = [_TOPIC_QUOTES, _SAFETY_QUOTES]
    if any(product == ALL_PRODUCTS for _topic, product in wanted):
        queries.append(_SPREAD_QUOTES)
    for sql in queries:
        for topic, key, rid, ts, channel, rating, text, rn, product in store.conn.execute(
            sql.format(where=where), (period.start_ts, period.end_ts, per_finding)
        ):
            fid = wanted.get((topic, key))
            if fid is not None:
                ranked.append(
                    (int(rn), Quote(fid, rid, ts, product, channel, rating, shorten(text, 300)))
                )
    by_alarm = {i.id: i for i in alarms}
    for f in findings:
        issue = by_alarm.get(f.cluster_id) if f.kind == "emerging" else None
        for rn, text in enumerate((issue.quotes if issue is not None else ())[:per_finding], 1):
            ranked.append((rn, Quote(f.id, "", "", f.product, "", None, shorten(text, 300))))
    order = {f.id: i for i, f in enumerate(findings)}
    ranked.sort(key=lambda rq: (order.get(rq[1].finding_id, 0), rq[0]))
    return [q for _, q in ranked]
