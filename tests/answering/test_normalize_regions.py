"""Question normalisation (traditional → simplified, NFKC) and the place gazetteer."""

from __future__ import annotations

import pytest

from assistant.answering.normalize import normalise_question
from assistant.answering.regions import base_name, find_foreign, find_places, place_mentions
from assistant.profile import load_profile

# ---------------------------------------------------------------- normalise_question


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("請問吉林省的專利質押融資有哪些措施", "请问吉林省的专利质押融资有哪些措施"),
        ("知識產權強省建設工作方案是哪個部門發佈的", "知识产权强省建设工作方案是哪个部门发布的"),
        # full-width digits, letters and punctuation → half-width
        ("２０３０年的目標是什麼？", "2030年的目标是什么?"),
        ("ＷＩＰＯ（世界知識產權組織）", "WIPO(世界知识产权组织)"),
        # surrounding (also ideographic) spaces are stripped, inner ones kept
        ("\u3000 支撑型 试点省 \n", "支撑型 试点省"),
        # already simplified text is left alone
        ("知识产权强省建设工作方案的文号是什么", "知识产权强省建设工作方案的文号是什么"),
    ],
)
def test_normalise_question(question: str, expected: str) -> None:
    assert normalise_question(question) == expected


# ---------------------------------------------------------------- base_name


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("吉林省", "吉林"),
        ("汕尾市", "汕尾"),
        ("内蒙古自治区", "内蒙古"),
        ("香港特别行政区", "香港"),
        ("西藏地区", "西藏"),
        ("吉林", "吉林"),
        # at least two characters must remain
        ("沙市", "沙市"),
        ("省", "省"),
        # 州 and 区 are matched as suffixes by the pattern but not stripped here
        ("延边州", "延边州"),
    ],
)
def test_base_name(place: str, expected: str) -> None:
    assert base_name(place) == expected


# ---------------------------------------------------------------- find_places / place_mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("吉林省和汕尾市的目标有什么不同", ("吉林", "汕尾")),
        ("吉林省与吉林的措施", ("吉林",)),  # de-duplicated after base_name
        ("上海市浦东新区的知识产权强区建设", ("上海", "浦东")),
        ("内蒙古自治区、广西壮族自治区", ("内蒙古", "广西")),
        ("深圳、广州和东莞", ("深圳", "广州", "东莞")),
        ("黑龙江省和乌鲁木齐市", ("黑龙江", "乌鲁木齐")),
        ("每万人口发明专利拥有量", ()),
        ("", ()),
    ],
)
def test_find_places(text: str, expected: tuple[str, ...]) -> None:
    assert find_places(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("吉林省和汕尾市", ("吉林省", "汕尾市")),
        ("吉林省和吉林", ("吉林省", "吉林")),  # as written: both spellings kept
        ("延边州的措施", ("延边州",)),
        ("河北雄安新区", ("河北", "雄安")),
    ],
)
def test_place_mentions_keep_the_written_form(text: str, expected: tuple[str, ...]) -> None:
    assert place_mentions(text) == expected


def test_place_mentions_and_find_places_differ_only_by_base_name() -> None:
    text = "广东省汕尾市和吉林省"
    assert place_mentions(text) == ("广东省", "汕尾市", "吉林省")
    assert find_places(text) == ("广东", "汕尾", "吉林")


def test_jilin_city_is_not_jilin_province() -> None:
    assert find_places("吉林市的知识产权强市建设有哪些措施？") == ("吉林市",)


# ---------------------------------------------------------------- find_foreign

FOREIGN = load_profile().foreign


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("美国专利商标局的审查周期", ("美国", "专利商标局")),
        ("WIPO和世界知识产权组织", ("WIPO", "世界知识产权组织")),
        ("欧洲专利局与欧盟", ("欧洲专利局", "欧盟")),  # 欧洲专利局 is longer than 欧洲
        ("日本特许厅、日本", ("日本", "特许厅")),
        ("吉林省专利申请量", ()),
    ],
)
def test_find_foreign(text: str, expected: tuple[str, ...]) -> None:
    assert find_foreign(text, FOREIGN) == expected


def test_foreign_bodies_are_not_places() -> None:
    text = "美国和吉林省的专利政策"
    assert find_foreign(text, FOREIGN) == ("美国",)
    assert find_places(text) == ("吉林",)


def test_no_foreign_names_in_the_profile_finds_none() -> None:
    assert find_foreign("美国专利商标局", ()) == ()
