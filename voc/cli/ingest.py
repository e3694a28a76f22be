"""`voc ingest PATH...`"""

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
    note,
    print_json,
)
from voc.errors import ExitCode
from voc.settings import Settings

COUNT_KEYS = ("read", "stored", "duplicates", "rejected", "filtered")
#: ... and the records written: a stored row with a follow-up review (追评) writes two
SHOWN_KEYS = (*COUNT_KEYS, "records")


def render_summary(result, console) -> None:
    """Per-file counts: a table on a terminal, plain lines otherwise."""
    if console.is_terminal:
        from rich.table import Table

        table = Table(title="voc ingest", title_justify="left")
        table.add_column("file", overflow="fold")
        table.add_column("kind")
        for k in SHOWN_KEYS:
            table.add_column(k, justify="right")
        for f in result.files:
            table.add_row(Path(f.file).name, f.kind, *(f"{getattr(f, k):,}" for k in SHOWN_KEYS))
        if len(result.files) > 1:
            table.add_row("[b]total[/b]", "", *(f"[b]{result.total(k):,}[/b]" for k in SHOWN_KEYS))
        console.print(table)
    else:
        for f in result.files:
            counts = " ".join(f"{k}={getattr(f, k)}" for k in SHOWN_KEYS)
            console.print(f"{f.file}\t{f.kind}\t{counts}", soft_wrap=True)
        counts = " ".join(f"{k}={result.total(k)}" for k in SHOWN_KEYS)
        console.print(f"total\t\t{counts}", soft_wrap=True)
    for s in result.skipped:
        console.print(f"skipped: {s}", soft_wrap=True)
    print_warnings(result)


def is_new_store(target) -> bool:
    """Whether ``target`` names a store file that does not exist yet (``voc ingest`` and ``voc run``
    create it, and the folders it is in)."""
    from voc.store.common import is_server_url

    return not is_server_url(str(target)) and not Path(target).exists()


def say_created(target) -> None:
    """Say that a store was created (a misspelt --db would otherwise fill a new store silently)."""
    note(f"note: created a new store at {target}")


def print_warnings(result) -> None:
    """What was wrong with a file and how it was read (an unbalanced quote ...), on stderr."""
    import sys

    for w in getattr(result, "warnings", ()):
        sys.stderr.write(f"warning: {w}\n")
    for f in result.files:
        for w in f.warnings:
            sys.stderr.write(f"warning: {f.file}: {w}\n")


@app.command()
@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (CSV, TSV, XLSX, JSON, JSONL, TXT transcripts).", show_default=False, metavar="PATH...")],
    kind: Annotated[str, typer.Option(help="reviews, tickets, or auto (from each file's shape).", metavar="[reviews|tickets|auto]")] = "auto",
    channel: Annotated[str | None, typer.Option(help="Channel name for every row (default: a channel column, else from the file name).", metavar="NAME")] = None,
    map_: Annotated[list[str] | None, typer.Option("--map", help="FIELD=COLUMN, e.g. --map text=评价 (repeatable).", metavar="FIELD=COLUMN")] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (default: UTF-8 or GB18030, detected).", metavar="NAME")] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet name (default: the first sheet).", metavar="NAME")] = None,
    rejects: Annotated[Path | None, typer.Option(help="Write rejected and filtered rows (masked) to this CSV.", metavar="FILE")] = None,
    quiet: QuietOption = False,
    db: DbOption = None,
    lexicons: LexiconOption = None,
    json_: JsonOption = False,
) -> None:
    """Load review files and ticket transcripts into the store, masking personal data."""
    from voc import api
    from voc.cli.app import stderr_console
    from voc.io.columns import parse_map_options
    from voc.io.ingest import IngestError
    from voc.store import open_store

    settings = Settings.resolve(db, lexicons)
    console = stderr_console()
    if rejects is not None:  # a bad name fails now, not after the files are stored
        from voc.report.files import check_writable

        check_writable(rejects)
    created = is_new_store(settings.db)
    with open_store(settings.db) as store:
        try:
            result = api.ingest(
                store, paths, kind=kind, channel=channel, mapping=parse_map_options(map_), encoding=encoding,
                sheet=sheet, lexicons=settings.lexicons, rejects=rejects,
            )
        except IngestError as e:
            if json_:
                print_json(e.partial.to_json())
            elif e.partial.files:
                render_summary(e.partial, console)
            raise fail(str(e), ExitCode.USAGE) from None
    if json_:
        print_json(result.to_json())
    elif not quiet:
        if created:
            say_created(settings.db)
        render_summary(result, console if is_tty() else _stdout_console())


def _stdout_console():
    from rich.console import Console

    return Console(highlight=False, no_color=True, width=200)
