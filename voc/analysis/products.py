"""Product model names: find them in text, and normalise a product column.

``products.tsv`` (format in its header) maps the spellings customers use to one
normalised model name:

>>> matcher = ProductMatcher()
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

from voc.analysis.aspects import normalized, split_terms
from voc.analysis.gate import char_gate, lowering_into, ranges
from voc.analysis.normalize import normalize as normalize_text
from voc.errors import LexiconError
from voc.lexicon import Lexicons

__all__ = ["ProductMatcher", "squeeze"]

PRODUCTS_FILE = "products.tsv"
_DIGIT_GAP = re.compile(r"(?<=\d)[\s_\-·]+(?=\d)")
_SQUEEZE = re.compile(r"[\s_\-·]+")
_SPACES = re.compile(r"\s+")
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
    return re.compile("|".join(branches) if branches else r"(?!x)x")


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
        # a match starts with an alias's first character, and squeezing a text only drops
        # characters (or puts | between numbers): a text with none of them names no model
        firsts = {key[0] for key in self._aliases}
        self._maybe = char_gate(ranges(lowering_into(firsts)))
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
        if not text or not self._maybe(normalized(text)):
            return []
        found: list[str] = []
        for name in self._matches(*squeeze_with_breaks(text)):
            if name not in found:
                found.append(name)
        return found

    def normalize(self, name: str | None) -> str:
        """The normalised model name for a product cell (the first model it names);
        an unknown name comes back cleaned: half-width, whitespace collapsed."""
        if not name:
            return ""
        for model in self._matches(*squeeze_with_breaks(name)):
            return model
        return _SPACES.sub(" ", normalize_text(name)).strip()

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
            runs_out = last and e < len(text) and e not in breaks and _kind(text[e]) == last
            if runs_in or runs_out:
                pos = s + 1  # runs into a longer word or number: not this alias
                continue
            yield self._aliases[m.group()]
            pos = e
