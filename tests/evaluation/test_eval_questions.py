from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.engine_api import Message
from assistant.evaluation.questions import QuestionsError, load_questions, parse_questions

FIXTURE = Path(__file__).parent / "data" / "questions_small.jsonl"
GOOD = {
    "id": "x1",
    "question": "问题？",
    "answerable": True,
    "doc": "003",
    "gold_sections": ["目标任务"],
    "key_facts": [["4.2件"]],
    "category": "numeric",
}


def lines(*items: dict[str, object]) -> list[str]:
    return [json.dumps(item, ensure_ascii=False) for item in items]


def test_fixture_loads_with_history_and_doc_forms() -> None:
    questions = load_questions(FIXTURE)
    assert [q.id for q in questions] == ["q1", "q2", "q3", "q4", "q5"]
    assert questions[0].doc == ("003",)
    assert questions[1].doc == ("000",)
    assert questions[3].doc == ()
    assert questions[2].history[0] == Message("user", "吉林省的强省建设目标有哪些？")
    assert questions[0].key_facts == (("4.2件", "４.２件"),)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answerable": "yes"}, "'answerable' must be a non-empty bool"),
        ({"id": ""}, "'id' must be a non-empty str"),
        ({"key_facts": ["4.2件"]}, "'key_facts[]' must be a list"),
        ({"key_facts": [[]]}, "every key fact needs at least one alias"),
        ({"gold_sections": "目标任务"}, "'gold_sections' must be a list"),
        ({"doc": 3}, "'doc' must be a list"),
        ({"history": [{"role": "system", "content": "x"}]}, "role 'user'|'assistant'"),
        ({"doc": None, "gold_sections": []}, "needs 'doc' or 'gold_sections'"),
    ],
)
def test_bad_field_names_the_line(change: dict[str, object], message: str) -> None:
    with pytest.raises(QuestionsError, match=r"q\.jsonl line 2: ") as info:
        parse_questions(lines({**GOOD, "id": "x0"}, {**GOOD, **change}), "q.jsonl")
    assert message in str(info.value)


def test_missing_field() -> None:
    bad = {k: v for k, v in GOOD.items() if k != "category"}
    with pytest.raises(QuestionsError, match=r"line 1: missing field 'category'"):
        parse_questions(lines(bad), "q.jsonl")


def test_invalid_json_and_non_object() -> None:
    with pytest.raises(QuestionsError, match=r"q.jsonl line 3: invalid JSON"):
        parse_questions([*lines(GOOD), "", "{not json"], "q.jsonl")
    with pytest.raises(QuestionsError, match=r"line 1: each line must be a JSON object"):
        parse_questions(["[1, 2]"], "q.jsonl")


def test_duplicate_id_and_empty_file() -> None:
    with pytest.raises(QuestionsError, match=r"line 2: duplicate id 'x1'"):
        parse_questions(lines(GOOD, GOOD), "q.jsonl")
    with pytest.raises(QuestionsError, match=r"q.jsonl: no questions"):
        parse_questions(["", "  "], "q.jsonl")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(QuestionsError, match="cannot read"):
        load_questions(tmp_path / "missing.jsonl")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes("问题".encode("gb18030"))
    with pytest.raises(QuestionsError, match="not UTF-8"):
        load_questions(latin)
