"""Ingest of review files: formats, encodings, mapping, accounting, dedup, atomicity."""

from __future__ import annotations

import json
import sqlite3

import pytest
from openpyxl import Workbook

from tests.conftest import sql_rows, write_csv, write_jsonl
from voc.errors import InputError
from voc.io.ingest import IngestError, ingest_paths
from voc.store import open_store

JD_HEADER = ["评论ID", "订单号", "商品名称", "评分", "评论内容", "评论时间", "追评内容", "追评时间", "商家回复", "会员等级"]
JD_ROWS = [
    ["c1", "123456789012", "拯救者 Y9000P 2023款", "5", "屏幕很清晰，运行流畅，一点都不卡", "2026/9/5 10:02", "", "", "感谢支持", "PLUS会员"],
    ["c2", "123456789013", "y9000p", "2", "风扇声音太大了，联系电话13812345678", "2026/9/6 11:00", "用了一个月，噪音更大了", "2026/10/6 09:00", "亲，已反馈", "铜牌"],
    ["c3", "123456789014", "小新Pro14", "1", "此用户未填写评价内容", "2026/9/7 12:00", "", "", "", ""],
    ["c4", "123456789015", "小新Pro14", "abc", "电池续航一般", "2026/9/7 12:00", "", "", "", ""],
    ["c5", "123456789016", "小新Pro14", "4", "还行", "昨天下午", "", "", "", ""],
    ["c6", "123456789017", "小新Pro14", "3", "", "2026/9/8 12:00", "", "", "", ""],
]


def counts(res) -> dict:
    d = res.to_json()
    return {k: d[k] for k in ("read", "stored", "duplicates", "rejected", "filtered")}


def identity_holds(d: dict) -> bool:
    return d["read"] == d["stored"] + d["duplicates"] + d["rejected"] + d["filtered"]


@pytest.fixture
def store(store_target):
    """A new store, once per backend (SQLite file, PostgreSQL server)."""
    with open_store(store_target) as s:
        yield s


def rows(store, sql, params=()):
    return sql_rows(store, sql, params)


def test_gbk_csv_with_chinese_headers(tmp_path, store):
    f = write_csv(tmp_path / "jd_export.csv", JD_HEADER, JD_ROWS, encoding="gbk")
    res = ingest_paths(store, [f])
    assert counts(res) == {"read": 6, "stored": 2, "duplicates": 0, "rejected": 2, "filtered": 2}
    recs = {r[0]: r for r in rows(store, "SELECT external_id, channel, product, rating, created_at, text, extra, is_followup, parent_id, id FROM records")}
    c1 = recs["c1"]
    assert c1[1] == "京东"  # channel from the file name
    assert c1[2] == "Y9000P"  # normalised model
    assert c1[3] == 5 and c1[4] == "2026-09-05 10:02:00"
    extra = json.loads(c1[6])
    assert extra["会员等级"] == "PLUS会员" and extra["merchant_reply"] == "感谢支持"
    assert "感谢支持" not in c1[5]  # merchant reply is not the customer's words
    assert "13812345678" not in recs["c2"][5] and "<PHONE>" in recs["c2"][5]
    followups = rows(store, "SELECT text, created_at, parent_id FROM records WHERE is_followup = 1")
    assert followups == [("用了一个月，噪音更大了", "2026-10-06 09:00:00", recs["c2"][9])]
    reasons = dict(rows(store, "SELECT source_row, reason FROM dropped"))
    assert "platform default" in reasons[4] and "not a star rating" in reasons[5]
    assert "not a date" in reasons[6] and "no review text" in reasons[7]


def test_order_numbers_are_pseudonymised(tmp_path, store):
    f = write_csv(tmp_path / "jd.csv", JD_HEADER, JD_ROWS[:1])
    ingest_paths(store, [f])
    (ref,) = rows(store, "SELECT order_ref FROM records")[0]
    assert ref.startswith("o") and "123456789012" not in ref


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings_are_detected(tmp_path, store, encoding):
    f = write_csv(tmp_path / "x.csv", ["内容", "评分"], [["发热严重，烫手", "2"], ["续航给力", "5"]], encoding=encoding)
    res = ingest_paths(store, [f])
    assert res.files[0].stored == 2
    assert sorted(r[0] for r in rows(store, "SELECT text FROM records")) == ["发热严重，烫手", "续航给力"]


