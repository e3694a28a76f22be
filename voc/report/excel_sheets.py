"""The contents of each workbook sheet (layout only; :mod:`voc.report.excel` drives it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from voc.findings.model import Finding
from voc.findings.routing import Owner
from voc.report.build import Report
from voc.report.i18n import Labels
from voc.report.metrics import KINDS, NpsValue

if TYPE_CHECKING:
    from voc.report.excel import Writer

NPS = "+0.0;-0.0;0.0"
PCT = "0.0%"
INT = "#,##0"
RATIO = '0.0"×"'
Q = "0.0000"


class Rows:
    """Appends rows to a write-only sheet and counts them (charts need row numbers)."""

    def __init__(self, w: Writer, ws: Any):
        self.w, self.ws, self.n = w, ws, 0

    def add(self, values: Sequence[Any], fmts: Sequence[str | None] | None = None) -> int:
        self.w.row(self.ws, values, fmts)
        self.n += 1
        return self.n

    def header(self, names: Sequence[str]) -> int:
        self.w.header(self.ws, names)
        self.n += 1
        return self.n

    def title(self, text: str) -> int:
        self.w.title_row(self.ws, text)
        self.n += 1
        return self.n

    def blank(self) -> None:
        self.ws.append([])
        self.n += 1


def _nps_cells(v: NpsValue, t: Labels) -> list[Any]:
    return [v.value if v.value is not None else t("insufficient"), v.moe95, v.n]


def summary(w: Writer, ws: Any, report: Report, t: Labels, *, shown: int) -> tuple[int, int, int]:
    """KPIs, notes, and the two chart source tables; returns (trend header row, topics header row, topics)."""
    r = Rows(w, ws)
    w.widths(ws, [26, 14, 12, 10, 12, 12, 2, 2, 2])
    ws.freeze_panes = "A2"  # before the first row: write-only
    p = report.period
    r.title(f"{t('title')}  {p.label}")
    r.add([t("period"), f"{p.start} – {p.end.fromordinal(p.end.toordinal() - 1)}"])
    r.add([t("generated"), report.generated_at])
    if not report.complete:
        r.add([t("incomplete", period=p.label)])
    r.blank()
    r.header([t("metric"), t("value"), t("moe95"), t("n"), t("vs_prev"), t("vs_base")])
    v = report.volume
    r.add(
        [t("volume"), v.total, None, None, v.total - v.previous_total],
        [None, INT, None, None, "+#,##0;-#,##0;0"],
    )
    r.add([t("reviews"), v.reviews], [None, INT])
    r.add([t("tickets"), v.tickets], [None, INT])
    r.add([t("negative_share"), v.negative_share, None, v.analyzed], [None, PCT, None, INT])
    r.add([t("safety"), v.safety], [None, INT])
    for kind in KINDS:
        s = report.nps_of(kind)
        name = t(kind) + (" *" if kind == report.primary_kind else "")
        r.add(
            [name, *_nps_cells(s.current, t), s.vs_prev.value, s.vs_baseline.value],
            [None, NPS, "0.0", INT, NPS, NPS],
        )
    r.blank()
    r.add([t("proxy_note")])
    if shown < v.total:
        r.add([t("capped", shown=shown, total=v.total)])
    r.add([t("rule")], None)
    for line in report.rule.describe(t.lang):
        r.add([line])
    if report.emerging_error and report.emerging_error != "disabled":
        r.add([t("emerging_unavailable", reason=report.emerging_error)])
    r.blank()
    trend_row = r.header([t("week"), t("nps_short"), t("stars_short"), t("sentiment_short")])
    for label, values in report.trend:
        r.add([label, *(x.value for x in values)], [None, NPS, NPS, NPS])
    r.blank()
    top = [row for row in report.topics if row.negative][:10]
    topics_row = r.header([t("topic"), t("negative")])
    for row in top:
        r.add([t.topic(row.topic), row.negative], [None, INT])
    return trend_row, topics_row, len(top)


def nps_detail(w: Writer, ws: Any, report: Report, t: Labels) -> None:
    r = Rows(w, ws)
    w.widths(ws, [20, 10, 10, 9, 10, 10, 9, 10, 10, 9])
    ws.freeze_panes = "B2"  # before the first row: write-only
    cols = [t("value"), t("moe95"), t("n")]
    head = [""] + [f"{t(k + '_short')} {c}" for k in KINDS for c in cols]
    for title, groups in (
        (t("by_product"), report.by_product),
        (t("by_channel"), report.by_channel),
    ):
        r.header([title] + head[1:])
        for g in groups:
            cells: list[Any] = [g.name or "—"]
            for kind in KINDS:
                cells += _nps_cells(g.of(kind), t)
            r.add(cells, [None] + [NPS, "0.0", INT] * 3)
        r.blank()


def topics(w: Writer, ws: Any, report: Report, t: Labels) -> None:
    r = Rows(w, ws)
    w.widths(ws, [18, 14, 9, 9, 9, 9, 9, 9, 9, 9, 10, 9, 9, 9, 22])
    ws.freeze_panes = "C2"  # before the first row: write-only
    r.header([t("id"), t("topic"), t("mentions"), t("negative"), "+", t("share"), t("neg_share"), t("vs_prev"),
              t("baseline"), t("growth"), t("nps_impact"), t("ci_low"), t("ci_high"), "n", t("owner")])  # fmt: skip
    for row in report.topics:
        imp = row.impact
        r.add(
            [row.topic, t.topic(row.topic), row.mentions, row.negative, row.positive, row.share, row.negative_share,
             row.previous_negative, row.expected, row.growth, imp.value if imp else None,
             imp.low if imp else None, imp.high if imp else None, imp.mentions if imp else None, row.owner.name],
            [None, None, INT, INT, INT, PCT, PCT, INT, "0.0", RATIO, NPS, NPS, NPS, INT, None],
        )  # fmt: skip


def emerging(w: Writer, ws: Any, report: Report, t: Labels) -> None:
    r = Rows(w, ws)
    w.widths(ws, [14, 30, 10, 9, 9, 9, 10, 24, 30, 60])
    ws.freeze_panes = "B2"  # before the first row: write-only
    r.header([t("id"), t("label"), t("status"), t("count"), t("baseline"), t("growth"), "q",
              t("products"), t("terms"), t("quote")])  # fmt: skip
    if report.emerging_error and report.emerging_error != "disabled":
        r.add([t("emerging_unavailable", reason=report.emerging_error)])
    for f in report.emerging:
        products = (", ".join(f"{p or '—'} {sh:.0%}" for p, sh in f.products[:3]) if f.products
                    else t.product(f.product))
        quotes = report.quotes_of(f.id)
        r.add([f.id, t.finding(f), t.status(f.status), f.count, f.expected, f.growth, f.q_value, products,
               " ".join(f.terms[:8]), quotes[0].text if quotes else ""],
              [None, None, None, INT, "0.0", RATIO, Q])  # fmt: skip
    if report.candidates:
        r.blank()
        r.header([t("id"), t("label"), t("status"), t("count"), t("share"), "", "", t("terms"), "", t("quote")])
        for c in report.candidates:
            r.add([c.cluster_id, c.label, t.status(c.status), c.count, c.untagged_share, None, None,
                   " ".join(c.suggested_keywords), None, c.quotes[0] if c.quotes else ""],
                  [None, None, None, INT, PCT])  # fmt: skip


FINDING_FMTS = [
    None,
    None,
    None,
    None,
    None,
    INT,
    PCT,
    PCT,
    "0.0",
    RATIO,
    Q,
    None,
    INT,
    None,
    NPS,
    NPS,
    NPS,
]


def _finding_cells(f: Finding, t: Labels) -> list[Any]:
    imp = f.impact
    decision = f.closed_later or f.decision
    decided = t.decision(decision) if decision is not None else ""
    return [f.priority, f.id, t.kind(f.kind), t.finding(f), t.product(f.product), f.count, f.share, f.negative_share,
            f.expected, f.growth, f.q_value, t.status(f.status), f.previous_count, f.first_period,
            imp.value if imp else None, imp.low if imp else None, imp.high if imp else None,
            " ".join(f.terms[:8]), decided]  # fmt: skip


def _finding_header(t: Labels) -> list[str]:
    return [t("priority"), t("id"), t("kind"), t("topic"), t("product"), t("count"), t("share"), t("neg_share"),
            t("baseline"), t("growth"), "q", t("status"), t("vs_prev"), t("first_seen"), t("nps_impact"),
            t("ci_low"), t("ci_high"), t("terms"), t("decisions")]  # fmt: skip


def findings(w: Writer, ws: Any, report: Report, t: Labels, items: Sequence[Finding]) -> None:
    r = Rows(w, ws)
    w.widths(ws, [7, 14, 7, 24, 16, 8, 8, 8, 8, 8, 8, 8, 8, 10, 9, 9, 9, 24, 30, 18, 10, 26])
    ws.freeze_panes = "C2"  # before the first row: write-only
    r.header([*_finding_header(t), t("owner"), t("person"), t("contact")])
    for f in items:
        r.add([*_finding_cells(f, t), f.owner.team, f.owner.person, f.owner.contact], FINDING_FMTS)


def followup(w: Writer, ws: Any, report: Report, t: Labels) -> None:
    r = Rows(w, ws)
    w.widths(ws, [14, 24, 16, 10, 10, 8, 10, 10, 22])
    ws.freeze_panes = "A2"  # before the first row: write-only
    r.header([t("id"), t("topic"), t("product"), t("then"), t("count"), t("priority"), t("now"), t("now_status"),
              t("owner")])  # fmt: skip
    for u in report.followup:
        r.add([u.id, t.finding(u), t.product(u.product), u.then_period, u.then_count, u.then_priority, u.now_count,
               t.status(u.status), u.owner.name], [None, None, None, None, INT, None, INT])  # fmt: skip


def owner(w: Writer, ws: Any, report: Report, t: Labels, who: Owner) -> None:
    """One owner's sheet: their findings, then example quotes for each."""
    r = Rows(w, ws)
    w.widths(ws, [7, 14, 7, 24, 16, 8, 8, 8, 8, 8, 8, 8, 8, 10, 9, 9, 9, 24, 60])
    ws.freeze_panes = "C4"  # before the first row: write-only
    mine = [f for f in report.findings if f.owner == who]
    r.title(who.name)
    r.add([t("contact"), who.contact or "—"])
    r.header(_finding_header(t))
    for f in mine:
        r.add(_finding_cells(f, t), FINDING_FMTS)
    r.blank()
    r.header([t("priority"), t("id"), t("kind"), t("topic"), t("product"), t("created_at"), t("channel"),
              t("rating"), "", "", "", "", "", "", "", "", "", "", t("quote")])  # fmt: skip
    for f in mine:
        for q in report.quotes_of(f.id):
            r.add([f.priority, f.id, t.kind(f.kind), t.finding(f), q.product or "—", q.created_at, q.channel,
                   q.rating, *([None] * 10), q.text])  # fmt: skip
