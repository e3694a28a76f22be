"""A non-editable install carries the lexicons and the migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_contains_lexicons_and_migrations(tmp_path):
    pytest.importorskip("setuptools")
    pytest.importorskip("Cython")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # no configuration setuptools has deprecated (a license as a TOML table stops building in
    # February 2027) and no importable folder left out of the packages
    said = proc.stdout + proc.stderr
    assert "BuildBackendWarning" not in said and "DeprecationWarning" not in said, said[-3000:]
    (wheel,) = tmp_path.glob("voc-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "voc/lexicons/topics.tsv" in names
    assert "voc/lexicons/userdict.txt" in names
    assert "voc/store/migrations/0001_core.sql" in names
    assert "voc/store/migrations/0006_store_contract.sql" in names
    assert "voc/store/pg_migrations/0001_core.sql" in names  # the PostgreSQL store's
    assert "voc/store/pg_migrations/0007_models.sql" in names
    assert "voc/cli/ingest.py" in names
    assert "voc/lexicons/sentiment/positive.txt" in names
    # the default sentiment model ships built: a first `voc analyze` trains nothing
    assert any(n.startswith("voc/analysis/data/sentiment-default-") and n.endswith(".npz") for n in names)
    # the compiled kernels (a C compiler is on every machine this is tested on)
    assert any(n.startswith("voc/analysis/_aspects_fast.") and n.endswith(".so") for n in names)
    assert any(n.startswith("voc/analysis/_sentiment_fast.") and n.endswith(".so") for n in names)
    assert any(n.startswith("voc/analysis/_segment_fast.") and n.endswith(".so") for n in names)
    assert any(n.startswith("voc/analysis/_gate_fast.") and n.endswith(".so") for n in names)
