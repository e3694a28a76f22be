"""Word segmentation with jieba's dictionary semantics, at compiled speed.

:class:`Segmenter` holds its own cutter over jieba's dictionary, cut without HMM: with
the same dictionary it gives the same tokens as ``jieba.Tokenizer().lcut(text,
HMM=False)``. The cutter is the compiled :mod:`voc.analysis._segment_fast` kernel (jieba-rs's
algorithm over jieba's ``dict.txt``, about 5x faster than rjieba because tokens of the
same word share one string), or, when it is not built, its own ``rjieba.Jieba`` (the Rust
port of jieba, about 15x faster than jieba); the two give the same tokens (tests compare
them). Nothing global is mutated, so two segmenters with different lexicons can live in
one process.

The user dictionary (``userdict.txt`` in the lexicon folder, jieba's
``word [freq] [tag]`` format, see :mod:`voc.lexicon`) is loaded the way
``jieba.load_userdict`` loads it: in file order, a word without a frequency gets
jieba's ``suggest_freq(word, tune=False)``, the smallest frequency that cuts it out as
one token. Two additions, both documented in the file header:

* a word with ASCII capitals is also added in lower case (``小新pro14``), because
  customers rarely type the capitals;
* jieba cannot hold a word with a space (its cutter splits text at spaces before it
  looks words up), so such words (``ThinkPad X1``, tab-separated in the file) are
  matched before jieba runs, case-insensitively and with any run of spaces, and come
  out as one token spelled as in the text.

Also matched before jieba, and kept as single tokens: mask tokens such as ``<PHONE>``
(any ``<UPPER_CASE>`` name) and multi-code-point emoji (ZWJ sequences, skin tones,
variation selectors, flags). Single-code-point emoji are single tokens in jieba already.

``cut`` keeps every token, spaces and stop words included, exactly like jieba;
:attr:`Segmenter.stopwords` is there for the stages that want to drop them. Text should
be normalised first (:func:`voc.analysis.normalize.normalize`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from voc.analysis import regex_cache
from voc.analysis.gate import WHITESPACE, char_gate, ranges
from voc.lexicon import Lexicons, UserWord, read_userdict

USERDICT_FILE = "userdict.txt"
STOPWORDS_FILE = "stopwords.txt"

__all__ = ["Segmenter", "MASK_PATTERN"]

#: Mask tokens written by ingest (``<PHONE>``, ``<EMAIL>``, ``<ORDER>`` …).
MASK_PATTERN = r"<[A-Z][A-Z0-9_]{0,30}>"

_EMOJI = r"[\u2600-\u27BF\u2B00-\u2BFF\U0001F000-\U0001FAFF]"
_EMOJI_MOD = r"[\uFE0F\u20E3\U0001F3FB-\U0001F3FF]"
# Only emoji that span several code points need protecting.
_EMOJI_SEQUENCE = (
    rf"[\U0001F1E6-\U0001F1FF]{{2}}"
    rf"|{_EMOJI}{_EMOJI_MOD}*(?:\u200d{_EMOJI}{_EMOJI_MOD}*)+"
    rf"|{_EMOJI}{_EMOJI_MOD}+"
)


# Every protected span contains one of these; texts without them skip the big pattern:
# ``[<\u2600-\u27BF\u2B00-\u2BFF\U0001F000-\U0001FAFF]|[A-Za-z0-9]\s`` as a gate.
_PREFILTER_SINGLES = [(ord("<"), ord("<")), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF)]
_PREFILTER_PAIR = ([(ord("0"), ord("9")), (ord("A"), ord("Z")), (ord("a"), ord("z"))], ranges(WHITESPACE))


def _spaced_pattern(words: Iterable[str]) -> str:
    """Regex alternation for user words containing spaces, longest first (then in
    code-point order: the same pattern in every process, so its compiled code is reused)."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        pieces = [re.escape(piece) for piece in word.split()]
        if pieces:
            parts.append(r"(?<![A-Za-z0-9])" + r"\s+".join(pieces) + r"(?![A-Za-z0-9])")
    return "|".join(parts)


