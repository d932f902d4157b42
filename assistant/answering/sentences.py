"""Sentence-level helpers over passages (pure): split with offsets, score against a question."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.textnorm import match_key

_END = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Span:
    text: str
    start: int  # offset inside the passage
    end: int


def sentences(text: str) -> list[Span]:
    """Sentences of a passage with their offsets; terminators stay with their sentence."""
    spans = []
    for m in _END.finditer(text):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if len(body) >= 2:
            spans.append(Span(body, m.start() + lead, m.start() + lead + len(body)))
    return spans


def clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"(?<=[，,：:])", sentence) if c.strip()]


# A quantity in Chinese numerals: a number word with a unit or a bound (五年, 一万元以上, 三个工作日,
# 百分之六十, 二倍); ordinals (第一), "一是", "之一", "进一步" are not quantities.
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGIT = "零〇一二两三四五六七八九十"
_CN_FIGURE = re.compile(
    rf"百分之[{_CN_NUM}]+|(?<![第之进统唯{_CN_NUM}])[百千万亿]*[{_CN_DIGIT}][{_CN_NUM}]*(?:点[{_CN_NUM}]+)?\s*"
    r"(?:万元|亿元|元|倍|周年|年|个月|个工作日|工作日|日|天|小时|件|家|个|项|名|人|次(?!性)|%|以上|以下|以内)"
)


def has_figure(text: str) -> bool:
    """A figure in Arabic digits or a quantity in Chinese numerals."""
    return bool(_DIGIT.search(text) or _CN_FIGURE.search(text))


# Years, periods, item numbers and "N年以上" qualify a target; they are not the figure asked for.
_NOT_TARGET = re.compile(
    r"(?:19|20)\d{2}\s*(?:[—\-–~至到]\s*(?:19|20)?\d{2,4})?\s*年?(?:底|末|前|内|度)?"
    r"|^\s*\d{1,2}\s*[.、．]|[（(]\s*\d{1,2}\s*[）)]|\d+\s*年以[上下]|[〇零一二三四五六七八九]{4}年"
    r"|[〇零一二三四五六七八九十]{1,3}月[〇零一二三四五六七八九十]{1,3}日|\d{1,2}\s*月\s*\d{1,2}\s*日"
)


def has_target_figure(text: str) -> bool:
    """A figure other than a year, a period or an item number: what 多少/几个 questions ask for."""
    return has_figure(_NOT_TARGET.sub("", text))


def cn_figures(text: str) -> list[str]:
    """The Chinese-numeral quantities of a text, as written."""
    return [m.group(0) for m in _CN_FIGURE.finditer(text)]


def bigram_set(text: str) -> set[str]:
    key = re.sub(r"[\W_]+", "", match_key(text))
    return {key[i : i + 2] for i in range(len(key) - 1)}


def overlap(question_grams: set[str], text: str) -> float:
    """Share of the question's bigrams found in the text."""
    if not question_grams:
        return 0.0
    return len(question_grams & bigram_set(text)) / len(question_grams)


def term_hits(terms: Sequence[str], text: str) -> float:
    """Length-weighted share of terms occurring in the text."""
    key = match_key(text)
    total = sum(len(t) for t in terms)
    return sum(len(t) for t in terms if t in key) / total if total else 0.0


def fuzzy_term_hits(terms: Sequence[str], text: str) -> float:
    """term_hits, with part credit for a long term written slightly differently in the passage
    (每万人发明专利拥有量 in the question, 每万人口发明专利拥有量 in the document)."""
    key = match_key(text)
    grams = bigram_set(text)
    total = sum(len(t) for t in terms)
    got = 0.0
    for term in terms:
        if term in key:
            got += len(term)
        elif len(term) >= 4:
            term_grams = bigram_set(term)
            share = len(term_grams & grams) / len(term_grams) if term_grams else 0.0
            got += len(term) * share if share >= 0.7 else 0.0
    return got / total if total else 0.0
