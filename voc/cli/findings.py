"""`voc findings list|show|close|reopen`: the people's side of the closed loop."""

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
from voc.errors import UsageError
from voc.settings import Settings

findings_app = typer.Typer(
    name="findings",
    help="List findings, show one, close one with a note when it is fixed, or reopen it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(findings_app, name="findings")

IdArg = Annotated[str, typer.Argument(help="Finding id (F-…; a unique prefix will do).", show_default=False, metavar="ID")]
NoteOption = Annotated[str, typer.Option("--note", help="What was done (required; shown in the reports).",
                                         show_default=False, metavar="TEXT")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who decides (default: $VOC_USER, else your login).",
                                              show_default=False, metavar="NAME")]


LangOption = Annotated[str, typer.Option("--lang", help="Language of the text output: zh or en.", metavar="[zh|en]")]


def _labels(lang: str, lexicons):
    """Report labels with the taxonomy's topic names (the words the reports use)."""
    from voc.report.i18n import LANGS, Labels, load_topic_names

    if lang not in LANGS:
        raise UsageError(f"--lang '{lang}' is not zh or en")
    return Labels(lang, load_topic_names(Settings.resolve(None, lexicons).lexicons))


def _terminal():
    """A console for tables a person reads in the terminal: one column short of its width
    (a wide character in the last cell would wrap)."""
    from rich.console import Console

    console = Console(soft_wrap=False)
    console.width = console.width - 1
    return console


def _status(t, status: str, reopened: bool) -> str:
    """A status in words: 重新打开 for one open again after a person closed it."""
    return t("status_reopened") if reopened else t.status(status)


def _line(s, t) -> str:
    r = s.latest
    decided = t.decision(s.decision) if s.decision else ""
    return "\t".join((r.finding_id, r.priority, _status(t, s.status, s.reopened), t.finding(r), t.product(r.product),
                      str(r.count), r.period, r.owner_team, decided))


@findings_app.command("list")
@handle_errors
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Also the resolved and closed findings.")] = False,
    priority: Annotated[str | None, typer.Option(help="Only this priority or higher (p0..p3).", metavar="[p0|p1|p2|p3]")] = None,
    owner: Annotated[str | None, typer.Option(help="Only findings whose owner team or person contains this.", metavar="TEXT")] = None,
    lang: LangOption = "zh",
    db: DbOption = None,
    lexicons: LexiconOption = None,
    json_: JsonOption = False,
) -> None:
    """The findings of the loop: open ones by default, most urgent first."""
    from voc import api
    from voc.cli.report import PRIORITY_LEVELS
    from voc.store import open_store

    if priority is not None and priority.lower() not in PRIORITY_LEVELS:
        raise UsageError(f"--priority '{priority}' is not one of p0, p1, p2, p3")
    t = _labels(lang, lexicons)
    with open_store(Settings.resolve(db).db, must_exist=True) as store:
        states = api.findings(store)
    if not all_:
        states = [s for s in states if s.is_open]
    if priority is not None:
        level = PRIORITY_LEVELS.index(priority.lower())
        states = [s for s in states if int(s.latest.priority[1]) <= level]
    if owner:
        states = [s for s in states if owner in s.latest.owner_team or owner in s.latest.owner_person]
    if json_:
        print_json({"findings": [s.to_json() for s in states]})
        return
    if not states:
        sys.stderr.write(("没有未关闭的问题\n" if lang == "zh" else "no open findings\n") if not all_
                         else ("没有问题\n" if lang == "zh" else "no findings\n"))
        return
    head = [t(k) for k in ("id", "priority", "status", "topic", "product", "count", "week", "owner", "decision_col")]
    if sys.stdout.isatty():  # a person reads it: a table that wraps inside its cells
        from rich.table import Table

        rows = [_line(s, t).split("\t") for s in states]
        console = _terminal()
        # no empty decision column, and no week column in a narrow terminal (the week is the latest)
        shown = [i for i in range(len(head)) if (i != 8 or any(r[8] for r in rows)) and (i != 6 or console.width >= 90)]
        table = Table(box=None, pad_edge=False, header_style="bold")
        for i in shown:
            table.add_column(head[i], no_wrap=i in (0, 1, 2, 5, 6), justify="right" if i == 5 else "left",
                             overflow="fold", min_width={3: 14, 4: 10, 7: 8}.get(i),
                             ratio=4 if i == 3 else (2 if i in (4, 8) else (1 if i == 7 else None)))
        for r in rows:
            table.add_row(*(r[i] for i in shown))
        console.print(table)
        return
    sys.stdout.write("\t".join(head) + "\n")
    for s in states:
        sys.stdout.write(_line(s, t) + "\n")


