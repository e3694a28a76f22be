"""The Excel workbook, read back with openpyxl: sheets, headers, charts, text safety,
numbers equal to the JSON report, sheet-name sanitising, data-sheet cap and split."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from report_synth import INJECTION, demo_store

from voc.lexicon import Lexicons
from voc.period import iso_week
from voc.report.build import ReportOptions, build_report
from voc.report.excel import EXCEL_MAX_ROWS, sheet_name, write_workbook
from voc.report.i18n import Labels

REPO = Path(__file__).resolve().parents[1]
OPTS = ReportOptions(n_boot=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "demo.db"
    store = demo_store(path)
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(REPO / "lexicons"), options=OPTS)
    out = path.parent / "reports" / "voc-2026-W47.xlsx"
    info = write_workbook(report, store.records(report.period.start_ts, report.period.end_ts), out)
    yield store, report, info, openpyxl.load_workbook(out)
    store.close()


def test_workbook_has_the_expected_sheets_in_chinese(demo):
    _, report, info, wb = demo
    names = wb.sheetnames
    assert names[:6] == ["摘要", "NPS明细", "主题", "新兴问题", "问题清单", "问题跟进"]
    assert names[-1] == "数据"
    owner_sheets = names[6:-1]
    assert owner_sheets == [o.name for o in report.owners()]
    assert "电源·电源负责人" in owner_sheets
    assert list(info.sheets) == names
    assert not [p for p in info.path.parent.iterdir() if p.name.endswith(".tmp")]


def test_summary_has_native_line_and_bar_charts(demo):
    ws = demo[3]["摘要"]
    kinds = sorted(type(c).__name__ for c in ws._charts)
    assert kinds == ["BarChart", "LineChart"]


def test_headers_freeze_panes_filters_and_cjk_font(demo):
    wb = demo[3]
    data = wb["数据"]
    t = Labels("zh")
    assert [c.value for c in data[1]] == [t(c) for c in ("id", "created_at", "record_kind", "channel", "product",
                                           "rating", "nps_score", "sentiment_label", "score", "topic", "safety", "text")]  # fmt: skip
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref == f"A1:L{data.max_row}"
    assert data["A2"].font.name == "Microsoft YaHei"
    assert data["B2"].number_format == "yyyy-mm-dd hh:mm:ss"
    findings = wb["问题清单"]
    assert findings.freeze_panes == "C2"
    assert [c.value for c in findings[1]][:6] == ["优先级", "编号", "类型", "主题", "产品", "数量"]
    assert wb["主题"]["A1"].value == "编号"


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
    assert not any(c.data_type == "f" for row in data.iter_rows() for c in row)


def test_numbers_equal_the_json_report(demo):
    _, report, _, wb = demo
    j = report.to_json()
    summary = {row[0]: row[1:] for row in wb["摘要"].iter_rows(values_only=True) if row and row[0]}
    t = Labels("zh")
    assert summary[t("volume")][0] == j["volume"]["total"]
    assert summary[t("safety")][0] == j["volume"]["safety"]
    for kind in ("nps", "stars", "sentiment"):
        label = t(kind) + (" *" if kind == j["primary_kind"] else "")
        value, moe, n = summary[label][:3]
        assert (value, moe, n) == (
            j["nps"][kind]["value"],
            j["nps"][kind]["moe95"],
            j["nps"][kind]["n"],
        )
    rows = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert {r[1]: (r[0], r[5]) for r in rows} == {
        f["id"]: (f["priority"], f["count"]) for f in j["findings"]
    }
    topics = {r[0]: r[3] for r in wb["主题"].iter_rows(min_row=2, values_only=True)}
    assert topics == {t["topic"]: t["negative"] for t in j["topics"]}
    assert wb["数据"].max_row - 1 == j["volume"]["total"]


def test_owner_sheet_lists_its_findings_and_quotes(demo):
    _, report, _, wb = demo
    ws = wb["电源·电源负责人"]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    mine = [f.id for f in report.findings if f.owner.team == "电源"]
    assert set(mine) <= set(values)
    assert any(isinstance(v, str) and "鼓包" in v for v in values)
    assert ws.freeze_panes == "C4"


def test_insufficient_nps_is_written_as_a_label_not_a_number(tmp_path):
    store = demo_store(tmp_path / "d.db", weeks=2, per_week=60)
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(REPO / "lexicons"),
                          options=ReportOptions(n_boot=100, min_n=1000, emerging=False))  # fmt: skip
    write_workbook(report, store.records(report.period.start_ts, report.period.end_ts), tmp_path / "x.xlsx", lang="en")
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-1] == "Data"
    rows = {
        r[0].rstrip(" *"): r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]
    }
    assert rows["Star-rating proxy NPS"] == "insufficient"
    assert rows["NPS (0-10 survey)"] == "insufficient"
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
             "thermal\t\t" + "热" * 40 + "\t\t", "*\t\t'默认'\t\t"]  # fmt: skip
    (lex / "owners.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = demo_store(tmp_path / "n.db", weeks=3, per_week=150)
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(lex),
                          options=ReportOptions(n_boot=100, emerging=False))  # fmt: skip
    write_workbook(report, store.records(report.period.start_ts, report.period.end_ts), tmp_path / "n.xlsx")
    names = openpyxl.load_workbook(tmp_path / "n.xlsx").sheetnames
    assert len(names) == len({n.casefold() for n in names})
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert "History" not in names


def test_data_sheet_is_capped_and_split(tmp_path):
    store = demo_store(tmp_path / "c.db", weeks=1, per_week=250)
    report = build_report(store, iso_week("2026-W47"), lexicons=Lexicons(REPO / "lexicons"),
                          options=ReportOptions(n_boot=100, emerging=False))  # fmt: skip
    total = report.volume.total
    split = write_workbook(report, store.records(report.period.start_ts, report.period.end_ts), tmp_path / "split.xlsx", max_rows=None, rows_per_sheet=100
    )
    wb = openpyxl.load_workbook(tmp_path / "split.xlsx")
    data = [n for n in wb.sheetnames if n.startswith("数据")]
    assert data == ["数据", "数据 2", "数据 3"]
    assert sum(wb[n].max_row - 1 for n in data) == total == split.data_rows
    assert all(wb[n]["A1"].value == "编号" for n in data)
    capped = write_workbook(report, store.records(report.period.start_ts, report.period.end_ts), tmp_path / "cap.xlsx", max_rows=50)
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
    write_workbook(report, store.records(report.period.start_ts, report.period.end_ts), tmp_path / "odd.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "odd.xlsx")["数据"]
    texts = [row[11] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert texts == [
        "  leading and trailing  ",
        "a < b & c > d",
        "控制字符",
        "多行\n文本",
        "🙂 emoji",
    ]
    from datetime import datetime

    assert ws["B2"].value == datetime(2026, 11, 18, 10, 0, 0)
