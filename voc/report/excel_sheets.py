"""What each workbook sheet holds and how it is laid out (:mod:`voc.report.excel` drives it).

Readable sheets first: a finding is said in words (topic, its customers' terms), with its
count, trend and status, and quotes beside it; the statistics behind it (baselines,
q-values, NPS impacts and their intervals) are on the details sheet for analysts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from voc.findings.model import Finding
from voc.findings.routing import Owner
from voc.report.build import Report
from voc.report.i18n import fixed, times
from voc.report.metrics import KINDS, NpsValue

if TYPE_CHECKING:
    from voc.report.excel import Writer

QUOTES_BESIDE = 3  # quotes in the row of a finding on an owner's sheet
OWNER_WIDTHS = {1: 30.0, 2: 14.0, 4: 20.0, 6: 60.0}  # the wrapped columns of an owner's sheet
EMERGING_WIDTHS = {1: 24.0, 5: 24.0, 6: 60.0}
FINDINGS_WIDTHS = {2: 34.0, 10: 36.0}  # the label and decision columns of the findings sheet (wrapped)
#: The columns of the data sheet (id, time, kind, channel, product, stars, NPS, sentiment,
#: score, topics, safety, text); channel, product, topics and text wrap.
DATA_WIDTHS = dict(enumerate((22.0, 17.0, 6.0, 12.0, 16.0, 6.0, 7.0, 6.0, 8.0, 24.0, 9.0, 60.0)))
RECORDS_PER_OWNER = 60  # customer words listed under an owner's findings
KEY_FINDINGS = 10


def _nps(w: Writer, ws: Any, row: int, col: int, v: NpsValue) -> None:
    if v.value is None:
        w.text(ws, row, col, w.t("insufficient"))
    else:
        w.number(ws, row, col, v.value, "nps")
        w.number(ws, row, col + 1, v.moe95, "moe")
    w.number(ws, row, col + 2, v.n, "int")


def _priority(w: Writer, ws: Any, row: int, col: int, f: Finding) -> None:
    w.text(ws, row, col, f.priority, f.priority)


def _trend(t: Any, f: Finding) -> str:
    """``4.4×（基线 5.9；上期 12）``: how the count compares, in one cell."""
    base = "—" if f.expected is None else fixed(f.expected)
    previous = "—" if f.previous_count is None else f"{f.previous_count:,}"
    return t("trend_of", growth=times(f.growth), baseline=base, previous=previous)


SUMMARY_WIDTHS = {0: 34.0, 1: 9.0, 2: 20.0, 3: 8.0, 4: 9.0, 5: 9.0, 6: 22.0}
CHART_SIZE = (400, 330)  # pixels; the two charts side by side span the summary's columns


TREND_HEADER = 1  # the chart data sheet: the NPS trend's header row ...


def _topics_header(report: Report) -> int:
    """... and the top topics' header row, below the trend."""
    return TREND_HEADER + len(report.trend) + 2


def _top_topics(report: Report) -> list[Any]:
    return [row for row in report.topics if row.negative][:10]


