"""Heading trees of the seeds and the expected-next-ordinal rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.cn_numerals import parse_ordinal
from assistant.ingest.pipeline import clean_and_parse
from assistant.ingest.structure import Node, parse_structure, trailer_start, walk

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def tree(prefix: str) -> tuple[str, list[Node]]:
    clean, roots = clean_and_parse(next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))
    return clean.text, roots


def headings(nodes: list[Node]) -> list[str]:
    return [n.heading for n in nodes]


def test_seed_000_pilot_tasks() -> None:
    text, roots = tree("000")
    assert headings(roots) == ["一、总体思路", "二、试点任务", "三、实施步骤", "四、保障条件"]
    tasks = roots[1]
    assert headings(tasks.children) == [
        "（一）引领型知识产权强省建设试点省主要任务",
        "（二）支撑型知识产权强省建设试点省主要任务",
        "（三）特色型知识产权强省建设试点省主要任务",
    ]
    assert [len(c.children) for c in tasks.children] == [5, 4, 4]
    item = tasks.children[1].children[1]
    assert (item.kind, item.number, item.heading) == ("h3", "2", "2.健全知识产权制度实施体系")
    assert text[item.start : item.end].startswith("2.健全知识产权制度实施体系。构建与科技")
    assert text[item.body_start :].startswith("构建与科技")


def test_seed_000_heading_runs_into_body_after_full_stop() -> None:
    text, roots = tree("000")
    first = roots[3].children[0]
    assert first.heading == "（一）加强组织领导"
    assert text[first.body_start :].startswith("国家知识产权局将知识产权强省建设纳入年度重点工作")
    dashes = roots[0].children[1].children
    assert [d.kind for d in dashes] == ["dash"] * 5 and dashes[0].heading == "——试点探索"


def test_seed_001_seventeen_items_under_seven_projects() -> None:
    _text, roots = tree("001")
    assert headings(roots) == ["一、指导思想", "二、发展目标", "三、重点任务", "四、保障措施"]
    projects = roots[2].children
    assert len(projects) == 7 and all(p.heading.endswith("工程") for p in projects)
    assert projects[0].heading == "（一）实施知识产权示范园区建设工程"
    items = [i for p in projects for i in p.children]
    assert [i.number for i in items] == [str(n) for n in range(1, 18)]
    assert items[15].heading == "16.加强知识产权人才专业培训"
    assert headings(roots[3].children) == [
        "（一）加强组织领导", "（二）强化政策扶持", "（三）加大财政投入",
        "（四）强化考核评价", "（五）营造良好环境",
    ]  # fmt: skip


def test_seed_002_items_number_on_across_sections_and_trailer_is_outside() -> None:
    text, roots = tree("002")
    assert headings(roots) == ["一、总体要求", "二、重点任务", "三、保障措施"]
    assert [[i.number for i in s.children] for s in roots[1].children] == [
        ["1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10", "11"],
        ["12", "13", "14", "15", "16"], ["17", "18", "19", "20"],
    ]  # fmt: skip
    assert "公开方式" not in text[roots[-1].start : roots[-1].end]


def test_seed_003_top_level_and_restarted_items() -> None:
    _text, roots = tree("003")
    assert headings(roots) == ["一、目标任务", "二、重点工作", "三、加强组织实施和政策保障"]
    assert len(roots[0].children) == 5 and {c.kind for c in roots[0].children} == {"dash"}
    funding = roots[2].children[1]
    assert funding.heading == "（二）加大财政支持力度"
    assert [c.number for c in funding.children] == ["1", "2", "3"]


def test_seed_004_section_numbers_continue_across_chapters() -> None:
    _text, roots = tree("004")
    assert [h.split("、")[0] for h in headings(roots)] == ["一", "二", "三", "四", "五"]
    assert [c.number for c in roots[2].children] == ["三", "四", "五", "六", "七", "八"]
    assert [c.number for c in roots[3].children] == ["九", "十"]


@pytest.mark.parametrize(
    "issuer", ["某某省知识产权局", "国家知识产权局", "某某市林业局", "某某市人民政府办公厅"]
)
def test_an_issuer_over_a_date_starts_the_trailer(issuer: str) -> None:
    # a body by its kind (any 局): no field's own body need be listed
    body = "一、总体要求\n坚持统一协调。\n"
    text = f"{body}{issuer}\n2020年1月2日\n"
    assert trailer_start(text, 0) == len(body)
    sentence = f"{body}{issuer}负责解释\n2020年1月2日起施行。\n"  # the body's own words, not a signature
    assert trailer_start(sentence, 0) == len(sentence)


def test_ordinal_inside_a_sentence_is_not_a_heading() -> None:
    text = "一、总体要求\n坚持统一、协调，按照第二、三、四阶段推进。\n二、主要任务\n到2020年达到1.17件。"
    roots = parse_structure(text)
    assert headings(roots) == ["一、总体要求", "二、主要任务"]
    assert walk(roots) == roots


def test_unexpected_number_is_not_a_heading() -> None:
    roots = parse_structure("一、任务\n1.甲。\n2.乙。\n5.丙。\n二、保障")
    assert [c.heading for c in roots[0].children] == ["1.甲", "2.乙"]
    assert "5.丙" in "一、任务\n1.甲。\n2.乙。\n5.丙。\n二、保障"[roots[0].children[1].start : roots[0].end]


@pytest.mark.parametrize(
    ("word", "value"), [("一", 1), ("十", 10), ("十七", 17), ("二十三", 23), ("16", 16), ("甲", None)]
)
def test_parse_ordinal(word: str, value: int | None) -> None:
    assert parse_ordinal(word) == value
