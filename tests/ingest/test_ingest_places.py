"""The gazetteer (assistant/lang/zh/places.tsv) and region/level of a document."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.ingest.places import level_of, region_and_level
from assistant.lang.zh import place_names, places


def test_every_provincial_and_prefecture_level_division_is_listed() -> None:
    kinds = Counter(p.level for p in places())
    assert kinds == {"省": 34, "市": 333}
    provinces = {p.name for p in places() if p.level == "省"}
    assert all(p.parent in provinces for p in places() if p.level == "市")
    assert {"广东省", "内蒙古自治区", "重庆市", "香港特别行政区", "台湾省"} <= provinces
    assert {"汕尾市", "延边朝鲜族自治州", "大兴安岭地区", "锡林郭勒盟"} <= {p.name for p in places()}


def test_short_forms_name_one_place_each() -> None:
    names = place_names()
    assert (names["广东"].name, names["汕尾"].parent, names["延边州"].name) == (
        "广东省",
        "广东省",
        "延边朝鲜族自治州",
    )
    assert names["吉林"].name == "吉林省"  # 吉林市 keeps only its full name
    shorts = [s for p in places() for s in p.short]
    assert len(shorts) == len(set(shorts))
    assert "粤" in names["广东省"].abbr


@pytest.mark.parametrize(
    ("issuer", "title", "expected"),
    [
        (None, "广东省某某条例", ("广东省", "省")),
        ("国务院", "某某条例", ("全国", "国家")),
        ("公安部", "某某规定", ("全国", "国家")),
        (None, "深圳经济特区某某条例", ("深圳市", "市")),
        ("汕尾市人民政府", "某某方案", ("汕尾市", "市")),
        ("重庆市人民代表大会常务委员会", "重庆市某某条例", ("重庆市", "省")),
        ("南京市玄武区人民政府", "某某方案", ("南京市玄武区", "区")),
        ("某某县人民政府", "某某办法", ("某某县", "县")),
        ("中共广东省委宣传部", "某某意见", ("广东省", "省")),
        (None, "北京市住宅小区管理办法", ("北京市", "省")),
    ],
)
def test_region_and_level(issuer: str | None, title: str, expected: tuple[str, str]) -> None:
    assert region_and_level(issuer, title) == expected


def test_without_a_place_the_level_follows_how_the_text_names_itself() -> None:
    text = "结合全区实际。全区各部门要加强领导。本区财政给予支持。全国一盘棋。"
    assert region_and_level(None, "某某强化建设方案", text) == (None, "区")
    assert region_and_level(None, "某某方案", "没有提到辖区。") == (None, None)


@pytest.mark.parametrize(
    ("region", "level"), [("全国", "国家"), ("吉林省", "省"), ("汕尾市", "市"), ("玄武区", "区")]
)
def test_level_of_a_region_name(region: str, level: str) -> None:
    assert level_of(region) == level
