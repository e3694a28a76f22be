"""The Excel workbook, read back with openpyxl: sheets in reading order, owner sheets with
quotes beside each finding, Chinese labels, print setup, charts (straight lines with
markers, every bar labelled, an honest empty state), text safety, numbers equal to the
JSON report, sheet-name sanitising, data-sheet cap and split; and, where LibreOffice is
installed, the page count and first page of the printed demo workbook."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from report_synth import INJECTION, demo_store

from voc.lexicon import Lexicons
from voc.period import iso_week
from voc.report.build import ReportOptions, build_report
from voc.report.excel import EXCEL_MAX_ROWS, sheet_name, write_workbook
from voc.report.excel_sheets import QUOTES_BESIDE
from voc.report.i18n import Labels

REPO = Path(__file__).resolve().parents[1]
OPTS = ReportOptions(n_boot=300)
T = Labels("zh")


def _write(store, report, path, **kw):
    return write_workbook(report, store.records(report.period.start_ts, report.period.end_ts), path, **kw)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "demo.db"
    store = demo_store(path)
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(REPO / "lexicons"), options=OPTS)
    out = path.parent / "reports" / "voc-2026-W47.xlsx"
    info = _write(store, report, out)
    yield store, report, info, openpyxl.load_workbook(out)
    store.close()


def test_sheets_come_in_reading_order_in_chinese(demo):
    _, report, info, wb = demo
    names = wb.sheetnames
    owners = [o.name for o in report.owners()]
    assert names == ["摘要", "问题清单", "新兴问题", "问题跟进", *owners, "明细（分析用）", "图表数据", "数据"]
    assert "电源·电源负责人" in owners
    assert list(info.sheets) == names
    assert not [p for p in info.path.parent.iterdir() if p.name.endswith(".tmp")]


def test_every_sheet_prints_one_page_wide_with_its_header_row_repeated(demo):
    """Every sheet one page wide, but the analysts' eighteen statistics: two pages wide
    with the finding's columns repeated (one page printed them at 4-5 points)."""
    wb = demo[3]
    repeated = {"问题清单": "$1:$1", "新兴问题": "$1:$1", "问题跟进": "$2:$2", "电源·电源负责人": "$1:$2",
                "明细（分析用）": "$2:$2", "数据": "$1:$1"}
    for ws in wb.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        wide = 2 if ws.title == "明细（分析用）" else 1
        assert ws.page_setup.fitToWidth in ((None, 1) if wide == 1 else (2,)), ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.page_setup.paperSize == 9, ws.title
        if ws.title in repeated:
            assert ws.print_title_rows == repeated[ws.title], ws.title
    assert wb["明细（分析用）"].print_title_cols == "$A:$C"
    assert wb["摘要"].page_setup.orientation == "portrait"
    assert wb["数据"].page_setup.orientation == "landscape"


def test_summary_charts_draw_straight_lines_with_markers_and_label_every_bar(demo):
    wb = demo[3]
    charts = {type(c).__name__: c for c in wb["摘要"]._charts}
    assert sorted(charts) == ["BarChart", "LineChart"]
    line, bar = charts["LineChart"], charts["BarChart"]
    assert len(line.series) == 3
    for s in line.series:
        assert s.smooth is False  # said explicitly: LibreOffice draws a curve when it is not
        assert s.marker.symbol in ("circle", "square", "diamond")
    assert line.x_axis.tickLblPos == "low"  # week labels under the plot, not on the zero line
    labels = bar.series[0].dLbls  # every bar named and counted at its end (an axis may skip names)
    assert labels.showVal and labels.showCatName
    # both draw from the chart-data sheet, which holds what the JSON holds
    data = wb["图表数据"]
    assert line.series[0].val.numRef.f.startswith("图表数据!")
    weeks = [r[0] for r in data.iter_rows(min_row=3, max_row=2 + len(demo[1].trend), values_only=True)]
    assert weeks == [label for label, _values in demo[1].trend]


def test_summary_explains_every_symbol_and_sign(demo):
    wb = demo[3]
    text = "\n".join(str(c) for row in wb["摘要"].iter_rows(values_only=True) for c in row if c)
    assert "本周重点问题" in text and "说明" in text
    assert re.search(r"^\* 本期主指标", text, re.M)  # the "*" beside one NPS line
    assert "NPS影响" in text and "正数表示它拉低了 NPS" in text  # the sign of an NPS impact
    assert "增长倍数" in text and "状态" in text and "P0" in text


