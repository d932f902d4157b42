"""The eval question set: schema, validation (pure) and loading (the only I/O here)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.engine_api import Message

_ROLES = ("user", "assistant")


class QuestionsError(ValueError):
    """The question file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool
    doc: tuple[str, ...]  # doc_ids the answer comes from; empty when none
    gold_sections: tuple[str, ...]
    key_facts: tuple[tuple[str, ...], ...]  # each fact: its aliases
    category: str
    history: tuple[Message, ...] = ()


def _str_list(value: Any, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{field}' must be a list of non-empty strings")
    return tuple(value)


def _history(value: Any) -> tuple[Message, ...]:
    if not isinstance(value, list):
        raise ValueError("'history' must be a list of {role, content} objects")
    messages = []
    for turn in value:
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in _ROLES
            or not isinstance(turn.get("content"), str)
        ):
            raise ValueError("every 'history' turn needs role 'user'|'assistant' and a string 'content'")
        messages.append(Message(role=turn["role"], content=turn["content"]))
    return tuple(messages)


def _doc(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) and value.strip():
        return (value,)
    return _str_list(value, "doc")


def _key_facts(value: Any) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        raise ValueError("'key_facts' must be a list of alias lists")
    facts = tuple(_str_list(aliases, "key_facts[]") for aliases in value)
    if any(not aliases for aliases in facts):
        raise ValueError("every key fact needs at least one alias")
    return facts


def _require(data: dict[str, Any], field: str, kind: type) -> Any:
    if field not in data:
        raise ValueError(f"missing field '{field}'")
    value = data[field]
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"'{field}' must be a non-empty {kind.__name__}")
    return value


def parse_question(data: Any) -> Question:
    if not isinstance(data, dict):
        raise ValueError("each line must be a JSON object")
    question = Question(
        id=_require(data, "id", str),
        question=_require(data, "question", str),
        answerable=_require(data, "answerable", bool),
        doc=_doc(data.get("doc")),
        gold_sections=_str_list(data.get("gold_sections", []), "gold_sections"),
        key_facts=_key_facts(data.get("key_facts", [])),
        category=_require(data, "category", str),
        history=_history(data.get("history", [])),
    )
    if question.answerable and not (question.doc or question.gold_sections):
        raise ValueError("an answerable question needs 'doc' or 'gold_sections' to score retrieval")
    return question


def parse_questions(lines: Iterable[str], source: str = "<questions>") -> list[Question]:
    """Parse JSON lines (blank lines skipped); errors name `source` and the 1-based line."""
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            question = parse_question(json.loads(line))
        except json.JSONDecodeError as exc:
            raise QuestionsError(f"{source} line {number}: invalid JSON ({exc.msg})") from None
        except ValueError as exc:
            raise QuestionsError(f"{source} line {number}: {exc}") from None
        if question.id in seen:
            raise QuestionsError(f"{source} line {number}: duplicate id '{question.id}'")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise QuestionsError(f"{source}: no questions")
    return questions


def load_questions(path: Path) -> list[Question]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QuestionsError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise QuestionsError(f"{path} is not UTF-8 text") from None
    return parse_questions(text.splitlines(), str(path))
