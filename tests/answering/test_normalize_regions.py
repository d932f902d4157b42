"""Question normalisation (traditional → simplified, NFKC) and the place gazetteer."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.answering.answerer import ExtractiveAnswerer
from assistant.answering.normalize import normalise_question
from assistant.answering.regions import Gazetteer, find_foreign, foreign_topics, region_forms
from assistant.models import DocumentMeta
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


# ---------------------------------------------------------------- the gazetteer

# regions as a corpus's documents would carry them (a district only its documents know)
GAZETTEER = Gazetteer.build(["上海市浦东新区", "浙江省", "宁波市", "全国"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("吉林省和汕尾市的目标有什么不同", ("吉林省", "汕尾市")),
        ("吉林省与吉林的措施", ("吉林省",)),  # one region, two spellings
        ("上海市浦东新区的知识产权保护", ("上海市浦东新区",)),  # the document's region as one name
        ("在浦东申请商标", ("上海市浦东新区",)),  # its short form
        ("内蒙古自治区、广西壮族自治区", ("内蒙古自治区", "广西壮族自治区")),
        ("深圳、广州和东莞", ("深圳市", "广州市", "东莞市")),
        ("每万人口发明专利拥有量", ()),
        ("", ()),
    ],
)
def test_find_gives_canonical_regions(text: str, expected: tuple[str, ...]) -> None:
    assert GAZETTEER.find(text) == expected


def test_mentions_keep_the_written_form() -> None:
    assert GAZETTEER.mentions("吉林省和吉林") == ("吉林省", "吉林")
    assert GAZETTEER.mentions("那浦东呢？") == ("浦东",)


def test_jilin_city_is_not_jilin_province() -> None:
    assert GAZETTEER.find("吉林市的知识产权强市建设有哪些措施？") == ("吉林市",)


@pytest.mark.parametrize(
    ("region", "covered"),
    [
        ("上海市", True),  # contains a document's district
        ("浙江省", True),  # a document's own region
        ("宁波市", True),
        ("杭州市", False),  # a city of a covered province is not covered by the province's document
        ("江苏省", False),
    ],
)
def test_covered_regions(region: str, covered: bool) -> None:
    assert GAZETTEER.covered(region, ["上海市浦东新区", "浙江省", "宁波市"]) is covered


def test_a_province_is_covered_by_a_document_of_one_of_its_cities() -> None:
    assert GAZETTEER.covered("浙江省", ["宁波市"])
    assert region_forms("上海市浦东新区") == ["上海市浦东新区", "浦东新区", "浦东"]


# ---------------------------------------------------------------- find_foreign

FOREIGN = load_profile().foreign
# 专利, 商标 … right after a foreign name: the domain's subjects, not the engine's
SUBJECTS = load_profile().foreign_subjects


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
    assert GAZETTEER.find(text) == ("吉林省",)


def test_no_foreign_names_in_the_profile_finds_none() -> None:
    assert find_foreign("美国专利商标局", ()) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在美国申请专利要注意什么？", ("美国",)),
        ("我们的产品出口到美国，海关查到侵权货物怎么办？", ()),
        ("货物卖到日本被扣了，国内哪个部门管？", ()),
        ("美国版权保护期多久？", ("美国",)),  # a subject of the profile's domain right after the name
    ],
)
def test_an_export_destination_is_not_a_foreign_topic(text: str, expected: tuple[str, ...]) -> None:
    assert foreign_topics(text, FOREIGN, SUBJECTS) == expected


def test_without_the_profile_s_subjects_a_domain_word_makes_no_topic() -> None:
    assert foreign_topics("美国版权保护期多久？", FOREIGN) == ()


# ---------------------------------------------------------------- places a question names (answerer)


def _metas(*regions: tuple[str, str]) -> dict[str, DocumentMeta]:
    return {
        f"d{n}": DocumentMeta(f"d{n}", f"某规定{n}", f"d{n}.md", region=region, level=level)
        for n, (region, level) in enumerate(regions)
    }


def test_a_city_named_beside_its_covered_province_is_where_the_asker_is() -> None:
    from assistant.answering.answerer import _unknown_places

    metas = list(_metas(("湖南省", "省")).values())
    places = Gazetteer.build(m.region for m in metas)
    # the province's document applies in its city when the question names both
    assert _unknown_places(places, "我们是长沙一家公司，湖南省的规定鼓励哪些服务？", metas, []) == []
    # the city alone is the question's subject, which no document is about
    assert _unknown_places(places, "长沙的规定鼓励哪些服务？", metas, []) == ["长沙"]
    # another province's city is not covered, whichever province is named beside it
    assert _unknown_places(places, "我们是武汉一家公司，湖南省的规定鼓励哪些服务？", metas, []) == ["武汉"]


class _Known:
    def __init__(self, places: Gazetteer) -> None:
        self.gazetteer = places


class _Scene:
    """Just what the answerer's place checks read: the gazetteer and the documents' regions."""

    _places_set_the_scene = ExtractiveAnswerer._places_set_the_scene

    def __init__(self, metas: dict[str, DocumentMeta]) -> None:
        self.places = Gazetteer.build(m.region for m in metas.values())

    def knowledge(self, state: object) -> _Known:
        return _Known(self.places)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the case's places: one province with a document, one without
        ("罚我们的是湖北的县局，我们公司登记在湖南，信息怎么推送？", True),
        # one province only: it names the document
        ("湖南的规定对推送有什么要求？", False),
        # two provinces no document covers: a question about them, refused as before
        ("适不适用于湖北企业和江西企业之间的纠纷？", False),
    ],
)
def test_places_of_two_provinces_set_the_scene(question: str, expected: bool) -> None:
    metas = _metas(("湖南省", "省"), ("全国", "国家"))
    state = SimpleNamespace(metas=metas)
    assert _Scene(metas)._places_set_the_scene(state, question) is expected  # type: ignore[arg-type]
