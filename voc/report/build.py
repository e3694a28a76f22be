"""Assemble the frozen :class:`Report` of one period from the store.

Everything is aggregated in SQL: two grouped scans over the days the report needs
(trend, baselines, back-filled weeks) and two over the period (:mod:`voc.report.cube`),
plus one per back-filled week and the quotes. Python only sees counts, the findings
and a few quotes. The workbook streams its data sheet separately (:mod:`voc.report.excel_data`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from voc.period import Period
from voc.report import loop
from voc.report.cube import (
    PERIOD_COLUMNS,
    DayCube,
    DayTopics,
    PeriodCube,
    PeriodTopics,
    read_day_cube,
    read_day_topics,
    read_period_cube,
    read_period_topics,
)
from voc.report.drivers import N_BOOT, group_values, impacts
from voc.report.findings import ALL_PRODUCTS, Finding, FindingOptions, candidates, prioritise
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
from voc.report.routing import Owner, PriorityRule, Router, load_router, load_topic_teams
from voc.report.topics import Quote, TopicRow, quotes_for, topic_rows
from voc.report.window import Window, window_from
from voc.settings import resolve_lexicon_dir
from voc.store import Store

log = logging.getLogger(__name__)


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
    quotes: int = 3
    emerging: bool = True
    persist: bool = True
    backfill: int = loop.BACKFILL
    top_groups: int = 15


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
    emerging: tuple[Any, ...] = ()  # voc.emerging Issues that alarmed
    candidates: tuple[Any, ...] = ()  # voc.emerging Candidates (new topic suggestions)
    emerging_error: str = ""
    rule: PriorityRule = field(default_factory=PriorityRule)
    topic_names: tuple[tuple[str, tuple[str, str]], ...] = ()  # id -> (zh, en) from topics.tsv
    min_n: int = 30

    def nps_of(self, kind: str) -> NpsSummary:
        return self.nps[KINDS.index(kind)]

    def quotes_of(self, finding_id: str) -> list[Quote]:
        return [q for q in self.quotes if q.finding_id == finding_id]

    def headline_quotes(self, n: int) -> list[tuple[Finding, Quote]]:
        """One quote for each of the first ``n`` open findings, never the same text twice."""
        seen: set[str] = set()
        out = []
        for f in self.open_findings[:n]:
            for q in self.quotes_of(f.id):
                if q.text not in seen:
                    seen.add(q.text)
                    out.append((f, q))
                    break
        return out

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.status != "resolved"]

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
            "emerging": [i.to_json() for i in self.emerging],
            "candidates": [c.to_json() for c in self.candidates],
            "emerging_error": self.emerging_error or None,
            "findings": [f.to_json() for f in self.findings],
            "followup": [u.to_json() for u in self.followup],
            "quotes": [q.to_json() for q in self.quotes],
            "priority_rule": self.rule.describe("en"),
        }


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


@dataclass(frozen=True)
class _Context:
    """What every period's computation shares: routing, scoring, options and the day scans."""

    router: Router
    query: NpsQuery
    options: ReportOptions
    day_cube: DayCube
    day_topics: DayTopics


def _period_findings(
    store: Store,
    period: Period,
    ctx: _Context,
    topics: PeriodTopics,
    *,
    alarms: tuple[Any, ...] = (),
    clusters: dict[str, Any] | None = None,
) -> tuple[list[Finding], Window]:
    """Findings of one period with NPS impacts, priorities and statuses (not stored)."""
    opts, q = ctx.options, ctx.query
    window = window_from(ctx.day_cube, ctx.day_topics, topics, period, opts.baseline_periods)
    found = candidates(window, ctx.router, opts.findings, alarms=alarms)
    totals = ctx.day_cube.nps(period.start, period.end, q.min_n)
    kind = primary_kind(totals)
    safety = ctx.day_cube.safety_nps(period.start, period.end, kind, q.min_n)
    groups = group_values(topics, safety, kind, q.min_n, by_product=True)
    spread = group_values(topics, {}, kind, q.min_n)  # by topic, for findings across products
    wanted = {}
    for f in found:
        key = (f.topic, f.product)
        g = spread.get((f.topic,)) if f.product == ALL_PRODUCTS else groups.get(key)
        if f.kind in ("topic", "safety") and g is not None:
            wanted[key] = g
    found_impacts = impacts(totals[kind], wanted, n_boot=opts.n_boot)
    prior = loop.latest_rows(store, period.start.isoformat(), loop.open_since(period))
    statused = loop.apply_status(found, prior, window, clusters=clusters, period_label=period.label)
    return prioritise(statused, opts.priority, found_impacts), window  # type: ignore[arg-type]


