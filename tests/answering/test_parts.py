"""The N-th part of a section in a document without articles (pure)."""

from __future__ import annotations

import pytest

from assistant.answering.parts import Part, asked_part, find_part, mark_number, named_section, section_paths

# a plan: items 1.–5. numbered on through 二、重点任务 across its sub-sections; 三、 restarts its （一）
PLAN = section_paths(
    [
        ("一、总体要求", "（一）指导思想"),
        ("一、总体要求", "（二）实施步骤", "（一）第一阶段：试点探索（2015—2020年）"),
        ("一、总体要求", "（二）实施步骤", "（二）第二阶段：深化发展（2020—2025年）"),
        ("二、重点任务", "（一）深化改革", "1.开展综合管理改革"),
        ("二、重点任务", "（一）深化改革", "2.建立审查评议制度"),
        ("二、重点任务", "（二）严格保护", "3.加大行政执法力度"),
        ("二、重点任务", "（二）严格保护", "4.完善维权援助"),
        ("二、重点任务", "（三）促进运用", "5.培育密集型产业"),
        ("三、保障措施", "（一）加强组织领导"),
        ("三、保障措施", "（二）强化政策扶持"),
        ("三、保障措施", "（三）加大财政投入"),
    ]
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("重点任务的第二条是什么？", Part(2, "条")),
        ("第十二项任务", Part(12, "项")),
        ("第3点讲了什么", Part(3, "点")),
        ("第四阶段是哪几年", Part(4, "阶段")),
        ("第二部分", Part(2, "部分")),
        ("第二次会议通过了什么", None),
        ("主要任务有哪些", None),
    ],
)
def test_asked_part(question: str, expected: Part | None) -> None:
    assert asked_part(question) == expected


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("（二）严格保护", ("（）", 2)),
        ("12.培育密集型产业", ("1.", 12)),
        ("三、保障措施", ("一、", 3)),
        ("第二部分 重点任务", ("第", 2)),
        ("加强组织领导", None),
    ],
)
def test_mark_number(heading: str, expected: tuple[str, int] | None) -> None:
    assert mark_number(heading) == expected


def test_named_section_is_the_longest_heading_the_question_names() -> None:
    assert named_section(PLAN, "重点任务的第二条是什么？") == ("二、重点任务",)
    assert named_section(PLAN, "保障措施里强化政策扶持讲什么") == ("三、保障措施", "（二）强化政策扶持")
    assert named_section(PLAN, "第二条是什么？") == ()


def test_items_numbered_on_through_a_section_are_counted_across_its_sub_sections() -> None:
    found = find_part(PLAN, "重点任务的第三条是什么？", Part(3, "条"))
    assert found is not None
    assert found.path == ("二、重点任务", "（二）严格保护", "3.加大行政执法力度")
    assert found.base == ("二、重点任务",)


def test_a_section_without_items_of_its_own_counts_its_sub_sections() -> None:
    found = find_part(PLAN, "保障措施的第二条", Part(2, "条"))
    assert found is not None and found.path == ("三、保障措施", "（二）强化政策扶持")


def test_the_whole_document_counts_its_top_level_parts() -> None:
    found = find_part(PLAN, "这个方案的第二部分讲什么", Part(2, "部分"))
    assert found is not None and found.path == ("二、重点任务",)


def test_a_position_past_the_end_is_a_part_the_document_lacks() -> None:
    found = find_part(PLAN, "保障措施的第九条", Part(9, "条"))
    assert found is not None and found.path is None


def test_stages_are_found_by_the_heading_that_names_them() -> None:
    second = find_part(PLAN, "第二阶段是哪几年", Part(2, "阶段"))
    fourth = find_part(PLAN, "第四阶段是哪几年", Part(4, "阶段"))
    assert second is not None and second.path is not None and "深化发展" in second.path[-1]
    assert fourth is not None and fourth.path is None
    # a document whose headings name no stages says nothing either way
    assert find_part(section_paths([("一、目标",), ("二、任务",)]), "第四阶段", Part(4, "阶段")) is None
