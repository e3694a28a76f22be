"""The entry point's own reading of `voc analyze` (voc.entry) is typer's: the same
parameters for every command line it takes, typer for every other, the same output and
exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voc import entry
from voc.cli import app

DEFAULTS = {"workers": None, "reanalyze": False, "model": None, "topic_model": None, "adapt": True,
            "quiet": False, "db": None, "lexicons": None, "json_": False}
NAMES = list(DEFAULTS)

TAKEN = [
    [],
    ["--db", "shop.db"],
    ["--db=shop.db", "-q", "--no-adapt"],
    ["-q", "--quiet", "--json", "--reanalyze", "--adapt"],
    ["--workers", "3", "--db", "a.db", "--db", "b.db"],  # the last one given wins
    ["--workers=12", "--no-reanalyze", "--reanalyze", "--no-adapt", "--adapt", "--no-adapt"],
    ["--lexicons", "lex", "--db", "postgresql://ann@db.example:5433/voc?sslmode=require"],
    ["--lexicons=some dir/lex", "--db", "有 空格.db", "--workers", "1"],
]
LEFT_TO_TYPER = [
    ["--help"], ["-h"], ["--bogus"], ["-qq"], ["--db"], ["--db", "--json"], ["--db="], ["--workers", "0"],
    ["--workers", "+2"], ["--workers", " 2"], ["--workers", "two"], ["--workers", "99999"], ["--model", "m.npz"],
    ["--topic-model=t.npz"], ["--", "--db", "x"], ["extra"], ["--quiet=1"], ["--no-json"], ["--da", "x.db"],
]


def typer_params(args: list[str], monkeypatch) -> tuple[int, dict | None]:
    """What typer passes the body of `voc analyze` for these arguments (None: it does not
    run it), and its exit code."""
    seen: list[tuple] = []
    monkeypatch.setattr("voc.cli.analyze.analyze_command", lambda *a: seen.append(a))
    result = CliRunner().invoke(app, ["analyze", *args])
    return result.exit_code, (dict(zip(NAMES, seen[0], strict=True)) if seen else None)


@pytest.mark.parametrize("args", TAKEN, ids=" ".join)
def test_a_command_line_it_reads_gets_the_parameters_typer_gives(args, monkeypatch):
    code, expected = typer_params(args, monkeypatch)
    assert code == 0 and expected is not None
    assert {**DEFAULTS, **entry.quick_analyze_args(args)} == expected


@pytest.mark.parametrize("args", LEFT_TO_TYPER, ids=" ".join)
def test_any_other_command_line_is_left_to_typer(args):
    assert entry.quick_analyze_args(args) is None


def test_only_analyze_is_read_and_completion_goes_to_typer(monkeypatch):
    from voc.analysis import run

    calls = []
    monkeypatch.setattr(entry, "analyze_command", lambda **p: calls.append(p))
    monkeypatch.setattr(run, "RETAIN", None)  # (the quick path sets it: restored after the test)
    assert entry._quick(["ingest", "x.csv"]) is None and entry._quick([]) is None
    assert entry._quick(["analyze", "-q"]) == 0 and calls == [{"quiet": True}]
    assert run.RETAIN == []  # the analyzer is kept for the quick exit
    monkeypatch.setenv("_VOC_COMPLETE", "bash_source")
    assert entry._quick(["analyze", "-q"]) is None


def _voc(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from voc.entry import main; main()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=env)


def test_the_entry_point_answers_as_typer_does(tmp_path, monkeypatch):
    # errors: the same lines and exit codes (the --json object too), with and without typer
    missing = str(tmp_path / "nope.db")
    for args in (["--db", missing], ["--db", missing, "--json"], ["--db", missing, "-q"]):
        quick = _voc("analyze", *args, cwd=tmp_path)
        assert "typer" not in quick.stderr
        via_typer = CliRunner().invoke(app, ["analyze", *args])
        assert quick.returncode == via_typer.exit_code == 2
        assert quick.stdout == via_typer.stdout and quick.stderr == via_typer.stderr
    # a command line it leaves to typer is typer's (its usage error)
    usage = _voc("analyze", "--workers", "0", "--db", missing, cwd=tmp_path)
    assert usage.returncode == 2 and "--workers" in usage.stderr and "range" in usage.stderr


def test_report_error_is_the_error_boundary(monkeypatch, capsys):
    from voc.errors import StoreError

    assert entry.report_error(StoreError("bad postgresql://ann:secret@h/db"), json_=True) == 2
    out = capsys.readouterr()
    assert "secret" not in out.out + out.err and out.err.startswith("Error: bad")
    assert entry.report_error(RuntimeError("boom")) == 1
    assert "internal error: RuntimeError: boom" in capsys.readouterr().err
    assert entry.report_error(KeyboardInterrupt()) == 130
    monkeypatch.setenv("VOC_DEBUG", "1")
    assert entry.report_error(RuntimeError("boom")) is None


def test_the_quick_exit_runs_the_exit_handlers_and_flushes_the_output(tmp_path):
    # `voc analyze` read here ends without the interpreter's teardown: what it printed and
    # the exit handlers (multiprocessing's among them) still come out, with the exit code
    code = ("import atexit, sys; atexit.register(lambda: print('handler ran', flush=True)); "
            "from voc.entry import main; main()")
    store = str(tmp_path / "s.db")
    from voc.store import open_store

    open_store(store).close()
    done = subprocess.run([sys.executable, "-c", code, "analyze", "--db", store, "--json", "--no-adapt"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"analyzed": 0' in done.stdout and done.stdout.rstrip().endswith("handler ran")
    missing = subprocess.run([sys.executable, "-c", code, "analyze", "--db", str(tmp_path / "no.db")],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert missing.returncode == 2 and "no store" in missing.stderr and "handler ran" in missing.stdout
