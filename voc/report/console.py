"""The console summary (rich): KPIs, top defects, emerging issues, owners, quotes.

Reads well from 80 to 100 columns (wider terminals get ``MAX_WIDTH``): table cells
never wrap (labels are cut at a term boundary with an ellipsis, ids and contacts are
never cut), quotes wrap as Chinese prose under their finding, indented. Colour only on
a terminal, plain text when piped.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from voc.report.build import Report
from voc.report.i18n import Labels, nps_text, pct, pct_change, signed, times
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

    def _render_buffer(self, buffer) -> str:  # type: ignore[no-untyped-def]
        """What is written: in a pipe or a file, without the spaces rich pads each table
        line with (a diff or a mail of the report shows none)."""
        text = super()._render_buffer(buffer)
        if not self.is_terminal:
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        return text

    def on_broken_pipe(self) -> None:
        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise BrokenPipeError


def make_console(file: Any = None, *, width: int | None = None) -> Console:
    """A console on stdout (or ``file``): colour on a terminal, plain when piped. Piped from
    a terminal (``voc report | head``, whose stderr is still the terminal) it is as wide as
    that terminal; elsewhere (cron, a file written by a script) :data:`MAX_WIDTH`."""
    out = file or sys.stdout
    tty = hasattr(out, "isatty") and out.isatty()
    console = _PipeConsole(
        file=out,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        color_system="auto" if tty else None,
    )
    if not width and not tty and file is None:
        width = _terminal_behind_the_pipe()
    console.width = min(width or (console.width if tty else MAX_WIDTH), MAX_WIDTH)
    return console


def _terminal_behind_the_pipe() -> int | None:
    """The width of the terminal stderr writes to, when stdout is piped from one; else None."""
    try:
        if sys.stderr.isatty():
            return max(os.get_terminal_size(sys.stderr.fileno()).columns, 40)
    except (OSError, ValueError, AttributeError):
        pass
    return None


def fit(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` terminal cells (a CJK character takes two), cut with
    an ellipsis, at a term boundary (·、，/ or a space) when that keeps most of it."""
    if cell_len(text) <= cells:
        return text
    budget = max(cells - 1, 1)
    head = ""
    for m in _BOUNDARY.finditer(text):
        if cell_len(text[: m.start()]) > budget:
            break
        head = text[: m.start()]
    if head and cell_len(head) * 3 >= budget * 2:
        return head.rstrip("·、，,/ ：:") + "…"
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > budget:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


