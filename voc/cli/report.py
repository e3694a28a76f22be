"""`voc report`: the NPS-style report of a period (console, --xlsx, --markdown, --json)."""

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from voc.cli.app import (
    DbOption,
    JsonOption,
    LexiconOption,
    QuietOption,
    app,
    handle_errors,
    note,
    print_json,
)
from voc.errors import ExitCode, UsageError
from voc.settings import Settings

if TYPE_CHECKING:
    from voc.period import Period
    from voc.report.build import Report
    from voc.store import Store

PRIORITY_LEVELS = ("p0", "p1", "p2", "p3")

WeekOption = Annotated[
    str | None,
    typer.Option(
        "--week",
        help="ISO week like 2026-W47, 'last' (the last complete week; default) or 'latest'.", metavar="WEEK"
    ),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="First day (YYYY-MM-DD), with --until.", metavar="DATE")
]
UntilOption = Annotated[str | None, typer.Option("--until", help="Last day, inclusive.", metavar="DATE")]
XlsxOption = Annotated[
    Path | None,
    typer.Option("--xlsx", help="Write the Excel workbook here; {week} is replaced by the period.", metavar="FILE"),
]
MarkdownOption = Annotated[
    Path | None, typer.Option("--markdown", help="Write the report as Markdown (for e-mail); - prints it instead of the console summary.", metavar="FILE")
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of the report: zh or en.", metavar="[zh|en]")]
FailOnOption = Annotated[
    str | None,
    typer.Option(
        "--fail-on", help="Exit 3 if an open finding has this priority or higher (p0..p3).", metavar="[p0|p1|p2|p3]"
    ),
]
MaxRowsOption = Annotated[
    int,
    typer.Option(
        "--max-rows",
        min=0,
        help="Cap on records in the workbook's data sheet (0: all, split in sheets).", metavar="N"
    ),
]
MinNOption = Annotated[
    int, typer.Option("--min-n", min=1, help="Fewest answers for an NPS figure to be shown.", metavar="N")
]
StarsOption = Annotated[
    str, typer.Option("--stars", help="Star-rating proxy mapping PROMOTERS/PASSIVES/DETRACTORS.", metavar="P/A/D")
]
EmergingOption = Annotated[
    bool, typer.Option("--emerging/--no-emerging", help="Include emerging-issue detection.")
]


@dataclass(frozen=True)
class ReportRequest:
    """What to produce, shared by `voc report` and `voc run`."""

    week: str | None = None
    since: str | None = None
    until: str | None = None
    xlsx: Path | None = None
    markdown: Path | None = None
    lang: str = "zh"
    json: bool = False
    fail_on: str | None = None
    max_rows: int = 100_000
    min_n: int = 30
    stars: str = "5/4/1-3"
    emerging: bool = True
    quiet: bool = False

    @property
    def to_stdout(self) -> bool:
        """``--markdown -``: the markdown goes to standard output instead of a file."""
        return self.markdown is not None and str(self.markdown) == "-"

    def check(self) -> None:
        """Usage errors before any work is done."""
        if self.lang not in ("zh", "en"):
            raise UsageError(f"--lang '{self.lang}' is not zh or en")
        if self.fail_on is not None and self.fail_on.lower() not in PRIORITY_LEVELS:
            raise UsageError(f"--fail-on '{self.fail_on}' is not one of p0, p1, p2, p3")
        from voc.report.files import OutputError, expand

        if self.to_stdout and self.json:
            raise UsageError("--markdown - and --json both write to standard output: choose one")
        for template in (self.xlsx, None if self.to_stdout else self.markdown):
            if template is not None:
                try:
                    expand(template, week="W", period="P", date="D")
                except OutputError as e:
                    raise UsageError(str(e)) from None


def options(req: ReportRequest):
    """The report options a request asks for."""
    from voc.report import ReportOptions
    from voc.report.metrics import RatingMapping

    try:
        mapping = RatingMapping.parse(req.stars)
    except ValueError as e:
        raise UsageError(f"--stars: {e}") from None
    return ReportOptions(min_n=req.min_n, mapping=mapping, emerging=req.emerging)


def outputs(req: ReportRequest, period: "Period") -> tuple[Path | None, Path | None]:
    """The --xlsx and --markdown paths with {week}, {period} and {date} filled in."""
    from datetime import date

    from voc.report.files import expand

    fields = {"week": period.label, "period": period.label, "date": date.today().isoformat()}
    return (expand(req.xlsx, **fields) if req.xlsx else None,
            expand(req.markdown, **fields) if req.markdown and not req.to_stdout else None)


def render(store: "Store", report: "Report", req: ReportRequest, extra_json: dict[str, Any] | None = None) -> None:
    """Write the requested files, print the summary or the JSON."""
    from voc import api

    xlsx, markdown = outputs(req, report.period)
    written = api.write_outputs(store, report, xlsx=xlsx, markdown=markdown, lang=req.lang,
                                max_rows=req.max_rows or None)
    if req.json:
        print_json({**(extra_json or {}), **report.to_json(), "outputs": written})
    elif req.to_stdout:  # --markdown -: the markdown on standard output, for a pipe or a mail
        from voc.report.markdown import render_markdown

        try:
            sys.stdout.write(render_markdown(report, req.lang))
            sys.stdout.flush()
        except BrokenPipeError:
            pass
    elif not req.quiet:
        from voc.report.console import make_console
        from voc.report.console import render as render_console

        try:
            render_console(report, make_console(), req.lang)
        except BrokenPipeError:  # `voc report | head`: stop printing; files and exit code still count
            pass
    if not req.quiet:  # -q: nothing on success (cron mails whatever a job prints)
        for kind, out in written.items():
            note(f"wrote {kind}: {out['path']}")


def alert(report: "Report", fail_on: str | None) -> None:
    """Exit 3 when ``--fail-on`` asks and an open finding reaches that priority."""
    if not fail_on:
        return
    level = PRIORITY_LEVELS.index(fail_on.lower())
    hits = [f for f in report.open_findings if f.alarming and int(f.priority[1]) <= level]
    if hits:
        def what(f) -> str:
            topic = f"safety:{f.hazard}" if f.kind == "safety" and f.hazard else f.topic
            return f"{f.id} ({f.priority} {topic} {f.product})".replace(" )", ")")

        ids = ", ".join(what(f) for f in hits[:5]) + (f" and {len(hits) - 5} more" if len(hits) > 5 else "")
        note(f"Alert: {len(hits)} open finding(s) at {fail_on.upper()} or higher: {ids}")
        raise typer.Exit(code=int(ExitCode.ALERT))


@app.command()
@handle_errors
def report(
    week: WeekOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    xlsx: XlsxOption = None,
    markdown: MarkdownOption = None,
    lang: LangOption = "zh",
    fail_on: FailOnOption = None,
    max_rows: MaxRowsOption = 100_000,
    min_n: MinNOption = 30,
    stars: StarsOption = "5/4/1-3",
    emerging: EmergingOption = True,
    quiet: QuietOption = False,
    db: DbOption = None,
    lexicons: LexiconOption = None,
    json_: JsonOption = False,
) -> None:
    """NPS-style report of a period: KPIs, defect drivers, emerging issues, routed findings.

    Findings and their status (new, ongoing, worsening, improving, resolved, closed) are kept in the store, so each weekly report shows whether earlier findings got better. A --json run is the same report and keeps them too (re-running a week replaces its rows). A week with no feedback, or with feedback not analysed yet, is refused (exit 2).
    """
    req = ReportRequest(
        week,
        since,
        until,
        xlsx,
        markdown,
        lang,
        json_,
        fail_on,
        max_rows,
        min_n,
        stars,
        emerging,
        quiet,
    )
    req.check()
    from voc import api
    from voc.store import open_store

    settings = Settings.resolve(db, lexicons)
    opts = options(req)
    with open_store(settings.db, must_exist=True) as store:
        period = api.period(store, req.week, req.since, req.until)
        result = api.report(store, period, lexicons=settings.lexicons, options=opts)
        render(store, result, req)
    alert(result, req.fail_on)