def test_encoding_override_and_wrong_encoding_is_a_clear_error(tmp_path, store):
    f = write_csv(tmp_path / "x.csv", ["内容"], [["发热严重"]], encoding="gbk")
    assert ingest_paths(store, [f], encoding="gbk").files[0].stored == 1
    g = write_csv(tmp_path / "y.csv", ["内容"], [["屏幕漏光"]], encoding="gbk")
    with pytest.raises(InputError, match="cannot decode as utf-8.*--encoding gb18030"):
        ingest_paths(store, [g], encoding="utf-8")


def test_tsv_and_english_headers(tmp_path, store):
    f = write_csv(tmp_path / "app.tsv", ["review", "stars", "date", "model", "source"],
                  [["wifi经常断", "2", "2026-10-01", "YOGA Air 14s", "官方App"]], delimiter="\t")
    ingest_paths(store, [f])
    assert rows(store, "SELECT text, rating, created_at, channel FROM records") == [("wifi经常断", 2, "2026-10-01 00:00:00", "官方App")]


def test_xlsx_first_sheet_and_named_sheet(tmp_path, store):
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    ws.title = "评价"
    ws.append(["宝贝名称", "星级", "评价内容", "评价日期", "推荐意愿"])
    ws.append(["小新Pro14", "5星", "屏幕细腻", datetime(2026, 9, 5, 10, 2), 9])
    ws.append(["小新Pro14", "★★☆☆☆", "=HYPERLINK(\"x\")", "2026年9月6日", None])
    ws.append(["小新Pro14", "★★★★☆", "键盘手感好", 46272, "10分"])
    ws["C3"].data_type = "s"  # customer text that looks like a formula, stored as text
    other = wb.create_sheet("其他")
    other.append(["内容"])
    other.append(["只在第二张表"])
    path = tmp_path / "tmall.xlsx"
    wb.save(path)
    res = ingest_paths(store, [path])
    assert res.files[0].stored == 3
    got = rows(store, "SELECT rating, created_at, nps_score, text FROM records ORDER BY source_row")
    assert got == [
        (5, "2026-09-05 10:02:00", 9, "屏幕细腻"),
        (2, "2026-09-06 00:00:00", None, "=HYPERLINK(\"x\")"),
        (4, "2026-09-07 00:00:00", 10, "键盘手感好"),
    ]
    assert ingest_paths(store, [path], sheet="其他").files[0].stored == 1
    with pytest.raises(InputError, match="no sheet 'nope'"):
        ingest_paths(store, [path], sheet="nope")


def test_json_array_and_jsonl_with_a_broken_line(tmp_path, store):
    arr = tmp_path / "dump.json"
    arr.write_text(json.dumps([{"content": "蓝牙连不上", "rating": 1, "created_at": 1760000000}], ensure_ascii=False), encoding="utf-8")
    jl = write_jsonl(tmp_path / "app.jsonl", [
        {"id": "a1", "content": "充电很快", "rating": 5, "created_at": 1760000000000, "nps": 10},
        '{"id": "a2", "content": "broken',
        {"id": "a3", "content": "摄像头模糊", "rating": 2, "created_at": "2026-10-09T10:00:00+08:00"},
    ])
    res = ingest_paths(store, [arr, jl])
    assert [f.stored for f in res.files] == [1, 2]
    assert res.files[1].rejected == 1
    assert rows(store, "SELECT source_row, reason FROM dropped")[0][0] == 2
    assert rows(store, "SELECT created_at, nps_score FROM records WHERE external_id='a1'") == [("2025-10-09 16:53:20", 10)]


