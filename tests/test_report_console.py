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
from voc.report.console import TOP_FINDINGS, fit, make_console, render, wrap
from voc.report.i18n import Labels
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


def _render(report, lang: str, width: int) -> str:
    buf = io.StringIO()
    render(report, make_console(buf, width=width), lang)
    return buf.getvalue()


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_console_reads_well_at_80_and_100_columns(report, lang, width):
    text = _render(report, lang, width)
    lines = text.splitlines()
    assert "\x1b[" not in text
    assert max(cell_len(line) for line in lines) <= width
    assert "2026-W47" in text
    t = Labels(lang, dict(report.topic_names))
    shown = report.findings[:TOP_FINDINGS]
    assert report.p0[0] in shown
    section = lines[next(i for i, x in enumerate(lines) if x.strip() == t("findings")) :]
    for f in shown:
        # one row per finding: its id whole, on the line that starts its label, with its figures
        line = next(x for x in section if f" {f.id} " in x)
        label = t.finding(f)
        head = label.split("·")[0].split("：")[0].split(":")[0]
        assert head in line, (f.id, line)
        assert f" {f.count:,} " in line and t.status(f.status) in line
        assert t.product(f.product)[:8] in lines[lines.index(line) + 1]  # product on the line below
    # no cell wraps: a cut label ends in an ellipsis instead of going on the next line
    for line in lines:
        assert not line.strip().startswith(("·", "：", "）")), line
    # the follow-up names the four weeks before this one
    assert t.followup_title(report.period) in text and "2026-W43–2026-W46" in text


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_are_never_cut(report, lang, width):
    """Every figure of the headline and top-defect tables whole (at 80 columns the English
    headers had squeezed them into 「-7.8 ±1…」 and 「11.…」), with the rest of the defects
    counted, and no line padded with trailing spaces in a pipe."""
    from voc.report.console import TOP_TOPICS
    from voc.report.i18n import nps_text, pct

    text = _render(report, lang, width)
    assert "…" not in "".join(x for x in text.splitlines() if "±" in x)
    t = Labels(lang, dict(report.topic_names))
    for kind in ("nps", "stars", "sentiment"):
        c = report.nps_of(kind).current
        assert nps_text(c.value, c.moe95, c.n, t) in text
    negative = [r for r in report.topics if r.negative]
    for row in negative[:TOP_TOPICS]:
        assert f" {pct(row.share)} " in text and f" {row.negative:,} " in text
    if len(negative) > TOP_TOPICS:
        assert t("more_rows", n=len(negative) - TOP_TOPICS) in text
    assert all(line == line.rstrip() for line in text.splitlines())


@pytest.mark.parametrize("width", [80, 100])
def test_quotes_are_indented_and_wrapped_as_chinese_prose(report, width):
    text = _render(report, "zh", width)
    lines = text.splitlines()
    start = next(i for i, x in enumerate(lines) if x.strip() == "客户原话")
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        block.append(line)
    quotes = [x for x in block if x.startswith("    ")]
    heads = [x for x in block if not x.startswith("    ")]
    assert heads and quotes and all(x.startswith("  P") for x in heads)
    for line in quotes:
        assert cell_len(line) <= width
        assert line[4] not in "，。！？；：、）」”…", line  # 禁则: no line starts with closing punctuation
        assert line[4] != " "


def test_rows_left_out_are_counted_in_words(report, monkeypatch):
    monkeypatch.setattr("voc.report.console.TOP_FINDINGS", 2)
    text = _render(report, "zh", 80)
    assert f"另有 {len(report.findings) - 2} 项未列出" in text


def test_fit_and_wrap():
    assert fit("安全·烫伤：充电手机烫得离谱", 100) == "安全·烫伤：充电手机烫得离谱"
    assert fit("接口：充电器没反应·充电器和别的充电器都试了不行", 24) == "接口：充电器没反应…"  # at a term
    assert fit("接口：充电器没反应·充电器和别的充电器都试了不行", 30) == "接口：充电器没反应·充电器和别…"
    assert cell_len(fit("ThinkPad X1 Carbon Gen 12", 12)) <= 12
    lines = wrap("一二三四五六七八九，十一二三四五六七八九十", 18, 3)
    assert lines[0] == "一二三四五六七八" and lines[1].startswith("九，")  # the comma does not start a line
    assert wrap("abc defghij klm", 8, 3) == ["abc", "defghij", "klm"]  # Latin words stay whole
    cut = wrap("长" * 100, 10, 2)
    assert len(cut) == 2 and cut[-1].endswith("…") and all(cell_len(x) <= 10 for x in cut)


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


def test_piped_from_a_terminal_the_console_is_as_wide_as_the_terminal(monkeypatch):
    """`voc report | head` in an 80-column terminal: stderr is still the terminal, and lines
    of 100 columns would wrap there; cron (no terminal at all) keeps 100."""
    import os
    import sys

    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd=None: os.terminal_size((80, 24)))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    console = make_console()
    assert console.width == 80 and console.color_system is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert make_console().width == 100


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
    # the legends the console and the workbook give: what "*", growth and an impact's sign mean
    from voc.report.i18n import Labels

    t = Labels("zh")
    assert all(cell(t(k)) in zh for k in ("legend_primary", "legend_growth", "legend_impact"))


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
