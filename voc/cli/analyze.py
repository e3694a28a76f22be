"""`voc analyze`"""

from pathlib import Path
from typing import Annotated

import typer

from voc.cli.app import (
    DbOption,
    JsonOption,
    LexiconOption,
    QuietOption,
    app,
    handle_errors,
    is_tty,
    print_json,
    stderr_console,
)
from voc.settings import Settings


@app.command()
@handle_errors
def analyze(
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (chunks run in parallel). Default: one per 2,000 pending records, at most one per core and 4.", metavar="N", show_default=False)] = None,
    reanalyze: Annotated[bool, typer.Option(help="Analyse every record again, not only new or stale ones.")] = False,
    model: Annotated[Path | None, typer.Option(help="Sentiment model from `voc train sentiment` (default: the built-in one).", exists=True, dir_okay=False, metavar="FILE")] = None,
    topic_model: Annotated[Path | None, typer.Option(help="Topic model from `voc train topics` (default: the topic lexicon).", exists=True, dir_okay=False, metavar="FILE")] = None,
    adapt: Annotated[bool, typer.Option("--adapt/--no-adapt", help="Adapt the default sentiment model to the store's star ratings when that is more accurate on rated reviews held back.")] = True,
    quiet: QuietOption = False,
    db: DbOption = None,
    lexicons: LexiconOption = None,
    json_: JsonOption = False,
) -> None:
    """Segment, score sentiment, tag defect topics with aspect polarity, flag safety reports.

    Incremental: only records that are new, or were analysed by another model or lexicon
    version, are analysed again.
    """
    from voc import api
    from voc.store import open_store

    settings = Settings.resolve(db, lexicons)
    with open_store(settings.db, must_exist=True) as store:
        if is_tty() and not json_ and not quiet:  # rich only for the bar (its import is 20-25 ms of a short run)
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            with Progress("analyze", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=stderr_console(),
                          transient=True) as bar:
                task = bar.add_task("analyze", total=None)
                result = api.analyze(
                    store, lexicons=settings.lexicons, workers=workers, reanalyze=reanalyze, model=model,
                    topic_model=topic_model, progress=lambda done, total: bar.update(task, completed=done, total=total),
                    adapt=adapt,
                )
        else:
            result = api.analyze(store, lexicons=settings.lexicons, workers=workers, reanalyze=reanalyze,
                                 model=model, topic_model=topic_model, adapt=adapt)
    if json_:
        print_json(result.to_json())
    elif not quiet:
        if result.sentiment_note:
            print(result.sentiment_note)
        print(f"analyzed={result.analyzed} skipped={result.skipped} seconds={result.seconds:.1f} "
              f"per_second={result.per_second:,.0f} workers={result.workers}")
