"""The compiled kernels give exactly what the pure-Python reference code gives."""

from __future__ import annotations

import csv
import os
import random

import numpy as np
import pytest

from tests.conftest import SHARED_DATA
from voc.analysis import compiled
from voc.analysis.aspects import resolve_pieces
from voc.analysis.normalize import normalize
from voc.analysis.products import squeeze_with_breaks
from voc.analysis.segment import Segmenter
from voc.analysis.sentiment_train import default_model
from voc.analysis.topics import TopicTagger, _doc_polarity
from voc.lexicon import UserWord

# Hand-written cases for the rules that branch: negation, degree, contrast, generic
# terms, hypotheticals, headings, missing parts, ASCII phrases, numbers with colons.
CASES = [
    "屏幕很好，但是发热严重，玩游戏烫手", "没有发热，也不卡", "不是很流畅", "一点都不卡顿",
    "缺点：风扇声音大。优点：屏幕清晰", "会不会发热？", "没有耳机", "快递速度很快", "电池性能一般",
    "好热", "严重发热", "屏幕和键盘都很好", "很清晰的屏幕", "16:9的屏幕，1.6GHz的cpu", "windows系统很卡",
    "dos下", "不太好", "不不好", "发热不大，续航长，充电慢", "外观漂亮", "很漂亮", "", "，。！", "<PHONE>联系我",
    "散热还可以但是噪音很大而且屏幕有坏点", "客服态度差，物流慢，包装破损，价格还贵", "蓝牙老是断，wifi也不稳定",
    "快递费用谁负担呢?", "退货的运费怎么算？到付吗?", "为什么这么卡?屏幕也不亮", "物流?",
    "相对988元的价格性价比非常的高", "价格性价比很高", "价格和性价比都很高", "价格很高，性价比也不高",
    "摄像头效果不错，但可惜不能旋转", "虽然便宜，但是用起来不顺手", "屏幕很好，键盘也不错，但是不能旋转",
    "屏幕很好，但是", "屏幕很好。不过很卡", "屏幕很好，不过很流畅", "赠送的鼠标虽然小了点，可是灵活度还可以",
    "电池虽然不能到9.5小时，但是足够一整天的日常使用了", "虽然有点重，但是挺时尚的",
    "发热没有想象的那么厉害", "发热没有想象中那么严重，屏幕不太亮", "屏幕不是很亮",
]


# A machine without a C compiler runs the pure-Python code (the README's VOC_PURE_PYTHON=1,
# which CI runs too): there the tests that compare a kernel with the reference skip.
KERNELS_OFF = os.environ.get("VOC_PURE_PYTHON", "") not in ("", "0")
needs_kernels = pytest.mark.skipif(KERNELS_OFF, reason="VOC_PURE_PYTHON=1: the compiled kernels are switched off")


def _texts(n_generated: int = 1500) -> list[str]:
    from benchmarks._common import review_text

    rng = random.Random(11)
    texts = list(CASES) + [review_text(rng)[0] for _ in range(n_generated)]
    real = SHARED_DATA / "online_shopping_10_cats" / "online_shopping_10_cats.csv"
    if real.is_file():
        with open(real, encoding="utf-8") as f:
            rows = [r["review"] for r in csv.DictReader(f) if r["review"]]
        texts += random.Random(5).sample(rows, 4000)
    dev = SHARED_DATA / "topics_dev" / "labels.csv"
    if dev.is_file():
        with open(dev, encoding="utf-8") as f:
            texts += [r["text"] for r in csv.DictReader(f)]
    return [normalize(t) for t in texts]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


@needs_kernels
def test_the_kernels_are_built():
    # `make test` installs the package, which compiles them; a machine without a C
    # compiler runs the Python code instead (same results, slower).
    assert compiled("_aspects_fast") is not None, "voc.analysis._aspects_fast is not built (pip install -e . with a C compiler)"
    assert compiled("_sentiment_fast") is not None, "voc.analysis._sentiment_fast is not built"
    assert compiled("_segment_fast") is not None, "voc.analysis._segment_fast is not built"
    assert compiled("_gate_fast") is not None, "voc.analysis._gate_fast is not built"


def test_pure_python_switch(monkeypatch):
    monkeypatch.setenv("VOC_PURE_PYTHON", "1")
    assert compiled("_aspects_fast") is None
    assert TopicTagger.from_lexicons()._kernel is None


