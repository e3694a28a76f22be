"""Routing findings to owners (owners.tsv) and the priority rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from voc.errors import LexiconError
from voc.findings.routing import (
    DEFAULT_OWNER,
    Owner,
    PriorityRule,
    Router,
    load_router,
    parse_owners,
)
from voc.lexicon import Lexicons

REPO = Path(__file__).resolve().parents[1]
DESIGN_TOPICS = {
    "thermal": "热设计", "battery": "电源", "display": "显示", "input": "输入设备", "noise": "声学与结构",
    "performance": "系统性能", "software": "软件", "connectivity": "通信", "audio_camera": "多媒体",
    "build": "结构与工艺", "storage": "平台硬件", "ports_accessories": "配件", "logistics": "供应链",
    "customer_service": "客服", "after_sales": "售后", "price": "营销", "authenticity": "渠道",
}  # fmt: skip

OWNERS = """# comment
topic\tproduct\tteam\tperson\tcontact
battery\tY9000*|R9000*\t电源\t拯救者电源\tlegion@example.com
battery\t\t电源\t电源负责人\tpower@example.com
*\t小新*\t小新产品线\t\t
*\t\tVOC 值班\t\ttriage@example.com
"""


def test_shipped_owners_file_routes_every_design_topic_to_its_team():
    router = load_router(Lexicons(REPO / "lexicons"))
    for topic, team in DESIGN_TOPICS.items():
        assert router.route(topic, "Y9000P").team == team, topic


@pytest.mark.parametrize(
    "topic,team",
    [
        ("logistics", "供应链"),
        ("customer_service", "客服"),
        ("after_sales", "售后"),
        ("price", "营销"),
        ("authenticity", "渠道"),
    ],
)
def test_service_and_logistics_topics_go_to_non_rd_owners(topic, team):
    assert load_router(Lexicons(REPO / "lexicons")).route(topic, "小新Pro14").team == team


def test_most_specific_line_wins_and_default_catches_the_rest():
    router = Router(parse_owners(OWNERS))
    assert router.route("battery", "Y9000P").person == "拯救者电源"
    assert (
        router.route("battery", "r9000x").person == "拯救者电源"
    )  # case-insensitive, second pattern
    assert router.route("battery", "小新Pro14").person == "电源负责人"  # topic line beats * pattern
    assert router.route("display", "小新Pro14").team == "小新产品线"
    assert router.route("display", "ThinkBook14") == Owner("VOC 值班", "", "triage@example.com")
    assert router.route("never-heard-of", "") == router.default
    assert router.owners()[-1] == router.default


def test_topic_teams_from_the_taxonomy_come_before_wildcards():
    router = Router(parse_owners(OWNERS), topic_teams={"hinge": "结构与工艺"})
    assert router.route("hinge", "ThinkBook14").team == "结构与工艺"
    assert router.route("hinge", "小新Pro14").team == "结构与工艺"


def test_without_owner_lines_or_teams_everything_goes_to_the_built_in_default(tmp_path):
    (tmp_path / "owners.tsv").write_text("# no lines: routing switched off\n", encoding="utf-8")
    (tmp_path / "topics.tsv").write_text("id\tname_zh\tterms\nbattery\t电池\t电池\n", encoding="utf-8")
    router = load_router(Lexicons(tmp_path))
    assert router.route("battery", "Y9000P") == DEFAULT_OWNER


def test_a_lexicon_folder_without_owners_file_uses_the_packaged_routing(tmp_path):
    assert load_router(Lexicons(tmp_path)).route("battery", "Y9000P").team == "电源"


@pytest.mark.parametrize(
    "text,message",
    [
        ("topic\tproduct\tteam\n\tY*\t电源\n", ":2: empty topic"),
        ("battery\t\t\n", ":1: no team"),
        ("battery\t\t电源\tp\tc\textra\n", ":1: 6 columns"),
    ],
)
def test_malformed_owner_lines_name_file_and_line(text, message):
    with pytest.raises(LexiconError, match=message):
        parse_owners(text, "owners.tsv")


def test_safety_is_always_p0_whatever_the_volume():
    rule = PriorityRule()
    quiet = dict(
        share=0.0, negative_share=0.1, burst=False, growth=None, impact=None, impact_low=None
    )
    assert rule.priority(safety=1, **quiet) == "P0"
    assert rule.priority(safety=0, **quiet) == "P3"


def test_priority_points_from_volume_negativity_growth_and_impact():
    rule = PriorityRule()
    big_burst = dict(
        share=0.03, negative_share=0.9, burst=True, growth=5.0, impact=3.0, impact_low=1.0
    )
    assert rule.points(**big_burst) == 7
    assert rule.priority(safety=0, **big_burst) == "P1"
    steady = dict(
        share=0.006, negative_share=0.9, burst=False, growth=1.0, impact=None, impact_low=None
    )
    assert rule.points(**steady) == 2 and rule.priority(safety=0, **steady) == "P2"
    uncertain_impact = dict(
        share=0.0, negative_share=None, burst=False, growth=1.6, impact=5.0, impact_low=-0.5
    )
    assert rule.points(**uncertain_impact) == 1  # the impact's interval crosses 0: no points
    assert rule.priority(safety=0, **uncertain_impact) == "P3"
    assert len(rule.describe("en")) == 3 and len(rule.describe("zh")) == 3


def test_the_short_topic_names_reports_show_cover_what_the_topic_holds():
    """Reports name a topic by the part of its Chinese name before the first /: the camera's
    topic is not called 音质 (sound), which read 拍照效果很棒 as a sound praise."""
    from voc.report.i18n import load_topic_names

    names = load_topic_names()
    assert names["audio_camera"] == ("音频与拍照", "Audio & camera")
    assert names["battery"][0] == "电池"