def test_owner_sheet_puts_each_finding_in_words_with_quotes_beside_it(demo):
    _, report, _, wb = demo
    ws = wb["电源·电源负责人"]
    assert ws["A1"].value == "责任团队：电源·电源负责人"
    assert [c.value for c in ws[4]][:7] == ["优先级", "问题", "产品", "数量", "增长倍数", "状态", "原话"]
    mine = [f for f in report.findings if f.owner.team == "电源"]
    assert len(mine) >= 2
    for i, f in enumerate(mine):
        row = ws[5 + i]
        assert row[0].value == f.priority
        assert row[1].value.startswith(T.finding(f)) and row[1].alignment.wrap_text
        assert row[3].value == f.count
        assert row[5].value == T.status(f.status)
        quotes = list(dict.fromkeys(q.text for q in report.quotes_of(f.id)))[:QUOTES_BESIDE]
        said = row[6].value or ""
        assert all(said.count(f"「{q}」") == 1 for q in quotes), f.id  # each text once
        assert row[6].alignment.wrap_text
        if len(quotes) > 1:
            assert ws.row_dimensions[5 + i].height >= 14 * len(quotes)  # a line for each quote at least
    assert ws.column_dimensions["G"].width >= 50  # the quotes column is wide, and wraps
    assert ws.freeze_panes == "C5"
    # then the customer words behind the findings, with dates as dates
    head = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "相关原话")
    assert [c.value for c in ws[head + 1]][:7] == ["优先级", "问题", "产品", "星级", "时间", "渠道", "原话"]
    assert isinstance(ws.cell(head + 2, 5).value, datetime)
    assert ws.column_dimensions["E"].width >= 16  # the date does not clip into the channel
    assert ws.cell(head + 2, 5).alignment.horizontal == "left"  # and sits under its heading
    assert ws.row_dimensions[1].height >= 20  # the 14-point title does not run into the line below
    assert ws.column_dimensions["D"].width <= 10  # counts and stars: a narrow column


def test_statistics_live_on_the_details_sheet_only(demo):
    _, report, _, wb = demo
    for name in ("问题清单", "电源·电源负责人"):
        header = [c.value for row in wb[name].iter_rows(max_row=4) for c in row if c.value]
        assert "q" not in header and "区间下限" not in header and "基线" not in header
    details = wb["明细（分析用）"]
    head = [c.value for c in details[2]]
    assert {"q", "基线", "区间下限", "区间上限", "NPS影响"} <= set(head)
    # a header over numbers is right-aligned, as they are; over text it is not
    align = {c.value: c.alignment.horizontal for c in details[2] if c.value}
    assert align["基线"] == align["q"] == align["NPS影响"] == "right"
    assert align[head[0]] != "right" and align[head[2]] != "right"


def test_data_sheet_speaks_the_reports_language(demo, tmp_path):
    store, report, _, wb = demo
    rows = list(wb["数据"].iter_rows(min_row=2, values_only=True))
    assert {r[7] for r in rows} <= {"正面", "中性", "负面"}
    assert {r[2] for r in rows} <= {"评价", "工单"}
    topics = [r[9] for r in rows if r[9]]
    assert topics and not any(":" in t or "neg" in t for t in topics)
    assert any("电池（负面）" in t for t in topics)
    assert {r[10] for r in rows} <= {"是", None}
    _write(store, report, tmp_path / "en.xlsx", lang="en")
    en = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert en.sheetnames[:4] == ["Summary", "Findings", "Emerging issues", "Follow-up"]
    rows = list(en["Data"].iter_rows(min_row=2, values_only=True))
    assert {r[7] for r in rows} <= {"positive", "neutral", "negative"}


def test_headers_freeze_panes_filters_and_cjk_font(demo):
    wb = demo[3]
    data = wb["数据"]
    assert [c.value for c in data[1]] == [T(c) for c in ("id", "created_at", "record_kind", "channel", "product",
                                           "rating", "nps_score", "sentiment_label", "score", "topic", "safety", "text")]  # fmt: skip
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref == f"A1:L{data.max_row}"
    assert data["A2"].font.name == "Microsoft YaHei"
    assert data["B2"].number_format == "yyyy-mm-dd hh:mm"
    findings = wb["问题清单"]
    assert findings.freeze_panes == "D2"
    assert [c.value for c in findings[1]][:7] == ["优先级", "编号", "问题", "产品", "数量", "增长倍数", "状态"]