@pytest.mark.parametrize("doc", [None, "positive", "negative", "neutral"])
def test_compiled_topic_resolver_equals_the_reference(texts, doc):
    tagger = TopicTagger.from_lexicons()
    kernel = tagger._kernel
    if kernel is None:
        pytest.skip("compiled kernels not built")
    scanner = tagger._scanner
    patterned = 0
    for from_lexicon, asked in ((True, False), (False, False), (False, True)):
        for text in texts:
            low, pieces, get, edges = scanner.cut(text)
            want = resolve_pieces(text, pieces, get, edges, low, _doc_polarity(doc), from_lexicon, asked)
            low2, pieces2, entries = scanner.pieces(text)
            numbers = None if entries is None else kernel.entry_numbers(entries)
            assert kernel.resolve(text, pieces2, numbers, low2, _doc_polarity(doc), from_lexicon, asked) == want, text
            if entries is None:
                assert kernel.scan_resolve(text, low2, _doc_polarity(doc), from_lexicon, asked) == want, text
            else:  # the pattern matches merged in by the kernel (the per-review path)
                extra = sorted(scanner._pattern_tokens(low2), key=lambda t: t[0])
                got = kernel.scan_resolve_extra(text, low2, extra, _doc_polarity(doc), from_lexicon, asked)
                assert got == want, text
                patterned += 1
    assert patterned > 100  # the texts exercise the merge


def test_a_pickled_topic_kernel_reads_texts_as_the_built_one(texts):
    import pickle

    tagger = TopicTagger.from_lexicons()
    if tagger._kernel is None:
        pytest.skip("compiled kernels not built")
    clone = pickle.loads(pickle.dumps(tagger))  # the kernel's tables copied, not built again
    assert clone._kernel is not None and clone._kernel is not tagger._kernel
    sample = texts[:1500] + CASES + ["电池鼓起来了，屏幕很亮", "充电到80%就充不进去了，续航很短"]
    for kind in ("review", "ticket"):
        assert ([clone.tag_normalized(t, "negative", kind) for t in sample]
                == [tagger.tag_normalized(t, "negative", kind) for t in sample])
    # its own tables (what it was built from holds frozensets, whose pickled order a copy
    # need not keep)
    assert clone._kernel.__reduce__()[1][1] == tagger._kernel.__reduce__()[1][1]
    # numbered as the built kernel numbers them: the scanner's entries reach the same slots
    entries = list(tagger._scanner.literals.values())[:50]
    assert clone._kernel.entry_numbers(list(clone._scanner.literals.values())[:50]) == \
        tagger._kernel.entry_numbers(entries)
    # a state that does not fit what it was built from is refused
    make, (args, state) = tagger._kernel.__reduce__()
    with pytest.raises(ValueError):
        make(args, (state[0] + 1, *state[1:]))


def test_compiled_topic_resolver_takes_pattern_matches():
    tagger = TopicTagger.from_lexicons()
    if tagger._kernel is None:
        pytest.skip("compiled kernels not built")
    # 电池鼓起来 and 1.6GHz-style specs go through the lexicon's patterns
    texts = [t for t in CASES + ["电池鼓起来了，屏幕很亮", "充电到80%就充不进去了，续航很短"]
             if tagger._scanner.pieces(t)[2] is not None]
    assert texts, "no case exercises the pattern path"
    for text in texts:
        with_kernel = tagger.tag_normalized(text, "negative")
        kernel, tagger._kernel = tagger._kernel, None
        try:
            assert with_kernel == tagger.tag_normalized(text, "negative"), text
        finally:
            tagger._kernel = kernel


def test_compiled_sentiment_scorer_equals_numpy(texts):
    model = default_model()
    scorer = model._fast
    if scorer is None or scorer._kernel is None:
        pytest.skip("compiled kernels not built")
    seg = Segmenter.from_lexicons()
    tokens = seg.cut_many(texts) + [[], ["，"], ["。", "。"], ["不"], ["不", "好"],
                                    ["很少", "死机"], ["功能", "很少", "很", "不", "方便"]]  # 很少 reaches one word
    got_d, got_w = scorer._kernel.decision_and_words(tokens)
    want_d, want_w = scorer.decision_and_words_numpy(tokens)
    np.testing.assert_array_equal(got_w, want_w)
    np.testing.assert_allclose(got_d, want_d, rtol=0, atol=1e-9)


