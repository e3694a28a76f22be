"""`voc train` and `voc evaluate` as users run them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.conftest import write_csv
from voc.cli import app

runner = CliRunner()

POS = ["屏幕清晰，运行流畅，非常满意", "续航很给力，做工精致", "物流很快，性价比高，推荐", "音质不错，散热也好"]
NEG = ["发热严重，风扇噪音很大，失望", "用了三天就死机，客服不理人", "屏幕有坏点，申请退货", "电池掉电太快，不推荐"]


def sentiment_file(tmp_path, labels=("1", "0")):
    rows = [[t, labels[0]] for t in POS] + [[t, labels[1]] for t in NEG]
    return write_csv(tmp_path / "gold.csv", ["review", "label"], rows)


@pytest.mark.parametrize("labels", [("1", "0"), ("positive", "negative"), ("正面", "负面"), ("pos", "neg")])
def test_evaluate_sentiment_json_keys_for_every_gold_form(tmp_path, labels):
    r = runner.invoke(app, ["evaluate", "sentiment", str(sentiment_file(tmp_path, labels)), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["n"] == 8 and 0.0 <= d["accuracy"] <= 1.0 and "macro_f1" in d
    assert set(d["per_class"]) == {"positive", "negative"}
    assert {"precision", "recall", "f1", "support"} <= set(d["per_class"]["positive"])
    assert sum(sum(row.values()) for row in d["confusion"].values()) == 8
    assert d["accuracy"] >= 0.75  # these are easy


def test_evaluate_sentiment_plain_output_has_tables(tmp_path):
    r = runner.invoke(app, ["evaluate", "sentiment", str(sentiment_file(tmp_path)), "--text-col", "review", "--label-col", "label"])
    assert r.exit_code == 0, r.output
    assert "accuracy=" in r.stdout and "precision" in r.stdout


def test_train_then_analyze_with_model(tmp_path):
    out = tmp_path / "models" / "mine.json"
    r = runner.invoke(app, ["train", "sentiment", str(sentiment_file(tmp_path)), "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["n"] == 8 and out.exists()
    assert b"pickle" not in out.read_bytes()[:200].lower()
    r = runner.invoke(app, ["evaluate", "sentiment", str(sentiment_file(tmp_path)), "--model", str(out), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["n"] == 8


def test_evaluate_topics_reports_aspect_accuracy(tmp_path):
    rows = [["屏幕很好，但是发热严重", "display:pos|thermal:neg"], ["快递很快", "logistics:pos"], ["很好，满意", ""]]
    f = write_csv(tmp_path / "t.csv", ["text", "topics"], rows)
    r = runner.invoke(app, ["evaluate", "topics", str(f), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["n"] == 3 and {"micro_f1", "macro_f1", "per_topic", "aspect_accuracy"} <= set(d)
    assert d["micro_f1"] == 1.0 and d["aspect_accuracy"] == 1.0


def test_evaluate_reads_tickets_as_tickets_with_kind(tmp_path):
    # in a chat with the agent, naming or thanking the agent is no comment on the
    # service: read as a review, the same texts get topics their labels do not have
    rows = [["我要转人工 在吗", "", "neutral"], ["好的，谢谢客服", "", "neutral"],
            ["快递太慢了，三天还没到", "logistics:neg", "negative"]]
    f = write_csv(tmp_path / "t.csv", ["text", "topics", "sentiment"], rows)
    as_tickets = runner.invoke(app, ["evaluate", "topics", str(f), "--kind", "ticket", "--label-col", "topics", "--json"])
    as_reviews = runner.invoke(app, ["evaluate", "topics", str(f), "--label-col", "topics", "--json"])
    assert as_tickets.exit_code == 0 and as_reviews.exit_code == 0, as_tickets.output + as_reviews.output
    tickets, reviews = json.loads(as_tickets.stdout), json.loads(as_reviews.stdout)
    assert tickets["micro_f1"] == 1.0 and tickets["aspect_accuracy"] == 1.0
    assert reviews["micro_f1"] < 1.0 or reviews["aspect_accuracy"] < 1.0
    r = runner.invoke(app, ["evaluate", "sentiment", str(f), "--kind", "ticket", "--label-col", "sentiment", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["n"] == 3
    r = runner.invoke(app, ["evaluate", "topics", str(f), "--kind", "chat"])
    assert r.exit_code == 2 and "unknown kind 'chat'" in r.stderr


def test_bad_inputs_are_one_line_errors(tmp_path):
    f = sentiment_file(tmp_path)
    r = runner.invoke(app, ["evaluate", "sentiment", str(f), "--label-col", "nope"])
    assert r.exit_code == 2 and "no column 'nope'" in r.stderr
    r = runner.invoke(app, ["evaluate", "mood", str(f)])
    assert r.exit_code == 2 and "unknown task" in r.stderr
    t = write_csv(tmp_path / "t.csv", ["text", "topics"], [["快递很快", "logistics:pos"], ["屏幕很好", "screen:pos"]])
    r = runner.invoke(app, ["evaluate", "topics", str(t)])
    assert r.exit_code == 2 and "row 2: unknown topic id 'screen'" in r.stderr


@pytest.mark.realdata
def test_topics_dev_scores_above_floor(shared_data):
    f = shared_data / "topics_dev" / "labels.csv"
    r = runner.invoke(app, ["evaluate", "topics", str(f), "--text-col", "text", "--label-col", "topics", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["n"] == 300 and d["micro_f1"] >= 0.85 and d["aspect_accuracy"] >= 0.85


def test_rows_left_out_are_counted_and_named_not_dropped_silently(tmp_path):
    lines = ['{"text": "屏幕很清晰，很满意", "label": "positive"}', "not json", '{"text": "续航太差了", "label": "negative"}',
             '{"text": "", "label": "positive"}', '{"text": "还行吧", "label": ""}']
    f = tmp_path / "gold.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["evaluate", "sentiment", str(f), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["n"] == 2 and d["skipped"] == 3
    assert "3 rows left out (row 2: not valid JSON" in r.stderr
    r = runner.invoke(app, ["train", "sentiment", str(f), "--out", str(tmp_path / "m.npz"), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["skipped"] == 3 and "3 rows left out" in r.stderr


def test_a_bad_sentiment_label_is_named_by_its_row_in_the_file(tmp_path):
    f = tmp_path / "lab.csv"
    f.write_text("text,label\n屏幕很好,positive\n,negative\n发热严重,差评吧\n", encoding="utf-8")
    r = runner.invoke(app, ["evaluate", "sentiment", str(f)])
    assert r.exit_code == 2
    assert "row 4: unknown sentiment label '差评吧'" in r.output
