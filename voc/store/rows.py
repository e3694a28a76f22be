"""The typed rows the store hands out and takes in: the data half of the store contract.

Reads return these named tuples (cheap: a tuple with names), so callers never see a
cursor, a column index or a table name. Writes take them, or plain tuples in the
documented column order where a stage writes millions of rows (records, analysis).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import NamedTuple

#: Columns of a record as ``voc ingest`` writes it (``IngestBatch.insert*`` take tuples
#: in this order).
RECORD_FIELDS = (
    "id", "kind", "channel", "product", "product_raw", "created_at", "rating", "nps_score", "csat",
    "text", "external_id", "order_ref", "parent_id", "is_followup", "extra", "source_file",
    "source_row", "batch_id",
)  # fmt: skip

#: Columns of a ticket turn (``IngestBatch.insert_turns``).
TURN_FIELDS = ("record_id", "seq", "speaker", "text", "created_at", "is_customer_words")

#: Columns of a dropped (rejected or filtered) row, after the batch id.
DROPPED_FIELDS = ("status", "source_file", "source_row", "reason", "raw")

#: Columns of an analysis result (``Store.write_analysis``), and of a topic mention.
ANALYSIS_FIELDS = (
    "record_id", "sentiment", "score", "topics", "safety", "safety_evidence", "products_mentioned",
    "tokens", "model_version", "lexicon_version", "analyzed_at", "safety_kind",
)  # fmt: skip
TOPIC_FIELDS = ("record_id", "topic", "polarity", "evidence")

#: How ``safety_kind`` joins the hazards of a safety report (``swelling|smoke``: every hazard
#: it reports, the first reported first); a report whose hazard is unknown counts as ``safety``.
HAZARD_SEPARATOR = "|"
UNKNOWN_HAZARD = "safety"


def join_hazards(kinds: Iterable[str]) -> str:
    """The ``safety_kind`` of a report of these hazards (in the order reported)."""
    return HAZARD_SEPARATOR.join(kinds)


def split_hazards(safety_kind: str | None) -> list[str]:
    """The hazards a ``safety_kind`` names (``[UNKNOWN_HAZARD]`` for none): each is counted
    under its own hazard, and the report once."""
    if not safety_kind:
        return [UNKNOWN_HAZARD]
    return [k for k in safety_kind.split(HAZARD_SEPARATOR) if k] or [UNKNOWN_HAZARD]


class Coverage(NamedTuple):
    """What the store holds for a period: records, how many are analysed, and where the
    nearest data lies when it holds none."""

    records: int
    analysed: int
    latest_before: str | None  # newest created_at before the period
    earliest_after: str | None  # oldest created_at at or after its end

    @property
    def unanalysed(self) -> int:
        return self.records - self.analysed


class DroppedRow(NamedTuple):
    source_file: str
    source_row: int
    status: str
    reason: str
    raw: str | None


class DayClassRow(NamedTuple):
    """One group of records of one day: analysed or not, the P/A/D class of each kind of
    score (None: not scored by that kind), the product and the hazards when flagged as a
    safety report (its ``safety_kind``: :func:`split_hazards` reads them)."""

    day: str
    analysed: bool
    nps: str | None
    stars: str | None
    sentiment: str | None
    safety_product: str | None
    n: int
    safety_hazard: str | None = None


class DayVolumeRow(NamedTuple):
    """Analysed records of one product on one day."""

    day: str
    product: str
    n: int


class DaySafetyRow(NamedTuple):
    """Safety reports of one hazard on one product on one day (a report of two hazards is
    counted under each)."""

    day: str
    product: str
    hazard: str
    n: int


class DayMentionRow(NamedTuple):
    """Negative mentions of a topic on a product on one day."""

    day: str
    topic: str
    product: str
    n: int


class PeriodClassRow(NamedTuple):
    """The period's records grouped by product, channel, kind, score classes, sentiment,
    safety and whether they are analysed."""

    product: str
    channel: str
    kind: str
    nps: str | None
    stars: str | None
    sentiment_class: str | None
    sentiment: str | None
    safety: int
    analysed: int
    n: int


class PeriodMentionRow(NamedTuple):
    """The period's topic mentions grouped by topic, product, polarity, classes, safety."""

    topic: str
    product: str
    polarity: str
    nps: str | None
    stars: str | None
    sentiment_class: str | None
    safety: str | None  # the hazards of a safety report (its safety_kind), None for others
    n: int


