"""Evaluation metrics (pure): ranking, key facts, ALCE-style citation quality, refusals, latency.

Support is always decided by `assistant.grounding.is_supported`, the same function the LLM answer
verification uses, so a swapped figure ("4.5件" for "4.2件") is unsupported here too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.grounding import DEFAULT_TAU, is_supported, markers, split_sentences, strip_markers
from assistant.textnorm import match_key

# ---------------------------------------------------------------- ranking (binary relevance)


def section_matches(section_path: str, gold_sections: Sequence[str]) -> bool:
    """A section path matches when it contains any gold heading, both compared by `match_key`."""
    path = match_key(section_path)
    return any(match_key(g) and match_key(g) in path for g in gold_sections)


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    return 1.0 if any(relevant[:k]) else 0.0


def recall_at_k(relevant: Sequence[bool], k: int, n_relevant: int) -> float:
    """Share of the `n_relevant` relevant items found in the top k (0 when there are none)."""
    if n_relevant <= 0:
        return 0.0
    return min(sum(relevant[:k]), n_relevant) / n_relevant


def gold_recall_at_k(section_paths: Sequence[str], gold_sections: Sequence[str], k: int) -> float:
    """Share of gold headings that at least one of the top-k section paths contains."""
    if not gold_sections:
        return 0.0
    top = section_paths[:k]
    return sum(1 for g in gold_sections if any(section_matches(p, [g]) for p in top)) / len(gold_sections)


def mrr_at_k(relevant: Sequence[bool], k: int) -> float:
    for rank, rel in enumerate(relevant[:k], start=1):
        if rel:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(relevant: Sequence[bool], k: int, n_relevant: int | None = None) -> float:
    """Binary nDCG; the ideal ranking has `n_relevant` hits (default: the relevant items in the list)."""
    dcg = sum(1.0 / math.log2(i + 2) for i, rel in enumerate(relevant[:k]) if rel)
    n_ideal = min(k, sum(relevant) if n_relevant is None else n_relevant)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(n_ideal))
    return dcg / idcg if idcg else 0.0


# ---------------------------------------------------------------- key facts


def fact_present(answer_text: str, aliases: Sequence[str]) -> bool:
    text = match_key(strip_markers(answer_text))
    return any(match_key(a) and match_key(a) in text for a in aliases)


def missing_facts(answer_text: str, key_facts: Sequence[Sequence[str]]) -> list[str]:
    """The first alias of every key fact the answer does not contain."""
    return [aliases[0] for aliases in key_facts if aliases and not fact_present(answer_text, aliases)]


def key_fact_recall(answer_text: str, key_facts: Sequence[Sequence[str]]) -> float | None:
    """Share of key facts (each a list of aliases) found in the answer; None when there are none."""
    if not key_facts:
        return None
    return 1.0 - len(missing_facts(answer_text, key_facts)) / len(key_facts)


def all_facts_match(answer_text: str, key_facts: Sequence[Sequence[str]]) -> bool:
    return not missing_facts(answer_text, key_facts)


# ---------------------------------------------------------------- citations (ALCE)


@dataclass(frozen=True)
class CitedSentence:
    text: str  # without markers
    cited: tuple[int, ...]  # distinct marker numbers, in order
    passages: tuple[str, ...]  # cited passage texts ("" for a marker with no citation)


def cited_sentences(answer_text: str, citation_texts: Mapping[int, str]) -> list[CitedSentence]:
    """Each answer sentence with the passages its `[n]` markers point to."""
    result = []
    for sentence in split_sentences(answer_text):
        cited = tuple(dict.fromkeys(markers(sentence)))
        passages = tuple(citation_texts.get(n, "") for n in cited)
        result.append(CitedSentence(strip_markers(sentence).strip(), cited, passages))
    return [s for s in result if s.text]


def citation_recall(sentences: Sequence[CitedSentence], tau: float = DEFAULT_TAU) -> float:
    """Share of sentences supported by the union of their own cited passages (uncited → unsupported)."""
    if not sentences:
        return 0.0
    return sum(1 for s in sentences if is_supported(s.text, s.passages, tau)) / len(sentences)


def _precise_citations(sentence: CitedSentence, tau: float) -> int:
    if not is_supported(sentence.text, sentence.passages, tau):
        return 0  # citations of an unsupported sentence are all imprecise
    if len(sentence.passages) == 1:
        return 1
    precise = 0
    for i, passage in enumerate(sentence.passages):
        rest = sentence.passages[:i] + sentence.passages[i + 1 :]
        irrelevant = not is_supported(sentence.text, [passage], tau) and is_supported(
            sentence.text, rest, tau
        )
        precise += 0 if irrelevant else 1
    return precise


def citation_precision(sentences: Sequence[CitedSentence], tau: float = DEFAULT_TAU) -> float:
    """ALCE: a citation is imprecise when its sentence is unsupported, or when it alone does not
    support the sentence and the sentence's other citations still do. 0 when nothing is cited."""
    total = sum(len(s.cited) for s in sentences)
    if not total:
        return 0.0
    return sum(_precise_citations(s, tau) for s in sentences) / total


def grounded_rate(
    sentences: Sequence[CitedSentence], all_passages: Sequence[str], tau: float = DEFAULT_TAU
) -> float:
    """Share of sentences that carry ≥1 marker and are supported by the answer's passages (any of them)."""
    if not sentences:
        return 0.0
    return sum(1 for s in sentences if s.cited and is_supported(s.text, all_passages, tau)) / len(sentences)


def unsupported_sentences(sentences: Sequence[CitedSentence], tau: float = DEFAULT_TAU) -> list[str]:
    return [s.text for s in sentences if not is_supported(s.text, s.passages, tau)]


# ---------------------------------------------------------------- refusals and latency


def share_true(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def refusal_recall(unanswerable_abstained: Sequence[bool]) -> float | None:
    """Share of unanswerable questions the system declined to answer."""
    return share_true(unanswerable_abstained)


def false_refusal_rate(answerable_abstained: Sequence[bool]) -> float | None:
    """Share of answerable questions the system declined to answer."""
    return share_true(answerable_abstained)


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0–100) with linear interpolation, like numpy's default; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def mean(values: Sequence[float | None]) -> float | None:
    """Mean of the defined values; None when no value is defined."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