def test_customer_text_that_looks_like_a_formula_stays_text(demo):
    data = demo[3]["数据"]
    cells = {
        c.value: c for row in data.iter_rows(min_row=2) for c in row if isinstance(c.value, str)
    }
    for value in (
        INJECTION,
        "+1 好评",
        "-2 分都不想给",
        "@SUM(A1:A9) 一般",
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)",
    ):
        cell = cells[value]
        assert cell.data_type == "s", value
        assert cell.quotePrefix, value
    for ws in demo[3].worksheets:
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row), ws.title


def test_numbers_equal_the_json_report(demo):
    _, report, _, wb = demo
    j = report.to_json()
    summary = {row[0]: row[1:] for row in wb["摘要"].iter_rows(values_only=True) if row and row[0]}
    assert summary[T("volume")][0] == j["volume"]["total"]
    assert summary[T("volume")][3] == j["volume"]["change"]
    assert summary[T("safety")][0] == j["volume"]["safety"]
    for kind in ("nps", "stars", "sentiment"):
        label = T(kind) + (" *" if kind == j["primary_kind"] else "")
        value, moe, n = summary[label][:3]
        assert (value, moe, n) == (
            j["nps"][kind]["value"],
            j["nps"][kind]["moe95"],
            j["nps"][kind]["n"],
        )
    rows = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert {r[1]: (r[0], r[4], r[6]) for r in rows} == {
        f["id"]: (f["priority"], f["count"], T.status(f["status"])) for f in j["findings"]
    }
    details = wb["明细（分析用）"]
    start = next(r for r in range(1, details.max_row + 1) if details.cell(r, 1).value == T("topics")) + 2
    topics = {}
    for r in details.iter_rows(min_row=start, values_only=True):
        if not r[0]:
            break
        topics[r[0]] = r[2]
    assert topics == {T.topic(t["topic"]): t["negative"] for t in j["topics"]}
    assert wb["数据"].max_row - 1 == j["volume"]["total"]


def test_a_small_store_says_why_there_is_no_trend_chart(tmp_path):
    store = demo_store(tmp_path / "d.db", weeks=2, per_week=60)
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(REPO / "lexicons"),
                          options=ReportOptions(n_boot=100, min_n=1000, emerging=False))  # fmt: skip
    _write(store, report, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert [type(c).__name__ for c in wb["摘要"]._charts] == ["BarChart"]  # no empty axis
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        drawings = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/drawing"))
    assert "样本不足" in drawings
    rows = {r[0].rstrip(" *"): r[1] for r in wb["摘要"].iter_rows(values_only=True) if r and r[0]}
    assert rows["星级代理 NPS"] == "样本不足"
    assert rows["NPS（调研 0-10 分）"] == "样本不足"
    assert report.to_json()["nps"]["stars"]["value"] is None


NASTY = [
    "研发/电源:[A]*?",
    "History",
    "'quoted'",
    "x" * 40,
    "X" * 40,
    "",
    "   ",
    "a\\b",
    "Summary",
    "摘要",
    "质量",
]


def test_sheet_names_are_valid_and_unique_whatever_the_owner_names():
    taken: set[str] = {"摘要"}
    names = [sheet_name(n, taken, fallback="Owner") for n in NASTY]
    assert len({n.casefold() for n in names}) == len(names)
    for n in names:
        assert 0 < len(n) <= 31
        assert not set(n) & set("[]:*?/\\")
        assert not n.startswith("'") and not n.endswith("'")
        assert n.casefold() not in ("history", "摘要")


def test_nasty_owner_names_make_a_workbook_excel_can_open(tmp_path):
    lex = tmp_path / "lex"
    lex.mkdir()
    lines = ["topic\tproduct\tteam\tperson\tcontact", "battery\t\t电源/储能:[P]*?\t\t", "display\t\tHistory\t\t",
             "thermal\t\t" + "热" * 40 + "\t\t", "*\t\t'默认'\t\t", "build\t\t=HYPERLINK(\"x\")\t\t"]  # fmt: skip
    (lex / "owners.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = demo_store(tmp_path / "n.db", weeks=3, per_week=150)
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(lex),
                          options=ReportOptions(n_boot=100, emerging=False))  # fmt: skip
    _write(store, report, tmp_path / "n.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "n.xlsx")
    names = wb.sheetnames
    assert len(names) == len({n.casefold() for n in names})
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert "History" not in names
    for ws in wb.worksheets:
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row), ws.title


def test_data_sheet_is_capped_and_split(tmp_path):
    store = demo_store(tmp_path / "c.db", weeks=1, per_week=250)
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(REPO / "lexicons"),
                          options=ReportOptions(n_boot=100, emerging=False))  # fmt: skip
    total = report.volume.total
    split = _write(store, report, tmp_path / "split.xlsx", max_rows=None, rows_per_sheet=100)
    wb = openpyxl.load_workbook(tmp_path / "split.xlsx")
    data = [n for n in wb.sheetnames if n.startswith("数据")]
    assert data == ["数据", "数据 2", "数据 3"]
    assert sum(wb[n].max_row - 1 for n in data) == total == split.data_rows
    assert all(wb[n]["A1"].value == "编号" for n in data)
    capped = _write(store, report, tmp_path / "cap.xlsx", max_rows=50)
    assert capped.capped and capped.data_rows == 50
    wb = openpyxl.load_workbook(tmp_path / "cap.xlsx")
    assert wb["数据"].max_row == 51
    notes = [r[0] for r in wb["摘要"].iter_rows(values_only=True) if r and isinstance(r[0], str)]
    assert any(f"{total:,}" in n and "50" in n for n in notes)
    assert EXCEL_MAX_ROWS == 1_048_576


