"""Exports as users have them: Excel's "Unicode text" (UTF-16, tabs), UTF-16 without a
byte-order mark, a CSV with an unbalanced quote, JD and Tmall listing titles of one
product, and XLSX read with whole numbers kept whole."""

from __future__ import annotations

import codecs
import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from voc.cli import app
from voc.errors import InputError
from voc.io.ingest import ingest_paths
from voc.io.readers import sniff_encoding
from voc.store import open_store

HEADER = ["评价内容", "评分", "评价时间", "商品名称"]
ROWS = [
    ["屏幕很清楚，续航也不错", "5", "2026-11-18 10:00", "荣耀X60 8GB+256GB 雅黑 5000mAh大电池 5G手机"],
    ["充电发热严重，一天两充", "1", "2026-11-18 11:00", "荣耀X60"],
    ["一般般，还行吧", "3", "2026-11-19 11:00", "【官方正品】荣耀X60 12+512GB 墨岩黑 全网通"],
]


def _text(delim: str = "\t") -> str:
    return "".join(delim.join(r) + "\r\n" for r in [HEADER, *ROWS])


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "v.db") as s:
        yield s


def _stored(store) -> list[tuple]:
    return store.conn.execute("SELECT text, rating, product, product_raw FROM records ORDER BY text").fetchall()


@pytest.mark.parametrize("name,data", [
    ("excel_unicode.txt", codecs.BOM_UTF16_LE + _text().encode("utf-16-le")),  # Excel "Unicode text"
    ("nobom_le.csv", _text(",").encode("utf-16-le")),
    ("nobom_be.tsv", _text().encode("utf-16-be")),
    ("bom_be.txt", codecs.BOM_UTF16_BE + _text().encode("utf-16-be")),
])
def test_utf16_exports_are_read(tmp_path, store, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    res = ingest_paths(store, [path])
    assert (res.total("read"), res.total("stored"), res.total("rejected")) == (3, 3, 0)
    got = _stored(store)
    assert {r[0] for r in got} == {r[0] for r in ROWS}
    assert sorted(r[1] for r in got) == [1, 3, 5]


def test_sniffing_tells_utf16_from_gbk_and_utf8():
    text = _text()
    assert sniff_encoding(text.encode("utf-16-le")) == "utf-16-le"
    assert sniff_encoding(text.encode("utf-16-be")) == "utf-16-be"
    assert sniff_encoding(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == "utf-16"
    assert sniff_encoding(text.encode("gbk")) == "gb18030"
    assert sniff_encoding(text.encode("utf-8")) == "utf-8"
    assert sniff_encoding(codecs.BOM_UTF8 + text.encode("utf-8")) == "utf-8-sig"
    assert sniff_encoding(b"\x00\x01\x02\x03" * 10 + b"\xff") is None  # binary: none of ours


def test_listing_titles_of_one_phone_are_one_product(tmp_path, store):
    path = tmp_path / "jd.csv"
    path.write_text(_text(","), encoding="utf-8")
    ingest_paths(store, [path])
    got = _stored(store)
    assert {r[2] for r in got} == {"荣耀X60"}
    assert {r[3] for r in got} == {r[3] for r in ROWS}  # what the export said is kept


QUOTED = [
    "评分,评价时间,评价内容",
    "5,2026-11-18 10:00,屏幕很好",
    '2,2026-11-18 10:05,"电池不行，一天两充',  # line 3: a quote that never closes here
    "4,2026-11-18 10:10,还可以吧",
    "1,2026-11-18 10:20,发热严重",
    '5,2026-11-18 10:30,"很好,非常满意"',  # its opening quote is where the stray one "closed"
    '3,2026-11-18 10:40,"多行\n评论是正常的"',  # a real multi-line cell: one row
    "2,2026-11-18 10:50,一般",
]


def test_an_unbalanced_quote_is_found_and_the_rows_after_it_recovered(tmp_path, store):
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(QUOTED) + "\n", encoding="utf-8")
    res = ingest_paths(store, [path])
    f = res.files[0]
    assert (f.read, f.stored, f.rejected) == (7, 7, 0)
    assert f.warnings == ["line 3: unbalanced quote; the 3 line(s) it swallowed were read again as rows"]
    texts = {r[0] for r in _stored(store)}
    assert texts == {"屏幕很好", "电池不行，一天两充", "还可以吧", "发热严重", "很好,非常满意", "多行\n评论是正常的", "一般"}
    rows = dict(store.conn.execute("SELECT text, source_row FROM records").fetchall())
    assert rows["电池不行，一天两充"] == 3 and rows["一般"] == 9  # line numbers of the file


def test_a_quote_open_until_the_end_of_the_file(tmp_path, store):
    lines = ["评论内容,评分,评论时间"] + [f"评论{i},{1 + i % 5},2026-11-{10 + i} 10:00" for i in range(6)]
    lines.insert(3, '"没有闭合的引号,3,2026-11-30 10:00')
    path = tmp_path / "eof.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    f = ingest_paths(store, [path]).files[0]
    assert (f.read, f.stored) == (7, 7)
    assert f.warnings and f.warnings[0].startswith("line 4: unbalanced quote")
    assert "没有闭合的引号" in {r[0] for r in _stored(store)}


def test_a_row_with_a_stray_quote_that_does_not_fit_is_rejected_with_its_line(tmp_path, store):
    lines = ["评分,评价时间,评价内容", "5,2026-11-18 10:00,好", '2,2026-11-18 10:05,"坏,真的,很坏',
             "4,2026-11-18 10:10,还行", "1,2026-11-18 10:20,差"]
    path = tmp_path / "reject.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    f = ingest_paths(store, [path]).files[0]
    assert (f.read, f.stored, f.rejected) == (4, 3, 1)
    ((row, reason),) = store.conn.execute("SELECT source_row, reason FROM dropped").fetchall()
    assert row == 3 and "unbalanced quote" in reason


def test_cli_says_what_it_did_with_a_broken_quote(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(QUOTED) + "\n", encoding="utf-8")
    db = tmp_path / "v.db"
    res = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db)])
    assert res.exit_code == 0
    assert "read=7 stored=7" in res.stdout
    assert "warning:" in res.stderr and "line 3: unbalanced quote" in res.stderr
    res = CliRunner().invoke(app, ["ingest", str(path), "--db", str(tmp_path / "w.db"), "--json"])
    out = json.loads(res.stdout)
    assert out["files"][0]["warnings"][0].startswith("line 3: unbalanced quote")
    res = CliRunner().invoke(app, ["ingest", str(path), "--db", str(tmp_path / "q.db"), "-q"])
    assert res.exit_code == 0 and res.stdout == "" and res.stderr == ""


