"""Assemble the frozen :class:`Report` of one period from the store.

Everything is aggregated in the store: grouped scans over the days the report needs
(trend, baselines, back-filled weeks) and over the period (:mod:`voc.report.cube`),
plus the quotes. Python sees counts, the findings and a few quotes. The period's
emerging-issue clusters are read from the store when the stored run is current, and
clustered (and stored) otherwise. Findings come from :mod:`voc.findings`: one burst
test per series, one status per finding, computed once here and shown by every
renderer. The workbook streams its data sheet from ``Store.records``.

A period with no feedback, or with feedback not yet analysed, is refused
(:class:`PeriodDataError`): it must not look like a quiet week.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from voc.errors import VocError
from voc.findings import loop
from voc.findings.model import ALL_PRODUCTS, Finding, FindingOptions
from voc.findings.routing import Owner, PriorityRule, Router, load_router
from voc.findings.select import candidates
from voc.findings.series import (
    Buckets,
    Counts,
    SeriesTest,
    product_name,
    safety_subject,
    test_series,
)
from voc.lexicon import Lexicons
from voc.period import Period, week_label
from voc.report.cube import (
    PERIOD_COLUMNS,
    DayCube,
    PeriodCube,
    PeriodTopics,
    read_day_cube,
    read_period_cube,
    read_period_topics,
)
from voc.report.drivers import N_BOOT, group_values, impacts
from voc.report.i18n import load_topic_names
from voc.report.metrics import (
    KINDS,
    NpsQuery,
    NpsSummary,
    NpsValue,
    RatingMapping,
    previous,
    primary_kind,
)
from voc.report.topics import Quote, TopicRow, quotes_for, topic_rows
from voc.store import Store
from voc.store.rows import DayMentionRow, DaySafetyRow, DayVolumeRow

log = logging.getLogger(__name__)


class PeriodDataError(VocError):
    """The period cannot be reported: no feedback, or feedback not analysed yet."""


#: A period with less than this share of the period before's feedback (when that had at
#: least :data:`THIN_MIN_PREVIOUS` records) is flagged as thin in every report format.
THIN_SHARE = 0.2
THIN_MIN_PREVIOUS = 50


@dataclass(frozen=True)
class ReportOptions:
    """Everything tunable about a report (defaults are what the CLI uses)."""

    min_n: int = 30
    mapping: RatingMapping = field(default_factory=RatingMapping)
    baseline_periods: int = 8
    trend_periods: int = 12
    findings: FindingOptions = field(default_factory=FindingOptions)
    priority: PriorityRule = field(default_factory=PriorityRule)
    n_boot: int = N_BOOT
    quotes: int = 8  # per finding: the owner sheets list them; the console and markdown show one
    emerging: bool = True
    persist: bool = True
    backfill: int = loop.BACKFILL
    top_groups: int = 15
    today: date | None = None  # China-time date the report is made on (None: today)


@dataclass(frozen=True)
class Volume:
    """How much feedback the period has."""

    total: int
    analyzed: int
    reviews: int
    tickets: int
    negative: int
    safety: int
    previous_total: int
    by_channel: tuple[tuple[str, int], ...]
    by_product: tuple[tuple[str, int], ...]

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.analyzed if self.analyzed else None

    @property
    def change(self) -> float | None:
        """Feedback volume against the previous period, as a fraction (+0.25 is 25% more)."""
        return (self.total - self.previous_total) / self.previous_total if self.previous_total else None

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "analyzed": self.analyzed,
            "reviews": self.reviews,
            "tickets": self.tickets,
            "negative": self.negative,
            "negative_share": None
            if self.negative_share is None
            else round(self.negative_share, 4),
            "safety": self.safety,
            "previous_total": self.previous_total,
            "change": None if self.change is None else round(self.change, 4),
            "by_channel": dict(self.by_channel),
            "by_product": dict(self.by_product),
        }


@dataclass(frozen=True)
class GroupNps:
    """NPS-style values of one product or channel."""

    name: str
    values: tuple[NpsValue, ...]  # in KINDS order

    @property
    def n(self) -> int:
        return max(v.n for v in self.values)

    def of(self, kind: str) -> NpsValue:
        return self.values[KINDS.index(kind)]

    def to_json(self) -> dict[str, Any]:
        return {k: v.to_json() for k, v in zip(KINDS, self.values, strict=False)}


@dataclass(frozen=True)
class Report:
    """The report of one period: what every renderer (console, Excel, Markdown, JSON) shows."""

    period: Period
    generated_at: str
    volume: Volume
    nps: tuple[NpsSummary, ...]  # in KINDS order
    primary_kind: str
    trend: tuple[tuple[str, tuple[NpsValue, ...]], ...]  # (period label, values in KINDS order)
    by_product: tuple[GroupNps, ...]
    by_channel: tuple[GroupNps, ...]
    topics: tuple[TopicRow, ...]
    findings: tuple[Finding, ...]
    followup: tuple[loop.FollowUp, ...]
    quotes: tuple[Quote, ...]
    candidates: tuple[Any, ...] = ()  # voc.emerging Candidates (new topic suggestions)
    emerging_error: str = ""
    rule: PriorityRule = field(default_factory=PriorityRule)
    topic_names: tuple[tuple[str, tuple[str, str]], ...] = ()  # id -> (zh, en) from topics.tsv
    min_n: int = 30
    mapping: RatingMapping = field(default_factory=RatingMapping)  # stars -> promoters/passives/detractors
    stored: bool = False  # the findings' statuses were stored (an ISO-week report)
    complete: bool = True  # False: the period has not ended yet (nothing stored)

    @property
    def thin(self) -> bool:
        """Whether this period's feedback is a small fraction of the period before's (an
        export cut short, a channel missing): the report says so, since its counts and
        NPS then read as a quiet week (no finding is resolved on it: :mod:`voc.findings.loop`)."""
        v = self.volume
        return v.previous_total >= THIN_MIN_PREVIOUS and v.total < v.previous_total * THIN_SHARE

    def proxy_note(self, t: Any) -> str:
        """The proxies' legend, with the star mapping this report used."""
        return t("proxy_note", stars=self.mapping.describe(t.lang))

    def nps_of(self, kind: str) -> NpsSummary:
        return self.nps[KINDS.index(kind)]

    def quotes_of(self, finding_id: str) -> list[Quote]:
        return [q for q in self.quotes if q.finding_id == finding_id]

    def headline_quotes(self, n: int) -> list[tuple[Finding, Quote]]:
        """One quote for each of the first ``n`` open findings, never the same text twice,
        except for a P0: a report of two hazards (鼓包, 冒烟) is the evidence of both its
        safety findings, and each P0 shows its evidence."""
        seen: set[str] = set()
        out = []
        for f in self.open_findings[:n]:
            quotes = self.quotes_of(f.id)
            fresh = next((q for q in quotes if q.text not in seen), None)
            if fresh is None and f.priority == "P0" and quotes:
                fresh = quotes[0]
            if fresh is not None:
                seen.add(fresh.text)
                out.append((f, fresh))
        return out

    @property
    def emerging(self) -> list[Finding]:
        """The period's emerging issues, most urgent first: the findings of a topic x
        product series that bursts or that a bursting cluster joins, and of the bursting
        clusters that stand alone (`voc emerging` lists the same alarms)."""
        return [f for f in self.findings if f.qualifies and (
            f.kind == "emerging" or (f.kind == "topic" and f.product != ALL_PRODUCTS and f.burst))]

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.is_open]

    @property
    def p0(self) -> list[Finding]:
        return [f for f in self.open_findings if f.priority == "P0"]

    def owners(self) -> list[Owner]:
        """Owners with findings in this report, by their most urgent finding."""
        order: dict[Owner, tuple[Any, ...]] = {}
        for f in self.findings:
            order.setdefault(f.owner, f.sort_key())
        return sorted(order, key=lambda o: (order[o], o.name))

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md ``report`` object."""
        p = self.period
        return {
            "period": p.label,
            "since": p.start.isoformat(),
            "until": (p.end - timedelta(days=1)).isoformat(),
            "generated_at": self.generated_at,
            "volume": self.volume.to_json(),
            "nps": {s.kind: s.to_json() for s in self.nps},
            "primary_kind": self.primary_kind,
            "min_n": self.min_n,
            "trend": [
                {"period": label, **{k: v.to_json() for k, v in zip(KINDS, vals, strict=False)}}
                for label, vals in self.trend
            ],
            "by_product": {g.name: g.to_json() for g in self.by_product},
            "by_channel": {g.name: g.to_json() for g in self.by_channel},
            "topics": [t.to_json() for t in self.topics],
            "emerging": [_emerging_json(f, self.quotes_of(f.id)) for f in self.emerging],
            "candidates": [c.to_json() for c in self.candidates],
            "emerging_error": self.emerging_error or None,
            "findings": [f.to_json() for f in self.findings],
            "followup": [u.to_json() for u in self.followup],
            "quotes": [q.to_json() for q in self.quotes],
            "priority_rule": self.rule.describe("en"),
            "stored": self.stored,
            "complete": self.complete,
            "thin": self.thin,
        }


def _emerging_json(f: Finding, quotes: list[Quote]) -> dict[str, Any]:
    """An emerging issue of the report: its finding's numbers, under the id of the series
    they belong to (a cluster, or ``topic@product`` with the clusters it explains)."""
    out = f.to_json()
    out["finding_id"] = out.pop("id")
    out["id"] = f.cluster_id if f.kind == "emerging" else f"{f.topic}@{product_name(f.product)}"
    out["related"] = [f.emerging_id] if f.kind != "emerging" and f.emerging_id else []
    out["products"] = [{"product": p, "share": round(sh, 4)} for p, sh in f.products] or [
        {"product": product_name(f.product), "share": 1.0}]
    out["quotes"] = [q.text for q in quotes]
    return out


def _volume(cube: PeriodCube, day_cube: DayCube, previous: Period) -> Volume:
    rows = cube.rows
    analysed = sum(r[9] for r in rows if r[8])

    def ranked(column: int) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(cube.count_by(column).items(), key=lambda kv: (-kv[1], kv[0])))

    kinds = cube.count_by(2)
    return Volume(
        total=cube.total(),
        analyzed=analysed,
        reviews=kinds.get("review", 0),
        tickets=kinds.get("ticket", 0),
        negative=sum(r[9] for r in rows if r[6] == "negative"),
        safety=sum(r[9] for r in rows if r[7]),
        previous_total=day_cube.total_between(previous.start, previous.end),
        by_channel=ranked(1),
        by_product=ranked(0),
    )


def check_period(store: Store, period: Period) -> None:
    """Refuse a period with no feedback, or with feedback not analysed yet: reporting it
    would mark every finding as if the week were quiet."""
    cov = store.coverage(period.start_ts, period.end_ts)
    if cov.records == 0:
        if cov.latest_before is None and cov.earliest_after is None:
            raise PeriodDataError(f"{period.label} has no feedback: the store holds none yet (run `voc ingest`)")
        near = cov.latest_before or cov.earliest_after
        where = "latest" if cov.latest_before else "earliest"
        assert near is not None
        when = week_label(date.fromisoformat(near[:10])) if period.is_week else near[:10]
        raise PeriodDataError(f"{period.label} has no feedback; the {where} is in {when} (pass --week {when})"
                              if period.is_week else f"{period.label} has no feedback; the {where} is on {when}")
    if cov.unanalysed:
        raise PeriodDataError(f"{period.label} has {cov.unanalysed:,} of {cov.records:,} records not analysed yet: "
                              "run `voc analyze` first")


@dataclass
class _Scans:
    """The day scans every period of the report shares (trend, baselines, back-fill)."""

    day_cube: DayCube
    volumes: list[DayVolumeRow]
    mentions: list[DayMentionRow]
    safety: list[DaySafetyRow]

    def counts(self, period: Period, baseline: int) -> Counts:
        return Counts.from_rows(Buckets.of(period, baseline), self.volumes, self.mentions, self.safety)


def _carried(tests: dict[str, SeriesTest], run: Any, stored_merges: dict[str, str]):
    """This period's count of a finding that no longer qualifies (None: not measured)."""

    def count_of(row) -> loop.Carried | None:
        if row.kind == "emerging":
            if run is None:
                return None
            cid = stored_merges.get(row.cluster_id, row.cluster_id)
            subject = cid
        elif row.kind == "safety":
            subject = safety_subject(row.hazard, row.product)
        else:
            subject = f"{row.topic}@{'*' if row.product == ALL_PRODUCTS else product_name(row.product)}"
        t = tests.get(subject)
        if t is None:
            return loop.Carried(0, 0.0, None)
        return loop.Carried(t.count, t.expected, t.growth)

    return count_of


