"""Chat exports as shops write them: agents with a name or a shop, lines that start with a
bracketed time, a ticket whose product is only in its text, and a safety question that
the customer answers with a denial."""

from __future__ import annotations

import pytest

from voc.analysis.safety import SafetyDetector
from voc.io.ingest import ingest_paths
from voc.io.transcripts import match_turn
from voc.store import open_store


def chat_file(path, *lines: str):
    """A plain-text chat export of these lines (UTF-8), for ingest."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("line,role,text", [
    ("客服小京：您好", "agent", "您好"),
    ("京东客服小美：请问有什么可以帮您", "agent", "请问有什么可以帮您"),
    ("【官方旗舰店】客服：亲，在的", "agent", "亲，在的"),
    ("小米客服Amy: hello", "agent", "hello"),
    ("售后-王工：已登记", "agent", "已登记"),
    ("[2026-11-10 10:02:00] 客服小京：您好", "agent", "您好"),
    ("用户：手机冒烟了", "customer", "手机冒烟了"),
])
def test_named_agents_are_agents(line, role, text):
    got = match_turn(line)
    assert got is not None and got[:2] == (role, text)


@pytest.mark.parametrize("line", ["当时客服说：不能退", "我跟客服讲：算了", "客服的态度：很差"])
def test_a_sentence_about_the_agent_is_not_an_agent_turn(line):
    assert match_turn(line) is None


def test_a_bracketed_time_chat_is_a_transcript_and_the_agent_words_are_not_the_customers(tmp_path):
    chat = chat_file(tmp_path / "chat.txt",
                     "[2026-11-10 10:02:00] 客服小京：您好，很高兴为您服务",
                     "[2026-11-10 10:02:30] 用户：我的拯救者Y9000P充电的时候冒烟了",
                     "[2026-11-10 10:03:10] 客服小京：非常抱歉给您带来不便",
                     "[2026-11-10 10:03:40] 用户：不敢用了，要求换新")
    with open_store(tmp_path / "v.db") as store:
        res = ingest_paths(store, [chat])
        assert (res.files[0].kind, res.total("stored"), res.total("rejected")) == ("tickets", 1, 0)
        (rec,) = store.conn.execute("SELECT text, product, created_at FROM records").fetchall()
        assert rec[0] == "我的拯救者Y9000P充电的时候冒烟了\n不敢用了，要求换新"  # no agent words
        assert rec[1] == "Y9000P"  # named in the text, no product header
        assert rec[2] == "2026-11-10 10:02:00"
        speakers = [r[0] for r in store.conn.execute("SELECT speaker FROM turns ORDER BY seq")]
        assert speakers == ["agent", "customer", "agent", "customer"]
        assert not res.files[0].warnings


def test_a_ticket_whose_customer_names_no_model_takes_the_banners_or_the_agents(tmp_path):
    chat = chat_file(tmp_path / "chat.txt",
                     "=== 会话 T-1001 小新Pro14 2026-11-20 ===",
                     "[2026-11-20 10:00:01] 客户：电脑充电的时候冒烟了",
                     "[2026-11-20 10:00:30] 客服小京：您好，请问是什么情况",
                     "=== 会话 T-1002 2026-11-21 ===",
                     "[2026-11-21 09:00:00] 客户：风扇声音很大",
                     "[2026-11-21 09:00:10] 客服小京：请问您的拯救者Y9000P是哪一年买的",
                     "=== 会话 T-1003 2026-11-22 ===",
                     "[2026-11-22 09:00:00] 客户：什么时候发货",
                     "[2026-11-22 09:00:10] 客服小京：亲，明天发货")
    with open_store(tmp_path / "v.db") as store:
        ingest_paths(store, [chat])
        got = dict(store.conn.execute("SELECT external_id, product FROM records").fetchall())
    assert got == {"T-1001": "小新Pro14", "T-1002": "Y9000P", "T-1003": None}


def test_a_transcript_with_no_agent_recognised_is_warned_of(tmp_path):
    chat = chat_file(tmp_path / "odd.txt", "工单号: T1  时间: 2026-11-10 10:00", "用户：你好", "用户：手机坏了")
    with open_store(tmp_path / "v.db") as store:
        res = ingest_paths(store, [chat])
    (warning,) = res.files[0].warnings
    assert "no agent turn recognised" in warning and "T1" in warning


def test_speakers_shown_by_nickname_take_the_role_no_label_holds(tmp_path):
    """Platforms show the buyer by account name (jd_7f3a2b：) beside a recognised agent
    (店小二：): those turns are the customer's, not lost as the agent's."""
    chat = chat_file(tmp_path / "shop.txt",
                     "[2026-11-12 10:00:00] jd_7f3a2b：你好，我的笔记本屏幕闪烁",
                     "[2026-11-12 10:00:30] 店小二：亲，请问是什么时候买的呢？",
                     "[2026-11-12 10:01:00] jd_7f3a2b：上周买的，开机就闪",
                     "",
                     "[2026-11-13 11:00:00] 买家：手机电池一天要充三次",
                     "[2026-11-13 11:00:20] Amy_2：您好，建议您先升级系统试试")
    with open_store(tmp_path / "v.db") as store:
        res = ingest_paths(store, [chat])
        assert res.total("stored") == 2 and not res.files[0].warnings
        texts = [r[0] for r in store.conn.execute("SELECT text FROM records ORDER BY created_at")]
        assert texts == ["你好，我的笔记本屏幕闪烁\n上周买的，开机就闪", "手机电池一天要充三次"]
    # a third speaker beside a recognised customer and agent: read as the customer's, and warned of
    third = chat_file(tmp_path / "three.txt", "[2026-11-14 09:00:00] 用户：电池鼓包了",
                      "[2026-11-14 09:00:10] 客服：请提供订单号", "[2026-11-14 09:00:20] 小明：我是他同事")
    with open_store(tmp_path / "w.db") as store:
        (warning,) = ingest_paths(store, [third]).files[0].warnings
    assert "shown by name only" in warning and "three#1" in warning
    assert match_turn("[10:02] 小明：电池鼓包了")[:2] == ("nickname", "电池鼓包了")
    assert match_turn("小明：电池鼓包了") is None  # no time before it: ordinary text may hold a colon
    assert match_turn("[10:02] 当时客服说：不能退") is None


def test_a_chat_with_no_customer_recognised_is_warned_of_and_kept_in_the_rejects(tmp_path):
    chat = chat_file(tmp_path / "agents.txt",
                     "[2026-11-12 10:00:00] 客服：您好，手机号13812345678的订单",
                     "[2026-11-12 10:00:30] 店小二：亲，在吗")
    rejects = tmp_path / "rej.csv"
    with open_store(tmp_path / "v.db") as store:
        res = ingest_paths(store, [chat], rejects_path=rejects)
    assert res.total("filtered") == 1
    (warning,) = res.files[0].warnings
    assert "no customer turn recognised" in warning and "agents#1" in warning
    kept = rejects.read_text(encoding="utf-8-sig")
    assert "亲，在吗" in kept and "13812345678" not in kept  # the words, masked


@pytest.fixture(scope="module")
def detector() -> SafetyDetector:
    return SafetyDetector.from_lexicons()


@pytest.mark.parametrize("text,category", [
    ("电池鼓包了？没有，是我看错了，一切正常", None),
    ("后盖鼓起来了？是我看错了", None),
    ("冒烟了？没有。", None),
    ("电池鼓包了？！吓死我了", "swelling"),  # surprise, not a question answered no
    ("电池鼓包了？不是吧，真的鼓了", "swelling"),  # disbelief is no denial
    ("充电时冒烟了？我赶紧拔了", "smoke"),
    # taken back as a mistake further on, after more words or in the next turn
    ("电池鼓包了？我看后盖好像有点翘起来\n没有，是我看错了，是保护壳没装好", None),
    ("电池鼓包了？我看后盖好像有点翘起来。搞错了，是保护壳", None),
    # a mistake only feared or doubted takes nothing back
    ("电池鼓包了？我还以为是我看错了，结果真的鼓起来了", "swelling"),
    ("充电的时候冒烟了？是不是我看错了", "smoke"),
    ("充电的时候冒烟了？不是我看错了，真的冒烟", "smoke"),
])
def test_a_safety_question_answered_with_a_denial_is_no_report(detector, text, category):
    hit = detector.detect(text)
    assert (hit.category if hit else None) == category


def test_a_findings_quote_names_the_ticket_it_comes_from(tmp_path):
    """Whoever handles a P0 finds the ticket: its quotes carry the ticket's own id (the
    banner's T-1001) in the JSON, the markdown, the console and the owner's sheet."""
    import json

    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from voc.cli import app

    chat = chat_file(tmp_path / "chat.txt",
                     "=== 会话 T-1001 小新Pro14 2026-11-20 ===",
                     "[2026-11-20 10:00:01] 客户：电脑充电的时候冒烟了，电池鼓包了",
                     "[2026-11-20 10:00:30] 客服小京：您好，请问是什么情况")
    db = str(tmp_path / "v.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--db", db, str(chat), "-q"]).exit_code == 0
    assert runner.invoke(app, ["analyze", "--db", db, "-q", "--no-adapt"]).exit_code == 0
    week = ["--db", db, "--week", "2026-W47"]
    out = runner.invoke(app, ["report", *week, "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    # smoke and a swollen battery: two hazards, a P0 finding each, each quoting the ticket
    assert sorted(f["hazard"] for f in report["findings"]) == ["smoke", "swelling"]
    assert [q["source"] for q in report["quotes"]] == ["T-1001", "T-1001"]
    assert report["volume"]["safety"] == 1  # one report
    md, xlsx = tmp_path / "r.md", tmp_path / "r.xlsx"
    assert runner.invoke(app, ["report", *week, "--markdown", str(md), "--xlsx", str(xlsx), "-q"]).exit_code == 0
    assert "(T-1001)" in md.read_text(encoding="utf-8")
    assert "T-1001" in runner.invoke(app, ["report", *week]).stdout
    cells = [c for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows(values_only=True) for c in row
             if isinstance(c, str) and "冒烟" in c]
    assert any("（T-1001）" in c for c in cells)


def test_handles_speaking_without_a_time_beside_a_named_agent_are_the_customer():
    """A chat copied without times, the agent named (客服小京：) and the customer shown by a
    handle (数码达人2024：, Lucy_88：): the handle's lines are the customer's turns (the ticket
    used to be dropped as having no customer words). A header line (型号：…) is no speaker,
    and where a customer is labelled, a handle without a time stays part of a turn."""
    from voc.io.tickets import Ticket
    from voc.io.transcripts import read_transcript_text

    text = ("客服小京：您好，请问有什么可以帮您？\n数码达人2024：我的小新Pro14屏幕一直闪\n型号：小新Pro14\n"
            "客服小京：帮您申请换货\n\n客服小京：您好\nLucy_88：电池鼓包了\n")
    a, b = read_transcript_text(text, "chats")
    assert isinstance(a, Ticket) and isinstance(b, Ticket)
    assert [(t.speaker, t.text) for t in a.turns] == [
        ("agent", "您好，请问有什么可以帮您？"), ("customer", "我的小新Pro14屏幕一直闪\n型号：小新Pro14"), ("agent", "帮您申请换货")]
    assert [t.speaker for t in b.turns] == ["agent", "customer"]
    (c,) = read_transcript_text("用户：屏幕坏了\nLucy_88：这是我的账号\n客服：好的\n", "labelled")
    assert [t.speaker for t in c.turns] == ["customer", "agent"]
