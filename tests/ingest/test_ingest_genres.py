"""Metadata of every common genre on short texts written for the test (the layouts officials meet)."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.engine_api import IngestError
from assistant.ingest.clean import clean_text
from assistant.ingest.cn_numerals import iso_date, parse_ordinal
from assistant.ingest.metadata import OVERRIDABLE, apply_overrides, extract_metadata, split_issuers
from assistant.models import DocumentMeta


def meta(text: str) -> DocumentMeta:
    return extract_metadata("d", "d.txt", clean_text(text).text)


def test_state_council_order_header() -> None:
    m = meta(
        "中华人民共和国国务院令\n第八百八十八号\n\n《某某管理条例》已经2021年3月3日国务院第100次常务会议通过，"
        "现予公布，自2021年6月1日起施行。\n\n总理 某某\n2021年3月10日\n\n某某管理条例\n\n"
        "第一章 总则\n\n第一条 为了规范管理，制定本条例。\n\n第二条 本条例自2021年6月1日起施行。"
    )
    assert (m.title, m.genre, m.issuer, m.doc_number) == (
        "某某管理条例",
        "条例",
        "国务院",
        "国务院令第八百八十八号",
    )
    assert (m.issued, m.adopted, m.effective, m.date) == (
        "2021-03-10",
        "2021-03-03",
        "2021-06-01",
        "2021-03-10",
    )
    assert (m.region, m.level) == ("全国", "国家")


def test_adoption_note_under_the_title_of_a_provincial_regulation() -> None:
    m = meta(
        "湖南省专利条例\n（2019年11月29日湖南省第十三届人民代表大会常务委员会第十五次会议通过 "
        "2021年5月27日湖南省第十三届人民代表大会常务委员会第二十四次会议修正）\n\n"
        "第一条 为了鼓励发明创造，制定本条例。\n\n第二条 本条例自2020年3月1日起施行。"
    )
    assert (m.title, m.issuer) == ("湖南省专利条例", "湖南省人民代表大会常务委员会")
    assert (m.adopted, m.amended, m.effective, m.date) == (
        "2019-11-29",
        "2021-05-27",
        "2020-03-01",
        "2019-11-29",
    )
    assert (m.region, m.level, m.doc_number) == ("湖南省", "省", None)


def test_date_first_notes_with_announcement_number() -> None:
    m = meta(
        "# 某省专利促进条例\n\n2015年9月25日 某省第十二届人民代表大会常务委员会第二十三次会议通过\n\n"
        "2015年9月25日 福建省第十二届人民代表大会常务委员会公告第30号公布\n\n2016年1月1日 施行\n\n"
        "<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了鼓励发明创造，制定本条例。"
    )
    assert m.title == "某省专利促进条例"
    assert m.doc_number == "福建省第十二届人民代表大会常务委员会公告第30号"
    assert (m.issued, m.adopted, m.effective) == ("2015-09-25", "2015-09-25", "2016-01-01")


def test_department_rule_in_force_from_its_publication() -> None:
    m = meta(
        "集成电路某某办法\n\n2001年11月28日 国家知识产权局令第17号公布\n\n第一条 为了保护布图设计，制定本办法。"
        "\n\n第二条 本办法自颁布之日起施行。"
    )
    assert (m.genre, m.issuer, m.doc_number) == ("办法", "国家知识产权局", "国家知识产权局令第17号")
    assert (m.issued, m.effective, m.region) == ("2001-11-28", "2001-11-28", "全国")


def test_measures_published_by_an_announcement() -> None:
    m = meta(
        "国家知识产权局公告\n第二九九号\n\n为规范专利代理行为，国家知识产权局制定了《专利代理某某办法》，现予发布。"
        "\n\n特此公告。\n\n国家知识产权局\n2019年1月7日\n\n专利代理某某办法\n\n"
        "第一条 为了规范专利代理行为，制定本办法。\n\n第二条 本办法自发布之日起施行。"
    )
    assert (m.title, m.genre, m.doc_number) == ("专利代理某某办法", "办法", "国家知识产权局公告第二九九号")
    assert (m.issuer, m.issued, m.effective, m.region) == (
        "国家知识产权局",
        "2019-01-07",
        "2019-01-07",
        "全国",
    )
    bare = meta(
        "国家知识产权局公告\n第三一六号\n\n现就有关事项公告如下：\n\n一、自2019年7月1日起停止受理。\n\n特此公告。"
    )
    assert (bare.title, bare.doc_number, bare.issuer) == ("国家知识产权局公告第三一六号",) * 2 + (
        "国家知识产权局",
    )


def test_notice_that_forwards_a_plan_is_titled_by_the_plan() -> None:
    m = meta(
        "汕尾市人民政府文件\n\n某府〔2016〕69号\n\n汕尾市人民政府关于印发汕尾市知识产权发展实施方案的通知\n\n"
        "各县（市、区）人民政府：\n\n现将《汕尾市知识产权发展实施方案》印发给你们，请认真组织实施。"
        "根据《国务院关于加快建设的若干意见》（国发〔2015〕71号）精神。\n\n汕尾市知识产权发展实施方案\n\n"
        "一、总体要求\n\n（一）指导思想。全面贯彻。\n\n汕尾市人民政府办公室\n\n2016年9月19日印发"
    )
    assert (m.title, m.genre) == ("汕尾市知识产权发展实施方案", "方案")
    assert (m.issuer, m.doc_number) == ("汕尾市人民政府", "某府〔2016〕69号")
    assert (m.issued, m.region, m.level) == ("2016-09-19", "汕尾市", "市")


def test_news_headline_names_the_document_and_its_joint_issuers() -> None:
    m = meta(
        "中共中央国务院印发《知识产权某某纲要（2021－2035年）》\n\n新华社北京9月22日电 近日，中共中央、国务院印发了"
        "《知识产权某某纲要（2021－2035年）》，并发出通知。\n\n一、战略背景\n\n内容。"
    )
    assert m.title == "知识产权某某纲要（2021-2035年）" and m.genre == "纲要"  # NFKC folds －
    assert (m.issuer, m.region, m.level) == ("中共中央、国务院", "全国", "国家")


def test_opinion_with_its_issuer_in_a_wrapped_title_and_a_chinese_numeral_signature() -> None:
    m = meta(
        "吉林省人民政府关于新形势下\n加快知识产权强省建设的实施意见\n吉政发〔２０１６〕２７号\n\n各市（州）人民政府：\n\n"
        "为深入实施创新驱动发展战略，提出如下实施意见。\n\n一、目标任务\n\n到2020年，基本建成。\n\n"
        "吉林省人民政府\n二〇一六年七月十三日"
    )
    assert m.title == "吉林省人民政府关于新形势下加快知识产权强省建设的实施意见"
    assert (m.genre, m.issuer, m.doc_number) == ("意见", "吉林省人民政府", "吉政发〔2016〕27号")
    assert (m.issued, m.date, m.region, m.level) == ("2016-07-13", "2016-07-13", "吉林省", "省")


@pytest.mark.parametrize(
    "number", ["粤府〔2018〕12号", "粤府[2018]12号", "粤府（2018）12号", "粤府(2018)12号"]
)
def test_doc_number_forms_and_an_unambiguous_prefix_names_the_issuer(number: str) -> None:
    m = meta(f"关于加强某项工作的通知\n{number}\n\n各地级以上市人民政府：\n\n一、总体要求\n\n内容。")
    assert m.doc_number is not None and m.doc_number.startswith("粤府") and m.doc_number.endswith("12号")
    assert (m.issuer, m.region) == ("广东省人民政府", "广东省")


def test_a_doc_number_quoted_in_a_sentence_is_not_the_documents_own() -> None:
    m = meta(
        "某某工作方案\n\n根据《某某通知》（国知发运函字（2022）131号）精神，制定本方案。\n\n一、目标\n\n内容。"
    )
    assert m.doc_number is None


def test_joint_judicial_interpretation() -> None:
    m = meta(
        "最高人民法院、最高人民检察院关于办理某类刑事案件适用法律若干问题的解释（三）\n\n"
        "2020年8月31日 最高人民法院审判委员会第1811次会议\n\n"
        "2020年8月21日 最高人民检察院第十三届检察委员会第四十八次会议通过\n\n2020年9月14日 施行\n\n"
        "为依法惩治犯罪，现就若干问题解释如下：\n\n第一条 具有下列情形之一的，应当认定。"
    )
    assert m.title.endswith("的解释（三）") and m.genre == "解释"
    assert (m.issuer, m.effective, m.region) == ("最高人民法院、最高人民检察院", "2020-09-14", "全国")


def test_municipal_rule_with_district_in_the_title() -> None:
    m = meta(
        "上海市浦东新区某某若干规定\n\n2021年10月28日 上海市第十五届人民代表大会常务委员会第三十六次会议通过\n\n"
        "第一条 为了加强保护，制定本规定。\n\n第二条 本规定自2021年12月1日起施行。"
    )
    assert (m.issuer, m.region, m.level) == ("上海市人民代表大会常务委员会", "上海市浦东新区", "区")
    assert (m.adopted, m.effective, m.date) == ("2021-10-28", "2021-12-01", "2021-10-28")


def test_special_economic_zone_regulation_is_the_citys() -> None:
    m = meta("深圳经济特区某某条例\n\n第一条 为了保护，制定本条例。")
    assert (m.region, m.level) == ("深圳市", "市")


@pytest.mark.parametrize(
    ("issuers", "split"),
    [
        ("中共中央国务院", "中共中央、国务院"),
        ("国家知识产权局 财政部", "国家知识产权局、财政部"),
        ("吉林省人民政府", "吉林省人民政府"),
    ],
)
def test_joint_issuers_are_joined_with_a_dunhao(issuers: str, split: str) -> None:
    assert split_issuers(issuers) == split


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2019年11月29日", "2019-11-29"),
        ("二〇一九年十一月二十九日", "2019-11-29"),
        ("二○二一年一月三十一日", "2021-01-31"),
        ("二零二零年十月一日", "2020-10-01"),
        ("2019年13月1日", None),
    ],
)
def test_dates_in_arabic_and_chinese_numerals(text: str, iso: str | None) -> None:
    assert iso_date(text) == iso


def test_article_numbers_past_a_thousand() -> None:
    assert (parse_ordinal("一千一百一十九"), parse_ordinal("二百零五")) == (1119, 205)


def test_every_field_but_identity_can_be_overridden() -> None:
    names = {f.name for f in dataclasses.fields(DocumentMeta)}
    assert names - OVERRIDABLE == {"doc_id", "source"}
    base = meta("某某办法\n\n第一条 为了管理，制定本办法。")
    changed = apply_overrides(base, {"effective": "2024-01-01", "genre": "规定", "region": "南京市玄武区"})
    assert (changed.effective, changed.genre, changed.region, changed.level) == (
        "2024-01-01",
        "规定",
        "南京市玄武区",
        "区",
    )
    with pytest.raises(IngestError, match="amended"):
        apply_overrides(base, {"amended": "2024/01/01"})


def test_a_ministry_notice_that_prints_only_its_doc_number_is_national() -> None:
    m = meta(
        "关于某项工资问题的通知\n\n人社部发[2009]7号\n\n各省、自治区、直辖市人力资源社会保障厅（局）：\n\n内容。"
    )
    assert (m.genre, m.doc_number, m.issuer) == ("通知", "人社部发[2009]7号", "人力资源社会保障部")
    assert (m.region, m.level) == ("全国", "国家")
