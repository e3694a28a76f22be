"""What the analyzer keeps in the cache folder between runs to start faster: the code of
its regular expressions, the Traditional → Simplified table; how cache files are written
and pruned. A cache only ever changes speed: damaged or unwritable, results stay."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import subprocess
import sys
import time

import pytest

from voc.analysis import normalize as norm
from voc.analysis import prune_cache, regex_cache, write_atomically

PATTERNS = [
    (r"(?P<part>屏幕|电池|键盘)(?:很|太)?(?P<how>烫|卡|亮)", 0),
    (r"(?<![a-z0-9])\d{1,2}\s*(?:gb|g)?\s*\+\s*\d{2,4}\s*(?:gb|g)(?![a-z0-9])", re.IGNORECASE),
    ("|".join(["鼓包", "冒烟", "起火", "漏电", "ThinkPad X1"]), re.IGNORECASE),
    (r"^[\u4e00-\u9fff]{0,4}[黑白蓝紫]$", 0),
    (r"(?m)^客服\S*[:：]", 0),
]
TEXTS = ["屏幕太亮，电池很烫", "8GB+256GB 雅黑", "thinkpad x1 冒烟了", "深空黑", "客服小京：您好\n客服：在的", ""]


@pytest.fixture
def fresh_regex_cache(tmp_path, monkeypatch):
    """The module as a new process sees it, with the cache folder under tmp_path."""
    monkeypatch.setenv("VOC_CACHE_DIR", str(tmp_path / "cache"))

    def restart() -> None:
        monkeypatch.setattr(regex_cache, "_stored", None)
        monkeypatch.setattr(regex_cache, "_used", {})
        monkeypatch.setattr(regex_cache, "_compiled", {})
        monkeypatch.setattr(regex_cache, "_new", False)
        monkeypatch.setattr(regex_cache, "_stored_bytes", 0)

    restart()
    return restart


def same_as_re(pattern: re.Pattern, source: str, flags: int) -> None:
    expected = re.compile(source, flags)
    assert (pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex) == (
        expected.pattern, expected.flags, expected.groups, expected.groupindex)
    for text in TEXTS:
        assert [m.span() + m.groups() for m in pattern.finditer(text)] == \
               [m.span() + m.groups() for m in expected.finditer(text)]


needs_internals = pytest.mark.skipif(regex_cache._TAG is None, reason="CPython's regex internals (3.11+) not here")


@needs_internals
def test_a_later_run_gets_the_same_patterns_without_compiling_them(fresh_regex_cache, monkeypatch):
    for source, flags in PATTERNS:
        same_as_re(regex_cache.compile(source, flags), source, flags)
    regex_cache.save()
    path = regex_cache._path()
    assert path is not None and path.is_file()

    fresh_regex_cache()  # a new process
    monkeypatch.setattr(regex_cache._parser, "parse", lambda *a: pytest.fail("parsed again"))
    for source, flags in PATTERNS:
        same_as_re(regex_cache.compile(source, flags), source, flags)
    assert regex_cache._new is False


@needs_internals
def test_a_damaged_or_foreign_file_only_costs_the_compilation(fresh_regex_cache):
    source, flags = PATTERNS[0]
    regex_cache.compile(source, flags)
    regex_cache.save()
    path = regex_cache._path()
    for damage in (b"not a cache", path.read_bytes()[:-7], b"\0" * 32 + b"x" * 100):
        path.write_bytes(damage)
        fresh_regex_cache()
        same_as_re(regex_cache.compile(source, flags), source, flags)
    # a file with a valid hash but code the engine refuses (another build's, say)
    body = marshal.dumps({(source, flags): (flags, [0, 0, 0], 0, {}, ())})
    path.write_bytes(hashlib.sha256(body).digest() + body)
    fresh_regex_cache()
    same_as_re(regex_cache.compile(source, flags), source, flags)
    regex_cache.save()  # and the file is good again
    fresh_regex_cache()
    regex_cache.compile(source, flags)
    assert regex_cache._new is False


def test_bad_patterns_raise_as_re_does(fresh_regex_cache):
    with pytest.raises(re.error):
        regex_cache.compile("(unclosed")


def test_an_unwritable_cache_folder_is_no_error(tmp_path, monkeypatch, fresh_regex_cache):
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("VOC_CACHE_DIR", str(blocked / "cache"))
    same_as_re(regex_cache.compile(*PATTERNS[1]), *PATTERNS[1])
    regex_cache.save()


@needs_internals
def test_building_the_analyzer_leaves_its_patterns_for_the_next_process(tmp_path):
    env = {**os.environ, "VOC_CACHE_DIR": str(tmp_path / "cache")}
    # the analyzer's own compilations, before save() (which clears the flag)
    script = ("from voc.analysis import regex_cache as r; r.save = lambda: None; "
              "from voc.analysis.analyzer import Analyzer; "
              "a = Analyzer.from_lexicons(); print(r._new, len(r._used), a.analyze(['电池鼓包了，屏幕很烫'])[0][2])")
    save = "from voc.analysis.analyzer import Analyzer; Analyzer.from_lexicons()"
    subprocess.run([sys.executable, "-c", save], env={**env, "PYTHONHASHSEED": "1"}, check=True)
    path = next((tmp_path / "cache").glob("regex-*.bin"))
    stored = path.read_bytes()
    # another process, with other string hashes (set orders): every pattern is found,
    # so it compiles nothing and writes nothing
    again = subprocess.run([sys.executable, "-c", script], env={**env, "PYTHONHASHSEED": "2"},
                           capture_output=True, text=True, check=True)
    new, used, topics = again.stdout.split(" ", 2)
    assert new == "False" and int(used) > 20 and "thermal" in topics
    subprocess.run([sys.executable, "-c", save], env={**env, "PYTHONHASHSEED": "3"}, check=True)
    assert path.read_bytes() == stored


@needs_internals
def test_older_patterns_are_kept_up_to_a_byte_budget(fresh_regex_cache, monkeypatch):
    monkeypatch.setattr(regex_cache, "KEEP_BYTES", 3_000)
    sources = [f"(?:{'|'.join(f'w{i}x{j}' for j in range(40))})" for i in range(12)]
    for source in sources:  # twelve runs, each compiling one pattern of its own
        fresh_regex_cache()
        regex_cache.compile(source)
        regex_cache.save()
    fresh_regex_cache()
    stored = regex_cache._read()
    assert sources[-1] in {key[0] for key in stored}  # the latest run's first
    assert list(stored)[0][0] == sources[-1]
    assert sum(regex_cache._size(k, v) for k, v in stored.items()) <= 3_000 + regex_cache._size(
        *next(iter(stored.items())))
    kept = [s for s in sources if (s, 0) in stored]
    assert kept == sources[-len(kept):] and 1 < len(kept) < len(sources)  # the most recent ones

    # a file grown beyond the budget (an older voc kept more) is trimmed by the next run
    monkeypatch.setattr(regex_cache, "KEEP_BYTES", 100)
    fresh_regex_cache()
    regex_cache.compile(sources[-1])
    regex_cache.save()
    fresh_regex_cache()
    assert list(regex_cache._read()) == [(sources[-1], 0)]


# -- the Traditional -> Simplified table -------------------------------------------------
@pytest.fixture
def t2s_cache(tmp_path, monkeypatch):
    if norm._snownlp_zh_path() is None:
        pytest.skip("snownlp is not installed")
    monkeypatch.setenv("VOC_CACHE_DIR", str(tmp_path / "cache"))
    norm.t2s_table.cache_clear()
    yield tmp_path / "cache"
    norm.t2s_table.cache_clear()


def test_the_t2s_table_is_read_back_from_the_cache(t2s_cache, monkeypatch):
    built = norm.t2s_table()
    assert built[ord("與")] == "与" and ord("著") not in built
    assert len(list(t2s_cache.glob("t2s-*.json"))) == 1
    norm.t2s_table.cache_clear()
    monkeypatch.setattr(norm, "_read_zh2hans", lambda path: pytest.fail("parsed snownlp again"))
    assert norm.t2s_table() == built


def test_a_damaged_t2s_cache_is_built_again(t2s_cache):
    built = norm.t2s_table()
    cached = next(t2s_cache.glob("t2s-*.json"))
    for damage in ("{", '{"與": "与与"}', "[1, 2]"):
        cached.write_text(damage, encoding="utf-8")
        norm.t2s_table.cache_clear()
        assert norm.t2s_table() == built


# -- writing and pruning -----------------------------------------------------------------
def test_write_atomically_leaves_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "sub" / "model.bin"
    write_atomically(path, lambda tmp: tmp.write_bytes(b"first"))
    assert path.read_bytes() == b"first"

    def half(tmp):
        tmp.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomically(path, half)
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.bin"]  # no temporary left


def test_prune_cache_keeps_the_newest(tmp_path):
    now = time.time()
    for i in range(5):
        f = tmp_path / f"segmenter-{i}.bin"
        f.write_bytes(b"x")
        os.utime(f, (now - 100 * i, now - 100 * i))  # 0 is the newest
    (tmp_path / "other.bin").write_bytes(b"y")
    prune_cache(tmp_path, "segmenter-*.bin", keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.bin", "segmenter-0.bin", "segmenter-1.bin"]


def test_a_killed_writers_temporary_file_is_removed_by_the_next_writer(tmp_path):
    path = tmp_path / "regex.bin"
    stale = tmp_path / ".regex.bin.abc123.tmp"
    fresh = tmp_path / ".regex.bin.def456.tmp"  # another writer, still at work
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    write_atomically(path, lambda tmp: tmp.write_bytes(b"whole"))
    assert path.read_bytes() == b"whole"
    assert not stale.exists() and fresh.exists()


# -- the built analyzer (voc.analysis.snapshot) ---------------------------------------

def _snapshot_texts() -> tuple[list[str], list[str]]:
    from tests.test_kernels import _texts

    texts = _texts(600)[:3000] + ["客服小京：您好\n我：电池鼓包了，还冒烟，怎么办？", "我：已经退款了吗\n客服：还没有"]
    return texts, ["ticket" if i % 7 == 0 else "review" for i in range(len(texts))]


@pytest.mark.parametrize("pure", [False, True], ids=["compiled", "pure-python"])
def test_a_loaded_analyzer_reads_every_text_as_the_built_one(tmp_path, monkeypatch, pure):
    from voc.analysis import snapshot
    from voc.analysis.analyzer import Analyzer
    from voc.lexicon import Lexicons

    monkeypatch.setenv("VOC_CACHE_DIR", str(tmp_path / "cache"))
    if pure:
        monkeypatch.setenv("VOC_PURE_PYTHON", "1")
    lexicons = Lexicons.packaged()
    built = Analyzer.build(lexicons)
    key = snapshot.key(lexicons.version, None, None)
    snapshot.save(built, key)
    loaded = snapshot.load(key)
    assert isinstance(loaded, Analyzer) and loaded is not built
    assert loaded.model_version == built.model_version
    texts, kinds = _snapshot_texts()
    ids = list(range(len(texts)))
    assert loaded.rows(texts, ids, ("t",), kinds) == built.rows(texts, ids, ("t",), kinds)
    assert loaded.sentiment.vocabulary_ == built.sentiment.vocabulary_  # built on first use, from the names


def test_the_next_process_loads_the_analyzer_instead_of_building_it(tmp_path):
    env = {**os.environ, "VOC_CACHE_DIR": str(tmp_path / "cache")}
    script = ("from voc.analysis.analyzer import Analyzer; import sys; "
              "Analyzer.build = classmethod(lambda *a, **k: sys.exit('built')) if sys.argv[1] == 'load' else Analyzer.build; "
              "print(Analyzer.from_lexicons().analyze(['电池鼓包了，屏幕很烫'])[0][2])")
    first = subprocess.run([sys.executable, "-c", script, "build"], env=env, capture_output=True, text=True, check=True)
    assert len(list((tmp_path / "cache").glob("analyzer-*.pickle"))) == 1
    second = subprocess.run([sys.executable, "-c", script, "load"], env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout and "thermal" in second.stdout
    # the switch between the compiled kernels and the pure-Python code names another snapshot
    if _kernels_built():
        pure_now = os.environ.get("VOC_PURE_PYTHON", "") not in ("", "0")
        other = subprocess.run([sys.executable, "-c", script, "load"], capture_output=True, text=True,
                               env={**env, "VOC_PURE_PYTHON": "0" if pure_now else "1"})
        assert other.returncode == 1 and "built" in other.stderr


def test_analysing_with_a_loaded_analyzer_leaves_numpy_unimported(tmp_path):
    # the compiled kernels score without numpy and the snapshot holds the model's
    # arrays as bytes: a `voc analyze` that loads it spares numpy's import
    if not _kernels_built():
        pytest.skip("compiled kernels not built")
    env = {**os.environ, "VOC_CACHE_DIR": str(tmp_path / "cache"), "VOC_PURE_PYTHON": "0"}
    script = ("import sys; from voc.analysis.analyzer import Analyzer; import voc.cli; "
              "a = Analyzer.from_lexicons(); v = a.sentiment.version; "
              "rows = a.analyze(['电池鼓包了，屏幕很烫', '好评！', '', '。', '一般般吧']); "
              "print(repr(rows)); print('numpy' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    rows, numpy_loaded = second.stdout.splitlines()
    assert rows == first.stdout.splitlines()[0] and "thermal" in rows
    assert numpy_loaded == "False"


def test_a_pickled_sentiment_model_unpacks_its_arrays_when_read(tmp_path, monkeypatch):
    import pickle

    import numpy as np

    from tests.test_kernels import _texts
    from voc.analysis.packed import Packed, PackedStrings
    from voc.analysis.segment import Segmenter
    from voc.analysis.sentiment_train import default_model

    monkeypatch.setenv("VOC_CACHE_DIR", str(tmp_path / "cache"))
    model = default_model()
    clone = pickle.loads(pickle.dumps(model))
    packed = clone.__dict__["_packed"]
    assert all(isinstance(v, Packed) for k, v in packed.items() if k != "_vocabulary_names")
    assert isinstance(packed["_vocabulary_names"], PackedStrings)  # the words' UTF-8, not UTF-32
    assert "coef_" not in clone.__dict__ and "_pairs" not in clone._fast.__dict__
    assert clone.version == model.version  # from the packed bytes (as the adapting of `voc analyze` reads it)
    assert "coef_" not in clone.__dict__
    tokens = Segmenter.from_lexicons().cut_many(_texts(200)[:500]) + [[], ["。"], ["不", "好"]]
    assert clone.labels_tokens(tokens)[0] == model.labels_tokens(tokens)[0]
    np.testing.assert_array_equal(clone.scores_tokens(tokens), model.scores_tokens(tokens))
    # the numpy scorer and the tables, from the unpacked arrays and the rebuilt hash table
    for a, b in zip(clone._fast.decision_and_words_numpy(tokens), model._fast.decision_and_words_numpy(tokens)):
        np.testing.assert_array_equal(a, b)
    mine, theirs = clone._fast.tables(), model._fast.tables()
    assert mine.keys() == theirs.keys()
    for key in mine:
        assert mine[key].dtype == theirs[key].dtype
        np.testing.assert_array_equal(mine[key], theirs[key])
    assert clone.vocabulary_ == model.vocabulary_ and clone.version == model.version
    np.testing.assert_array_equal(clone.coef_, model.coef_)
    assert clone.coef_.flags.writeable
    assert clone.save(tmp_path / "m.npz").read_bytes() == model.save(tmp_path / "n.npz").read_bytes()


def test_a_pickled_sentiment_kernel_scores_as_the_one_built_from_the_tables(monkeypatch):
    import pickle

    from tests.test_kernels import _texts
    from voc.analysis import compiled
    from voc.analysis.segment import Segmenter
    from voc.analysis.sentiment_train import default_model

    if compiled("_sentiment_fast") is None:
        pytest.skip("compiled kernels not built")
    kernel = default_model()._fast._kernel
    tokens = Segmenter.from_lexicons().cut_many(_texts(200)[:500]) + [[], ["，"], ["不"], ["不", "好"]]
    clone = pickle.loads(pickle.dumps(kernel))
    assert type(clone) is type(kernel)
    assert clone.decision_and_words(tokens) == kernel.decision_and_words(tokens)
    assert pickle.dumps(clone) == pickle.dumps(kernel)


def _kernels_built() -> bool:
    import importlib.util

    return importlib.util.find_spec("voc.analysis._aspects_fast") is not None


def test_a_change_to_what_the_build_reads_names_another_snapshot(tmp_path, monkeypatch):
    from voc.analysis import snapshot

    model = tmp_path / "model.npz"
    model.write_bytes(b"one")
    base = snapshot.key("lexicons-a", None, None)
    assert snapshot.key("lexicons-a", None, None) == base
    assert snapshot.key("lexicons-b", None, None) != base
    with_model = snapshot.key("lexicons-a", model, None)
    assert with_model != base and snapshot.key("lexicons-a", None, model) not in (base, with_model)
    model.write_bytes(b"two, a retrained model")
    assert snapshot.key("lexicons-a", model, None) != with_model
    if _kernels_built():
        pure_now = os.environ.get("VOC_PURE_PYTHON", "") not in ("", "0")
        monkeypatch.setenv("VOC_PURE_PYTHON", "0" if pure_now else "1")
        assert snapshot.key("lexicons-a", None, None) != base


def test_a_lexicon_edit_is_read_not_the_snapshot_of_the_old_lexicons(tmp_path, monkeypatch):
    from voc.analysis import sentiment_train
    from voc.analysis.analyzer import Analyzer
    from voc.lexicon import Lexicons

    monkeypatch.setenv("VOC_CACHE_DIR", str(tmp_path / "cache"))
    packaged = sentiment_train.default_model(Lexicons.packaged())
    # the packaged sentiment model, not one trained for these lexicons (5 s each)
    monkeypatch.setattr(sentiment_train, "default_model", lambda lexicons, segmenter=None: packaged)
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "safety.tsv").write_text("冒烟\tsmoke\n", encoding="utf-8")
    text = "手机漏液了"
    assert Analyzer.from_lexicons(Lexicons(folder)).analyze([text])[0][3] == 0
    (folder / "safety.tsv").write_text("冒烟\tsmoke\n漏液\tmelt\n", encoding="utf-8")
    assert Analyzer.from_lexicons(Lexicons(folder)).analyze([text])[0][3] == 1
    assert len(list((tmp_path / "cache").glob("analyzer-*.pickle"))) == 2


def test_a_damaged_foreign_or_shared_snapshot_is_not_read_and_is_built_again(tmp_path, monkeypatch):
    from voc.analysis import snapshot
    from voc.analysis.analyzer import Analyzer
    from voc.lexicon import Lexicons

    monkeypatch.setenv("VOC_CACHE_DIR", str(tmp_path / "cache"))
    lexicons = Lexicons.packaged()
    key = snapshot.key(lexicons.version, None, None)
    expected = Analyzer.from_lexicons(lexicons).analyze(["屏幕很烫"])
    path = snapshot.path_for(key)
    good = path.read_bytes()
    for damaged in (good[: len(good) // 2], good[:40] + b"\0" * 100, b"voc-analyzer\0" + b"0" * 64 + good[77:], b""):
        path.write_bytes(damaged)
        path.chmod(0o600)
        assert snapshot.load(key) is None
        assert Analyzer.from_lexicons(lexicons).analyze(["屏幕很烫"]) == expected
        assert snapshot.load(key) is not None  # written again
    if hasattr(os, "getuid"):
        path.chmod(0o666)  # others may write it: anything could be in it
        assert snapshot.load(key) is None
        path.chmod(0o600)
        assert snapshot.load(key) is not None


def test_an_unwritable_cache_folder_only_costs_the_build(tmp_path, monkeypatch):
    from voc.analysis.analyzer import Analyzer

    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("VOC_CACHE_DIR", str(blocked / "cache"))
    assert Analyzer.from_lexicons().analyze(["屏幕很烫"])[0][2] != "[]"
