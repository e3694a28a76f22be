"""The character n-gram component `voc train` learns from the user's own labels."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.conftest import write_csv
from voc.analysis.sentiment import SentimentModel
from voc.analysis.sentiment_chars import CharComponent, char_keys
from voc.analysis.sentiment_train import train_sentiment
from voc.cli import app

# A domain the default lexicons do not know (clothes): its complaints are words of its own.
GOOD = ["颜色很正", "穿着合身", "面料舒服", "版型好看", "做工精细", "码数标准", "很显瘦", "洗了不变形"]
BAD = ["洗了就掉色", "穿两次就起球", "线头一大堆", "一股胶水味", "缩水了一个码", "开线了", "褪色严重", "扎皮肤"]
OPEN = ["", "收到了，", "给老婆买的，", "第二次买，", "穿了一周，"]


def domain_texts(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        good = i % 2 == 0
        words = rng.sample(GOOD if good else BAD, 2)
        out.append((rng.choice(OPEN) + "，".join(words), "positive" if good else "negative"))
    return out


@pytest.fixture(scope="module")
def trained() -> tuple[SentimentModel, SentimentModel]:
    data = domain_texts(200, seed=1)
    texts, labels = [t for t, _ in data], [y for _, y in data]
    # without the default corpus: small and quick, and what is tested is the component
    words = train_sentiment(texts, labels, with_default_corpus=False, chars=False)
    both = train_sentiment(texts, labels, with_default_corpus=False)
    return words, both


def test_char_keys_are_the_1_to_3_grams_of_each_text_with_spaces_collapsed():
    keys, owners = char_keys(["掉色", "起球起球", "a  b"])
    assert owners.tolist().count(0) == 2 + 1 + 0  # 掉 色 掉色
    assert owners.tolist().count(1) == 4 + 3 + 2
    assert owners.tolist().count(2) == 3 + 2 + 1  # "a b"
    one, _ = char_keys(["起球"])
    assert set(one.tolist()) <= set(keys.tolist())
    # n-grams never cross from one text into the next
    bc = set(char_keys(["bc"])[0].tolist()) - set(char_keys(["b", "c"])[0].tolist())
    assert len(bc) == 1 and not bc & set(char_keys(["ab", "cd"])[0].tolist())


def test_train_adds_the_component_and_the_blend_classifies_the_domain(trained):
    words, both = trained
    assert words.chars_ is None and isinstance(both.chars_, CharComponent)
    test = domain_texts(200, seed=2)
    gold = np.array([y == "positive" for _, y in test])
    acc_both = ((np.asarray(both.predict_proba([t for t, _ in test])) >= 0.5) == gold).mean()
    assert acc_both >= 0.95
    assert both.predict(["刚洗一次就掉色了"]) == ["negative"]


def test_the_fast_path_and_the_reference_path_agree_with_the_component(trained):
    _, both = trained
    texts = [t for t, _ in domain_texts(20, seed=3)]
    tokens = [both.tokens(t) for t in texts]
    fast = both.scores_tokens(tokens)
    reference = [1 / (1 + np.exp(-both.decision_tokens(tk)[0])) for tk in tokens]
    assert np.allclose(fast, reference)


def test_a_model_with_the_component_saves_and_loads_the_same(trained, tmp_path):
    _, both = trained
    path = both.save(tmp_path / "mine.npz")
    again = SentimentModel.load(path)
    texts = [t for t, _ in domain_texts(30, seed=4)]
    assert again.version == both.version
    assert np.array_equal(again.predict_proba(texts), both.predict_proba(texts))


def test_too_few_labels_of_a_polarity_leave_the_component_out():
    data = domain_texts(80, seed=5)
    texts = [t for t, _ in data]
    labels = ["positive"] * 70 + ["negative"] * 10
    model = train_sentiment(texts, labels, with_default_corpus=False)
    assert model.chars_ is None


def test_voc_train_says_it_learned_the_characters(tmp_path):
    rows = [[t, y] for t, y in domain_texts(120, seed=6)]
    f = write_csv(tmp_path / "labels.csv", ["review", "label"], rows)
    out = tmp_path / "mine.npz"
    r = CliRunner().invoke(app, ["train", "sentiment", str(f), "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["chars"] is True
    assert SentimentModel.load(out).chars_ is not None
