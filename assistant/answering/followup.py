"""Resolving elliptical follow-up turns without an LLM (pure).

"那特色型的呢？" after a 支撑型 question → the previous question with 特色型 in place of 支撑型;
"每万人口发明专利拥有量呢？" after a 吉林省 question → "吉林省每万人口发明专利拥有量是多少".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.answering.question import TIERS

_LEAD = re.compile(r"^(那么|那|还有|再问一下|另外|那个|然后)[，,\s]*")
_TAIL = re.compile(r"(的呢|呢|的情况呢|怎么样|如何)?[？?。！!\s]*$")
_QUESTION_WORDS = re.compile(r"什么|哪些|多少|几|何时|哪|怎么|如何|是否|吗|谁|有没有")

Finder = Callable[[str], Sequence[str]]


def is_elliptical(question: str) -> bool:
    q = question.strip()
    short = len(q) <= 16
    return (
        bool(_LEAD.match(q))
        or (short and bool(re.search(r"呢[？?]?\s*$", q)))
        or (short and not _QUESTION_WORDS.search(q))
    )


def last_user_question(history: Sequence[tuple[str, str]]) -> str | None:
    for role, content in reversed(history):
        if role == "user" and content.strip():
            return content.strip()
    return None


def _core(question: str) -> str:
    return _TAIL.sub("", _LEAD.sub("", question.strip())).strip()


def _swap(previous: str, new_items: Sequence[str], vocabulary: Sequence[str]) -> str | None:
    """Replace the first term of `vocabulary` in the previous question by the new one."""
    old = [v for v in vocabulary if v in previous and v not in new_items]
    if not new_items or not old:
        return None
    return previous.replace(old[0], new_items[0])


def rewrite(question: str, history: Sequence[tuple[str, str]], places: Finder, docs: Finder) -> str:
    """A standalone question; unchanged when it is not an elliptical follow-up or nothing to inherit."""
    previous = last_user_question(history)
    if previous is None or not is_elliptical(question):
        return question
    core = _core(question)
    tiers = [t for t in TIERS if t in core]
    for swapped in (
        _swap(previous, tiers, TIERS),
        _swap(previous, list(places(core)), list(places(previous))),
    ):
        if swapped:
            return swapped
    new_docs, old_docs = list(docs(core)), list(docs(previous))
    if new_docs and old_docs and new_docs[0] != old_docs[0]:
        return previous.replace(old_docs[0], new_docs[0])
    if places(core) or new_docs:
        # "吉林省呢？" with nothing to swap: ask the previous question about the new subject
        return f"{core}{_strip_subject(previous, places, docs)}"
    inherited = "".join(list(places(previous))[:1] or list(docs(previous))[:1])
    return f"{inherited}{core}是多少" if _asks_amount(previous) else f"{inherited}{core}"


def _asks_amount(previous: str) -> bool:
    return bool(re.search(r"多少|目标|达到|比例|几", previous))


def _strip_subject(previous: str, places: Finder, docs: Finder) -> str:
    text = previous
    for name in [*places(previous), *docs(previous)]:
        text = text.replace(name, "")
    return text
