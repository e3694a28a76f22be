"""The closed loop: finding statuses across periods, kept in the store.

Status of a finding in a period, from its last reported row (at most
``OPEN_LOOKBACK`` periods back) and this period's count:

``new``
    it qualifies as a finding and had no open row before (never seen, or resolved);
``worsening`` / ``improving`` / ``ongoing``
    it was open before; its count is significantly higher / lower than at the last
    report (exact conditional binomial test of two Poisson counts, normalised by the
    feedback volume of each period, two-sided alpha 0.05), or neither;
``resolved``
    it was open, no longer qualifies, and its count is back to the baseline rate it had
    before it was first seen (a Poisson upper-tail test at that rate is not significant);
    when the store had no earlier feedback to take a baseline from, as soon as it no
    longer qualifies.

Every ISO-week report stores one row per finding (``finding_periods``), replacing
the rows of that week if the report is re-run (idempotent). Earlier weeks within
``BACKFILL`` that were never reported are computed first, in order, so the loop works
on historical data too. Ranges given with ``--since/--until`` get statuses but are not
stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from scipy.stats import poisson

from voc.emerging.burst import binom_cdf, binom_sf
from voc.period import Period
from voc.report.findings import ALL_PRODUCTS, Finding
from voc.report.routing import Owner
from voc.report.window import Window
from voc.store import Store

OPEN_LOOKBACK = 8
BACKFILL = 4
ALPHA = 0.05
EMERGING_TO_STATUS = {
    "new": "new",
    "growing": "worsening",
    "ongoing": "ongoing",
    "fading": "improving",
}


@dataclass(frozen=True)
class Row:
    """One stored (finding, period) row, with what the findings table knows."""

    finding_id: str
    period: str
    period_start: str
    count: int
    volume: int
    status: str
    priority: str
    owner: Owner
    kind: str
    topic: str
    product: str
    cluster_id: str
    label: str
    baseline_rate: float | None
    first_period: str


_ROW_SQL = """
SELECT fp.finding_id, fp.period, fp.period_start, fp.count, fp.volume, fp.status, fp.priority,
       fp.owner_team, fp.owner_person, fp.owner_contact,
       f.kind, f.topic, f.product, COALESCE(f.cluster_id, ''), COALESCE(f.label, ''),
       f.baseline_rate, f.first_period
FROM finding_periods fp JOIN findings f ON f.id = fp.finding_id
"""


def _row(r: Sequence[Any]) -> Row:
    return Row(*r[:7], Owner(r[7], r[8], r[9]), *r[10:])  # type: ignore[arg-type]


def latest_rows(store: Store, before: str, since: str) -> dict[str, Row]:
    """Each finding's latest row with ``since <= period_start < before``."""
    sql = (
        _ROW_SQL + "JOIN (SELECT finding_id AS fid, MAX(period_start) AS ms FROM finding_periods "
        "WHERE period_start < ? AND period_start >= ? GROUP BY finding_id) m "
        "ON m.fid = fp.finding_id AND m.ms = fp.period_start"
    )
    return {row.finding_id: row for row in map(_row, store.conn.execute(sql, (before, since)))}


def rows_between(store: Store, since: str, before: str) -> list[Row]:
    """All rows with ``since <= period_start < before``, oldest first."""
    sql = (
        _ROW_SQL
        + "WHERE fp.period_start >= ? AND fp.period_start < ? ORDER BY fp.period_start, fp.finding_id"
    )
    return [_row(r) for r in store.conn.execute(sql, (since, before))]


def compare(
    count: int, volume: int, prev_count: int, prev_volume: int, alpha: float = ALPHA
) -> str:
    """'worsening', 'improving' or 'ongoing': this period's rate against an earlier one."""
    n = count + prev_count
    if n == 0 or volume <= 0 or prev_volume <= 0:
        return "ongoing"
    p0 = volume / (volume + prev_volume)
    if count > 0 and binom_sf(count, n, p0) <= alpha / 2:
        return "worsening"
    if binom_cdf(count, n, p0) <= alpha / 2:
        return "improving"
    return "ongoing"


