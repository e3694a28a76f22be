"""The ``voc`` command's entry point, and what the command line shares without its framework.

`voc analyze` run by cron or a script (``voc analyze --db shop.db -q``) spends a large
share of a short run starting up, and the command-line framework is most of the
start-up that is not the analysis: importing typer and click and turning every
command's signature into options takes about 40 ms. :func:`main` reads such a command
line itself when it is plainly one of the forms :func:`quick_analyze_args` accepts (the
options of `voc analyze` given once each or repeated, each spelled out in full, with
plain values) and runs the same code the typer command runs, with the same error
boundary (:func:`report_error`); any other command line, ``--help`` or an option it
does not know included, goes to typer (:mod:`voc.cli`) exactly as before, which then
reports what is wrong with it.

The helpers here (:func:`is_tty`, :func:`print_json`, :func:`scrub_secrets`, ...) are
the ones :mod:`voc.cli.app` exports: the module imports nothing of typer's.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

# -- shared by every command (re-exported by voc.cli.app) --------------------------------


def is_tty() -> bool:
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


def stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, no_color=not is_tty())


def print_json(obj: Any) -> None:
    """The --json contract: one object on stdout."""
    import json

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


#: A password in a store URL (``postgresql://user:secret@``) or a libpq parameter (``password=``).
_URL_PASSWORD = re.compile(r"(\bpostgres(?:ql)?://[^:/@\s]*):[^@\s]*@", re.I)
_PARAM_PASSWORD = re.compile(r"\b((?:ssl)?password)\s*=\s*('[^']*'|[^\s&]+)", re.I)


def scrub_secrets(text: str) -> str:
    """A message without the passwords a store URL may carry."""
    return _PARAM_PASSWORD.sub(r"\1=***", _URL_PASSWORD.sub(r"\1@", text))


def say_error(message: str) -> None:
    """Print a one-line error on stderr (never with a password a store URL carried)."""
    first = scrub_secrets(" ".join(str(message).split()))
    sys.stderr.write(f"Error: {first}\n")
    sys.stderr.flush()


def note(line: str) -> None:
    """A line on stderr that a reader gone away (`voc report 2>&1 | head`) cannot turn into an
    error: what comes after it, the alert's exit code above all, still happens."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stderr.fileno())


def lost_server(e: BaseException) -> bool:
    """A PostgreSQL store's connection failed (server down, network gone), by the driver's
    OperationalError, told apart without importing the driver."""
    return any(c.__name__ == "OperationalError" and c.__module__.startswith("psycopg") for c in type(e).__mro__)


def report_error(e: BaseException, json_: bool = False) -> int | None:
    """The error boundary of every command: a VocError is one line and its exit code,
    anything else one line and exit 1 (``VOC_DEBUG=1``: None, and the caller raises it
    again for its traceback). Returns the exit code."""
    from voc.errors import ExitCode, VocError

    if isinstance(e, VocError):
        if os.environ.get("VOC_DEBUG"):
            return None
        if json_:  # --json: still one object on stdout, for the script reading it
            print_json({"error": scrub_secrets(" ".join(str(e).split())), "exit_code": int(e.exit_code)})
        say_error(str(e))
        return int(e.exit_code)
    if isinstance(e, KeyboardInterrupt):
        sys.stderr.write("Interrupted: the batch in progress was rolled back.\n")
        return 130
    if isinstance(e, BrokenPipeError):  # `voc report | head`: the reader has gone, stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    if os.environ.get("VOC_DEBUG"):
        return None
    if lost_server(e):  # the store's server went away mid-command: its transaction rolled back
        say_error(f"the store's server: {e}")
        return int(ExitCode.USAGE)
    say_error(f"internal error: {type(e).__name__}: {e} (set VOC_DEBUG=1 for the traceback)")
    return int(ExitCode.INTERNAL)


# -- `voc analyze` ------------------------------------------------------------------------


