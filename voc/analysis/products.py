"""Product model names: find them in text, and normalise a product column.

``products.tsv`` (format in its header) maps the spellings customers use to one
normalised model name:

>>> matcher = ProductMatcher.from_lexicons()
>>> matcher.normalize("拯救者 y9000p 2023款")
'Y9000P'
>>> matcher.find("之前用的小新 pro 14，这次换了Y9000P")
['小新Pro14', 'Y9000P']
>>> matcher.normalize("ＡＢＣ  Phone　X")  # unknown: cleaned, not dropped
'ABC Phone X'

Matching ignores case, full-width forms, spaces, hyphens and underscores: text and
aliases are both "squeezed" the same way before one trie-shaped regular expression
finds the longest alias. A space between two digits is kept as a boundary, so
``R7000 2023款`` does not read as ``R70002023``. An alias must not run into more letters
(or, when it ends in a digit, more digits) of the text: ``p40`` is not found in ``p400``,
while ``y9000p`` is found in ``y9000p2023``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from voc.analysis import regex_cache
from voc.analysis.aspects import normalized, split_terms
from voc.analysis.gate import WHITESPACE, char_gate, lowering_chars, lowering_into, ranges
from voc.analysis.normalize import normalize as normalize_text
from voc.errors import LexiconError
from voc.lexicon import Lexicons

__all__ = ["ProductMatcher", "model_of_listing", "squeeze"]

PRODUCTS_FILE = "products.tsv"
_DIGIT_GAP = regex_cache.compile(r"(?<=\d)[\s_\-·]+(?=\d)")
_SQUEEZE = regex_cache.compile(r"[\s_\-·]+")
_SPACES = regex_cache.compile(r"\s+")
_NO_BREAKS: frozenset[int] = frozenset()


def squeeze(text: str) -> str:
    """Lower-case, half-width text without spaces, hyphens and underscores (a space
    between two digits becomes ``|``, so the numbers stay apart)."""
    text = normalize_text(text).lower()
    return _SQUEEZE.sub("", _DIGIT_GAP.sub("|", text))


def squeeze_with_breaks(text: str) -> tuple[str, frozenset[int]]:
    """:func:`squeeze`, plus the positions in the result where a separator was removed:
    "X1 Carbon Gen12" -> ("x1carbongen12", {2, 8}), so an alias may end at a space."""
    text = normalized(text).lower()
    if not _has_separator(text):  # no spaces, hyphens ...: nothing to squeeze
        return text, _NO_BREAKS
    text = _DIGIT_GAP.sub("|", text)
    out: list[str] = []
    breaks: set[int] = set()
    pos = 0
    for m in _SQUEEZE.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        breaks.add(sum(map(len, out)))
    out.append(text[pos:])
    return "".join(out), frozenset(breaks)


def _has_separator(text: str) -> bool:
    """``_SQUEEZE.search(text) is not None``, faster: ``str.split`` and ``\\s`` both split
    at the characters ``str.isspace`` accepts."""
    return bool(text) and ("_" in text or "-" in text or "·" in text or len(text.split(None, 1)) != 1
                           or text[0].isspace() or text[-1].isspace())


def _names_gate(aliases: list[str]):
    """``possible(text)`` of a normalised text: ``()`` when it has none of ``aliases``,
    no separator :func:`squeeze_with_breaks` would drop and no character its lower case
    changes (then that matches in the text as it is, and finds nothing): the compiled
    :class:`voc.analysis._gate_fast.NeedGate` of one pattern of one clause, never ruling
    a text out with those characters. None when the kernel is not built."""
    from voc.analysis import compiled

    module = compiled("_gate_fast")
    if module is None or not aliases:
        return None
    return module.NeedGate([[aliases]], sorted(ranges(set(WHITESPACE) | set("_-·")) + lowering_chars())).possible


def _tail(node: dict) -> str:
    kids = sorted(k for k in node if k)
    alts = [re.escape(ch) + _tail(node[ch]) for ch in kids]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return "(?:" + body + ")?" if "" in node else body


def _trie_regex(words: list[str]) -> re.Pattern[str]:
    """A regex matching the longest of ``words`` at a position. Every top-level branch
    starts with a literal, so the search skips characters that start no word."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    branches = [re.escape(ch) + _tail(trie[ch]) for ch in sorted(trie)]
    return regex_cache.compile("|".join(branches) if branches else r"(?!x)x")


