"""A killed `voc ingest` leaves the store exactly as before that file; a re-run then completes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import write_csv


def _default_sigint() -> None:
    """In the child: Ctrl-C acts as in a terminal. A test run started in the background
    (``pytest &`` in a script, nohup) ignores SIGINT, and its children would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def snapshot(db: Path | str) -> tuple:
    if isinstance(db, str):  # a PostgreSQL store
        from voc.store import open_store

        with open_store(db) as s:
            return tuple(s.table_count(t) for t in ("records", "batches", "dropped"))
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT (SELECT COUNT(*) FROM records), (SELECT COUNT(*) FROM batches), (SELECT COUNT(*) FROM dropped)"
        ).fetchone()
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the ingest's helper process")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_ingest_rolls_back_the_file(tmp_path, sig, store_target):
    db = store_target  # an SQLite file, or a PostgreSQL server (the server rolls back what a dead client left)
    small = write_csv(tmp_path / "first.csv", ["内容", "评分"], [["屏幕清晰", "5"], ["发热严重", "2"]])
    rows = [[f"第{i}条评论：用了一周，续航还行，但是风扇声音有点大，希望改进{i % 97}", str(1 + i % 5), f"2026/10/{1 + i % 28} 10:{i % 60:02d}"] for i in range(150_000)]
    big = write_csv(tmp_path / "big.csv", ["评论内容", "评分", "评论时间"], rows)
    cmd = [sys.executable, "-m", "voc", "ingest", "--db", str(db)]
    assert subprocess.run([*cmd, str(small)], capture_output=True).returncode == 0
    before = snapshot(db)

    with subprocess.Popen([*cmd, str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          preexec_fn=_default_sigint) as proc:
        # The file is converted by a helper process while the batch is written: once that
        # process exists (and a moment later), the batch is half-way.
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            if children.exists() and children.read_text().strip():
                time.sleep(0.5)
                break
            time.sleep(0.01)
        if proc.poll() is not None:
            pytest.skip("ingest finished before it could be interrupted (machine too fast for this file)")
        helpers = [int(pid) for pid in children.read_text().split()]
        if proc.poll() is not None:  # it may have finished while the helpers were read
            pytest.skip("ingest finished before it could be interrupted (machine too fast for this file)")
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=30)
        for pid in helpers:  # the helper process does not outlive its parent
            for _ in range(100):
                if not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower():
                    break
                time.sleep(0.05)
            else:
                pytest.fail(f"helper process {pid} still running after its parent was killed")
        assert proc.returncode != 0
        if sig == signal.SIGINT:
            assert b"Traceback" not in err
        assert snapshot(db) == before

    done = subprocess.run([*cmd, str(big), "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert snapshot(db)[0] == before[0] + 150_000


@pytest.mark.slow
def test_ctrl_c_stops_analyze_workers_quietly(tmp_path):
    """Ctrl-C in a terminal reaches the whole process group: the parent says one line and
    exits 130, the workers print nothing, what was written stays and a re-run finishes."""
    db = tmp_path / "voc.db"
    rows = [[f"第{i}条：屏幕不错，但是发热严重，风扇声音有点大{i % 97}", str(1 + i % 5), f"2026/10/{1 + i % 28} 10:{i % 60:02d}"]
            for i in range(60_000)]
    src = write_csv(tmp_path / "r.csv", ["评论内容", "评分", "评论时间"], rows)
    cmd = [sys.executable, "-m", "voc"]
    subprocess.run([*cmd, "ingest", "--db", str(db), str(src), "-q"], check=True)
    with subprocess.Popen([*cmd, "analyze", "--db", str(db), "--no-adapt", "--workers", "2"], preexec_fn=_default_sigint,
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, start_new_session=True) as proc:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            if children.exists() and len(children.read_text().split()) >= 2:
                time.sleep(0.3)  # the workers are analysing
                break
            time.sleep(0.01)
        if proc.poll() is not None:
            pytest.skip("analyze finished before it could be interrupted (machine too fast for this store)")
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode().strip().splitlines() == ["Interrupted: the batch in progress was rolled back."]
    done = subprocess.run([*cmd, "analyze", "--db", str(db), "--no-adapt", "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT COUNT(*) FROM analysis").fetchone()[0] == 60_000
    finally:
        con.close()