def summary(w: Writer, ws: Any, report: Report, *, shown: int, chart_sheet: str) -> None:
    """KPIs, this week's key findings, the two charts (or why there is none) side by
    side and the legend of every symbol: one printed page. The charts draw from
    ``chart_sheet`` (:func:`chart_data`)."""
    t = w.t
    p, v = report.period, report.volume
    span = len(SUMMARY_WIDTHS) - 1
    for col, width in SUMMARY_WIDTHS.items():
        ws.set_column(col, col, width)
    w.text(ws, 0, 0, f"{t('title')}  {p.label}", "title", fit=False)
    w.text(ws, 1, 0, f"{t('period')}: {p.start} – {p.end.fromordinal(p.end.toordinal() - 1)}    "
                     f"{t('generated')}: {report.generated_at}", fit=False)
    row = 2
    if not report.complete:
        w.text(ws, row, 0, t("incomplete", period=p.label), "warning", fit=False)
        row += 1
    if report.thin:
        w.text(ws, row, 0, t("thin", total=v.total, previous=v.previous_total), "warning", fit=False)
        row += 1
    if shown < v.total:
        w.text(ws, row, 0, t("capped", shown=shown, total=v.total), "note", fit=False)
        row += 1
    r = row + 1
    w.header(ws, r, [t("metric"), t("value"), t("moe95"), t("n"), t("vs_prev"), t("vs_base")], widths=SUMMARY_WIDTHS)
    r += 1
    w.text(ws, r, 0, t("volume"))
    w.number(ws, r, 1, v.total, "int")
    w.number(ws, r, 4, v.change, "change")
    for label, value in ((t("reviews"), v.reviews), (t("tickets"), v.tickets), (t("safety"), v.safety)):
        r += 1
        w.text(ws, r, 0, label)
        w.number(ws, r, 1, value, "int")
    r += 1
    w.text(ws, r, 0, t("negative_share"))
    w.number(ws, r, 1, v.negative_share, "pct")
    w.number(ws, r, 3, v.analyzed, "int")
    for kind in KINDS:
        s = report.nps_of(kind)
        r += 1
        w.text(ws, r, 0, t(kind) + (" *" if kind == report.primary_kind else ""))
        _nps(w, ws, r, 1, s.current)
        w.number(ws, r, 4, s.vs_prev.value, "nps")
        w.number(ws, r, 5, s.vs_baseline.value, "nps")

    # this week's key findings, in words
    r += 2
    w.text(ws, r, 0, t("highlights"), "subtitle", fit=False)
    r += 1
    w.header(ws, r, [t("label"), t("priority"), t("product"), t("count"), t("growth"), t("status"), t("owner")],
             widths=SUMMARY_WIDTHS)
    for f in report.open_findings[:KEY_FINDINGS] or report.findings[:KEY_FINDINGS]:
        r += 1
        label, product = t.finding(f), t.product(f.product)
        w.row_height(ws, r, {0: label, 2: product, 6: f.owner.name}, SUMMARY_WIDTHS)
        w.text(ws, r, 0, label, "wrap", fit=False)
        _priority(w, ws, r, 1, f)
        w.text(ws, r, 2, product, "wrap", fit=False)
        w.number(ws, r, 3, f.count, "int")
        w.number(ws, r, 4, f.growth, "ratio")
        w.text(ws, r, 5, t.finding_status(f))
        w.text(ws, r, 6, f.owner.name, "wrap", fit=False)
    if not report.findings:
        r += 1
        w.text(ws, r, 0, t("none"))

    # the charts side by side (inserted below, once the rows are written)
    r += 2
    charts_row = r
    r += 1 + CHART_SIZE[1] // 20
    # the legend: what every symbol and sign means
    r += 1
    w.text(ws, r, 0, t("legend"), "subtitle", fit=False)
    lines = [t("legend_primary"), report.proxy_note(t)]
    lines += [t(key) for key in ("legend_growth", "legend_impact", "legend_status", "legend_priority")]
    lines += list(report.rule.describe(t.lang))
    if report.emerging_error and report.emerging_error != "disabled":
        lines.append(t("emerging_unavailable", reason=report.emerging_error))
    full = {0: sum(SUMMARY_WIDTHS.values())}
    for line in lines:
        r += 1
        w.row_height(ws, r, {0: line}, full)
        w.merged(ws, r, 0, span, line, "note", text_wrap=True)

    n_weeks, top = len(report.trend), _top_topics(report)
    if any(x.value is not None for _label, values in report.trend for x in values):
        ws.insert_chart(charts_row, 0, _line_chart(w, chart_sheet, TREND_HEADER, n_weeks))
    else:
        ws.insert_textbox(charts_row, 0, t("no_trend", n=n_weeks, min_n=report.min_n), _empty_box())
    bar_at = {"x_offset": CHART_SIZE[0] + 16}
    if top:
        chart = _bar_chart(w, chart_sheet, _topics_header(report), len(top), max(row.negative for row in top))
        ws.insert_chart(charts_row, 0, chart, bar_at)
    else:
        ws.insert_textbox(charts_row, 0, t("no_topics"), {**_empty_box(), **bar_at})
    w.page(ws, None, landscape=False)


