"""The closed loop: one status per finding and period, kept in the store, and people's decisions.

Status of a finding in a period, from its latest stored row, the decisions people took
(``voc findings close/reopen``) and this period's count:

``new``
    it qualifies as a finding and was not open before (never seen, resolved, or closed
    by a person in an earlier period: it came back);
``worsening`` / ``improving`` / ``ongoing``
    it was open; its rate is significantly higher / lower than at its last report
    (exact conditional binomial test of two Poisson counts, normalised by the feedback
    volume of each period, two-sided alpha 0.05), or neither. A finding that no longer
    qualifies stays open this way until it is resolved;
``resolved``
    resolved needs evidence, for :data:`RESOLVE_PERIODS` consecutive reported periods:
    (1) back at baseline: in each of them the count is not significantly above the
    finding's baseline rate (Poisson upper tail, alpha 0.05), and (2) enough volume to
    have seen it: had the issue stayed at the rate it had when it last qualified, the
    counts of those periods together would have been significantly higher (Poisson
    lower tail, alpha 0.05). Only a period with the volume to expect at least one report
    at that rate counts (:data:`MIN_EXPECTED`): a small week cannot resolve anything,
    nor count as one of the quiet periods; an empty one is never reported. **A safety finding (P0) is never resolved by the statistics**: it stays
    open, at P0, until a person closes it;
``closed``
    a person closed it with a note in this period (reports that arrive for the period
    after the decision make it ``new`` again: another safety report, or a significant
    rise for other findings).

A closed **safety** finding also comes back as ``new``, in whatever week is reported
next, when a safety report of its hazard and product is stored after the decision,
whatever the date it carries: a late export must not slip a P0 past the person who
closed it. From the next period on a closed
    finding is not listed unless it comes back: a new safety report, a significant
    burst, or a rate significantly above its last report's (then it is ``new``, with
    the earlier decision shown); a reopened one is open again.

Every ISO-week report stores one row per finding it lists (replacing the rows of that
week if the report is re-run, so re-running is idempotent). Ranges given with
``--since/--until`` get statuses but are not stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from scipy.stats import poisson

from voc.findings.model import OPEN_STATUSES, Decision, Finding, FindingOptions
from voc.findings.routing import Owner, PriorityRule
from voc.findings.stats import binom_cdf, binom_sf
from voc.period import Period
from voc.store import Store
from voc.store.rows import FindingEvent, FindingRecord, FindingRow

ALPHA = 0.05
RESOLVE_PERIODS = 2
#: A quiet period counts towards :data:`RESOLVE_PERIODS` only when it had the volume to
#: expect at least this many reports at the rate the finding had when it last qualified:
#: a week of 3 records after weeks of 800 is no evidence that anything went away.
MIN_EXPECTED = 1.0
BACKFILL = 4
SYSTEM_USER = "voc"


def compare(count: int, volume: int, prev_count: int, prev_volume: int, alpha: float = ALPHA) -> str:
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


def trend(count: int, volume: int, row: Any, earlier: Any | None, alpha: float = ALPHA) -> str:
    """:func:`compare` against the last reported ``row``, and, when that says ``ongoing``,
    the steady rise or fall over the two weeks before (8 → 15 → 22): the rate went the
    same way twice and this week differs significantly from ``earlier`` (the row before
    ``row``), so each step too small to tell on its own still shows."""
    status = compare(count, volume, row.count, row.volume, alpha)
    if status != "ongoing" or earlier is None or not (volume and row.volume and earlier.volume):
        return status
    now, last, before = count / volume, row.count / row.volume, earlier.count / earlier.volume
    if now > last > before or now < last < before:
        return compare(count, volume, earlier.count, earlier.volume, alpha)
    return status


def _before(rows: Sequence[Any], row: Any) -> Any | None:
    """The latest of ``rows`` (a finding's history) before ``row``."""
    earlier = [r for r in rows if r.period_start < row.period_start]
    return max(earlier, key=lambda r: r.period_start) if earlier else None


def at_baseline(count: int, volume: int, baseline_rate: float | None, alpha: float = ALPHA) -> bool:
    """True when ``count`` is not significantly above ``baseline_rate`` (per 1000) of
    ``volume`` (no baseline known counts as a rate of zero: one or two reports at most)."""
    if count == 0:
        return True
    lam = max((baseline_rate or 0.0) * volume / 1000.0, 0.5)
    return float(poisson.sf(count - 1, lam)) > alpha


def would_have_seen(count: int, volume: int, open_rate: float, alpha: float = ALPHA) -> bool:
    """True when ``count`` in ``volume`` records is significantly below ``open_rate``
    (per record): had the issue persisted, this much feedback would have shown it."""
    lam = open_rate * volume
    return lam > 0 and float(poisson.cdf(count, lam)) <= alpha


def decisions(events: Sequence[FindingEvent], period: Period) -> dict[str, FindingEvent]:
    """Each finding's latest decision that is in effect for ``period``."""
    start = period.start.isoformat()
    out: dict[str, FindingEvent] = {}
    for e in events:  # oldest first
        if e.period_start <= start:
            out[e.finding_id] = e
    return out


def later_decisions(events: Sequence[FindingEvent], period: Period) -> dict[str, Decision]:
    """Findings whose latest decision is a close taking effect after ``period`` (a re-run
    of an old week must not alarm on what a person has closed since)."""
    start = period.start.isoformat()
    latest: dict[str, FindingEvent] = {}
    for e in events:
        latest[e.finding_id] = e
    return {fid: Decision(e.action, e.by, e.at, e.note, e.period) for fid, e in latest.items()
            if e.action == "close" and e.period_start > start}


def _decision(e: FindingEvent | None) -> Decision | None:
    return Decision(e.action, e.by, e.at, e.note, e.period) if e is not None else None


@dataclass(frozen=True)
class Carried:
    """A finding's series this period, for one that was open but no longer qualifies."""

    count: int
    expected: float | None
    growth: float | None


def _was_open(row: FindingRow | None, event: FindingEvent | None) -> bool:
    if row is None:
        return event is not None and event.action == "reopen"
    if row.status in OPEN_STATUSES:
        return True
    return event is not None and event.action == "reopen" and event.period_start >= row.period_start


def _quiet_streak(history: Sequence[FindingRow], period: Period, event: FindingEvent | None) -> list[FindingRow]:
    """The rows of the consecutive periods just before ``period`` in which the finding
    was open, did not qualify and was back at baseline (newest first)."""
    step = timedelta(days=(period.end - period.start).days)
    want = period.start - step
    since_reopen = event.period_start if event is not None and event.action == "reopen" else ""
    streak = []
    for row in reversed(history):
        if row.period_start >= period.start.isoformat():
            continue
        if row.period_start != want.isoformat() or row.period_start < since_reopen:
            break
        if row.qualifies or not row.at_baseline or row.status not in OPEN_STATUSES:
            break
        streak.append(row)
        want -= step
    return streak


def _open_rate(history: Sequence[FindingRow], period: Period) -> float | None:
    """Count per record when the finding last qualified."""
    for row in reversed(history):
        if row.period_start < period.start.isoformat() and row.qualifies and row.volume > 0:
            return row.count / row.volume
    return None


def apply_status(
    found: Sequence[Finding],
    period: Period,
    volume: int,
    *,
    prior: Mapping[str, FindingRow],
    events: Sequence[FindingEvent],
    history: Callable[[str], Sequence[FindingRow]],
    carried: Callable[[FindingRow], Carried | None],
    arrivals: Callable[[str], Mapping[tuple[str, str], int]] | None = None,
) -> list[Finding]:
    """Statuses for the qualifying findings, plus the open ones that stopped qualifying
    (and the ones a person closed in this period).

    ``prior``: each finding's latest stored row before the period; ``history(id)``: all
    of a finding's rows; ``carried(row)``: this period's count of a finding that no
    longer qualifies, or None when it was not measured (an emerging cluster of a period
    that was not clustered): it then stays open, ``ongoing``, whatever its rows say.
    ``arrivals(time)``: safety reports stored since ``time``, by (hazard, product).
    """
    decided = decisions(events, period)
    cache: dict[str, Mapping[tuple[str, str], int]] = {}

    def arrived(kind: str, hazard: str, product: str, event: FindingEvent | None) -> int:
        """Safety reports of this hazard and product stored since the person closed it."""
        if kind != "safety" or arrivals is None or event is None or event.action != "close":
            return 0
        if event.at not in cache:
            cache[event.at] = arrivals(event.at)
        return cache[event.at].get((hazard or "safety", product), 0)

    start = period.start.isoformat()
    out: list[Finding] = []
    for f in found:
        row, event = prior.get(f.id), decided.get(f.id)
        first = row.first_period if row is not None else period.label
        base = replace(f, first_period=first, previous_count=row.count if row is not None else None,
                       decision=_decision(event), at_baseline=at_baseline(f.count, volume, f.baseline_rate))
        if event is not None and event.action == "close" and event.period_start == start:
            # closed in this very period: it stays closed unless reports came in after the
            # decision (another safety report; a significant rise for other findings)
            at_close = event.count if event.count is not None else f.count
            later = f.count > at_close and (f.kind == "safety" or compare(
                f.count, volume, at_close, event.volume or volume) == "worsening")
            late = arrived(f.kind, f.hazard, f.product, event)
            out.append(replace(base, status="new" if later or late else "closed", arrived_after_close=late))
        elif event is not None and event.action == "close":
            # closed by a person earlier: it comes back as new when it recurs (another
            # safety report; a burst, or a rate significantly above the last report's)
            late = arrived(f.kind, f.hazard, f.product, event)
            back_again = f.kind == "safety" or f.burst or (
                row is not None and compare(f.count, volume, row.count, row.volume) == "worsening")
            if back_again:
                out.append(replace(base, status="new", arrived_after_close=late))
        elif _was_open(row, event):
            assert row is not None or event is not None
            status = trend(f.count, volume, row, _before(history(f.id), row)) if row is not None else "ongoing"
            out.append(replace(base, status=status, baseline_rate=row.baseline_rate if row is not None
                               else f.baseline_rate))
        else:
            out.append(replace(base, status="new"))
    seen = {f.id for f in found}
    for fid, row in sorted(prior.items()):
        if fid in seen:
            continue
        event = decided.get(fid)
        closed_now = event is not None and event.action == "close" and event.period_start == start
        late = arrived(row.kind, row.hazard, row.product, event)
        if not closed_now and not late and (
                not _was_open(row, event) or (event is not None and event.action == "close")):
            continue
        now = carried(row)
        if now is None:  # not measured this period (its cluster was not computed): keep it open
            out.append(_unmeasured(row, volume, "closed" if closed_now else "ongoing", _decision(event)))
            continue
        back = at_baseline(now.count, volume, row.baseline_rate)
        if late:
            status = "new"  # safety reports stored since the close: open again, at P0
        elif closed_now:
            status = "closed"
        else:
            rows = history(fid)
            streak = _quiet_streak(rows, period, event)
            open_rate = _open_rate(rows, period)
            quiet_count = now.count + sum(r.count for r in streak)
            quiet_volume = volume + sum(r.volume for r in streak)
            resolved = (
                row.kind != "safety"
                and back
                and open_rate is not None
                and open_rate * volume >= MIN_EXPECTED  # this period itself tells
                and 1 + sum(open_rate * r.volume >= MIN_EXPECTED for r in streak) >= RESOLVE_PERIODS
                and would_have_seen(quiet_count, quiet_volume, open_rate)
            )
            status = "resolved" if resolved else trend(now.count, volume, row, _before(rows, row))
        out.append(Finding(
            fid, row.kind, row.topic, row.product, Owner(row.owner_team, row.owner_person, row.owner_contact),
            now.count, volume, priority=row.priority, status=status,
            safety=now.count if row.kind == "safety" else 0, cluster_id=row.cluster_id,
            emerging_id=row.cluster_id, label=row.label, terms=row.terms, previous_count=row.count,
            first_period=row.first_period, baseline_rate=row.baseline_rate, qualifies=False,
            at_baseline=back, routed_topic=row.routed_topic, expected=now.expected, growth=now.growth,
            decision=_decision(event), hazard=row.hazard, arrived_after_close=late,
        ))  # fmt: skip
    return out


def _unmeasured(row: FindingRow, volume: int, status: str, decision: Decision | None) -> Finding:
    return Finding(
        row.finding_id, row.kind, row.topic, row.product, Owner(row.owner_team, row.owner_person, row.owner_contact),
        0, volume, priority=row.priority, status=status, cluster_id=row.cluster_id, emerging_id=row.cluster_id,
        label=row.label, terms=row.terms, previous_count=row.count, first_period=row.first_period,
        baseline_rate=row.baseline_rate, qualifies=False, routed_topic=row.routed_topic, decision=decision,
        hazard=row.hazard,
    )  # fmt: skip


def impact_key(f: Finding) -> tuple[str, str]:
    """The key of a finding's NPS impact: its topic and product, and for a safety finding
    its hazard and product (``safety:smoke``)."""
    return (f"safety:{f.hazard or 'safety'}", f.product) if f.kind == "safety" else (f.topic, f.product)


def prioritise(findings: Sequence[Finding], rule: PriorityRule, impacts: Mapping[tuple[str, str], Any]) -> list[Finding]:
    """Attach NPS impacts and apply the priority rule, most urgent first.

    An open safety finding is P0 whatever its count this period; a resolved one is P3
    (nothing to do); a finding that stopped qualifying keeps the rule's priority of its
    current signals."""
    out = []
    for f in findings:
        impact = impacts.get(impact_key(f)) if f.kind in ("topic", "safety") else None
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
        if f.kind == "safety" and f.status != "resolved":
            priority = "P0"
        elif f.status == "resolved":
            priority = "P3"
        out.append(replace(f, impact=impact, points=points, priority=priority))
    return sorted(out, key=Finding.sort_key)


def records(findings: Sequence[Finding]) -> list[FindingRecord]:
    """The rows to store for a reported period."""
    return [
        FindingRecord(
            f.id, f.kind, f.topic, f.product, f.cluster_id, f.label, tuple(f.terms), f.baseline_rate, f.count,
            f.volume, f.negative_share, f.safety, f.expected, f.growth, f.p_value, f.q_value,
            f.impact.value if f.impact else None, f.priority, f.status, f.owner.team, f.owner.person,
            f.owner.contact, f.qualifies, f.at_baseline, f.routed_topic or f.topic, f.hazard,
        )  # fmt: skip
        for f in findings
    ]


def persist(store: Store, period: Period, findings: Sequence[Finding], volume: int, *, with_emerging: bool) -> None:
    """Store the period's rows (replacing a previous run of the same period)."""
    store.save_period_findings(period.label, period.start.isoformat(), records(findings), volume, with_emerging)


@dataclass(frozen=True)
class FollowUp:
    """A finding of the previous weeks: then and now (now is its status in this report)."""

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
    routed_topic: str = ""
    hazard: str = ""
    arrived_after_close: int = 0  # safety reports stored after a person closed it (they reopened it)
    reopened: bool = False  # open again after a person closed it (Finding.reopened)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "topic": self.topic,
            "product": self.product,
            "owner": self.owner.name,
            "label": self.label,
            "then_period": self.then_period,
            "then_count": self.then_count,
            "then_priority": self.then_priority,
            "now_count": self.now_count,
            "status": self.status,
            "hazard": self.hazard or None,
            "arrived_after_close": self.arrived_after_close,
            "reopened": self.reopened,
        }