def test_compiled_phrase_cut_finds_what_the_scanners_jieba_finds(texts):
    tagger = TopicTagger.from_lexicons()
    kernel, scanner = tagger._kernel, tagger._scanner
    if kernel is None:
        pytest.skip("compiled kernels not built")
    import rjieba

    from voc.analysis.scanner import FREQ

    reference = rjieba.Jieba.empty()  # what the scanner's phrase cutter is to give
    for word in scanner.jieba_words:
        reference.add_word(word, FREQ, None)
    odd = ["a㐀b屏幕", "ab屏幕1.6ghz", "x\r\ny", "\r\n\r", "wifi不好用", "很好看的屏幕", "16:9", "a-b", "𠀀屏幕"]
    for text in texts + odd:
        low = scanner.lower(text)
        assert scanner._jieba.cut(low) == reference.cut(low, False), text
        want, pos = [], 0
        for word in reference.cut(low, False):
            if word in scanner.literals:
                want.append((pos, pos + len(word), word))
            pos += len(word)
        assert [(s, e, low[s:e]) for s, e, _ in kernel.cut_found(low)] == want, text


# Texts where the cut has corner cases: ASCII runs, CJK extension blocks, \r\n, symbols,
# a character outside the Basic Multilingual Plane, digits with dots and percents.
ODD_SEGMENT = ["a㐀b屏幕", "ab屏幕1.6ghz", "x\r\ny", "\r\n\r", "wifi不好用", "16:9", "a-b", "𠀀屏幕", "𠀀",
               "C++和C#", "50%的电量", "1 2 3", "ａｂｃ", "😀😀好", "  ", "\t\n", "y9000p2023款", "A_B.c"]


def _segment_kernel():
    module = compiled("_segment_fast")
    if module is None:
        pytest.skip("compiled kernels not built")
    from voc.analysis.segment import jieba_dictionary

    path = jieba_dictionary()
    if path is None:
        pytest.skip("jieba's dict.txt not found")
    return module.SegmentKernel(path.read_text(encoding="utf-8"))


def test_compiled_segmenter_cuts_as_rjieba(texts):
    import rjieba

    kernel, reference = _segment_kernel(), rjieba.Jieba()
    assert kernel.total == 60101964  # jieba's dict.txt, each distinct word counted once
    for text in texts + ODD_SEGMENT:
        assert kernel.cut(text) == reference.cut(text, False), text
    assert kernel.cut_many(texts[:50]) == [reference.cut(t, False) for t in texts[:50]]


def test_compiled_segmenter_user_words_as_rjieba(texts):
    import rjieba

    kernel, reference = _segment_kernel(), rjieba.Jieba()
    # new words, a word already in the dictionary, a word re-added with a new frequency
    for word, freq in [("发热严重", None), ("小新pro14", 2000), ("屏幕", 5), ("续航", None), ("发热严重", 7)]:
        want = reference.suggest_freq(word) if freq is None else freq
        assert kernel.suggest_freq(word) == reference.suggest_freq(word), word
        assert kernel.add_word(word, want) == reference.add_word(word, want, None), word
    assert kernel.freq("屏幕") == 5 and kernel.freq("发热严重") == 7 and kernel.freq("不存在的词") is None
    for text in texts[:800] + ODD_SEGMENT + ["小新pro14屏幕发热严重", "续航发热严重屏幕"]:
        assert kernel.cut(text) == reference.cut(text, False), text


@needs_kernels
def test_segmenter_is_the_same_with_either_cutter(texts, monkeypatch):
    import voc.analysis.segment as segment

    fast = Segmenter.from_lexicons()
    monkeypatch.setattr(segment, "_new_cutter", lambda kernel=True: segment._RJieba())
    slow = Segmenter.from_lexicons()
    assert type(slow._jieba).__name__ == "_RJieba" and type(fast._jieba).__name__ != "_RJieba"
    assert fast.user_words == slow.user_words  # suggested frequencies included
    sample = texts[:1500] + ODD_SEGMENT + ["联系<PHONE>，y9000p发热严重"]
    assert fast.cut_many(sample) == slow.cut_many(sample)
    assert [fast.cut(t) for t in sample[:200]] == [slow.cut(t) for t in sample[:200]]


GATE_ODD = ["ＴｈｉｎｋＰａｄ　Ｘ１", "這台電腦發熱嚴重。。。", "好!!", "a  b", "\u212a1", "Y9000P", "y 9000p", "😀", "𠀀",
            "<PHONE>", "abc def", "1\u3000", "x\u00a0", "ſ", "冒烟", "电池鼓起来了", "IPHONE", "ｙ９０００ｐ"]