def test_data_rows_keep_odd_text_exactly_and_times_as_dates(tmp_path):
    from report_synth import StoreBuilder

    from voc.store import open_store

    b = StoreBuilder(open_store(tmp_path / "odd.db"))
    odd = [
        "  leading and trailing  ",
        "a < b & c > d",
        "控制\x01字符\x1f",
        "多行\n文本",
        "🙂 emoji",
    ]
    for i, text in enumerate(odd):
        b.add(f"2026-11-18 10:00:0{i}", text=text, product=f"P{i}", sentiment="positive", rating=5)
    store = b.commit()
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(REPO / "lexicons"),
                          options=ReportOptions(n_boot=100, emerging=False, min_n=1))  # fmt: skip
    _write(store, report, tmp_path / "odd.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "odd.xlsx")["数据"]
    texts = [row[11] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert texts == [
        "  leading and trailing  ",
        "a < b & c > d",
        "控制字符",
        "多行\n文本",
        "🙂 emoji",
    ]
    assert ws["B2"].value == datetime(2026, 11, 18, 10, 0, 0)


def test_an_unwritable_path_is_an_output_error_and_leaves_nothing(demo, tmp_path):
    from voc.report.files import OutputError

    store, report, _, _ = demo
    (tmp_path / "taken.xlsx").mkdir()
    with pytest.raises(OutputError):
        _write(store, report, tmp_path / "taken.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.xlsx"]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: the printed workbook is not checked")
def test_the_printed_demo_workbook(demo, tmp_path):
    """Printed by a real spreadsheet program: a reasonable number of pages, and the first
    page is the whole summary (KPIs, key findings, legend)."""
    info = demo[2]
    profile = tmp_path / "profile"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(info.path)],
        capture_output=True, text=True, timeout=300,
    )
    pdf = tmp_path / (info.path.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    raw = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", raw))
    sheets = len(demo[3].sheetnames)
    assert sheets <= pages <= 2 * sheets + 10, pages  # the starting point: 168 pages
    if shutil.which("pdftotext"):
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
                               capture_output=True, text=True).stdout
        for text in ("客户之声周报", "本周重点问题", "说明", "第 1 页"):
            assert text in first, text


def test_data_rows_are_as_tall_as_their_wrapped_text(tmp_path):
    """Spreadsheet programs do not all grow rows on opening (LibreOffice prints one line):
    a long review, a ticket's several turns and a long topic list get a row tall enough
    for every line; a short one keeps the default height."""
    import xlsxwriter

    from voc.report import excel_sheets
    from voc.report.excel import Writer

    long_review = "屏幕显示效果很好，色彩鲜艳，但是用了两个星期以后电池续航明显下降，充满电只能用三个小时，客服说是正常现象，我不太能接受"
    rows = [
        ("r1", "2026-11-10 10:00:00", "review", "京东", "小新Pro14", 2, None, "negative", 0.1,
         "battery:neg|display:pos|customer_service:neg|performance:neg", None, long_review),
        ("t1", "2026-11-10 11:00:00", "ticket", "在线客服", "Y9000P", None, None, "negative", 0.2,
         "battery:neg", 1, "笔记本电池鼓包了\n还有点烫\n要求换新"),
        ("r2", "2026-11-10 12:00:00", "review", "京东", "小新Pro14", 5, None, "positive", 0.9, "display:pos", None,
         "屏幕很好"),
    ]
    wb = xlsxwriter.Workbook(str(tmp_path / "d.xlsx"))
    ws = wb.add_worksheet("数据")
    excel_sheets.data(Writer(wb, T), ws, rows)
    wb.close()
    data = openpyxl.load_workbook(tmp_path / "d.xlsx")["数据"]
    assert data.row_dimensions[2].height >= 28  # the long review: two lines at least
    assert data.row_dimensions[3].height >= 3 * 14  # three turns
    assert data.row_dimensions[4].height is None  # one line: the default
    assert all(data.cell(2, c).alignment.wrap_text for c in (4, 5, 10, 12))  # channel, product, topics, text


