"""Ticket transcripts: JSONL tickets, turn-level CSV/TSV and plain-text transcripts.

``read_tickets(path)`` yields one :class:`Ticket` per ticket, or a :class:`TicketReject`
(with its 1-based line number and a reason) for input that cannot become a ticket: a
JSONL line that is not JSON or has no turns, a CSV row without ticket id, speaker or
text, a plain-text block without speaker-prefixed turns. Nothing is dropped silently:
every JSONL line, every CSV row and every non-blank text block ends up in a ticket or a
reject. Personal data is *not* masked here; the store writer does that.

``customer_text(turns)`` is the text that gets analysed: the customer's turns in order,
without placeholders (``[图片]``, ``#E-s57``, links) and without filler-only lines
("你好", "好的，谢谢", "转人工"). The JDDC placeholders that stand for masked data
(``[订单x]``, ``[数字x]`` …) are kept: they carry meaning.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from voc.errors import InputError
from voc.io.columns import norm_header
from voc.io.dates import parse_datetime
from voc.io.values import ValueProblem, parse_nps

__all__ = [
    "Turn", "Ticket", "TicketReject", "read_tickets", "detect_ticket_file",
    "customer_text", "customer_words", "is_customer_words", "normalize_speaker",
]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

CUSTOMER, AGENT, SYSTEM = "customer", "agent", "system"
FORMATS = ("jsonl", "json", "csv", "tsv", "txt")
_RAW_MAX = 2000


# -- the model ---------------------------------------------------------------------
@dataclass(slots=True)
class Turn:
    """One speaker turn; ``seq`` is 1-based and consecutive within its ticket."""

    seq: int
    speaker: str  # 'customer' | 'agent' | 'system'
    text: str
    created_at: str | None = None


@dataclass
class Ticket:
    """One ticket (chat, call or e-mail thread); ``source_row`` is its first line in the file."""

    external_id: str
    created_at: str | None
    channel: str | None
    product: str | None
    csat: float | None
    nps_score: int | None
    turns: list[Turn]
    source_row: int
    extra: dict = field(default_factory=dict)


@dataclass
class TicketReject:
    """Input that could not become a ticket: where it was, why, and the raw text (unmasked)."""

    source_row: int
    reason: str
    raw: str


# -- speakers ------------------------------------------------------------------------
_SPEAKER_LABELS: dict[str, tuple[str, ...]] = {
    CUSTOMER: (
        "customer", "user", "client", "buyer", "visitor", "guest", "consumer", "caller", "human",
        "q", "question", "0", "cust",
        "用户", "客户", "顾客", "买家", "访客", "会员", "消费者", "来电人", "来电客户", "问", "咨询者",
    ),
    AGENT: (
        "agent", "waiter", "staff", "service", "support", "assistant", "operator", "seller",
        "merchant", "bot", "robot", "gpt", "kefu", "a", "answer", "1",
        "客服", "坐席", "人工客服", "在线客服", "智能客服", "售后", "售后客服", "工程师", "技术支持",
        "商家", "卖家", "店家", "机器人", "客户经理", "话务员", "接线员", "答", "小二",
    ),
    SYSTEM: ("system", "sys", "notice", "系统", "系统消息", "系统提示", "通知"),
}
SPEAKERS: dict[str, str] = {
    norm_header(label): role for role, labels in _SPEAKER_LABELS.items() for label in labels
}
_AGENT_FLAG = {"1": AGENT, "1.0": AGENT, "true": AGENT, "是": AGENT, "y": AGENT, "yes": AGENT,
               "0": CUSTOMER, "0.0": CUSTOMER, "false": CUSTOMER, "否": CUSTOMER, "n": CUSTOMER, "no": CUSTOMER}


def normalize_speaker(value: object) -> str | None:
    """'用户', 'Q', 'user', 0 -> 'customer'; '客服', 'A', 'waiter', 1 -> 'agent'; '系统' -> 'system'."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return SPEAKERS.get(norm_header(value))


# -- small value helpers ------------------------------------------------------------------
_NULLS = {"", "nan", "none", "null", "nat", "n/a", "na", "-", "--", "无"}
_TEXT_NULLS = {"", "nan", "NaN", "NULL", "null", "None"}  # what exports write for a missing text