def chart_data(w: Writer, ws: Any, report: Report) -> None:
    """The numbers the summary's charts draw (at the rows :func:`summary` expects)."""
    t = w.t
    w.text(ws, 0, 0, t("chart_data"), "subtitle", fit=False)
    r = TREND_HEADER
    w.header(ws, r, [t("week"), t("nps_short"), t("stars_short"), t("sentiment_short")])
    for label, values in report.trend:
        r += 1
        w.text(ws, r, 0, label)
        for i, value in enumerate(values):
            w.number(ws, r, 1 + i, value.value, "nps")
    r = _topics_header(report)
    w.header(ws, r, [t("topic"), t("negative")])
    for row in _top_topics(report):
        r += 1
        w.text(ws, r, 0, t.topic(row.topic))
        w.number(ws, r, 1, row.negative, "int")
    w.fit_columns(ws)
    w.page(ws, None, landscape=False)


def _empty_box() -> dict[str, Any]:
    """The honest empty state where a chart would be: a framed note of why there is none."""
    return {"width": CHART_SIZE[0], "height": 80, "font": {"size": 11, "bold": True, "color": "#7F7F7F"},
            "align": {"vertical": "middle", "horizontal": "center"}, "line": {"color": "#BFBFBF"}}


def _line_chart(w: Writer, sheet: str, header: int, n: int) -> Any:
    t = w.t
    chart = w.wb.add_chart({"type": "line"})
    _straight(chart)
    colors = ("#1F4E79", "#C55A11", "#548235")
    markers = ("circle", "square", "diamond")
    for i in range(3):
        chart.add_series({
            "name": [sheet, header, 1 + i],
            "categories": [sheet, header + 1, 0, header + n, 0],
            "values": [sheet, header + 1, 1 + i, header + n, 1 + i],
            "smooth": False,
            "line": {"color": colors[i], "width": 2},
            "marker": {"type": markers[i], "size": 6, "border": {"color": colors[i]}, "fill": {"color": colors[i]}},
        })
    chart.set_title({"name": t("nps_trend"), "name_font": {"size": 11}})
    chart.set_x_axis({"name": t("week"), "label_position": "low", "num_font": {"rotation": -45}})
    chart.set_y_axis({"name": "NPS", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    return chart


def _straight(chart: Any) -> None:
    """Say ``<c:smooth val="0"/>`` on every series: XlsxWriter writes the element only for
    smoothed lines, and LibreOffice draws curves when a line series does not say."""
    def write_smooth(smooth: Any) -> None:
        chart._xml_empty_tag("c:smooth", [("val", "1" if smooth else "0")])
    chart._write_c_smooth = write_smooth


def _bar_chart(w: Writer, sheet: str, header: int, n: int, top: float) -> Any:
    """Top defects as bars, each labelled at its end with its topic and count (category
    axis labels are not used: a spreadsheet program may skip every other one)."""
    t = w.t
    chart = w.wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": [sheet, header, 1],
        "categories": [sheet, header + 1, 0, header + n, 0],
        "values": [sheet, header + 1, 1, header + n, 1],
        "data_labels": {"value": True, "category": True, "separator": " ", "position": "outside_end",
                        "font": {"size": 9}},
        "fill": {"color": "#2E75B6"},
        "gap": 60,
    })
    chart.set_title({"name": t("top_topics"), "name_font": {"size": 11}})
    # a bar chart's y axis is its category axis: the topics read top down, named on the bars
    chart.set_y_axis({"reverse": True, "label_position": "none", "major_tick_mark": "none"})
    chart.set_x_axis({"name": t("negative"), "min": 0, "max": _nice_max(top * 1.45),
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"none": True})
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    return chart


def _nice_max(x: float) -> float:
    """A round axis maximum at or above ``x`` (1, 1.2, 1.5, 2 ... 8 times a power of ten)."""
    import math

    if x <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(x))
    return next(m * step for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * step >= x)