class Segmenter:
    """A jieba-compatible segmenter with the voc lexicons.

    Args:
        user_words: jieba user-dictionary words (``userdict.txt``), in order; a word
            without a frequency gets jieba's ``suggest_freq``.
        stopwords: the stop-word set (``stopwords.txt``; not removed by :meth:`cut`).
        extra_words: more user words, added after the dictionary's.

    ``Segmenter()`` is plain jieba; :meth:`from_lexicons` is the one that reads files.

    Attributes:
        stopwords: the stop-word set.
        user_words: every word added to jieba, in order, with the frequency used
            (give the same list to ``jieba.Tokenizer.add_word`` to reproduce the cuts).
        spaced_words: the user words that contain spaces, matched before jieba.
    """

    def __init__(
        self,
        user_words: Iterable[UserWord] = (),
        stopwords: Iterable[str] = (),
        extra_words: Iterable[UserWord] = (),
    ) -> None:
        self._words = tuple(user_words)
        self._stop = frozenset(stopwords)
        self._extra_words = tuple(extra_words)
        self._build()

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons | None = None, extra_words: Iterable[UserWord] = ()) -> Segmenter:
        """The segmenter of ``userdict.txt`` and ``stopwords.txt`` in effect (``None``: packaged)."""
        lexicons = lexicons if lexicons is not None else Lexicons.packaged()
        words = read_userdict(lexicons.path(USERDICT_FILE)) if lexicons.has(USERDICT_FILE) else []
        return cls(words, lexicons.terms(STOPWORDS_FILE), extra_words)

    def _build(self, resolved: tuple[tuple[UserWord, ...], tuple[str, ...]] | None = None) -> None:
        """The cutter with the user words; ``resolved``: the :attr:`user_words` and
        :attr:`spaced_words` a segmenter of the same words made (pickled with it), added
        as they are (their frequencies already suggested)."""
        self.stopwords: frozenset[str] = self._stop

        if resolved is not None:
            added, spaced = resolved
            self._jieba = _cutter_with(tuple(added))
        else:
            self._jieba = _new_cutter()
            added, spaced = [], []
            for entry in [*self._words, *self._extra_words]:
                if any(ch.isspace() for ch in entry.word):
                    spaced.append(" ".join(entry.word.split()))
                    continue
                variants = [entry.word]
                lower = entry.word.lower()
                if lower != entry.word:
                    variants.append(lower)
                for variant in variants:
                    freq = entry.freq if entry.freq is not None else self._jieba.suggest_freq(variant)
                    self._jieba.add_word(variant, freq)
                    added.append(UserWord(variant, freq, entry.tag))
        self.user_words: tuple[UserWord, ...] = tuple(added)
        self.spaced_words: tuple[str, ...] = tuple(dict.fromkeys(spaced))

        alternatives = [MASK_PATTERN, _EMOJI_SEQUENCE]
        spaced_alt = _spaced_pattern(self.spaced_words)
        if spaced_alt:
            alternatives.insert(0, f"(?i:{spaced_alt})")
        self._protected = regex_cache.compile("|".join(f"(?:{alt})" for alt in alternatives))
        self._prefilter = char_gate(_PREFILTER_SINGLES, *_PREFILTER_PAIR)

    def cut(self, text: str) -> list[str]:
        """Segment one (normalised) text into tokens; ``"".join(tokens) == text``."""
        if not text:
            return []
        cut = self._cut
        protected = self._protected
        if not self._prefilter(text) or protected.search(text) is None:
            return cut(text)
        tokens: list[str] = []
        start = 0
        for match in protected.finditer(text):
            if match.start() > start:
                tokens.extend(cut(text[start : match.start()]))
            tokens.append(match.group())
            start = match.end()
        if start < len(text):
            tokens.extend(cut(text[start:]))
        return tokens

    @property
    def _cut(self) -> Callable[[str], list[str]]:
        """The cutter's ``cut(text)`` (no protected spans)."""
        return self._jieba.cut

    def cut_many(self, texts: Iterable[str]) -> list[list[str]]:
        """Segment many texts (:meth:`cut` of each, the usual case in one call)."""
        texts = list(texts)
        prefilter, protected = self._prefilter, self._protected.search
        special = [i for i, text in enumerate(texts)
                   if not text or (prefilter(text) and protected(text) is not None)]
        if not special:
            return self._jieba.cut_many(texts)
        out = self._jieba.cut_many(texts)
        for i in special:
            out[i] = self.cut(texts[i])
        return out

    def content_tokens(self, tokens: Iterable[str]) -> list[str]:
        """Drop stop words and whitespace tokens (for keyword and clustering stages)."""
        stop = self.stopwords
        return [token for token in tokens if token.strip() and token not in stop]

    # cutters cannot be pickled; rebuilt from the words (with the frequencies they were
    # added with: the same cutter, without suggesting them again) in worker processes
    # and a cached analyzer (voc.analysis.snapshot)
    def __getstate__(self) -> dict[str, Any]:
        return {"words": self._words, "stop": self._stop, "extra_words": self._extra_words,
                "resolved": (self.user_words, self.spaced_words)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._words, self._stop = tuple(state["words"]), frozenset(state["stop"])
        self._extra_words = tuple(state["extra_words"])
        self._build(state.get("resolved"))

    def __repr__(self) -> str:
        return f"Segmenter({len(self._words)} user words, {len(self._stop)} stop words)"


class _RJieba:
    """rjieba's cutter with the kernel's interface (when the kernel is not built)."""

    def __init__(self, dictionary: bool = True) -> None:
        import rjieba

        self._jieba = rjieba.Jieba() if dictionary else rjieba.Jieba.empty()
        self._dictionary = dictionary
        self._added: list[tuple[str, int | None]] = []  # rjieba's cutter cannot be pickled: its words can

    def __getstate__(self) -> dict:
        return {"dictionary": self._dictionary, "added": self._added}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["dictionary"])
        for word, freq in state["added"]:
            self.add_word(word, freq)

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, False)

    def cut_many(self, texts: list[str]) -> list[list[str]]:
        cut = self._jieba.cut
        return [cut(text, False) for text in texts]

    def add_word(self, word: str, freq: int | None = None) -> int:
        self._added.append((word, freq))
        return self._jieba.add_word(word, freq, None)

    def suggest_freq(self, word: str) -> int:
        return self._jieba.suggest_freq(word)


