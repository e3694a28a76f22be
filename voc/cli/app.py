"""The Typer app, shared options and the one place errors become exit codes.

Command modules (``voc/cli/<command>.py``) import ``app`` from here and keep their
bodies thin: parse options, call one library function, render.
"""

import functools
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from voc.errors import ExitCode, VocError

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


def is_tty() -> bool:
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


def stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, no_color=not is_tty())


def print_json(obj: Any) -> None:
    """The --json contract: one object on stdout."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


#: A password in a store URL (``postgresql://user:secret@``) or a libpq parameter (``password=``).
_URL_PASSWORD = re.compile(r"(\bpostgres(?:ql)?://[^:/@\s]*):[^@\s]*@", re.I)
_PARAM_PASSWORD = re.compile(r"\b((?:ssl)?password)\s*=\s*('[^']*'|[^\s&]+)", re.I)


def scrub_secrets(text: str) -> str:
    """A message without the passwords a store URL may carry."""
    return _PARAM_PASSWORD.sub(r"\1=***", _URL_PASSWORD.sub(r"\1@", text))


def fail(message: str, code: int = ExitCode.USAGE) -> typer.Exit:
    """Print a one-line error on stderr and return the Exit to raise (never with a
    password a store URL carried)."""
    first = scrub_secrets(" ".join(str(message).split()))
    sys.stderr.write(f"Error: {first}\n")
    sys.stderr.flush()
    return typer.Exit(code=int(code))


def _lost_server(e: BaseException) -> bool:
    """A PostgreSQL store's connection failed (server down, network gone), by the driver's
    OperationalError, told apart without importing the driver."""
    return any(c.__name__ == "OperationalError" and c.__module__.startswith("psycopg") for c in type(e).__mro__)


def handle_errors(func: F) -> F:
    """VocError -> one line + its exit code; anything else -> one line + exit 1.

    Set VOC_DEBUG=1 to see the traceback instead.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except VocError as e:
            if os.environ.get("VOC_DEBUG"):
                raise
            if kwargs.get("json_"):  # --json: still one object on stdout, for the script reading it
                print_json({"error": scrub_secrets(" ".join(str(e).split())), "exit_code": int(e.exit_code)})
            raise fail(str(e), e.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted: the batch in progress was rolled back.\n")
            raise typer.Exit(code=130) from None
        except BrokenPipeError:  # `voc report | head`: the reader has gone, stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(code=0) from None
        except Exception as e:  # noqa: BLE001 - the one place unexpected errors are reported
            if os.environ.get("VOC_DEBUG"):
                raise
            if _lost_server(e):  # the store's server went away mid-command: its transaction rolled back
                raise fail(f"the store's server: {e}", ExitCode.USAGE) from None
            raise fail(
                f"internal error: {type(e).__name__}: {e} (set VOC_DEBUG=1 for the traceback)",
                ExitCode.INTERNAL,
            ) from None

    return wrapper  # type: ignore[return-value]
