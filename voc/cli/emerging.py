"""`voc emerging`: emerging issues for a period (console table, plain text or --json)."""

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
    """The growth against the baseline; with no baseline there is none to give ("-"), and
    whether the issue is new says its status (a small one with no history is ongoing)."""
    from voc.report.i18n import fixed  # here: importing voc.report costs every command

    return "-" if issue.growth is None else f"{fixed(issue.growth)}x"


def _history(result) -> bool:
    """Whether the baseline weeks hold any record: with none (a store's first week) there is
    nothing to compare with, and a baseline of 0.0 would say that none was expected."""
    return result.stats.get("volume_baseline", 1) > 0


def _baseline(issue, history: bool) -> str:
    from voc.report.i18n import fixed

    return fixed(issue.baseline) if history else "-"


NO_HISTORY = "no record in the baseline weeks: nothing to compare this period with, every cluster is ongoing"


def _products(issue, n: int = 2) -> str:
    """``moto edge 50 (100% of it)``: the products of an issue, with their share of it."""
    return ", ".join(f"{s.name} ({s.share:.0%} of it)" for s in issue.products[:n])


def render_plain(result, out, top: int) -> None:
    """Tab-separated lines: quiet, greppable output for cron and pipes."""
    stats = result.stats
    out.write(f"period\t{result.period}\t{result.since}..{result.until}\tcomplaints={stats.get('complaints', 0)}"
              f"\tvolume={stats.get('volume', 0)}\tclusters={stats.get('clusters', 0)}\talarms={len(result.alarms)}\n")
    history = _history(result)
    if not history:
        out.write(f"note\t{NO_HISTORY}\n")
    for a in result.alarms:
        out.write(f"alarm\t{a.id}\t{a.status}\t{a.label}\tcount={a.count}\tbaseline={_baseline(a, history)}"
                  f"\tgrowth={_growth(a)}\tp={a.p_value:.2g}\tq={a.q_value:.2g}\t{_products(a)}\n")
        for q in a.quotes[:3]:
            out.write(f"quote\t{a.id}\t{q}\n")
    for c in result.candidates[:top]:
        out.write(f"candidate\t{c.cluster_id}\t{c.label}\tcount={c.count}\tuntagged={c.untagged_share:.0%}"
                  f"\tkeywords={'|'.join(c.suggested_keywords)}\n")
    for i in result.clusters[:top]:
        out.write(f"cluster\t{i.id}\t{i.status}\t{i.label}\tcount={i.count}\tbaseline={_baseline(i, history)}"
                  f"\tgrowth={_growth(i)}\n")


def render_rich(result, console, top: int) -> None:
    """Tables for a terminal (80 columns and up): each alarm in three lines (what it is;
    its id and products; a quote), candidate topics, clusters. No cell wraps: text is cut
    at a term boundary with an ellipsis."""
    from rich.text import Text

    from voc.report.console import MAX_WIDTH, fit, plain_table, room_for, two_lines

    width = min(console.width, MAX_WIDTH)
    stats = result.stats
    console.print(
        f"[b]voc emerging[/b] {result.period} ({result.since} – {result.until}): "
        f"{stats.get('complaints', 0):,} complaints of {stats.get('volume', 0):,} records, "
        f"{stats.get('clusters', 0)} clusters, baseline {result.baseline_weeks} weeks"
    )
    history = _history(result)
    if not history:
        console.print(f"[yellow]{NO_HISTORY}[/yellow]")
    if not result.alarms:
        console.print("No emerging issue this period.")
    else:
        headers = ["issue", "status", "count", "baseline"]
        base = [f"{_baseline(a, history)} ({_growth(a)})" for a in result.alarms]
        cells = room_for(width, headers, {1: [a.status for a in result.alarms],
                                          2: [str(a.count) for a in result.alarms], 3: base}, 0)
        table = plain_table(f"Emerging issues ({len(result.alarms)})", ("issue", "left"), ("status", "left"),
                            ("count", "right"), ("baseline", "right"))
        for a, b in zip(result.alarms, base):
            what = two_lines(a.label, f"{a.id} · {_products(a)}", cells)
            if a.quotes:
                what.append("\n" + fit(f"「{a.quotes[0]}」", cells), style="italic")
            style = "bold red" if a.status == "new" else "red"
            table.add_row(what, Text(a.status, style=style), str(a.count), b)
        console.print(table)
    candidates = result.candidates[:top]
    if candidates:
        headers = ["id", "label", "count", "untagged", "suggested keywords"]
        labels = [fit(c.label, 24) for c in candidates]
        cells = room_for(width, headers, {0: [c.cluster_id for c in candidates], 1: labels,
                                          2: [str(c.count) for c in candidates],
                                          3: [f"{c.untagged_share:.0%}" for c in candidates]}, 4)
        cand = plain_table("Candidate new topics (paste keywords into lexicons/topics.tsv)",
                           *((h, "right" if h in ("count", "untagged") else "left") for h in headers))
        for c, label in zip(candidates, labels):
            cand.add_row(c.cluster_id, label, str(c.count), f"{c.untagged_share:.0%}",
                         fit("|".join(c.suggested_keywords), cells))
        console.print(cand)
    shown = result.clusters[:top]
    headers = ["id", "status", "label", "count", "baseline", "topics"]
    topics = [fit(", ".join(s.name for s in i.topics[:2]) or "—", 12) for i in shown]
    base = [f"{_baseline(i, history)} ({_growth(i)})" for i in shown]
    cells = room_for(width, headers, {0: [i.id for i in shown], 1: [i.status for i in shown],
                                      3: [str(i.count) for i in shown], 4: base, 5: topics}, 2)
    clusters = plain_table(f"Clusters (top {len(shown)} of {len(result.clusters)})",
                           *((h, "right" if h in ("count", "baseline") else "left") for h in headers))
    for i, b, t in zip(shown, base, topics):
        clusters.add_row(i.id, i.status, fit(i.label, cells), str(i.count), b, t)
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