def _blank(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    return isinstance(v, str) and v.strip().lower() in _NULLS


def _cell(v: object) -> str | None:
    """A metadata value as text, or None for blanks ('nan', 'NULL', '-')."""
    if _blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v).strip()


_CSAT_WORDS = {"非常满意": 5.0, "很满意": 5.0, "满意": 4.0, "一般": 3.0, "基本满意": 3.0,
               "不满意": 2.0, "非常不满意": 1.0, "很不满意": 1.0}
_SCORE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:分|星|颗星)?\s*$")


def parse_csat(v: object) -> float | None:
    """Satisfaction 1–5 ("4", 4.5, "4分", "满意"); blank -> None; anything else ValueProblem."""
    if _blank(v):
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        x: float | None = float(v)
    else:
        s = str(v).strip()
        x = _CSAT_WORDS.get(s)
        if x is None:
            m = _SCORE.match(s)
            x = float(m.group(1)) if m else None
    if x is None or not 1 <= x <= 5:
        raise ValueProblem(f"satisfaction '{str(v).strip()[:20]}' is not a score 1–5")
    return x


def _set_scores(ticket: Ticket, csat: object, nps: object) -> None:
    """Parse CSAT/NPS into the ticket; an invalid score is kept in ``extra``, not a reject."""
    try:
        ticket.csat = parse_csat(csat)
    except ValueProblem:
        ticket.extra["invalid_csat"] = str(csat)
    try:
        ticket.nps_score = parse_nps(None if _blank(nps) else nps)
    except ValueProblem:
        ticket.extra["invalid_nps_score"] = str(nps)


def _set_created(ticket: Ticket, value: object) -> None:
    """The ticket's own time if it parses, else the earliest turn time (raw value kept)."""
    created = parse_datetime(value) if not _blank(value) else None
    if created is None and not _blank(value):
        ticket.extra["created_at_raw"] = str(value)
    if created is None:
        times = [t.created_at for t in ticket.turns if t.created_at]
        created = min(times) if times else None
    ticket.created_at = created


def clean_turn_text(text: str, speaker: str) -> str:
    """Turn text as stored: JDDC's ``!@@@!`` message separator becomes a line break; for
    agent turns only the first ``<sep>`` alternative is kept; ``NULL`` means no reply."""
    if "<sep>" in text and speaker != CUSTOMER:
        text = text.split("<sep>", 1)[0]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "!@@@!" in text:
        text = "\n".join(p.strip() for p in text.split("!@@@!") if p.strip())
    text = text.strip()
    return "" if text == "NULL" else text


# -- customer words ----------------------------------------------------------------------
_PLACEHOLDER = re.compile(
    r"[\[【](?:图片|表情|动画表情|语音|视频|文件|链接|商品链接|卡片|位置|红包|小程序)x?[\]】]"
    r"|#E-[A-Za-z]+(?:\[数字x\]|\d+)"
    r"|顾客通过点击\S{0,20}?信息发送[:：]?"
    r"|(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%\[\]]+",
    re.I,
)
_FILLER_WORDS = sorted(
    {
        "你好", "您好", "你好啊", "hi", "hello", "哈喽", "嗨", "早上好", "下午好", "晚上好", "亲", "亲亲",
        "在吗", "在么", "在嘛", "在不在", "在", "有人吗", "人呢",
        "好的", "好", "好吧", "好滴", "好哒", "好嘞", "好了", "好的呢", "行", "行吧", "可以", "ok", "okay",
        "嗯", "嗯嗯", "恩", "恩恩", "哦", "哦哦", "噢", "喔", "嗯呢", "哦了", "对", "对的", "是", "是的",
        "谢谢", "谢谢你", "谢谢您", "谢谢啦", "谢了", "谢啦", "多谢", "感谢", "非常感谢", "thanks", "thx",
        "多谢您", "感谢您", "谢谢你们", "谢谢亲", "麻烦了", "麻烦你了", "麻烦您了", "辛苦您了", "辛苦了", "辛苦", "拜拜", "再见", "bye", "哈哈", "呵呵",
        "没有了", "没了", "没有啦", "没啦", "没", "没有", "木有了", "暂时没有了", "暂时没有", "没事了", "没事",
        "不用了", "不用啦", "不用", "知道了", "可以的", "那好吧", "十分感谢", "打扰了", "打扰啦", "en", "haode",
        "明白了", "明白", "了解", "了解了", "收到", "清楚了",
        "人工", "人工客服", "转人工", "转人工客服", "我要转人工", "转人工服务", "用户发起转人工", "人工服务", "客服",
        "很高兴为您服务", "请问还有什么可以帮您", "感谢您的耐心等待",
        "👌", "👍", "🙏", "😊", "🙂",
    },
    key=len,
    reverse=True,
)
_FILLER_SET = {w.lower() for w in _FILLER_WORDS}
_FILLER = re.compile(
    "|".join(re.escape(w) for w in _FILLER_WORDS)
    + r"|[\s,，。.!！?？~～、;；…:：\-—'\"“”‘’()（）\U0001F3FB-\U0001F3FF]+|[啊呀呢吧啦哈嘛哟了额]",
    re.I,
)