def test_reingest_is_idempotent_and_cross_export_dedup(tmp_path, store):
    f = write_csv(tmp_path / "jd.csv", JD_HEADER, JD_ROWS)
    first = ingest_paths(store, [f])
    n = store.count("records")
    again = ingest_paths(store, [f])
    assert store.count("records") == n
    assert again.files[0].stored == 0 and again.files[0].duplicates == first.files[0].stored
    # The same reviews in a second export (other file, other encoding, extra rows) are stored once.
    export2 = write_csv(tmp_path / "jd_export2.csv", JD_HEADER, JD_ROWS[:2] + [["c9", "", "小新Pro14", "5", "新的评价", "2026/9/9", "", "", "", ""]], encoding="utf-8-sig")
    res = ingest_paths(store, [export2])
    assert (res.files[0].stored, res.files[0].duplicates) == (1, 2)


def test_duplicate_rows_within_one_file(tmp_path, store):
    f = write_csv(tmp_path / "r.csv", ["内容", "评分", "时间"], [["卡顿", "1", "2026-10-01 10:00"]] * 3 + [["卡顿", "1", "2026-10-02 10:00"]])
    res = ingest_paths(store, [f])
    assert (res.files[0].stored, res.files[0].duplicates) == (2, 2)


def test_csv_row_with_too_many_fields_is_rejected_not_lost(tmp_path, store):
    f = tmp_path / "r.csv"
    f.write_text("内容,评分\n好用,5\n多了,5,x,y\n\n屏幕坏点,1\n", encoding="utf-8")
    res = ingest_paths(store, [f])
    d = counts(res)
    assert d == {"read": 3, "stored": 2, "duplicates": 0, "rejected": 1, "filtered": 0}
    assert rows(store, "SELECT source_row, reason FROM dropped") == [(3, "expected 2 fields, found 4")]


def test_accounting_identity_on_messy_input(tmp_path, store):
    rows_ = []
    for i in range(300):
        kind = i % 6
        text = ["好用", "", "此用户未填写评价内容", "发热", "卡", "好用"][kind]
        rating = ["5", "3", "5", "x", "2", "5"][kind]
        rows_.append([text, rating, f"2026-10-{1 + i % 28:02d}"])
    f = write_csv(tmp_path / "m.csv", ["内容", "评分", "日期"], rows_)
    res = ingest_paths(store, [f])
    d = res.to_json()
    assert identity_holds(d) and d["read"] == 300
    assert all(identity_holds(x) for x in d["files"])
    assert store.count("records") == d["stored"]
    assert store.count("dropped") == d["rejected"] + d["filtered"]


def test_missing_text_column_is_a_clear_error(tmp_path, store):
    f = write_csv(tmp_path / "x.csv", ["a", "b"], [["1", "2"]])
    with pytest.raises(InputError, match="no review text column.*--map text=COLUMN"):
        ingest_paths(store, [f])
    assert store.count("records") == 0 and store.count("batches") == 0


def test_a_bad_file_is_reported_and_the_others_are_ingested(tmp_path, store):
    """A cron job's folder with one corrupt export: the files before and after it are
    stored, and the error names it (the command exits 2)."""
    write_csv(tmp_path / "a.csv", ["内容"], [["好"], ["差"]])
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    write_csv(tmp_path / "c.csv", ["内容"], [["一般"]])
    with pytest.raises(IngestError) as e:
        ingest_paths(store, [tmp_path])
    assert "not a readable XLSX" in str(e.value) and "b.xlsx" in str(e.value)
    assert [f.stored for f in e.value.partial.files] == [2, 1]
    assert store.count("records") == 3


