"""`voc analyze`"""

from pathlib import Path
from typing import Annotated

import typer

from voc.cli.app import DbOption, JsonOption, LexiconOption, QuietOption, app, handle_errors
from voc.entry import analyze_command


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
    # (voc.entry runs the same body for the plain command lines it reads itself)
    analyze_command(workers, reanalyze, model, topic_model, adapt, quiet, db, lexicons, json_)
