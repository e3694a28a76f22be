"""Labels for reports: Chinese by default (``--lang zh``), English with ``--lang en``.

Only what a reader sees is translated; JSON keys and ids stay English. Topic names
come from the topic lexicon (``topics.tsv``, columns ``name_zh``/``name_en``) when it is
there, else from the defaults below (the DESIGN.md taxonomy).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from voc.lexicon import Lexicons

LANGS = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    # titles and sections
    "title": ("客户之声周报", "Voice of Customer report"),
    "period": ("周期", "Period"),
    "generated": ("生成时间", "Generated"),
    "kpis": ("核心指标", "Headline KPIs"),
    "nps_trend": ("NPS 趋势", "NPS trend"),
    "top_topics": ("主要缺陷主题", "Top defect topics"),
    "top_defects": ("主要缺陷", "Top defects"),
    "emerging": ("新兴问题", "Emerging issues"),
    "findings": ("问题清单", "Findings"),
    "owners": ("责任人", "Owners"),
    "owner_table": ("责任分派", "Owner table"),
    "quotes": ("客户原话", "Customer quotes"),
    "followup": ("近{n}周问题跟进 ({first}–{last})", "Findings of the last {n} weeks ({first}–{last})"),
    "followup_sheet": ("问题跟进", "Follow-up"),
    "decisions": ("人工处理", "Decisions"),
    "decision_col": ("处理", "Decision"),
    "more_rows": ("另有 {n} 项未列出（完整清单见 --markdown、--xlsx 或 --json）",
                  "{n} more not shown (the full list is in --markdown, --xlsx or --json)"),
    "details": ("明细（分析用）", "Details (analysts)"),
    "finding_stats": ("问题统计", "Finding statistics"),
    "highlights": ("本周重点问题", "This week's key findings"),
    "legend": ("说明", "Legend"),
    "legend_primary": ("* 本期主指标：调研 NPS 样本足够时用它，否则用星级代理，再否则用情感代理。",
                       "* The period's headline measure: survey NPS when it has enough answers, else the star proxy, else the sentiment proxy."),
    "legend_impact": ("NPS影响：去掉这类反馈后 NPS 上升的点数；正数表示它拉低了 NPS，区间是 95% 置信区间。",
                      "NPS impact: how many points NPS would rise without this feedback; positive means it pulls NPS down; the interval is a 95% CI."),
    "legend_growth": ("增长倍数：本期数量 ÷ 按前8期比例应有的数量（基线）；— 表示没有基线。",
                      "Growth: this period's count ÷ the count expected at the rate of the previous 8 periods (baseline); — means no baseline."),
    "legend_status": ("状态：新增、恶化、持续、好转是与上次报告相比（连续两周同向变化也与两周前相比）；已解决需要连续两周回到基线；"
                      "已关闭是有人处理后关闭；重新打开是关闭后又出现（如又收到安全报告）。",
                      "Status: new, worsening, ongoing and improving compare with the last report (a change the same way two "
                      "weeks running, with the week before too); resolved needs two weeks back at baseline; closed means a "
                      "person closed it; reopened means it came back after that (another safety report)."),
    "legend_priority": ("优先级：P0 为安全报告（始终最高）；其余按数量、负面率、突增和 NPS 影响计分。",
                        "Priority: P0 is a safety report (always highest); the rest are scored on volume, negativity, burst and NPS impact."),
    "no_trend": ("样本不足：近 {n} 周没有一周的评分样本达到 {min_n} 条，不画趋势图。",
                 "Not enough data: no week of the last {n} has {min_n} scored answers, so there is no trend chart."),
    "no_topics": ("本期没有负面主题提及，不画缺陷图。", "No negative topic mentions this period: no defect chart."),
    "trend_of": ("{growth}\n基线 {baseline}，上期 {previous}", "{growth}\nbaseline {baseline}, last {previous}"),
    "no_new_reports": ("本期没有新的反馈；问题保持打开，直到有人关闭。", "No new feedback this period; it stays open until closed."),
    "no_new_reports_topic": ("本期没有新的反馈；连续两周回到基线且反馈量足以看出时，才判定为已解决。",
                             "No new feedback this period; it is resolved after two weeks back at its baseline "
                             "with enough feedback to tell."),
    "quotes_of_owner": ("相关原话", "Customer words"),
    "owner_of": ("责任团队：{owner}", "Owner: {owner}"),
    "sentiment_positive": ("正面", "positive"),
    "sentiment_neutral": ("中性", "neutral"),
    "sentiment_negative": ("负面", "negative"),
    "polarity_pos": ("正面", "positive"),
    "polarity_neg": ("负面", "negative"),
    "polarity_neu": ("中性", "neutral"),
    "yes": ("是", "yes"),
    "then_count": ("当时数量", "Then"),
    "burst": ("突增", "Burst"),
    "chart_data": ("图表数据", "Chart data"),
    "incomplete": ("注意：{period} 尚未结束，数据不全；本报告不保存问题状态。",
                   "Note: {period} has not ended yet and its data is partial; this report stores no statuses."),
    "thin": ("注意：本期反馈量 {total:,} 条，不到上期 {previous:,} 条的五分之一：导出可能不完整。数量与 NPS 偏低不代表问题消失，"
             "反馈不足的一周也不会把问题判为已解决。",
             "Note: this period has {total:,} records, less than a fifth of the {previous:,} before it: the export may be "
             "incomplete. Low counts and NPS here do not mean issues went away, and a week this thin resolves no finding."),
    "decided": ("{action} {by} {at}：{note}", "{action} by {by} on {at}: {note}"),
    "action_close": ("已关闭", "closed"),
    "action_reopen": ("已重开", "reopened"),
    "by_product": ("按产品", "By product"),
    "by_channel": ("按渠道", "By channel"),
    "data": ("数据", "Data"),
    "summary": ("摘要", "Summary"),
    "topics": ("主题", "Topics"),
    "nps_detail": ("NPS明细", "NPS detail"),
    "none": ("无", "none"),
    "page_footer": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "capped": (
        "仅显示前 {shown:,} 条，共 {total:,} 条",
        "showing the first {shown:,} of {total:,} records",
    ),
    "emerging_disabled": ("未检测（本次报告关闭了新兴问题检测：--no-emerging）", "not looked for (--no-emerging)"),
    "emerging_unavailable": (
        "新兴问题检测不可用：{reason}",
        "emerging-issue detection unavailable: {reason}",
    ),
    # KPI names
    "volume": ("反馈量", "Feedback"),
    "reviews": ("评价", "Reviews"),
    "tickets": ("工单", "Tickets"),
    "negative_share": ("负面占比", "Negative share"),
    "safety": ("安全报告", "Safety reports"),
    "nps": ("NPS（调研 0-10 分）", "NPS (0-10 survey)"),
    "stars": ("星级代理 NPS", "Star-rating proxy NPS"),
    "sentiment": ("情感代理 NPS", "Sentiment proxy NPS"),
    "nps_short": ("NPS", "NPS"),
    "stars_short": ("星级代理", "Stars proxy"),
    "sentiment_short": ("情感代理", "Sentiment proxy"),
    "proxy_note": (
        "代理指标：星级 {stars}；情感代理仅覆盖无评分反馈。不与真实 NPS 混用。",
        "Proxies: stars {stars}; sentiment proxy covers only feedback with neither score. "
        "Never mixed with true NPS.",
    ),
    "insufficient": ("样本不足", "insufficient"),
    "value": ("数值", "Value"),
    "n": ("样本数", "n"),
    "moe95": ("±95%误差", "±95% MoE"),
    "vs_prev": ("较上期", "vs previous"),
    "vs_base": ("较前8期", "vs previous 8"),
    "week": ("周", "Week"),
    "kind": ("类型", "Kind"),
    "metric": ("指标", "Metric"),
    # table headers
    "id": ("编号", "ID"),
    "topic": ("主题", "Topic"),
    "product": ("产品", "Product"),
    "channel": ("渠道", "Channel"),
    "owner": ("责任团队", "Owner"),
    "person": ("负责人", "Person"),
    "contact": ("联系方式", "Contact"),
    "priority": ("优先级", "Priority"),
    "status": ("状态", "Status"),
    "count": ("数量", "Count"),
    "mentions": ("提及", "Mentions"),
    "negative": ("负面", "Negative"),
    "neg_share": ("负面率", "Neg. share"),
    "share": ("占比", "Share"),
    "growth": ("增长倍数", "Growth"),
    "baseline": ("基线", "Baseline"),
    "p_value": ("p值", "p-value"),
    "nps_impact": ("NPS影响", "NPS impact"),
    "impact_ci": ("影响95%区间", "Impact 95% CI"),
    "ci_low": ("区间下限", "CI low"),
    "ci_high": ("区间上限", "CI high"),
    "label": ("问题", "Issue"),
    "terms": ("关键词", "Terms"),
    "products": ("产品", "Products"),
    "quote": ("原话", "Quote"),
    "then": ("当时", "Then"),
    "now": ("现在", "Now"),
    "first_seen": ("首次出现", "First seen"),
    "now_status": ("现在状态", "Status now"),
    "findings_n": ("问题数", "Findings"),
    "created_at": ("时间", "Time"),
    "rating": ("星级", "Stars"),
    "nps_score": ("NPS分", "NPS score"),
    "sentiment_label": ("情感", "Sentiment"),
    "score": ("正面概率", "P(positive)"),
    "text": ("内容", "Text"),
    "record_kind": ("来源", "Kind"),
    "rule": ("优先级规则", "Priority rule"),
    # statuses and verdicts
    "status_new": ("新增", "new"),
    "status_ongoing": ("持续", "ongoing"),
    "status_worsening": ("恶化", "worsening"),
    "status_improving": ("好转", "improving"),
    "status_resolved": ("已解决", "resolved"),
    "status_closed": ("已关闭", "closed"),
    "status_reopened": ("重新打开", "reopened"),
    "reopened_late": ("关闭后又收到 {n} 条安全报告，已重新打开。", "{n} safety report(s) arrived after it was closed: reopened."),
    "status_growing": ("增长中", "growing"),
    "status_fading": ("减弱", "fading"),
    "all_products": ("全部产品", "all products"),
    "candidate": ("候选新主题", "candidate topic"),
    "product_share": ("{product}（占 {share}）", "{product} ({share} of it)"),
    "candidate_line": ("候选新主题：{label}（{n} 条），建议关键词：{keywords}",
                       "Candidate topic: {label} ({n}), suggested keywords: {keywords}"),
    "kind_topic": ("主题", "Topic"),
    "kind_safety": ("安全", "Safety"),
    "kind_emerging": ("新兴", "Emerging"),
    # hazards of safety reports
    "hazard_fire": ("起火", "fire"),
    "hazard_smoke": ("冒烟", "smoke"),
    "hazard_explosion": ("爆炸", "explosion"),
    "hazard_spark": ("打火", "sparks"),
    "hazard_swelling": ("鼓包", "swelling"),
    "hazard_shock": ("漏电", "electric shock"),
    "hazard_burn": ("烫伤", "burn"),
    "hazard_melt": ("熔化", "melting"),
}

_TOPICS: dict[str, tuple[str, str]] = {
    "thermal": ("散热", "Thermal"),
    "battery": ("电池", "Battery"),
    "display": ("屏幕", "Display"),
    "input": ("键盘触控", "Input"),
    "noise": ("噪音", "Noise"),
    "performance": ("性能", "Performance"),
    "software": ("软件", "Software"),
    "connectivity": ("连接", "Connectivity"),
    "audio_camera": ("音频摄像头", "Audio & camera"),
    "build": ("做工", "Build"),
    "storage": ("存储", "Storage"),
    "ports_accessories": ("接口配件", "Ports & accessories"),
    "logistics": ("物流", "Logistics"),
    "customer_service": ("客服", "Customer service"),
    "after_sales": ("售后", "After-sales"),
    "price": ("价格", "Price"),
    "authenticity": ("正品", "Authenticity"),
    "safety": ("安全", "Safety"),
    "emerging": ("新兴问题", "Emerging issue"),
}


class Labels:
    """Label lookup for one language, with topic names from the lexicon when present."""

    def __init__(self, lang: str = "zh", topic_names: Mapping[str, tuple[str, str]] | None = None):
        if lang not in LANGS:
            raise ValueError(f"--lang '{lang}' is not one of {', '.join(LANGS)}")
        self.lang = lang
        self._i = LANGS.index(lang)
        self._topic_names = dict(topic_names or {})

    def __call__(self, key: str, **fmt: object) -> str:
        pair = _LABELS.get(key)
        text = pair[self._i] if pair else key
        return text.format(**fmt) if fmt else text

    def status(self, status: str) -> str:
        return self(f"status_{status}") if f"status_{status}" in _LABELS else status

    def finding_status(self, f: Any) -> str:
        """A finding's status in words: 重新打开 for one open again after a person closed it
        (``reopened``: it came back, or safety reports were stored after the close), else
        :meth:`status`."""
        if getattr(f, "reopened", False):
            return self("status_reopened")
        return self.status(f.status)

    def kind(self, kind: str) -> str:
        return self(f"kind_{kind}") if f"kind_{kind}" in _LABELS else kind

    def finding(self, f: Any, width: int | None = None) -> str:
        """What a finding is, in words: topic (or kind) and its label (its terms)."""
        kind, topic = f.kind, f.topic
        routed = getattr(f, "routed_topic", "") or topic
        label = f.label
        if kind == "topic":
            head = self.topic(topic)
        elif kind == "safety":
            hazard = getattr(f, "hazard", "")
            head = self.kind("safety")
            if hazard and f"hazard_{hazard}" in _LABELS:
                head += "·" + self(f"hazard_{hazard}")
            elif routed not in ("", "safety"):
                head += "·" + self.topic(routed)
        else:
            head = self.kind(kind)
        text = f"{head}：{label}" if label and self.lang == "zh" else (f"{head}: {label}" if label else head)
        if width is not None and len(text) > width:
            text = text[: width - 1] + "…"
        return text

    def followup_title(self, period: Any, n: int = 4) -> str:
        """``近4周问题跟进 (2026-W43–2026-W46)``: the periods the follow-up table covers."""
        from voc.report.metrics import previous

        return self("followup", n=n, first=previous(period, n).label, last=previous(period, 1).label)

    def decision(self, d: Any) -> str:
        """``已关闭 王工 2026-11-24：换电池批次`` for a person's decision."""
        return self("decided", action=self(f"action_{d.action}"), by=d.by, at=str(d.at)[:10], note=d.note)

    def product(self, product: str) -> str:
        """A finding's product: ``*`` is every product, '' none known."""
        if product == "*":
            return self("all_products")
        return product or "—"

    def topic(self, topic: str) -> str:
        """A topic's display name: from the lexicon, else built in, else its id."""
        named = self._topic_names.get(topic)
        if named and named[self._i]:
            return named[self._i]
        pair = _TOPICS.get(topic)
        return pair[self._i] if pair else topic