def packed(terms: Sequence[str], width: float, sep: str = "、") -> str:
    """``terms`` joined by ``sep`` in lines that fit a wrapped column ``width`` wide, broken
    only between terms: no line starts with the separator, no term is split (unless it is
    longer than a line by itself)."""
    from voc.report.excel import display_width  # (the writer's module imports this one)

    room = max(width - 1.0, 4.0)
    lines: list[str] = []
    for term in terms:
        if lines and display_width(lines[-1] + sep + term, 1.8, 0.95) <= room:
            lines[-1] += sep + term
        else:
            if lines:
                lines[-1] += sep
            lines.append(term)
    return "\n".join(lines)


def findings(w: Writer, ws: Any, report: Report) -> None:
    """Every finding in words: priority, what, product, count, growth, status, owner, decision."""
    t = w.t
    head = [t("priority"), t("id"), t("label"), t("product"), t("count"), t("growth"), t("status"), t("owner"),
            t("person"), t("first_seen"), t("decision_col")]
    w.header(ws, 0, head)
    for r, f in enumerate(report.findings, 1):
        decision = f.closed_later or f.decision
        said = t.decision(decision) if decision is not None else ""
        label = t.finding(f)
        # a long label and a person's note wrap: the row grows, nothing is cut or runs into the product
        w.row_height(ws, r, {2: label, 10: said}, FINDINGS_WIDTHS)
        _priority(w, ws, r, 0, f)
        w.text(ws, r, 1, f.id)
        w.text(ws, r, 2, label, "wrap", fit=False)
        w.text(ws, r, 3, t.product(f.product))
        w.number(ws, r, 4, f.count, "int")
        w.number(ws, r, 5, f.growth, "ratio")
        w.text(ws, r, 6, t.finding_status(f))
        w.text(ws, r, 7, f.owner.team)
        w.text(ws, r, 8, f.owner.person)
        w.text(ws, r, 9, f.first_period)
        w.text(ws, r, 10, said, "wrap", fit=False)
    if not report.findings:  # as the console says it: a sheet of headers alone reads as broken
        w.text(ws, 1, 2, t("none"))
    ws.freeze_panes(1, 3)
    ws.autofilter(0, 0, max(len(report.findings), 1), len(head) - 1)
    w.fit_columns(ws, fixed=FINDINGS_WIDTHS)
    w.page(ws, 0)


def emerging(w: Writer, ws: Any, report: Report) -> None:
    """The emerging issues (the findings that burst) and candidate new topics."""
    t = w.t
    w.header(ws, 0, [t("label"), t("product"), t("count"), t("growth"), t("status"), t("terms"), t("quote")])
    r = 0
    if report.emerging_error:
        r += 1
        said = (t("emerging_disabled") if report.emerging_error == "disabled"
                else t("emerging_unavailable", reason=report.emerging_error))
        w.text(ws, r, 0, said, "note", fit=False)
    for f in report.emerging:
        r += 1
        quotes = report.quotes_of(f.id)
        # a product a line, and the terms packed into lines at term boundaries (a spreadsheet
        # program may start a wrapped line with the 、 between two terms, or cut a long cell)
        products = ("\n".join(t("product_share", product=p or "—", share=f"{sh:.0%}") for p, sh in f.products[:3])
                    if f.products else t.product(f.product))
        terms, said = packed(f.terms[:8], EMERGING_WIDTHS[5]), "\n".join(f"「{q.text}」" for q in quotes[:2])
        w.row_height(ws, r, {1: products, 5: terms, 6: said}, EMERGING_WIDTHS)
        w.text(ws, r, 0, t.finding(f))
        w.text(ws, r, 1, products, "wrap", fit=False)
        w.number(ws, r, 2, f.count, "int")
        w.number(ws, r, 3, f.growth, "ratio")
        w.text(ws, r, 4, t.finding_status(f))
        w.text(ws, r, 5, terms, "wrap", fit=False)
        w.text(ws, r, 6, said, "wrap", fit=False)
    if not report.emerging:
        r += 1
        w.text(ws, r, 0, t("none"))
    if report.candidates:
        r += 2
        w.header(ws, r, [t("candidate"), t("count"), t("share"), t("terms"), t("quote")])
        for c in report.candidates:
            r += 1
            w.text(ws, r, 0, c.label)
            w.number(ws, r, 1, c.count, "int")
            w.number(ws, r, 2, c.untagged_share, "pct")
            w.text(ws, r, 3, "、".join(c.suggested_keywords), fit=False)
            w.text(ws, r, 4, c.quotes[0] if c.quotes else "", fit=False)
    ws.freeze_panes(1, 1)
    w.fit_columns(ws, fixed=EMERGING_WIDTHS)
    w.page(ws, 0)