def _period_findings(
    store: Store,
    period: Period,
    scans: _Scans,
    topics: PeriodTopics,
    router: Router,
    query: NpsQuery,
    opts: ReportOptions,
    events: Sequence[Any],
    run: Any = None,
    merges: Mapping[str, str] | None = None,
) -> tuple[list[Finding], dict[str, SeriesTest], Counts]:
    """Findings of one period with their tests, NPS impacts, statuses and priorities (not
    stored); ``events``: people's decisions, ``merges``: the stored clusters merged into others."""
    counts = scans.counts(period, opts.baseline_periods)
    if run is not None:
        counts.clusters = run.weekly()
    previous_alarms = store.alarmed_series(period.shift_weeks(1).label) if period.is_week else set()
    tests = test_series(counts, opts.findings.burst, previous_alarms=previous_alarms)
    volume = counts.period_volume
    mentions = {k: (a, neg) for k, (a, neg, _pos) in topics.mentions().items()}
    for topic, (a, neg, _pos) in topics.by_topic().items():
        mentions[(topic, ALL_PRODUCTS)] = (a, neg)
    terms = _terms(store, period)
    from voc.emerging.run import cluster_info

    clusters = {cid: cluster_info(d) for cid, d in run.clusters.items()} if run is not None else {}
    found = candidates(tests, volume, router, opts.findings, mentions=mentions, terms=terms,
                       safety_topics=topics.safety_topics(), clusters=clusters)
    totals = scans.day_cube.nps(period.start, period.end, query.min_n)
    kind = primary_kind(totals)
    groups = group_values(topics, {}, kind, query.min_n, by_product=True)
    spread = group_values(topics, {}, kind, query.min_n)  # by topic, for findings across products
    # a safety finding is one hazard of one product: its impact is that of its own reports
    # (a product's smoke report and its swelling ones are two findings, two impacts)
    hazards = scans.day_cube.safety_nps(period.start, period.end, kind, query.min_n, by_hazard=True)
    prior = store.latest_finding_rows("", period.start.isoformat())
    statused = loop.apply_status(
        found, period, volume, prior=prior, events=events, history=store.finding_history,
        carried=_carried(tests, run, merges or {}), arrivals=store.safety_arrivals,
    )
    later = loop.later_decisions(events, period)
    statused = [_closed_later(store, f, later[f.id]) if f.id in later else f for f in statused]
    # the signals of every finding of the period, those carried on from earlier weeks
    # included (an open finding that no longer qualifies is prioritised on what it is now)
    wanted = {}
    for i, f in enumerate(statused):
        if f.kind == "safety":
            g = hazards.get((f.hazard or "safety", f.product))
        elif f.kind == "topic":
            g = spread.get((f.topic,)) if f.product == ALL_PRODUCTS else groups.get((f.topic, f.product))
            if f.negative_share is None and f.count:
                all_m, neg_m = mentions.get((f.topic, f.product), (0, 0))
                if all_m:
                    statused[i] = replace(f, negative_share=neg_m / all_m)
        else:
            g = None
        if g is not None:
            wanted[loop.impact_key(f)] = g
    found_impacts = impacts(totals[kind], wanted, n_boot=opts.n_boot)
    return loop.prioritise(statused, opts.priority, found_impacts), tests, counts  # type: ignore[arg-type]


