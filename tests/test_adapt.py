"""`voc analyze` adapts the default sentiment model to the store's star ratings when that
is more accurate on rated reviews held back, keeps the evidence and the model in the
store, reuses them, and leaves the default model when it does not win or when told not to."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

import voc.analysis.adapt as adapt
from tests.conftest import write_csv
from voc import api
from voc.analysis.sentiment_train import default_model
from voc.cli import app
from voc.store import open_store

# the store's own way of saying things: slang the default corpus does not hold
PRAISE = ("杠杠的", "顶呱呱", "绝绝子", "yyds", "无敌了", "真香")
PANS = ("拉胯", "翻车了", "智商税", "一言难尽", "劝退", "踩雷了")
PARTS = ("续航", "屏幕", "键盘", "音质", "做工", "系统", "拍照", "散热")


def _reviews(n: int, seed: int, truthful: bool = True) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        good = rng.random() < 0.5
        text = f"{rng.choice(PARTS)}{rng.choice(PRAISE if good else PANS)}，{rng.choice(PARTS)}{rng.choice(PRAISE if good else PANS)}"
        stars = (5 if good else rng.choice((1, 2))) if truthful else rng.choice((1, 2, 5))
        rows.append([text, str(stars), f"2026-11-{1 + i % 28:02d} 10:{i % 60:02d}", f"c{seed}-{i}"])
    return rows


def _store(tmp_path, name: str, rows: list[list[str]]):
    path = write_csv(tmp_path / f"{name}.csv", ["评价内容", "评分", "评价时间", "评论ID"], rows)
    db = tmp_path / f"{name}.db"
    with open_store(db) as store:
        api.ingest(store, [path])
    return db


@pytest.fixture(scope="module")
def adapted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("adapt")
    db = _store(tmp, "slang", _reviews(600, seed=1))
    with open_store(db) as store:
        result = api.analyze(store)
    return db, result


def test_a_store_whose_ratings_teach_its_words_gets_an_adapted_model(adapted):
    db, result = adapted
    e = result.sentiment
    assert e["adopted"] and e["n_rated"] == 600 and e["n_validation"] >= 100
    assert e["adapted_accuracy"] > e["base_accuracy"] + 0.05
    assert result.model_version.startswith(e["version"]) and e["version"] != e["base_version"]
    assert "adapted model kept" in result.sentiment_note
    with open_store(db) as store:
        key, data, evidence = store.latest_model(adapt.KIND)
        assert data and json.loads(evidence)["adopted"]
        # every record was analysed with the adapted model, and it reads the store's words
        rows = store.conn.execute("SELECT r.rating, a.sentiment FROM records r JOIN analysis a ON a.record_id = r.id")
        agree = [(rating == 5) == (sentiment == "positive") for rating, sentiment in rows]
    assert sum(agree) / len(agree) > 0.9


def test_the_adaptation_is_reused_until_the_ratings_grow(adapted, monkeypatch):
    db, first = adapted

    def no_training(*_a, **_k):
        raise AssertionError("adapted again although the rated reviews did not grow")

    monkeypatch.setattr(adapt, "adapt_with_ratings", no_training)
    with open_store(db) as store:
        again = api.analyze(store)
    assert again.analyzed == 0 and again.sentiment["reused"]
    assert again.model_version == first.model_version  # the same model: nothing is stale


def test_no_adapt_keeps_the_default_model(adapted):
    db, first = adapted
    with open_store(db) as store:
        plain = api.analyze(store, adapt=False)
    assert plain.sentiment is None and plain.analyzed == 600  # another model: everything again
    assert plain.model_version.startswith(default_model().version)


def test_ratings_that_say_nothing_of_the_text_are_refused(tmp_path):
    db = _store(tmp_path, "noise", _reviews(600, seed=2, truthful=False))
    with open_store(db) as store:
        result = api.analyze(store)
        e = result.sentiment
        assert not e["adopted"] and "not better" in result.sentiment_note
        assert result.model_version.startswith(default_model().version)
        assert store.latest_model(adapt.KIND)[1] == b""  # the refusal is kept, without a model


def test_too_few_ratings_are_not_adapted_to_and_the_cli_says_so(tmp_path):
    db = _store(tmp_path, "few", _reviews(60, seed=3))
    res = CliRunner().invoke(app, ["analyze", "--db", str(db)])
    assert res.exit_code == 0
    assert "too few rated reviews to adapt to" in res.stdout
    res = CliRunner().invoke(app, ["analyze", "--db", str(db), "--json", "--reanalyze"])
    out = json.loads(res.stdout)
    assert out["sentiment_adaptation"]["adopted"] is False


def test_the_console_is_told_before_an_adapted_model_is_trained_and_only_then(tmp_path):
    """Training the candidate is the one slow step of a first analysis: the console's bar
    says what the wait is for (``adapting``), and is not told when nothing is trained."""
    told: list[int] = []
    db = _store(tmp_path, "told", _reviews(300, seed=3))
    with open_store(db) as store:
        api.analyze(store, adapting=told.append)
    assert told == [300]
    with open_store(db) as store:  # the kept adaptation is reused: nothing trained
        api.analyze(store, reanalyze=True, adapting=told.append)
    assert told == [300]
    few = _store(tmp_path, "few", _reviews(40, seed=4))
    with open_store(few) as store:  # too few rated reviews: nothing trained
        result = api.analyze(store, adapting=told.append)
    assert told == [300] and "too few rated reviews" in result.sentiment_note
