"""`voc emerging`: emerging issues for a period (console table, plain text or --json)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from voc.cli.app import (
    DbOption,
    JsonOption,
    LexiconOption,
    QuietOption,
    app,
    handle_errors,
    print_json,
)
from voc.settings import Settings


def _growth(issue) -> str:
    return "new" if issue.growth is None else f"{issue.growth:.1f}x"


def _products(issue, n: int = 2) -> str:
    return ", ".join(f"{s.name} {s.share:.0%}" for s in issue.products[:n])


def render_plain(result, out, top: int) -> None:
    """Tab-separated lines: quiet, greppable output for cron and pipes."""
    stats = result.stats
    out.write(f"period\t{result.period}\t{result.since}..{result.until}\tcomplaints={stats.get('complaints', 0)}"
              f"\tvolume={stats.get('volume', 0)}\tclusters={stats.get('clusters', 0)}\talarms={len(result.alarms)}\n")
    for a in result.alarms:
        out.write(f"alarm\t{a.id}\t{a.status}\t{a.label}\tcount={a.count}\tbaseline={a.baseline:.1f}"
                  f"\tgrowth={_growth(a)}\tp={a.p_value:.2g}\tq={a.q_value:.2g}\t{_products(a)}\n")
        for q in a.quotes[:3]:
            out.write(f"quote\t{a.id}\t{q}\n")
    for c in result.candidates[:top]:
        out.write(f"candidate\t{c.cluster_id}\t{c.label}\tcount={c.count}\tuntagged={c.untagged_share:.0%}"
                  f"\tkeywords={'|'.join(c.suggested_keywords)}\n")
    for i in result.clusters[:top]:
        out.write(f"cluster\t{i.id}\t{i.status}\t{i.label}\tcount={i.count}\tbaseline={i.baseline:.1f}\tgrowth={_growth(i)}\n")


def render_rich(result, console, top: int) -> None:
    """Tables for a terminal: alarms (with a quote each), candidate topics, clusters."""
    from rich.table import Table

    stats = result.stats
    console.print(
        f"[b]voc emerging[/b] {result.period} ({result.since} – {result.until}): "
        f"{stats.get('complaints', 0):,} complaints of {stats.get('volume', 0):,} records, "
        f"{stats.get('clusters', 0)} clusters, baseline {result.baseline_weeks} weeks"
    )
    table = Table(title=f"Emerging issues ({len(result.alarms)})", title_justify="left", show_lines=True, expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("issue", ratio=3, overflow="fold")
    table.add_column("count", justify="right", no_wrap=True)
    table.add_column("baseline", justify="right", no_wrap=True)
    table.add_column("products", ratio=1, overflow="fold")
    for a in result.alarms:
        style = "bold red" if a.status == "new" else "red"
        quote = f"\n[dim]「{a.quotes[0]}」[/dim]" if a.quotes else ""
        table.add_row(a.id, f"[{style}]{a.status}[/{style}]", f"{a.label}{quote}", str(a.count),
                      f"{a.baseline:.1f} ({_growth(a)})", _products(a))
    console.print(table if result.alarms else "No emerging issue this period.")
    if result.candidates:
        cand = Table(title="Candidate new topics (paste keywords into lexicons/topics.tsv)", title_justify="left")
        for col in ("id", "label", "count", "untagged", "suggested keywords"):
            cand.add_column(col, overflow="fold", no_wrap=col in ("id", "count", "untagged"))
        for c in result.candidates[:top]:
            cand.add_row(c.cluster_id, c.label, str(c.count), f"{c.untagged_share:.0%}", "|".join(c.suggested_keywords))
        console.print(cand)
    clusters = Table(title=f"Clusters (top {min(top, len(result.clusters))} of {len(result.clusters)})", title_justify="left")
    for col, justify in (("id", "left"), ("status", "left"), ("label", "left"), ("count", "right"),
                         ("baseline", "right"), ("growth", "right"), ("topics", "left")):
        clusters.add_column(col, justify=justify, overflow="fold", no_wrap=col not in ("label", "topics"))
    for i in result.clusters[:top]:
        topics = ", ".join(s.name for s in i.topics[:2]) or "—"
        clusters.add_row(i.id, i.status, i.label, str(i.count), f"{i.baseline:.1f}", _growth(i), topics)
    console.print(clusters)


@app.command()
@handle_errors
def emerging(
    week: Annotated[str | None, typer.Option(help="ISO week (2026-W47), 'last' (default: the last complete week) or 'latest' (the week of the newest record).", show_default=False, metavar="WEEK")] = None,
    since: Annotated[str | None, typer.Option(help="First day of a custom period (with --until).", show_default=False, metavar="DATE")] = None,
    until: Annotated[str | None, typer.Option(help="Last day of a custom period (with --since).", show_default=False, metavar="DATE")] = None,
    min_count: Annotated[int, typer.Option(min=1, help="Fewest complaints in the period for a series to be tested.", metavar="N")] = 5,
    baseline_weeks: Annotated[int, typer.Option(min=1, max=52, help="Weeks before the period that form the baseline.", metavar="N")] = 8,
    fdr: Annotated[float, typer.Option(min=0.0, max=1.0, help="False discovery rate across all series tested (Benjamini-Hochberg).", metavar="Q")] = 0.01,
    top: Annotated[int, typer.Option(min=1, help="Clusters and candidates to show (console only; --json lists all).", metavar="N")] = 15,
    quiet: QuietOption = False,
    db: DbOption = None,
    lexicons: LexiconOption = None,
    json_: JsonOption = False,
) -> None:
    """Emerging issues: new or bursting complaint clusters and topic x product series."""
    from rich.console import Console

    from voc import api
    from voc.store import open_store

    settings = Settings.resolve(db, lexicons)
    with open_store(settings.db, must_exist=True) as store:
        period = api.period(store, week, since, until)
        result = api.emerging(store, period, lexicons=settings.lexicons, min_count=min_count,
                              baseline_weeks=baseline_weeks, fdr=fdr)
    if json_:
        print_json(result.to_json())
    elif quiet:
        return
    elif sys.stdout.isatty():
        render_rich(result, Console(highlight=False), top)
    else:
        render_plain(result, sys.stdout, top)