def followup(w: Writer, ws: Any, report: Report) -> None:
    t = w.t
    w.text(ws, 0, 0, t.followup_title(report.period), "subtitle", fit=False)
    w.header(ws, 1, [t("id"), t("label"), t("product"), t("then"), t("then_count"), t("priority"), t("now"),
                     t("now_status"), t("owner")])
    for r, u in enumerate(report.followup, 2):
        w.text(ws, r, 0, u.id)
        w.text(ws, r, 1, t.finding(u))
        w.text(ws, r, 2, t.product(u.product))
        w.text(ws, r, 3, u.then_period)
        w.number(ws, r, 4, u.then_count, "int")
        w.text(ws, r, 5, u.then_priority)
        w.number(ws, r, 6, u.now_count, "int")
        w.text(ws, r, 7, t.finding_status(u))
        w.text(ws, r, 8, u.owner.name)
    ws.freeze_panes(2, 2)
    w.fit_columns(ws)
    w.page(ws, 1)


def owner(w: Writer, ws: Any, report: Report, who: Owner) -> None:
    """One owner's sheet: each finding in words with its trend, status and quotes beside
    it, then the customers' words behind them."""
    t = w.t
    p = report.period
    mine = [f for f in report.findings if f.owner == who]
    w.text(ws, 0, 0, t("owner_of", owner=who.name), "title", fit=False)
    w.text(ws, 1, 0, f"{who.contact or '—'}    {p.label} ({p.start} – {p.end.fromordinal(p.end.toordinal() - 1)})",
           fit=False)
    head = [t("priority"), t("label"), t("product"), t("count"), t("growth"), t("status"), t("quote")]
    w.header(ws, 3, head, numbers=(3,))
    r = 3
    for f in mine:
        r += 1
        quotes = _distinct(report.quotes_of(f.id))[:QUOTES_BESIDE]
        what = t.finding(f)
        if f.terms:
            what += "\n" + packed([t("terms") + ("：" if t.lang == "zh" else ": ") + f.terms[0], *f.terms[1:6]],
                                   OWNER_WIDTHS[1], sep="、" if t.lang == "zh" else ", ")
        decision = f.closed_later or f.decision
        if decision is not None:
            what += "\n" + t.decision(decision)
        said = "\n".join(f"「{q.text}」" + (f"（{q.created_at[:10]}）" if q.created_at and q.created_at < p.start_ts else "")
                         for q in quotes)
        if f.arrived_after_close > 0:  # reopened by reports stored after its close (a late export)
            said = t("reopened_late", n=f.arrived_after_close) + ("\n" + said if said else "")
        elif not f.count and f.status != "closed":  # no report this period: said so (an open P0, with what was reported before), and
            # how it can end: a person closes a safety finding; the evidence resolves the others
            said = t("no_new_reports" if f.kind == "safety" else "no_new_reports_topic") + ("\n" + said if said else "")
        w.row_height(ws, r, {1: what, 2: t.product(f.product), 4: _trend(t, f), 6: said}, OWNER_WIDTHS)
        _priority(w, ws, r, 0, f)
        w.text(ws, r, 1, what, "wrap", fit=False)
        w.text(ws, r, 2, t.product(f.product), "wrap", fit=False)
        w.number(ws, r, 3, f.count, "int", width=6)
        w.text(ws, r, 4, _trend(t, f), "wrap", "indent", fit=False)
        w.text(ws, r, 5, t.finding_status(f))
        w.text(ws, r, 6, said, "wrap", fit=False)
    r += 2
    ws.set_h_pagebreaks([r])  # the customers' words start a page: no heading left alone at the foot of one
    w.text(ws, r, 0, t("quotes_of_owner"), "subtitle", fit=False)
    r += 1
    # the columns of the findings above where the widths agree: rating under count, time under trend
    w.header(ws, r, [t("priority"), t("label"), t("product"), t("rating"), t("created_at"), t("channel"), t("quote")])
    listed = 0
    for f in mine:
        for q in report.quotes_of(f.id):
            if listed >= RECORDS_PER_OWNER or not q.record_id:
                continue
            r += 1
            listed += 1
            said = f"{q.text}\n" + (f"（{q.source_id}）" if t.lang == "zh" else f"({q.source_id})") if q.source_id else q.text  # T-1001
            w.row_height(ws, r, {1: t.finding(f, 24), 2: q.product or "—", 6: said}, OWNER_WIDTHS)
            _priority(w, ws, r, 0, f)
            w.text(ws, r, 1, t.finding(f, 24), "wrap", fit=False)
            w.text(ws, r, 2, q.product or "—", "wrap", fit=False)
            w.number(ws, r, 3, q.rating, "center", width=5)
            w.time(ws, r, 4, q.created_at, "left")
            w.text(ws, r, 5, q.channel)
            w.text(ws, r, 6, said, "wrap", fit=False)
    ws.freeze_panes(4, 2)
    w.fit_columns(ws, fixed=OWNER_WIDTHS)
    # every printed page says whose it is (the sheet holds two tables with their own
    # headers: repeating the first one's would stand over the second)
    w.page(ws, None)
    ws.repeat_rows(0, 1)


