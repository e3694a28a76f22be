"""The stages as plain functions over the store: what the commands and `voc run` call.

Every function takes an open :class:`voc.store.Store` and a
:class:`voc.lexicon.Lexicons` (``None``: the packaged lexicons); none reads the
environment or prints. From Python::

    from voc import api
    from voc.lexicon import Lexicons
    from voc.store import open_store

    with open_store("voc.db") as store:
        api.ingest(store, ["exports/"])
        api.analyze(store)
        period = api.period(store, week="2026-W47")
        report = api.report(store, period)
        api.write_outputs(store, report, xlsx="weekly.xlsx")
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from voc.errors import VocError
from voc.lexicon import Lexicons
from voc.period import Period
from voc.store import Store
from voc.store.rows import FindingEvent, FindingRow


# -- ingest and analyze ---------------------------------------------------------------
def ingest(store: Store, paths: Iterable[str | Path], *, lexicons: Lexicons | None = None, kind: str = "auto",
           channel: str | None = None, mapping: dict | None = None, encoding: str | None = None,
           sheet: str | None = None, rejects: str | Path | None = None, on_file: Callable | None = None):
    """Load files and folders into the store (see :mod:`voc.io.ingest`); returns the counts."""
    from voc.io.ingest import ingest_paths

    return ingest_paths(store, paths, kind=kind, channel=channel, mapping=mapping, encoding=encoding, sheet=sheet,
                        lexicons=lexicons, rejects_path=rejects, on_file=on_file)


def analyze(store: Store, *, lexicons: Lexicons | None = None, workers: int | None = None, reanalyze: bool = False,
            model: str | Path | None = None, topic_model: str | Path | None = None,
            progress: Callable[[int, int], None] | None = None, adapt: bool = True,
            adapting: Callable[[int], None] | None = None):
    """Analyse what is new or stale (see :mod:`voc.analysis.run`); the default sentiment
    model adapted to the store's star ratings when that wins (``adapt``; ``adapting`` is
    told the number of rated reviews before the adapted model is trained)."""
    from voc.analysis.run import analyze_store

    return analyze_store(store, lexicons=lexicons, workers=workers, reanalyze=reanalyze, model=model,
                         topic_model=topic_model, progress=progress, adapt=adapt, adapting=adapting)


# -- periods, emerging issues, reports ---------------------------------------------------
def period(store: Store, week: str | None = None, since: str | None = None, until: str | None = None) -> Period:
    """The period the options name (``week='latest'``: the week of the newest record)."""
    from voc.period import resolve_period

    return resolve_period(week, since, until, latest=store.latest_record_time())


def emerging(store: Store, period: Period, *, lexicons: Lexicons | None = None, min_count: int = 5,
             baseline_weeks: int = 8, fdr: float = 0.01):
    """Emerging issues of the period (clusters stored for reports to reuse)."""
    from voc.emerging import detect_emerging
    from voc.report.build import check_period

    check_period(store, period)
    return detect_emerging(store, period, lexicons=lexicons, min_count=min_count, baseline_weeks=baseline_weeks,
                           fdr=fdr)


def report(store: Store, period: Period, *, lexicons: Lexicons | None = None, options: Any = None):
    """The report of the period (statuses stored for an ISO week, see :mod:`voc.report.build`)."""
    from voc.report.build import build_report

    return build_report(store, period, lexicons=lexicons, options=options)


def write_outputs(store: Store, report: Any, *, xlsx: str | Path | None = None, markdown: str | Path | None = None,
                  lang: str = "zh", max_rows: int | None = 100_000) -> dict[str, dict[str, Any]]:
    """Write the requested files of a report; returns what was written, by kind. Every
    path is checked before any file is written."""
    from voc.report.files import check_outputs

    check_outputs(xlsx, markdown)
    written: dict[str, dict[str, Any]] = {}
    if xlsx is not None:
        from voc.report.excel import write_workbook

        limit = max_rows or None
        shown = min(report.volume.total, limit) if limit else report.volume.total
        rows = store.records(report.period.start_ts, report.period.end_ts, shown)
        info = write_workbook(report, rows, xlsx, lang=lang, max_rows=limit)
        written["xlsx"] = {"path": str(info.path), "sheets": list(info.sheets), "data_rows": info.data_rows}
    if markdown is not None:
        from voc.report.files import write_text
        from voc.report.markdown import render_markdown

        write_text(Path(markdown), render_markdown(report, lang) + "\n")
        written["markdown"] = {"path": str(markdown)}
    return written


@dataclass
class RunResult:
    """What `voc run` did: ingest and analyze counts, and the report (``unchanged``:
    nothing new arrived for a week already reported, so the loop was left as it was)."""

    ingest: Any
    analyze: Any
    report: Any
    unchanged: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def run(store: Store, paths: Iterable[str | Path], period_of: Callable[[Store], Period], *,
        lexicons: Lexicons | None = None, ingest_options: dict | None = None, workers: int | None = None,
        model: str | Path | None = None, options: Any = None, adapt: bool = True) -> RunResult:
    """Ingest, analyse and report in one (for cron). When nothing new was stored or
    analysed and the period was reported before, the report is rebuilt without storing
    anything: the findings loop stays as the last report left it. A file that cannot be
    read does not cost the week its report: the others are stored and the report is made,
    and ``ingest.error`` says which file failed (`voc run` then exits 2)."""
    from dataclasses import replace

    from voc.io.ingest import IngestError
    from voc.report.build import ReportOptions

    try:
        ingested = ingest(store, paths, lexicons=lexicons, **(ingest_options or {}))
    except IngestError as e:  # the other files are stored: the week is still reported (its error kept)
        ingested = e.partial
    analyzed = analyze(store, lexicons=lexicons, workers=workers, model=model, adapt=adapt)
    p = period_of(store)
    opts = options or ReportOptions()
    unchanged = (ingested.total("stored") == 0 and analyzed.analyzed == 0
                 and p.label in store.reported_periods())
    if unchanged:
        opts = replace(opts, persist=False)
    return RunResult(ingested, analyzed, report(store, p, lexicons=lexicons, options=opts), unchanged)


# -- the store itself ----------------------------------------------------------------------
def copy_store(source: Store, destination: Store, *, force: bool = False):
    """Copy every table of ``source`` into ``destination`` (an SQLite file and a PostgreSQL
    server, either way), verified by per-table row counts (see :mod:`voc.store.copy`)."""
    from voc.store.copy import copy_store as copy

    return copy(source, destination, force=force)


# -- findings: the loop people close ------------------------------------------------------
@dataclass(frozen=True)
class FindingState:
    """A finding as the loop stands now: its latest reported row and people's decisions."""

    latest: FindingRow
    decision: FindingEvent | None
    status: str  # the latest row's status, or closed (ongoing when reopened) by a later decision

    @property
    def id(self) -> str:
        return self.latest.finding_id

    @property
    def is_open(self) -> bool:
        from voc.findings.model import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    @property
    def reopened(self) -> bool:
        """Its latest week brought it back after a person closed it (:func:`reopened`)."""
        return reopened(self.latest, [self.decision] if self.decision is not None else [])

    def to_json(self) -> dict[str, Any]:
        r = self.latest
        return {
            "id": r.finding_id, "kind": r.kind, "topic": r.topic, "product": r.product, "label": r.label,
            "terms": list(r.terms), "owner_team": r.owner_team, "owner_person": r.owner_person,
            "owner_contact": r.owner_contact, "priority": r.priority, "status": self.status, "open": self.is_open,
            "reopened": self.reopened,
            "last_period": r.period, "count": r.count, "first_seen": r.first_period,
            "decision": None if self.decision is None else {
                "action": self.decision.action, "by": self.decision.by, "at": self.decision.at,
                "note": self.decision.note, "period": self.decision.period},
        }