def test_xlsx_keeps_whole_numbers_whole_and_row_numbers(tmp_path, store):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([])  # an empty first row: the header is the first row with values
    ws.append(["评价内容", "评分", "评价时间", "订单号", "商品名称"])
    ws.append(["屏幕清晰", 5, datetime(2026, 11, 18, 10, 0), 123456789012345, "荣耀X60 8GB+256GB 雅黑"])
    ws.append(["发热严重", 1.0, datetime(2026, 11, 18, 11, 0), 123456789012346, "荣耀X60"])
    path = tmp_path / "tmall.xlsx"
    wb.save(path)
    res = ingest_paths(store, [path])
    assert (res.total("read"), res.total("stored")) == (2, 2)
    got = store.conn.execute("SELECT text, rating, external_id, created_at, product, source_row FROM records "
                             "ORDER BY source_row").fetchall()
    assert [(r[1], r[4], r[5]) for r in got] == [(5, "荣耀X60", 3), (1, "荣耀X60", 4)]
    assert got[0][3] == "2026-11-18 10:00:00"
    from voc.io.readers import iter_table

    ((headers, chunk),) = list(iter_table(path))
    assert chunk.rownums == [3, 4]
    assert [r["订单号"] for r in chunk.rows] == [123456789012345, 123456789012346]  # not 1.2e14
    assert [r["评分"] for r in chunk.rows] == [5, 1]


def test_a_folder_inbox_skips_lock_files_and_empty_files_and_warns_of_undated_rows(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "jd.csv").write_text("评价内容,评分,评价时间\n屏幕很好,5,\n电池不行,1,2026-11-18\n", encoding="utf-8")
    (inbox / "empty.csv").write_bytes(b"")
    (inbox / "~$评价导出.xlsx").write_bytes(b"lock")
    res = ingest_paths(store, [inbox])
    assert [f.file for f in res.files] == [str(inbox / "jd.csv")]
    assert sorted(res.skipped) == sorted([f"{inbox / 'empty.csv'} (empty)",
                                          f"{inbox / '~$评价导出.xlsx'} (a lock file of an open workbook)"])
    assert res.files[0].stored == 2
    assert any("1 record(s) have no date: dated 2026-11-18 00:00:00, the latest date in the file" in w
               for w in res.files[0].warnings)
    # dated with the file's own period, so that the week's report counts it
    assert store.conn.execute("SELECT created_at FROM records WHERE text = '屏幕很好'").fetchone() == ("2026-11-18 00:00:00",)
    assert res.files[0].encoding == "utf-8"


