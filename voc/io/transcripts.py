"""Plain-text ticket transcripts: one file per ticket, or several tickets in one file.

A ticket is a run of lines: optional header lines (``工单号: T2026001  时间: 2026-10-12 14:03
产品: 小新Pro14  渠道: 电话``, also ``ticket:``/``ID:``/``日期:``), then turns that start with
a speaker prefix (``用户：``, ``客户:``, ``顾客 ``, ``客服：``, ``坐席:``, ``Q:``/``A:``,
``[客服]``, ``【用户】``, and staff with a name or a shop: ``客服小京：``, ``京东客服小美：``,
``【官方旗舰店】客服：``, ``小米客服Amy:``), optionally after or inside a timestamp
(``[10:02:33] 客服：``, ``2026-10-12 14:03:05 用户：``). A line without a prefix continues
the previous turn.

Ticket boundaries: a separator line (``----``, ``====``), or one that frames a title (``=== 会话
T-1001 2026-11-20 ===``, the title kept as the ticket's preamble and the id it names taken as
the ticket's); a header line once the current ticket has turns, if it names a ticket (``工单号:``,
``ticket:``, ``会话ID:``) or follows a blank line (a ``型号：…`` line inside a turn is the
customer's words, not a header); and, in files with neither separators nor headers, blank lines
-- unless every blank-separated block holds a single turn, which is one ticket written with
spacing. A block without any speaker-prefixed turn is a reject; lines before the first turn
that are not headers are kept as ``preamble``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from voc.io.columns import norm_header
from voc.io.dates import parse_datetime
from voc.io.tickets import (
    _RAW_MAX,
    AGENT,
    CUSTOMER,
    Ticket,
    TicketReject,
    Turn,
    _cell,
    _set_created,
    _set_scores,
    clean_turn_text,
    normalize_speaker,
)

__all__ = ["read_transcript_text", "parse_turn_lines", "looks_like_transcript", "match_turn"]

# -- speaker prefixes ------------------------------------------------------------------
_CN_LABELS = (
    "用户", "客户", "顾客", "买家", "访客", "会员", "消费者", "来电客户", "客服", "坐席", "人工客服", "在线客服",
    "智能客服", "售后客服", "售后", "工程师", "技术支持", "商家", "卖家", "店家", "机器人", "客户经理", "话务员",
    "接线员", "小二", "系统", "系统消息", "系统提示", "问", "答",
)
_EN_LABELS = ("customer", "user", "client", "buyer", "visitor", "caller", "agent", "staff", "service",
              "support", "operator", "seller", "bot", "robot", "system", "q", "a")
_SPACE_LABELS = ("用户", "客户", "顾客", "客服", "坐席")  # '顾客 你好': only these, to spare ordinary text


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ALL = rf"(?:{_alt(_CN_LABELS)}|(?i:{_alt(_EN_LABELS)})(?![A-Za-z]))"
_TS = (r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?"
       r"|\d{1,2}:\d{2}(?::\d{2})?)")
_TSW = rf"(?:[\[(（【]\s*{_TS}\s*[\])）】]|{_TS})"
_NAME = r"(?:\s*[-_·#]?\s*\d{1,8}|\s*[(（][^()（）\n]{1,12}[)）]|[-_·][^\s:：\[\]【】()（）]{1,8})"
_SP = r"[ \t\u3000]"
_TURN = re.compile(
    rf"^{_SP}*(?:(?P<ts1>{_TSW}){_SP}*)?"
    rf"(?:[\[【<(（]\s*(?P<lb>{_ALL}){_NAME}?(?:\s+(?P<ts2>{_TS}))?\s*[\]】>)）]{_SP}*(?:(?P<ts3>{_TSW}){_SP}*)?[:：]?"
    rf"|(?P<lc>{_ALL}){_NAME}?{_SP}*(?:(?P<ts4>{_TSW}){_SP}*)?[:：]"
    rf"|(?P<ls>{_alt(_SPACE_LABELS)}){_NAME}?(?:{_SP}+(?P<ts5>{_TSW}))?(?={_SP}|$))"
    rf"{_SP}*(?P<text>.*)$"
)


# A speaker tag with a name or a shop: 客服小京：, 京东客服小美：, 【官方旗舰店】客服：, 小米客服Amy:,
# 售后-王工: a staff label with up to six characters of shop before it and of name after
# it, then a colon, at the start of the line. Words that make it a sentence instead
# (当时客服说：, 我跟客服讲：) are not a name.
_STAFF = ("客服", "坐席", "售后", "商家", "卖家", "店家", "店长", "工程师", "技术支持", "客户经理", "话务员",
          "接线员", "小二", "专员", "顾问")
_NAMED = re.compile(
    rf"^{_SP}*(?:(?P<ts>{_TSW}){_SP}*)?"
    rf"(?P<pre>【[^】\n]{{1,12}}】|[\u4e00-\u9fffA-Za-z]{{1,6}})?"
    rf"(?P<lb>{_alt(_STAFF)})"
    rf"(?P<nm>[-_·]?[\u4e00-\u9fffA-Za-z0-9]{{1,8}})?{_SP}*[:：]{_SP}*(?P<text>.*)$"
)
_NOT_A_NAME = re.compile(r"[说讲问回答告诉让叫给的了和跟向把被都也就还是在我你他她们这那要会能]")


def _named_turn(line: str) -> tuple[str, str, str | None] | None:
    m = _NAMED.match(line)
    if m is None or (m.group("pre") is None and m.group("nm") is None):
        return None
    if any(_NOT_A_NAME.search(m.group(g) or "") for g in ("pre", "nm")):
        return None
    role = normalize_speaker(m.group("lb"))
    if role is None:
        return None
    ts = m.group("ts")
    return role, m.group("text").strip(), ts.strip("[]()（）【】 \t") if ts else None


# A chat export line of a speaker the platform shows by nickname or account (jd_7f3a2b：,
# tb12345678:, 小明：): a time first, then a name of at most 20 characters without spaces
# and a colon. Who it is is decided per ticket (:func:`_resolve_nicknames`).
NICKNAME = "nickname"
_NICK = re.compile(
    rf"^{_SP}*(?P<ts>{_TSW}){_SP}*(?P<nm>[\u4e00-\u9fffA-Za-z0-9_*.@-]{{1,20}}){_SP}*[:：]{_SP}*(?P<text>.*)$"
)

_NUMBERS = re.compile(r"[\d:.]+")  # a time or a number, no name


def _nickname_turn(line: str) -> tuple[str, str, str | None] | None:
    m = _NICK.match(line)
    if m is None or _NOT_A_NAME.search(m.group("nm")) or _NUMBERS.fullmatch(m.group("nm")):
        return None
    return NICKNAME, m.group("text").strip(), m.group("ts").strip("[]()（）【】 \t")


# ... and, in a chat whose agent is recognised and whose customer is not, a handle without a
# time (数码达人2024：…, Lucy_88：…): a name of letters, digits or underscores (one at least
# besides Chinese characters, so a line 型号：… or 注意：… is no speaker).
_UNTIMED_NICK = re.compile(
    rf"^{_SP}*(?P<nm>(?=[\u4e00-\u9fff]*[A-Za-z0-9_])[\u4e00-\u9fffA-Za-z0-9_*.@-]{{2,20}}){_SP}*[:：]{_SP}*(?P<text>.*)$"
)


def _untimed_nickname_turn(line: str) -> tuple[str, str, str | None] | None:
    m = _UNTIMED_NICK.match(line)
    if (m is None or _NOT_A_NAME.search(m.group("nm")) or _NUMBERS.fullmatch(m.group("nm"))
            or _header_fields(line) is not None or not m.group("text").strip()):
        return None
    return NICKNAME, m.group("text").strip(), None


def match_turn(line: str) -> tuple[str, str, str | None] | None:
    """(speaker role, text, raw timestamp or None) if the line starts a turn, else None."""
    m = _TURN.match(line)
    if m is None:
        return _named_turn(line) or _nickname_turn(line)
    label = m.group("lb") or m.group("lc") or m.group("ls")
    role = normalize_speaker(label)
    if role is None:
        return None
    ts = next((m.group(g) for g in ("ts1", "ts2", "ts3", "ts4", "ts5") if m.group(g)), None)
    if ts:
        ts = ts.strip("[]()（）【】 \t")
    return role, m.group("text").strip(), ts


def _turn_time(ts: str | None, date_hint: str | None) -> str | None:
    if not ts:
        return None
    if re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", ts):
        return parse_datetime(f"{date_hint[:10]} {ts}") if date_hint else None
    return parse_datetime(ts)


_Hit = tuple[str, str, "str | None"]


def parse_turn_lines(lines: list[str], date_hint: str | None) -> tuple[list[Turn], str, int]:
    """Turns of transcript lines: (turns, preamble before the first turn, empty turns dropped).

    A line without a speaker prefix continues the previous turn (joined with "\\n");
    a time of day alone is dated with ``date_hint`` (the ticket's time) when there is one.
    """
    return _turns_of([(line, match_turn(line)) for line in lines], date_hint)


def _turns_of(lines: list[tuple[str, _Hit | None]], date_hint: str | None) -> tuple[list[Turn], str, int]:
    turns: list[Turn] = []
    preamble: list[str] = []
    current: tuple[str, list[str], str | None] | None = None
    empty = 0

    def close() -> None:
        nonlocal empty
        if current is None:
            return
        role, parts, created = current
        text = clean_turn_text("\n".join(parts), role)
        if text:
            turns.append(Turn(len(turns) + 1, role, text, created))
        else:
            empty += 1

    for line, hit in lines:
        if not line.strip():
            continue
        if hit is not None:
            close()
            role, text, ts = hit
            current = (role, [text] if text else [], _turn_time(ts, date_hint))
        elif current is not None:
            current[1].append(line.strip())
        else:
            preamble.append(line.strip())
    close()
    return turns, "\n".join(preamble), empty


# -- header lines ----------------------------------------------------------------------------
_ID_KEYS = ("工单号", "工单编号", "工单", "工单id", "单号", "ticket", "ticketid", "ticketno", "id", "编号",
            "会话id", "会话编号", "sessionid", "session", "caseid", "case")
_HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "external_id": _ID_KEYS,
    "created_at": ("时间", "日期", "创建时间", "开始时间", "来电时间", "date", "time", "created", "createdat",
                   "datetime"),
    "product": ("产品", "型号", "机型", "商品", "产品型号", "product", "model", "sku"),
    "channel": ("渠道", "来源", "channel", "source"),
    "csat": ("满意度", "csat", "satisfaction"),
    "nps_score": ("推荐意愿", "推荐度", "nps"),
}
_HEADER_KEY = {norm_header(k): f for f, keys in _HEADER_FIELDS.items() for k in keys}
# Keys that name a ticket firmly enough to start a new one right after a turn; the others
# ('ID:', '单号:', '型号:') start one only after a blank or separator line, since a customer
# may well write '单号：[订单x]' on a line of its own.
_STRONG_ID = {norm_header(k) for k in ("工单号", "工单编号", "工单", "工单id", "ticket", "ticketid", "ticketno",
                                       "会话id", "会话编号", "sessionid", "caseid")}
_SEP = re.compile(r"^\s*(?:[-=*_~#]\s*){3,}$")
# a separator that carries a title (``=== 会话 T-1001 2026-11-20 小新Pro14 ===``): a boundary,
# its title kept with the ticket it opens (as preamble)
_BANNER = re.compile(r"^\s*(?:[-=*~#]\s*){3,}\S.*?(?:[-=*~#]\s*){3,}$")
# the ticket's id in a banner's title: after a word that names a session or ticket (会话 T-1001,
# 工单 #20261120-7, ticket TK-88)
_BANNER_ID = re.compile(r"(?:会话|工单|单号|ticket|session|case|chat)\s*(?:id|编号|号)?\s*[:：#]?\s*"
                        r"(?!\d{4}[-/.年]\d{1,2})([A-Za-z]+[-_]?\d[\w-]*|\d[\w-]{3,})(?![:：])", re.IGNORECASE)
_FIRST_KEY = re.compile(r"^\s*[#【\[]*\s*([^\s:：\]】]{1,16}?)\s*[\]】]?\s*[:：]")
_KV = re.compile(
    r"(?:^|(?<=[\s|,，;；]))[#【\[]*(?P<k>[^\s:：\d|,，;；\[\]【】](?:[^\s:：|,，;；]{0,14}[^\s:：\d|,，;；\]】])?)"
    r"[\]】]?\s*[:：]\s*"
)


def _header_fields(line: str) -> dict[str, str] | None:
    """{key: value} of a header line (its first key is a known header key), else None."""
    m = _FIRST_KEY.match(line)
    if m is None or norm_header(m.group(1)) not in _HEADER_KEY:
        return None
    found = list(_KV.finditer(line))
    out: dict[str, str] = {}
    for i, kv in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(line)
        value = line[kv.end():end].strip(" \t\u3000|,，;；】]")
        out.setdefault(kv.group("k"), value)
    return out


# -- blocks -----------------------------------------------------------------------------------
_Line = tuple[int, str, "_Hit | None"]  # (line number, text, speaker prefix match)


def _blocks(lines: list[str]) -> list[list[_Line]]:
    """Split the lines of a file into ticket blocks of (line number, line, turn match)."""
    kinds: list[str] = []
    hits: list[_Hit | None] = []
    has_sep = has_header = False
    prev = "blank"
    for line in lines:
        hit = None
        if not line.strip():
            kind = "blank"
        elif _SEP.match(line):
            kind = "sep"
            has_sep = True
        elif _BANNER.match(line):
            kind = "banner"
            has_sep = True
        elif (hit := match_turn(line)) is not None:
            kind = "turn"
        elif (fields := _header_fields(line)) is not None and (
            prev in {"blank", "sep", "header"} or any(norm_header(k) in _STRONG_ID for k in fields)
        ):
            kind = "header"  # opens a ticket (or continues its header)
            has_header = True
        else:
            kind = "other"
        kinds.append(kind)
        hits.append(hit)
        prev = kind
    blank_splits = not has_sep and not has_header
    blocks: list[list[_Line]] = []
    cur: list[_Line] = []
    cur_turns = False

    def close() -> None:
        nonlocal cur, cur_turns
        if cur:
            blocks.append(cur)
        cur, cur_turns = [], False

    for no, (line, kind, hit) in enumerate(zip(lines, kinds, hits, strict=True), start=1):
        if kind == "sep" or (kind == "blank" and blank_splits):
            close()
            continue
        if kind == "banner":
            close()
            cur.append((no, line, None))  # the title: preamble of the ticket it opens
            continue
        if kind == "blank":
            continue
        if kind == "header" and cur_turns:
            close()
        cur.append((no, line, hit))
        cur_turns = cur_turns or kind == "turn"
    close()
    if blank_splits and len(blocks) > 1:
        turn_counts = [sum(1 for _, _, hit in b if hit is not None) for b in blocks]
        if max(turn_counts) <= 1:  # one turn per paragraph: one ticket written with spacing
            return [[item for b in blocks for item in b]]
    return blocks


def _with_untimed_nicknames(block: list[_Line]) -> list[_Line]:
    """The block with handles that speak without a time (数码达人2024：…) as turns, when its
    agent is recognised and its customer is not: otherwise the customer's words would be
    read as the agent's and the ticket lost."""
    roles = {hit[0] for _, _, hit in block if hit is not None}
    if AGENT not in roles or CUSTOMER in roles or NICKNAME in roles:
        return block
    return [(no, line, hit if hit is not None else _untimed_nickname_turn(line)) for no, line, hit in block]


def _ticket_from_block(block: list[_Line], ordinal: int, stem: str) -> Ticket | TicketReject:
    block = _with_untimed_nicknames(block)
    first_row = block[0][0]
    raw = "\n".join(line for _, line, _ in block)[:_RAW_MAX]
    start = next((i for i, (_, _, hit) in enumerate(block) if hit is not None), None)
    if start is None:
        return TicketReject(first_row, "no speaker-prefixed turns (expected 用户：/客服：/Q:/A: …)", raw)
    headers: dict[str, str] = {}
    preamble: list[str] = []
    for _, line, _ in block[:start]:
        fields = _header_fields(line)
        if fields is None:
            preamble.append(line.strip())
        else:
            for k, v in fields.items():
                headers.setdefault(k, v)
    values: dict[str, str] = {}
    extra: dict[str, object] = {}
    for k, v in headers.items():
        f = _HEADER_KEY.get(norm_header(k))
        if f is not None and f not in values:
            values[f] = v
        elif v:
            extra[k] = v
    if not values.get("external_id") and block[0][2] is None and _BANNER.match(block[0][1]):
        named = _BANNER_ID.search(block[0][1])
        if named:
            values["external_id"] = named.group(1)
    date_hint = parse_datetime(values.get("created_at")) if values.get("created_at") else None
    turns, _, empty = _turns_of([(line, hit) for _, line, hit in block[start:]], date_hint)
    turns, unsure = _resolve_nicknames(turns)
    if unsure:
        extra["speakers_unsure"] = unsure
    if preamble:
        extra["preamble"] = "\n".join(preamble)
    if empty:
        extra["empty_turns"] = empty
    ticket = Ticket(
        external_id=_cell(values.get("external_id")) or f"{stem}#{ordinal}", created_at=None,
        channel=_cell(values.get("channel")), product=_cell(values.get("product")),
        csat=None, nps_score=None, turns=turns, source_row=first_row, extra=extra,
    )
    if not turns:
        return TicketReject(first_row, "turns without text", raw)
    _set_scores(ticket, values.get("csat"), values.get("nps_score"))
    _set_created(ticket, values.get("created_at"))
    return ticket


def _resolve_nicknames(turns: list[Turn]) -> tuple[list[Turn], int]:
    """Turns of speakers shown by nickname given a role: in a chat with the agent
    recognised and no customer label (店小二： and jd_7f3a2b：), the nicknames are the
    customer's; with the customer recognised and no agent, the agent's. Otherwise they are
    kept as the customer's too (a review of the words beats losing them) and counted as
    unsure; the ingest warns about such tickets."""
    if not any(t.speaker == NICKNAME for t in turns):
        return turns, 0
    roles = {t.speaker for t in turns}
    unsure = 0
    if AGENT in roles and CUSTOMER not in roles:
        role = CUSTOMER
    elif CUSTOMER in roles and AGENT not in roles:
        role = AGENT
    else:
        role = CUSTOMER
        unsure = sum(1 for t in turns if t.speaker == NICKNAME)
    return [Turn(t.seq, role, t.text, t.created_at) if t.speaker == NICKNAME else t for t in turns], unsure


def read_transcript_text(text: str, stem: str) -> Iterator[Ticket | TicketReject]:
    """Tickets (and rejects) of one plain-text transcript file, in file order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for ordinal, block in enumerate(_blocks(lines), start=1):
        yield _ticket_from_block(block, ordinal, stem)


def looks_like_transcript(text: str) -> bool:
    """Heuristic for a text sample: at least two speaker-prefixed lines, a fifth of the lines or more."""
    lines = [line for line in text.split("\n")[:400] if line.strip() and not _SEP.match(line)]
    if not lines:
        return False
    turns = sum(1 for line in lines if match_turn(line) is not None)
    return turns >= 2 and turns * 5 >= len(lines)