def reopened(row: FindingRow, events: Sequence[FindingEvent]) -> bool:
    """Whether a finding's stored week ``row`` reopened it: new that week, and the decision
    in effect before it (the latest of ``events``, oldest first, from an earlier week) a
    person's close (as :attr:`voc.findings.model.Finding.reopened` in a report)."""
    before = [e for e in events if e.period_start < row.period_start]
    return row.status == "new" and bool(before) and before[-1].action == "close"


def findings(store: Store) -> list[FindingState]:
    """Every finding the loop has stored, most urgent open ones first."""
    from voc.findings.model import PRIORITIES, STATUS_ORDER

    latest = store.latest_finding_rows("", "9999-12-31")
    last_event: dict[str, FindingEvent] = {}
    for e in store.finding_events():
        last_event[e.finding_id] = e
    out = []
    for fid, row in latest.items():
        e = last_event.get(fid)
        status = row.status
        if e is not None and e.period_start >= row.period_start:
            status = "closed" if e.action == "close" else ("ongoing" if row.status in ("resolved", "closed")
                                                           else row.status)
        out.append(FindingState(row, e, status))

    def key(s: FindingState) -> tuple:
        order = STATUS_ORDER.index(s.status) if s.status in STATUS_ORDER else 1
        return (not s.is_open, PRIORITIES.index(s.latest.priority), order, -s.latest.count, s.id)

    return sorted(out, key=key)