def jieba_dictionary() -> Path | None:
    """jieba's ``dict.txt`` (the package is found, not imported), or None."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "dict.txt"
    return path if path.is_file() else None


def word_tags(words: Iterable[str]) -> dict[str, str]:
    """jieba's part-of-speech tag of each word its dictionary lists (``n`` noun, ``v``
    verb, ``d`` adverb ...); words it does not list are left out. One pass over
    ``dict.txt`` (about 0.1 s): for a handful of words, not per review."""
    wanted = set(words)
    path = jieba_dictionary()
    out: dict[str, str] = {}
    if not wanted or path is None:
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, _, rest = line.partition(" ")
            if word in wanted:
                fields = rest.split()
                if len(fields) >= 2:
                    out[word] = fields[-1]
    return out


def _new_cutter(kernel: bool = True) -> Any:
    """The compiled kernel over jieba's dictionary, or rjieba's cutter.

    Building the kernel's trie from ``dict.txt`` takes about 90 ms, a large part of a
    short `voc analyze`; the built trie is kept in the cache folder (about 33 MB, named
    by the dictionary file's path, size and time and the kernel's layout) and mapped
    back (:func:`_mapped_kernel`), which costs next to nothing. An unreadable or stale
    cache file is built again; a cache folder that cannot be written only costs the
    build."""
    from voc.analysis import compiled

    module = compiled("_segment_fast") if kernel else None
    path = jieba_dictionary() if module is not None else None
    if module is None or path is None:
        return _RJieba()
    cache = _kernel_cache(path, getattr(module, "DUMP_FORMAT", None))
    if cache is not None:
        try:
            return _mapped_kernel(module, cache)
        except (OSError, ValueError):
            pass
    built = module.SegmentKernel(path.read_text(encoding="utf-8"))
    if cache is not None:
        from voc.analysis import keep_in_cache

        keep_in_cache(cache, lambda tmp: tmp.write_bytes(built.dump(SPARE_NODES)), "segmenter-*.bin",
                      keep=2)  # 33 MB each
    return built


#: Room for new nodes in the cached trie (:func:`_new_cutter`): the user dictionary's
#: words (a few thousand nodes) are added in the mapped file's pages, without copying its
#: 8 MB of node arrays out first (about 10 ms of every start-up).
SPARE_NODES = 16384


def _mapped_kernel(module: Any, cache: Path) -> Any:
    """The kernel over the cached trie, mapped copy-on-write rather than read: only the
    pages a cut touches are read, forked workers share them, and the file may be replaced
    or pruned meanwhile (the map keeps its own). Copied in where there is no ``mmap``."""
    import mmap

    with open(cache, "rb") as f:
        try:
            view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        except (OSError, ValueError):  # no memory maps here (or an empty file)
            return module.SegmentKernel.from_dump(f.read())
    return module.SegmentKernel.from_buffer(view)


def _cutter_with(words: tuple[UserWord, ...]) -> Any:
    """:func:`_new_cutter` with ``words`` added, each with the frequency it carries (the
    cutter of a segmenter read back: worker processes, a cached analyzer).

    The compiled kernel's trie with the words in it is kept in the cache folder as well
    (named by the dictionary, the kernel's layout and the words) and mapped back: adding
    them to the mapped dictionary writes into a few thousand of its pages, each copied
    for this process first (about 6 ms of every start-up)."""
    from voc.analysis import compiled

    module = compiled("_segment_fast")
    path = jieba_dictionary() if module is not None else None
    layout = getattr(module, "DUMP_FORMAT", None)
    cache = None
    if path is not None and layout is not None:
        import hashlib

        digest = hashlib.sha256("\n".join(f"{w.word}\t{w.freq}" for w in words).encode("utf-8", "surrogatepass"))
        cache = _kernel_cache(path, f"{layout}:{digest.hexdigest()}", "segmenter_words")
    if cache is not None and cache.is_file():
        try:
            return _mapped_kernel(module, cache)
        except (OSError, ValueError):  # damaged: built again and replaced
            pass
    cutter = _new_cutter()
    for entry in words:
        cutter.add_word(entry.word, entry.freq)
    if cache is not None:
        from voc.analysis import keep_in_cache

        keep_in_cache(cache, lambda tmp: tmp.write_bytes(cutter.dump(SPARE_NODES)), "segmenter_words-*.bin",
                      keep=2)  # 33 MB each
    return cutter


def _kernel_cache(dictionary: Path, layout: object, name: str = "segmenter") -> Path | None:
    """Where the built trie of ``dictionary`` is cached, or None (a kernel built before
    it could dump, or a dictionary that cannot be read)."""
    from voc.analysis import cache_file

    return cache_file(dictionary, name, layout, ".bin") if layout is not None else None


def phrase_cutter() -> Any:
    """A cutter with an empty dictionary (``add_word`` fills it, ``cut(text)`` cuts): the
    compiled kernel, or rjieba's ``Jieba.empty()``. Lexicon scanners find their phrases
    with it (:class:`voc.analysis.scanner.Scanner`)."""
    from voc.analysis import compiled

    module = compiled("_segment_fast")
    return module.SegmentKernel("") if module is not None else _RJieba(dictionary=False)