def details(w: Writer, ws: Any, report: Report) -> None:
    """Every statistic, for analysts: findings, topics, NPS by product and channel."""
    t = w.t
    w.text(ws, 0, 0, t("finding_stats"), "subtitle", fit=False)
    head = [t("id"), t("kind"), t("label"), t("product"), t("count"), t("share"), t("neg_share"), t("baseline"),
            t("growth"), t("p_value"), "q", t("burst"), t("nps_impact"), t("ci_low"), t("ci_high"), t("vs_prev"),
            t("status"), t("terms")]
    w.header(ws, 1, head, numbers=(*range(4, 11), *range(12, 16)))
    r = 1
    for f in report.findings:
        r += 1
        imp = f.impact
        w.text(ws, r, 0, f.id)
        w.text(ws, r, 1, t.kind(f.kind))
        w.text(ws, r, 2, t.finding(f, 30))
        w.text(ws, r, 3, t.product(f.product))
        w.number(ws, r, 4, f.count, "int")
        w.number(ws, r, 5, f.share, "pct")
        w.number(ws, r, 6, f.negative_share, "pct")
        w.number(ws, r, 7, f.expected, "base")
        w.number(ws, r, 8, f.growth, "ratio")
        w.number(ws, r, 9, f.p_value, "q", width=9)
        w.number(ws, r, 10, f.q_value, "q", width=9)
        w.text(ws, r, 11, t("yes") if f.burst else "")
        w.number(ws, r, 12, imp.value if imp else None, "nps")
        w.number(ws, r, 13, imp.low if imp else None, "nps")
        w.number(ws, r, 14, imp.high if imp else None, "nps")
        w.number(ws, r, 15, f.previous_count, "int")
        w.text(ws, r, 16, t.finding_status(f))
        w.text(ws, r, 17, "、".join(f.terms[:8]), fit=False)
    r += 2
    w.text(ws, r, 0, t("topics"), "subtitle", fit=False)
    r += 1
    w.header(ws, r, [t("topic"), t("mentions"), t("negative"), t("share"), t("neg_share"), t("vs_prev"), t("baseline"),
                     t("growth"), "q", t("nps_impact"), t("ci_low"), t("ci_high"), t("owner")], numbers=range(1, 12))
    for row in report.topics:
        r += 1
        imp = row.impact
        w.text(ws, r, 0, t.topic(row.topic))
        w.number(ws, r, 1, row.mentions, "int")
        w.number(ws, r, 2, row.negative, "int")
        w.number(ws, r, 3, row.share, "pct")
        w.number(ws, r, 4, row.negative_share, "pct")
        w.number(ws, r, 5, row.previous_negative, "int")
        w.number(ws, r, 6, row.expected, "base")
        w.number(ws, r, 7, row.growth, "ratio")
        w.number(ws, r, 8, row.q_value, "q", width=9)
        w.number(ws, r, 9, imp.value if imp else None, "nps")
        w.number(ws, r, 10, imp.low if imp else None, "nps")
        w.number(ws, r, 11, imp.high if imp else None, "nps")
        w.text(ws, r, 12, row.owner.name)
    for title, groups in ((t("by_product"), report.by_product), (t("by_channel"), report.by_channel)):
        r += 2
        w.text(ws, r, 0, title, "subtitle", fit=False)
        r += 1
        w.header(ws, r, [title] + [f"{t(k + '_short')} {c}" for k in KINDS for c in (t("value"), t("moe95"), t("n"))],
                 numbers=range(1, 1 + 3 * len(KINDS)))
        for g in groups:
            r += 1
            w.text(ws, r, 0, g.name or "—")
            for i, kind in enumerate(KINDS):
                _nps(w, ws, r, 1 + 3 * i, g.of(kind))
    ws.freeze_panes(2, 1)
    w.fit_columns(ws, maximum=30, fixed={17: 40})
    # eighteen statistics do not fit one page at a readable size (it printed at 4-5 points):
    # two pages wide, each with the finding's id, kind and label
    w.page(ws, 1, wide=2)
    ws.repeat_columns(0, 2)