@findings_app.command()
@handle_errors
def show(finding_id: IdArg, lang: LangOption = "zh", db: DbOption = None, lexicons: LexiconOption = None,
         json_: JsonOption = False) -> None:
    """One finding: what it is, its history by week, and who closed or reopened it."""
    from voc import api
    from voc.store import open_store

    t = _labels(lang, lexicons)
    with open_store(Settings.resolve(db).db, must_exist=True) as store:
        state, history, events = api.finding(store, finding_id)
    r = state.latest
    if json_:
        print_json({**state.to_json(), "history": [
            {"period": h.period, "count": h.count, "volume": h.volume, "status": h.status, "priority": h.priority,
             "qualifies": h.qualifies, "at_baseline": h.at_baseline, "baseline": h.expected, "growth": h.growth}
            for h in history], "decisions": [e._asdict() for e in events]})
        return
    from voc.report.i18n import fixed, times

    out = sys.stdout
    out.write(f"{r.finding_id}  {r.priority}  {_status(t, state.status, state.reopened)}  {t.finding(r)}  "
              f"{t.product(r.product)}\n")
    out.write(f"{t('owner')}: {r.owner_team}{'·' + r.owner_person if r.owner_person else ''}"
              f"{'  ' + r.owner_contact if r.owner_contact else ''}\n")
    if r.terms:
        out.write(f"{t('terms')}: {'、'.join(r.terms)}\n")
    out.write(f"{t('first_seen')}: {r.first_period}\n\n")
    head = [t(k) for k in ("week", "count", "volume", "baseline", "growth", "status", "priority")]
    rows = []
    for h in history:
        base = "—" if h.expected is None else fixed(h.expected)
        rows.append([h.period, str(h.count), str(h.volume), base, times(h.growth),
                     _status(t, h.status, api.reopened(h, events)), h.priority])
    decided = [[e.at[:19].replace("T", " "), t("action_" + e.action), e.by, e.period, e.note] for e in events]
    if out.isatty():  # a person reads it: tables that wrap inside their cells
        from rich.table import Table

        console = _terminal()
        table = Table(box=None, pad_edge=False, header_style="bold")
        for i, name in enumerate(head):
            table.add_column(name, justify="right" if i in (1, 2, 3, 4) else "left", no_wrap=True)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        if decided:
            console.print(f"\n{t('decisions')}:")
            notes = Table(box=None, pad_edge=False, show_header=False)
            for i in range(5):
                notes.add_column(no_wrap=i < 4, overflow="fold")
            for row in decided:
                notes.add_row(*row)
            console.print(notes)
        return
    out.write("\t".join(head) + "\n")
    for row in rows:
        out.write("\t".join(row) + "\n")
    if decided:
        out.write(f"\n{t('decisions')}:\n")
        for row in decided:
            out.write("\t".join(row) + "\n")


def _decide(action: str, finding_id: str, note: str, by: str | None, db, json_: bool, quiet: bool = False) -> None:
    from voc import api
    from voc.store import open_store

    with open_store(Settings.resolve(db).db, must_exist=True) as store:
        state = api.decide(store, finding_id, action, note=note, by=by)
    if json_:
        print_json(state.to_json())
    elif not quiet:
        d = state.decision
        assert d is not None
        sys.stderr.write(f"{state.id}: {'closed' if action == 'close' else 'reopened'} by {d.by} "
                         f"from {d.period} ({d.note})\n")


@findings_app.command()
@handle_errors
def close(finding_id: IdArg, note: NoteOption, by: ByOption = None, quiet: QuietOption = False,
          db: DbOption = None, json_: JsonOption = False) -> None:
    """Close a finding that is fixed or handled: it leaves the open list (and --fail-on)
    from the latest reported week on, and comes back as new if it recurs."""
    _decide("close", finding_id, note, by, db, json_, quiet)


@findings_app.command()
@handle_errors
def reopen(finding_id: IdArg, note: NoteOption, by: ByOption = None, quiet: QuietOption = False,
           db: DbOption = None, json_: JsonOption = False) -> None:
    """Reopen a closed or resolved finding: the next report follows it again."""
    _decide("reopen", finding_id, note, by, db, json_, quiet)