def test_the_broken_quote_warning_counts_the_lines_with_text(tmp_path, store):
    """Blank lines swallowed with the rows (the file's last line ends in a line break and
    an empty line follows) are not counted as lines read again."""
    path = tmp_path / "tail.csv"
    path.write_text("星级,时间,内容\n5,2026-11-18 10:00,好\n" '2,2026-11-18 10:05,"电池不行\n'
                    "4,2026-11-18 10:10,还可以\n1,2026-11-18 10:20,发热\n\n", encoding="utf-8")
    res = ingest_paths(store, [path])
    assert res.files[0].warnings == ["line 3: unbalanced quote; the 2 line(s) it swallowed were read again as rows"]


def test_a_damaged_byte_rejects_its_row_not_the_file(tmp_path, store):
    """A GBK export with one corrupt byte sequence: that row is rejected with its line
    number and the rest is stored (the whole file used to be refused)."""
    rows = ["评论内容,评分", "屏幕很好,5", "电池不行,1", "发热严重,2", "物流很快,5"]
    data = "\n".join(rows).encode("gbk").replace("电池不行".encode("gbk"), "电池".encode("gbk") + b"\x80\xff")
    path = tmp_path / "jd_gbk.csv"
    path.write_bytes(data + b"\n")
    res = ingest_paths(store, [path])
    f = res.files[0]
    assert (f.read, f.stored, f.rejected) == (4, 3, 1)
    reason, raw = store.conn.execute("SELECT reason, raw FROM dropped").fetchone()
    assert "not gb18030 text" in reason and json.loads(raw)["评论内容"].startswith("电池")
    # a wrong encoding is still refused as a whole, with the one to try
    many = tmp_path / "wrong.csv"
    many.write_bytes(("评论内容\n" + "\n".join(f"第{i}条很好" for i in range(200))).encode("gbk"))
    with pytest.raises(InputError, match="cannot decode as utf-8.*--encoding gb18030"):
        ingest_paths(store, [many], encoding="utf-8")


def test_a_short_export_with_a_few_damaged_bytes_is_read(tmp_path, store):
    """Three damaged bytes in a 900-byte GBK export are more than a share of its characters,
    but few of its Chinese ones (the wrong encoding garbles nearly all): the damaged rows are
    rejected and the rest is stored."""
    rows = ["评论,评分,日期"] + [f"第{i}条：电池续航不错，屏幕清晰，就是有点发热,{i % 5 + 1},2026-11-1{i % 9}"
                              for i in range(15)]
    data = bytearray(("\n".join(rows) + "\n").encode("gbk"))
    for at in (60, 200, 400):
        data[at] = 0xFF
    path = tmp_path / "short_gbk.csv"
    path.write_bytes(bytes(data))
    f = ingest_paths(store, [path]).files[0]
    assert (f.read, f.stored, f.rejected) == (15, 12, 3)
    # read as UTF-8, the same text is still the wrong encoding
    with pytest.raises(InputError, match="--encoding gb18030"):
        ingest_paths(store, [path], encoding="utf-8")


def test_a_file_without_a_rating_column_says_what_the_reports_will_lack(tmp_path, store):
    bare = tmp_path / "bare.csv"
    bare.write_text("评论,日期\n电池不错,2026-11-10\n屏幕很好,2026-11-11\n", encoding="utf-8")
    rated = tmp_path / "rated.csv"
    rated.write_text("评论,评分,日期\n电池不错,5,2026-11-10\n", encoding="utf-8")
    res = ingest_paths(store, [bare, rated])
    (warning,) = [w for w in res.files[0].warnings if "rating" in w]
    assert "no rating or score column among 评论, 日期" in warning and "--map rating=COLUMN" in warning
    assert not [w for w in res.files[1].warnings if "rating" in w]
    assert res.files[0].stored == 2  # stored all the same


