"""Command-line interface. Each command lives in its own module and registers on ``app``.

The command modules do not use ``from __future__ import annotations``: typer reads every
command's parameters from its annotations when the command line is parsed, and string
annotations are compiled and evaluated then, for all the commands of every `voc` run
(about 15 ms; evaluated when the module is imported, with its bytecode, they cost next
to nothing).
"""

# ruff: noqa: I001, F401  (imported for their side effect, in the order `voc --help` lists them)
from voc.cli.app import app
from voc.cli import ingest as _ingest
from voc.cli import analyze as _analyze
from voc.cli import emerging as _emerging
from voc.cli import report as _report
from voc.cli import run as _run
from voc.cli import findings as _findings
from voc.cli import evaluate as _evaluate  # registers `voc train` and `voc evaluate`
from voc.cli import store as _store


def main() -> None:
    """The ``voc`` command. Usage errors are one line like every other input error
    (click's own handling prints a three-line block)."""
    import sys

    import typer

    # click's exception classes, found through a public typer one (typer may vendor click)
    bases = {c.__name__: c for c in typer.BadParameter.__mro__}
    try:
        code = app(standalone_mode=False)
    except bases["UsageError"] as e:
        if type(e).__name__ == "NoArgsIsHelpError":  # `voc` alone: the help
            e.show()
        else:
            where = e.ctx.command_path if e.ctx is not None else "voc"
            message = f"{e.format_message()} (see `{where} --help`)"
            if "--json" in sys.argv[1:]:  # one JSON object on stdout, even for a usage error
                from voc.cli.app import print_json

                print_json({"error": " ".join(message.split()), "exit_code": e.exit_code})
            print(f"Error: {message}", file=sys.stderr)
        sys.exit(e.exit_code)
    except bases["ClickException"] as e:
        e.show()
        sys.exit(e.exit_code)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]
