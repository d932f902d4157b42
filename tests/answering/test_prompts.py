from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answering.prompts import PromptError, PromptSet, format_history, format_sources
from assistant.engine_api import Message

from .passages import NATIONAL_PRINCIPLES, sources

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"


@pytest.fixture
def prompts_copy(tmp_path: Path) -> Path:
    target = tmp_path / "prompts"
    shutil.copytree(PROMPTS_DIR, target)
    return target


def test_shipped_prompts_load() -> None:
    prompts = PromptSet.load(PROMPTS_DIR)

    assert "未找到" in prompts.system
    assert "[n]" in prompts.answer


def test_answer_prompt_contains_labelled_sources_and_question() -> None:
    prompt = PromptSet.load(PROMPTS_DIR).answer_prompt("  方案的工作方针是什么？ ", sources())

    assert format_sources(sources()) in prompt
    assert "方案的工作方针是什么？" in prompt


def test_format_sources_labels_each_passage() -> None:
    text = format_sources(sources())

    blocks = text.split("\n\n")
    assert len(blocks) == 3
    label = "[3] 《加快推进知识产权强省建设工作方案（试行）》(国知发管字〔2015〕59号)"
    assert blocks[2] == f"{label} 章节：一、总体思路 › (二) 工作方针\n{NATIONAL_PRINCIPLES}"


def test_format_sources_omits_unknown_number_and_section() -> None:
    bare = replace(sources()[0], title="《某方案》", doc_number=None, section="")

    assert format_sources([bare]) == f"[1] 《某方案》\n{bare.text}"


def test_format_history_keeps_recent_turns_and_cuts_long_ones() -> None:
    history = [Message("user", f"问题{i}") for i in range(10)] + [Message("assistant", "长" * 1000)]

    lines = format_history(history).splitlines()

    assert len(lines) == 6
    assert lines[0] == "用户：问题5"
    assert lines[-1].startswith("助手：长") and lines[-1].endswith("…") and len(lines[-1]) < 400


@pytest.mark.parametrize("name", ["system.txt", "answer.txt", "rewrite_followup.txt"])
def test_missing_template_is_named(prompts_copy: Path, name: str) -> None:
    (prompts_copy / name).unlink()

    with pytest.raises(PromptError, match=name):
        PromptSet.load(prompts_copy)


def test_template_without_a_placeholder_is_rejected(prompts_copy: Path) -> None:
    (prompts_copy / "answer.txt").write_text("问题：{question}", encoding="utf-8")

    with pytest.raises(PromptError, match=r"answer\.txt must contain \{question\}, \{sources\}"):
        PromptSet.load(prompts_copy)


def test_template_with_a_stray_brace_is_rejected(prompts_copy: Path) -> None:
    (prompts_copy / "rewrite_followup.txt").write_text("{history} {question} {", encoding="utf-8")

    with pytest.raises(PromptError, match="malformed"):
        PromptSet.load(prompts_copy)


def test_empty_template_is_rejected(prompts_copy: Path) -> None:
    (prompts_copy / "system.txt").write_text("  \n", encoding="utf-8")

    with pytest.raises(PromptError, match="empty"):
        PromptSet.load(prompts_copy)