def back_to_baseline(
    count: int, volume: int, baseline_rate: float | None, alpha: float = ALPHA
) -> bool:
    """True when ``count`` is not significantly above ``baseline_rate`` (per 1000) of ``volume``.

    With no baseline known (first seen when the store had no earlier feedback), a
    finding that no longer qualifies counts as back to normal.
    """
    if count == 0 or baseline_rate is None:
        return True
    lam = max(baseline_rate * volume / 1000.0, 0.5)
    return float(poisson.sf(count - 1, lam)) > alpha


def current_series(row: Row, window: Window) -> np.ndarray | None:
    """The window's series of a topic or safety finding that was open before."""
    if row.kind == "topic" and row.product == ALL_PRODUCTS:
        parts = [s for (t, _p), s in window.topic.items() if t == row.topic]
        return np.sum(parts, axis=0) if parts else None
    if row.kind == "topic":
        return window.topic.get((row.topic, row.product))
    if row.kind == "safety":
        return window.safety.get(row.product)
    return None


def current_count(row: Row, window: Window, clusters: Mapping[str, Any]) -> int:
    """The period's count of a finding that was open before (it may not qualify any more)."""
    if row.kind == "emerging":
        issue = clusters.get(row.cluster_id)
        return int(issue.count) if issue is not None else 0
    series = current_series(row, window)
    return int(series[-1]) if series is not None else 0


def apply_status(
    found: Sequence[Finding],
    prior: Mapping[str, Row],
    window: Window,
    *,
    clusters: Mapping[str, Any] | None = None,
    period_label: str = "",
) -> list[Finding]:
    """Statuses for the qualifying findings, plus the open ones that stopped qualifying."""
    clusters = clusters or {}
    out = []
    volume = window.period_volume
    for f in found:
        row = prior.get(f.id)
        if row is None or row.status == "resolved":
            status = "new"
            if f.kind == "emerging" and f.cluster_id in clusters:
                status = EMERGING_TO_STATUS.get(
                    getattr(clusters[f.cluster_id], "status", "new"), "new"
                )
            first = period_label if row is None else row.first_period
            out.append(
                replace(
                    f, status=status, first_period=first, previous_count=row.count if row else None
                )
            )
        else:
            status = compare(f.count, volume, row.count, row.volume)
            out.append(
                replace(
                    f, status=status, first_period=row.first_period, previous_count=row.count,
                    baseline_rate=row.baseline_rate,
                )
            )  # fmt: skip
    seen = {f.id for f in found}
    for fid, row in sorted(prior.items()):
        if fid in seen or row.status == "resolved":
            continue
        count = current_count(row, window, clusters)
        series = current_series(row, window)
        expected = None
        if series is not None and window.baseline_volume > 0:
            expected = float(series[:-1].sum()) * volume / window.baseline_volume
        if back_to_baseline(count, volume, row.baseline_rate):
            status = "resolved"
        else:
            status = compare(count, volume, row.count, row.volume)
        out.append(
            Finding(
                fid, row.kind, row.topic, row.product, row.owner, count, volume,
                priority="P3", status=status, safety=count if row.kind == "safety" else 0,
                cluster_id=row.cluster_id, emerging_id=row.cluster_id, label=row.label,
                previous_count=row.count, first_period=row.first_period,
                baseline_rate=row.baseline_rate, qualifies=False, routed_topic=row.topic,
                expected=expected, growth=count / expected if expected else None,
            )
        )  # fmt: skip
    return out