def test_side_columns_named_as_personal_data_are_masked_whatever_their_cells_look_like(tmp_path, store):
    """An address, a name or a second user-name column holds personal data the text masks
    cannot see (广东省深圳市南山区科技园 has no number): the column's name says what it is. The same
    goes for the rows rejected, the damaged ones included."""
    header = "评价内容,评分,评价时间,昵称,买家旺旺,收货人,收货地址,联系电话,备注"
    rows = ["屏幕很清楚,5,2026-11-18,tb_lina88,tb_lina88,李娜,广东省深圳市南山区科技园,0755-8888,礼物",
            "充电发热严重,九十九,2026-11-18,wang_x,wang_x,王小明,北京市海淀区中关村,,",
            "电池一般般,3,2026-11-19,zhang3,zhang3,张三丰,上海市浦东新区,,"]
    data = "\n".join([header, *rows]).encode("gbk").replace("一般般".encode("gbk"), b"\x80\xff")
    path = tmp_path / "orders.csv"
    path.write_bytes(data + b"\n")
    f = ingest_paths(store, [path]).files[0]
    assert (f.stored, f.rejected) == (1, 2)
    extra = json.loads(store.conn.execute("SELECT extra FROM records").fetchone()[0])
    assert extra["收货人"] == "<NAME>" and extra["收货地址"] == "<ADDRESS>" and extra["联系电话"] == "<PHONE>"
    assert extra["买家旺旺"] == extra["user"] != "tb_lina88" and extra["备注"] == "礼物"
    dropped = " ".join(r[0] for r in store.conn.execute("SELECT raw FROM dropped"))
    for clear in ("王小明", "中关村", "wang_x", "张三丰", "浦东", "zhang3"):
        assert clear not in dropped
    assert "<ADDRESS>" in dropped and "<NAME>" in dropped


def test_a_transcript_with_no_times_is_dated_when_it_is_ingested(tmp_path, store):
    """A chat log with no timestamps at all (a safety report in it) is dated with the time of
    the ingest, and the warning says so: undated, it would be in no week's report or alert."""
    from voc.period import today_cst

    path = tmp_path / "chats.txt"
    path.write_text("用户：我的华为Mate 70电池鼓包了\n客服：请立即停止使用\n", encoding="utf-8")
    res = ingest_paths(store, [path])
    (when,) = store.conn.execute("SELECT created_at FROM records").fetchone()
    assert when[:10] == today_cst().isoformat()
    assert any(f"1 record(s) have no date: dated {when}, the time they were ingested" in w for w in res.files[0].warnings)


def test_identical_rows_of_one_file_with_no_review_id_are_reviews_of_their_own(tmp_path, store):
    """Three customers who wrote 很好用 with 5 stars on the same day (an export with dates but no
    ids) are three reviews; the file ingested again, or a later export holding those rows,
    stores none of them twice."""
    rows = "评价内容\t评分\t评价时间\t商品名称\n" + "很好用\t5\t2026-11-18\t小米15\n" * 3 + "屏幕一般\t3\t2026-11-18\t小米15\n"
    first = tmp_path / "week.tsv"
    first.write_text(rows, encoding="utf-8")
    f = ingest_paths(store, [first]).files[0]
    assert (f.read, f.stored, f.duplicates) == (4, 4, 0)
    later = tmp_path / "month.tsv"
    later.write_text(rows + "很好用\t5\t2026-11-18\t小米15\n", encoding="utf-8")
    f = ingest_paths(store, [first, later]).files
    assert [(x.stored, x.duplicates) for x in f] == [(0, 4), (1, 4)]


def test_a_title_above_the_header_is_skipped_in_csv_and_xlsx(tmp_path, store):
    """Exports that put a title (and a blank line) above the header row are read from the
    header, with the row numbers of the file, and a note names the title."""
    import openpyxl

    lines = ["京东商品评价导出 2026-11-22", "", ",".join(HEADER), *(",".join(r) for r in ROWS)]
    csv_path = tmp_path / "titled.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["京东商品评价导出 2026-11-22"])
    ws.append([])
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r)
    xlsx_path = tmp_path / "titled.xlsx"
    wb.save(xlsx_path)
    for path in (csv_path, xlsx_path):
        f = ingest_paths(store, [path]).files[0]
        assert (f.read, f.stored + f.duplicates) == (3, 3), path
        assert any("skipped as the export's title (京东商品评价导出 2026-11-22)" in w for w in f.warnings), f.warnings
    assert store.conn.execute("SELECT MIN(source_row) FROM records WHERE source_file LIKE '%titled.csv'").fetchone() == (4,)


def test_the_sheet_that_holds_the_data_is_read_when_the_first_is_a_note(tmp_path, store):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本文件由系统导出，请勿修改"])
    data = wb.create_sheet("评价")
    data.append(HEADER)
    for r in ROWS:
        data.append(r)
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    f = ingest_paths(store, [path]).files[0]
    assert (f.read, f.stored) == (3, 3)
    assert any("read the sheet '评价'" in w for w in f.warnings)
    # a workbook where no sheet has such a header still says what it found
    wb2 = openpyxl.Workbook()
    wb2.active.append(["编号", "备注"])
    wb2.active.append([1, "x"])
    wb2.save(tmp_path / "none.xlsx")
    with pytest.raises(InputError, match="no review text column among 编号, 备注"):
        ingest_paths(store, [tmp_path / "none.xlsx"])