class QuoteRow(NamedTuple):
    """A candidate quote: its group (topic or 'safety'), the group's product key ('*' for
    a topic across products), rank within the group, and the record."""

    group: str
    key: str
    rank: int
    record_id: str
    created_at: str | None
    product: str
    channel: str
    rating: int | None
    text: str
    source_id: str = ""  # the record's id in its source (a ticket's T-1001), "" when it had none


class RecordRow(NamedTuple):
    """A record with its analysis, as the workbook's data sheet lists it."""

    id: str
    created_at: str | None
    kind: str
    channel: str | None
    product: str | None
    rating: int | None
    nps_score: int | None
    sentiment: str | None
    score: float | None
    topics: str | None  # 'topic:polarity|...'
    safety: int | None
    text: str


class WindowRow(NamedTuple):
    """An analysed record of an emerging-issue window."""

    id: str
    product: str
    day: str
    negative: bool
    safety: int
    topics: str | None  # 'topic\x1fpolarity' joined by '\x1e' (polarity pos left out)
    text: str
    tokens: str


class StoredCluster(NamedTuple):
    """An issue cluster as earlier runs left it."""

    id: str
    label: str
    signature: dict[str, float]
    first_period: str
    last_period: str
    merged_into: str | None = None


class ClusterRecord(NamedTuple):
    """A cluster of a run, to store: identity, signature and weekly sizes."""

    id: str
    label: str
    terms: tuple[str, ...]
    signature: dict[str, float]
    weekly: tuple[tuple[str, int], ...]
    merged: tuple[str, ...] = ()  # ids of earlier clusters merged into this one


class StoredRun(NamedTuple):
    """A stored emerging run of a period."""

    period: str
    since: str
    until: str
    buckets: tuple[str, ...]
    stamp: str
    stats: dict
    issues: dict[str, dict]  # cluster id -> described issue (JSON data)
    computed_at: str


class SeriesStatusRecord(NamedTuple):
    """The burst test of one series in one period (emerging status history)."""

    subject: str
    kind: str
    status: str
    alarm: bool
    count: int
    baseline: float
    growth: float | None
    p_value: float
    q_value: float
    label: str


class FindingRecord(NamedTuple):
    """One finding in one reported period, to store."""

    id: str
    kind: str
    topic: str
    product: str
    cluster_id: str
    label: str
    terms: tuple[str, ...]
    baseline_rate: float | None
    count: int
    volume: int
    negative_share: float | None
    safety: int
    expected: float | None
    growth: float | None
    p_value: float | None
    q_value: float | None
    nps_impact: float | None
    priority: str
    status: str
    owner_team: str
    owner_person: str
    owner_contact: str
    qualifies: bool
    at_baseline: bool
    routed_topic: str = ""
    hazard: str = ""

    def finding_values(self, period: str, period_start: str) -> tuple:
        """The values of the ``findings`` upsert (both backends): id, kind, topic, product,
        cluster, label, terms, baseline rate, first period and start, routed topic, hazard,
        and the status (a new finding's baseline is kept)."""
        return (self.id, self.kind, self.topic, self.product, self.cluster_id or None, self.label,
                json.dumps(list(self.terms), ensure_ascii=False), self.baseline_rate, period, period_start,
                self.routed_topic or self.topic, self.hazard or None, self.status)

    def period_values(self, period: str, period_start: str, computed_at: str) -> tuple:
        """The values of its ``finding_periods`` row, in that table's column order."""
        return (self.id, period, period_start, self.count, self.volume, self.negative_share, self.safety,
                self.expected, self.growth, self.p_value, self.q_value, self.nps_impact, self.priority,
                self.status, self.owner_team, self.owner_person, self.owner_contact, int(self.qualifies),
                int(self.at_baseline), computed_at)


class FindingRow(NamedTuple):
    """One stored (finding, period) row with what the findings table knows."""

    finding_id: str
    period: str
    period_start: str
    count: int
    volume: int
    status: str
    priority: str
    owner_team: str
    owner_person: str
    owner_contact: str
    kind: str
    topic: str
    product: str
    cluster_id: str
    label: str
    terms: tuple[str, ...]
    baseline_rate: float | None
    first_period: str
    qualifies: bool
    at_baseline: bool
    expected: float | None
    growth: float | None
    q_value: float | None
    routed_topic: str = ""
    hazard: str = ""


class FindingEvent(NamedTuple):
    """A person's decision on a finding."""

    finding_id: str
    action: str  # close | reopen
    period: str
    period_start: str
    at: str
    by: str
    note: str
    count: int | None = None  # the finding's count in ``period`` when it was decided
    volume: int | None = None