_NEGATIONS = {"没", "没有", "没了", "没有了", "没啦", "没有啦", "木有了", "暂时没有", "暂时没有了", "没事", "没事了",
              "不用", "不用了", "不用啦"}
_THANKS = {w for w in _FILLER_WORDS if "谢" in w or "感谢" in w or "麻烦" in w or "辛苦" in w or "打扰" in w}


def _filler_only(line: str) -> bool:
    """True if the line is nothing but greetings, thanks, acknowledgements and punctuation.

    A negation directly followed by another filler word says something ("没收到",
    "没有了解", "不用人工"), so such a line is not filler; "没有了谢谢" is.
    """
    if len(line) > 40:
        return False
    pos = 0
    prev = ""
    while pos < len(line):
        m = _FILLER.match(line, pos)
        if m is None or m.end() == pos:
            return False
        word = m.group().lower()
        if prev in _NEGATIONS and word in _FILLER_SET and word not in _THANKS and word not in _NEGATIONS:
            return False
        prev = word
        pos = m.end()
    return True


def customer_words(text: str) -> str:
    """One customer turn's words: placeholders and links removed, filler-only lines dropped."""
    if not text:
        return ""
    text = _PLACEHOLDER.sub(" ", text)
    lines = (re.sub(r"[ \t\u3000]{2,}", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line and not _filler_only(line))


def is_customer_words(turn: Turn) -> bool:
    """True for a customer turn that still says something once placeholders and filler are gone."""
    return turn.speaker == CUSTOMER and bool(customer_words(turn.text))


def customer_text(turns: Iterable[Turn]) -> str:
    """The customer's words of a ticket, turns in order, joined with line breaks."""
    parts = (customer_words(t.text) for t in turns if t.speaker == CUSTOMER)
    return "\n".join(p for p in parts if p)


# -- decoding and format ---------------------------------------------------------------------
def _decode(data: bytes, path: Path, encoding: str | None) -> str:
    """Explicit encoding, else UTF-8 (BOM or not) tried strictly on all bytes, else GB18030."""
    if encoding:
        try:
            enc = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"--encoding '{encoding}' is not a known encoding") from None
        if enc in {"gbk", "gb2312"}:
            enc = "gb18030"
        candidates = [enc]
    else:
        from voc.io.readers import sniff_encoding

        sniffed = sniff_encoding(data[: 1 << 16])
        candidates = [sniffed] if sniffed and sniffed.startswith("utf-16") else ["utf-8-sig", "gb18030"]
    for enc in candidates:
        try:
            return data.decode(enc).lstrip("\ufeff")
        except UnicodeDecodeError as e:
            err = e
    tried = " or ".join(candidates)
    raise InputError(f"{path}: cannot decode as {tried} ({err.reason}); pass --encoding if you know it")


_JSON_START = re.compile(r"\s*(?:\{|\[\s*(?:[{\"\]]|$))")


