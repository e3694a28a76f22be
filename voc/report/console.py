"""The console summary (rich): KPIs, top defects, emerging issues, owners, quotes.

Fits a 100-column terminal (tables are capped at ``MAX_WIDTH`` and wrap inside
cells); colour only on a terminal, plain text when piped.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from voc.report.build import Report
from voc.report.i18n import Labels, nps_text, pct, signed, times
from voc.report.metrics import KINDS
from voc.report.topics import shorten

MAX_WIDTH = 100
TOP_TOPICS = 8
TOP_FINDINGS = 15
TOP_QUOTES = 5
TOP_FOLLOWUP = 10
PRIORITY_STYLE = {"P0": "bold white on red", "P1": "bold red", "P2": "yellow", "P3": "dim"}
STATUS_STYLE = {
    "worsening": "red",
    "new": "bold",
    "improving": "green",
    "resolved": "green",
    "closed": "dim",
    "ongoing": "",
}


class _PipeConsole(Console):
    """A closed pipe (``voc report | head``) is the reader's choice, not an error: stop
    writing and let the command end quietly (rich exits with 1 by default)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise BrokenPipeError


def make_console(file: Any = None, *, width: int | None = None) -> Console:
    """A console on stdout (or ``file``): colour on a terminal, plain when piped."""
    out = file or sys.stdout
    tty = hasattr(out, "isatty") and out.isatty()
    console = _PipeConsole(
        file=out,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        color_system="auto" if tty else None,
    )
    console.width = min(width or (console.width if tty else MAX_WIDTH), MAX_WIDTH)
    return console


def _table(title: str, *columns: tuple[str, str]) -> Table:
    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False
    )
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    return table


def _kpis(report: Report, t: Labels) -> Table:
    table = _table(t("kpis"), (t("metric"), "left"), (t("value"), "right"), (t("n"), "right"),
                   (t("vs_prev"), "right"), (t("vs_base"), "right"))  # fmt: skip
    v = report.volume
    prev = (
        signed(100 * (v.total - v.previous_total) / v.previous_total, 1) + "%"
        if v.previous_total
        else "—"
    )
    table.add_row(
        t("volume"),
        f"{v.total:,}",
        f"{t('reviews')} {v.reviews:,} / {t('tickets')} {v.tickets:,}",
        prev,
        "",
    )
    table.add_row(t("negative_share"), pct(v.negative_share), f"{v.analyzed:,}", "", "")
    safety = Text(str(v.safety), style="bold red" if v.safety else "")
    table.add_row(t("safety"), safety, "", "", "")
    for kind in KINDS:
        s = report.nps_of(kind)
        c = s.current
        name = t(kind) + (" *" if kind == report.primary_kind else "")
        d1, d8 = s.vs_prev, s.vs_baseline
        table.add_row(
            name,
            nps_text(c.value, c.moe95, c.n, t),
            f"{c.n:,}",
            Text(signed(d1.value), style="bold" if d1.significant else ""),
            Text(signed(d8.value), style="bold" if d8.significant else ""),
        )
    table.caption = t("proxy_note")
    table.caption_justify = "left"
    return table


def _topics(report: Report, t: Labels) -> Table:
    table = _table(t("top_defects"), (t("topic"), "left"), (t("negative"), "right"), (t("share"), "right"),
                   (t("growth"), "right"), (t("nps_impact"), "right"), (t("impact_ci"), "right"),
                   (t("owner"), "left"))  # fmt: skip
    for row in [r for r in report.topics if r.negative][:TOP_TOPICS]:
        imp = row.impact
        ci = (
            f"[{imp.low:+.1f}, {imp.high:+.1f}]"
            if imp and imp.low is not None and imp.high is not None
            else "—"
        )
        table.add_row(t.topic(row.topic), f"{row.negative:,}", pct(row.share), times(row.growth),
                      signed(imp.value if imp else None), ci, row.owner.team)  # fmt: skip
    return table


def _emerging(report: Report, t: Labels) -> Table | Text:
    if report.emerging_error and report.emerging_error != "disabled":
        return Text(t("emerging_unavailable", reason=report.emerging_error), style="yellow")
    table = _table(t("emerging"), (t("label"), "left"), (t("products"), "left"), (t("count"), "right"),
                   (t("growth"), "right"), (t("status"), "left"))  # fmt: skip
    for f in report.emerging[:8]:
        products = ", ".join(p or "—" for p, _s in f.products[:2]) if f.products else t.product(f.product)
        table.add_row(t.finding(f, 40), products, f"{f.count:,}", times(f.growth), t.status(f.status))
    if not report.emerging:
        table.add_row(t("none"), "", "", "", "")
    for c in report.candidates[:3]:
        keywords = "|".join(c.suggested_keywords[:6])
        table.add_row(f"{t('candidate')}: {shorten(c.label, 30)}", keywords, f"{c.count:,}", "", "")
    return table


