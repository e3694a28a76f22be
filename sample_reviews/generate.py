#!/usr/bin/env python3
"""Deterministic generator for the voc demo data set in ``sample_reviews/``.

    python sample_reviews/generate.py            # rewrite the files next to this script
    python sample_reviews/generate.py --out DIR  # write them somewhere else
    python sample_reviews/generate.py --json     # the summary as JSON instead of tables

Every text is composed here from our own templates and vocabulary (nothing is copied
from any corpus). Standard library only, plus openpyxl for the XLSX. The random seed is
fixed, nothing depends on the clock, sets are never iterated, and the XLSX zip is
rewritten with fixed timestamps, so every run writes byte-identical files.

Twelve ISO weeks, 2026-W36 .. 2026-W47 (2026-09-01 .. 2026-11-22, China time; W36 has
six days because the data start on Tuesday 1 September). What is planted, and how
much of it per week, is printed at the end of a run and documented in README.md.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import json
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = "voc-sample-reviews/v1"
FIRST_DAY = date(2026, 9, 1)
LAST_DAY = date(2026, 11, 22)
HERE = Path(__file__).resolve().parent

FILES = {
    "jd": "jd_reviews_gbk.csv",
    "jd2": "jd_reviews_export2.csv",
    "tmall": "tmall_reviews.xlsx",
    "app": "app_feedback.jsonl",
    "tickets": "tickets.jsonl",
    "calls": "call_transcripts.txt",
}
REVIEW_FILES = ("jd", "jd2", "tmall", "app")
TICKET_FILES = ("tickets", "calls")


def iso_week(d: date | datetime) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


DAYS = [FIRST_DAY + timedelta(n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
WEEKS: list[str] = list(dict.fromkeys(iso_week(d) for d in DAYS))
WEEK_DAYS = {w: [d for d in DAYS if iso_week(d) == w] for w in WEEKS}
assert WEEKS[0] == "2026-W36" and WEEKS[-1] == "2026-W47" and len(WEEKS) == 12


def per_week(values: list[int]) -> dict[str, int]:
    assert len(values) == len(WEEKS)
    return dict(zip(WEEKS, values, strict=True))


# ======================================================================================
# Volumes
# ======================================================================================
REVIEWS_PER_WEEK = 440  # all review channels together, a normal full week
# Seasonal shape: National Day (W40), the Double-11 run-up and its delivery wave (W44-W47).
VOLUME = dict(zip(WEEKS, [0.86, 1.00, 0.97, 1.03, 1.12, 0.95, 0.98, 1.00, 1.10, 1.35, 1.65, 1.30], strict=True))
CHANNEL_SHARE = {"jd": 0.48, "tmall": 0.30, "app": 0.22}
TICKETS_PER_WEEK = {"tickets": 30, "calls": 20}
TICKET_VOLUME = dict(zip(WEEKS, [0.86, 1.00, 1.00, 1.00, 1.10, 1.00, 1.00, 1.00, 1.05, 1.20, 1.40, 1.30], strict=True))

BURST_MODEL = "moto edge 50"
FINGERPRINT_MODEL = "ThinkPad X1 Carbon"
FAN_MODEL = "拯救者Y9000P"
LEAK_MODEL = "小新Pro14"

# Planted per-week counts ------------------------------------------------------------
# The burst: charging failure / battery swelling on the moto edge 50. JD counts include
# follow-up reviews (追评) written in W46/W47 on reviews posted 1-5 weeks earlier.
BURST = {
    "jd": per_week([2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 17, 19]),
    "tmall": per_week([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 10]),
    "app": per_week([1, 2, 1, 2, 1, 1, 2, 1, 2, 2, 12, 13]),
    "tickets": per_week([1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 5, 6]),
    "calls": per_week([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 5]),
}
BURST_JD_FOLLOWUPS = {"2026-W46": 3, "2026-W47": 4}
# The fingerprint reader on the ThinkPad X1 Carbon: named by no topic lexicon.
FINGERPRINT = {
    "jd": per_week([0] * 8 + [1, 2, 4, 6]),
    "tmall": per_week([0] * 8 + [1, 1, 2, 3]),
    "app": per_week([0] * 8 + [1, 2, 3, 4]),
    "tickets": per_week([0] * 9 + [1, 1, 2]),
    "calls": per_week([0] * 10 + [1, 1]),
}
# Steady issues: a fixed share of the matching reviews of each week (rounded).
FAN_SHARE = 0.12  # of Y9000P reviews, all review files
LEAK_SHARE = 0.06  # of 小新Pro14 reviews
LOGISTICS_SHARE = {"jd": 0.04, "tmall": 0.04, "app": 0.02}  # of all reviews of the file

# Safety reports: (id, file, week, model, word). S1-S3 are also burst texts.
SAFETY = [
    ("S1", "jd", "2026-W46", BURST_MODEL, "冒烟"),
    ("S2", "app", "2026-W47", BURST_MODEL, "烫伤"),
    ("S3", "calls", "2026-W47", BURST_MODEL, "起火"),
    ("S4", "tmall", "2026-W41", FAN_MODEL, "漏电"),
]
# Positive reviews that say the battery did NOT swell ("没有鼓包"): negation decoys.
NEGATION_DECOYS = [
    ("jd", "2026-W37", "moto razr 50"), ("app", "2026-W38", BURST_MODEL),
    ("tmall", "2026-W39", "moto razr 50"), ("jd", "2026-W40", "拯救者Y9000P"),
    ("jd", "2026-W42", BURST_MODEL), ("app", "2026-W43", "小新Pro14"),
    ("tmall", "2026-W44", "moto razr 50"), ("jd", "2026-W45", "YOGA Air 14s"),
    ("jd", "2026-W46", BURST_MODEL), ("app", "2026-W47", BURST_MODEL),
]

# Broken and special rows (extra rows, on top of the reviews above).
JD_DUPLICATE_ROWS = 30  # rows written twice in jd_reviews_gbk.csv
EXPORT2_OVERLAP = 50  # reviews in both JD exports (5 of them burst reviews)
EXPORT2_OVERLAP_BURST = 5
EXPORT2_NEW = 100  # reviews only in jd_reviews_export2.csv (generic, W45-W47)
JD_BROKEN = {
    "date_unparseable": ["昨天下午", "昨天下午", "3天前"],
    "rating_out_of_range": ["7", "abc"],
    "empty_text": 4,
    "default_未填写": 22,
    "default_系统默认好评": 12,
    "too_many_fields": 2,
}
TMALL_BROKEN = {
    "date_unparseable": ["昨天下午", "上周"],
    "rating_invalid": ["0星", "好评"],
    "nps_out_of_range": [11],
    "empty_text": 3,
    "default_系统默认好评": 15,
    "default_未填写": 5,
}
APP_BROKEN = {
    "broken_json": 2,
    "rating_out_of_range": [7],
    "nps_out_of_range": [15],
    "date_unparseable": ["昨天下午"],
    "empty_text": 2,
}
TICKETS_BROKEN = {"broken_json": 1, "no_customer_words": 2}

# ======================================================================================
# Products
# ======================================================================================
@dataclass(frozen=True)
class Model:
    name: str
    kind: str  # laptop / phone
    titles: tuple[str, ...]  # long listing titles (JD 商品名称, Tmall 宝贝名称)
    short: tuple[str, ...]  # the messy short forms people and exports use
    mentions: tuple[str, ...]  # how customers write the model inside a text


MODELS: dict[str, Model] = {
    "拯救者Y9000P": Model(
        "拯救者Y9000P", "laptop",
        ("联想拯救者Y9000P 2025 16英寸电竞游戏本 i9-14900HX 32G 1T RTX4060",
         "联想(Lenovo)拯救者Y9000P 2024 游戏笔记本电脑 i9 16G 1T RTX4070",
         "Lenovo Legion 拯救者Y9000P 16英寸 2.5K 240Hz 电竞屏"),
        ("Y9000P 2023款 i9 16G", "拯救者 Y9000P", "y9000p", "拯救者Y9000P", "Y9000P（i9-14900HX/RTX4060）",
         "Legion Y9000P"),
        ("y9000p", "Y9000P", "拯救者", "Y9000P 2023款"),
    ),
    "小新Pro14": Model(
        "小新Pro14", "laptop",
        ("联想小新Pro14 2025 酷睿Ultra5 32G 1T 2.8K 120Hz 轻薄笔记本",
         "联想(Lenovo)小新Pro14 锐龙R7 16G 1T 14英寸 高性能轻薄本"),
        ("小新Pro14", "小新 Pro 14", "xiaoxin pro14", "小新pro14 锐龙版", "小新Pro14 2025款 Ultra5"),
        ("小新pro14", "小新", "小新Pro14"),
    ),
    "ThinkPad X1 Carbon": Model(
        "ThinkPad X1 Carbon", "laptop",
        ("ThinkPad X1 Carbon 2024 酷睿Ultra7 32G 1T 14英寸商务笔记本",
         "联想ThinkPad X1 Carbon Gen12 AI PC 2.8K OLED 轻薄商务本"),
        ("X1 Carbon", "thinkpad x1 carbon", "ThinkPad X1 Carbon Gen12", "X1 Carbon 2024款 Ultra7 32G",
         "X1C Gen12"),
        ("X1C", "x1 carbon", "小黑"),
    ),
    "YOGA Air 14s": Model(
        "YOGA Air 14s", "laptop",
        ("联想YOGA Air 14s 2025 酷睿Ultra7 32G 1T 2.9K OLED 超轻薄本",
         "Lenovo YOGA Air 14s 14.5英寸 OLED 触控轻薄笔记本"),
        ("YOGA Air 14s", "yoga air14s", "YOGA Air14s OLED", "Yoga Air 14s 32G"),
        ("yoga", "YOGA Air 14s"),
    ),
    "moto edge 50": Model(
        "moto edge 50", "phone",
        ("摩托罗拉moto edge 50 12GB+256GB 5G手机 曲面屏", "motorola edge 50 5G 12+512G 远山灰"),
        ("moto edge 50", "moto edge50", "edge 50 5G手机", "摩托罗拉 edge50", "Moto Edge 50 12+256"),
        ("edge50", "moto"),
    ),
    "moto razr 50": Model(
        "moto razr 50", "phone",
        ("摩托罗拉moto razr 50 小折叠屏5G手机 8GB+256GB", "motorola razr 50 折叠屏手机 12+512G"),
        ("moto razr 50", "razr50", "摩托罗拉razr 50 折叠屏", "Razr 50 8+256"),
        ("razr", "小折叠"),
    ),
}
MODEL_SHARE = {
    "jd": {"拯救者Y9000P": .28, "小新Pro14": .22, "ThinkPad X1 Carbon": .10, "YOGA Air 14s": .10,
           "moto edge 50": .18, "moto razr 50": .12},
    "tmall": {"拯救者Y9000P": .22, "小新Pro14": .26, "ThinkPad X1 Carbon": .08, "YOGA Air 14s": .14,
              "moto edge 50": .18, "moto razr 50": .12},
    "app": {"拯救者Y9000P": .20, "小新Pro14": .18, "ThinkPad X1 Carbon": .14, "YOGA Air 14s": .10,
            "moto edge 50": .24, "moto razr 50": .14},
    "tickets": {"拯救者Y9000P": .26, "小新Pro14": .24, "ThinkPad X1 Carbon": .12, "YOGA Air 14s": .10,
                "moto edge 50": .16, "moto razr 50": .12},
}
MODEL_SHARE["jd2"] = MODEL_SHARE["jd"]
MODEL_SHARE["calls"] = MODEL_SHARE["tickets"]

# ======================================================================================
# Vocabulary (written for this data set)
# ======================================================================================
# aspect -> (positive clauses, negative clauses). "很" is varied at composition time.
LAPTOP_ASPECTS: dict[str, tuple[list[str], list[str]]] = {
    "display": (["屏幕很清晰", "屏幕色彩很正", "2.8K屏看着很舒服", "120Hz刷新率很丝滑", "屏幕素质很高，没有坏点",
                 "屏幕亮度够用", "屏幕细腻，看剧很爽"],
                ["屏幕有一个坏点", "屏幕偏黄", "屏幕亮度有点低", "偶尔闪屏", "屏幕反光严重", "屏幕色差明显"]),
    "thermal": (["散热不错", "打游戏也不怎么烫", "日常使用没有发热", "温度控制得很好", "长时间用也不热"],
                ["发热有点严重", "玩游戏温度能到90多度", "C面很烫", "散热一般，夏天烫手", "稍微跑点东西就发热"]),
    "noise": (["风扇很安静", "办公时几乎听不到风扇声", "一点都不吵"],
              ["风扇有点吵", "偶尔有电流声", "高负载时风扇声音明显"]),
    "performance": (["运行很流畅", "一点都不卡", "开机很快，几秒就进桌面", "打游戏不掉帧", "多开软件也很流畅",
                     "性能很强", "剪视频很快"],
                    ["用了几天就开始卡顿", "偶尔死机", "玩游戏掉帧严重", "运行慢，打开个网页都要等", "经常卡死"]),
    "battery": (["续航很给力，能用一整天", "续航比预期好", "充电速度很快", "出门不用带电源"],
                ["续航太短了，两个小时就没电", "掉电快", "电池不耐用", "续航跟宣传的差太多"]),
    "input": (["键盘手感很好", "键程舒服，打字很爽", "触控板很大很灵敏"],
              ["键盘有个键不回弹", "触控板偶尔失灵", "键盘背光不均匀", "按键有点松"]),
    "build": (["做工精致", "金属机身质感很好", "很轻便，背着不累", "做工扎实，没有缝隙", "没有异味"],
              ["外壳有缝隙", "用了没多久就掉漆了", "有股塑料异味", "有点重，背着累", "A面很容易刮花"]),
    "software": (["系统很干净，预装软件不多", "开箱激活很顺利"],
                 ["预装软件太多了", "更新后蓝屏了一次", "驱动装不上", "系统经常弹广告"]),
    "connectivity": (["WiFi信号很稳", "蓝牙连接很稳定"], ["WiFi老是断", "蓝牙耳机连接不稳定", "网卡经常掉线"]),
    "audio_camera": (["音质不错", "扬声器效果出乎意料", "摄像头开会够用"],
                     ["摄像头画质很差", "麦克风有杂音", "外放声音太小"]),
    "storage": (["固态硬盘读写很快", "内存够大，多开不卡"], ["硬盘容量有点小", "内存只有16G不够用"]),
    "ports": (["接口很齐全", "充电器很小巧"], ["接口太少了，得买扩展坞", "充电器太大太重"]),
}
PHONE_ASPECTS: dict[str, tuple[list[str], list[str]]] = {
    "display": (["屏幕很细腻", "曲面屏很好看", "屏幕观感很棒", "刷新率高，划起来很顺"],
                ["屏幕有点偏绿", "屏幕边缘容易误触", "自动亮度不太准"]),
    "camera": (["拍照很清晰", "夜景拍得很好", "人像模式效果好", "主摄很能打"],
               ["拍照有点糊", "夜景噪点多", "视频防抖一般"]),
    "battery": (["续航还可以，一天一充", "5000mAh大电池很耐用", "快充很快，半小时充满", "待机很省电"],
                ["续航一般，重度使用撑不到晚上", "耗电有点快", "待机掉电严重"]),
    "performance": (["运行流畅不卡", "打王者很流畅", "一点都不卡顿", "应用秒开"],
                    ["偶尔卡顿", "玩游戏会掉帧", "后台杀得太狠了"]),
    "thermal": (["玩游戏也不怎么热", "日常用没有发热"], ["玩一会儿游戏就发热", "发烫明显", "开导航发热厉害"]),
    "connectivity": (["信号很好", "5G网速很快"], ["信号差，电梯里没信号", "WiFi经常断", "蓝牙偶尔断连"]),
    "build": (["手感很好", "很轻薄", "素皮后盖很有质感", "握持感不错"], ["边框有点硌手", "中框容易磕花"]),
    "audio_camera": (["外放声音很大", "双扬声器效果好"], ["听筒声音小", "外放有点破音"]),
    "software": (["系统很干净，没有广告", "系统很流畅"], ["系统广告有点多", "更新后耗电快了"]),
}
COMMON_ASPECTS: dict[str, tuple[list[str], list[str]]] = {
    "appearance": (["外观很好看", "颜值很高", "颜色很高级", "设计简洁大方"], ["颜色和图片有差别"]),
    "logistics": (["物流很快，第二天就到了", "包装很严实", "快递小哥很负责", "京东物流就是快", "发货很及时"], []),
    "customer_service": (["客服态度很好", "客服回复很及时", "客服很耐心"], ["客服回复太慢", "客服态度敷衍", "客服只会复制粘贴"]),
    "after_sales": (["售后很靠谱"], ["售后推来推去", "维修要寄回去等半个月"]),
    "price": (["性价比很高", "活动价很划算", "价格很实惠"], ["刚买就降价了，也不保价", "价格有点贵"]),
    "authenticity": (["官方正品，放心", "正品没问题"], ["怀疑是翻新机"]),
}
MODEL_FLAVOUR: dict[str, tuple[list[str], list[str]]] = {
    "拯救者Y9000P": (["性能怪兽，3A大作随便玩", "显卡很给力", "游戏帧率很稳", "电竞屏玩游戏很爽"],
                    ["太重了，电源适配器像块砖", "价格有点高"]),
    "小新Pro14": (["轻薄好带", "办公学习很合适", "这个价位很能打"], ["塑料感有点强", "外放一般"]),
    "ThinkPad X1 Carbon": (["非常轻，出差首选", "小红点很方便", "商务范十足", "做工一如既往的扎实"],
                           ["价格太贵了", "接口有点少"]),
    "YOGA Air 14s": (["OLED屏幕色彩绝了", "很轻很薄，颜值在线", "屏幕看电影太爽了"],
                     ["接口太少", "有点担心OLED烧屏"]),
    "moto edge 50": (["曲面屏手感很好", "拍照很惊艳", "素皮后盖手感很好", "这个价位很香"], ["曲面屏容易误触"]),
    "moto razr 50": (["小折叠很时尚", "外屏很实用", "折叠起来很小巧", "放口袋很方便"],
                     ["折痕有点明显", "铰链有点松", "外屏太小"]),
}

OPENERS = ["收到货了，", "用了一周来评价，", "用了半个月了，", "第二次在这家买了，", "给女朋友买的，",
           "给孩子上网课用，", "学生党，攒了好久的钱，", "公司统一采购的，", "等了好久终于到了，",
           "对比了很久才下单，", "老用户了，", "第一次买这个牌子，", "用了几天说一下感受：", "到手第一时间开箱，"]
OPENERS_LAPTOP = ["买来打游戏的，", "买来写代码的，", "办公用的，", "考研党用来上网课，"]
OPENERS_PHONE = ["给爸妈买的，", "换机了，", "备用机，", "从老手机换过来的，"]
OPENERS_WEEK = {"2026-W40": ["国庆在家下的单，", "国庆活动买的，"],
                "2026-W45": ["双十一预售入手的，", "双11活动买的，"],
                "2026-W46": ["双十一入手的，", "双11活动买的，", "趁着双十一换了新机，"],
                "2026-W47": ["双十一买的，现在才评价，", "双11活动买的，"]}
CONTEXT_LAPTOP = ["平时主要用来办公和看视频，偶尔玩玩游戏。", "之前用的是五年前的老电脑，这次换新感觉提升很大。",
                  "对比了好几款同价位的，最后选了这款。", "到手先跑了一下分，成绩和网上的评测差不多。",
                  "开箱的时候包装完整，配件齐全。", "用了十几天，每天大概开机八九个小时。",
                  "主要跑代码和开虚拟机，偶尔剪一下视频。", "宿舍用，晚上室友睡觉了也要用。"]
CONTEXT_PHONE = ["平时刷视频、聊微信比较多，偶尔打打游戏。", "之前的手机用了四年，这次换新体验提升明显。",
                 "对比了好几款同价位的，最后选了这款。", "开箱的时候包装完整，送了手机壳和贴膜。",
                 "用了十几天，每天亮屏大概五六个小时。", "主要看中外观和拍照。"]
STORY = ["身边同事也买了同款，反馈都差不多。", "买之前看了很多评测，实际体验和评测说的基本一致。",
         "618的时候犹豫了没买，这次终于入手了。", "本来想买别的牌子，店员推荐了这款。", "这是家里的第三台联想了。"]
CONTEXT_END_POS = ["总的来说这个价位还是值得的。", "以上是真实使用感受，供大家参考。", "希望对想买的朋友有帮助。",
                   "这次购物体验很愉快。"]
CONTEXT_END_MIX = ["综合来看优点大于缺点。", "说实话有点纠结要不要退。", "如果这些问题能解决就完美了。",
                   "以上是真实使用感受，供大家参考。"]
CLOSERS_POS = ["总体很满意！", "推荐购买", "好评！", "五星好评", "值得入手", "会回购的", "推荐给朋友了",
               "满意满意", "物超所值", "很喜欢", "给个好评"]
CLOSERS_MIX = ["总体还行吧", "瑕不掩瑜", "凑合用吧", "希望后续能改进", "其他都还好", "给四星吧", "一分价钱一分货"]
CLOSERS_NEG = ["很失望", "差评！", "不会再买了", "后悔买了", "大家慎重", "已经申请退货了", "太坑了", "垃圾",
               "体验很差", "气死了", "别买"]
CONTRAST = ["，但是", "，可惜", "，不过", "，就是", "。美中不足的是", "，唯一不满意的是", "，但"]
JOIN = ["，", "，", "，", "，而且", "，还有", "。", "；", "，另外"]
INTENSIFIERS = ["很", "很", "非常", "特别", "超", "挺", "蛮", "真的很", "相当"]

SHORT_POS = ["挺好的，满意", "很不错，推荐", "好用，速度快", "东西不错，好评", "质量很好，喜欢", "物流快，东西好",
             "非常满意！", "不错不错，值得买", "一如既往的好", "超级喜欢！！", "好评，五星", "好用好用好用",
             "东西收到了，很好", "完美，没毛病", "宝贝很好，谢谢卖家", "很满意的一次购物"]
SHORT_NEU = ["还可以吧，凑合", "一般般，凑合用", "中规中矩吧", "还行，没什么特别的", "先用用看再说", "和描述差不多",
             "就那样吧，不好不坏"]
SHORT_NEG = ["不太满意", "垃圾，别买", "很差劲的体验", "失望透顶", "不值这个价", "质量太差了", "后悔了，别买",
             "退货了，不推荐"]
EMOJI_POS = ["👍", "😍", "💯", "🎉", "❤️", "😄", "👏"]
EMOJI_NEG = ["😡", "😭", "👎", "🙄", "😤", "💔"]
EMOJI_NEU = ["😅", "🤔", "😂"]

TRAD = dict(zip("个这还说买东发热风声电质时间问题开机处应该经实级显过边没给满钱货运长网频键盘续样点后头们来对让为无与办学习虽够觉爱图乐亲听",
                "個這還說買東發熱風聲電質時間問題開機處應該經實級顯過邊沒給滿錢貨運長網頻鍵盤續樣點後頭們來對讓為無與辦學習雖夠覺愛圖樂親聽", strict=True))
TYPOS = [("非常", "灰常"), ("喜欢", "稀饭"), ("什么", "神马"), ("已经", "以经"), ("好评", "好平"), ("东西", "东东"),
         ("的很", "得很"), ("这样", "酱紫"), ("真的", "真滴"), ("不错", "不措")]

# --- follow-ups and merchant replies (JD) ----------------------------------------------
FOLLOWUP_POS = ["用了一个月了，一切正常，好评", "追评：用了两个月依然很流畅", "用了一段时间，很满意，推荐",
                "用着挺顺手的，没什么问题", "追评一下，质量很稳定", "用了快一个月，越用越喜欢"]
FOLLOWUP_NEG = ["用了一个月，开始有点卡了", "追评：用久了发热有点明显", "用了一段时间屏幕出现一个坏点",
                "后来联系客服一直没回复，差评", "用了两周就开始掉漆了"]
REPLY_POS = ["亲，感谢您的支持与厚爱，我们会继续努力的~", "感谢亲的好评，祝您使用愉快！",
             "谢谢您的认可，有任何问题随时联系我们哦", "感谢您选择联想，期待您的再次光临"]
REPLY_NEG = ["亲，非常抱歉给您带来不好的体验，请联系在线客服为您处理",
             "您好，您反馈的问题已记录，售后热线400-810-1234随时为您服务",
             "亲，这边已经为您登记，工作人员会尽快联系您", "抱歉让您失望了，可以申请售后检测，我们会全力跟进"]
REPLY_FAN = "亲，高性能模式下风扇转速较高属于正常现象，可以按Fn+Q切换到安静模式哦"
REPLY_BURST = "亲，电池鼓包或充电异常请立即停止使用并联系售后，我们会第一时间为您处理"
MEMBER_LEVELS = (["PLUS会员", "金牌会员", "银牌会员", "铜牌会员", "注册会员", "钻石会员"], [20, 22, 18, 14, 20, 6])

# --- planted texts ---------------------------------------------------------------------
BURST_SWELL = ["用了两周电池鼓包了，后盖都顶起来了", "手机后盖鼓起来一块，拆开看是电池鼓包",
               "才买一个月电池就鼓包，屏幕都被顶得翘起来了", "放桌上都放不平了，明显是电池鼓包",
               "电池鼓包把后盖撑开了一条缝", "后盖和中框之间裂开了，电池鼓包了", "电池鼓包了，手机背面都变形了"]
BURST_FAIL = ["充电器插上没反应，换了根线也一样", "突然充不进电了，插着线电量还往下掉",
              "充电充到一半就停了，显示已连接但充不进电", "充不上电，原装充电器和别的充电器都试了不行",
              "插上充电器没反应，要反复拔插好几次才开始充", "晚上充了一夜早上起来还是20%，根本充不进电"]
BURST_HEAT = ["充电时特别烫，摸着都不敢拿", "充电的时候特别烫，背面烫手，充电速度也越来越慢",
              "一充电就特别烫，还经常提示充电暂停", "充电时特别烫，跟暖手宝一样"]
BURST_BASE = ["偶尔充不进电，拔插一下就好了", "充电器插上没反应，过一会儿才开始充", "有时候充不上电，要换个插座才行",
              "充电口有点接触不良，偶尔充不进电"]
BURST_PRE = ["买了不到一个月，", "之前用着都挺好的，", "刚到手的时候还挺满意，", "用了三周左右，", "拍照和屏幕都很好，",
             "手机本身颜值很高，", ""]
BURST_PRE_LATE = ["双十一买的，", "趁着双十一换的机，"]
BURST_POST = ["这是质量问题吧？", "已经申请换货了", "太吓人了，不敢用了", "有同样问题的吗", "联系售后说要寄回检测",
              "差评！", "希望官方重视一下", "不敢放在床头充电了", "第二台了还是这样"]
SAFETY_TEXT = {
    "冒烟": "充电的时候充电口冒烟了，还有一股焦味，吓死我了，赶紧拔了",
    "烫伤": "晚上充电手机烫得离谱，拿起来的时候手被烫伤了，起了个水泡",
    "起火": "就是充电的时候 充电口那里起火了 冒了一下火花 我赶紧拔了 现在不敢用了",
    "漏电": "插着电源用的时候摸金属外壳有漏电的感觉，手指发麻",
}
FINGERPRINT_CORE = ["指纹识别失败率很高，十次有五六次识别不了", "指纹解锁经常识别不了，最后还是得输密码",
                    "录不进指纹，录到一半就提示失败", "指纹传感器没反应，手指放上去毫无感应",
                    "刚开始指纹还挺好用的，最近两周几乎识别不出来", "指纹识别时灵时不灵，早上要按好多次",
                    "指纹识别区域按上去没反应，删了重新录也录不进去", "手指稍微有点湿指纹就识别失败",
                    "指纹解锁基本废了，十次能成一次就不错了"]
FINGERPRINT_PRE = ["电脑整体挺满意的，", "别的都还好，", "用了快一个月，", "出差党，每天带着跑，", "用着别的方面都不错，", ""]
FINGERPRINT_POST = ["每天登录都很烦", "希望能解决", "商务本不应该出这种问题", "体验很差", "不知道是不是个例",
                    "同事的也一样", "很影响使用"]
FAN_CORE = ["风扇声音太大了，跟吹风机一样", "一打游戏风扇就狂转，噪音特别大", "风扇噪音大，晚上宿舍根本没法用",
            "风扇有异响，嗡嗡嗡的", "待机风扇也呼呼转，太吵了", "风扇声音太大了", "风扇啸叫，开会的时候很尴尬"]
FAN_PRE = ["屏幕很清晰，", "性能确实强，", "打游戏很爽，", "外观很帅，", "配置很高，", ""]
LEAK_CORE = ["屏幕漏光，左下角一片发白", "黑色背景下四个角都漏光", "屏幕右上角有明显漏光，强迫症受不了",
             "关灯看黑色画面时底部漏光", "屏幕边缘漏光挺严重的"]
LEAK_PRE = ["轻薄好带，", "性能够用，", "外观挺好看的，", "价格实惠，", ""]
LOGISTICS_NEG = ["快递太慢了，等了一个星期才到", "物流好几天都没变化，催了好几次", "外包装破损了，箱子都压扁了",
                 "快递员没联系我直接放驿站了", "物流信息说已签收，但我根本没收到", "送货的态度很差，还让我自己下楼拿",
                 "发货太慢了，下单三天才发"]
LOGISTICS_NEG_LATE = ["双十一物流太慢了，拖了五天才到"]
DECOY_TEXT = ["用了三个月电池也没有鼓包，挺放心的", "电池没有鼓包，续航也还行，好评", "之前的手机电池鼓包了，这台用着没鼓包，放心",
              "用了一年了电池没有鼓包，散热也不错"]

# --- PII (all synthetic) and look-alikes that must stay ------------------------------
PHONES = ["13812345678", "13987654321", "15012345678", "18611112222", "13700001111", "17788889999"]
EMAILS = ["zhangsan@example.com", "li.si_2026@example.cn", "wangwu88@example.org", "voc.test@example.net"]
ADDRESSES = ["北京市海淀区某某路88号", "上海市浦东新区某某路100号3栋201室", "广州市天河区某某大道12号"]
QQS = ["12345678", "987654321"]
WECHATS = ["zhang_san2026", "wxid_abc12345"]
ORDERS_IN_TEXT = ["281234567890", "300123456789", "312345678901", "290987654321"]


def _id_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def _luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        digits = [int(c) for c in prefix + d][::-1]
        total = sum(x if i % 2 == 0 else (x * 2 - 9 if x * 2 > 9 else x * 2) for i, x in enumerate(digits))
        if total % 10 == 0:
            return prefix + d
    raise AssertionError


ID_NUMBERS = [p + _id_check(p) for p in ("11010519900307123", "44030519881212004")]
CARDS = [_luhn_complete("622202000000123"), _luhn_complete("621700000000000001")]

PII_REVIEW = {
    "phone": ["有问题可以打我电话{phone}", "卖家一直不联系我，我电话{phone}", "收货电话{phone}，快递一直打不通"],
    "phone_dashed": ["有问题打我电话{phone_dashed}", "我的手机{phone_dashed}，麻烦售后联系一下"],
    "phone_spaced": ["联系我{phone_spaced}"],
    "phone_plus86": ["售后联系我+86 {phone}"],
    "email": ["发票请发到我邮箱{email}", "电子发票一直没收到，邮箱{email}"],
    "idcard": ["开发票填了身份证号{idcard}，结果还是开错了"],
    "idcard_nocue": ["实名信息{idcard}都填了，激活还是失败"],
    "bankcard": ["退款到银行卡{card}一直没到账"],
    "bankcard_nocue": ["我的卡{card}被扣了两次款"],
    "order": ["订单号{order}的发票还没开", "订单号：{order}，申请保价一直没处理"],
    "qq": ["有同款问题的加我QQ{qq}交流"],
    "wechat": ["微信：{wechat}，有团购的可以联系我", "要转让配件的加微信{wechat}"],
    "address": ["送货地址写的{address}，结果送到别的小区了"],
}
PII_PLAN = {  # file -> {kind: count}; kinds map to PII_REVIEW keys
    "jd": {"phone": 3, "phone_dashed": 2, "email": 2, "idcard": 1, "bankcard": 1, "order": 3, "qq": 1,
           "wechat": 2, "address": 1},
    "tmall": {"phone": 1, "phone_spaced": 1, "email": 1, "order": 1, "wechat": 1, "address": 1,
              "idcard_nocue": 1},
    "app": {"phone": 1, "phone_plus86": 1, "email": 2, "qq": 1, "bankcard_nocue": 1, "address": 1},
}
LOOKALIKES = {
    "laptop": ["i7-13700H配RTX4060，6499元入手很值", "2026-10-12下的单，10月14号就到了", "￥6,499的价格买到32G+1T，很划算",
               "主机型号83DG0012CD，跟页面写的一致", "Y9000P 2023款 i9 16G，跑分很高", "官方热线400-810-1234打了好几次"],
    "phone": ["5000mAh电池，续航一天没问题", "2026-10-12下的单，10月14号就到了", "12+256G版本，2399元入手",
              "型号XT2407-3，跟页面写的一致", "官方热线400-810-1234打了好几次"],
}
LOOKALIKE_PLAN = {"jd": 12, "tmall": 8, "app": 8}

# Regular expressions that find the plants again (also used by the tests).
PLANT_PATTERNS = {
    "burst": re.compile(r"鼓包|充不进|充不上|插上[^，。！？\s]{0,4}没反应|充电[^，。！？]{0,6}烫|冒烟|起火|烫伤"),
    "decoy": re.compile(r"没有鼓包|没鼓包"),
    "fingerprint": re.compile(r"指纹"),
    "light_leak": re.compile(r"漏光"),
    "fan": re.compile(r"风扇"),
    "safety": re.compile(r"冒烟|起火|爆炸|漏电|烫伤"),
    "logistics_neg": re.compile("|".join(re.escape(s) for s in LOGISTICS_NEG + LOGISTICS_NEG_LATE)),
}


def plant_hits(text: str, model: str) -> list[str]:
    """The plant patterns a generic text must not match (so counts stay exact)."""
    hits = [k for k in ("burst", "decoy", "fingerprint", "light_leak", "safety", "logistics_neg")
            if PLANT_PATTERNS[k].search(text)]
    if model == FAN_MODEL and PLANT_PATTERNS["fan"].search(text):
        hits.append("fan")
    if "鼓包" in text:
        hits.append("swelling")
    return hits


# ======================================================================================
# Composition
# ======================================================================================
def intensify(rng: random.Random, s: str) -> str:
    return s.replace("很", rng.choice(INTENSIFIERS), 1) if "很" in s and rng.random() < 0.6 else s


def pool(model: str, exclude_noise: bool) -> tuple[list[str], list[str]]:
    m = MODELS[model]
    aspects = dict(LAPTOP_ASPECTS if m.kind == "laptop" else PHONE_ASPECTS)
    if exclude_noise:
        aspects.pop("noise", None)
    aspects.update(COMMON_ASPECTS)
    pos, neg = [], []
    weights = {"appearance": 2, "logistics": 2, "price": 2, "performance": 2, "display": 2, "battery": 2}
    for name, (p, n) in aspects.items():
        w = weights.get(name, 1)
        pos += p * w
        neg += n * w
    fp, fn = MODEL_FLAVOUR[model]
    return pos + fp * 3, neg + fn * 2


def pick_distinct(rng: random.Random, items: list[str], k: int) -> list[str]:
    out: list[str] = []
    for _ in range(k * 6):
        if len(out) == k:
            break
        s = rng.choice(items)
        if s not in out:
            out.append(s)
    return out


def opener(rng: random.Random, model: str, week: str) -> str:
    m = MODELS[model]
    cands = OPENERS + (OPENERS_LAPTOP if m.kind == "laptop" else OPENERS_PHONE)
    if week in OPENERS_WEEK and rng.random() < 0.5:
        cands = OPENERS_WEEK[week]
    s = rng.choice(cands)
    if rng.random() < 0.15:
        s = f"入手{rng.choice(m.mentions)}，" + s
    return s


def join_clauses(rng: random.Random, clauses: list[str]) -> str:
    out = clauses[0]
    used: list[str] = []
    for c in clauses[1:]:
        j = rng.choice([x for x in JOIN if x not in used] or ["，"])
        if len(j) > 1:
            used.append(j)
        out += j + c
    return out


def ending(rng: random.Random) -> str:
    return rng.choice(["", "", "", "。", "！", "!!!", "～", "。", "！！！", "...", "~"])


def generic_text(rng: random.Random, model: str, rating: int, week: str) -> str:
    """A review of ``model`` whose tone matches ``rating``, from the aspect pools."""
    pos, neg = pool(model, exclude_noise=(model == FAN_MODEL))
    r = rng.random()
    if r < 0.18:  # short reviews
        if rating >= 4:
            return rng.choice(SHORT_POS)
        if rating == 3:
            return rng.choice(SHORT_NEU)
        return rng.choice(SHORT_NEG)
    long_review, very_long = r > 0.86, r > 0.95
    if rating == 5 and rng.random() < 0.02:
        rating = 2  # a five-star rating on a complaint: it happens
    if rating == 5:
        np_, nn = rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0], (1 if rng.random() < 0.08 else 0)
    elif rating == 4:
        np_, nn = rng.choices([1, 2, 3], [3, 4, 2])[0], (1 if rng.random() < 0.55 else 0)
    elif rating == 3:
        np_, nn = (1 if rng.random() < 0.7 else 0), rng.choice([1, 1, 2])
    elif rating == 2:
        np_, nn = (1 if rng.random() < 0.4 else 0), rng.choice([1, 2])
    else:
        np_, nn = (1 if rng.random() < 0.2 else 0), rng.choice([1, 2, 2, 3])
    if long_review:
        np_, nn = np_ + (3 if very_long else 2), nn + (1 if rating <= 4 else 0)
    ps = [intensify(rng, c) for c in pick_distinct(rng, pos, np_)]
    ns = pick_distinct(rng, neg, nn)
    if ps and ns:
        if rating <= 2 and rng.random() < 0.4:
            body = join_clauses(rng, ns) + "，唯一的优点是" + "，".join(ps)
        else:
            body = join_clauses(rng, ps) + rng.choice(CONTRAST) + join_clauses(rng, ns)
    elif ps:
        body = join_clauses(rng, ps)
    elif ns:
        body = join_clauses(rng, ns)
    else:
        body = rng.choice(SHORT_NEU)
    if long_review:
        ctx = CONTEXT_LAPTOP if MODELS[model].kind == "laptop" else CONTEXT_PHONE
        c1, c2 = rng.sample(ctx, 2)
        end = rng.choice(CONTEXT_END_MIX if ns else CONTEXT_END_POS)
        story = rng.choice(STORY) if very_long else ""
        body = opener(rng, model, week) + c1 + story + body + "。" + (c2 if very_long or rng.random() < 0.4 else "") + end
    elif rng.random() < 0.3:
        body = opener(rng, model, week) + body
    if rng.random() < 0.5:
        if rating >= 4 and not ns:
            close = rng.choice(CLOSERS_POS)
        elif rating >= 3:
            close = rng.choice(CLOSERS_MIX)
        else:
            close = rng.choice(CLOSERS_NEG)
        body = body.rstrip("。！，") + rng.choice(["，", "。", "！", " "]) + close
    end = ending(rng)
    if body[-1] in "。！!～~." and end in ("。", "！"):
        end = ""
    return body + end


def style(rng: random.Random, text: str, *, channel: str, tone: str, plant: bool) -> str:
    """Surface noise: half-width commas, spaces, repeated marks, emoji, typos, Traditional."""
    r = rng.random()
    if not plant:  # planted phrases stay verbatim, so they can be counted exactly
        if r < 0.08:
            text = text.replace("，", ",")
        elif r < 0.11:
            text = text.replace("，", " ")
        if rng.random() < 0.04:
            a, b = rng.choice(TYPOS)
            text = text.replace(a, b, 1)
        if rng.random() < 0.02:
            text = "".join(TRAD.get(c, c) for c in text).replace("屏幕", "螢幕")
        if rng.random() < 0.01:
            text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and c.isalnum() else c for c in text)
    if channel != "jd" and rng.random() < 0.10:
        e = {"pos": EMOJI_POS, "neg": EMOJI_NEG}.get(tone, EMOJI_NEU)
        text += rng.choice(e) * rng.choice([1, 1, 1, 2, 3])
    return text


def tone_of(rating: int) -> str:
    return "pos" if rating >= 4 else "neg" if rating <= 2 else "neu"


def burst_text(rng: random.Random, week: str, *, baseline: bool, safety: str | None = None) -> str:
    if safety:
        core = SAFETY_TEXT[safety]
    elif baseline:
        core = rng.choice(BURST_BASE)
    else:
        kind = rng.choices(["swell", "fail", "heat"], [40, 35, 25])[0]
        core = rng.choice({"swell": BURST_SWELL, "fail": BURST_FAIL, "heat": BURST_HEAT}[kind])
        if rng.random() < 0.25:
            other = rng.choice(BURST_FAIL if kind != "fail" else BURST_HEAT)
            core += "，" + ("而且" if rng.random() < 0.5 else "") + other
    pre = rng.choice(BURST_PRE + (BURST_PRE_LATE if week in ("2026-W46", "2026-W47") else []))
    text = pre + core
    if rng.random() < 0.6:
        text += rng.choice(["，", "。", "！"]) + rng.choice(BURST_POST)
    return text + ending(rng)


def fingerprint_text(rng: random.Random) -> str:
    pre = rng.choice(FINGERPRINT_PRE)
    conn = rng.choice(["但是", "就是", "可惜", ""]) if pre else ""
    text = pre + conn + rng.choice(FINGERPRINT_CORE)
    if rng.random() < 0.7:
        text += rng.choice(["，", "。", "！"]) + rng.choice(FINGERPRINT_POST)
    return text + ending(rng)


def fan_text(rng: random.Random) -> str:
    pre = rng.choice(FAN_PRE)
    text = pre + (rng.choice(["但是", "就是", "可惜", ""]) if pre else "") + rng.choice(FAN_CORE)
    if rng.random() < 0.5:
        text += rng.choice(["，", "。"]) + rng.choice(CLOSERS_MIX + CLOSERS_NEG)
    return text + ending(rng)


def leak_text(rng: random.Random) -> str:
    pre = rng.choice(LEAK_PRE)
    text = pre + (rng.choice(["但是", "可惜", ""]) if pre else "") + rng.choice(LEAK_CORE)
    if rng.random() < 0.5:
        text += rng.choice(["，", "。"]) + rng.choice(["已经申请换货", "不知道算不算质量问题", "很影响观感", "差评"])
    return text + ending(rng)


def logistics_text(rng: random.Random, model: str, week: str) -> str:
    pos, _ = pool(model, exclude_noise=(model == FAN_MODEL))
    core = rng.choice(LOGISTICS_NEG + (LOGISTICS_NEG_LATE if week in ("2026-W45", "2026-W46", "2026-W47") else []))
    if rng.random() < 0.6:
        good = intensify(rng, rng.choice([p for p in pos if "物流" not in p and "快递" not in p and "包装" not in p]))
        text = good + rng.choice(["，但是", "，就是", "，可惜"]) + core if rng.random() < 0.5 else \
            "东西还行，" + core
    else:
        text = core
    if rng.random() < 0.4:
        text += rng.choice(["，", "。"]) + rng.choice(["物流体验太差", "希望改进", "差评给快递", "下次不选这个快递了"])
    return text + ending(rng)


def fill(template: str, rng: random.Random) -> str:
    phone = rng.choice(PHONES)
    return template.format(
        phone=phone, phone_dashed=f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
        phone_spaced=f"{phone[:3]} {phone[3:7]} {phone[7:]}", email=rng.choice(EMAILS),
        idcard=rng.choice(ID_NUMBERS), card=rng.choice(CARDS), order=rng.choice(ORDERS_IN_TEXT),
        qq=rng.choice(QQS), wechat=rng.choice(WECHATS), address=rng.choice(ADDRESSES),
    )


# ======================================================================================
# Review slots
# ======================================================================================
@dataclass
class Review:
    file: str
    seq: int
    model: str
    created: datetime
    rating: int = 5
    text: str = ""
    role: str = "generic"  # generic, burst, fingerprint, fan, light_leak, logistics, safety, decoy
    safety: str | None = None
    pii: str | None = None
    lookalike: bool = False
    nps: int | None = None
    product_raw: str = ""
    followup: str = ""
    followup_at: datetime | None = None
    followup_role: str = ""
    reply: str = ""
    ext_id: str = ""
    order: str = ""
    user: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def week(self) -> str:
        return iso_week(self.created)


HOUR_WEIGHTS = [2, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 10, 9, 8, 8, 8, 8, 9, 11, 13, 13, 10, 5]


def random_time(rng: random.Random, day: date) -> datetime:
    h = rng.choices(range(24), HOUR_WEIGHTS)[0]
    return datetime(day.year, day.month, day.day, h, rng.randrange(60), rng.randrange(60))


def day_weight(d: date) -> float:
    w = 1.15 if d.weekday() >= 5 else 1.0
    if date(2026, 11, 12) <= d <= date(2026, 11, 15):
        w *= 1.3
    return w


def pick_day(rng: random.Random, week: str) -> date:
    days = WEEK_DAYS[week]
    return rng.choices(days, [day_weight(d) for d in days])[0]


def make_slots(rng: random.Random, file: str) -> list[Review]:
    out: list[Review] = []
    names = list(MODEL_SHARE[file])
    weights = [MODEL_SHARE[file][n] for n in names]
    seq = 0
    for w in WEEKS:
        n = round(REVIEWS_PER_WEEK * VOLUME[w] * CHANNEL_SHARE[file])
        for _ in range(n):
            out.append(Review(file, seq, rng.choices(names, weights)[0], random_time(rng, pick_day(rng, w))))
            seq += 1
    return out


GENERIC_RATING = ([5, 4, 3, 2, 1], [56, 17, 9, 6, 12])
ROLE_RATING = {
    "burst": ([1, 2, 3], [70, 20, 10]),
    "fingerprint": ([1, 2, 3, 4], [30, 35, 30, 5]),
    "fan": ([1, 2, 3, 4], [10, 25, 40, 25]),
    "light_leak": ([1, 2, 3], [35, 35, 30]),
    "logistics": ([1, 2, 3, 4], [15, 25, 35, 25]),
    "safety": ([1], [1]),
    "decoy": ([4, 5], [30, 70]),
}


def take(rng: random.Random, cands: list[Review], k: int, what: str) -> list[Review]:
    if len(cands) < k:
        raise AssertionError(f"not enough slots for {what}: need {k}, have {len(cands)}")
    return rng.sample(cands, k)


def assign_roles(rng: random.Random, slots: dict[str, list[Review]]) -> None:
    """Give planted roles to review slots by the quotas above (one role per slot)."""
    free = lambda r: r.role == "generic"  # noqa: E731
    for f in ("jd", "tmall", "app"):
        for w in WEEKS:
            n = BURST[f][w] - (BURST_JD_FOLLOWUPS.get(w, 0) if f == "jd" else 0)
            cands = [r for r in slots[f] if r.week == w and r.model == BURST_MODEL and free(r)]
            for r in take(rng, cands, n, f"burst {f} {w}"):
                r.role = "burst"
            cands = [r for r in slots[f] if r.week == w and r.model == FINGERPRINT_MODEL and free(r)]
            for r in take(rng, cands, FINGERPRINT[f][w], f"fingerprint {f} {w}"):
                r.role = "fingerprint"
    for sid, f, w, model, word in SAFETY:
        if f not in slots:
            continue
        if model == BURST_MODEL:
            cands = [r for r in slots[f] if r.week == w and r.role == "burst" and r.safety is None]
        else:
            cands = [r for r in slots[f] if r.week == w and r.model == model and free(r)]
        r = take(rng, cands, 1, f"safety {sid}")[0]
        r.safety = word
        if r.role == "generic":
            r.role = "safety"
    for f in ("jd", "tmall", "app"):
        for w in WEEKS:
            for model, share, role in ((FAN_MODEL, FAN_SHARE, "fan"), (LEAK_MODEL, LEAK_SHARE, "light_leak")):
                all_m = [r for r in slots[f] if r.week == w and r.model == model]
                k = int(len(all_m) * share + 0.5)
                for r in take(rng, [r for r in all_m if free(r)], k, f"{role} {f} {w}"):
                    r.role = role
            all_w = [r for r in slots[f] if r.week == w]
            k = int(len(all_w) * LOGISTICS_SHARE[f] + 0.5)
            for r in take(rng, [r for r in all_w if free(r)], k, f"logistics {f} {w}"):
                r.role = "logistics"
    for f, w, model in NEGATION_DECOYS:
        cands = [r for r in slots[f] if r.week == w and r.model == model and free(r)]
        take(rng, cands, 1, f"decoy {f} {w}")[0].role = "decoy"
    for f, plan in PII_PLAN.items():
        for kind, k in plan.items():
            cands = [r for r in slots[f] if free(r) and r.pii is None and not r.lookalike]
            for r in take(rng, cands, k, f"pii {f} {kind}"):
                r.pii = kind
    for f, k in LOOKALIKE_PLAN.items():
        cands = [r for r in slots[f] if free(r) and r.pii is None and not r.lookalike]
        for r in take(rng, cands, k, f"lookalike {f}"):
            r.lookalike = True


def compose(rng: random.Random, r: Review) -> None:
    """Rating and text of one review slot, for its role."""
    values, weights = ROLE_RATING.get(r.role, GENERIC_RATING)
    r.rating = rng.choices(values, weights)[0]
    w = r.week
    if r.role == "burst":
        baseline = w not in ("2026-W46", "2026-W47")
        text = burst_text(rng, w, baseline=baseline, safety=r.safety)
    elif r.role == "safety":
        text = SAFETY_TEXT[r.safety] + "，" + rng.choice(["太危险了", "这是严重的质量问题", "希望官方给个说法"]) + "！"
    elif r.role == "fingerprint":
        text = fingerprint_text(rng)
    elif r.role == "fan":
        text = fan_text(rng)
    elif r.role == "light_leak":
        text = leak_text(rng)
    elif r.role == "logistics":
        text = logistics_text(rng, r.model, w)
    elif r.role == "decoy":
        decoys = DECOY_TEXT if MODELS[r.model].kind == "phone" else DECOY_TEXT[3:]
        text = rng.choice(decoys) + rng.choice(["，", "。"]) + rng.choice(CLOSERS_POS)
    else:
        for _ in range(100):
            text = generic_text(rng, r.model, r.rating, w)
            if r.pii:
                text = text.rstrip("。！!~～.") + "。" + fill(rng.choice(PII_REVIEW[r.pii]), rng)
            if r.lookalike:
                kind = MODELS[r.model].kind
                text = text.rstrip("。！!~～.") + "，" + rng.choice(LOOKALIKES[kind])
            if len(text) <= 200 and not plant_hits(text, r.model):
                break
        else:
            raise AssertionError(f"no clean generic text for {r}")
    plant = r.role != "generic" or r.pii is not None or r.lookalike
    r.text = style(rng, text, channel=r.file, tone=tone_of(r.rating), plant=plant)
    if r.file == "jd":
        # GBK export: only characters GBK can encode (no emoji).
        r.text.encode("gbk")


def nps_for(rng: random.Random, rating: int) -> int:
    lo, hi = {5: (8, 10), 4: (6, 9), 3: (4, 7), 2: (1, 5), 1: (0, 3)}[rating]
    return rng.randint(lo, hi)


# ======================================================================================
# Writers
# ======================================================================================
def fmt_jd_time(dt: datetime) -> str:
    return f"{dt.year}/{dt.month}/{dt.day} {dt.hour}:{dt.minute:02d}"


JD_HEADERS = ["评论ID", "订单号", "商品名称", "评分", "评论内容", "评论时间", "追评内容", "追评时间", "商家回复", "会员等级"]


def jd_row(r: Review) -> list[str]:
    return [r.ext_id, r.order, r.product_raw, str(r.rating), r.text, fmt_jd_time(r.created), r.followup,
            fmt_jd_time(r.followup_at) if r.followup_at else "", r.reply, r.extra["member"]]


def csv_bytes(rows: list[list[str] | str], encoding: str) -> bytes:
    """CSV with CRLF line ends; a ``str`` item is written as a raw line (broken rows)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        if isinstance(row, str):
            buf.write(row + "\r\n")
        else:
            w.writerow(row)
    return buf.getvalue().encode(encoding)


