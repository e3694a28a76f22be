"""Emerging issues with real review texts as the background (../shared/data; skipped when absent).

Real negative and positive reviews of laptops, tablets and phones are spread at random
over twelve weeks (double volume in the 双11 weeks), products drawn at random; planted
on top: a battery-swelling burst on one product in two weeks and a fingerprint-reader
theme (named by no topic) growing over the last four. Topic tags come from a small
keyword map, as a lexicon tagger would give them.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from emerging_synth import iso_weeks

from voc.emerging import detect_emerging
from voc.period import iso_week
from voc.store import open_store

pytestmark = pytest.mark.realdata

TOPICS = {
    "battery": "电池|续航|充电|鼓包", "thermal": "发热|散热|过热|烫", "display": "屏幕|显示|坏点|漏光|闪屏",
    "input": "键盘|触控板|触摸板|按键|触屏", "performance": "卡顿|死机|反应慢|卡", "software": "系统|驱动|蓝屏|预装",
    "connectivity": "WiFi|wifi|蓝牙|网络|信号", "audio_camera": "音质|扬声器|麦克风|摄像头|声音",
    "logistics": "物流|快递|包装|发货", "customer_service": "客服|态度", "after_sales": "售后|维修|退货|换货|保修",
    "price": "价格|降价|优惠|保价|差价",
}
SWELLING = ["用了不到{n}个月电池就鼓包了，后盖都被顶起来了", "充电的时候电池发烫，现在电池鼓包，触控板都翘起来了",
            "电池鼓包，充电器插上就很烫，太吓人了", "才买{n}周，电池鼓起来了，键盘都凸起了，申请售后",
            "充电一晚上电池就胀了，机身变形，不敢用了", "电池鼓包导致触控板按不下去，充电时还很烫"]
FINGERPRINT = ["指纹识别经常失败，要按好几次才能解锁", "指纹解锁太不灵敏了，录入了好几次还是识别不了",
               "开机指纹识别一直提示失败，只能输密码", "指纹模块时灵时不灵，解锁很慢",
               "手指稍微有点湿指纹就识别不出来，体验很差", "指纹录入失败，重启好几次都不行"]
WEEKS = iso_weeks("2026-W37", 12)


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    import pandas as pd
    import rjieba
    from conftest import SHARED_DATA

    csv = SHARED_DATA / "online_shopping_10_cats" / "online_shopping_10_cats.csv"
    if not csv.is_file():
        pytest.skip("../shared/data not present")
    df = pd.read_csv(csv).dropna()
    df = df[df["cat"].isin(["平板", "手机", "计算机"])]
    rng = np.random.default_rng(0)
    density = np.array([2.0 if w in ("2026-W45", "2026-W46") else 1.0 for w in WEEKS])
    density /= density.sum()
    products, shares = ["Y9000P", "小新Pro14", "ThinkPad X1", "YOGA Air"], [0.15, 0.4, 0.3, 0.15]
    rows = [(t, WEEKS[rng.choice(12, p=density)], products[rng.choice(4, p=shares)], int(lab)) for t, lab in zip(df["review"], df["label"], strict=True)]
    rows += [(rng.choice(SWELLING).format(n=rng.integers(1, 4)), w, "Y9000P", 0) for w, n in (("2026-W46", 30), ("2026-W47", 45)) for _ in range(n)]
    rows += [(rng.choice(FINGERPRINT), w, "小新Pro14", 0) for w, n in zip(WEEKS[-4:], (4, 8, 15, 25), strict=True) for _ in range(n)]
    seg = rjieba.Jieba()
    path = tmp_path_factory.mktemp("real") / "real.db"
    with open_store(path) as store, store.transaction() as conn:
        conn.execute("INSERT INTO batches (id, started_at, source_file, kind) VALUES (1, 'x', 'x', 'reviews')")
        for i, (text, week, product, label) in enumerate(rows):
            start = datetime.combine(date.fromisocalendar(int(week[:4]), int(week[6:]), 1), datetime.min.time())
            ts = (start + timedelta(seconds=int(rng.integers(0, 7 * 86400)))).strftime("%Y-%m-%d %H:%M:%S")
            neg = label == 0
            tags = [k for k, pat in TOPICS.items() if re.search(pat, text)]
            conn.execute("INSERT INTO records (id, kind, channel, product, created_at, rating, text, source_file, source_row, batch_id) "
                         "VALUES (?, 'review', 'jd', ?, ?, ?, ?, 'x', ?, 1)", (f"r{i}", product, ts, 1 if neg else 5, text, i))
            conn.execute("INSERT INTO analysis (record_id, sentiment, score, topics, safety, tokens, model_version, lexicon_version, analyzed_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, 'm', 'l', ?)",
                         (f"r{i}", "negative" if neg else "positive", 0.1 if neg else 0.9,
                          json.dumps([{"id": k, "polarity": "neg" if neg else "pos"} for k in tags]), int("鼓包" in text),
                          " ".join(seg.cut(text, False)), ts))
            conn.executemany("INSERT INTO record_topics VALUES (?, ?, ?, '')", [(f"r{i}", k, "neg" if neg else "pos") for k in tags])
    return path


def test_real_background_planted_burst_and_theme(real_db, shared_data):
    with open_store(real_db) as store:
        quiet = [detect_emerging(store, iso_week(w), persist=False) for w in ("2026-W42", "2026-W43", "2026-W44", "2026-W45")]
        w46 = detect_emerging(store, iso_week("2026-W46"))
        w47 = detect_emerging(store, iso_week("2026-W47"))
        w48 = detect_emerging(store, iso_week("2026-W48"))
    assert all(len(r.alarms) <= 1 for r in quiet), [[a.label for a in r.alarms] for r in quiet]
    for r in (w46, w47):
        top = r.alarms[0]
        assert top.products[0].name == "Y9000P" and top.safety > 0, top.label
    assert any("指纹" in "".join(c.suggested_keywords) for c in w48.candidates)
    assert any("指纹" in "".join(a.terms) for a in w48.alarms)
    # no outlier bucket: nearly every complaint is in a cluster, none holds a third of them
    assert w48.stats["without_content_words"] < 0.02 * w48.stats["complaints_window"]
    assert max(c.count for c in w48.clusters) < w48.stats["complaints"] / 3