def _looks_json(text: str) -> bool:
    """JSON starts with ``{`` or an array of objects or strings; a chat export whose lines
    start with a bracketed time (``[2026-11-10 10:02:00] 客服小京：…``) does not."""
    return _JSON_START.match(text) is not None


def _sample_text(sample: bytes | str) -> str:
    if isinstance(sample, str):
        return sample.lstrip("\ufeff")
    from voc.io.readers import sample_text

    return sample_text(sample)


def _guess_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffix == ".tsv":
        return "tsv"
    if suffix == ".csv":
        return "csv"
    if _looks_json(text):
        return "jsonl"
    first = (text.splitlines() or [""])[0]
    delim = _delimiter(first)
    if delim and _turn_columns(next(csv.reader([first], delimiter=delim)))[1]:
        return "tsv" if delim == "\t" else "csv"
    return "txt"


def read_tickets(
    path: str | Path, *, fmt: str | None = None, encoding: str | None = None
) -> Iterator[Ticket | TicketReject]:
    """Tickets and rejects of one transcript file, in file order (by ``source_row``).

    ``fmt`` is 'jsonl' (also a JSON array), 'csv', 'tsv' or 'txt'; None decides by the
    file extension, then by content. Raises :class:`InputError` for a file that cannot be
    read or decoded, or a CSV without ticket-id, speaker and text columns.
    """
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"ticket format '{fmt}' is not one of {', '.join(FORMATS)}")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    text = _decode(data, path, encoding)
    fmt = fmt or _guess_format(path, text)
    if fmt in {"jsonl", "json"}:
        return _read_json(text, path)
    if fmt in {"csv", "tsv"}:
        return _read_turn_csv(text, path, "\t" if fmt == "tsv" else None)
    from voc.io.transcripts import read_transcript_text

    return read_transcript_text(text, path.stem)


def detect_ticket_file(path: str | Path, sample: bytes | str) -> bool:
    """Does this file (its first bytes) hold tickets rather than reviews?

    True for JSON(L) objects with a turns list (or a transcript string), a CSV/TSV header
    with ticket-id, speaker (or a 0/1 agent flag) and text columns, or text whose lines
    carry speaker prefixes (``用户：``, ``客服:``, ``Q:``/``A:``).
    """
    text = _sample_text(sample)
    stripped = text.lstrip()
    if not stripped:
        return False
    if _looks_json(stripped):
        return _json_sample_has_tickets(stripped)
    first = (stripped.splitlines() or [""])[0]
    delim = _delimiter(first)
    if delim and _turn_columns(next(csv.reader([first], delimiter=delim)))[1]:
        return True
    if Path(path).suffix.lower() in {".csv", ".tsv", ".xlsx", ".xlsm"}:
        return False
    from voc.io.transcripts import looks_like_transcript

    return looks_like_transcript(text)


def _json_sample_has_tickets(text: str) -> bool:
    lines = text.split("\n")
    candidates: list[object] = []
    if text[0] == "[":
        try:
            doc = json.loads(text)
            candidates = doc[:20] if isinstance(doc, list) else []
        except json.JSONDecodeError:
            return bool(re.search(r'"(?:turns|messages|dialog|dialogue|context|conversation)"\s*:\s*\[', text))
    else:
        for line in lines[:-1] if len(lines) > 1 else lines:
            try:
                candidates.append(json.loads(line))
            except json.JSONDecodeError:
                continue
            if len(candidates) >= 20:
                break
    return any(isinstance(o, dict) and _turns_value(o)[0] is not None for o in candidates)


# -- JSONL ------------------------------------------------------------------------------------
_TICKET_KEYS: dict[str, tuple[str, ...]] = {
    "external_id": ("ticket_id", "ticketid", "ticket_no", "ticket", "工单号", "工单编号", "工单id", "session_id",
                    "会话id", "会话编号", "conversation_id", "dialog_id", "dialogue_id", "chat_id", "case_id", "id", "编号"),
    "created_at": ("created_at", "created", "create_time", "创建时间", "start_time", "开始时间", "time", "时间",
                   "date", "日期", "datetime", "timestamp"),
    "channel": ("channel", "渠道", "source", "来源", "platform", "平台"),
    "product": ("product", "model", "sku", "产品", "型号", "机型", "商品", "product_name", "商品名称", "sku_id",
                "item"),
    "csat": ("csat", "满意度", "satisfaction", "csat_score", "满意度评分"),
    "nps_score": ("nps", "nps_score", "推荐意愿", "推荐度", "推荐分"),
}
_TURNS_KEYS = ("turns", "messages", "dialog", "dialogue", "context", "conversation", "conversations",
               "utterances", "history", "对话", "消息", "对话内容")
