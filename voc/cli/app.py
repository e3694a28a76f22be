"""The Typer app, shared options and the one place errors become exit codes.

Command modules (``voc/cli/<command>.py``) import ``app`` from here and keep their
bodies thin: parse options, call one library function, render.
"""

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from voc import entry
from voc.errors import ExitCode

CONTEXT = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="voc",
    help="Voice-of-Customer analytics for Chinese customer feedback: ingest, analyze, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: `voc --help` stays fast (no rich import)
    context_settings=CONTEXT,
)


def _plain_arguments() -> None:
    """Show arguments by their metavar (``PATH...``), as options are, not as ``{paths}...``
    with a Python type (``<list[Path]>``): what the help of the typer version in use does
    by default. Left alone where typer has no such hooks."""
    from typer.core import TyperArgument

    if "usage" in getattr(getattr(TyperArgument.make_metavar, "__code__", None), "co_varnames", ()):
        make_metavar = TyperArgument.make_metavar

        def metavar(self, ctx, *, usage: bool = False) -> str:
            if usage and self.metavar:
                return self.metavar if self.required else f"[{self.metavar}]"
            return make_metavar(self, ctx, usage=usage)

        TyperArgument.make_metavar = metavar  # type: ignore[method-assign]


_plain_arguments()

DbOption = Annotated[
    str | None,  # not a Path: a postgresql:// URL would lose its '//'
    typer.Option("--db", help="Store: an SQLite file, or a PostgreSQL server as postgresql://user@host:port/dbname "
                 "(default: $VOC_DB, else ./voc.db).", show_default=False, metavar="FILE|URL"),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print exactly one JSON object on stdout, nothing else.")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing on success (errors and alerts only; for cron).")
]
LexiconOption = Annotated[
    Path | None,
    typer.Option(
        "--lexicons",
        help="Lexicon folder (default: $VOC_LEXICON_DIR, ./lexicons, then the packaged ones).",
        show_default=False, metavar="DIR"
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def _version(value: bool) -> None:
    if value:
        from voc import __version__

        typer.echo(f"voc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Voice-of-Customer analytics for Chinese customer feedback: ingest, analyze, report.

    Typical use: `voc ingest exports/`, `voc analyze`, `voc report --xlsx weekly.xlsx`,
    or all three for cron with `voc run exports/ --xlsx reports/voc-{week}.xlsx`.
    """


# the helpers every command shares, written without typer for the entry point's own
# reading of `voc analyze` (voc.entry); exported from here as ever
is_tty, stderr_console, print_json, scrub_secrets = entry.is_tty, entry.stderr_console, entry.print_json, entry.scrub_secrets
note = entry.note
_lost_server = entry.lost_server


def fail(message: str, code: int = ExitCode.USAGE) -> typer.Exit:
    """Print a one-line error on stderr and return the Exit to raise (never with a
    password a store URL carried)."""
    entry.say_error(message)
    return typer.Exit(code=int(code))


def handle_errors(func: F) -> F:
    """VocError -> one line + its exit code; anything else -> one line + exit 1
    (:func:`voc.entry.report_error`).

    Set VOC_DEBUG=1 to see the traceback instead.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - the one place unexpected errors are reported
            code = entry.report_error(e, bool(kwargs.get("json_")))
            if code is None:  # VOC_DEBUG: the traceback
                raise
            raise typer.Exit(code=code) from None

    return wrapper  # type: ignore[return-value]