# -- listing titles ------------------------------------------------------------------------
# A shop's listing title is the model followed by what the buyer chose and what sells it:
# 「荣耀X60 8GB+256GB 雅黑 5000mAh大电池 5G手机」. What follows the model has a few shapes,
# recognised by form rather than by a list of products: memory and storage (8GB+256GB,
# 12+512, 1TB), battery (5000mAh), screen (6.7英寸, 120Hz, 2.5K), network (5G, 全网通),
# processors (i7-13700H, R7, RTX4060), a colour (a short word ending in a colour character),
# the kind of device (手机, 笔记本电脑) and shop words (官方旗舰店, 正品, 新品).
_UNIT = r"(?:gb|g|tb|t)"
_L, _R = r"(?<![a-z0-9])", r"(?![a-z0-9])"  # ASCII word edges (a CJK character is no word here)
_LISTING_SPECS = regex_cache.compile(
    r"(?ix)"
    rf"{_L}\d{{1,2}}\s*{_UNIT}?\s*\+\s*\d{{1,4}}\s*{_UNIT}{_R}"  # 8GB+256GB, 12+512G, 16+1TB
    rf"|{_L}\d{{1,2}}\s*\+\s*\d{{2,4}}(?![\d.])"  # 12+512
    rf"|{_L}\d{{1,4}}\s*(?:gb|tb){_R}|{_L}(?:8|16|32|64|128|256|512|1024|2048)\s*(?:g|t){_R}|{_L}[12]\s*t{_R}"
    rf"|{_L}\d{{3,5}}\s*(?:mah{_R}|毫安时?)"  # battery
    rf"|{_L}\d{{2,3}}\s*(?:hz|w){_R}|{_L}\d(?:\.\d)?\s*k{_R}(?:屏|高刷)?|{_L}\d{{1,2}}(?:\.\d{{1,2}})?\s*(?:英寸|寸)"
    rf"|{_L}[345]g{_R}|全网通|双卡双待|{_L}nfc{_R}"  # network
    rf"|{_L}i[3579][\s-]*\d{{4,5}}[a-z]{{0,2}}{_R}|{_L}(?:core\s*)?ultra\s*[579]\s*\d{{3}}[a-z]?{_R}"
    rf"|{_L}r[3579][\s-]*\d{{4}}[a-z]{{0,2}}{_R}|{_L}(?:rtx|gtx)\s*\d{{4}}(?:\s*ti)?{_R}"  # processors, graphics
)
_LISTING_BRACKETS = regex_cache.compile(r"【[^】]*】|\[[^\]]*\]")
_LISTING_PARENS = regex_cache.compile(r"[（(]([^）)]*)[）)]")
_LISTING_KINDS = ("智能手机", "游戏手机", "拍照手机", "学生手机", "老人手机", "手机", "笔记本电脑", "笔记本", "游戏本",
                  "轻薄本", "商务本", "电脑", "平板电脑", "平板", "二合一")
_LISTING_SHOP = regex_cache.compile(r"官方旗舰店|官方|旗舰店|旗舰|自营|正品|新品|国补|以旧换新|现货|速发|顺丰|包邮|大电池|长续航|"
                           r"学生|游戏|拍照|商务|办公|轻薄|超薄|高刷|护眼|快充|闪充|赠品|套装|标配|礼盒")
_COLOUR = regex_cache.compile(r"^[\u4e00-\u9fff]{0,4}[黑白蓝紫金银绿粉灰红青橙黄色]$")
#: Words after a model name that make it another model (Ace 3 活力版, nova 12 Ultra, S24 FE):
#: an alias followed by one does not name the model.
_EDITION = regex_cache.compile(r"(?:ultra|pro|max|plus|lite|fe|se|mini|neo|青春版|活力版|至臻版|尊享版|竞速版|探索版)(?![a-z])")
_NOT_MODELS = frozenset({"国行版", "标准版", "官方版", "公开版", "全网通版", "套装版", "礼盒版", "中国版", "大陆版",
                         "港版", "美版", "日版", "韩版", "国际版", "5G版", "4G版", "单机版", "裸机版"})