_TRANSCRIPT_KEYS = ("transcript", "对话记录", "聊天记录", "通话记录")
_TURN_KEYS: dict[str, tuple[str, ...]] = {
    "speaker": ("speaker", "role", "from", "sender", "who", "author", "speaker_role", "speaker_type",
                "发送方", "发送者", "角色", "说话人", "身份"),
    "flag": ("waiter_send", "is_agent", "agent_send", "is_staff", "from_agent", "是否客服", "是否客服发送"),
    "text": ("text", "content", "msg", "message", "utterance", "body", "value", "内容", "消息", "消息内容", "文本"),
    "time": ("time", "created_at", "timestamp", "datetime", "send_time", "msg_time", "date", "时间",
             "发送时间", "消息时间", "日期"),
}


_TABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "ticket": {**_TICKET_KEYS, "turns": _TURNS_KEYS, "transcript": _TRANSCRIPT_KEYS, "questions": ("questions",)},
    "turn": _TURN_KEYS,
}


@lru_cache(maxsize=512)
def _resolve(keys: tuple[str, ...], table: str) -> dict[str, tuple[str, ...]]:
    """{field: the keys present that may hold it, best first}; objects repeat their key sets."""
    index: dict[str, str] = {}
    for k in keys:
        index.setdefault(norm_header(k), k)
    out: dict[str, tuple[str, ...]] = {}
    for f, aliases in _TABLES[table].items():
        found = dict.fromkeys(index[a] for a in map(norm_header, aliases) if a in index)
        out[f] = tuple(found)
    return out


def _turns_value(obj: dict) -> tuple[str | None, object]:
    """(key, value) of the turns list or transcript string of a ticket object, else (None, None)."""
    keys = _resolve(tuple(obj), "ticket")
    for k in keys["turns"]:
        if isinstance(obj[k], list):
            return k, obj[k]
    for k in keys["transcript"]:
        if isinstance(obj[k], str):
            return k, obj[k]
    return None, None


def _read_json(text: str, path: Path) -> Iterator[Ticket | TicketReject]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError:
            doc = None
        if isinstance(doc, list):
            for i, obj in enumerate(doc, start=1):
                yield _ticket_from_obj(obj, i, path, json.dumps(obj, ensure_ascii=False)[:_RAW_MAX])
            return
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        raw = line.strip()[:_RAW_MAX]
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield TicketReject(lineno, f"not valid JSON ({e.msg} at column {e.colno})", raw)
            continue
        yield _ticket_from_obj(obj, lineno, path, raw)


