"""Fusing dense and keyword rankings with structure signals (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.models import Chunk, Hit


@dataclass(frozen=True)
class FusionWeights:
    dense: float = 1.0
    keyword: float = 1.0
    heading: float = 0.03  # all question terms found in the chunk's headings
    doc: float = 0.02  # the question names this chunk's document
    rare: float = 0.02  # all of the question's rare terms occur in the chunk
    quote: float = 0.02  # the chunk contains a long run of the question word for word
    rrf_k: int = 60


@dataclass(frozen=True)
class RankedHit:
    """A fused result with its evidence, kept for abstention and debugging."""

    row: int
    chunk: Chunk
    score: float
    dense: float  # cosine similarity (0 when not among dense candidates)
    keyword: float  # BM25 score
    heading: float  # share of question terms in the heading path, 0..1
    doc_preferred: bool

    @property
    def hit(self) -> Hit:
        return Hit(self.chunk, self.score)


def rrf(rank: int | None, k: int) -> float:
    return 0.0 if rank is None else 1.0 / (k + rank + 1)


def heading_overlap(terms: Sequence[str], headings: str) -> float:
    """Share of (weighted by length) question terms that occur in the heading path."""
    return _overlap_of(terms)(headings)


def _overlap_of(terms: Sequence[str]) -> Callable[[str], float]:
    """heading_overlap with the terms' lengths summed once: fusion scores a hundred rows per query."""
    weighted = [(t, len(t)) for t in terms]
    total = sum(n for _, n in weighted)
    if not total:
        return lambda _text: 0.0
    return lambda text: sum(n for t, n in weighted if t in text) / total


QUOTE_CHARS = 8  # a run of the question this long found word for word names the passage it is from


def quoted_runs(question: str) -> list[str]:
    """Every run of QUOTE_CHARS Chinese characters of the question (「编制发布年度绿色农业发展白皮书」 is the
    passage's own wording; a shorter run is a common phrase)."""
    runs = re.findall(rf"[\u4e00-\u9fff]{{{QUOTE_CHARS},}}", question)
    return list(dict.fromkeys(r[i : i + QUOTE_CHARS] for r in runs for i in range(len(r) - QUOTE_CHARS + 1)))


def fuse(
    chunks: Sequence[Chunk],
    dense: Sequence[tuple[int, float]],
    keyword: Sequence[tuple[int, float]],
    *,
    heading_terms: Sequence[str] = (),
    preferred_docs: frozenset[str] = frozenset(),
    headings_of: Mapping[int, str] | None = None,
    rare_terms: Sequence[str] = (),
    texts_of: Mapping[int, str] | None = None,
    quotes: Sequence[str] = (),
    weights: FusionWeights = FusionWeights(),
) -> list[RankedHit]:
    """Weighted reciprocal-rank fusion plus heading and document bonuses, best first."""
    dense_rank = {row: i for i, (row, _) in enumerate(dense)}
    dense_score = dict(dense)
    kw_rank = {row: i for i, (row, _) in enumerate(keyword)}
    kw_score = dict(keyword)
    heading_share, rare_share = _overlap_of(heading_terms), _overlap_of(rare_terms)
    # one alternation instead of a dozen substring scans per row
    quoted = re.compile("|".join(map(re.escape, quotes))) if quotes else None
    results = []
    for row in dense_rank.keys() | kw_rank.keys():
        chunk = chunks[row]
        headings = headings_of[row] if headings_of is not None else chunk.section_path
        overlap = heading_share(headings)
        preferred = chunk.doc_id in preferred_docs
        text = texts_of[row] if texts_of is not None else chunk.text.lower()  # tokens are lower-cased
        rare = rare_share(text)
        score = (
            weights.dense * rrf(dense_rank.get(row), weights.rrf_k)
            + weights.keyword * rrf(kw_rank.get(row), weights.rrf_k)
            + weights.heading * overlap
            + (weights.doc if preferred else 0.0)
            + weights.rare * rare
            + (weights.quote if quoted and quoted.search(text) else 0.0)
        )
        results.append(
            RankedHit(
                row, chunk, score, dense_score.get(row, 0.0), kw_score.get(row, 0.0), overlap, preferred
            )
        )
    results.sort(key=lambda h: (-h.score, h.row))
    return results
