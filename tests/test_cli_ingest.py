"""`voc ingest` as a user runs it: exit codes, --json, one-line errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.conftest import write_csv
from voc.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_json_output_is_one_object_with_the_accounting_identity(tmp_path):
    f = write_csv(tmp_path / "jd.csv", ["内容", "评分", "时间"], [["好用", "5", "2026-11-18 10:00"], ["", "3", ""],
                                                            ["差", "9", ""], ["好用", "5", "2026-11-18 10:00"]])
    r = invoke("ingest", f, "--db", tmp_path / "v.db", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {k: d[k] for k in ("read", "stored", "duplicates", "rejected", "filtered")} == {
        "read": 4, "stored": 1, "duplicates": 1, "rejected": 1, "filtered": 1}
    assert d["files"][0]["file"].endswith("jd.csv")


def test_plain_summary_when_not_a_terminal(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["内容"], [["屏幕好"]])
    r = invoke("ingest", f, "--db", tmp_path / "v.db")
    assert r.exit_code == 0
    assert "read=1 stored=1 duplicates=0 rejected=0 filtered=0" in r.stdout
    assert "\x1b[" not in r.stdout


def test_unknown_file_is_one_line_error_exit_2_and_earlier_files_stay(tmp_path):
    good = write_csv(tmp_path / "a.csv", ["内容"], [["好"]])
    bad = tmp_path / "b.pdf"
    bad.write_bytes(b"%PDF")
    db = tmp_path / "v.db"
    r = invoke("ingest", good, bad, "--db", db, "--json")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("Error:") and "unknown file type" in r.stderr
    assert "Traceback" not in r.output
    assert json.loads(r.stdout)["stored"] == 1
    r2 = invoke("ingest", good, "--db", db, "--json")
    assert json.loads(r2.stdout)["duplicates"] == 1


def test_map_option_and_bad_map(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["说点什么", "星"], [["噪音大", "2"]])
    db = tmp_path / "v.db"
    assert invoke("ingest", f, "--db", db).exit_code == 2  # no text column found
    r = invoke("ingest", f, "--db", db, "--map", "text=说点什么", "--map", "rating=星", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["stored"] == 1
    r = invoke("ingest", f, "--db", db, "--map", "body=说点什么")
    assert r.exit_code == 2 and "unknown field 'body'" in r.stderr


def test_rejects_option_writes_csv(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["内容", "日期"], [["好", "昨天下午"]])
    out = tmp_path / "rej.csv"
    r = invoke("ingest", f, "--db", tmp_path / "v.db", "--rejects", out)
    assert r.exit_code == 0
    assert "is not a date" in out.read_text(encoding="utf-8-sig")


def test_a_rejects_file_that_cannot_be_written_fails_before_anything_is_stored(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["内容", "日期"], [["好", "昨天下午"], ["屏幕不错", "2026-11-10"]])
    db = tmp_path / "v.db"
    r = invoke("ingest", f, "--db", db, "--rejects", f / "rej.csv")  # under a file
    assert r.exit_code == 2 and "internal error" not in r.output
    assert r.output.strip().startswith("Error:") and len(r.output.strip().splitlines()) == 1
    assert not db.exists()  # nothing stored, no empty store made


def test_every_command_has_help():
    r = invoke("--help")
    assert r.exit_code == 0
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert "ingest" in commands and "analyze" in commands
    for name in commands:
        h = invoke(name, "--help")
        assert h.exit_code == 0 and len(h.stdout) > 100, name


def test_the_voc_command_gives_usage_errors_in_one_line(tmp_path):
    import subprocess
    import sys

    def voc(*args):
        return subprocess.run([sys.executable, "-m", "voc", *args], capture_output=True, text=True, cwd=tmp_path)

    for args, message in [(["analyze", "--workers", "0"], "Invalid value for '--workers'"),
                          (["nosuch"], "No such command 'nosuch'"),
                          (["evaluate", "sentiment"], "Missing argument")]:
        r = voc(*args)
        assert r.returncode == 2, (args, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], r.stderr
        assert "--help" in lines[0] and r.stdout == ""
    r = voc("--help")
    assert r.returncode == 0 and "analyze" in r.stdout
    r = voc("analyze", "--db", str(tmp_path / "none.db"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "no store" in r.stderr


def test_binary_data_under_a_text_name_is_a_one_line_error(tmp_path):
    """A binary file named .csv had read as a header with no rows: 0 stored, exit 0."""
    good = write_csv(tmp_path / "a.csv", ["内容"], [["好"]])
    blob = tmp_path / "export.csv"
    blob.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    r = invoke("ingest", good, blob, "--db", tmp_path / "v.db")
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines()[-1] == (
        f"Error: {blob}: binary data, not a text export (CSV, TSV, JSON or a chat transcript)")
    assert "stored=1" in r.stderr  # the good file before it is kept (its summary beside the error)
    utf16 = tmp_path / "utf16.csv"  # text with NUL bytes is still text
    utf16.write_bytes("内容\n屏幕很好\n".encode("utf-16-le"))
    assert invoke("ingest", utf16, "--db", tmp_path / "v.db").exit_code == 0


def test_a_folder_without_data_files_is_a_warning(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "notes.docx").write_bytes(b"x")
    r = invoke("ingest", tmp_path / "inbox", "--db", tmp_path / "v.db")
    assert r.exit_code == 0
    assert f"warning: {tmp_path / 'inbox'}: no data file in this folder" in r.stderr
    d = json.loads(invoke("ingest", tmp_path / "inbox", "--db", tmp_path / "v.db", "--json").stdout)
    assert d["read"] == 0 and "no data file" in d["warnings"][0]


def test_a_file_with_no_rows_is_a_warning(tmp_path):
    f = tmp_path / "header_only.csv"
    f.write_text("内容,评分\n", encoding="utf-8")
    r = invoke("ingest", f, "--db", tmp_path / "v.db")
    assert r.exit_code == 0 and "read=0" in r.stdout
    assert f"warning: {f}: no rows in this file (only a header line?)" in r.stderr


def test_a_new_store_is_announced_once_so_a_misspelt_db_is_seen(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["内容"], [["屏幕好"]])
    db = tmp_path / "new" / "folder" / "v.db"
    first = invoke("ingest", f, "--db", db)
    assert first.exit_code == 0 and f"created a new store at {db}" in first.stderr
    again = invoke("ingest", f, "--db", db)
    assert again.exit_code == 0 and "created a new store" not in again.stderr
    # cron's -q and a script's --json stay as they were
    for flag in ("-q", "--json"):
        other = invoke("ingest", f, "--db", tmp_path / flag.strip("-") / "v.db", flag)
        assert other.exit_code == 0 and "created a new store" not in other.stderr


def test_the_summary_counts_the_follow_up_reviews_written(tmp_path):
    """A row with a follow-up review (追评) is one row stored and two records written: the
    summary says both, so the store's record count is explained."""
    f = write_csv(tmp_path / "jd.csv", ["内容", "评分", "追评"], [["好用", "5", "用了一个月还是很好"], ["发热", "2", ""]])
    r = invoke("ingest", f, "--db", tmp_path / "v.db")
    assert "read=2 stored=2 duplicates=0 rejected=0 filtered=0 records=3" in r.stdout
    d = json.loads(invoke("ingest", f, "--db", tmp_path / "w.db", "--json").stdout)
    assert (d["stored"], d["records"]) == (2, 3)