def _ticket_from_obj(obj: object, row: int, path: Path, raw: str) -> Ticket | TicketReject:
    if not isinstance(obj, dict):
        return TicketReject(row, "a JSON value that is not a ticket object", raw)
    turns_key, turns_val = _turns_value(obj)
    if turns_key is None:
        return TicketReject(row, "no turns (expected a turns/messages/dialog/context list)", raw)
    found = _resolve(tuple(obj), "ticket")
    keys = {f: (found[f][0] if found[f] else None) for f in _TICKET_KEYS}
    used = {k for k in keys.values() if k is not None} | {turns_key}
    ext = _cell(obj[keys["external_id"]]) if keys["external_id"] else None
    ticket = Ticket(
        external_id=ext or f"{path.stem}#{row}", created_at=None,
        channel=_cell(obj[keys["channel"]]) if keys["channel"] else None,
        product=_cell(obj[keys["product"]]) if keys["product"] else None,
        csat=None, nps_score=None, turns=[], source_row=row, extra={},
    )
    if isinstance(turns_val, str):
        from voc.io.transcripts import parse_turn_lines

        turns, preamble, empty = parse_turn_lines(turns_val.split("\n"), date_hint=None)
        if preamble:
            ticket.extra["preamble"] = preamble
        if empty:
            ticket.extra["empty_turns"] = empty
        if not turns:
            return TicketReject(row, f"no speaker-prefixed turns in '{turns_key}'", raw)
        ticket.turns = turns
    elif isinstance(turns_val, list):
        problem = _add_json_turns(ticket, turns_val)
        if problem:
            return TicketReject(row, problem, raw)
    q_key = keys_q[0] if (keys_q := found["questions"]) else None
    if q_key is not None and isinstance(obj[q_key], list):  # JDDC dev shape
        problem = _add_jddc_questions(ticket, obj[q_key])
        if problem:
            return TicketReject(row, problem, raw)
        used.add(q_key)
    for k, v in obj.items():
        if k not in used and not _blank(v):
            ticket.extra[k] = _cell(v)
    _set_scores(ticket, obj[keys["csat"]] if keys["csat"] else None, obj[keys["nps_score"]] if keys["nps_score"] else None)
    _set_created(ticket, obj[keys["created_at"]] if keys["created_at"] else None)
    return ticket


def _append(ticket: Ticket, speaker: str, text: str, created: str | None) -> None:
    text = clean_turn_text(text, speaker)
    if text:
        ticket.turns.append(Turn(len(ticket.turns) + 1, speaker, text, created))
    else:
        ticket.extra["empty_turns"] = ticket.extra.get("empty_turns", 0) + 1


def _add_json_turns(ticket: Ticket, turns: list) -> str | None:
    """Append the turns of a JSON list; returns a reject reason or None."""
    for i, t in enumerate(turns, start=1):
        if isinstance(t, str):
            from voc.io.transcripts import match_turn

            hit = match_turn(t)
            if hit is None:
                return f"turn {i}: a text without a speaker prefix"
            _append(ticket, hit[0], hit[1], parse_datetime(hit[2]) if hit[2] else None)
            continue
        if not isinstance(t, dict):
            return f"turn {i}: not an object"
        k = {f: (ks[0] if ks else None) for f, ks in _resolve(tuple(t), "turn").items()}
        speaker = _speaker_label(t[k["speaker"]]) if k["speaker"] else None
        if speaker is None and k["flag"]:
            speaker = _AGENT_FLAG.get(str(t[k["flag"]]).strip().lower())
        if speaker is None:
            label = t[k["speaker"]] if k["speaker"] else t.get(k["flag"]) if k["flag"] else None
            return f"turn {i}: unknown speaker '{label}'" if label is not None else f"turn {i}: no speaker"
        if k["text"] is None:
            return f"turn {i}: no text"
        value = t[k["text"]]
        text = "" if value is None else value if isinstance(value, str) else _cell(value) or ""
        _append(ticket, speaker, text, _cached_datetime(t[k["time"]]) if k["time"] else None)
    return None


def _speaker_label(value: object) -> str | None:
    return _speaker_str(value) if isinstance(value, str) else normalize_speaker(value)


@lru_cache(maxsize=1024)
def _speaker_str(value: str) -> str | None:
    return normalize_speaker(value)


def _cached_datetime(value: object) -> str | None:
    return _datetime_str(value) if isinstance(value, str) else parse_datetime(value)


@lru_cache(maxsize=65536)
def _datetime_str(value: str) -> str | None:
    return parse_datetime(value)


def _add_jddc_questions(ticket: Ticket, questions: list) -> str | None:
    """JDDC dev sessions: each question is a customer turn; of its reference answers only the
    first non-NULL one is kept, as the agent's reply (the others are alternative references)."""
    for i, q in enumerate(questions, start=1):
        if not isinstance(q, dict) or not isinstance(q.get("question"), str):
            return f"question {i}: no question text"
        _append(ticket, CUSTOMER, q["question"], None)
        refs = q.get("reference_answers") or []
        first = next((r for r in refs if isinstance(r, str) and clean_turn_text(r, AGENT)), None)
        if first is not None:
            _append(ticket, AGENT, first, None)
    return None


