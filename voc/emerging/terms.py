"""Words emerging-issue detection ignores, and the words the topic lexicon already knows.

Clusters should form around *what* goes wrong (指纹, 铰链, 充电器), not around how
strongly customers feel (失望, 垃圾, 差评), nor around function words. Three sources:

* a small built-in list of function words and generic complaint words (below);
* ``stopwords.txt`` of the lexicon folder, when it has one;
* for suggested keywords only, the sentiment lexicons (``sentiment/*.txt``): a word a
  sentiment lexicon lists is never suggested as a new topic keyword, unless a topic
  already uses it.

The topic lexicon (``topics.tsv``) is read leniently: every field of every line is
split on the usual separators, so whatever its exact columns, all its ids, names and
keywords end up in :attr:`EmergingVocab.known`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from voc.lexicon import Lexicons, packaged_lexicon_dir

BUILTIN_STOP = frozenset(
    """
    的 了 是 我 你 他 她 它 也 都 就 在 和 有 不 很 还 又 这 那 个 说 吧 啊 呢 吗 嘛 呀 哦 哈 与 及 把 被 给 让
    用 到 会 要 能 去 来 上 下 一 一个 没 没有 什么 怎么 怎么样 这个 那个 这样 那样 太 真 真的 非常 特别 比较 就是 还是
    但 但是 可是 而且 然后 因为 所以 如果 已经 现在 东西 买 买了 感觉 觉得 问题 京东 淘宝 天猫 一下 自己 你们 他们
    我们 时候 不是 不能 可以 知道 看 后 才 再 多 少 好 差 很差 太差 失望 垃圾 不好 质量 差劲 产品 商品 差评 好评
    无语 后悔 坑 一点 有点 一直 总是 简直 实在 确实 根本 完全 还有 以后 之前 之后 今天 昨天 一次 一天 几天
    啦 么 哎 呵呵 吧 得 地 着 过 对 从 向 为 以 而 或 等 等等 里 中 内 外 其他 其它 这么 那么 多少 为什么
    请 希望 谢谢 您好 你好 亲 客官 麻烦 一样 一般 不错 满意 不满意 推荐 建议 大家 朋友 机器 东东 宝贝 卖家 商家
    """.split()
)

_SPLIT = re.compile(r"[\t|,，、/;；\s]+")
_WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _lines(path: Path) -> list[str]:
    """Non-blank, non-comment lines of a UTF-8 file (BOM ignored); [] if absent."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _first_fields(path: Path) -> set[str]:
    return {re.split(r"[\t ]", ln, maxsplit=1)[0] for ln in _lines(path)}


def names_term(known: frozenset[str] | set[str], term: str) -> bool:
    """Whether the words ``known`` name ``term``: it is one of them, or it contains one of
    two characters or more, or one contains it (指纹识别 is named when 指纹 is)."""
    if term in known:
        return True
    return len(term) >= 2 and any(len(k) >= 2 and (k in term or term in k) for k in known)


@dataclass(frozen=True)
class EmergingVocab:
    """Stop words for clustering, words never to suggest, and words topics already use."""

    stop_words: frozenset[str]
    sentiment_words: frozenset[str]
    known: frozenset[str]  # ids, names and keywords of topics.tsv
    topic_names: dict[str, str]  # topic id -> display name (second column), when given

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons | None = None) -> EmergingVocab:
        """The vocabulary of the lexicons in effect (``None``: packaged)."""
        lexicons = lexicons if lexicons is not None else Lexicons.packaged()
        stop = set(BUILTIN_STOP) | _first_fields(lexicons.path("stopwords.txt"))
        sentiment: set[str] = set()
        names_in = {p.name for d in (packaged_lexicon_dir(), lexicons.dir) if (d / "sentiment").is_dir()
                    for p in (d / "sentiment").glob("*.txt")}
        for name in sorted(names_in):
            sentiment |= _first_fields(lexicons.path(f"sentiment/{name}"))
        known: set[str] = set()
        names: dict[str, str] = {}
        for ln in _lines(lexicons.path("topics.tsv")):
            fields = ln.split("\t")
            if len(fields) >= 2 and fields[0].isascii() and fields[0] not in ("id", "topic") and fields[1].strip():
                names.setdefault(fields[0], fields[1].split("/")[0].strip())  # 电池/续航/充电 -> 电池
            known.update(t for t in _SPLIT.split(ln) if t and _WORDY.search(t))
        return cls(frozenset(stop), frozenset(sentiment - known), frozenset(known), names)

    def is_known(self, term: str) -> bool:
        """Whether the topic lexicon already names ``term`` (:func:`names_term`)."""
        return names_term(self.known, term)

    def suggestable(self, term: str) -> bool:
        """A term worth suggesting as a new topic keyword."""
        return term not in self.stop_words and term not in self.sentiment_words and not self.is_known(term)