def test_a_thin_or_unfinished_week_is_flagged_in_red_on_the_summary(demo, tmp_path):
    """The notices of a thin week (less than a fifth of the last one's feedback) and of a
    week not over yet: the workbook had failed on them (a style the writer did not know),
    so cron lost the week's workbook and its P0 alert exit."""
    from dataclasses import replace

    store, report, _info, _wb = demo
    flagged = replace(report, complete=False, volume=replace(report.volume, previous_total=report.volume.total * 10))
    assert flagged.thin
    _write(store, flagged, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["摘要"]
    cells = {c.value: c for row in ws.iter_rows(max_row=6) for c in row if isinstance(c.value, str)}
    v = flagged.volume
    for text in (T("incomplete", period=report.period.label), T("thin", total=v.total, previous=v.previous_total)):
        assert text in cells and cells[text].font.b and cells[text].font.color.rgb.endswith("C00000")


def test_a_week_with_no_findings_says_so_on_the_findings_sheet(demo, tmp_path):
    import dataclasses

    store, report, _, _ = demo
    quiet = dataclasses.replace(report, findings=[])
    _write(store, quiet, tmp_path / "quiet.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "quiet.xlsx")["问题清单"].iter_rows(values_only=True))
    assert rows[0][:3] == (T("priority"), T("id"), T("label"))
    assert rows[1][2] == "无" and len(rows) == 2


def test_text_outputs_round_a_half_as_the_workbook_does():
    # the workbook's number format rounds a half away from zero (1.25 shows 1.3×); the console,
    # the markdown and `voc findings` must show the same figure, not Python's 1.2
    from voc.report.i18n import fixed, pct, pct_change, signed, times

    assert times(1.25) == "1.3×" and times(1.15) == "1.2×" and times(2) == "2.0×" and times(None) == "—"
    assert pct(0.0125) == "1.3%" and pct_change(-0.0125) == "-1.3%" and pct_change(0.5) == "+50.0%"
    assert fixed(0.05, 1) == "0.1" and fixed(-2.35, 1) == "-2.4"
    # an NPS change and an impact (console, markdown) too
    assert signed(1.25) == "+1.3" and signed(-1.25) == "-1.3" and signed(0) == "+0.0" and signed(None) == "—"


def test_findings_sheet_wraps_long_labels_and_notes_instead_of_cutting_them(demo, tmp_path, monkeypatch):
    """A label longer than its column, and a person's note, wrap in a row as tall as they need;
    neither runs into the next cell nor is cut."""
    from voc.report.excel_sheets import FINDINGS_WIDTHS

    store, report, _, _ = demo
    long = "·充电器和别的充电器都试了不行·充电器插上没反应"
    plain = Labels.finding
    monkeypatch.setattr(Labels, "finding", lambda self, f, width=None: plain(self, f, width) + long)
    _write(store, report, tmp_path / "long.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "long.xlsx")["问题清单"]
    assert abs(ws.column_dimensions["C"].width - FINDINGS_WIDTHS[2]) < 1  # (the writer adds its padding)
    assert abs(ws.column_dimensions["K"].width - FINDINGS_WIDTHS[10]) < 1
    for r, f in enumerate(report.findings, 2):
        label = ws.cell(r, 3)
        assert label.value == plain(T, f) + long and label.alignment.wrap_text
        assert ws.row_dimensions[r].height >= 28  # two lines at least


def test_no_cell_shows_empty_brackets(demo, tmp_path):
    """A quote with no date (an emerging issue's cluster quotes have none) is shown without
    the （date） an older quote gets."""
    from dataclasses import replace

    store, report, _, wb = demo
    undated = replace(report, quotes=[replace(q, created_at="", record_id="") for q in report.quotes])
    _write(store, undated, tmp_path / "undated.xlsx")
    for book in (wb, openpyxl.load_workbook(tmp_path / "undated.xlsx")):
        empty = [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and ("（）" in c.value or "()" in c.value)]
        assert not empty
