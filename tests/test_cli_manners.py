"""Unix and cron manners of every command: --version, -h, readable help, -q silent on
success, a closed pipe is a quiet exit 0, an output path that cannot be written is one
line and exit 2."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from report_synth import demo_store
from typer.testing import CliRunner

from voc import __version__
from voc.cli import app

REPO = Path(__file__).resolve().parents[1]
LEX = str(REPO / "lexicons")
COMMANDS = [["ingest"], ["analyze"], ["emerging"], ["report"], ["run"], ["findings", "list"], ["findings", "close"],
            ["train", "sentiment"], ["evaluate", "topics"]]
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_version_and_short_help():
    res = invoke("--version")
    assert res.exit_code == 0 and res.stdout.strip() == f"voc {__version__}"
    assert invoke("-h").stdout == invoke("--help").stdout
    assert invoke("findings", "-h").exit_code == 0


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_shows_readable_types_and_choices(command):
    res = invoke(*command, "-h")
    assert res.exit_code == 0, res.output
    text = res.stdout
    assert not re.search(r"<[A-Za-z_\[\]]+>", text) and "list[" not in text  # no <str>, <list[Path]>
    assert "{" not in text.split("Usage:")[1].splitlines()[0]  # usage says PATH..., not {paths}...
    assert text == invoke(*command, "--help").stdout


def test_help_lists_the_choices():
    assert "PATH..." in invoke("ingest", "-h").stdout
    assert "[reviews|tickets|auto]" in invoke("ingest", "-h").stdout
    report = invoke("report", "-h").stdout
    assert "[zh|en]" in report and "[p0|p1|p2|p3]" in report and "-q" in report


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("manners") / "voc.db"
    demo_store(path).close()
    return path


def test_quiet_prints_nothing_on_success(tmp_path):
    export = tmp_path / "jd.csv"
    export.write_text("评价内容,评分,评价时间\n屏幕很好,5,2026-11-18 10:00\n电池鼓包了,1,2026-11-18 11:00\n", encoding="utf-8")
    db = str(tmp_path / "v.db")
    for args in (["ingest", str(export)], ["analyze"], ["emerging", "--week", "2026-W47"],
                 ["report", "--week", "2026-W47", "--xlsx", str(tmp_path / "r.xlsx"), "--markdown", str(tmp_path / "r.md")],
                 ["run", str(export), "--week", "2026-W47", "--xlsx", str(tmp_path / "r2.xlsx")]):
        res = invoke(*args, "--db", db, "--lexicons", LEX, "-q")
        assert res.exit_code == 0, (args, res.output)
        assert res.stdout == "" and res.stderr == "", args
    assert (tmp_path / "r.xlsx").is_file() and (tmp_path / "r2.xlsx").is_file()
    # an alert is not success: it is said, on stderr, with exit 3
    res = invoke("report", "--db", db, "--lexicons", LEX, "--week", "2026-W47", "--fail-on", "p0", "-q")
    assert res.exit_code == 3 and res.stdout == "" and res.stderr.startswith("Alert: 1 open finding(s) at P0")


def test_a_closed_pipe_is_a_quiet_exit_0(db):
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    cmd = (f"set -o pipefail; {sys.executable} -m voc report --db {db} --lexicons {LEX} --week 2026-W47 "
           "--no-emerging | head -2")
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2 and done.stderr == ""


def test_a_closed_pipe_keeps_the_alerts_exit_code(db, tmp_path):
    # cron wrappers that merge stderr into a pipe (`2>&1 | head`) must still hear of an open
    # finding: the reader gone away loses the lines, not the exit code 3
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    store = tmp_path / "alert.db"
    store.write_bytes(Path(db).read_bytes())
    cmd = (f"{sys.executable} -m voc report --db {store} --lexicons {LEX} --week 2026-W47 --no-emerging "
           f"--fail-on p1 --markdown {tmp_path / 'r.md'} 2>&1 | head -1; exit ${{PIPESTATUS[0]}}")
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert len(done.stdout.splitlines()) == 1 and (tmp_path / "r.md").is_file()


@pytest.mark.parametrize("option,path,message", [
    ("--xlsx", "taken.xlsx", "is a folder"),
    ("--markdown", "taken.xlsx", "is a folder"),
    ("--xlsx", "file.txt/r.xlsx", "cannot create folder"),
    ("--markdown", "file.txt/r.md", "cannot create folder"),
])
def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(db, tmp_path, option, path, message):
    (tmp_path / "taken.xlsx").mkdir()
    (tmp_path / "file.txt").write_text("x")
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--no-emerging",
                 option, str(tmp_path / path))
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("Error: ") and message in res.stderr
    assert "Traceback" not in res.output and "Exception ignored" not in res.output


@pytest.mark.parametrize("width", [80, 100])
def test_emerging_console_fits_80_and_100_columns(db, width):
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from voc import api
    from voc.cli.emerging import render_rich
    from voc.lexicon import Lexicons
    from voc.store import open_store

    with open_store(db) as store:
        result = api.emerging(store, api.period(store, "2026-W47", None, None), lexicons=Lexicons(Path(LEX)))
    buf = io.StringIO()
    render_rich(result, Console(file=buf, width=width, highlight=False, color_system=None), 15)
    lines = buf.getvalue().splitlines()
    assert max(cell_len(x) for x in lines) <= width
    assert result.alarms
    for a in result.alarms:
        assert any(x.strip().startswith(f"{a.id} · ") for x in lines), a.id  # the id whole, under its label
    for c in result.clusters[:15]:
        assert any(f" {c.id} " in x for x in lines), c.id


def test_outputs_are_checked_before_any_is_written_and_links_written_through(db, tmp_path):
    (tmp_path / "adir").mkdir()
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--no-emerging",
                 "--xlsx", str(tmp_path / "b.xlsx"), "--markdown", str(tmp_path / "adir"))
    assert res.exit_code == 2 and not (tmp_path / "b.xlsx").exists()  # nothing written when one path is bad
    target = tmp_path / "shared" / "weekly.md"
    target.parent.mkdir()
    target.write_text("old")
    (tmp_path / "link.md").symlink_to(target)
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--no-emerging",
                 "--markdown", str(tmp_path / "link.md"), "-q")
    assert res.exit_code == 0
    assert (tmp_path / "link.md").is_symlink() and target.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_device_or_pipe_is_refused_not_replaced(db, tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--no-emerging",
                 "--markdown", str(fifo))
    assert res.exit_code == 2 and "not a regular file" in res.stderr
    assert fifo.is_fifo()


def test_the_star_legend_says_the_mapping_used(db):
    res = invoke("report", "--db", str(db), "--lexicons", LEX, "--week", "2026-W47", "--no-emerging",
                 "--stars", "5/4/1-2")
    assert "5=推荐 4=中立 1-2=贬损 不计：3" in res.stdout
