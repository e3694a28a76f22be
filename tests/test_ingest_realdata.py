"""The real public data sets in ../shared/data ingest without loss."""

from __future__ import annotations

import pytest

from voc.io.ingest import ingest_paths
from voc.store import open_store

pytestmark = pytest.mark.realdata


def identity(d: dict) -> bool:
    return d["read"] == d["stored"] + d["duplicates"] + d["rejected"] + d["filtered"]


def test_online_shopping_reviews_ingest_without_loss(shared_data, db_path):
    path = shared_data / "online_shopping_10_cats" / "online_shopping_10_cats.csv"
    with open_store(db_path) as store:
        d = ingest_paths(store, [path], channel="online_shopping").to_json()
        assert d["read"] == 60_376 and identity(d)
        assert d["rejected"] == 0
        assert d["filtered"] == 1  # the one empty review
        assert store.count("records") == d["stored"]
        assert d["duplicates"] < 100  # identical texts only
        # The label and category columns are kept, not dropped.
        extra = store.conn.execute("SELECT extra FROM records LIMIT 1").fetchone()[0]
        assert '"cat"' in extra and '"label"' in extra


def test_jddc_chat_log_ingests_every_turn(shared_data, db_path):
    path = shared_data / "jddc_customer_service" / "jddc_chat_sample.csv"
    with open_store(db_path) as store:
        d = ingest_paths(store, [path]).to_json()
        assert d["files"][0]["kind"] == "tickets"
        assert d["read"] == 994 and d["stored"] == 994 and identity(d)
        assert store.count("turns") == 12_136
        customer = store.count("turns", "speaker = 'customer'")
        assert customer == 6_107  # waiter_send == 0
        # The analysed text is the customer's words only.
        (text,) = store.conn.execute("SELECT text FROM records LIMIT 1").fetchone()
        assert "很高兴为您服务" not in text


def test_jddc_dev_sessions_ingest(shared_data, db_path):
    path = shared_data / "jddc_customer_service" / "jddc2019_dev_sessions.jsonl"
    with open_store(db_path) as store:
        d = ingest_paths(store, [path]).to_json()
        assert d["read"] == 52 and identity(d)
        assert d["stored"] == 51 and d["filtered"] == 1
        again = ingest_paths(store, [path]).to_json()
        assert again["stored"] == 0 and again["duplicates"] == 51
