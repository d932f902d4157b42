"""Is a sentence supported by passages? Shared by the eval metrics and LLM answer verification (pure).

Support = character-bigram precision of the sentence against the passages ≥ τ, and every figure
(number, percentage, year/date) in the sentence also appears in the passages, compared after NFKC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.textnorm import match_key

DEFAULT_TAU = 0.6

MARKER = re.compile(r"\[(\d{1,2})\]")  # [1]…[99]; the [2008] of a 文号 (劳社部发[2008]3号) is text
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:%|‰)?")
# Chinese numerals that carry a quantity (not list ordinals like （二）).
_CJK_FIGURE = re.compile(r"[零一二两三四五六七八九十百千万亿]+(?=[个项件家所名%％倍年月日])")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def strip_markers(text: str) -> str:
    return MARKER.sub("", text)


def markers(text: str) -> list[int]:
    return [int(m) for m in MARKER.findall(text)]


def split_sentences(text: str) -> list[str]:
    """Split answer text into sentences, keeping `[n]` markers with the sentence they follow."""
    pieces: list[str] = []
    for line in text.splitlines():
        parts = _SENTENCE_END.split(line)
        for part in parts:
            if not part.strip():
                continue
            # a marker right after the terminator belongs to the previous sentence
            lead = re.match(r"^\s*((?:\[\d{1,2}\])+)", part)
            if lead and pieces:
                pieces[-1] += lead.group(1)
                part = part[lead.end() :]
            if part.strip():
                pieces.append(part.strip())
    return pieces


def figures(text: str) -> set[str]:
    """Numbers, percentages and CJK quantities in a text, normalised for comparison."""
    key = match_key(strip_markers(text))
    found = set(_FIGURE.findall(key))
    found |= set(_CJK_FIGURE.findall(key))
    return found


def _bigrams(text: str) -> list[str]:
    key = _PUNCT.sub("", match_key(strip_markers(text)))
    return [key[i : i + 2] for i in range(len(key) - 1)] if len(key) > 1 else ([key] if key else [])


def bigram_precision(sentence: str, passages: Sequence[str]) -> float:
    """Share of the sentence's character bigrams found in the passages."""
    grams = _bigrams(sentence)
    if not grams:
        return 0.0
    pool: set[str] = set()
    for passage in passages:
        pool.update(_bigrams(passage))
    return sum(1 for g in grams if g in pool) / len(grams)


def figures_supported(sentence: str, passages: Sequence[str]) -> bool:
    """Every figure of the sentence occurs as a figure in the passages."""
    wanted = figures(sentence)
    if not wanted:
        return True
    have: set[str] = set()
    for passage in passages:
        have |= figures(passage)
    return wanted <= have


def is_supported(sentence: str, passages: Iterable[str], tau: float = DEFAULT_TAU) -> bool:
    texts = [p for p in passages if p]
    if not texts:
        return False
    return bigram_precision(sentence, texts) >= tau and figures_supported(sentence, texts)