def data(w: Writer, ws: Any, rows: Iterable[Sequence[Any]]) -> int:
    """The records of the period (``RecordRow``s) in the reader's words; returns how many."""
    t = w.t
    head = [t(c) for c in ("id", "created_at", "record_kind", "channel", "product", "rating", "nps_score",
                           "sentiment_label", "score", "topic", "safety", "text")]
    w.header(ws, 0, head, numbers=(5, 6, 8))  # stars, score and P(positive) sit under their names
    kinds = {"review": t("reviews"), "ticket": t("tickets")}
    sentiments = {s: t(f"sentiment_{s}") for s in ("positive", "neutral", "negative")}
    n = 0
    plain = w.fmt()
    for n, rec in enumerate(rows, 1):
        rid, created, kind, channel, product, rating, nps, sentiment, score, topics, safety, text = rec
        named = "、".join(_topic(t, part) for part in topics.split("|")) if topics else ""
        # rows as tall as their wrapped cells (a ticket's turns, a long topic list)
        w.row_height(ws, n, {3: channel, 4: product, 9: named, 11: text}, DATA_WIDTHS)
        ws.write_string(n, 0, rid, plain)
        w.time(ws, n, 1, created)
        w.text(ws, n, 2, kinds.get(kind, kind), "indent", fit=False)
        w.text(ws, n, 3, channel, "wrap", fit=False)
        w.text(ws, n, 4, product, "wrap", fit=False)
        w.number(ws, n, 5, rating)
        w.number(ws, n, 6, nps)
        w.text(ws, n, 7, sentiments.get(sentiment, sentiment), fit=False)
        w.number(ws, n, 8, score, "score")
        if named:
            w.text(ws, n, 9, named, "wrap", fit=False)
        if safety:
            w.text(ws, n, 10, t("yes"), fit=False)
        if text:
            w.text(ws, n, 11, text, "wrap", fit=False)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n, 1), len(head) - 1)
    # the text wraps and each row is as tall as it needs, so it prints whole
    for col, width in DATA_WIDTHS.items():
        ws.set_column(col, col, width)
    w.page(ws, 0)
    return n


def _distinct(quotes: Sequence[Any]) -> list[Any]:
    """The quotes in order, each text once (the same words stored from two exports)."""
    seen: set[str] = set()
    return [q for q in quotes if not (q.text in seen or seen.add(q.text))]


def _topic(t: Any, part: str) -> str:
    """``battery:neg`` in words: ``电池（负面）``."""
    topic, _, polarity = part.partition(":")
    word = t(f"polarity_{polarity}") if polarity else ""
    if not word:
        return t.topic(topic)
    return f"{t.topic(topic)}（{word}）" if t.lang == "zh" else f"{t.topic(topic)} ({word})"


__all__ = ["chart_data", "data", "details", "emerging", "findings", "followup", "owner", "summary"]
