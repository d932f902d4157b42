"""Keep only the sentences of an LLM reply that the passages they cite support (pure).

A sentence survives when it carries at least one `[n]` marker naming an existing source and
`assistant.grounding.is_supported` accepts it (minus markers and list enumerator) against the texts of
the sources it cites — only those: a sentence that some *other* passage would support is still dropped,
because its citation would be wrong. Markers naming no source are removed from kept sentences. Kept
markers are renumbered 1..M in order of first appearance; only the cited sources are returned, with
their new numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.grounding import (
    DEFAULT_TAU,
    bigram_precision,
    is_supported,
    markers,
    split_sentences,
    strip_markers,
)
from assistant.models import Citation

_MARKER = re.compile(r"\[(\d{1,2})\]")  # [1]…[99]; the [2008] of a 文号 (劳社部发[2008]3号) is text
_REPEATED_MARKER = re.compile(r"(\[\d{1,2}\])\1+")
# A list enumerator opening a line ("1. ", "2、", "（三）", "- ") is layout, not a figure to verify.
_ENUMERATOR = re.compile(
    r"^\s*(?:[-*•·]|\d{1,2}(?:\.(?!\d)|[、)）])|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)\s*"
)
# A sentence ending like this is joined to the next without a line break; anything else was its own line.
_ENDS_SENTENCE = re.compile(r"[。！？!?；;]\s*(?:\[\d{1,2}\])*$")


@dataclass(frozen=True)
class VerifiedAnswer:
    answer: str
    citations: list[Citation]
    dropped_sentences: list[str]


def verify_answer(text: str, sources: Sequence[Citation], tau: float = DEFAULT_TAU) -> VerifiedAnswer:
    by_label = {source.n: source for source in sources}
    kept: list[str] = []
    dropped: list[str] = []
    for sentence in split_sentences(text):
        if _supported(sentence, by_label, tau):
            kept.append(sentence)
        elif strip_markers(sentence).strip():
            dropped.append(strip_markers(sentence).strip())
    new_label = _renumber(kept, by_label)
    sentences = [_relabel(sentence, new_label) for sentence in kept]
    citations = [_cited(by_label[old], new, sentences) for old, new in new_label.items()]
    return VerifiedAnswer(answer=_join(sentences), citations=citations, dropped_sentences=dropped)


def _supported(sentence: str, by_label: dict[int, Citation], tau: float) -> bool:
    cited = _cited_labels(sentence, by_label)
    if not cited:
        return False
    return is_supported(_claim(sentence), [by_label[n].text for n in cited], tau)


def _claim(sentence: str) -> str:
    """What the sentence asserts: no citation markers, no list enumerator."""
    return _ENUMERATOR.sub("", strip_markers(sentence))


def _cited_labels(sentence: str, by_label: dict[int, Citation]) -> list[int]:
    return list(dict.fromkeys(n for n in markers(sentence) if n in by_label))


def _renumber(kept: Sequence[str], by_label: dict[int, Citation]) -> dict[int, int]:
    """Old label -> new label, numbered by first appearance in the kept sentences."""
    new_label: dict[int, int] = {}
    for sentence in kept:
        for old in _cited_labels(sentence, by_label):
            new_label.setdefault(old, len(new_label) + 1)
    return new_label


def _relabel(sentence: str, new_label: dict[int, int]) -> str:
    def swap(match: re.Match[str]) -> str:
        new = new_label.get(int(match.group(1)))
        return f"[{new}]" if new is not None else ""

    return _REPEATED_MARKER.sub(r"\1", _MARKER.sub(swap, sentence))


def _join(sentences: Sequence[str]) -> str:
    out = ""
    for sentence in sentences:
        if out:
            out += "" if _ENDS_SENTENCE.search(out) else "\n"
        out += sentence
    return out


def _cited(source: Citation, new: int, sentences: Sequence[str]) -> Citation:
    claims = [_claim(s) for s in sentences if new in markers(s)]
    return replace(source, n=new, quote=_best_quote(source.text, claims) or source.quote)


def _best_quote(passage: str, claims: Sequence[str]) -> str:
    """The passage sentences that best match each claim, in passage order — for highlighting."""
    candidates = split_sentences(passage)
    if not candidates:
        return ""
    chosen = {max(candidates, key=lambda c: bigram_precision(claim, [c])) for claim in claims}
    return "".join(c for c in candidates if c in chosen)