def test_interrupted_ingest_leaves_store_unchanged(tmp_path, db_path, monkeypatch):
    from voc.io import reviews

    first = write_csv(tmp_path / "a.csv", ["内容", "评分"], [["好", "5"]])
    big = write_csv(tmp_path / "b.csv", ["内容", "评分"], [[f"评论{i}", "4"] for i in range(50_000)])
    with open_store(db_path) as s:
        ingest_paths(s, [first])
    before = sqlite3.connect(db_path).execute("SELECT (SELECT COUNT(*) FROM records), (SELECT COUNT(*) FROM batches), (SELECT COUNT(*) FROM dropped)").fetchone()

    original = reviews.ReviewRowConverter.convert
    calls = {"n": 0}

    def convert(self, row, rownum):
        calls["n"] += 1
        if calls["n"] == 30_000:  # after the first chunk was written
            raise KeyboardInterrupt
        return original(self, row, rownum)

    monkeypatch.setattr(reviews.ReviewRowConverter, "convert", convert)
    with open_store(db_path) as s, pytest.raises(KeyboardInterrupt):
        ingest_paths(s, [big])
    after = sqlite3.connect(db_path).execute("SELECT (SELECT COUNT(*) FROM records), (SELECT COUNT(*) FROM batches), (SELECT COUNT(*) FROM dropped)").fetchone()
    assert after == before
    monkeypatch.setattr(reviews.ReviewRowConverter, "convert", original)
    with open_store(db_path) as s:
        res = ingest_paths(s, [big])
        assert res.files[0].stored == 50_000 and s.count("records") == 50_001


def test_unknown_and_missing_paths(tmp_path, store):
    f = tmp_path / "notes.docx"
    f.write_bytes(b"x")
    with pytest.raises(InputError, match="unknown file type"):
        ingest_paths(store, [f])
    with pytest.raises(InputError, match="no such file"):
        ingest_paths(store, [tmp_path / "nope.csv"])


def test_a_path_that_names_nothing_holds_back_no_other_file(tmp_path, store):
    # a typo in one of several paths is reported as an unreadable file is: the others are
    # ingested, and the error names it (exit 2 on the command line)
    from voc.io.ingest import IngestError

    good = write_csv(tmp_path / "good.csv", ["内容", "评分"], [["屏幕很好", "5"]])
    with pytest.raises(IngestError, match="nope.csv: no such file or folder") as e:
        ingest_paths(store, [tmp_path / "nope.csv", good])
    assert [f.stored for f in e.value.partial.files] == [1] and store.count("records") == 1


def test_folder_ingests_data_files_and_skips_others(tmp_path, store):
    d = tmp_path / "exports"
    d.mkdir()
    write_csv(d / "a.csv", ["内容"], [["好"]])
    write_jsonl(d / "b.jsonl", [{"content": "差"}])
    (d / "README.md").write_text("# notes", encoding="utf-8")
    res = ingest_paths(store, [d])
    assert [f.stored for f in res.files] == [1, 1]
    assert res.skipped == [f"{d / 'README.md'} (not a data file)"]


def test_rejects_file_lists_rows_with_reasons_masked(tmp_path, store):
    f = write_csv(tmp_path / "r.csv", ["内容", "评分"], [["手机号13812345678坏了", "9"], ["好", "5"]])
    out = tmp_path / "out" / "rejects.csv"
    ingest_paths(store, [f], rejects_path=out)
    text = out.read_text(encoding="utf-8-sig")
    assert "not a star rating" in text and "<PHONE>" in text and "13812345678" not in text


def test_a_dropped_row_keeps_its_user_and_order_as_pseudonyms_not_in_clear(tmp_path, store):
    """The rejects file and the store's dropped rows hold what a stored record holds: the user
    name and the order number of their own columns as pseudonyms."""
    f = write_csv(tmp_path / "r.csv", ["用户昵称", "订单号", "内容", "评分"],
                  [["赵强", "DD20261101001", "屏幕坏了", "六颗星"], ["钱七", "DD20261101002", "好用", "5"]])
    out = tmp_path / "rejects.csv"
    ingest_paths(store, [f], rejects_path=out)
    text = out.read_text(encoding="utf-8-sig")
    assert "not a star rating" in text and "屏幕坏了" in text
    assert "赵强" not in text and "DD20261101001" not in text
    from voc.io.reviews import pseudonym

    raw = json.loads(store.conn.execute("SELECT raw FROM dropped").fetchone()[0])
    assert raw["用户昵称"] == pseudonym("u", "赵强") and raw["订单号"] == pseudonym("o", "DD20261101001")
    stored = store.conn.execute("SELECT extra, order_ref FROM records").fetchone()  # 钱七's row, the same way
    assert json.loads(stored[0])["user"] == pseudonym("u", "钱七") and stored[1] == pseudonym("o", "DD20261101002")