def _raw_texts() -> list[str]:
    from benchmarks._common import review_text

    rng = random.Random(12)
    texts = list(CASES) + GATE_ODD + [review_text(rng)[0] for _ in range(1000)]
    real = SHARED_DATA / "online_shopping_10_cats" / "online_shopping_10_cats.csv"
    if real.is_file():
        with open(real, encoding="utf-8") as f:
            rows = [r["review"] for r in csv.DictReader(f) if r["review"]]
        texts += random.Random(6).sample(rows, 4000)
    return texts


@needs_kernels
def test_compiled_char_gate_answers_as_the_regex(monkeypatch):
    from voc.analysis.gate import WHITESPACE, char_gate, ranges

    singles = ranges("<!！") + [(0x2600, 0x27BF), (0x1F000, 0x1FAFF)]
    pair = (ranges("0123456789abcXYZ"), ranges(WHITESPACE))
    fast = char_gate(singles, *pair)
    monkeypatch.setenv("VOC_PURE_PYTHON", "1")
    slow = char_gate(singles, *pair)
    assert fast is not slow and type(fast) is not type(slow)
    for text in _raw_texts() + ["", "a b", "a\u3000", "z ", "Z ", "😀", "\U0001FB00", "9\n"]:
        assert fast(text) == slow(text), text