# -- turn-level CSV / TSV ------------------------------------------------------------------------
_CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("ticket_id", "ticket_no", "ticket", "工单号", "工单编号", "工单id", "session_id", "session",
                    "会话id", "会话编号", "对话id", "conversation_id", "dialog_id", "dialogue_id", "chat_id",
                    "case_id", "id"),
    "seq": ("seq", "sequence", "order", "turn", "turn_id", "turn_no", "index", "idx", "msg_index", "position",
            "序号", "顺序", "轮次", "消息序号"),
    "speaker": _TURN_KEYS["speaker"],
    "flag": _TURN_KEYS["flag"],
    "text": ("text", "content", "msg", "message", "utterance", "body", "内容", "消息", "消息内容", "对话内容",
             "聊天内容", "文本"),
    "time": ("time", "timestamp", "created_at", "datetime", "send_time", "msg_time", "date", "时间", "发送时间",
             "消息时间", "日期"),
    "ticket_created_at": ("ticket_created_at", "工单创建时间", "会话开始时间", "session_start", "创建时间"),
    "product": _TICKET_KEYS["product"],
    "channel": _TICKET_KEYS["channel"],
    "user_id": ("user_id", "customer_id", "buyer_id", "用户id", "客户id", "顾客id", "user", "buyer"),
    "csat": _TICKET_KEYS["csat"],
    "nps_score": _TICKET_KEYS["nps_score"],
}
_META = ("ticket_created_at", "product", "channel", "user_id", "csat", "nps_score")