_BRAND_SLASH = regex_cache.compile(r"^[A-Za-z]+\s*/\s*(?=[\u4e00-\u9fff])")
#: A model code: one or two letters and digits (x60, k70e, s24, m3), upper-cased.
_CODE = regex_cache.compile(r"(?<![A-Za-z])(?:[A-Za-z]{1,2}\d+[A-Za-z]{0,2}|\d+[A-Za-z]{1,2})(?![A-Za-z0-9])")
_CJK_ASCII_GAP = regex_cache.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])\s+(?=[\u4e00-\u9fff])")


def model_of_listing(title: str) -> str:
    """The model a listing title names: the title without memory, storage, battery,
    screen, network, processor and colour words, the device kind and shop words.

    >>> model_of_listing("荣耀X60 8GB+256GB 雅黑 5000mAh大电池 5G手机")
    '荣耀X60'
    >>> model_of_listing("【官方正品】荣耀 X60 12+512GB 墨岩黑 全网通")
    '荣耀X60'
    >>> model_of_listing("ThinkPad X1 Carbon")
    'ThinkPad X1 Carbon'

    A title that would lose everything comes back cleaned but whole.
    """
    text = _SPACES.sub(" ", normalize_text(title)).strip()
    text = _LISTING_BRACKETS.sub(" ", text)
    text = _BRAND_SLASH.sub("", text)  # HONOR/荣耀 X60: the brand in two scripts

    def paren(m: re.Match[str]) -> str:  # （HONOR）, (8+256), （雅黑）: not the model
        inner = m.group(1).strip()
        if not inner or re.fullmatch(r"[A-Za-z ./&-]+", inner) or _LISTING_SPECS.search(inner) \
                or _COLOUR.match(inner) or _LISTING_SHOP.search(inner):
            return " "
        return m.group(0)

    text = _LISTING_PARENS.sub(paren, text)
    text = _LISTING_SPECS.sub(" ", text)
    words: list[str] = []
    for word in text.split():
        word = _LISTING_SHOP.sub("", word)
        for kind in _LISTING_KINDS:
            if word.endswith(kind) and len(word) > len(kind) and not re.search(r"[A-Za-z0-9]$", word[: -len(kind)]):
                break  # 拍照手机, 游戏本: a description, not part of a model
            if word == kind or (word.endswith(kind) and re.search(r"[A-Za-z0-9]$", word[: -len(kind)])):
                word = word[: -len(kind)] if word != kind else ""
                break
        else:
            if _COLOUR.match(word):
                word = ""
        if word.strip("+/|,，、-"):
            words.append(word)
    # brand and model, then the buyer's choice in words: Chinese-only words after the last
    # word with Latin letters or digits are colour names (墨羽, 大漠银月), except an edition
    # that is a model of its own (青春版, 至臻版, 活力版: not 国行版, 标准版, 套装版)
    last = max((i for i, w in enumerate(words) if re.search(r"[A-Za-z0-9]", w)), default=None)
    if last is not None:
        words = words[: last + 1] + [w for w in words[last + 1 :] if w.endswith("版") and w not in _NOT_MODELS]
    model = _CJK_ASCII_GAP.sub("", " ".join(words)).strip(" /|,，、-")
    model = _CODE.sub(lambda m: m.group(0).upper(), model)  # x60 and X60 are one model
    return model or _SPACES.sub(" ", normalize_text(title)).strip()


def _kind(ch: str) -> int:
    return 1 if "a" <= ch <= "z" else 2 if "0" <= ch <= "9" else 0


