"""Corpus knowledge derived from the documents (lexicon.py) and the profile data files (profile.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.lexicon import QUESTION_PADDING, Lexicon, generic_terms, sibling_contrasts
from assistant.models import Chunk
from assistant.profile import Profile, ProfileError, load_profile, parse_mapping


def _chunk(n: int, *section: str) -> Chunk:
    return Chunk(f"d:{n}", "d", section, "正文", 0, 2)


def test_parallel_sibling_headings_form_a_contrast_set() -> None:
    chunks = [
        _chunk(1, "二、分类推进", "（一）沿海型园区建设主要任务"),
        _chunk(2, "二、分类推进", "（二）内陆型园区建设主要任务"),
        _chunk(3, "二、分类推进", "（三）山区型园区建设主要任务"),
        _chunk(4, "三、保障措施", "（一）加强组织领导"),
        _chunk(5, "三、保障措施", "（二）强化资金保障"),  # differs in more than a short run: no set
    ]
    assert sibling_contrasts(chunks) == [("沿海", "内陆", "山区")]


def test_lexicon_finds_contrast_terms_and_their_rivals() -> None:
    lexicon = Lexicon(frozenset(), (("沿海", "内陆", "山区"),), Profile())
    assert lexicon.contrast_terms("那内陆型的呢？") == ("内陆",)
    assert lexicon.rivals("内陆") == ("沿海", "山区")


def test_generic_terms_are_words_of_most_passages() -> None:
    freq = {"园区": 45, "资金": 5, "数": 50}
    assert generic_terms(freq, 50) == frozenset({"园区"}) | QUESTION_PADDING  # one-character words never
    assert generic_terms(freq, 10) == QUESTION_PADDING  # too few passages to tell


def test_profile_files_are_parsed(tmp_path: Path) -> None:
    (tmp_path / "synonyms.txt").write_text("# comment\n多久过期 | 过期 = 有效期 届满\n", encoding="utf-8")
    (tmp_path / "unstated.txt").write_text("电话\n提交哪些材料 = 应当提交\n", encoding="utf-8")
    (tmp_path / "contrasts.txt").write_text("甲型 乙型\n单独\n", encoding="utf-8")
    profile = load_profile(tmp_path)
    assert profile.name == tmp_path.name
    assert profile.synonyms == (("多久过期", ("有效期", "届满")), ("过期", ("有效期", "届满")))
    assert profile.unstated == (("电话", ("电话",)), ("提交哪些材料", ("应当提交",)))
    assert profile.contrasts == (("甲型", "乙型"),)  # a one-word line is not a set
    assert profile.expansions("证书多久过期？") == ("有效期", "届满")


def test_the_fields_name_and_courts_are_profile_data(tmp_path: Path) -> None:
    assert Profile().title == "政策问答" and load_profile(tmp_path).courts == ()  # none named: generic
    (tmp_path / "domain.txt").write_text("# the field\n林业\n", encoding="utf-8")
    (tmp_path / "courts.txt").write_text("林业法院\n森林法院 海事法院\n", encoding="utf-8")
    profile = load_profile(tmp_path)
    assert (profile.domain, profile.title) == ("林业", "林业政策问答")
    assert profile.courts == ("林业法院", "森林法院", "海事法院")
    shipped = load_profile()  # the IP profile keeps the product's name and its court
    assert (shipped.title, shipped.courts) == ("知识产权政策问答", ("知识产权法院",))


def test_missing_profile_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="profile folder not found"):
        load_profile(tmp_path / "nope")


def test_mapping_line_without_a_key_is_an_error() -> None:
    with pytest.raises(ProfileError, match="nothing before"):
        parse_mapping(["= 有效期"], "synonyms.txt")


def test_default_profile_loads() -> None:
    profile = load_profile()
    assert profile.domain_words and profile.synonyms and profile.unstated and profile.examples


def test_the_ip_profile_takes_the_maintenance_fee_for_the_annual_fee() -> None:
    from assistant.answering.abstain import unstated_cue

    unstated = load_profile().unstated
    asked = "项目里交专利年费的钱，能不能从项目经费里出？"
    # patent annual fees are what the texts call the cost of maintaining a patent (维持专利)
    assert unstated_cue(asked, "申请和维持专利所发生的相关费用，可以在项目经费中列支。", unstated) is None
    assert unstated_cue(asked, "项目经费应当专款专用。", unstated) == "年费"


def test_the_ip_profile_reads_faking_ones_way_to_an_award_as_obtaining_it_by_fraud() -> None:
    # texts punish 骗取专利奖励; askers say they 弄虚作假拿了奖
    assert "骗取" in load_profile().expansions("要是有人弄虚作假拿了专利奖，会怎么样？")
