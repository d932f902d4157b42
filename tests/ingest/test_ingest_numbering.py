"""Word automatic numbering (assistant/ingest/numbering.py) counted the way Word counts."""

from __future__ import annotations

import pytest
from lxml import etree

from assistant.ingest.numbering import Numbering, chinese, parse_numbering

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def lvl(ilvl: int, fmt: str, text: str, extra: str = "", start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


ONE_LIST = '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'


def numbering(abstract: str, nums: str = ONE_LIST) -> Numbering:
    lists = f'<w:abstractNum w:abstractNumId="0">{abstract}</w:abstractNum>{nums}'
    xml = f'<w:numbering xmlns:w="{W}">{lists}</w:numbering>'
    return parse_numbering(etree.fromstring(xml))


GOV = lvl(0, "chineseCounting", "%1、") + lvl(1, "chineseCounting", "（%2）") + lvl(2, "decimal", "%3.")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (23, "二十三"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
    ],
)
def test_chinese_counting(n: int, expected: str) -> None:
    assert chinese(n) == expected


def test_levels_count_and_deeper_levels_restart() -> None:
    num = numbering(GOV)
    labels = [num.label("1", level) for level in (0, 1, 2, 2, 1, 2, 0, 1)]
    assert labels == ["一、", "（一）", "1.", "2.", "（二）", "1.", "二、", "（一）"]


def test_a_level_that_never_restarts_keeps_counting_across_sections() -> None:
    num = numbering(lvl(0, "chineseCounting", "%1、") + lvl(1, "decimal", "%2.", '<w:lvlRestart w:val="0"/>'))
    assert [num.label("1", level) for level in (0, 1, 1, 0, 1)] == ["一、", "1.", "2.", "二、", "3."]


def test_a_start_override_restarts_a_list_and_lists_of_one_abstract_continue() -> None:
    nums = (
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
    )
    num = numbering(lvl(0, "decimal", "%1."), nums)
    assert [num.label(n, 0) for n in ("1", "2", "3", "3", "1")] == ["1.", "2.", "5.", "6.", "7."]


def test_multi_level_text_legal_numbering_bullets_and_unknown_lists() -> None:
    num = numbering(
        lvl(0, "chineseCounting", "第%1章")
        + lvl(1, "decimal", "%1.%2", "<w:isLgl/>")
        + lvl(2, "bullet", "\uf0b7")
    )
    assert num.label("1", 0) == "第一章 "  # a label without closing punctuation is followed by a space
    assert num.label("1", 1) == "1.1 "
    assert num.label("1", 2) == ""
    assert num.label("99", 0) == ""


def test_a_level_is_found_by_its_paragraph_style() -> None:
    abstract = lvl(0, "chineseCounting", "%1、", '<w:pStyle w:val="Heading1"/>') + lvl(
        1, "chineseCounting", "（%2）", '<w:pStyle w:val="Heading2"/>'
    )
    num = numbering(abstract)
    assert [num.label("1", None, style) for style in ("Heading1", "Heading2", "Heading2")] == [
        "一、",
        "（一）",
        "（二）",
    ]


@pytest.mark.parametrize(
    ("fmt", "n", "expected"),
    [
        ("decimalEnclosedCircle", 3, "③"),
        ("ideographTraditional", 2, "乙"),
        ("upperRoman", 4, "IV"),
        ("lowerLetter", 27, "aa"),
        ("chineseLegalSimplified", 12, "壹拾贰"),
        ("decimalZero", 7, "07"),
    ],
)
def test_formats(fmt: str, n: int, expected: str) -> None:
    num = numbering(lvl(0, fmt, "%1", start=n))
    assert num.label("1", 0).strip() == expected