def load_topic_names(lexicons: Lexicons | None = None) -> dict[str, tuple[str, str]]:
    """Topic id -> (Chinese name, English name) from ``topics.tsv``.

    Columns are found by name (``id``, ``name_zh``, ``name_en``); a topic's names come
    from its first row that has them, and the part before the first ``/`` is shown.
    """
    from voc.analysis.topics import taxonomy

    topics = taxonomy(lexicons if lexicons is not None else Lexicons.packaged())
    return {
        t: (d.name_zh.split("/")[0].strip(), d.name_en.split("/")[0].strip())
        for t, d in sorted(topics.items())
    }


# -- number formatting shared by the text renderers -----------------------------------
def signed(x: float | None, digits: int = 1) -> str:
    """``+3.2`` / ``-1.0`` / ``—`` for None."""
    return "—" if x is None else fixed(x, digits, "+")


def fixed(x: float, digits: int = 1, sign: str = "") -> str:
    """``x`` with ``digits`` decimals, a half rounded away from zero as a spreadsheet's number
    format does (1.25 -> 1.3, where Python's format gives 1.2), so the workbook and the text
    outputs show the same figure. ``sign`` is ``"+"`` for a signed figure."""
    d = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{d:{sign}.{digits}f}"


def pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{fixed(100 * x, digits)}%"


def pct_change(x: float | None, digits: int = 1) -> str:
    """A change as a signed percentage: ``+22.2%``; ``—`` when there is nothing to compare."""
    return "—" if x is None else f"{fixed(100 * x, digits, '+')}%"


def times(x: float | None) -> str:
    """A growth ratio: ``3.4×``; ``—`` when there is no baseline."""
    return "—" if x is None else f"{fixed(x)}×"


def nps_text(value: float | None, moe: float | None, n: int, labels: Labels) -> str:
    """``+12.3 ±4.5`` or ``样本不足 (n=12)``."""
    if value is None:
        return f"{labels('insufficient')} (n={n})"
    return f"{value:+.1f} ±{moe:.1f}"
