"""Shared fixtures. Fixtures are written by the tests themselves; real data is read from ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not found at {SHARED_DATA} (clone with ../shared beside the repo)")
    return SHARED_DATA


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "voc.db"


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_jsonl(path: Path, objs: list) -> Path:
    path.write_text("\n".join(o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs) + "\n", encoding="utf-8")
    return path
