"""Counting the questions a corpus answers (shared by tests/formats and bench/formats.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.evaluation.metrics import all_facts_match
from assistant.evaluation.questions import Question


def answered_ids(engine: Any, questions: Sequence[Question]) -> set[str]:
    """Ids of the questions answered without refusal and with every key fact. Only the answer is
    needed, so this skips the retrieval scoring `policyqa eval` adds."""
    out: set[str] = set()
    for question in questions:
        answer = engine.ask(question.question, question.history)
        if not answer.abstained and all_facts_match(answer.answer, question.key_facts):
            out.add(question.id)
    return out
