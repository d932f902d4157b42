"""Prompt templates of the LLM answer mode: read from prompts/*.txt, filled with str.format."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.engine_api import Message
from assistant.models import Citation

SYSTEM_FILE = "system.txt"
ANSWER_FILE = "answer.txt"
REWRITE_FILE = "rewrite_followup.txt"

# The placeholders a filled template must contain (and the only ones it may contain);
# the system prompt is sent as is.
_FIELDS: dict[str, frozenset[str]] = {
    ANSWER_FILE: frozenset({"sources", "question"}),
    REWRITE_FILE: frozenset({"history", "question"}),
}
# A follow-up is resolved against recent turns only; long answers are cut to keep the prompt small.
HISTORY_TURNS = 6
HISTORY_CHARS = 300
_ROLE_LABEL = {"user": "用户", "assistant": "助手"}


class PromptError(ValueError):
    """A prompt template is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class PromptSet:
    system: str
    answer: str
    rewrite: str

    @classmethod
    def load(cls, prompts_dir: Path) -> PromptSet:
        return cls(
            system=_read_template(prompts_dir / SYSTEM_FILE),
            answer=_read_template(prompts_dir / ANSWER_FILE),
            rewrite=_read_template(prompts_dir / REWRITE_FILE),
        )

    def answer_prompt(self, question: str, sources: Sequence[Citation]) -> str:
        return self.answer.format(sources=format_sources(sources), question=question.strip())

    def rewrite_prompt(self, question: str, history: Sequence[Message]) -> str:
        return self.rewrite.format(history=format_history(history), question=question.strip())


def _read_template(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise PromptError(f"prompt template not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PromptError(f"cannot read prompt template {path}: {exc}") from None
    if not text:
        raise PromptError(f"prompt template is empty: {path}")
    if path.name in _FIELDS:
        _check_fields(path, text, _FIELDS[path.name])
    return text


def _check_fields(path: Path, text: str, wanted: frozenset[str]) -> None:
    try:
        found = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:  # a lone "{" or "}" (literal braces must be doubled)
        raise PromptError(f"prompt template {path} is malformed: {exc}") from None
    if found != wanted:
        expected = ", ".join(f"{{{f}}}" for f in sorted(wanted)) or "no placeholders"
        got = ", ".join(f"{{{f}}}" for f in sorted(found)) or "none"
        raise PromptError(f"prompt template {path} must contain {expected}; found {got}")


def format_sources(sources: Sequence[Citation]) -> str:
    """Label each passage `[n] 《title》(文号) 章节：section` followed by its text, blank line between."""
    return "\n\n".join(_format_source(c) for c in sources)


def _format_source(source: Citation) -> str:
    head = f"[{source.n}] 《{source.title.strip('《》')}》"
    if source.doc_number:
        head += f"({source.doc_number})"
    if source.section:
        head += f" 章节：{source.section}"
    return f"{head}\n{source.text.strip()}"


def format_history(history: Sequence[Message]) -> str:
    lines = []
    for message in history[-HISTORY_TURNS:]:
        content = " ".join(message.content.split())
        if len(content) > HISTORY_CHARS:
            content = content[:HISTORY_CHARS] + "…"
        lines.append(f"{_ROLE_LABEL[message.role]}：{content}")
    return "\n".join(lines)