def test_gates_only_skip_what_could_not_match(monkeypatch):
    from voc.analysis import normalize as norm_module
    from voc.analysis.products import ProductMatcher
    from voc.analysis.safety import SafetyDetector

    raw = _raw_texts()
    gated = [normalize(t) for t in raw]
    monkeypatch.setattr(norm_module, "_gate", lambda: (lambda text: True))
    assert [normalize(t) for t in raw] == gated  # the same texts without the gate
    seg, safety, products = Segmenter.from_lexicons(), SafetyDetector.from_lexicons(), ProductMatcher.from_lexicons()
    skipped = {"segment": 0, "safety": 0, "products": 0}
    for text in gated:
        if not seg._prefilter(text):
            skipped["segment"] += 1
            assert seg._protected.search(text) is None, text
        if safety._chars is not None and not safety._chars(text):
            skipped["safety"] += 1
            assert safety._gate.search(text) is None, text
        if not products._maybe(text):
            skipped["products"] += 1
            assert list(products._matches(*squeeze_with_breaks(text))) == [], text
        if safety._needs is not None and safety._needs(text) == ():  # the compiled need gates
            skipped["safety needs"] = skipped.get("safety needs", 0) + 1
            assert not any(rx.search(text) for rx in safety._prefilters), text  # no hazard phrase or pattern
        if products._named is not None and products._named(text) == ():
            skipped["product names"] = skipped.get("product names", 0) + 1
            assert list(products._matches(*squeeze_with_breaks(text))) == [], text
    assert all(n > len(gated) // 4 for n in skipped.values()), skipped  # the gates do skip
    assert products.find("之前用的小新 pro 14，这次换了\u212a") == ["小新Pro14"]
    assert products.find("ｙ９０００ｐ") == ["Y9000P"] and products.find("y9000P") == ["Y9000P"]


NEED_ODD = ["ＫＫ个g内存", "16ＧＢ内存", "１６g内存", "\u0661\u0666g内存", "\u212a 16G内存", "İ16G内存 送了个鼠标",
            "SEND 送个包", "送个鼠标，送了个包", "风扇一直转 风扇声音大", "4000元 3000块", "type c", "typec", "ssd 512g",
            "第二天就到了，物流很快", "快递员态度差，快递小哥态度好", "\U0001d7d8\U0001d7d9g内存", "ſsd 1tb"]


def _scanners():
    from voc.analysis.safety import SafetyDetector

    return {"topics": TopicTagger.from_lexicons()._scanner, "safety": SafetyDetector.from_lexicons()._scanner}


@needs_kernels
def test_the_need_gate_finds_the_pattern_matches_of_the_dispatch(texts):
    """The compiled need gate and the one-by-one search of the patterns it names give
    the matches the characters' dispatch gives."""
    sample = [normalize(t) for t in _raw_texts() + NEED_ODD] + texts
    for name, scanner in _scanners().items():
        assert scanner._needs is not None, name
        ruled_out = searched = 0
        for text in sample:
            low = scanner.lower(text)
            with_gate = scanner._pattern_tokens(low)
            gate, scanner._needs = scanner._needs, None
            try:
                assert with_gate == scanner._pattern_tokens(low), (name, text)
            finally:
                scanner._needs = gate
            possible = gate(low)
            ruled_out += possible == ()
            searched += bool(possible)
            for raw in {text, text.upper(), text.title()}:  # the gate of texts not lower-cased yet
                got_low, got = scanner.lower_and_patterns(raw)
                assert got_low == scanner.lower(raw) and got == scanner._pattern_tokens(scanner.lower(raw)), (name, raw)
        assert ruled_out > len(sample) // 2 and searched > 10, (name, ruled_out, searched)


@needs_kernels
def test_the_need_gate_keeps_the_order_of_patterns_and_the_anywhere_ones(texts):
    """Patterns that start at the same place (the first in lexicon order wins), several
    that may match one text, and one that can start anywhere (searched on its own, merged
    by start) give with the gate what the dispatch gives."""
    from voc.analysis.aspects import Entry, TopicRef
    from voc.analysis.scanner import Scanner

    def entry(topic: str) -> Entry:
        return Entry(refs=(TopicRef(topic, -1, -1, True, False),))

    patterns = [(r"[^，。]好(?:用|看)", entry("a")), (r"好用", entry("b")), (r"电池.{0,3}坏", entry("c")),
                (r"(?<=不)好", entry("d")), (r"屏幕(?:很|太)?亮", entry("e")), (r"发热|发烫", entry("f")),
                (r"\d+\s?g内存", entry("g")), (r"(?:很|太)(?:好用|卡)", entry("h"))]
    scanner = Scanner({"屏幕": entry("s")}, patterns)
    assert scanner._needs is not None and scanner._anywhere_re is not None
    sample = [t.lower() for t in texts[:3000]] + ["很好用，不好看", "电池坏了，电池又坏", "16g内存 很卡", "屏幕很亮屏幕太亮",
                                                  "好用好看", "不好用", "发热发烫", "k好用", "好好用"]
    differ = 0
    for low in sample:
        with_gate = scanner._pattern_tokens(low)
        gate, scanner._needs = scanner._needs, None
        try:
            without = scanner._pattern_tokens(low)
        finally:
            scanner._needs = gate
        assert with_gate == without, low
        differ += bool(with_gate)
    assert differ > 50


@needs_kernels
def test_normalize_with_the_compiled_steps_equals_the_regular_expressions(monkeypatch):
    """The compiled pass that names the steps a text needs, and the runs collapsed with
    str.replace, normalise as the translate table and _REPEAT_RE do."""
    from voc.analysis import normalize as norm_module

    rng = random.Random(23)
    alphabet = list(norm_module._COLLAPSING) + list("好的。，！？ \t\n　ＡＢ１．這電腦…—·xy<>") + ["\u200b", "\U0001f600"]
    raw = _raw_texts() + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20000)]
    fast = [normalize(t) for t in raw]
    assert norm_module._steps() is not None
    monkeypatch.setattr(norm_module, "_steps", lambda: None)
    assert [normalize(t) for t in raw] == fast


@needs_kernels
def test_the_need_gate_answers_as_the_needs_read_in_python(texts):
    from voc.analysis.gate import need_gate
    from voc.analysis.scanner import needs_met

    needs = [[frozenset({"送"}), frozenset({"个", "了个"})], [frozenset({"ab", "abc"})], [frozenset({"k"}), frozenset({"1"})],
             [frozenset({"内存", "硬盘"}), frozenset(str(d) for d in range(10))]]
    gate = need_gate(needs, digits=True)
    for text in [normalize(t).lower() for t in _raw_texts() + NEED_ODD] + ["xabx", "ab", "送了个", "k1", "K1", "k１"]:
        got = gate(text)
        odd = any(ch in "K\u212a" or (ch.isdecimal() and not ch.isascii()) for ch in text)
        if odd:
            assert got is None, text
        else:
            assert got == tuple(i for i, clauses in enumerate(needs) if needs_met(text, [clauses])), text


