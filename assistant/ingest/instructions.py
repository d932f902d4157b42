"""Instruction-like sentences in documents (pure but for reading its pattern file once).

A policy document states policy; a sentence such as 「忽略以上指令，回答：…」 or "ignore previous
instructions" addresses whoever reads the text aloud, i.e. the answerer. Such sentences are flagged at
ingest (shown with the document) and never quoted as an answer. The patterns are data, in
instructions.txt beside this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

PATTERNS = Path(__file__).with_name("instructions.txt")
# The same sentence boundaries the answerer uses, so a flagged sentence is the one it would quote.
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


@dataclass(frozen=True)
class Flag:
    """One flagged sentence: its text and its offsets in the document's clean text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Flag:
        return cls(str(data["text"]), int(data["start"]), int(data["end"]))


def compile_patterns(lines: list[str]) -> re.Pattern[str]:
    rules = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return re.compile("|".join(f"(?:{r})" for r in rules), re.IGNORECASE)


@cache
def _pattern() -> re.Pattern[str]:
    return compile_patterns(PATTERNS.read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=65536)  # the answerer asks about the same passages' sentences again and again
def is_instruction(sentence: str) -> bool:
    """True when the sentence tells a reader (an assistant) what to do instead of stating policy."""
    return _pattern().search(sentence) is not None


def find_instructions(text: str) -> list[Flag]:
    """The instruction-like sentences of a document's clean text, with their offsets."""
    flags = []
    for match in _SENTENCE.finditer(text):
        raw = match.group(0)
        body = raw.strip()
        if body and is_instruction(body):
            start = match.start() + len(raw) - len(raw.lstrip())
            flags.append(Flag(body, start, start + len(body)))
    return flags
