"""Ticket transcripts: JSONL, turn-per-row CSV/TSV and plain text; customer words."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from voc.errors import InputError
from voc.io.tickets import (
    Ticket,
    TicketReject,
    Turn,
    customer_text,
    customer_words,
    detect_ticket_file,
    is_customer_words,
    normalize_speaker,
    read_tickets,
)
from voc.io.transcripts import match_turn

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
JDDC = SHARED_DATA / "jddc_customer_service"


def split(items) -> tuple[list[Ticket], list[TicketReject]]:
    items = list(items)
    return [i for i in items if isinstance(i, Ticket)], [i for i in items if isinstance(i, TicketReject)]


def only_tickets(path: Path, **kwargs) -> list[Ticket]:
    tickets, rejects = split(read_tickets(path, **kwargs))
    assert rejects == []
    return tickets


def write_lines(path: Path, lines: list, encoding: str = "utf-8") -> Path:
    path.write_bytes("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines).encode(encoding) + b"\n")
    return path


def write_rows(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def speakers_texts(t: Ticket) -> list[tuple[str, str]]:
    return [(u.speaker, u.text) for u in t.turns]


# -- speakers -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "label,role",
    [("customer", "customer"), ("User", "customer"), ("用户", "customer"), ("客户", "customer"), ("顾客", "customer"),
     ("Q", "customer"), (0, "customer"), ("agent", "agent"), ("客服", "agent"), ("坐席", "agent"), ("A", "agent"),
     ("waiter", "agent"), (1, "agent"), ("1", "agent"), ("system", "system"), ("系统", "system"),
     ("路人", None), ("", None), (None, None), (True, None)],
)
def test_speaker_labels_normalise_to_three_roles(label, role):
    assert normalize_speaker(label) == role


# -- JSONL --------------------------------------------------------------------------------
def test_jsonl_tickets_with_english_and_chinese_keys(tmp_path):
    f = write_lines(tmp_path / "desk.jsonl", [
        {"ticket_id": "T1", "created_at": "2026/10/12 14:03", "channel": "电话", "product": "小新Pro14", "csat": 2,
         "nps": "3", "priority": "high",
         "turns": [{"speaker": "customer", "text": "电脑充不进电", "time": "2026-10-12 14:03:05"},
                   {"role": "客服", "content": "您好，很高兴为您服务"},
                   {"from": "用户", "msg": "换了适配器也不行"},
                   {"sender": "系统", "text": "会话已转接"}]},
        {"工单号": "T2", "创建时间": "2026年10月13日", "渠道": "在线", "产品": "Y9000P", "满意度": "满意", "推荐意愿": 9,
         "messages": [{"role": "Q", "content": "风扇噪音大"}, {"role": "A", "content": "请更新BIOS"}, {"role": 0, "text": "更新了还是响"}]},
    ])
    tickets, rejects = split(read_tickets(f))
    assert rejects == []
    t1, t2 = tickets
    assert (t1.external_id, t1.created_at, t1.channel, t1.product, t1.csat, t1.nps_score, t1.source_row) == (
        "T1", "2026-10-12 14:03:00", "电话", "小新Pro14", 2.0, 3, 1)
    assert speakers_texts(t1) == [("customer", "电脑充不进电"), ("agent", "您好，很高兴为您服务"),
                                  ("customer", "换了适配器也不行"), ("system", "会话已转接")]
    assert [u.seq for u in t1.turns] == [1, 2, 3, 4]
    assert t1.turns[0].created_at == "2026-10-12 14:03:05"
    assert t1.extra == {"priority": "high"}
    assert (t2.external_id, t2.created_at, t2.csat, t2.nps_score, t2.source_row) == ("T2", "2026-10-13 00:00:00", 4.0, 9, 2)
    assert speakers_texts(t2) == [("customer", "风扇噪音大"), ("agent", "请更新BIOS"), ("customer", "更新了还是响")]


def test_jsonl_malformed_lines_become_rejects_with_line_numbers(tmp_path):
    f = write_lines(tmp_path / "t.jsonl", [
        {"id": "a", "turns": [{"role": "user", "text": "屏幕闪"}]},
        "",
        '{"id": "b", "turns": [',
        "[1, 2]",
        {"id": "c", "note": "no turns here"},
        {"id": "d", "turns": [{"role": "路人", "text": "?"}]},
        {"id": "e", "turns": [{"role": "user", "text": "键盘失灵"}]},
    ])
    tickets, rejects = split(read_tickets(f))
    assert [t.external_id for t in tickets] == ["a", "e"]
    assert [t.source_row for t in tickets] == [1, 7]
    assert [(r.source_row, r.reason.split(" (")[0]) for r in rejects] == [
        (3, "not valid JSON"), (4, "a JSON value that is not a ticket object"), (5, "no turns"),
        (6, "turn 1: unknown speaker '路人'")]
    assert rejects[0].raw == '{"id": "b", "turns": ['


def test_jsonl_without_id_gets_stem_and_line_and_keeps_bad_scores_in_extra(tmp_path):
    f = write_lines(tmp_path / "calls.jsonl", [
        {"dialog": [{"role": "user", "text": "电池鼓包了"}], "csat": 9, "nps": "很高", "time": "昨天"},
    ])
    (t,) = only_tickets(f)
    assert t.external_id == "calls#1"
    assert (t.csat, t.nps_score, t.created_at) == (None, None, None)
    assert t.extra == {"invalid_csat": "9", "invalid_nps_score": "很高", "created_at_raw": "昨天"}


def test_jsonl_transcript_string_and_prefixed_turn_strings(tmp_path):
    f = write_lines(tmp_path / "t.jsonl", [
        {"id": "s1", "transcript": "用户：蓝牙连不上\n耳机也试了\n客服：请重启"},
        {"id": "s2", "turns": ["顾客：触控板失灵", "客服：请更新驱动"]},
    ])
    s1, s2 = only_tickets(f)
    assert speakers_texts(s1) == [("customer", "蓝牙连不上\n耳机也试了"), ("agent", "请重启")]
    assert speakers_texts(s2) == [("customer", "触控板失灵"), ("agent", "请更新驱动")]


def test_jsonl_empty_turns_list_is_a_ticket_without_customer_words(tmp_path):
    f = write_lines(tmp_path / "t.jsonl", [{"id": "x", "turns": [{"role": "agent", "text": "您好"}, {"role": "user", "text": ""}]}])
    (t,) = only_tickets(f)
    assert speakers_texts(t) == [("agent", "您好")]
    assert t.extra == {"empty_turns": 1}
    assert customer_text(t.turns) == ""


def test_jddc_dev_shape_uses_first_alternative_and_first_reference(tmp_path):
    f = write_lines(tmp_path / "dev.jsonl", [{
        "session_id": "a_1",
        "context": [{"role": "Q", "text": "充电器坏了"}, {"role": "A", "text": "您好!@@@!请问什么问题<sep>亲，怎么了<sep>NULL"},
                    {"role": "Q", "text": "插上没反应"}, {"role": "A", "text": "NULL<sep>好的<sep>NULL"}],
        "questions": [{"q_index": 1, "question": "好的!@@@!能换吗", "reference_answers": ["NULL", "可以换!@@@!请提交", "可以"]},
                      {"q_index": 2, "question": "谢谢", "reference_answers": ["NULL", "NULL", "NULL"]}],
    }])
    (t,) = only_tickets(f)
    assert t.external_id == "a_1" and t.extra == {"empty_turns": 1}
    assert speakers_texts(t) == [
        ("customer", "充电器坏了"), ("agent", "您好\n请问什么问题"), ("customer", "插上没反应"),
        ("customer", "好的\n能换吗"), ("agent", "可以换\n请提交"), ("customer", "谢谢")]
    assert customer_text(t.turns) == "充电器坏了\n插上没反应\n能换吗"


def test_json_array_of_tickets(tmp_path):
    f = tmp_path / "export.json"
    f.write_text(json.dumps([{"id": "j1", "turns": [{"role": "user", "text": "WiFi断流"}]}, "junk"], ensure_ascii=False), encoding="utf-8")
    tickets, rejects = split(read_tickets(f))
    assert [t.external_id for t in tickets] == ["j1"]
    assert [(r.source_row, r.reason) for r in rejects] == [(2, "a JSON value that is not a ticket object")]


# -- turn-per-row CSV ------------------------------------------------------------------------
def test_turn_csv_groups_non_contiguous_rows_with_agent_flag(tmp_path):
    f = write_rows(tmp_path / "chat.csv", ["session_id", "user_id", "waiter_send", "sku", "content"], [
        ["s1", "U1", "0", "nan", "屏幕有亮点"],
        ["s2", "U2", "0", "1001", "发热严重"],
        ["s1", "U1", "1", "nan", "亲，麻烦拍照"],
        ["s2", "U2", "1", "1001", "建议清灰"],
        ["s1", "U1", "0", "2002", "[图片]"],
        ["s1", "U1", "0", "2003", "就是这个亮点"],
    ])
    tickets, rejects = split(read_tickets(f))
    assert rejects == []
    s1, s2 = tickets
    assert (s1.external_id, s1.source_row, s2.source_row) == ("s1", 2, 3)
    assert speakers_texts(s1) == [("customer", "屏幕有亮点"), ("agent", "亲，麻烦拍照"), ("customer", "[图片]"), ("customer", "就是这个亮点")]
    assert s1.product == "2002"  # 'nan' is no sku
    assert s1.extra == {"user_id": "U1", "product_values": "2002|2003"}
    assert (s2.product, s2.extra) == ("1001", {"user_id": "U2"})
    assert customer_text(s1.turns) == "屏幕有亮点\n就是这个亮点"


def test_turn_csv_orders_by_seq_and_accounts_for_every_row(tmp_path):
    f = write_rows(tmp_path / "turns.csv", ["ticket_id", "seq", "speaker", "time", "text", "channel"], [
        ["T1", "3", "用户", "2026-10-12 10:05", "还是不行", "电话"],
        ["T1", "1", "用户", "2026-10-12 10:00", "开不了机", "电话"],
        ["T1", "2", "坐席", "2026-10-12 10:02", "长按电源键", "电话"],
        ["", "1", "用户", "", "没有工单号", ""],
        ["T2", "x", "用户", "", "序号坏了", ""],
        ["T2", "1", "路人", "", "谁在说话", ""],
        ["T2", "2", "用户", "", "  ", ""],
        ["T2", "3", "用户", "", "NULL", ""],
        ["T2", "4", "客服", "", "好的", "", "多出来的一列"],
        ["T3", "1", "Q", "", "短行"],
    ])
    tickets, rejects = split(read_tickets(f))
    t1, t3 = tickets
    assert speakers_texts(t1) == [("customer", "开不了机"), ("agent", "长按电源键"), ("customer", "还是不行")]
    assert (t1.created_at, t1.channel, t1.source_row) == ("2026-10-12 10:00:00", "电话", 2)
    assert [t.created_at for t in t1.turns] == ["2026-10-12 10:00:00", "2026-10-12 10:02:00", "2026-10-12 10:05:00"]
    assert speakers_texts(t3) == [("customer", "短行")]  # a short row is padded, not lost
    assert [(r.source_row, r.reason) for r in rejects] == [
        (5, "no ticket id"), (6, "turn order 'x' is not a number"), (7, "unknown speaker '路人'"),
        (8, "empty turn text"), (9, "empty turn text"), (10, "expected 6 fields, found 7")]
    assert sum(len(t.turns) for t in tickets) + len(rejects) == 10


def test_gbk_tsv_turns_and_explicit_encoding(tmp_path):
    rows = [["G1", "用户", "键盘按键失灵，售后电话打不通"], ["G1", "客服", "抱歉给您带来不便"]]
    f = write_rows(tmp_path / "gbk.tsv", ["工单号", "角色", "内容"], rows, encoding="gbk", delimiter="\t")
    (t,) = only_tickets(f)
    assert speakers_texts(t) == [("customer", "键盘按键失灵，售后电话打不通"), ("agent", "抱歉给您带来不便")]
    (t2,) = only_tickets(f, encoding="gbk")
    assert t2.turns == t.turns
    with pytest.raises(InputError, match="cannot decode as utf-8"):
        list(read_tickets(f, encoding="utf-8"))


def test_utf8_bom_csv(tmp_path):
    f = write_rows(tmp_path / "bom.csv", ["会话ID", "发送方", "消息"], [["B1", "顾客", "开机蓝屏"]], encoding="utf-8-sig")
    (t,) = only_tickets(f)
    assert (t.external_id, speakers_texts(t)) == ("B1", [("customer", "开机蓝屏")])


def test_csv_without_turn_columns_is_an_input_error(tmp_path):
    f = write_rows(tmp_path / "reviews.csv", ["评论内容", "评分"], [["很好", "5"]])
    with pytest.raises(InputError, match="not a turn-per-row transcript"):
        list(read_tickets(f))


def test_unknown_format_and_missing_file_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="format 'xml'"):
        list(read_tickets(tmp_path / "x.txt", fmt="xml"))
    with pytest.raises(InputError, match="cannot read"):
        list(read_tickets(tmp_path / "missing.txt"))


# -- plain text ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line,expected",
    [
        ("用户：屏幕闪", ("customer", "屏幕闪", None)),
        ("用户:屏幕闪", ("customer", "屏幕闪", None)),
        ("客户: 屏幕闪", ("customer", "屏幕闪", None)),
        ("顾客：屏幕闪", ("customer", "屏幕闪", None)),
        ("顾客 屏幕闪", ("customer", "屏幕闪", None)),
        ("客服：您好", ("agent", "您好", None)),
        ("坐席:您好", ("agent", "您好", None)),
        ("Q: 电池不耐用", ("customer", "电池不耐用", None)),
        ("A: 请校准电池", ("agent", "请校准电池", None)),
        ("[客服] 您好", ("agent", "您好", None)),
        ("[用户]电脑很烫", ("customer", "电脑很烫", None)),
        ("【客服】您好", ("agent", "您好", None)),
        ("[10:02:33] 客服：您好", ("agent", "您好", "10:02:33")),
        ("2026-10-12 14:03:05 用户：开不了机", ("customer", "开不了机", "2026-10-12 14:03:05")),
        ("客服 007：请稍等", ("agent", "请稍等", None)),
        ("坐席(小王)：请稍等", ("agent", "请稍等", None)),
        ("系统：会话结束", ("system", "会话结束", None)),
        ("客服态度很差", None),
        ("客户端打不开", None),
        ("用户名是什么", None),
        ("Apple: 不是说话人", None),
        ("插上电源灯不亮", None),
    ],
)
def test_speaker_prefix_variants(line, expected):
    assert match_turn(line) == expected


def test_text_ticket_with_header_continuations_and_times(tmp_path):
    f = tmp_path / "call.txt"
    f.write_text(
        "工单号: T2026001  时间: 2026-10-12 14:03  产品: 小新Pro14  渠道: 电话  坐席工号: 9527\n"
        "[14:03:05] 用户：电脑充电充不进去\n"
        "插上电源灯不亮\n"
        "\n"
        "换了插座也一样\n"
        "[14:03:30] 客服：您好，很高兴为您服务\n"
        "客服：请问是哪个型号\n"
        "用户：型号：小新Pro14\n",
        encoding="utf-8",
    )
    (t,) = only_tickets(f)
    assert (t.external_id, t.created_at, t.product, t.channel, t.source_row) == ("T2026001", "2026-10-12 14:03:00", "小新Pro14", "电话", 1)
    assert t.extra == {"坐席工号": "9527"}
    assert speakers_texts(t) == [
        ("customer", "电脑充电充不进去\n插上电源灯不亮\n换了插座也一样"), ("agent", "您好，很高兴为您服务"),
        ("agent", "请问是哪个型号"), ("customer", "型号：小新Pro14")]
    assert [u.created_at for u in t.turns] == ["2026-10-12 14:03:05", "2026-10-12 14:03:30", None, None]


def test_text_tickets_separated_by_blank_lines_get_stem_ids(tmp_path):
    f = tmp_path / "chats.txt"
    f.write_text(
        "用户：风扇很吵\n客服：建议清灰\n\n\n"
        "顾客 开机黑屏\n坐席：请强制关机\n顾客 好了\n\n"
        "这一段没有说话人\n只有文字\n",
        encoding="utf-8",
    )
    tickets, rejects = split(read_tickets(f))
    assert [(t.external_id, t.source_row, len(t.turns)) for t in tickets] == [("chats#1", 1, 2), ("chats#2", 5, 3)]
    assert [(r.source_row, r.reason.split(" (")[0]) for r in rejects] == [(9, "no speaker-prefixed turns")]
    assert rejects[0].raw == "这一段没有说话人\n只有文字"


def test_text_tickets_separated_by_rules_and_headers(tmp_path):
    f = tmp_path / "log.txt"
    f.write_text(
        "ticket: A1\n日期: 2026/10/01\nQ: 蓝牙断连\n\nA: 请更新驱动\n"
        "==========\n"
        "ID: A2\n[用户] 摄像头黑屏\n[客服] 请检查隐私开关\n"
        "-----\n"
        "工单号：A3\n用户：喇叭有杂音\n工单号：A4\n用户：触屏失灵\n",
        encoding="utf-8",
    )
    tickets = only_tickets(f)
    assert [(t.external_id, t.source_row) for t in tickets] == [("A1", 1), ("A2", 7), ("A3", 11), ("A4", 13)]
    assert speakers_texts(tickets[0]) == [("customer", "蓝牙断连"), ("agent", "请更新驱动")]
    assert tickets[0].created_at == "2026-10-01 00:00:00"


def test_header_like_lines_inside_turns_are_words_not_new_tickets(tmp_path):
    f = tmp_path / "chats.txt"
    f.write_text(
        "用户：订单一直没发货\n单号：[订单x]\n型号：小新Pro14\n客服：马上催\n\n"
        "用户：屏幕闪\nID：12345\n客服：请重装驱动\n",
        encoding="utf-8",
    )
    t1, t2 = only_tickets(f)
    assert speakers_texts(t1) == [("customer", "订单一直没发货\n单号：[订单x]\n型号：小新Pro14"), ("agent", "马上催")]
    assert speakers_texts(t2) == [("customer", "屏幕闪\nID：12345"), ("agent", "请重装驱动")]
    assert (t1.external_id, t2.external_id) == ("chats#1", "chats#2")


def test_one_ticket_written_with_blank_lines_between_turns(tmp_path):
    f = tmp_path / "single.txt"
    f.write_text("通话记录\n用户：电池鼓包\n\n客服：请停止使用\n\n用户：好的，谢谢\n", encoding="utf-8")
    (t,) = only_tickets(f)
    assert t.external_id == "single#1"
    assert t.extra == {"preamble": "通话记录"}
    assert [u.speaker for u in t.turns] == ["customer", "agent", "customer"]
    assert customer_text(t.turns) == "电池鼓包"


def test_gbk_text_transcript(tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes("工单号: G9\n用户：屏幕漏光严重\n客服：可以申请换货\n".encode("gbk"))
    (t,) = only_tickets(f)
    assert (t.external_id, speakers_texts(t)) == ("G9", [("customer", "屏幕漏光严重"), ("agent", "可以申请换货")])


def test_txt_with_a_turn_header_is_read_as_a_table(tmp_path):
    f = write_rows(tmp_path / "export.txt", ["session_id", "role", "text"], [["z", "user", "进水了"]], delimiter="\t")
    (t,) = only_tickets(f)
    assert (t.external_id, speakers_texts(t)) == ("z", [("customer", "进水了")])


# -- customer words ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,words",
    [
        ("屏幕有坏点[图片]", "屏幕有坏点"),
        ("[表情][语音][视频][文件]", ""),
        ("#E-s[数字x]#E-s57 电池不行", "电池不行"),
        ("看这个 https://item.jd.com/123.html 链接", "看这个 链接"),
        ("www.example.com/a?b=1充电慢", "充电慢"),
        ("[链接x] 你好", ""),
        ("订单[订单x]还没发货，已经[数字x]天了", "订单[订单x]还没发货，已经[数字x]天了"),
        ("[订单x]", "[订单x]"),
        ("人工客服", ""),
        ("我要转人工 我要转人工", ""),
        ("你好", ""),
        ("在吗？", ""),
        ("好的，谢谢！", ""),
        ("嗯嗯", ""),
        ("没有了，谢谢", ""),
        ("没有了谢谢", ""),
        ("没收到", "没收到"),
        ("没有收到", "没有收到"),
        ("不用人工", "不用人工"),
        ("👌🏻", ""),
        ("👌", ""),
        ("好的\n我现在在学校里，地址有变", "我现在在学校里，地址有变"),
        ("你好，电脑很烫", "你好，电脑很烫"),
        ("好用", "好用"),
        ("不好", "不好"),
        ("谢谢你们，散热太差了", "谢谢你们，散热太差了"),
        ("嗯" * 60, "嗯" * 60),  # long lines are never treated as filler (and never backtrack)
    ],
)
def test_customer_words_remove_placeholders_and_filler_but_keep_content(text, words):
    assert customer_words(text) == words


def test_customer_text_uses_customer_turns_in_order():
    turns = [
        Turn(1, "customer", "在吗"),
        Turn(2, "agent", "您好，很高兴为您服务，亲亲"),
        Turn(3, "customer", "电池充不满[图片]"),
        Turn(4, "system", "用户已上传图片"),
        Turn(5, "agent", "感谢您的耐心等待，请问还有什么可以帮您"),
        Turn(6, "customer", "只能充到[数字x]%"),
        Turn(7, "customer", "好的谢谢"),
    ]
    assert customer_text(turns) == "电池充不满\n只能充到[数字x]%"
    assert [is_customer_words(t) for t in turns] == [False, False, True, False, False, True, False]


# -- detection ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("chat.csv", "session_id,user_id,waiter_send,sku,content\ns,u,0,nan,hi\n", True),
        ("turns.csv", "ticket_id,seq,speaker,text\nT1,1,用户,坏了\n", True),
        ("reviews.csv", "评论ID,评分,评论内容,评论时间\nc1,5,很好,2026-01-01\n", False),
        ("reviews.csv", "id,content,rating\n1,很好,5\n", False),
        ("t.jsonl", json.dumps({"id": "1", "turns": [{"role": "user", "text": "坏了"}]}) + "\n", True),
        ("t.jsonl", json.dumps({"session_id": "a", "context": [{"role": "Q", "text": "x"}]}) + "\n", True),
        ("r.jsonl", json.dumps({"id": "1", "content": "很好", "rating": 5}) + "\n", False),
        ("t.json", json.dumps([{"id": "1", "messages": [{"role": "user", "content": "坏了"}]}]), True),
        ("call.txt", "工单号: T1\n用户：开不了机\n客服：请充电\n", True),
        ("notes.txt", "今天天气不错\n电脑挺好用\n", False),
    ],
)
def test_detect_ticket_file(tmp_path, name, content, expected):
    path = tmp_path / name
    sample = content.encode("utf-8")
    assert detect_ticket_file(path, sample) is expected


def test_detect_ticket_file_on_a_truncated_gbk_sample(tmp_path):
    data = "工单号,角色,内容\n".encode("gbk") + "T1,用户,屏幕坏了\n".encode("gbk") * 100
    assert detect_ticket_file(tmp_path / "x.csv", data[:37])


# -- real data ---------------------------------------------------------------------------------
@pytest.fixture
def jddc() -> Path:
    if not JDDC.is_dir():
        pytest.skip(f"real data not found at {JDDC} (../shared/data beside the repo)")
    return JDDC


@pytest.mark.realdata
def test_jddc_chat_sample_every_row_accounted_for(jddc):
    path = jddc / "jddc_chat_sample.csv"
    assert detect_ticket_file(path, path.read_bytes()[: 1 << 16])
    tickets, rejects = split(read_tickets(path))
    assert len(tickets) == 994
    assert sum(len(t.turns) for t in tickets) + len(rejects) == 12_136
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    first = tickets[0]
    expected = [("agent" if r["waiter_send"] == "1" else "customer", r["content"].strip())
                for r in rows if r["session_id"] == first.external_id]
    assert speakers_texts(first) == expected
    with_words = sum(1 for t in tickets if customer_text(t.turns))
    assert with_words >= 950
    assert all("[链接x]" not in customer_text(t.turns) for t in tickets)


@pytest.mark.realdata
def test_jddc_dev_sessions(jddc):
    path = jddc / "jddc2019_dev_sessions.jsonl"
    assert detect_ticket_file(path, path.read_bytes()[: 1 << 16])
    tickets, rejects = split(read_tickets(path))
    assert (len(tickets), rejects) == (52, [])
    # p_47 is a transfer request answered by an advert: no customer words, still a ticket.
    assert [t.external_id for t in tickets if not customer_text(t.turns)] == ["p_47"]
    assert all("<sep>" not in u.text and "!@@@!" not in u.text and u.text != "NULL" for t in tickets for u in t.turns)
    dev = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    customer_said = [q["question"] for d in dev for q in d["questions"]]
    customer_said += [c["text"] for d in dev for c in d["context"] if c["role"] == "Q"]
    customer_turns = sum(1 for t in tickets for u in t.turns if u.speaker == "customer")
    assert customer_turns == sum(1 for text in customer_said if text.strip() != "NULL") == 508


def test_banner_lines_separate_tickets_and_keep_their_title():
    from voc.io.transcripts import read_transcript_text

    text = ("=== 会话 T-1001 2026-11-20 小新Pro14 ===\n"
            "[2026-11-20 10:02:00] 客服小京：您好，请问有什么可以帮您？\n"
            "[2026-11-20 10:02:30] 顾客：电脑充电的时候冒烟了\n"
            "=== 会话 T-1002 2026-11-21 ===\n"
            "[2026-11-21 09:00:20] 顾客：我的订单今天能送到吗？\n"
            "[2026-11-21 09:01:00] 客服小京：帮您查询一下\n")
    tickets = list(read_transcript_text(text, "chat"))
    assert len(tickets) == 2
    assert [t.extra["preamble"] for t in tickets] == ["=== 会话 T-1001 2026-11-20 小新Pro14 ===",
                                                      "=== 会话 T-1002 2026-11-21 ==="]
    assert [[turn.speaker for turn in t.turns] for t in tickets] == [["agent", "customer"], ["customer", "agent"]]
    # a plain separator still separates, and a line of only '=' holds no title
    plain = list(read_transcript_text(text.replace("=== 会话 T-1002 2026-11-21 ===", "======"), "chat"))
    assert len(plain) == 2 and "preamble" not in plain[1].extra
