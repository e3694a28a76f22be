"""`voc store copy`: move a store between an SQLite file and a PostgreSQL server."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from voc.cli.app import JsonOption, QuietOption, app, handle_errors, print_json

store_app = typer.Typer(
    name="store",
    help="Manage the store itself: copy it between an SQLite file and a PostgreSQL server.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(store_app, name="store")

TargetOption = "An SQLite file, or a PostgreSQL server as postgresql://user@host:port/dbname."


@store_app.command("copy")
@handle_errors
def copy(
    source: Annotated[str, typer.Option("--from", help=f"The store to copy. {TargetOption}", show_default=False,
                                        metavar="FILE|URL")],
    destination: Annotated[str, typer.Option("--to", help=f"The store to copy into (created when new). {TargetOption}",
                                             show_default=False, metavar="FILE|URL")],
    force: Annotated[bool, typer.Option("--force", help="Replace what the destination holds (default: refuse a "
                                                        "destination that holds data).")] = False,
    quiet: QuietOption = False,
    json_: JsonOption = False,
) -> None:
    """Copy every table of one store into another, verified by per-table row counts.

    Moves a team onto the server (`voc store copy --from voc.db --to postgresql://…`) and
    back. The source is read in one consistent snapshot, the destination written in one
    transaction: a copy that fails or comes out short leaves the destination as it was.
    """
    from voc import api
    from voc.settings import resolve_db
    from voc.store import open_store

    target = resolve_db(destination)
    new_file = isinstance(target, Path) and not target.exists()
    try:
        with open_store(resolve_db(source), must_exist=True) as src, open_store(target) as dst:
            result = api.copy_store(src, dst, force=force)
    except BaseException:
        if new_file:  # a file this command made: it goes with the failed copy
            for path in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                path.unlink(missing_ok=True)
        raise
    if json_:
        print_json(result.to_json())
    elif not quiet:
        width = max(len(name) for name in result.tables)
        for name, n in result.tables.items():
            sys.stdout.write(f"{name:<{width}}  {n:>12,}\n")
        sys.stdout.write(f"copied {result.rows:,} rows in {len(result.tables)} tables from {result.source} to "
                         f"{result.destination}; every table's row count matches\n")