class ProductMatcher:
    """Find and normalise product model names, from ``products.tsv``.

    Args:
        lines: the ``(line number, text)`` lines of ``products.tsv`` (header first).
        source: the file's name, for errors.
        version: a short hash of the file (stamped on results).

    :meth:`from_lexicons` reads the file in effect.

    Attributes:
        names: the normalised model names, in file order.
        version: a short hash of the lexicon file used.
    """

    def __init__(self, lines: list[tuple[int, str]], source: str = PRODUCTS_FILE,
                 version: str = "products-custom"):
        self._aliases: dict[str, str] = {}
        self.names: list[str] = []
        path = Path(source)
        header = [h.strip().lower() for h in lines[0][1].split("\t")] if lines else []
        if "name" not in header:
            raise LexiconError(f"{path.name}:{lines[0][0] if lines else 1}: header must name the columns "
                               "name, brand, kind, aliases")
        name_col, alias_col = header.index("name"), header.index("aliases") if "aliases" in header else None
        for number, line in lines[1:]:
            cells = [c.strip() for c in line.split("\t")]
            where = f"{path.name}:{number}"
            name = cells[name_col] if name_col < len(cells) else ""
            if not name:
                raise LexiconError(f"{where}: empty model name")
            aliases = split_terms(cells[alias_col]) if alias_col is not None and alias_col < len(cells) else []
            self.names.append(name)
            for alias in [name, *aliases]:
                key = squeeze(alias)
                if not key:
                    continue
                other = self._aliases.get(key)
                if other is not None and other != name:
                    raise LexiconError(f"{where}: alias {alias!r} already names {other!r}")
                self._aliases[key] = name
        self._regex = _trie_regex(sorted(self._aliases))
        # a match starts with an alias's first two characters, and squeezing a text only
        # drops separators (or puts | between numbers): a text where no first character
        # comes right before a second one or a separator names no model. A character
        # that lowers into two (İ into i + a dot) is a pair by itself.
        firsts = lowering_into(key[0] for key in self._aliases)
        seconds = {key[1] for key in self._aliases if len(key) > 1} | set(WHITESPACE) | set("_-·|")
        singles = {key for key in self._aliases if len(key) == 1} | {ch for ch in firsts if len(ch.lower()) > 1}
        self._maybe = char_gate(ranges(lowering_into(singles)), ranges(firsts), ranges(lowering_into(seconds)))
        # and, compiled, for a text with no separator to squeeze (most of them): whether
        # an alias is in its lower case at all (None without the compiled kernel)
        self._named = _names_gate(list(self._aliases))
        self.version = version

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons | None = None) -> ProductMatcher:
        """The matcher of ``products.tsv`` in effect (``None``: packaged)."""
        lexicons = lexicons if lexicons is not None else Lexicons.packaged()
        path = lexicons.path(PRODUCTS_FILE)
        return cls(lexicons.lines(PRODUCTS_FILE), path.name,
                   "products-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12])

    def find(self, text: str | None) -> list[str]:
        """The models a text mentions, normalised, each once, in order of mention."""
        if not text:
            return []
        norm = normalized(text)
        if self._named is not None and self._named(norm) == ():
            return []  # nothing to squeeze or lower, and no alias in the text
        if not self._maybe(norm):
            return []
        found: list[str] = []
        for name in self._matches(*squeeze_with_breaks(text)):
            if name not in found:
                found.append(name)
        return found

    def normalize(self, name: str | None) -> str:
        """The normalised model name for a product cell: the first model of
        ``products.tsv`` it names; else, for a name no alias matches, the model of a
        shop's listing title (:func:`model_of_listing`: 「荣耀X60 8GB+256GB 雅黑 5G手机」
        is 荣耀X60), half-width, whitespace collapsed."""
        if not name:
            return ""
        for model in self._matches(*squeeze_with_breaks(name)):
            return model
        model = model_of_listing(name)
        for known in self._matches(*squeeze_with_breaks(model)):
            return known
        return model

    def _matches(self, text: str, breaks: frozenset[int] = frozenset()):
        pos = 0
        search = self._regex.search
        while True:
            m = search(text, pos)
            if m is None:
                return
            s, e = m.span()
            first, last = _kind(text[s]), _kind(text[e - 1])
            runs_in = first and s and s not in breaks and _kind(text[s - 1]) == first
            after = _kind(text[e]) if e < len(text) and e not in breaks else 0
            # a model code runs on into a longer one: more of the same kind (p40 in p400),
            # letters after digits (k70 in K70E, x100 in X100s), or a + (Pro in Pro+)
            runs_out = ((last and after == last) or (last == 2 and after == 1) or (e < len(text) and text[e] == "+")
                        or _EDITION.match(text, e) is not None)
            if runs_in or runs_out:
                pos = s + 1  # runs into a longer word or number: not this alias
                continue
            yield self._aliases[m.group()]
            pos = e