def finding(store: Store, finding_id: str) -> tuple[FindingState, list[FindingRow], list[FindingEvent]]:
    """One finding: its state, its history by period and its decisions (``finding_id``
    may be a unique prefix)."""
    fid = _resolve_id(store, finding_id)
    state = next(s for s in findings(store) if s.id == fid)
    return state, store.finding_history(fid), store.finding_events([fid])


def decide(store: Store, finding_id: str, action: str, *, note: str, by: str | None = None) -> FindingState:
    """Close (with a note) or reopen a finding, effective from the latest reported period."""
    if action not in ("close", "reopen"):
        raise VocError(f"unknown action '{action}': use close or reopen")
    if not note.strip():
        raise VocError(f"a note is required to {action} a finding (--note 'what was done')")
    fid = _resolve_id(store, finding_id)
    state = next(s for s in findings(store) if s.id == fid)
    if action == "close" and not state.is_open:
        raise VocError(f"{fid} is not open ({state.status}); nothing to close")
    if action == "reopen" and state.is_open:
        raise VocError(f"{fid} is open ({state.status}); nothing to reopen")
    reported = store.reported_periods()
    label, start = max(reported.items(), key=lambda kv: kv[1]) if reported else (state.latest.period,
                                                                                    state.latest.period_start)
    if start < state.latest.period_start:
        label, start = state.latest.period, state.latest.period_start
    at_period = [h for h in store.finding_history(fid) if h.period == label]
    count, volume = (at_period[-1].count, at_period[-1].volume) if at_period else (0, None)
    event = FindingEvent(fid, action, label, start, datetime.now().isoformat(timespec="microseconds"),
                         by or default_user(), " ".join(note.split()), count, volume)
    store.add_finding_event(event)
    return next(s for s in findings(store) if s.id == fid)


def default_user() -> str:
    """Who a decision is recorded for when ``--by`` is not given."""
    return os.environ.get("VOC_USER") or _login() or "unknown"


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database entry (containers)
        return ""


def _resolve_id(store: Store, finding_id: str) -> str:
    wanted = finding_id.strip()
    ids = store.finding_ids()
    if wanted in ids:
        return wanted
    low = wanted.lower()
    if not low.startswith("f-"):
        low = "f-" + low
    matches = [i for i in ids if i.lower().startswith(low)]
    if matches and len(low) < 6:
        raise VocError(f"'{finding_id}' is too short: give at least 4 characters after F- (see `voc findings list`)")
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise VocError(f"'{finding_id}' matches {len(matches)} findings ({', '.join(matches[:3])} ...): give more of the id")
    raise VocError(f"no finding '{finding_id}' in the store (see `voc findings list`)")
