"""`voc run INPUTS...`: ingest + analyze + report in one, for cron.

Idempotent: ingest skips records already stored, analyze only does what is new or
stale, the report replaces its own week's findings. Output paths may use ``{week}``
(``reports/voc-{week}.xlsx``); folders are created and files written to a temporary
name, then renamed, so a half-written workbook is never left behind.

Example crontab line (Mondays 07:00 China time, alert mail on P0)::

    0 7 * * 1  cd /srv/voc && TZ=Asia/Shanghai .venv/bin/voc run inbox/ --db voc.db \\
               --xlsx reports/voc-{week}.xlsx --markdown reports/voc-{week}.md --fail-on p0 -q
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from voc.cli.app import (
    DbOption,
    JsonOption,
    LexiconOption,
    QuietOption,
    app,
    fail,
    handle_errors,
    is_tty,
)
from voc.cli.report import (
    EmergingOption,
    FailOnOption,
    LangOption,
    MarkdownOption,
    MaxRowsOption,
    MinNOption,
    ReportRequest,
    SinceOption,
    StarsOption,
    UntilOption,
    WeekOption,
    XlsxOption,
    alert,
    options,
    render,
)
from voc.errors import ExitCode
from voc.settings import Settings


def _say(message: str) -> None:
    """Stage lines on stderr, only on a terminal (cron stays quiet)."""
    if is_tty():
        sys.stderr.write(message + "\n")


@app.command()
@handle_errors
def run(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Review files, ticket transcripts or folders.", show_default=False, metavar="PATH..."),
    ],
    kind: Annotated[
        str, typer.Option(help="reviews, tickets, or auto (from each file's shape).", metavar="[reviews|tickets|auto]")
    ] = "auto",
    channel: Annotated[str | None, typer.Option(help="Channel name for every row.", metavar="NAME")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="FIELD=COLUMN (repeatable).", metavar="FIELD=COLUMN")
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (default: detected).", metavar="NAME")] = None,
    rejects: Annotated[
        Path | None, typer.Option(help="Write rejected and filtered rows (masked) to this CSV.", metavar="FILE")
    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Analysis worker processes. Default: one per 2,000 pending records, at most one per core and 4.", metavar="N", show_default=False)] = None,
    adapt: Annotated[bool, typer.Option("--adapt/--no-adapt", help="Adapt the default sentiment model to the store's star ratings when that wins.")] = True,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Sentiment model from `voc train sentiment`.", exists=True, dir_okay=False, metavar="FILE"
        ),
    ] = None,
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
    """Ingest INPUTS, analyse what is new, and write the report of the period (default: last week).

    Exit 3 with --fail-on p0 when a P0 finding (a safety report) is open, so cron can alert.
    """
    from voc import api
    from voc.io.columns import parse_map_options
    from voc.store import open_store

    req = ReportRequest(
        week, since, until, xlsx, markdown, lang, json_, fail_on, max_rows, min_n, stars, emerging, quiet
    )  # fmt: skip
    req.check()
    settings = Settings.resolve(db, lexicons)
    opts = options(req)
    ingest_options = {"kind": kind, "channel": channel, "mapping": parse_map_options(map_), "encoding": encoding,
                      "rejects": rejects}
    from voc.cli.ingest import is_new_store, print_warnings, say_created

    created = is_new_store(settings.db)
    with open_store(settings.db) as store:
        if created and not quiet and not json_:
            say_created(settings.db)
        _say("ingest, analyze, report ...")
        done = api.run(store, inputs, lambda s: api.period(s, req.week, req.since, req.until),
                       lexicons=settings.lexicons, ingest_options=ingest_options, workers=workers, model=model,
                       options=opts, adapt=adapt)
        ing, ana = done.ingest, done.analyze
        _say(f"ingest: stored={ing.total('stored')} duplicates={ing.total('duplicates')} "
             f"rejected={ing.total('rejected')} records={ing.total('records')}; "
             f"analyze: analyzed={ana.analyzed} skipped={ana.skipped}")
        if ana.sentiment_note:
            _say(ana.sentiment_note)
        if not quiet and not json_:
            print_warnings(ing)
        if done.unchanged and not quiet and not json_:
            sys.stderr.write(f"voc run: nothing new for {done.report.period.label} since its last report; "
                             "the findings loop is untouched\n")
        extra = {"ingest": ing.to_json(), "analyze": ana.to_json(), "unchanged": done.unchanged}
        render(store, done.report, req, extra_json=extra)
    # after the report: cron keeps the week and still hears of a bad file, also when an open
    # P0's alert exits 3 (as it does every week until a person closes the finding)
    made_from = "the other files" if ing.files else "what the store already held"
    error = fail(f"{ing.error}; the report was made from {made_from}", ExitCode.USAGE) if ing.error else None
    alert(done.report, req.fail_on)
    if error is not None:
        raise error