def _findings(report: Report, t: Labels) -> Table:
    table = _table(t("findings"), (t("priority"), "left"), (t("id"), "left"), (t("topic"), "left"),
                   (t("product"), "left"), (t("count"), "right"), (t("growth"), "right"),
                   (t("status"), "left"), (t("owner"), "left"))  # fmt: skip
    for f in report.findings[:TOP_FINDINGS]:
        table.add_row(Text(f.priority, style=PRIORITY_STYLE.get(f.priority, "")), f.id, t.finding(f, 24),
                      t.product(f.product), f"{f.count:,}", times(f.growth),
                      Text(t.status(f.status), style=STATUS_STYLE.get(f.status, "")), f.owner.team)  # fmt: skip
    if len(report.findings) > TOP_FINDINGS:
        table.caption = t("more_rows", n=len(report.findings) - TOP_FINDINGS)
        table.caption_justify = "left"
    if not report.findings:
        table.add_row("", t("none"), "", "", "", "", "", "")
    return table


def _decisions(report: Report, t: Labels) -> Table | None:
    decided = [f for f in report.findings if (f.closed_later or f.decision) is not None]
    if not decided:
        return None
    table = _table(t("decisions"), (t("id"), "left"), (t("topic"), "left"), (t("status"), "left"),
                   (t("decision_col"), "left"))  # fmt: skip
    for f in decided:
        table.add_row(f.id, t.finding(f, 24), t.status(f.status), t.decision(f.closed_later or f.decision))
    return table


def _owners(report: Report, t: Labels) -> Table:
    table = _table(t("owner_table"), (t("owner"), "left"), (t("contact"), "left"), ("P0", "right"), ("P1", "right"),
                   ("P2", "right"), ("P3", "right"), (t("findings_n"), "right"))  # fmt: skip
    for owner in report.owners():
        mine = [f for f in report.open_findings if f.owner == owner]
        if not mine:
            continue
        counts = Counter(f.priority for f in mine)
        table.add_row(owner.name, owner.contact or "—", *(str(counts.get(p, 0) or "") for p in ("P0", "P1", "P2", "P3")),
                      str(len(mine)))  # fmt: skip
    return table


def _followup(report: Report, t: Labels) -> Table:
    table = _table(t.followup_title(report.period), (t("id"), "left"), (t("topic"), "left"), (t("product"), "left"),
                   (t("then"), "right"), (t("now"), "right"), (t("now_status"), "left"))  # fmt: skip
    if len(report.followup) > TOP_FOLLOWUP:
        table.caption = t("more_rows", n=len(report.followup) - TOP_FOLLOWUP)
        table.caption_justify = "left"
    for u in report.followup[:TOP_FOLLOWUP]:
        table.add_row(u.id, t.finding(u, 20), t.product(u.product), f"{u.then_count:,} ({u.then_period})",
                      f"{u.now_count:,}", Text(t.status(u.status), style=STATUS_STYLE.get(u.status, "")))  # fmt: skip
    return table


def render(report: Report, console: Console, lang: str = "zh") -> None:
    """Print the summary of ``report`` on ``console``."""
    t = Labels(lang, dict(report.topic_names))
    p = report.period
    console.print(Text(f"{t('title')}  {p.label}", style="bold"))
    console.print(f"{t('period')}: {p.start} – {p.end.fromordinal(p.end.toordinal() - 1)}   "
                  f"{t('generated')}: {report.generated_at}")  # fmt: skip
    if not report.complete:
        console.print(Text(t("incomplete", period=p.label), style="yellow"))
    console.print(_kpis(report, t))
    console.print(_topics(report, t))
    console.print(_emerging(report, t))
    console.print(_findings(report, t))
    decisions = _decisions(report, t)
    if decisions is not None:
        console.print(decisions)
    console.print(_owners(report, t))
    quotes = report.headline_quotes(TOP_QUOTES)
    if quotes:
        console.print(Text(t("quotes"), style="bold"))
        for f, q in quotes:
            head = f"[{f.priority} {t.finding(f, 20)} {t.product(f.product)}]"
            console.print(Text(f"  {head} ", style="dim") + Text(f"“{shorten(q.text, 80)}”"))
    if report.followup:
        console.print(_followup(report, t))
