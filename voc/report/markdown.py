"""The report as Markdown (for e-mail): the same sections as the console summary.

Cells are escaped for GitHub-flavoured Markdown tables: ``|`` and line breaks, and
``<``/``>`` (masks such as ``<PHONE>`` would otherwise vanish as HTML tags).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from voc.report.build import Report
from voc.report.i18n import Labels, nps_text, pct, pct_change, signed, times
from voc.report.metrics import KINDS
from voc.report.topics import shorten


def cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
        .replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")
    )  # fmt: skip


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` is one letter per column (l/r), default left."""
    marks = [("---:" if (align[i : i + 1] == "r") else "---") for i in range(len(header))]
    out = ["| " + " | ".join(cell(h) for h in header) + " |", "| " + " | ".join(marks) + " |"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out


def render_markdown(report: Report, lang: str = "zh") -> str:
    """The whole report as one Markdown document."""
    t = Labels(lang, dict(report.topic_names))
    p, v = report.period, report.volume
    until = p.end.fromordinal(p.end.toordinal() - 1)
    lines = [
        f"# {t('title')} {p.label}",
        "",
        f"{t('period')}: {p.start} – {until} · {t('generated')}: {report.generated_at}",
        "",
    ]
    if not report.complete:
        lines += [f"> {cell(t('incomplete', period=p.label))}", ""]
    if report.thin:
        lines += [f"> {cell(t('thin', total=report.volume.total, previous=report.volume.previous_total))}", ""]

    lines += [f"## {t('kpis')}", ""]
    rows: list[list[Any]] = [
        [
            f"{t('volume')}（{t('reviews')} {v.reviews:,} / {t('tickets')} {v.tickets:,}）" if t.lang == "zh"
            else f"{t('volume')} ({t('reviews')} {v.reviews:,} / {t('tickets')} {v.tickets:,})",
            f"{v.total:,}",
            "",
            pct_change(v.change),
            "",
        ],
        [t("negative_share"), pct(v.negative_share), f"{v.analyzed:,}", "", ""],
        [t("safety"), v.safety, "", "", ""],
    ]
    for kind in KINDS:
        s = report.nps_of(kind)
        c = s.current
        rows.append([t(kind) + (" *" if kind == report.primary_kind else ""), nps_text(c.value, c.moe95, c.n, t),
                     f"{c.n:,}", signed(s.vs_prev.value), signed(s.vs_baseline.value)])  # fmt: skip
    lines += table([t("metric"), t("value"), t("n"), t("vs_prev"), t("vs_base")], rows, "lrrrr")
    # what "*", the proxies, growth and the sign of an NPS impact mean, as in the console
    lines += [""] + [f"_{cell(note)}_  " for note in (t("legend_primary"), report.proxy_note(t),
                                                      t("legend_growth"), t("legend_impact"))] + [""]

    lines += [f"## {t('top_defects')}", ""]
    rows = []
    for r in [r for r in report.topics if r.negative][:10]:
        imp = r.impact
        ci = (
            f"[{imp.low:+.1f}, {imp.high:+.1f}]"
            if imp and imp.low is not None and imp.high is not None
            else "—"
        )
        rows.append([t.topic(r.topic), r.negative, pct(r.share), times(r.growth), signed(imp.value if imp else None),
                     ci, r.owner.team])  # fmt: skip
    lines += table([t("topic"), t("negative"), t("share"), t("growth"), t("nps_impact"), t("impact_ci"), t("owner")],
                   rows, "lrrrrrl") if rows else [t("none")]  # fmt: skip
    lines.append("")

    lines += [f"## {t('emerging')}", ""]
    if report.emerging_error == "disabled" and report.emerging:
        lines += [cell(t("emerging_disabled")), ""]
    elif report.emerging_error and report.emerging_error != "disabled":
        lines += [cell(t("emerging_unavailable", reason=report.emerging_error)), ""]
    rows = [[t.finding(f), ", ".join(p or "—" for p, _s in f.products[:2]) if f.products else t.product(f.product),
             f.count, times(f.growth), t.finding_status(f)] for f in report.emerging]  # fmt: skip
    rows += [[f"{t('candidate')}: {c.label}", "|".join(c.suggested_keywords[:6]), c.count, "", ""]
             for c in report.candidates[:5]]  # fmt: skip
    lines += (
        table([t("label"), t("products"), t("count"), t("growth"), t("status")], rows, "llrrl")
        if rows
        else [t("emerging_disabled") if report.emerging_error == "disabled" else t("none")]
    )
    lines.append("")

    lines += [f"## {t('findings')}", ""]
    rows = [[f.priority, f.id, t.finding(f), t.product(f.product), f.count, times(f.growth), t.finding_status(f),
             f.owner.name] for f in report.findings]  # fmt: skip
    lines += table([t("priority"), t("id"), t("topic"), t("product"), t("count"), t("growth"), t("status"), t("owner")],
                   rows, "llllrrll") if rows else [t("none")]  # fmt: skip
    lines += ["", f"{t('rule')}: " + " ".join(report.rule.describe(lang)), ""]

    decided = [f for f in report.findings if (f.closed_later or f.decision) is not None]
    if decided:
        lines += [f"## {t('decisions')}", ""]
        lines += table([t("id"), t("topic"), t("status"), t("decision_col")],
                       [[f.id, t.finding(f), t.finding_status(f), t.decision(f.closed_later or f.decision)]
                        for f in decided], "llll")
        lines.append("")

    lines += [f"## {t('owner_table')}", ""]
    rows = []
    for owner in report.owners():
        mine = [f for f in report.open_findings if f.owner == owner]
        if mine:
            n = Counter(f.priority for f in mine)
            rows.append(
                [
                    owner.name,
                    owner.contact or "—",
                    *(n.get(k, 0) for k in ("P0", "P1", "P2", "P3")),
                    len(mine),
                ]
            )
    lines += (
        table([t("owner"), t("contact"), "P0", "P1", "P2", "P3", t("findings_n")], rows, "llrrrrr")
        if rows
        else [t("none")]
    )
    lines.append("")

    quotes = report.headline_quotes(8)
    if quotes:
        lines += [f"## {t('quotes')}", ""]
        for f, q in quotes:
            head = t.finding(f, 30)
            lines.append(
                f"- **{f.priority} {cell(head)} {cell(t.product(f.product))}**: “{cell(shorten(q.text, 160))}”"
                + (f" ({cell(q.source_id)})" if q.source_id else "")
                + (f" ({q.created_at[:10]})" if q.created_at and q.created_at < report.period.start_ts else "")
                + (f" — {cell(t('reopened_late', n=f.arrived_after_close))}" if f.arrived_after_close > 0 else "")
            )
        lines.append("")

    if report.followup:
        lines += [f"## {t.followup_title(report.period)}", ""]
        rows = [[u.id, t.finding(u), t.product(u.product), f"{u.then_count:,} ({u.then_period})", f"{u.now_count:,}",
                 t.finding_status(u)] for u in report.followup]  # fmt: skip
        lines += table(
            [t("id"), t("topic"), t("product"), t("then"), t("now"), t("now_status")], rows, "lllrrl"
        )
        lines.append("")
    return "\n".join(lines)
