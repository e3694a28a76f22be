"""Deterministic synthetic complaints for the emerging-issue tests and benchmark.

Documents are built from issue themes (a few core and symptom words each) plus
generic complaint words and optional noise words, so that clusters, topics and
bursts are known in advance. ``build_store`` writes records, analysis rows and
record_topics straight into a store, as `voc analyze` would have left them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from voc.store import open_store


@dataclass(frozen=True)
class Theme:
    topic: str | None  # taxonomy topic analyze would tag (None: no lexicon names it)
    core: tuple[str, ...]
    extra: tuple[str, ...]
    safety: bool = False


THEMES: dict[str, Theme] = {
    "battery_life": Theme("battery", ("电池", "续航"), ("掉电", "待机", "不耐用", "半天", "小时", "电量")),
    "thermal": Theme("thermal", ("发热", "散热"), ("烫", "温度", "CPU", "游戏", "降频", "烫手")),
    "display": Theme("display", ("屏幕",), ("漏光", "坏点", "闪屏", "亮度", "色差", "偏黄")),
    "keyboard": Theme("input", ("键盘",), ("按键", "失灵", "键帽", "松动", "回弹", "打字")),
    "wifi": Theme("connectivity", ("WiFi", "网络"), ("断网", "信号", "蓝牙", "连接", "掉线", "网卡")),
    "logistics": Theme("logistics", ("物流", "快递"), ("包装", "破损", "送货", "延迟", "配送", "箱子")),
    "service": Theme("customer_service", ("客服",), ("态度", "回复", "不理", "敷衍", "人工", "推脱")),
    "noise": Theme("noise", ("噪音",), ("风扇", "异响", "啸叫", "电流声", "吵", "嗡嗡")),
    "swelling": Theme("battery", ("电池", "鼓包"), ("充电", "发烫", "后盖", "变形", "顶起", "胀"), safety=True),
    "fingerprint": Theme(None, ("指纹",), ("识别", "解锁", "录入", "感应", "指纹识别", "按压")),
    # one fingerprint fault told five ways: the words besides 指纹 hardly overlap
    "fp_restart": Theme(None, ("指纹",), ("解锁", "重启", "几次", "才能", "失败")),
    "fp_module": Theme(None, ("指纹",), ("模块", "密码", "只能", "输入", "不了")),
    "fp_weeks": Theme(None, ("指纹",), ("识别", "出来", "两周", "慢慢", "不灵")),
    "fp_login": Theme(None, ("指纹",), ("提示", "无法", "登录", "系统", "错误")),
    "fp_enrol": Theme(None, ("指纹",), ("录入", "录不进", "删掉", "重新", "反复")),
}
FINGERPRINT_PHRASINGS = ("fp_restart", "fp_module", "fp_weeks", "fp_login", "fp_enrol")
STEADY_MIX = {"battery_life": 3, "thermal": 3, "display": 2, "keyboard": 2, "wifi": 1.5, "logistics": 2, "service": 2, "noise": 1}
GENERIC = ("用了", "一个月", "出现", "联系", "售后", "换货", "几天", "情况", "现象", "购买", "新机", "开机",
           "使用", "刚买", "两周", "严重", "影响", "办公", "学习", "经常", "偶尔", "反映")
POSITIVE = ("外观", "漂亮", "速度", "快", "满意", "性价比", "好用", "轻薄", "手感", "流畅", "清晰", "喜欢", "给力")
_CHARS = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光"


def noise_vocab(size: int, seed: int = 7) -> list[str]:
    """Pseudo-words (two or three characters) standing in for the long tail of a real vocabulary."""
    rng = np.random.default_rng(seed)
    chars = np.array(list(_CHARS))
    words = {"".join(rng.choice(chars, size=int(rng.integers(2, 4)))) for _ in range(size * 2)}
    return sorted(words)[:size]


def make_doc(rng: np.random.Generator, theme: str | None, noise: list[str] | None = None, max_noise: int = 3) -> list[str]:
    """Tokens of one complaint about ``theme`` (None: a positive review)."""
    if theme is None:
        tokens = list(rng.choice(POSITIVE, size=int(rng.integers(3, 6)), replace=False))
    else:
        th = THEMES[theme]
        tokens = [th.core[0]] + [w for w in th.core[1:] if rng.random() < 0.7]
        tokens += list(rng.choice(th.extra, size=int(rng.integers(2, 4)), replace=False))
        tokens += list(rng.choice(GENERIC, size=int(rng.integers(2, 5)), replace=False))
    if noise:
        n = int(rng.integers(0, max_noise + 1))
        idx = np.minimum(rng.zipf(1.3, size=n) - 1, len(noise) - 1)
        tokens += [noise[i] for i in idx]
    rng.shuffle(tokens)
    return tokens


def token_docs(n: int, seed: int = 0, noise_size: int = 20000, max_noise: int = 3) -> list[str]:
    """``n`` complaint token documents over the steady themes, plus noise words."""
    rng = np.random.default_rng(seed)
    names = list(STEADY_MIX) + ["swelling", "fingerprint"]
    p = np.array([*STEADY_MIX.values(), 0.5, 0.5])
    themes = rng.choice(len(names), size=n, p=p / p.sum())
    noise = noise_vocab(noise_size) if noise_size else None
    return [" ".join(make_doc(rng, names[t], noise, max_noise)) for t in themes]


@dataclass
class Plan:
    """What to generate: weekly volumes per product, a steady complaint mix, events."""

    weeks: list[str]
    products: dict[str, float]  # reviews per week
    complaint_rate: float = 0.3
    mix: dict[str, float] = field(default_factory=lambda: dict(STEADY_MIX))
    season: dict[str, float] = field(default_factory=dict)  # week -> volume multiplier
    events: list[tuple[str, str, str, int]] = field(default_factory=list)  # (theme, product, week, count)
    seed: int = 0


def iso_weeks(first: str, n: int) -> list[str]:
    y, w = first.split("-W")
    start = date.fromisocalendar(int(y), int(w), 1)
    return [f"{(d := start + timedelta(weeks=i)).isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for i in range(n)]


def build_store(path: Path, plan: Plan, weeks: list[str] | None = None) -> Path:
    """Write the plan's records (only ``weeks``, default all) into a store at ``path``.

    Each week's records depend only on the plan, the seed and the week, so building
    week by week gives the same rows as building all at once.
    """
    names = list(plan.mix)
    p = np.array([plan.mix[t] for t in names])
    p = p / p.sum()
    with open_store(path) as store:
        for wi, week in enumerate(plan.weeks):
            if weeks is not None and week not in weeks:
                continue
            rng = np.random.default_rng([plan.seed, wi])
            start = datetime.combine(date.fromisocalendar(int(week[:4]), int(week[6:]), 1), datetime.min.time())
            docs: list[tuple[str, str | None]] = []
            for product, volume in sorted(plan.products.items()):
                n = int(rng.poisson(volume * plan.season.get(week, 1.0)))
                for _ in range(n):
                    theme = names[int(rng.choice(len(names), p=p))] if rng.random() < plan.complaint_rate else None
                    docs.append((product, theme))
            for theme, product, w, count in plan.events:
                if w == week:
                    docs.extend((product, theme) for _ in range(count))
            rows, analysis, topics = [], [], []
            for j, (product, theme) in enumerate(docs):
                rid = f"{week}-{j:06d}"
                tokens = make_doc(rng, theme)
                ts = (start + timedelta(seconds=int(rng.integers(0, 7 * 86400)))).strftime("%Y-%m-%d %H:%M:%S")
                th = THEMES[theme] if theme else None
                rows.append((rid, "review", "jd", product, product, ts, 1 if theme else 5, None, None,
                             "".join(tokens) + "。", None, None, None, 0, None, "synthetic", j + 1))
                tags = [{"id": th.topic, "polarity": "neg", "evidence": th.core[0]}] if th and th.topic else []
                analysis.append((rid, "negative" if theme else "positive", 0.1 if theme else 0.9,
                                 json.dumps(tags, ensure_ascii=False), int(bool(th and th.safety)), None, None,
                                 " ".join(tokens), "synth", "synth", ts, "swelling" if th and th.safety else None))
                topics.extend((rid, t["id"], "neg", t["evidence"]) for t in tags)
            # through the store contract, as `voc ingest` and `voc analyze` write them
            with store.ingest_batch("synthetic", "reviews", {}) as batch:
                batch.insert([(*r, batch.id) for r in rows])
                batch.finish(len(rows), len(rows), 0, 0, 0)
            if analysis:
                store.write_analysis(analysis, topics)
    return path