def _closed_later(store: Store, f: Finding, decision) -> Finding:
    """A finding of an old week that a person closed since: it does not alarm, unless
    safety reports of its hazard were stored after that close."""
    late = store.safety_arrivals(decision.at).get((f.hazard or "safety", f.product), 0) if f.kind == "safety" else 0
    return replace(f, closed_later=decision, arrived_after_close=max(f.arrived_after_close, late))


def _terms(store: Store, period: Period) -> dict[tuple[str, str], tuple[str, ...]]:
    """What each topic x product, topic and product's safety reports say most (evidence)."""
    from voc.emerging.run import topic_terms

    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for group in ("topic", "topic_all", "safety"):
        out.update(topic_terms(store, period, group))
    return out


def _missing_weeks(store: Store, period: Period, backfill: int) -> list[Period]:
    """Earlier weeks (oldest first) never reported that have records, all analysed."""
    done = store.reported_periods()
    out = []
    for k in range(backfill, 0, -1):
        earlier = period.shift_weeks(k)
        if earlier.label in done:
            continue
        cov = store.coverage(earlier.start_ts, earlier.end_ts)
        if cov.records and not cov.unanalysed:
            out.append(earlier)
    return out


def _emerging(store: Store, period: Period, lexicons: Lexicons, opts: ReportOptions) -> tuple[Any, str]:
    """The period's emerging clusters (stored run, or clustered now); on failure the
    report goes on without them."""
    if not opts.emerging:
        return None, "disabled"
    try:
        from voc.emerging import current_run

        return current_run(store, period, lexicons=lexicons, baseline_weeks=opts.baseline_periods,
                           persist=opts.persist), ""
    except Exception as e:  # noqa: BLE001 - the rest of the report is still worth having
        if os.environ.get("VOC_DEBUG"):
            raise
        log.warning("emerging-issue detection failed: %s", e)
        return None, f"{type(e).__name__}: {e}"


