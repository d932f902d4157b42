"""Cleaning rules, each on the seed text that has the quirk, and the offset map."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from assistant.ingest.clean import (
    CleanText,
    clean_text,
    fix_spaces,
    insert_line_breaks,
    remove_page_markers,
    strip_web_chrome,
)
from assistant.ingest.mapped import MappedText

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CHROME = (
    "服务热线", "欢迎来到", "法律库", "Legal Database", "来源:", "作者:", "次浏览", "分享到",
    "发布时间", "大 中 小", "打印", "关闭窗口", "联系我们", "网站地图", "版权所有", "ICP",
    "由会员分享", "课桌文档",
)  # fmt: skip
CJK = re.compile(r"[\u4e00-\u9fff]")


def seed(prefix: str) -> str:
    return next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def cleaned(prefix: str) -> str:
    return clean_text(seed(prefix)).text


def apply(rule: object, text: str) -> str:
    assert callable(rule)
    result = rule(MappedText.of(text))
    assert isinstance(result, MappedText)
    return result.text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_web_chrome_survives(prefix: str) -> None:
    text = cleaned(prefix)
    assert [c for c in CHROME if c in text] == []
    assert not re.search(r"^\s*(#|- )", text, re.MULTILINE), "markdown junk left"


def test_chrome_rule_drops_only_chrome_lines_of_seed_004() -> None:
    head = "\n".join(seed("004").splitlines()[:14])
    kept = apply(strip_web_chrome, head).split("\n")
    assert "服务热线" not in "".join(kept) and "次浏览" not in "".join(kept)
    assert "国家知识产权局关于印发《推动知识产权高质量发展年度工作指引(2020)》的通知" in kept


def test_page_title_duplicate_of_seed_004_is_dropped_but_document_title_kept() -> None:
    text = cleaned("004")
    assert "国家知识产权局：关于印发" not in text
    assert text.startswith("国家知识产权局关于印发《推动知识产权高质量发展年度工作指引（2020）》的通知")


def test_page_markers_of_seed_001_are_removed_and_words_rejoined() -> None:
    raw = seed("001")
    assert "工程1\n19、6 .加强" in raw
    text = cleaned("001")
    assert "实施知识产权人才提升工程16.加强知识产权人才专业培训" in text
    assert "重要指示论述" in text  # "重 要" was split by the wrap, "1、" marker at the start is gone
    assert not re.search(r"(^|\n)\d+、", text)


def test_page_marker_rule_keeps_a_real_numbered_list() -> None:
    real_list = "工作要求：\n1、加强领导。\n2、落实责任。\n3、强化考核。"
    assert apply(remove_page_markers, real_list) == real_list


def test_spaces_removed_between_cjk_and_inside_numbers() -> None:
    assert "版权产业增加值占GDP比重达7.2%" in cleaned("001")
    text002 = cleaned("002")
    assert "汕府〔2016〕69号" in text002 and "2016年9月19日印发" in text002
    assert "引领型知识产权强市实施方案的通知" in text002
    assert "总体布局" in cleaned("000")  # raw: "总体 布局"


def test_spaces_between_latin_words_stay() -> None:
    assert apply(fix_spaces, "New York 的 PCT 专利") == "New York的PCT专利"


def test_nfkc_full_width_digits_of_seed_003() -> None:
    text = cleaned("003")
    assert "吉政发〔2016〕27号" in text
    assert "全省年专利申请量力争达到2.4万件" in text
    assert "\u3000" not in text


def test_triple_dash_bullets_are_unified() -> None:
    text = cleaned("003")
    assert "———" not in text
    assert "\n——知识产权创造水平显著提高。" in text


def test_dash_bullet_after_a_sentence_starts_a_new_line() -> None:
    assert "有力支撑知识产权强国建设。\n——试点探索。" in cleaned("000")


def test_page_break_inside_a_sentence_of_seed_002_is_joined() -> None:
    text = cleaned("002")
    assert "对提升产业核心竞争力具有较强支撑作用" in text
    assert "以经营业绩、知识产权和创新并重" in text


def test_short_title_lines_are_not_joined() -> None:
    assert cleaned("003").startswith("吉林省人民政府关于新形势下\n加快知识产权强省建设的实施意见")


def test_chinese_punctuation_is_restored_after_nfkc() -> None:
    text = cleaned("000")
    assert "加快推进知识产权强省建设工作方案（试行）" in text
    assert "（一）指导思想" in text and "(一)" not in text


def test_ocr_ordinal_of_seed_001_is_fixed() -> None:
    assert "四、保障措施（一）加强组织领导" in cleaned("001")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_offsets_map_random_slices_back_to_raw(prefix: str) -> None:
    raw = seed(prefix)
    clean = clean_text(raw)
    raw = raw.replace("(-)", "(一)")  # the one deliberate correction (OCR ordinal), same length
    assert len(clean.raw_offsets) == len(clean.text) + 1
    assert list(clean.raw_offsets[:-1]) == sorted(clean.raw_offsets[:-1])
    rng = random.Random(prefix)
    for _ in range(200):
        start = rng.randrange(len(clean.text))
        end = rng.randrange(start, min(len(clean.text), start + 300) + 1)
        a, b = clean.to_raw(start, end)
        wanted = CJK.findall(clean.text[start:end])
        have = iter(CJK.findall(raw[a:b]))
        assert all(ch in have for ch in wanted), (start, end)  # subsequence, in order
        if wanted and CJK.match(clean.text[start]):
            assert raw[a] == clean.text[start]


def test_to_raw_of_a_fact_spans_the_split_raw_text() -> None:
    raw = seed("001")
    clean = clean_text(raw)
    fact = "版权产业增加值占GDP比重达7.2%"
    start = clean.text.index(fact)
    a, b = clean.to_raw(start, start + len(fact))
    assert raw[a:b] == "版权产业增加值占GDP比重达7. 2%"


def test_to_raw_rejects_spans_outside_the_text() -> None:
    clean = clean_text("一、总体要求")
    with pytest.raises(ValueError):
        clean.to_raw(3, 99)


def test_inserted_line_breaks_keep_offsets() -> None:
    clean = clean_text("方案。一、指导思想")
    broken = insert_line_breaks(clean, [3])
    assert broken.text == "方案。\n一、指导思想"
    assert broken.to_raw(4, 10) == (3, 9)
    assert isinstance(broken, CleanText)


def test_markdown_and_html_markup_is_removed_with_exact_offsets() -> None:
    raw = (
        "---\nsource: x\n---\n# 某某保护条例\n\n2019年1月1日 通过\n\n<!-- INFO END -->\n\n## 第一章　总则\n\n"
        "**第一条** 为了[保护](http://example.com)权利，制定本条例。<br/>\n\n##\n\n"
        "> 第二条 本条例自公布之日起施行。\n\n---\n"
    )
    clean = clean_text(raw)
    assert clean.text == (
        "某某保护条例\n\n2019年1月1日通过\n\n第一章 总则\n\n"
        "第一条 为了保护权利，制定本条例。\n\n第二条 本条例自公布之日起施行。"
    )
    start = clean.text.index("保护权利")
    a, b = clean.to_raw(start, start + 4)
    assert raw[a:b].startswith("保护") and raw[b - 2 : b] == "权利"


def test_one_space_after_an_article_designator_stays() -> None:
    assert (
        cleaned_text("第十条　职务发明 创造的权利属于单位。\n第二章  总则")
        == "第十条 职务发明创造的权利属于单位。\n第二章 总则"
    )


def test_long_title_line_is_not_joined_to_the_body_after_removed_markup() -> None:
    title = "最高人民法院关于审理某某纠纷案件适用法律若干问题的解释（一）又一个很长的名字的解释"
    text = cleaned_text(f"# {title}\n\n<!-- INFO END -->\n\n为正确审理案件，制定本解释。")
    assert text.split("\n")[0] == title


def test_a_sentence_that_mentions_a_hotline_is_not_chrome() -> None:
    line = "第十条 鼓励行业协会开通服务热线，提供咨询服务。"
    assert apply(strip_web_chrome, line) == line


def cleaned_text(raw: str) -> str:
    return clean_text(raw).text
