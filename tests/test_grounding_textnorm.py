"""Sentence support (assistant/grounding.py) and shared normalisation (assistant/textnorm.py).

tests/evaluation/test_eval_metrics.py covers support through the metrics (a swapped number, full-width
passages, scrambled bigrams, marker → passage mapping); these test the functions themselves.
"""

from __future__ import annotations

import pytest

from assistant.grounding import (
    DEFAULT_TAU,
    bigram_precision,
    figures,
    figures_supported,
    is_supported,
    markers,
    split_sentences,
    strip_markers,
)
from assistant.textnorm import match_key, nfkc, unify_dashes

# ---------------------------------------------------------------- textnorm


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０１６年", "2016年"),
        ("ＷＩＰＯ", "WIPO"),
        ("（二）", "(二)"),
        ("吉政发〔２０１６〕２７号", "吉政发〔2016〕27号"),  # 〔〕 have no compatibility form
        ("１０％，？！：；", "10%,?!:;"),
        ("\u3000", " "),
        ("知识产权", "知识产权"),
    ],
)
def test_nfkc(text: str, expected: str) -> None:
    assert nfkc(text) == expected


@pytest.mark.parametrize("dash", list("‐‑‒–—―−－─"))
def test_every_dash_becomes_a_hyphen(dash: str) -> None:
    assert unify_dashes(f"2016{dash}2020年") == "2016-2020年"


def test_unify_dashes_leaves_other_text_alone() -> None:
    assert unify_dashes("一、总体要求 › (二)") == "一、总体要求 › (二)"
    assert unify_dashes("2016——2020") == "2016--2020"  # one hyphen per dash


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 目标 任务\t\n", "目标任务"),
        ("2016—2020年", "2016-2020年"),
        ("２０１６－２０２０年", "2016-2020年"),
        ("ＰＣＴ Application", "pctapplication"),
        ("（二）支撑型\u3000试点省", "(二)支撑型试点省"),
        ("", ""),
    ],
)
def test_match_key(text: str, expected: str) -> None:
    assert match_key(text) == expected


# ---------------------------------------------------------------- markers


def test_markers_in_order_with_repeats() -> None:
    assert markers("甲[1]乙[12][3]丙[1]") == [1, 12, 3, 1]
    assert markers("没有标记[a] [ 1]") == []


def test_strip_markers() -> None:
    assert strip_markers("达到4.2件[1][2]。另[10]") == "达到4.2件。另"
    assert strip_markers("[x]不是标记") == "[x]不是标记"


# ---------------------------------------------------------------- split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲。乙！丙？", ["甲。", "乙！", "丙？"]),
        # a marker after the terminator belongs to the sentence before it
        ("甲。[1]乙；[2][3]丙", ["甲。[1]", "乙；[2][3]", "丙"]),
        ("甲[1]。乙[2]。", ["甲[1]。", "乙[2]。"]),
        # each line is split on its own; blank lines disappear
        ("第一行\n\n  第二行。 [4]\n", ["第一行", "第二行。[4]"]),
        # a leading marker with no sentence before it stays where it is
        ("[1]开头。", ["[1]开头。"]),
        ("Done! Next?", ["Done!", "Next?"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_keeps_commas_inside() -> None:
    assert split_sentences("到2020年，全市每万人发明专利拥有量力争达到1.17件[2]。") == [
        "到2020年，全市每万人发明专利拥有量力争达到1.17件[2]。"
    ]


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2020年，每万人口发明专利拥有量达到4.2件，年均增长10%以上", {"2020", "4.2", "10%"}),
        ("年均增长１０％以上", {"10%"}),  # NFKC first
        ("达到4.2件[1]", {"4.2"}),  # markers are not figures
        ("2016—2020年", {"2016", "2020"}),
        ("千分之三，即3‰", {"3‰"}),
        # CJK quantities count only before a unit: 三个, 两年; not ordinals like （二） or 一批
        ("建设三个试点省，用两年时间", {"三", "两"}),
        ("（二）培育一批示范企业", set()),
        ("全省年专利申请量力争达到2.4万件", {"2.4", "万"}),
        ("加强组织领导", set()),
    ],
)
def test_figures(text: str, expected: set[str]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("sentence", "passages", "supported"),
    [
        ("达到4.2件", ["力争达到４.２件"], True),
        ("达到4.5件", ["力争达到4.2件"], False),
        ("增长10%", ["增长10个百分点"], False),  # 10% is not the same figure as 10
        ("增长10%", ["增长10%"], True),
        # figures may come from different passages
        ("2.4万件和160件", ["申请量达到2.4万件", "驰名商标160件"], True),
        ("加强组织领导", [], True),  # nothing to check
        ("达到4.2件", [], False),
    ],
)
def test_figures_supported(sentence: str, passages: list[str], supported: bool) -> None:
    assert figures_supported(sentence, passages) is supported


# ---------------------------------------------------------------- bigram_precision / is_supported


@pytest.mark.parametrize(
    ("sentence", "passages", "expected"),
    [
        ("知识产权", ["加快知识产权强省建设"], 1.0),
        # 知识 识产 产权 权保 保护: the first three of five are in the passage
        ("知识产权保护", ["知识产权"], 3 / 5),
        # punctuation, spaces and markers are ignored before taking bigrams
        ("知识 产权，保护[1]。", ["知识产权"], 3 / 5),
        # bigrams may come from any of the passages
        ("知识产权保护", ["知识产权", "权保护"], 1.0),
        ("２０２０年", ["2020年"], 1.0),
        ("专利", ["商标"], 0.0),
        # one character: its own "bigram" never matches a passage's bigrams
        ("好", ["好的"], 0.0),
        ("。[1]", ["任何内容"], 0.0),
    ],
)
def test_bigram_precision(sentence: str, passages: list[str], expected: float) -> None:
    assert bigram_precision(sentence, passages) == pytest.approx(expected)


def test_is_supported_threshold_is_inclusive() -> None:
    # precision exactly 3/5 = 0.6 = DEFAULT_TAU
    assert DEFAULT_TAU == 0.6
    assert is_supported("知识产权保护", ["知识产权"])
    assert not is_supported("知识产权保护", ["知识产权"], tau=0.61)
    assert is_supported("知识产权保护", ["知识产权"], tau=0.0)


def test_is_supported_needs_both_wording_and_figures() -> None:
    passage = "到2020年，全市每万人发明专利拥有量力争达到1.17件。"
    assert is_supported("全市每万人发明专利拥有量力争达到1.17件[1]。", [passage])
    # same wording, other figure
    assert not is_supported("全市每万人发明专利拥有量力争达到1.71件。", [passage])
    # right figure, unrelated wording
    assert not is_supported("商标注册数量为1.17件。", [passage])


def test_is_supported_without_passages() -> None:
    assert not is_supported("加强组织领导。", [])
    assert not is_supported("加强组织领导。", ["", ""])
    assert is_supported("加强组织领导。", ["", "加强组织领导"])