def _delimiter(header_line: str, forced: str | None = None) -> str | None:
    if forced:
        return forced
    counts = {d: header_line.count(d) for d in ("\t", ",", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def _turn_columns(headers: list[str]) -> tuple[dict[str, int], bool]:
    """({field: column index}, whether the header describes one turn per row)."""
    normed: dict[str, int] = {}
    for i, h in enumerate(headers):
        normed.setdefault(norm_header(h), i)
    cols: dict[str, int] = {}
    taken: set[int] = set()
    for f, aliases in _CSV_COLUMNS.items():
        for alias in aliases:
            j = normed.get(norm_header(alias))
            if j is not None and j not in taken:
                cols[f] = j
                taken.add(j)
                break
    ok = "external_id" in cols and "text" in cols and ("speaker" in cols or "flag" in cols)
    return cols, ok


@dataclass
class _Group:
    """The rows of one ticket while the file is read."""

    first_row: int
    rows: list[tuple[float, int, str, str, str | None]] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    last: list[str] = field(default_factory=list)


_MISSING: Any = object()


def _speaker_cell(cell: str, *, flag: bool) -> tuple[str | None, str | None]:
    """(speaker, None) for a speaker label or 0/1 agent flag, else (None, reject reason)."""
    label = cell.strip()
    if not label:
        return None, "no speaker"
    if flag:
        speaker = _AGENT_FLAG.get(label.lower())
        return (speaker, None) if speaker else (None, f"speaker flag '{label[:20]}' is not 0/1")
    speaker = normalize_speaker(label)
    return (speaker, None) if speaker else (None, f"unknown speaker '{label[:20]}'")


def _read_turn_csv(text: str, path: Path, forced_delim: str | None) -> Iterator[Ticket | TicketReject]:
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise InputError(f"{path}: empty file (no header row)")
    delim = _delimiter(first, forced_delim) or ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    headers = [h.strip() for h in next(reader)]
    cols, ok = _turn_columns(headers)
    if not ok:
        raise InputError(
            f"{path}: not a turn-per-row transcript: need ticket id, speaker (or a 0/1 agent flag) and text "
            f"columns among {', '.join(headers[:12])}"
        )
    n = len(headers)
    c_id, c_text = cols["external_id"], cols["text"]
    c_spk, c_flag, c_seq, c_time = cols.get("speaker"), cols.get("flag"), cols.get("seq"), cols.get("time")
    meta_keys = [f for f in _META if f in cols] + [headers[i] for i in range(n) if i not in cols.values()]
    meta_idx = [cols[f] for f in _META if f in cols] + [i for i in range(n) if i not in cols.values()]
    groups: dict[str, _Group] = {}
    rejects: list[TicketReject] = []
    speaker_cache: dict[str, tuple[str | None, str | None]] = {}  # cell -> (speaker, reason)
    time_cache: dict[str, str | None] = {}
    prev_line = reader.line_num
    for rec in reader:
        row, prev_line = prev_line + 1, reader.line_num
        if len(rec) != n:
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue  # a blank line is not a row
            if len(rec) < n:
                rec = rec + [""] * (n - len(rec))
            elif not any(v.strip() for v in rec[n:]):
                rec = rec[:n]
            else:
                rejects.append(TicketReject(row, f"expected {n} fields, found {len(rec)}", delim.join(rec)[:_RAW_MAX]))
                continue
        tid = rec[c_id].strip()
        if c_spk is not None and (rec[c_spk].strip() or c_flag is None):
            cell = rec[c_spk]
        else:  # the 0/1 flag column, keyed apart from labels in the cache
            cell = "\x00" + rec[c_flag] if c_flag is not None else ""
        hit = speaker_cache.get(cell)
        if hit is None:
            hit = speaker_cache[cell] = _speaker_cell(cell.lstrip("\x00"), flag=cell.startswith("\x00"))
        speaker, reason = hit
        if not tid or (len(tid) <= 4 and tid.lower() in _NULLS):
            reason = "no ticket id"
        seq = float(row)
        if reason is None and c_seq is not None:
            try:
                seq = float(rec[c_seq])
            except ValueError:
                reason = f"turn order '{rec[c_seq].strip()[:20]}' is not a number"
        body = ""
        if reason is None and speaker is not None:
            body = clean_turn_text(rec[c_text], speaker)
            if body in _TEXT_NULLS:
                reason = "empty turn text"
        if reason is not None or speaker is None:
            rejects.append(TicketReject(row, reason or "no speaker", delim.join(rec)[:_RAW_MAX]))
            continue
        created = None
        if c_time is not None:
            tv = rec[c_time]
            created = time_cache.get(tv, _MISSING)
            if created is _MISSING:
                created = time_cache[tv] = parse_datetime(tv)
        g = groups.get(tid)
        if g is None:
            g = groups[tid] = _Group(row)
        g.rows.append((seq, row, speaker, body, created))
        if meta_idx:
            values = [rec[i] for i in meta_idx]
            if values != g.last:  # most tickets repeat their metadata on every row
                g.last = values
                for key, v in zip(meta_keys, values, strict=True):
                    _add_distinct(g.meta, key, v)
    tickets = (_ticket_from_group(tid, g) for tid, g in groups.items())
    yield from _merge_by_row(tickets, rejects)


def _add_distinct(meta: dict[str, list[str]], key: str, value: str) -> None:
    value = value.strip()
    if _blank(value):
        return
    vals = meta.get(key)
    if vals is None:
        meta[key] = [value]
    elif value not in vals and len(vals) < 20:
        vals.append(value)


def _ticket_from_group(tid: str, g: _Group) -> Ticket:
    g.rows.sort(key=lambda r: (r[0], r[1]))
    turns = [Turn(i, spk, body, created) for i, (_, _, spk, body, created) in enumerate(g.rows, start=1)]
    meta = g.meta
    one = {f: (meta[f][0] if meta.get(f) else None) for f in _META}
    ticket = Ticket(tid, None, one["channel"], one["product"], None, None, turns, g.first_row, {})
    for key, vals in meta.items():
        if key in _META:
            if key == "user_id":
                ticket.extra["user_id"] = vals[0]
            if len(vals) > 1:
                ticket.extra[f"{key}_values"] = "|".join(vals)
        else:
            ticket.extra[key] = "|".join(vals)
    _set_scores(ticket, one["csat"], one["nps_score"])
    _set_created(ticket, one["ticket_created_at"])
    return ticket


def _merge_by_row(tickets: Iterable[Ticket], rejects: list[TicketReject]) -> Iterator[Ticket | TicketReject]:
    items: list[Ticket | TicketReject] = [*tickets, *rejects]
    items.sort(key=lambda x: x.source_row)
    yield from items
