"""`voc run INPUTS...`: ingest + analyze + report in one, for cron.

Idempotent: ingest skips records already stored, analyze only does what is new or
stale, the report replaces its own week's findings. Output paths may use ``{week}``
(``reports/voc-{week}.xlsx``); folders are created and files written to a temporary
name, then renamed, so a half-written workbook is never left behind.

Example crontab line (Mondays 07:00 China time, alert mail on P0)::

    0 7 * * 1  cd /srv/voc && TZ=Asia/Shanghai .venv/bin/voc run inbox/ --db voc.db \\
               --xlsx reports/voc-{week}.xlsx --markdown reports/voc-{week}.md --fail-on p0 -q
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from voc.cli.app import DbOption, JsonOption, LexiconOption, app, handle_errors, is_tty
from voc.cli.report import (
    EmergingOption,
    FailOnOption,
    LangOption,
    MarkdownOption,
    MaxRowsOption,
    MinNOption,
    QuietOption,
    ReportRequest,
    SinceOption,
    StarsOption,
    UntilOption,
    WeekOption,
    XlsxOption,
    alert,
    produce,
)
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
        typer.Argument(help="Review files, ticket transcripts or folders.", show_default=False),
    ],
    kind: Annotated[
        str, typer.Option(help="reviews, tickets, or auto (from each file's shape).")
    ] = "auto",
    channel: Annotated[str | None, typer.Option(help="Channel name for every row.")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="FIELD=COLUMN (repeatable).")
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (default: detected).")] = None,
    rejects: Annotated[
        Path | None, typer.Option(help="Write rejected and filtered rows (masked) to this CSV.")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Analysis worker processes.")] = 1,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Sentiment model from `voc train sentiment`.", exists=True, dir_okay=False
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
    from voc.io.columns import parse_map_options
    from voc.io.ingest import ingest_paths
    from voc.analysis.run import analyze_store
    from voc.store import Store

    req = ReportRequest(
        week, since, until, xlsx, markdown, lang, json_, fail_on, max_rows, min_n, stars, emerging, quiet
    )  # fmt: skip
    req.check()
    settings = Settings.resolve(db, lexicons)
    lex = settings.lexicon_dir
    with Store(settings.db) as store:
        _say("ingest ...")
        ingested = ingest_paths(
            store, inputs, kind=kind, channel=channel, mapping=parse_map_options(map_), encoding=encoding,
            lexicon_dir=str(lex), rejects_path=rejects,
        )  # fmt: skip
        _say(f"ingest: stored={ingested.total('stored')} duplicates={ingested.total('duplicates')} "
             f"rejected={ingested.total('rejected')}; analyze ...")  # fmt: skip
        analyzed = analyze_store(store, lexicon_dir=lex, workers=workers, model=model)
        _say(f"analyze: analyzed={analyzed.analyzed} skipped={analyzed.skipped}; report ...")
        extra = {"ingest": ingested.to_json(), "analyze": analyzed.to_json()}
        result = produce(store, req, lex, extra_json=extra)
    alert(result, req.fail_on)