_BOUNDARY = re.compile(r"[·、，,/ ]")
# Chinese line-breaking rules (禁则): no line starts with closing punctuation, none ends
# with an opening one
_NO_START = frozenset("，。！？；：、）」』”’》〉…,.!?;:)]}%～~")
_NO_END = frozenset("（「『“‘《〈([{")


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Lines of at most ``width`` cells for prose that mixes Chinese and Latin: a break
    falls between characters (Chinese) or at a space (Latin words stay whole), never
    before closing or after opening punctuation; the last line ends with an ellipsis
    when the text does not fit in ``max_lines``."""
    text = " ".join(text.split())
    lines: list[str] = []
    cur = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if not cur and ch == " ":  # a line does not start with the space it broke at
            i += 1
            continue
        if cell_len(cur) + cell_len(ch) <= width:
            cur += ch
            i += 1
            continue
        cut = len(cur)
        if ch.isascii() and ch.isalnum() and cur[-1].isascii() and cur[-1].isalnum():
            # inside a Latin word: break before it, at the space or Chinese character before it
            start = len(cur)
            while start > 0 and cur[start - 1].isascii() and cur[start - 1].isalnum():
                start -= 1
            cut = start if start > 0 else cut
        while cut > len(cur) // 2 and (
            (cur + ch)[cut] in _NO_START or cur[cut - 1] in _NO_END
        ):
            cut -= 1  # take a character down with the punctuation
        lines.append(cur[:cut].rstrip())
        cur = cur[cut:].lstrip()
        if len(lines) == max_lines:
            break
    else:
        if cur:
            lines.append(cur)
        return lines
    last = lines[-1]
    lines[-1] = fit(last + "…", width) if cell_len(last) < width else fit(last + "……", width)
    return lines


def plain_table(title: str, *columns: tuple[str, str]) -> Table:
    """A table whose figures are never cut: a right-aligned column (numbers) keeps its
    width, its header on two lines when long (vs previous / period); text is fitted
    (:func:`fit`) before it goes in, and on a terminal too narrow even so the text
    columns fold, not the figures."""
    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False
    )
    for name, justify in columns:
        if justify == "right":
            table.add_column(_two_line_header(name), justify="right", no_wrap=True)
        else:
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    return table


def _two_line_header(name: str) -> str:
    """A long header of words (NPS impact, vs previous period) on two lines, split at the
    space nearest its middle; a short one or one without spaces as it is."""
    if cell_len(name) <= 8 or " " not in name:
        return name
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(cell_len(name[:i]) - cell_len(name[i + 1:])))
    return name[:cut] + "\n" + name[cut + 1:]


def room_for(width: int, headers: list[str], columns: dict[int, list[str]], flexible: int) -> int:
    """Cells left for column ``flexible`` of a :func:`_table` ``width`` wide when every
    other column takes its natural width (its header or its widest value)."""
    used = 2 + 3 * (len(headers) - 1)  # the table's edges; between columns, padding and a rule
    for i, header in enumerate(headers):
        if i != flexible:
            used += max([cell_len(header), *(cell_len(v) for v in columns.get(i, []))])
    return max(width - used, 12)


def two_lines(label: str, detail: str, cells: int) -> Text:
    """A finding in two lines: what it is, then (dim) its product and owner."""
    text = Text(fit(label, cells))
    if detail:
        text.append("\n" + fit(detail, cells), style="dim")
    return text


def _kpis(report: Report, t: Labels) -> Table:
    table = plain_table(t("kpis"), (t("metric"), "left"), (t("value"), "right"), (t("n"), "right"),
                   (t("vs_prev"), "right"), (t("vs_base"), "right"))  # fmt: skip
    v = report.volume
    prev = pct_change(v.change)
    volume = Text(t("volume"))
    volume.append(f"\n{t('reviews')} {v.reviews:,} / {t('tickets')} {v.tickets:,}", style="dim")
    table.add_row(volume, f"{v.total:,}", "", prev, "")
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
    return table


def _notes(report: Report, t: Labels) -> Text:
    """What "*", the proxies, growth and the sign of an NPS impact mean (prose, wrapped)."""
    return Text("\n".join([t("legend_primary"), report.proxy_note(t), t("legend_growth"), t("legend_impact")]),
                style="dim")


def _topics(report: Report, t: Labels) -> Table:
    table = plain_table(t("top_defects"), (t("topic"), "left"), (t("negative"), "right"), (t("share"), "right"),
                   (t("growth"), "right"), (t("nps_impact"), "right"), (t("impact_ci"), "right"),
                   (t("owner"), "left"))  # fmt: skip
    negative = [r for r in report.topics if r.negative]
    if len(negative) > TOP_TOPICS:
        table.caption = t("more_rows", n=len(negative) - TOP_TOPICS)
        table.caption_justify = "left"
    for row in negative[:TOP_TOPICS]:
        imp = row.impact
        ci = (
            f"[{imp.low:+.1f}, {imp.high:+.1f}]"
            if imp and imp.low is not None and imp.high is not None
            else "—"
        )
        table.add_row(fit(t.topic(row.topic), 20), f"{row.negative:,}", pct(row.share), times(row.growth),
                      signed(imp.value if imp else None), ci, fit(row.owner.team, 12))  # fmt: skip
    return table


def _emerging(report: Report, t: Labels, width: int) -> list[Any]:
    if report.emerging_error and report.emerging_error != "disabled":
        return [Text(t("emerging_unavailable", reason=report.emerging_error), style="yellow")]
    issues = report.emerging[:8]
    headers = [t("label"), t("count"), t("growth"), t("status")]
    cols = {1: [f"{f.count:,}" for f in issues], 2: [times(f.growth) for f in issues],
            3: [t.finding_status(f) for f in issues]}
    cells = room_for(width, headers, cols, 0)
    table = plain_table(t("emerging"), (headers[0], "left"), (headers[1], "right"), (headers[2], "right"),
                   (headers[3], "left"))  # fmt: skip
    for f in issues:
        products = ("、".join(t("product_share", product=p or "—", share=f"{share:.0%}") for p, share in f.products[:2])
                    if f.products else t.product(f.product))
        table.add_row(two_lines(t.finding(f), products, cells), f"{f.count:,}", times(f.growth), t.finding_status(f))
    disabled = report.emerging_error == "disabled"
    if not issues:
        table.add_row(t("emerging_disabled") if disabled else t("none"), "", "", "")
    out: list[Any] = [table]
    if disabled and issues:  # what is listed was found before: new issues were not looked for
        out.append(Padding(Text(fit(t("emerging_disabled"), width - 2), style="dim"), (0, 0, 0, 2)))
    for c in report.candidates[:3]:
        line = t("candidate_line", label=shorten(c.label, 30), n=f"{c.count:,}",
                 keywords="、".join(c.suggested_keywords[:6]))
        out.append(Padding(Text(fit(line, width - 2), style="dim"), (0, 0, 0, 2)))
    return out


def _findings(report: Report, t: Labels, width: int) -> Table:
    shown = report.findings[:TOP_FINDINGS]
    headers = [t("priority"), t("id"), t("topic"), t("count"), t("growth"), t("status")]
    cols = {1: [f.id for f in shown], 3: [f"{f.count:,}" for f in shown], 4: [times(f.growth) for f in shown],
            5: [t.finding_status(f) for f in shown]}
    cells = room_for(width, headers, cols, 2)
    table = plain_table(t("findings"), *((h, "right" if i in (3, 4) else "left") for i, h in enumerate(headers)))
    for f in shown:
        detail = f"{t.product(f.product)} · {f.owner.team}"
        table.add_row(Text(f.priority, style=PRIORITY_STYLE.get(f.priority, "")), f.id,
                      two_lines(t.finding(f), detail, cells), f"{f.count:,}", times(f.growth),
                      Text(t.finding_status(f), style=STATUS_STYLE.get(f.status, "")))  # fmt: skip
    if len(report.findings) > TOP_FINDINGS:
        table.caption = t("more_rows", n=len(report.findings) - TOP_FINDINGS)
        table.caption_justify = "left"
    if not report.findings:
        table.add_row("", t("none"), "", "", "", "")
    return table


def _decisions(report: Report, t: Labels, width: int) -> Table | None:
    decided = [f for f in report.findings if (f.closed_later or f.decision) is not None]
    if not decided:
        return None
    headers = [t("id"), t("topic"), t("status")]
    cells = room_for(width, headers, {0: [f.id for f in decided], 2: [t.finding_status(f) for f in decided]}, 1)
    table = plain_table(t("decisions"), *((h, "left") for h in headers))
    for f in decided:
        table.add_row(f.id, two_lines(t.finding(f), t.decision(f.closed_later or f.decision), cells), t.finding_status(f))
    return table


def _owners(report: Report, t: Labels, width: int) -> Table:
    rows = []
    for owner in report.owners():
        mine = [f for f in report.open_findings if f.owner == owner]
        if mine:
            counts = Counter(f.priority for f in mine)
            rows.append((owner, [str(counts.get(p, 0) or "") for p in ("P0", "P1", "P2", "P3")], str(len(mine))))
    headers = [t("owner"), t("contact"), "P0", "P1", "P2", "P3", t("findings_n")]
    cols = {1: [o.contact or "—" for o, _c, _n in rows], 6: [n for _o, _c, n in rows]}
    cells = room_for(width, headers, cols, 0)  # a contact is never cut, a name may be
    table = plain_table(t("owner_table"), *((h, "left" if i < 2 else "right") for i, h in enumerate(headers)))
    for owner, counts, n in rows:
        table.add_row(fit(owner.name, cells), owner.contact or "—", *counts, n)
    return table


def _quotes(report: Report, t: Labels, width: int) -> list[Any]:
    """Each headline quote under the finding it stands for: indented, wrapped by the
    rules of Chinese text, at most three lines, cut with an ellipsis."""
    quotes = report.headline_quotes(TOP_QUOTES)
    if not quotes:
        return []
    out: list[Any] = [Text(t("quotes"), style="bold")]
    for f, q in quotes:
        head = f"{f.priority} {t.finding(f)} · {t.product(f.product)}" + (f" · {q.source_id}" if q.source_id else "")
        if q.created_at and q.created_at < report.period.start_ts:  # an open P0 quoted from an earlier week
            head += f" · {q.created_at[:10]}"
        out.append(Padding(Text(fit(head, width - 2), style="dim"), (0, 0, 0, 2)))
        if f.arrived_after_close > 0:  # why a closed P0 is back: reports stored after its close
            out.append(Padding(Text(fit(t("reopened_late", n=f.arrived_after_close), width - 4), style="bold red"),
                               (0, 0, 0, 4)))
        lines = wrap(f"“{shorten(q.text, 400)}”", width - 4, 3)
        out.append(Padding(Text("\n".join(lines)), (0, 0, 0, 4)))
    return out


def _followup(report: Report, t: Labels, width: int) -> Table:
    shown = report.followup[:TOP_FOLLOWUP]
    headers = [t("id"), t("topic"), t("then"), t("now"), t("now_status")]
    then = [f"{u.then_count:,} ({u.then_period})" for u in shown]
    cols = {0: [u.id for u in shown], 2: then, 3: [f"{u.now_count:,}" for u in shown],
            4: [t.finding_status(u) for u in shown]}
    cells = room_for(width, headers, cols, 1)
    table = plain_table(t.followup_title(report.period), *((h, "right" if i in (2, 3) else "left")
                                                      for i, h in enumerate(headers)))
    if len(report.followup) > TOP_FOLLOWUP:
        table.caption = t("more_rows", n=len(report.followup) - TOP_FOLLOWUP)
        table.caption_justify = "left"
    for u, when in zip(shown, then):
        table.add_row(u.id, two_lines(t.finding(u), f"{t.product(u.product)} · {u.owner.team}", cells), when,
                      f"{u.now_count:,}", Text(t.finding_status(u), style=STATUS_STYLE.get(u.status, "")))  # fmt: skip
    return table


def render(report: Report, console: Console, lang: str = "zh") -> None:
    """Print the summary of ``report`` on ``console``: every table fits its width (80
    columns and up; at most ``MAX_WIDTH``), no cell wraps, quotes wrap as prose."""
    t = Labels(lang, dict(report.topic_names))
    p = report.period
    width = console.width
    console.print(Text(f"{t('title')}  {p.label}", style="bold"))
    console.print(f"{t('period')}: {p.start} – {p.end.fromordinal(p.end.toordinal() - 1)}   "
                  f"{t('generated')}: {report.generated_at}")  # fmt: skip
    if not report.complete:
        console.print(Text(t("incomplete", period=p.label), style="yellow"))
    if report.thin:
        console.print(Text(t("thin", total=report.volume.total, previous=report.volume.previous_total), style="yellow"))
    console.print(_kpis(report, t))
    console.print(_notes(report, t))
    console.print(_topics(report, t))
    for part in _emerging(report, t, width):
        console.print(part)
    console.print(_findings(report, t, width))
    decisions = _decisions(report, t, width)
    if decisions is not None:
        console.print(decisions)
    console.print(_owners(report, t, width))
    for part in _quotes(report, t, width):
        console.print(part)
    if report.followup:
        console.print()  # (the quotes above end without a table's margin)
        console.print(_followup(report, t, width))
