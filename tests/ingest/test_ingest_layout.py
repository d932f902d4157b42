"""Reflowing positioned lines (assistant/ingest/layout.py): wrapped lines, running heads, titles."""

from __future__ import annotations

import pytest

from assistant.ingest.clean import clean_text
from assistant.ingest.layout import PAGE_BREAK, Line, Page, reflow, running_lines

SIZE = 12.0
LEFT, RIGHT = 70.0, 526.0


def body(text: str, top: float, *, indent: bool = False, full: bool = True, size: float = SIZE) -> Line:
    x0 = LEFT + (2 * size if indent else 0.0)
    x1 = RIGHT if full else x0 + len(text) * size
    return Line(text, x0, x1, top, top + size, size)


def centred(text: str, top: float, size: float) -> Line:
    width = len(text) * size
    return Line(text, 298 - width / 2, 298 + width / 2, top, top + size, size)


def page(*lines: Line) -> Page:
    return Page(595.0, 842.0, tuple(lines))


def flowed(pages: list[Page]) -> str:
    result = reflow(pages)
    return clean_text(result.text, result.edits).text


def test_a_wrapped_paragraph_is_joined_without_a_break_inside_a_word() -> None:
    p = page(
        body("为深入贯彻落实党中央决策部署，加快知识产权强市建设，推动", 100, indent=True),
        body("知识产权高质量发展，制定本方案。", 120, full=False),
        body("一、总体要求", 140, indent=True, full=False),
    )
    assert (
        flowed([p])
        == "为深入贯彻落实党中央决策部署，加快知识产权强市建设，推动知识产权高质量发展，制定本方案。\n一、总体要求"
    )


def test_an_indented_line_starts_a_new_paragraph_even_after_a_full_line() -> None:
    p = page(
        body("第一段首行缩进，写满一整行，", 100, indent=True),
        body("第一段的最后一行恰好写满了整行到达右边界为止。", 120),
        body("第二段首行缩进两个字符开始。", 140, indent=True, full=False),
    )
    assert (
        flowed([p])
        == "第一段首行缩进，写满一整行，第一段的最后一行恰好写满了整行到达右边界为止。\n第二段首行缩进两个字符开始。"
    )


def test_a_paragraph_gap_separates_unindented_paragraphs() -> None:
    p = page(
        body("这一段没有首行缩进而且写满了一整行。", 100),
        body("下一段与上一段之间有空行。", 100 + 3 * SIZE, full=False),
        body("第三行", 100 + 4.5 * SIZE, full=False),
    )
    assert flowed([p]).split("\n")[:2] == [
        "这一段没有首行缩进而且写满了一整行。",
        "下一段与上一段之间有空行。",
    ]


def test_latin_words_split_by_a_wrap_keep_one_space() -> None:
    p = page(
        body("参照 World Intellectual", 100, indent=True),
        body("Property Organization 的标准。", 120, full=False),
    )
    assert "World Intellectual Property Organization" in flowed([p])


OPENINGS = ("加快知识产权强市建设", "健全知识产权保护体系", "推进专利导航工程", "培育知识产权密集型产业")
ENDINGS = ("提升创造质量。", "强化行政执法。", "服务产业发展。", "扩大产业规模。")


def _numbered_pages(footer: str, n: int = 3) -> list[Page]:
    pages = []
    for i in range(n):
        pages.append(
            page(
                centred("汕尾市建设引领型知识产权强市实施方案", 30, 9),
                body(f"{OPENINGS[i]}，这一段写满整行的文字一直延续到页面的右边界", 100, indent=True),
                body(ENDINGS[i], 120, full=False),
                centred(footer.format(i + 1), 800, 11),
            )
        )
    return pages


@pytest.mark.parametrize("footer", ["— {} —", "- {} -", "第{}页", "第 {} 页 共 3 页", "{}"])
def test_running_headers_and_page_numbers_are_dropped(footer: str) -> None:
    text = flowed(_numbered_pages(footer))
    assert "实施方案" not in text
    assert text.split("\n") == [
        f"{OPENINGS[i]}，这一段写满整行的文字一直延续到页面的右边界{ENDINGS[i]}" for i in range(3)
    ]


def test_a_page_number_alone_on_a_one_page_document_is_dropped() -> None:
    text = flowed([page(body("只有一页的通知。", 100, indent=True, full=False), centred("- 1 -", 800, 11))])
    assert text == "只有一页的通知。"


def test_a_line_repeated_on_few_pages_is_kept() -> None:
    pages = _numbered_pages("— {} —", n=4)
    pages[0] = page(*pages[0].lines[1:])  # the header is missing on pages 1 and 3 only: 2 of 4 keep it
    pages[2] = page(*pages[2].lines[1:])
    assert len(running_lines(pages)) == 4 + 2  # four footers, two headers (at least half the pages)


def test_a_paragraph_continues_across_a_page_break() -> None:
    pages = [
        page(
            body("前一页最后一行写满整行，句子没有结束，跨页继续，一直写到", 760, indent=True),
            centred("— 1 —", 800, 11),
        ),
        page(body("下一页的开头才结束。", 80, full=False), centred("— 2 —", 800, 11)),
    ]
    assert flowed(pages) == "前一页最后一行写满整行，句子没有结束，跨页继续，一直写到下一页的开头才结束。"


def test_the_title_lines_of_the_first_page_become_one_line() -> None:
    p = page(
        centred("汕尾市人民政府文件", 60, 16),
        centred("汕府〔2016〕69号", 90, SIZE),
        centred("汕尾市人民政府关于印发汕尾市建设", 130, 22),
        centred("引领型知识产权强市实施方案的通知", 156, 22),
        body("各县（市、区）人民政府：", 200, full=False),
        body("现将方案印发给你们，请认真组织实施。", 220, indent=True, full=False),
    )
    lines = flowed([p]).split("\n")
    assert lines[:3] == [
        "汕尾市人民政府文件",
        "汕府〔2016〕69号",
        "汕尾市人民政府关于印发汕尾市建设引领型知识产权强市实施方案的通知",
    ]


def test_offsets_lead_back_to_the_line_on_its_page() -> None:
    pages = _numbered_pages("— {} —")
    result = reflow(pages)
    clean = clean_text(result.text, result.edits)
    start = clean.text.index(ENDINGS[1])
    raw_start, raw_end = clean.to_raw(start, start + len(ENDINGS[1]))
    assert result.text[raw_start:raw_end] == ENDINGS[1]
    assert result.text[:raw_start].count(PAGE_BREAK) == 1  # the second page


def test_radicals_from_a_pdf_font_are_folded_in_the_clean_text() -> None:
    p = page(body("汕尾市人⺠政府办公室关于加强部⻔协作防范⻛险的通知", 100, full=False))
    assert flowed([p]) == "汕尾市人民政府办公室关于加强部门协作防范风险的通知"