def persist(
    store: Store, period: Period, findings: Iterable[Finding], volume: int, *, with_emerging: bool
) -> None:
    """Store the period's rows (replacing a previous run of the same period)."""
    now = datetime.now().isoformat(timespec="seconds")
    start = period.start.isoformat()
    findings = list(findings)
    with store.transaction() as conn:
        conn.execute("DELETE FROM finding_periods WHERE period = ?", (period.label,))
        for f in findings:
            conn.execute(
                "INSERT INTO findings (id, kind, topic, product, cluster_id, label, baseline_rate, "
                "first_period, first_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET label = excluded.label, "
                "baseline_rate = CASE WHEN ? = 'new' THEN excluded.baseline_rate ELSE findings.baseline_rate END, "
                "first_period = CASE WHEN excluded.first_start < findings.first_start "
                "THEN excluded.first_period ELSE findings.first_period END, "
                "first_start = MIN(findings.first_start, excluded.first_start)",
                (f.id, f.kind, f.topic, f.product, f.cluster_id or None, f.label, f.baseline_rate,
                 period.label, start, f.status),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO finding_periods (finding_id, period, period_start, count, volume, "
                "negative_share, safety, expected, growth, q_value, nps_impact, priority, status, "
                "owner_team, owner_person, owner_contact, computed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (f.id, period.label, start, f.count, f.volume, f.negative_share, f.safety, f.expected,
                 f.growth, f.q_value, f.impact.value if f.impact else None, f.priority, f.status,
                 f.owner.team, f.owner.person, f.owner.contact, now),
            )  # fmt: skip
        conn.execute(
            "INSERT OR REPLACE INTO report_periods (period, period_start, volume, findings, with_emerging, "
            "computed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (period.label, start, volume, len(findings), int(with_emerging), now),
        )


def reported_periods(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT period FROM report_periods")}


def open_since(period: Period) -> str:
    """First period_start a still-open finding is carried from."""
    days = (period.end - period.start).days
    return (period.start - timedelta(days=days * OPEN_LOOKBACK)).isoformat()


@dataclass(frozen=True)
class FollowUp:
    """A finding of the previous weeks: then and now."""

    id: str
    kind: str
    topic: str
    product: str
    owner: Owner
    label: str
    then_period: str
    then_count: int
    then_priority: str
    now_count: int
    status: str
    verdict: str  # better | worse | unchanged | resolved

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "product": self.product,
            "owner": self.owner.name,
            "then_period": self.then_period,
            "then_count": self.then_count,
            "then_priority": self.then_priority,
            "now_count": self.now_count,
            "status": self.status,
            "verdict": self.verdict,
        }


def follow_up(
    store: Store, period: Period, current: Sequence[Finding], weeks: int = BACKFILL
) -> list[FollowUp]:
    """What became of the findings reported in the ``weeks`` periods before this one."""
    days = (period.end - period.start).days
    since = (period.start - timedelta(days=days * weeks)).isoformat()
    first: dict[str, Row] = {}
    last: dict[str, Row] = {}
    for row in rows_between(store, since, period.start.isoformat()):
        first.setdefault(row.finding_id, row)
        last[row.finding_id] = row
    now = {f.id: f for f in current}
    volume = current[0].volume if current else 0
    out = []
    for fid, then in first.items():
        f = now.get(fid)
        if f is not None:
            status, now_count, vol = f.status, f.count, f.volume
        else:
            status, now_count, vol = (
                ("resolved" if last[fid].status == "resolved" else last[fid].status),
                0,
                volume,
            )
        if status == "resolved":
            verdict = "resolved"
        else:
            trend = compare(now_count, vol, then.count, then.volume)
            verdict = {"worsening": "worse", "improving": "better"}.get(trend, "unchanged")
        out.append(
            FollowUp(
                fid, then.kind, then.topic, then.product, then.owner, then.label, then.period,
                then.count, then.priority, now_count, status, verdict,
            )
        )  # fmt: skip
    order = {"worse": 0, "unchanged": 1, "better": 2, "resolved": 3}
    return sorted(out, key=lambda u: (order[u.verdict], u.then_priority, -u.then_count, u.id))