def _missing_weeks(store: Store, period: Period, backfill: int) -> list[Period]:
    """Earlier weeks (oldest first) never reported that have records."""
    done = loop.reported_periods(store)
    out = []
    for k in range(backfill, 0, -1):
        earlier = period.shift_weeks(k)
        if (
            earlier.label not in done
            and store.conn.execute(
                "SELECT 1 FROM records WHERE created_at >= ? AND created_at < ? LIMIT 1",
                (earlier.start_ts, earlier.end_ts),
            ).fetchone()
        ):
            out.append(earlier)
    return out


def _emerging(
    store: Store, period: Period, lexicon_dir: Path, opts: ReportOptions
) -> tuple[Any, str]:
    """Run ``voc emerging`` for the period; on failure the report goes on without it."""
    if not opts.emerging:
        return None, "disabled"
    try:
        from voc.emerging import detect_emerging

        return detect_emerging(
            store, period, lexicon_dir=lexicon_dir, baseline_weeks=opts.baseline_periods
        ), ""
    except Exception as e:  # noqa: BLE001 - the rest of the report is still worth having
        if os.environ.get("VOC_DEBUG"):
            raise
        log.warning("emerging-issue detection failed: %s", e)
        return None, f"{type(e).__name__}: {e}"


def build_report(
    store: Store,
    period: Period,
    *,
    lexicon_dir: str | os.PathLike | None = None,
    options: ReportOptions | None = None,
) -> Report:
    """The report of ``period``; with ``options.persist`` (and an ISO week) the findings'
    statuses are stored, earlier unreported weeks back-filled first."""
    opts = options or ReportOptions()
    lex = resolve_lexicon_dir(lexicon_dir)
    names = load_topic_names(lex)
    router = load_router(lex, load_topic_teams(lex))
    query = NpsQuery(opts.mapping, opts.min_n)
    missing = (
        _missing_weeks(store, period, opts.backfill) if opts.persist and period.is_week else []
    )
    n_series = max(opts.trend_periods, opts.baseline_periods + 1)
    lo = min(
        [previous(period, n_series - 1).start]
        + [previous(w, opts.baseline_periods).start for w in missing]
    )
    ctx = _Context(
        router,
        query,
        opts,
        read_day_cube(store, query, lo, period.end),
        read_day_topics(store, lo, period.end),
    )

    series = query.series(ctx.day_cube, period, n_series)
    summary = query.summary(series, opts.baseline_periods)
    current = {k: s.current for k, s in summary.items()}
    kind = primary_kind(current)
    trend = tuple((p.label, tuple(v[k] for k in KINDS)) for p, v in series[-opts.trend_periods :])
    cube = read_period_cube(store, query, period.start_ts, period.end_ts)
    topics = read_period_topics(store, query, period.start_ts, period.end_ts)

    def groups(column: int) -> tuple[GroupNps, ...]:
        rows = cube.grouped_nps(column, opts.min_n)
        ranked = sorted(rows.items(), key=lambda kv: (-max(v.n for v in kv[1].values()), kv[0]))
        return tuple(
            GroupNps(name, tuple(v[k] for k in KINDS)) for name, v in ranked[: opts.top_groups]
        )

    result, error = _emerging(store, period, lex, opts)
    alarms = tuple(result.alarms) if result is not None else ()
    clusters = {c.id: c for c in result.clusters} if result is not None else {}
    for week in missing:  # back-fill earlier weeks first, oldest first, so statuses chain
        week_topics = read_period_topics(store, query, week.start_ts, week.end_ts)
        week_found, week_window = _period_findings(store, week, ctx, week_topics)
        loop.persist(store, week, week_found, week_window.period_volume, with_emerging=False)
    found, window = _period_findings(store, period, ctx, topics, alarms=alarms, clusters=clusters)
    if opts.persist and period.is_week:
        loop.persist(store, period, found, window.period_volume, with_emerging=result is not None)
    safety = ctx.day_cube.safety_nps(period.start, period.end, kind, opts.min_n)
    topic_impacts = impacts(
        current[kind], group_values(topics, safety, kind, opts.min_n), n_boot=opts.n_boot
    )
    return Report(
        period=period,
        generated_at=datetime.now().isoformat(timespec="seconds"),
        volume=_volume(cube, ctx.day_cube, previous(period, 1)),
        nps=tuple(summary[k] for k in KINDS),
        primary_kind=kind,
        trend=trend,
        by_product=groups(PERIOD_COLUMNS["product"]),
        by_channel=groups(PERIOD_COLUMNS["channel"]),
        topics=tuple(topic_rows(topics, window, router, topic_impacts)),
        findings=tuple(found),
        followup=tuple(loop.follow_up(store, period, found)),
        quotes=tuple(quotes_for(store, period, found, alarms, per_finding=opts.quotes)),
        emerging=alarms,
        candidates=tuple(result.candidates) if result is not None else (),
        emerging_error=error,
        rule=opts.priority,
        topic_names=tuple(sorted(names.items())),
        min_n=opts.min_n,
    )