FIXED_ZIP_TIME = (2026, 11, 23, 0, 0, 0)


def deterministic_xlsx(raw: bytes) -> bytes:
    """Rewrite an openpyxl workbook with fixed zip timestamps and document times."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-11-23T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data, compresslevel=6)
    return out.getvalue()


# ======================================================================================
# Tickets
# ======================================================================================
@dataclass
class Ticket:
    file: str
    tid: str
    created: datetime
    model: str
    channel: str
    turns: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text)
    role: str = "generic"  # generic, burst, fingerprint, no_customer
    safety: str | None = None
    csat: int | None = None
    nps: int | None = None
    product_raw: str = ""
    pii: list[str] = field(default_factory=list)
    lookalike: bool = False

    @property
    def week(self) -> str:
        return iso_week(self.created)


# Issues customers call about: (topic-ish name, product kind or None, customer lines, agent answers)
TICKET_ISSUES: list[tuple[str, str | None, list[str], list[str]]] = [
    ("bluescreen", "laptop", ["电脑老是蓝屏，一天好几次", "打开大一点的软件就蓝屏重启", "更新完以后开机就蓝屏"],
     ["建议您先备份数据，然后在联想电脑管家里检测一下硬件", "可以先尝试卸载最近安装的驱动，再观察一下"]),
    ("no_boot", "laptop", ["电脑突然开不了机，按电源键一点反应都没有", "开机卡在logo界面进不去"],
     ["可以先拔掉电源适配器，长按电源键15秒再试一下", "建议您送到就近的服务站检测"]),
    ("thermal", None, ["机器发热特别厉害，玩一会就烫手", "温度太高了，一直降频"],
     ["建议您清理一下出风口，并切换到均衡模式", "如果持续高温可以送修检测散热模组"]),
    ("noise", "laptop", ["风扇一直响，声音很大", "机器里面有咔咔的异响"],
     ["高负载下风扇转速提高属于正常现象", "异响的话建议送到服务站检测一下风扇"]),
    ("wifi", None, ["WiFi老是自己断开", "连不上家里的WiFi，别的设备都可以"],
     ["您可以先在设备管理器里重装一下无线网卡驱动", "建议您重置一下网络设置再试试"]),
    ("keyboard", "laptop", ["键盘有几个键按了没反应", "键盘背光不亮了"],
     ["可以先在BIOS里看一下按键是否正常", "这个需要送修检测键盘"]),
    ("display", None, ["屏幕一闪一闪的", "屏幕上有一条竖线"],
     ["麻烦您拍一张屏幕的照片发给我们", "这个情况建议送修检测屏幕"]),
    ("battery_life", None, ["续航太短了，充满电用两个小时就没了", "待机一晚上掉了30%的电"],
     ["建议您校准一下电池，并关闭不必要的后台程序", "可以在电源管理里查看一下电池健康度"]),
    ("office", "laptop", ["预装的Office怎么激活", "Office激活不了，提示账户错误"],
     ["您登录微软账户后打开任意Office组件即可激活", "麻烦您确认一下登录的是不是购机时的账户"]),
    ("invoice", None, ["发票什么时候能开", "我要开专票，怎么操作"],
     ["电子发票会在确认收货后发送到您的邮箱", "专票需要提供公司的开票信息"]),
    ("logistics", None, ["我的快递怎么还没到", "物流三天没更新了", "快递显示签收了但是我没收到"],
     ["这边帮您催一下物流，预计明天送达", "已经为您登记物流异常，24小时内会有专员联系您"]),
    ("repair_status", None, ["我送修的机器修好了吗，都一个星期了", "维修进度怎么查"],
     ["这边查询到您的机器正在等待备件，预计三个工作日内修好", "您可以在官方App的服务页面查看维修进度"]),
    ("return", None, ["我想退货，用着不合适", "七天无理由退货怎么弄"],
     ["您可以在订单页面直接申请退货，审核通过后安排上门取件", "退货需要保证配件齐全、包装完好哦"]),
    ("price_protect", None, ["刚买三天就降价了，能保价吗", "双十一降了三百，差价能退吗"],
     ["在价保期内可以申请价保，差价会原路退回", "这边帮您提交价保申请"]),
    ("signal", "phone", ["手机信号很差，经常无服务", "打电话的时候对方听不清"],
     ["建议您先重置网络设置，或者换一张SIM卡试试", "可以到服务中心检测一下天线"]),
    ("camera", "phone", ["拍照对不上焦", "前置摄像头打不开"],
     ["可以先清除一下相机的数据再试试", "建议您备份后恢复出厂设置看看"]),
    ("lag", None, ["用着用着就卡死了", "打开应用特别慢"],
     ["建议您清理一下存储空间，并更新到最新版本", "可以先进安全模式看看是不是第三方应用导致的"]),
    ("hinge", "phone", ["折叠屏的铰链有点松", "内屏折痕越来越明显"],
     ["铰链松动可以送修检测", "折痕在一定范围内属于正常现象"]),
]
TICKET_ISSUE_WEIGHTS = {"logistics": 3, "repair_status": 3, "return": 2, "invoice": 2, "price_protect": 2, "lag": 2}
CHAT_GREET = ["您好，很高兴为您服务，请问有什么可以帮您？", "您好，我是联想官方客服小乐，很高兴为您服务~",
              "亲，您好！欢迎咨询联想官方旗舰店，请问有什么可以帮到您？"]
CALL_GREET = ["您好，联想服务热线，工号{n}为您服务", "您好，很高兴为您服务，请问有什么可以帮您",
              "您好，这里是联想客户服务中心，请问您遇到了什么问题"]
WAIT = ["好的，请您稍等，正在为您查询", "感谢您的耐心等待", "这边帮您查询一下，请稍等"]
SORRY = ["非常抱歉给您带来不便", "理解您的心情，给您添麻烦了", "非常抱歉"]
ASK_ORDER = ["麻烦您提供一下订单号，这边帮您查询", "请问您的订单号是多少呢？", "麻烦提供一下主机编号或者订单号"]
ASK_PHONE = ["请问您的联系电话是多少？方便工程师联系您", "请留一个联系方式，稍后会有工程师联系您"]
CONFIRM_PHONE = ["跟您核对一下，预留的电话是138****5678对吗？", "您预留的手机尾号是5678对吗？"]
CLOSE_ASK = ["请问还有什么可以帮您？", "请问还有其他问题吗？"]
BYE_CHAT = ["感谢您的咨询，祝您生活愉快！", "稍后会推送满意度评价，麻烦您给个好评哦，感谢"]
BYE_CALL = ["感谢您的来电，再见", "感谢您的耐心等待，祝您生活愉快，再见"]
SYS_START = ["会话已转接人工客服", "用户通过官方App发起咨询", "当前排队人数较多，请耐心等待"]
SYS_END = ["会话已结束", "用户已离开会话", "客服已关闭会话"]
SYS_CALL = ["来电已接入，通话录音中", "通话已转接至售后专席"]
ACK = ["好的", "好的，谢谢", "嗯嗯", "行吧", "那好吧", "知道了，谢谢", "[表情]", "好的[表情]", "ok"]
FOLLOW_Q = ["那要多久能处理好？", "能直接换新的吗", "保修期内是免费的吧", "上门取件还是我自己寄？", "我这周比较忙，能快一点吗",
            "你们这个处理也太慢了", "之前已经反映过一次了"]
PLACEHOLDERS = ["[图片]", "[图片]", "[表情]", "[视频]", "https://item.jd.com/100012345678.html",
                "https://detail.tmall.com/item.htm?id=680012345678"]
CUSTOMER_OPEN = ["在吗", "你好", "人呢？", "转人工"]
BURST_TICKET_AGENT = ["非常抱歉，电池鼓包或充电异常需要尽快处理，请您立即停止使用并关机",
                      "这边为您登记了加急检测，电池问题会优先处理",
                      "充电异常的情况请先不要继续充电，我们安排工程师联系您"]
FP_TICKET_AGENT = ["您可以先在设置里删除已录入的指纹再重新录入试试", "这边帮您登记，如果重新录入还是不行建议送修检测"]
TICKET_PII = {
    "phone": "我手机号是{phone}", "phone_spaced": "电话 {phone_spaced}", "address": "地址是{address}",
    "email": "发票发到{email}就行", "idcard": "实名认证的身份证号是{idcard}", "bankcard": "退款退到我的银行卡{card}吧",
    "qq": "不方便接电话的话加我QQ {qq}", "wechat": "或者加我微信{wechat}", "order": "订单号{order}",
}
TICKET_PII_PLAN = {
    "tickets": {"phone": 36, "phone_spaced": 6, "address": 14, "email": 8, "idcard": 1, "bankcard": 2, "qq": 1,
                "wechat": 2},
    "calls": {"phone": 20, "phone_spaced": 10, "address": 10, "idcard": 1},
}
TICKET_LOOKALIKES = ["我这台是i7-13700H的，6499买的", "2026-10-12买的，还在保修期", "型号83DG0012CD", "5000mAh的电池就这样？"]
TICKET_LOOKALIKE_PLAN = {"tickets": 6, "calls": 4}
CALL_STYLES = [("客服：", "用户："), ("坐席:", "客户:"), ("[客服] ", "顾客："), ("客服：", "顾客："), ("坐席：", "用户：")]


def order_number(rng: random.Random) -> str:
    return str(rng.randint(280_000_000_000, 319_999_999_999))


def asr(text: str, rng: random.Random) -> str:
    """Speech-to-text flavour: some punctuation becomes spaces."""
    if rng.random() < 0.5:
        return re.sub(r"[，。！？]", " ", text).strip()
    return text


def ticket_conversation(rng: random.Random, t: Ticket) -> None:
    model = MODELS[t.model]
    call = t.channel == "电话"
    say = (lambda s: asr(s, rng)) if call else (lambda s: s)
    turns: list[tuple[str, str]] = []
    cust_order = rng.random() < 0.5 and not call
    if t.role == "no_customer":
        turns = [("system", rng.choice(SYS_START)), ("agent", rng.choice(CHAT_GREET)), ("customer", "在吗"),
                 ("agent", "您好，请问有什么可以帮您？"), ("customer", "[图片]"), ("agent", "您好，请问还在线吗？"),
                 ("system", "用户已离开会话")]
        t.turns = turns
        return
    if t.role == "burst":
        if t.safety:
            lines = [SAFETY_TEXT[t.safety]]
        else:
            base = t.week not in ("2026-W46", "2026-W47")
            lines = [burst_text(rng, t.week, baseline=base)]
        lines.append(rng.choice(["这个能换新机吗", "我现在都不敢充电了", "这是不是批次问题，我朋友的也这样", "那我现在怎么办"]))
        answers = BURST_TICKET_AGENT
    elif t.role == "fingerprint":
        lines = [fingerprint_text(rng), rng.choice(["删了重新录也不行", "每次都要输密码很麻烦", "这个能修吗"])]
        answers = FP_TICKET_AGENT
    else:
        cands = [i for i in TICKET_ISSUES if i[1] in (None, model.kind)]
        issue = rng.choices(cands, [TICKET_ISSUE_WEIGHTS.get(i[0], 1) for i in cands])[0]
        _, neg = pool(t.model, exclude_noise=False)
        for _ in range(50):
            lines = [rng.choice(issue[2])]
            if rng.random() < 0.35:
                lines[0] += rng.choice(["，而且", "，还有就是", "。另外"]) + rng.choice(neg)
            if not plant_hits(lines[0], t.model):
                break
        lines.append(rng.choice(FOLLOW_Q))
        answers = issue[3]
    if call:
        if rng.random() < 0.3:
            turns.append(("system", rng.choice(SYS_CALL)))
        turns.append(("agent", rng.choice(CALL_GREET).format(n=rng.randint(1000, 9999))))
        turns.append(("customer", say(f"喂你好，我这个{rng.choice(model.mentions)}，{lines[0]}")))
    else:
        if rng.random() < 0.6:
            turns.append(("system", rng.choice(SYS_START)))
        if rng.random() < 0.4:
            turns.append(("customer", rng.choice(CUSTOMER_OPEN)))
        turns.append(("agent", rng.choice(CHAT_GREET)))
        prefix = rng.choice(["", "你好，", f"我买的{rng.choice(model.mentions)}，"])
        turns.append(("customer", prefix + lines[0]))
        if rng.random() < 0.35:
            turns.append(("customer", rng.choice(PLACEHOLDERS)))
    turns.append(("agent", rng.choice(SORRY) + "，" + rng.choice(ASK_ORDER)))
    if cust_order or rng.random() < 0.4:
        turns.append(("customer", say(f"订单号{order_number(rng)}")))
        t.pii.append("order")
    else:
        turns.append(("customer", rng.choice(["[图片]", "我找一下", "不记得了，在京东买的", "主机编号在哪看"])))
    for kind in [p for p in t.pii if p != "order"]:
        if kind.startswith("phone"):
            turns.append(("agent", rng.choice(ASK_PHONE)))
        turns.append(("customer", say(fill(TICKET_PII[kind], rng))))
    if t.lookalike:
        turns.append(("customer", say(rng.choice(TICKET_LOOKALIKES))))
    first, second = rng.sample(answers, 2) if len(answers) >= 2 else (answers[0], rng.choice(WAIT))
    turns.append(("agent", rng.choice(WAIT)))
    turns.append(("agent", first))
    turns.append(("customer", say(lines[1])))
    turns.append(("agent", second))
    if rng.random() < 0.3:
        turns.append(("agent", rng.choice(CONFIRM_PHONE)))
        turns.append(("customer", "对的"))
    turns.append(("customer", rng.choice(ACK)))
    turns.append(("agent", rng.choice(CLOSE_ASK)))
    if rng.random() < 0.5:
        turns.append(("customer", rng.choice(["没有了", "没有了，谢谢", "暂时没有了"])))
    turns.append(("agent", rng.choice(BYE_CALL if call else BYE_CHAT)))
    if not call and rng.random() < 0.5:
        turns.append(("system", rng.choice(SYS_END)))
    t.turns = turns


def make_tickets(rng: random.Random) -> dict[str, list[Ticket]]:
    out: dict[str, list[Ticket]] = {}
    ids = rng.sample(range(100000), 2000)
    k = 0
    for f in TICKET_FILES:
        names = list(MODEL_SHARE[f])
        weights = [MODEL_SHARE[f][n] for n in names]
        ts: list[Ticket] = []
        for w in WEEKS:
            n = round(TICKETS_PER_WEEK[f] * TICKET_VOLUME[w])
            for _ in range(n):
                day = pick_day(rng, w)
                h = rng.choices(range(8, 23), HOUR_WEIGHTS[8:23])[0]
                created = datetime(day.year, day.month, day.day, h, rng.randrange(60), rng.randrange(60))
                if f == "tickets":
                    tid, channel = f"IM2026{ids[k]:05d}", ("电话" if rng.random() < 0.15 else "在线客服")
                else:
                    tid, channel = f"T2026{ids[k]:05d}", ("在线客服" if rng.random() < 0.15 else "电话")
                k += 1
                ts.append(Ticket(f, tid, created, rng.choices(names, weights)[0], channel))
        out[f] = ts
    # roles
    for f in TICKET_FILES:
        for w in WEEKS:
            cands = [t for t in out[f] if t.week == w and t.model == BURST_MODEL and t.role == "generic"]
            need = BURST[f][w]
            if len(cands) < need:  # add tickets for the burst model if the draw has too few
                for _ in range(need - len(cands)):
                    day = pick_day(rng, w)
                    tid = (f"IM2026{ids[k]:05d}" if f == "tickets" else f"T2026{ids[k]:05d}")
                    k += 1
                    t = Ticket(f, tid, datetime(day.year, day.month, day.day, rng.randint(8, 21), rng.randrange(60),
                                                rng.randrange(60)), BURST_MODEL, "电话" if f == "calls" else "在线客服")
                    out[f].append(t)
                    cands.append(t)
            for t in take(rng, cands, need, f"burst {f} {w}"):
                t.role = "burst"
            cands = [t for t in out[f] if t.week == w and t.model == FINGERPRINT_MODEL and t.role == "generic"]
            for t in take(rng, cands, FINGERPRINT[f][w], f"fingerprint {f} {w}"):
                t.role = "fingerprint"
        out[f].sort(key=lambda t: (t.created, t.tid))
    for sid, f, w, _model, word in SAFETY:
        if f in out:
            cands = [t for t in out[f] if t.week == w and t.role == "burst" and t.channel == "电话"]
            take(rng, cands, 1, f"safety {sid}")[0].safety = word
    for wk in ("2026-W38", "2026-W44"):
        cands = [t for t in out["tickets"] if t.week == wk and t.role == "generic" and t.channel == "在线客服"]
        take(rng, cands, 1, "no-customer ticket")[0].role = "no_customer"
    for f in TICKET_FILES:
        for kind, n in TICKET_PII_PLAN[f].items():
            cands = [t for t in out[f] if t.role != "no_customer" and not t.pii]
            for t in take(rng, cands, n, f"ticket pii {f} {kind}"):
                t.pii.append(kind)
        cands = [t for t in out[f] if t.role != "no_customer" and not t.lookalike]
        for t in take(rng, cands, TICKET_LOOKALIKE_PLAN[f], f"ticket lookalike {f}"):
            t.lookalike = True
    for f in TICKET_FILES:
        for t in out[f]:
            m = MODELS[t.model]
            t.product_raw = rng.choice(m.short)
            ticket_conversation(rng, t)
            if f == "tickets":
                if rng.random() < 0.55:
                    bad = t.role in ("burst", "fingerprint")
                    t.csat = rng.choices([1, 2, 3, 4, 5], [30, 25, 20, 15, 10] if bad else [6, 8, 16, 35, 35])[0]
                if rng.random() < 0.30:
                    t.nps = nps_for(rng, 2 if t.role in ("burst", "fingerprint") else rng.choice([1, 3, 4, 5, 5]))
    return out


def ticket_jsonl(rng: random.Random, tickets: list[Ticket]) -> tuple[str, int]:
    """tickets.jsonl text and the line number of the broken line."""
    lines = []
    for t in tickets:
        tm = t.created
        turns = []
        for speaker, text in t.turns:
            turns.append({"speaker": speaker, "text": text, "time": tm.strftime("%Y-%m-%d %H:%M:%S")})
            tm += timedelta(seconds=rng.randint(8, 150))
        obj: dict = {"ticket_id": t.tid, "created_at": t.created.strftime("%Y-%m-%d %H:%M:%S"), "channel": t.channel,
                     "product": t.product_raw}
        if t.csat is not None:
            obj["csat"] = t.csat
        if t.nps is not None:
            obj["nps"] = t.nps
        obj["turns"] = turns
        lines.append(json.dumps(obj, ensure_ascii=False))
    pos = len(lines) * 2 // 3
    broken = lines[pos][: len(lines[pos]) // 2]  # a line cut off mid-way
    lines.insert(pos, broken)
    return "\n".join(lines) + "\n", pos + 1


def ticket_txt(rng: random.Random, tickets: list[Ticket]) -> str:
    blocks = []
    for t in tickets:
        agent, cust = rng.choice(CALL_STYLES)
        head = (f"工单号: {t.tid}  时间: {t.created:%Y-%m-%d %H:%M}  产品: {t.product_raw}  渠道: {t.channel}")
        lines = [head]
        for speaker, text in t.turns:
            prefix = {"agent": agent, "customer": cust, "system": "系统："}[speaker]
            lines.append(prefix + text)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# ======================================================================================
# The whole data set
# ======================================================================================
def build(out_dir: Path) -> dict:
    """Write every file into ``out_dir`` and return the summary of what was planted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rngs = {name: random.Random(f"{SEED}/{name}") for name in
            ("slots", "roles", "text", "jd", "jd2", "tmall", "app", "tickets")}

    slots = {f: make_slots(rngs["slots"], f) for f in ("jd", "tmall", "app")}
    assign_roles(rngs["roles"], slots)
    for f in ("jd", "tmall", "app"):
        for r in slots[f]:
            compose(rngs["text"], r)

    summary: dict = {"files": {}, "weeks": WEEKS, "plants": defaultdict(lambda: defaultdict(Counter)),
                     "reviews_per_week": {}, "pii": {}, "lookalikes": {}, "broken": {}, "expected_ingest": {}}
    plants = summary["plants"]

    def note(plant: str, file: str, week: str, n: int = 1) -> None:
        plants[plant][file][week] += n

    for f in ("jd", "tmall", "app"):
        for r in slots[f]:
            if r.role in ("burst", "fingerprint", "fan", "light_leak", "logistics", "decoy"):
                note(r.role, f, r.week)
            if r.safety:
                note("safety", f, r.week)
            if r.role == "burst" and "鼓包" in r.text:
                note("swelling", f, r.week)

    # ---------------- JD (GBK) ---------------------------------------------------------
    g = rngs["jd"]
    jd = slots["jd"]
    used_ids: list[int] = []
    id_pool = g.sample(range(10**9), len(jd) + 400)
    for i, r in enumerate(jd):
        r.ext_id = str(20_000_000_000 + id_pool[i])
        r.order = order_number(g)
        m = MODELS[r.model]
        r.product_raw = g.choice(m.titles) if g.random() < 0.45 else g.choice(m.short)
        r.extra["member"] = g.choices(*MEMBER_LEVELS)[0]
    used_ids = id_pool[len(jd):]
    # burst follow-ups: earlier happy reviews of the burst model, complaint written in W46/W47
    for w, n in BURST_JD_FOLLOWUPS.items():
        monday = WEEK_DAYS[w][0]
        cands = [r for r in jd if r.model == BURST_MODEL and r.role == "generic" and r.rating >= 4 and r.pii is None
                 and not r.lookalike and monday - timedelta(days=35) <= r.created.date() <= monday - timedelta(days=8)
                 and not r.followup]
        for r in take(g, cands, n, f"burst follow-up {w}"):
            day = g.choice(WEEK_DAYS[w])
            r.followup = "追评：" + burst_text(g, w, baseline=False)
            r.followup_at = random_time(g, day)
            r.followup_role = "burst"
            note("burst", "jd", w)
            if "鼓包" in r.followup:
                note("swelling", "jd", w)
    for r in jd:
        if not r.followup and g.random() < 0.10:
            at = r.created + timedelta(days=g.randint(3, 40), minutes=g.randint(0, 600))
            if at.date() <= LAST_DAY:
                for _ in range(20):
                    txt = g.choice(FOLLOWUP_POS if r.rating >= 4 else FOLLOWUP_NEG + FOLLOWUP_POS)
                    if not plant_hits(txt, r.model):
                        break
                r.followup, r.followup_at = txt, at
        if g.random() < 0.22:
            if r.role == "fan" and g.random() < 0.5:
                r.reply = REPLY_FAN
            elif r.role == "burst" and g.random() < 0.5:
                r.reply = REPLY_BURST
            else:
                r.reply = g.choice(REPLY_POS if r.rating >= 4 else REPLY_NEG)
    summary["merchant_reply_decoys"] = {"jd_reply_mentions_风扇": sum(r.reply == REPLY_FAN for r in jd),
                                        "jd_reply_mentions_鼓包": sum(r.reply == REPLY_BURST for r in jd)}
    jd_sorted = sorted(jd, key=lambda r: (r.created, r.ext_id), reverse=True)  # newest first, as exported
    rows: list[list[str] | str] = [jd_row(r) for r in jd_sorted]
    clean_rows = [row for row, r in zip(rows, jd_sorted, strict=True)
                  if r.role == "generic" and r.pii is None and not r.lookalike and not r.followup_role]
    # export2 overlap first (so duplicates within the JD file and the overlap are disjoint)
    late = [r for r in jd_sorted if r.week in ("2026-W45", "2026-W46", "2026-W47")]
    ov_burst = take(g, [r for r in late if r.role == "burst" and not r.followup_role], EXPORT2_OVERLAP_BURST, "overlap burst")
    ov_generic = take(g, [r for r in late if r.role == "generic" and r.pii is None and not r.lookalike
                          and not r.followup_role],
                      EXPORT2_OVERLAP - EXPORT2_OVERLAP_BURST, "overlap")
    overlap = sorted(ov_burst + ov_generic, key=lambda r: (r.created, r.ext_id), reverse=True)
    overlap_ids = [r.ext_id for r in overlap]
    dup_cands = [row for row in clean_rows if row[0] not in overlap_ids]
    dups = take(g, dup_cands, JD_DUPLICATE_ROWS, "jd duplicates")
    broken_rows: list[tuple[str, list[str] | str]] = []

    def extra_row(text: str, rating: str, when: str) -> list[str]:
        model = g.choice(list(MODELS))
        return [str(20_000_000_000 + used_ids.pop()), order_number(g), g.choice(MODELS[model].short), rating, text,
                when, "", "", "", g.choices(*MEMBER_LEVELS)[0]]

    def rand_when() -> str:
        return fmt_jd_time(random_time(g, g.choice(DAYS)))

    for bad in JD_BROKEN["date_unparseable"]:
        broken_rows.append(("date_unparseable", extra_row(generic_text(g, "小新Pro14", 4, "2026-W40"), "4", bad)))
    for bad in JD_BROKEN["rating_out_of_range"]:
        broken_rows.append(("rating_out_of_range", extra_row(generic_text(g, "拯救者Y9000P", 5, "2026-W41"), bad, rand_when())))
    for _ in range(JD_BROKEN["empty_text"]):
        broken_rows.append(("empty_text", extra_row("", g.choice(["5", "4", "1"]), rand_when())))
    for _ in range(JD_BROKEN["default_未填写"]):
        broken_rows.append(("default_未填写", extra_row("此用户未填写评价内容", "5", rand_when())))
    for _ in range(JD_BROKEN["default_系统默认好评"]):
        broken_rows.append(("default_系统默认好评", extra_row("系统默认好评", "5", rand_when())))
    # too many fields: text with unquoted commas; and one stray trailing value
    r1 = extra_row("屏幕很好,速度快,没毛病", "5", rand_when())
    broken_rows.append(("too_many_fields", ",".join(r1)))
    r2 = extra_row("东西不错，物流也快", "5", rand_when())
    broken_rows.append(("too_many_fields", ",".join(r2 + ["多余的一列"])))
    assert len(broken_rows) - 2 + 2 == sum(len(v) if isinstance(v, list) else v for v in JD_BROKEN.values())
    for row in dups:
        rows.insert(g.randrange(len(rows) + 1), list(row))
    for _, row in broken_rows:
        rows.insert(g.randrange(len(rows) + 1), row)
    jd_bytes = csv_bytes([JD_HEADERS] + rows, "gbk")
    (out_dir / FILES["jd"]).write_bytes(jd_bytes)
    # sanity: the too-many-fields rows really have more fields, everything else has 10
    parsed = list(csv.reader(io.StringIO(jd_bytes.decode("gbk"), newline="")))
    assert sum(len(p) != len(JD_HEADERS) for p in parsed) == JD_BROKEN["too_many_fields"]

    # ---------------- JD export 2 (UTF-8 with BOM) ----------------------------------------
    g2 = rngs["jd2"]
    new2: list[Review] = []
    names = list(MODEL_SHARE["jd2"])
    for i in range(EXPORT2_NEW):
        w = g2.choice(["2026-W45", "2026-W46", "2026-W46", "2026-W47", "2026-W47"])
        r = Review("jd2", i, g2.choices(names, [MODEL_SHARE["jd2"][n] for n in names])[0], random_time(g2, pick_day(g2, w)))
        r.rating = g2.choices(*GENERIC_RATING)[0]
        for _ in range(100):
            txt = generic_text(g2, r.model, r.rating, w)
            if not plant_hits(txt, r.model) and len(txt) <= 200:
                break
        r.text = style(g2, txt, channel="jd", tone=tone_of(r.rating), plant=False)
        r.text.encode("gbk")
        r.ext_id = str(20_000_000_000 + used_ids.pop())
        r.order = order_number(g2)
        r.product_raw = g2.choice(MODELS[r.model].short)
        r.extra["member"] = g2.choices(*MEMBER_LEVELS)[0]
        if g2.random() < 0.2:
            r.reply = g2.choice(REPLY_POS if r.rating >= 4 else REPLY_NEG)
        new2.append(r)
    rows2 = [jd_row(r) for r in sorted(new2 + overlap, key=lambda r: (r.created, r.ext_id), reverse=True)]
    (out_dir / FILES["jd2"]).write_bytes(csv_bytes([JD_HEADERS] + rows2, "utf-8-sig"))

    # ---------------- Tmall (XLSX) ------------------------------------------------------
    from openpyxl import Workbook

    gt = rngs["tmall"]
    tm = slots["tmall"]
    keys: set = set()
    tm_rows: list[list] = []
    for r in tm:
        m = MODELS[r.model]
        r.product_raw = gt.choice(m.short)
        title = gt.choice(m.titles)
        r.created = r.created.replace(second=0)
        if gt.random() < 0.20:
            r.nps = nps_for(gt, r.rating)
        for _ in range(100):  # no accidental duplicate (this export has no review id); same day only
            key = ("".join(r.text.split()), r.model, r.created, r.rating, r.nps)
            if key not in keys:
                break
            r.created = r.created.replace(hour=gt.randint(8, 22), minute=gt.randrange(60))
        keys.add(key)
        stars = f"{r.rating}星" if gt.random() < 0.5 else "★" * r.rating + "☆" * (5 - r.rating)
        when: object = r.created
        if gt.random() < 0.08:
            midnight = r.created.replace(hour=0, minute=0)
            key2 = ("".join(r.text.split()), r.model, midnight, r.rating, r.nps)
            if key2 not in keys:
                keys.add(key2)
                when = f"{r.created.year}年{r.created.month}月{r.created.day}日"
                r.created = midnight
        nick = gt.choice("abcdefghjkmnpqrstuvwxyz") + "***" + gt.choice("0123456789abcdefghjkmnpqrstuvwxyz")
        tm_rows.append([r.created, title, r.product_raw, stars, r.text, when, nick, "天猫", r.nps])
    tm_rows.sort(key=lambda row: (row[0], row[4]))
    tm_rows = [row[1:] for row in tm_rows]
    tb = []
    for bad in TMALL_BROKEN["date_unparseable"]:
        tb.append(("date_unparseable", ["联想小新Pro14", "小新Pro14", "5星", generic_text(gt, "小新Pro14", 5, "2026-W40"), bad,
                                        "m***3", "天猫", None]))
    for bad in TMALL_BROKEN["rating_invalid"]:
        tb.append(("rating_invalid", ["YOGA Air 14s", "YOGA Air 14s", bad, generic_text(gt, "YOGA Air 14s", 4, "2026-W42"),
                                      datetime(2026, 10, 14, 20, 31), "k***a", "天猫", None]))
    for bad in TMALL_BROKEN["nps_out_of_range"]:
        tb.append(("nps_out_of_range", ["moto razr 50", "razr50", "★★★★★", generic_text(gt, "moto razr 50", 5, "2026-W43"),
                                        datetime(2026, 10, 21, 12, 5), "p***8", "天猫", bad]))
    for _ in range(TMALL_BROKEN["empty_text"]):
        tb.append(("empty_text", ["拯救者Y9000P", "y9000p", "5星", None, datetime(2026, 9, gt.randint(2, 28), 9, 30),
                                  "z***1", "天猫", None]))
    for _ in range(TMALL_BROKEN["default_系统默认好评"]):
        d = random_time(gt, gt.choice(DAYS)).replace(second=0)
        tb.append(("default_系统默认好评", [gt.choice(MODELS[BURST_MODEL].titles), "moto edge 50", "5星",
                                       "评价方未及时做出评价,系统默认好评!", d, "a***" + str(gt.randint(0, 9)), "天猫", None]))
    for _ in range(TMALL_BROKEN["default_未填写"]):
        d = random_time(gt, gt.choice(DAYS)).replace(second=0)
        tb.append(("default_未填写", ["联想小新Pro14", "小新 Pro 14", "★★★★★", "此用户未填写评价内容", d, "c***" + str(gt.randint(0, 9)),
                                   "天猫", None]))
    for _, row in tb:
        tm_rows.insert(gt.randrange(len(tm_rows) + 1), row)
    wb = Workbook()
    ws = wb.active
    ws.title = "评价"
    ws.append(["宝贝名称", "型号", "星级", "评价内容", "评价日期", "买家昵称", "渠道", "推荐意愿"])
    for row in tm_rows:
        ws.append(row)
    for cell in ws["E"][1:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
    for col, width in zip("ABCDEFGH", (48, 24, 10, 80, 18, 10, 8, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("导出说明")
    notes.append(["导出范围", "2026-09-01 至 2026-11-22"])
    notes.append(["说明", "推荐意愿为售后问卷得分（0-10），未参与问卷为空"])
    wb.properties.creator = "voc sample generator"
    buf = io.BytesIO()
    wb.save(buf)
    (out_dir / FILES["tmall"]).write_bytes(deterministic_xlsx(buf.getvalue()))

    # ---------------- App (JSONL) --------------------------------------------------------
    ga = rngs["app"]
    app = slots["app"]
    lines: list[str] = []
    for i, r in enumerate(sorted(app, key=lambda r: (r.created, r.seq))):
        m = MODELS[r.model]
        r.product_raw = ga.choice(m.short if ga.random() < 0.6 else (r.model,))
        r.ext_id = f"APP-2026-{i + 1:06d}"
        if ga.random() < 0.40:
            r.nps = nps_for(ga, r.rating)
        u = ga.random()
        epoch = calendar.timegm((r.created - timedelta(hours=8)).timetuple())
        created: object
        if u < 0.70:
            created = r.created.strftime("%Y-%m-%dT%H:%M:%S+08:00")
        elif u < 0.80:
            created = r.created.strftime("%Y-%m-%d %H:%M:%S")
        elif u < 0.92:
            created = epoch
        else:
            created = epoch * 1000 + ga.randrange(1000)
        obj: dict = {"id": r.ext_id, "created_at": created, "product": r.product_raw}
        v = ga.random()
        if v < 0.90:
            obj["rating"] = r.rating
        elif v < 0.96:
            obj["rating"] = None
        if r.nps is not None:
            obj["nps"] = r.nps
        obj["content"] = r.text
        obj["channel"] = "官方App"
        obj["app_version"] = ga.choice(["6.2.0", "6.2.1", "6.3.0"])
        obj["os"] = "Windows 11" if m.kind == "laptop" else ga.choice(["Android 14", "Android 15"])
        obj["user_id"] = f"u{ga.getrandbits(32):08x}"
        lines.append(json.dumps(obj, ensure_ascii=False))
    n_app = len(lines)
    app_bad: list[tuple[str, str]] = []

    def app_obj(extra: dict) -> str:
        base = {"id": f"APP-2026-{n_app + len(app_bad) + 1:06d}", "created_at": "2026-10-18T10:21:00+08:00",
                "product": "小新Pro14", "rating": 4, "content": generic_text(ga, "小新Pro14", 4, "2026-W42"),
                "channel": "官方App", "app_version": "6.3.0", "os": "Windows 11", "user_id": f"u{ga.getrandbits(32):08x}"}
        base.update(extra)
        return json.dumps(base, ensure_ascii=False)

    for v in APP_BROKEN["rating_out_of_range"]:
        app_bad.append(("rating_out_of_range", app_obj({"rating": v})))
    for v in APP_BROKEN["nps_out_of_range"]:
        app_bad.append(("nps_out_of_range", app_obj({"nps": v})))
    for v in APP_BROKEN["date_unparseable"]:
        app_bad.append(("date_unparseable", app_obj({"created_at": v})))
    for _ in range(APP_BROKEN["empty_text"]):
        app_bad.append(("empty_text", app_obj({"content": ""})))
    for _ in range(APP_BROKEN["broken_json"]):
        full = app_obj({})
        app_bad.append(("broken_json", full[: len(full) // 2 + ga.randint(-10, 10)]))
    for _, line in app_bad:
        lines.insert(ga.randrange(len(lines) + 1), line)
    (out_dir / FILES["app"]).write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")

    # ---------------- tickets ---------------------------------------------------------
    gk = rngs["tickets"]
    tickets = make_tickets(gk)
    jsonl_text, broken_line = ticket_jsonl(gk, tickets["tickets"])
    (out_dir / FILES["tickets"]).write_text(jsonl_text, encoding="utf-8", newline="\n")
    (out_dir / FILES["calls"]).write_text(ticket_txt(gk, tickets["calls"]), encoding="utf-8", newline="\n")
    for f in TICKET_FILES:
        for t in tickets[f]:
            if t.role in ("burst", "fingerprint"):
                note(t.role, f, t.week)
            if t.safety:
                note("safety", f, t.week)
            if t.role == "burst" and any("鼓包" in x for s, x in t.turns if s == "customer"):
                note("swelling", f, t.week)

    # ---------------- summary ---------------------------------------------------------
    def weekly(items, key=lambda x: x.week) -> dict[str, int]:
        c = Counter(key(x) for x in items)
        return {w: c.get(w, 0) for w in WEEKS}

    all_reviews = jd + new2 + tm + app
    summary["reviews_per_week"] = {
        "jd": weekly(jd), "jd2_new": weekly(new2), "tmall": weekly(tm), "app": weekly(app),
        "all_reviews": weekly(all_reviews),
        "jd_followups": weekly([r for r in jd if r.followup_at], key=lambda r: iso_week(r.followup_at)),
        "tickets": weekly(tickets["tickets"]), "calls": weekly(tickets["calls"]),
        "all_tickets": weekly(tickets["tickets"] + tickets["calls"]),
    }
    summary["nps_rows"] = {"tmall": sum(r.nps is not None for r in tm), "app": sum(r.nps is not None for r in app),
                           "tickets_nps": sum(t.nps is not None for t in tickets["tickets"]),
                           "tickets_csat": sum(t.csat is not None for t in tickets["tickets"])}
    summary["reviews_per_week_by_model"] = {
        m: {w: sum(1 for f in ("jd", "tmall", "app") for r in slots[f] if r.model == m and r.week == w) + sum(
            1 for r in new2 if r.model == m and r.week == w) for w in WEEKS} for m in MODELS
    }
    summary["pii"] = {f: dict(PII_PLAN[f]) for f in PII_PLAN}
    summary["pii"]["tickets"] = dict(TICKET_PII_PLAN["tickets"])
    summary["pii"]["calls"] = dict(TICKET_PII_PLAN["calls"])
    summary["pii_order_turns"] = {f: sum(t.pii.count("order") for t in tickets[f]) for f in TICKET_FILES}
    summary["lookalikes"] = dict(LOOKALIKE_PLAN) | TICKET_LOOKALIKE_PLAN
    summary["broken"] = {
        "jd": Counter(k for k, _ in broken_rows) | Counter({"exact_duplicate_rows": JD_DUPLICATE_ROWS}),
        "tmall": Counter(k for k, _ in tb), "app": Counter(k for k, _ in app_bad),
        "tickets": {"broken_json": 1, "no_customer_words": 2, "broken_json_line": broken_line},
    }
    summary["export2"] = {"overlap_with_jd": EXPORT2_OVERLAP, "overlap_burst": EXPORT2_OVERLAP_BURST,
                          "new": EXPORT2_NEW, "rows": len(rows2)}
    summary["jd_followups"] = sum(1 for r in jd if r.followup)
    summary["safety"] = [{"id": s[0], "file": FILES[s[1]], "week": s[2], "model": s[3], "word": s[4]} for s in SAFETY]
    jd_b = summary["broken"]["jd"]
    n_jd_rows = len(rows)
    jd_rejected = jd_b["date_unparseable"] + jd_b["rating_out_of_range"] + jd_b["too_many_fields"]
    jd_filtered = jd_b["empty_text"] + jd_b["default_未填写"] + jd_b["default_系统默认好评"]
    tm_b = summary["broken"]["tmall"]
    tm_rejected = tm_b["date_unparseable"] + tm_b["rating_invalid"] + tm_b["nps_out_of_range"]
    tm_filtered = tm_b["empty_text"] + tm_b["default_系统默认好评"] + tm_b["default_未填写"]
    ap_b = summary["broken"]["app"]
    ap_rejected = ap_b["broken_json"] + ap_b["rating_out_of_range"] + ap_b["nps_out_of_range"] + ap_b["date_unparseable"]
    n_tickets = len(tickets["tickets"])
    # Folder order (voc ingest sample_reviews/): export2 is read before the GBK export.
    summary["expected_ingest"] = {
        FILES["app"]: {"read": len(lines), "stored": len(app), "duplicates": 0, "rejected": ap_rejected,
                       "filtered": ap_b["empty_text"]},
        FILES["calls"]: {"read": len(tickets["calls"]), "stored": len(tickets["calls"]), "duplicates": 0,
                         "rejected": 0, "filtered": 0},
        FILES["jd2"]: {"read": len(rows2), "stored": len(rows2), "duplicates": 0, "rejected": 0, "filtered": 0},
        FILES["jd"]: {"read": n_jd_rows, "stored": len(jd) - EXPORT2_OVERLAP,
                      "duplicates": JD_DUPLICATE_ROWS + EXPORT2_OVERLAP, "rejected": jd_rejected,
                      "filtered": jd_filtered},
        FILES["tickets"]: {"read": n_tickets + 1, "stored": n_tickets - 2, "duplicates": 0, "rejected": 1,
                           "filtered": 2},
        FILES["tmall"]: {"read": len(tm_rows), "stored": len(tm), "duplicates": 0, "rejected": tm_rejected,
                         "filtered": tm_filtered},
    }
    for k, v in summary["expected_ingest"].items():
        assert v["read"] == v["stored"] + v["duplicates"] + v["rejected"] + v["filtered"], k
    summary["files"] = {FILES[f]: (out_dir / FILES[f]).stat().st_size for f in FILES}
    summary["unique_reviews"] = len(jd) + len(new2) + len(tm) + len(app)
    summary["tickets_total"] = n_tickets + len(tickets["calls"])
    summary["plants"] = {p: {f: {w: c.get(w, 0) for w in WEEKS} for f, c in by_file.items()}
                         for p, by_file in plants.items()}
    return summary


# ======================================================================================
# Output
# ======================================================================================
PLANT_ORDER = ["burst", "swelling", "safety", "fingerprint", "fan", "light_leak", "logistics", "decoy"]
FILE_ORDER = ["jd", "tmall", "app", "tickets", "calls"]


def markdown_tables(s: dict) -> str:
    wk = [w[-3:] for w in WEEKS]
    out = []
    head = "| | " + " | ".join(wk) + " | total |\n|---|" + "---:|" * (len(WEEKS) + 1)
    out.append("Reviews and tickets per ISO week (unique records):\n\n" + head)
    for f, row in s["reviews_per_week"].items():
        out.append(f"| {f} | " + " | ".join(str(row[w]) for w in WEEKS) + f" | {sum(row.values())} |")
    out.append("\nReviews per model per week (all review files):\n\n" + head)
    for m, row in s["reviews_per_week_by_model"].items():
        out.append(f"| {m} | " + " | ".join(str(row[w]) for w in WEEKS) + f" | {sum(row.values())} |")
    for p in PLANT_ORDER:
        if p not in s["plants"]:
            continue
        out.append(f"\nPlant `{p}` per week:\n\n" + head)
        tot = Counter()
        for f in FILE_ORDER:
            if f in s["plants"][p]:
                row = s["plants"][p][f]
                tot.update(row)
                out.append(f"| {f} | " + " | ".join(str(row[w]) for w in WEEKS) + f" | {sum(row.values())} |")
        out.append("| **all** | " + " | ".join(f"**{tot[w]}**" for w in WEEKS) + f" | **{sum(tot.values())}** |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: next to this script)")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = ap.parse_args(argv)
    s = build(args.out)
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=1, default=dict))
        return 0
    print(f"wrote {len(FILES)} files to {args.out}")
    for name, size in s["files"].items():
        print(f"  {name:26s} {size:>9,d} bytes")
    print(f"unique reviews: {s['unique_reviews']}   tickets: {s['tickets_total']}")
    print("expected `voc ingest` accounting (folder order):")
    for name, c in s["expected_ingest"].items():
        print(f"  {name:26s} " + "  ".join(f"{k}={v}" for k, v in c.items()))
    print(markdown_tables(s))
    print("\nbroken rows:", json.dumps({k: dict(v) for k, v in s["broken"].items()}, ensure_ascii=False))
    print("PII planted:", json.dumps(s["pii"], ensure_ascii=False), "| order numbers in ticket turns:",
          s["pii_order_turns"])
    print("look-alikes (must stay unmasked):", s["lookalikes"])
    print("merchant replies with plant words:", s["merchant_reply_decoys"])
    print("rows with a survey score:", s["nps_rows"], "| JD rows with a follow-up:", s["jd_followups"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