def build_report(
    store: Store,
    period: Period,
    *,
    lexicons: Lexicons | None = None,
    options: ReportOptions | None = None,
) -> Report:
    """The report of ``period``; with ``options.persist`` (and an ISO week) the findings'
    statuses are stored, earlier unreported weeks back-filled first.

    Raises :class:`PeriodDataError` when the period has no feedback or unanalysed feedback.
    """
    opts = options or ReportOptions()
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    check_period(store, period)
    names = load_topic_names(lexicons)
    router = load_router(lexicons)
    query = NpsQuery(opts.mapping, opts.min_n)
    from voc.period import today_cst

    complete = period.end <= (opts.today or today_cst())
    persist = opts.persist and period.is_week and complete
    missing = _missing_weeks(store, period, opts.backfill) if persist else []
    n_series = max(opts.trend_periods, opts.baseline_periods + 1)
    lo = min([previous(period, n_series - 1).start] + [Buckets.of(w, opts.baseline_periods).spans[0][0]
                                                       for w in missing])
    lo_ts, hi_ts = f"{lo} 00:00:00", period.end_ts
    scans = _Scans(read_day_cube(store, query, lo, period.end), list(store.day_volumes(lo_ts, hi_ts)),
                   list(store.day_mentions(lo_ts, hi_ts)), list(store.day_safety(lo_ts, hi_ts)))

    series = query.series(scans.day_cube, period, n_series)
    summary = query.summary(series, opts.baseline_periods)
    current = {k: s.current for k, s in summary.items()}
    kind = primary_kind(current)
    trend = tuple((p.label, tuple(v[k] for k in KINDS)) for p, v in series[-opts.trend_periods :])
    while len(trend) > 1 and not any(v.n for v in trend[0][1]):  # weeks before the store's first feedback
        trend = trend[1:]
    cube = read_period_cube(store, query, period.start_ts, period.end_ts)
    topics = read_period_topics(store, query, period.start_ts, period.end_ts)

    def groups(column: int) -> tuple[GroupNps, ...]:
        rows = cube.grouped_nps(column, opts.min_n)
        ranked = sorted(rows.items(), key=lambda kv: (-max(v.n for v in kv[1].values()), kv[0]))
        return tuple(GroupNps(name, tuple(v[k] for k in KINDS)) for name, v in ranked[: opts.top_groups])

    events = store.finding_events()  # people's decisions (reports do not change them)
    for week in missing:  # back-fill earlier weeks first, oldest first, so statuses chain
        week_topics = read_period_topics(store, query, week.start_ts, week.end_ts)
        week_found, _t, week_counts = _period_findings(store, week, scans, week_topics, router, query, opts, events)
        loop.persist(store, week, week_found, week_counts.period_volume, with_emerging=False)
    run, error = _emerging(store, period, lexicons, opts)
    merges = {c.id: c.merged_into for c in store.stored_clusters() if c.merged_into} if run is not None else {}
    found, tests, counts = _period_findings(store, period, scans, topics, router, query, opts, events, run, merges)
    if persist:
        loop.persist(store, period, found, counts.period_volume, with_emerging=run is not None)
        if run is not None:
            from voc.emerging.run import save_statuses

            save_statuses(store, period, tests, {cid: d.label for cid, d in run.clusters.items()})
    safety = scans.day_cube.safety_nps(period.start, period.end, kind, opts.min_n)
    topic_impacts = impacts(current[kind], group_values(topics, safety, kind, opts.min_n), n_boot=opts.n_boot)
    days = timedelta(days=(period.end - period.start).days)
    followed = store.finding_rows((period.start - days * loop.BACKFILL).isoformat(), period.start.isoformat())
    closed = {fid for fid, e in loop.decisions(events, period).items() if e.action == "close"}
    cluster_quotes = {cid: d.quotes for cid, d in run.clusters.items()} if run is not None else {}
    return Report(
        period=period,
        generated_at=datetime.now().isoformat(timespec="seconds"),
        volume=_volume(cube, scans.day_cube, previous(period, 1)),
        nps=tuple(summary[k] for k in KINDS),
        primary_kind=kind,
        trend=trend,
        by_product=groups(PERIOD_COLUMNS["product"]),
        by_channel=groups(PERIOD_COLUMNS["channel"]),
        topics=tuple(topic_rows(topics, tests, counts.period_volume, router, topic_impacts)),
        findings=tuple(found),
        followup=tuple(loop.follow_up(followed, found, _carried(tests, run, merges), closed)),
        quotes=tuple(quotes_for(store, period, found, cluster_quotes, per_finding=opts.quotes)),
        candidates=tuple(_candidates(run, tests)),
        emerging_error=error,
        rule=opts.priority,
        topic_names=tuple(sorted(names.items())),
        min_n=opts.min_n,
        mapping=opts.mapping,
        stored=persist,
        complete=complete,
    )


def _candidates(run: Any, tests: dict[str, SeriesTest]) -> list[Any]:
    """Clusters no taxonomy topic covers, with keywords for a new topic."""
    if run is None:
        return []
    from voc.emerging.describe import candidate_of

    out = [c for c in (candidate_of(d, tests[cid].status) for cid, d in run.clusters.items()
                       if cid in tests and tests[cid].count > 0) if c is not None]
    return sorted(out, key=lambda c: (c.status not in ("new", "growing"), -c.count, c.cluster_id))