def follow_up(rows: Sequence[FindingRow], current: Sequence[Finding],
              count_now: Callable[[FindingRow], Carried | None] | None = None,
              closed: Iterable[str] = ()) -> list[FollowUp]:
    """What became of the findings of earlier rows: then is the first of those rows in
    which it qualified (else its first row); the status shown is the finding's own
    status in this report, or, for one no longer listed, ``closed`` (the ids a person has
    closed) or else the last status it had, with its series' count this period
    (``count_now``, as for a finding carried on; 0 when not measured)."""
    first: dict[str, FindingRow] = {}
    last: dict[str, FindingRow] = {}
    for row in rows:
        if row.finding_id not in first or (row.qualifies and not first[row.finding_id].qualifies):
            first[row.finding_id] = row
        last[row.finding_id] = row
    now = {f.id: f for f in current}
    closed = set(closed)
    out = []
    for fid, then in first.items():
        f = now.get(fid)
        if f is not None:
            status, count, late, back = f.status, f.count, f.arrived_after_close, f.reopened
        else:
            measured = count_now(last[fid]) if count_now is not None else None
            status = "closed" if fid in closed else last[fid].status
            count, late, back = (measured.count if measured is not None else 0), 0, False
        out.append(FollowUp(fid, then.kind, then.topic, then.product,
                            Owner(then.owner_team, then.owner_person, then.owner_contact), then.label,
                            then.period, then.count, then.priority, count, status, then.routed_topic,
                            then.hazard, late, back))
    order = {"worsening": 0, "new": 1, "ongoing": 2, "improving": 3, "resolved": 4, "closed": 5}
    return sorted(out, key=lambda u: (order.get(u.status, 9), u.then_priority, -u.then_count, u.id))


__all__ = [
    "ALPHA", "BACKFILL", "RESOLVE_PERIODS", "Carried", "FindingOptions", "FollowUp", "apply_status", "at_baseline",
    "compare", "decisions", "follow_up", "later_decisions", "persist", "prioritise", "records", "would_have_seen",
]