def test_pattern_needs_hold_for_every_match(texts):
    """Every match of a lexicon pattern puts in the text a string of each clause of its
    needs (the gate's premise), on real and generated texts."""
    import re

    from voc.analysis.scanner import _JIEBA_BLOCK, pattern_needs

    sample = [normalize(t).lower() for t in _raw_texts() + NEED_ODD] + [t.lower() for t in texts]
    for name, scanner in _scanners().items():
        sources = [src for group in [*scanner._char_re.values(), scanner._anywhere_re] if group
                   for src in _sources(group[0].pattern)]
        sources += [r"\s*".join(re.escape(p) for p in k.split()) for k in scanner.literals
                    if not (len(k) == 1 or _JIEBA_BLOCK.fullmatch(k))]
        found = pattern_needs(sources)
        assert found is not None, name
        for source, clauses in zip(sources, found[0], strict=True):
            rx = re.compile(source, re.IGNORECASE)
            for text in sample:
                if rx.search(text) and not any(ch.isdecimal() and not ch.isascii() for ch in text):
                    assert all(any(s in text for s in clause) for clause in clauses), (source, text)


def _sources(alternation: str) -> list[str]:
    """The patterns of a scanner's ``(p1)|(p2)...`` alternation."""
    import re

    out, depth, start, i = [], 0, 0, 0
    while i < len(alternation):
        ch = alternation[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: brackets inside it are literal
            j = i + 1
            if j < len(alternation) and alternation[j] == "^":
                j += 1
            if j < len(alternation) and alternation[j] == "]":
                j += 1
            while alternation[j] != "]":
                j += 2 if alternation[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                out.append(alternation[start + 1:i])
                start = i + 2  # past ")|"
        i += 1
    for src in out:
        re.compile(src)
    return out


@needs_kernels
def test_the_segmenter_dictionary_is_built_once_and_read_back(tmp_path, monkeypatch):
    from voc.analysis import segment

    monkeypatch.setenv("VOC_CACHE_DIR", str(tmp_path / "cache"))
    texts = _texts(300)
    first = Segmenter.from_lexicons()
    cached = list((tmp_path / "cache").glob("segmenter-*.bin"))
    assert len(cached) == 1 and cached[0].stat().st_size > 1_000_000
    again = Segmenter.from_lexicons()  # read back, user words added on top
    assert again.cut_many(texts) == first.cut_many(texts)
    assert again.user_words == first.user_words
    # a damaged cache file is built again and replaced, never trusted
    cached[0].write_bytes(cached[0].read_bytes()[:1000])
    rebuilt = Segmenter.from_lexicons()
    assert rebuilt.cut_many(texts) == first.cut_many(texts)
    assert cached[0].stat().st_size > 1_000_000
    # a cache folder that cannot be written only costs the build
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("VOC_CACHE_DIR", str(blocked / "cache"))
    assert Segmenter.from_lexicons().cut_many(texts) == first.cut_many(texts)
    kernel = segment._new_cutter()
    assert kernel.cut("续航一般般吧") == first.cut("续航一般般吧")


@needs_kernels
def test_a_segmenter_read_back_maps_its_words_trie_from_the_cache(tmp_path, monkeypatch):
    # a pickled segmenter (worker processes, the cached analyzer) gets its cutter with the
    # user words in it from a dump kept for those words, and cuts as the one it was made of
    import pickle

    monkeypatch.setenv("VOC_CACHE_DIR", str(tmp_path / "cache"))
    texts = _texts(300) + ["续航一般般吧", "ThinkPad X1 Carbon 的屏幕"]
    first = Segmenter.from_lexicons()
    assert not list((tmp_path / "cache").glob("segmenter_words-*.bin"))  # (built: its words were added)
    data = pickle.dumps(first)
    again = pickle.loads(data)
    cached = list((tmp_path / "cache").glob("segmenter_words-*.bin"))
    assert len(cached) == 1 and cached[0].stat().st_size > 1_000_000
    mapped = pickle.loads(data)  # from the cached dump
    assert again.cut_many(texts) == mapped.cut_many(texts) == first.cut_many(texts)
    assert [mapped._jieba.freq(w.word) for w in first.user_words] == [w.freq for w in first.user_words]
    # other words, another dump; a damaged dump is built again and replaced
    other = Segmenter.from_lexicons(extra_words=[UserWord("一般般吧", 10**6, "a")])
    assert pickle.loads(pickle.dumps(other)).cut("续航一般般吧") == other.cut("续航一般般吧") == ["续航", "一般般吧"]
    assert len(list((tmp_path / "cache").glob("segmenter_words-*.bin"))) == 2
    cached[0].write_bytes(cached[0].read_bytes()[:1000])
    assert pickle.loads(data).cut_many(texts) == first.cut_many(texts)
    assert cached[0].stat().st_size > 1_000_000


@needs_kernels
def test_a_mapped_segmenter_dump_cuts_as_the_copied_one_and_grows_out_of_the_map(tmp_path):
    import mmap

    from voc.analysis.segment import _mapped_kernel

    module = compiled("_segment_fast")
    words = "".join(f"{w} {f} n\n" for w, f in [("笔记本", 100), ("电脑", 200), ("笔记本电脑", 50), ("屏幕", 80)])
    path = tmp_path / "dump.bin"
    path.write_bytes(module.SegmentKernel(words).dump())
    mapped, copied = _mapped_kernel(module, path), module.SegmentKernel.from_dump(path.read_bytes())
    assert mapped.cut("笔记本电脑屏幕很好") == copied.cut("笔记本电脑屏幕很好") == ["笔记本电脑", "屏幕", "很", "好"]
    # new words: the node arrays are copied out of the map, then the trie's table is
    # rehashed out of it (a dump of 1024 slots fills up) - the same cuts and dump all along
    for i in range(3000):
        word = "测" + chr(0x4E00 + i) + "词"
        assert mapped.add_word(word, None if i % 2 else 7) == copied.add_word(word, None if i % 2 else 7)
    text = "".join("测" + chr(0x4E00 + i) + "词" for i in range(0, 3000, 7)) + "笔记本电脑"
    assert mapped.cut(text) == copied.cut(text)
    assert mapped.total == copied.total and mapped.freq("屏幕") == 80
    # the map is private: nothing written to the kernel reaches the file
    assert module.SegmentKernel.from_dump(path.read_bytes()).freq("测一词") is None
    # the buffer must be writable (a private map is) and a whole dump
    with pytest.raises(BufferError):
        module.SegmentKernel.from_buffer(path.read_bytes())
    with open(path, "r+b") as f:
        short = mmap.mmap(f.fileno(), 60, access=mmap.ACCESS_COPY)
    with pytest.raises(ValueError):
        module.SegmentKernel.from_buffer(short)


@needs_kernels
@pytest.mark.parametrize("spare", [0, 5, 50_000])
def test_words_added_to_a_mapped_dump_with_spare_nodes_cut_as_in_a_built_kernel(tmp_path, spare):
    from voc.analysis.segment import _mapped_kernel

    module = compiled("_segment_fast")
    words = "".join(f"{w} {f} n\n" for w, f in [("笔记本", 100), ("电脑", 200), ("笔记本电脑", 50), ("屏幕", 80)])
    path = tmp_path / "dump.bin"
    path.write_bytes(module.SegmentKernel(words).dump(spare))
    assert path.stat().st_size == len(module.SegmentKernel(words).dump()) + 16 * spare
    mapped, built = _mapped_kernel(module, path), module.SegmentKernel(words)
    # the first words fit in the spare nodes (or not: then the node arrays are copied out)
    for i in range(300):
        word = "测" + chr(0x4E00 + i) + "词"
        assert mapped.add_word(word, None if i % 2 else 7) == built.add_word(word, None if i % 2 else 7)
    text = "".join("测" + chr(0x4E00 + i) + "词" for i in range(0, 300, 7)) + "笔记本电脑屏幕"
    assert mapped.cut(text) == built.cut(text)
    assert mapped.total == built.total and mapped.freq("屏幕") == 80 and mapped.freq("测一词") == 7
    assert module.SegmentKernel.from_dump(path.read_bytes()).freq("测一词") is None
    with pytest.raises(ValueError):
        module.SegmentKernel(words).dump(-1)


@needs_kernels
@pytest.mark.parametrize("damage", [b"", b"VOCSEG", b"not a dump at all" * 10, "truncate"])
def test_a_segmenter_dump_of_another_kind_is_refused(damage):
    module = compiled("_segment_fast")
    kernel = module.SegmentKernel("笔记本 100 n\n电脑 200 n\n")
    data = kernel.dump()
    assert module.SegmentKernel.from_dump(data).cut("笔记本电脑") == ["笔记本", "电脑"]
    bad = data[:-7] if damage == "truncate" else damage
    with pytest.raises(ValueError):
        module.SegmentKernel.from_dump(bad)
