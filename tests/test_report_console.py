"""Console summary (plain, 100 columns) and the Markdown report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from report_synth import demo_store
from rich.cells import cell_len

from voc.lexicon import Lexicons
from voc.period import iso_week
from voc.report.build import ReportOptions, build_report
from voc.report.console import make_console, render
from voc.report.markdown import cell, render_markdown

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    store = demo_store(tmp_path_factory.mktemp("console") / "demo.db")
    yield build_report(
        store,
        iso_week("2026-W47"),
        lexicons=Lexicons(REPO / "lexicons"),
        options=ReportOptions(n_boot=300),
    )
    store.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_console_fits_100_columns_without_colour(report, lang):
    buf = io.StringIO()
    render(report, make_console(buf, width=100), lang)
    text = buf.getvalue()
    assert "\x1b[" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= 100
    assert "2026-W47" in text
    p0 = report.p0[0]
    assert p0.id in text


def test_console_has_kpis_defects_emerging_owners_and_quotes(report):
    buf = io.StringIO()
    render(report, make_console(buf), "zh")
    text = buf.getvalue()
    for heading in (
        "核心指标",
        "主要缺陷",
        "新兴问题",
        "问题清单",
        "责任分派",
        "客户原话",
        "近4周问题跟进",
    ):
        assert heading in text, heading
    assert "星级代理 NPS" in text and "情感代理 NPS" in text and "代理指标" in text
    assert "电源·电源负责人" in text and "power@example.com" in text
    assert "鼓包" in text


def test_console_on_a_pipe_defaults_to_plain_100_columns():
    console = make_console(io.StringIO())
    assert console.width == 100 and console.color_system is None


def test_markdown_report_has_tables_and_escapes_cells(report):
    md = render_markdown(report, "en")
    assert md.startswith("# Voice of Customer report 2026-W47")
    for heading in (
        "## Headline KPIs",
        "## Top defects",
        "## Emerging issues",
        "## Findings",
        "## Owner table",
    ):
        assert heading in md
    assert "| P0 |" in md
    assert cell("a|b <PHONE>\nc") == "a\\|b &lt;PHONE&gt; c"
    zh = render_markdown(report, "zh")
    assert "样本数" in zh and "电源" in zh


def test_a_quiet_small_period_renders_everywhere(tmp_path):
    from report_synth import StoreBuilder

    from voc.report.excel import write_workbook
    from voc.store import open_store

    b = StoreBuilder(open_store(tmp_path / "quiet.db"))
    for i in range(12):
        b.add(f"2026-11-18 10:00:{i:02d}", text="挺好的", sentiment="positive")
    store = b.commit()
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(REPO / "lexicons"),
                          options=ReportOptions(n_boot=100, emerging=False))  # fmt: skip
    assert report.volume.total == 12 and not report.findings
    assert all(s.current.value is None for s in report.nps)
    buf = io.StringIO()
    render(report, make_console(buf), "en")
    assert "insufficient (n=" in buf.getvalue()
    assert "## Findings" in render_markdown(report, "en")
    info = write_workbook(report, store.records(report.period.start_ts, report.period.end_ts),
                          tmp_path / "quiet.xlsx")
    assert info.data_rows == 12 and info.sheets[-1] == "数据"


def test_report_goes_on_when_emerging_detection_fails(tmp_path, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("clusterer exploded")

    monkeypatch.setattr("voc.emerging.run.current_run", broken)
    store = demo_store(tmp_path / "e.db", weeks=2, per_week=90)
    report = build_report(
        store,
        iso_week("2026-W47"),
        lexicons=Lexicons(REPO / "lexicons"),
        options=ReportOptions(n_boot=100),
    )
    assert report.emerging_error == "RuntimeError: clusterer exploded"
    assert report.findings  # the safety reports are still there
    buf = io.StringIO()
    render(report, make_console(buf), "en")
    assert (
        "emerging-issue detection unavailable: RuntimeError: clusterer exploded" in buf.getvalue()
    )