def analyze_command(workers: int | None = None, reanalyze: bool = False, model: Path | None = None,
                    topic_model: Path | None = None, adapt: bool = True, quiet: bool = False,
                    db: str | None = None, lexicons: Path | None = None, json_: bool = False) -> None:
    """The body of `voc analyze` (:mod:`voc.cli.analyze` declares its options)."""
    from voc import api
    from voc.settings import Settings
    from voc.store import open_store

    settings = Settings.resolve(db, lexicons)
    with open_store(settings.db, must_exist=True) as store:
        if is_tty() and not json_ and not quiet:  # rich only for the bar (its import is 20-25 ms of a short run)
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            with Progress("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=stderr_console(),
                          transient=True) as bar:
                task = bar.add_task("analyze", total=None)
                result = api.analyze(
                    store, lexicons=settings.lexicons, workers=workers, reanalyze=reanalyze, model=model,
                    topic_model=topic_model,
                    progress=lambda done, total: bar.update(task, completed=done, total=total, description="analyze"),
                    adapt=adapt,
                    # the first analysis of a rated store trains a model: say so (--no-adapt skips it)
                    adapting=lambda n: bar.update(task, description=f"adapting sentiment to {n:,} rated reviews"),
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


#: The flags of `voc analyze` this reader takes: option -> (parameter, value).
_FLAGS = {
    "--reanalyze": ("reanalyze", True), "--no-reanalyze": ("reanalyze", False),
    "--adapt": ("adapt", True), "--no-adapt": ("adapt", False),
    "-q": ("quiet", True), "--quiet": ("quiet", True),
    "--json": ("json_", True),
}
#: Its options with a value: option -> parameter. (--model and --topic-model are left to
#: typer, which checks that their files exist.)
_VALUED = {"--db": "db", "--lexicons": "lexicons", "--workers": "workers"}
#: A worker count as typer reads it, in its plain spelling (typer's other spellings and
#: its range error are left to it).
_COUNT = re.compile(r"[1-9][0-9]{0,3}")


def quick_analyze_args(args: list[str]) -> dict[str, Any] | None:
    """The parameters of :func:`analyze_command` for the arguments after ``analyze``,
    exactly as typer reads them, or None for any command line this reader leaves to
    typer (an option it does not know, ``--help``, a value that is missing, empty, looks
    like an option or is not a plain count of workers: typer then explains)."""
    params: dict[str, Any] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        flag = _FLAGS.get(arg)
        if flag is not None:
            params[flag[0]] = flag[1]
            i += 1
            continue
        name, eq, value = arg.partition("=")
        if name not in _VALUED:
            return None
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
            i += 1
        i += 1
        if not value or value.startswith("-"):
            return None
        param = _VALUED[name]
        if param == "workers":
            if not _COUNT.fullmatch(value):
                return None
            params[param] = int(value)
        else:
            params[param] = Path(value) if param == "lexicons" else value
    return params


def _quick(argv: list[str]) -> int | None:
    """Run `voc analyze` without typer when :func:`quick_analyze_args` reads its command
    line; the exit code, or None (typer's to run)."""
    if not argv or argv[0] != "analyze" or "_VOC_COMPLETE" in os.environ:
        return None
    params = quick_analyze_args(argv[1:])
    if params is None:
        return None
    from voc.analysis import run

    run.RETAIN = []  # this process ends right after (_leave): the analyzer is not freed first
    try:
        analyze_command(**params)
    except (Exception, KeyboardInterrupt) as e:
        code = report_error(e, params.get("json_", False))
        if code is None:
            raise
        return code
    return 0


def _leave(code: int) -> None:
    """Exit with ``code`` once `voc analyze` has run here, without the interpreter's
    teardown when nothing is left for it to do: the exit handlers run (multiprocessing's
    among them), the output streams are flushed, and the process ends without freeing,
    one by one, the hundreds of thousands of objects the analyzer was made of (the
    teardown's last collection finds them and frees them: about 15 ms of a short run,
    which the operating system does at once). Another thread still running: the usual
    exit, which waits for it (threads come from the threading module: none without it)."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    import atexit

    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                if stream is sys.stdout and code == 0:
                    code = 120  # as the interpreter's exit does when it cannot flush stdout
        os._exit(code)


def main() -> None:
    """The ``voc`` command."""
    code = _quick(sys.argv[1:])
    if code is not None:
        _leave(code)
    from voc.cli import main as cli_main

    cli_main()
