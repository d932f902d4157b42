"""Sentence candidates (pure): every sentence of the best passages scored against the question, the
common ground of the list, number, responsibility and explanation composers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answering.context import Context
from assistant.answering.history import asked_verbs
from assistant.answering.question import ABOUT_DOCUMENT
from assistant.answering.sentences import (
    Span,
    absence_said,
    fuzzy_term_hits,
    introduces_asked_kind,
    lead_ins,
    local_weights,
    overlap,
    polarity_clash,
    prohibition_said,
    sentences,
    states_method,
    term_hits,
)
from assistant.answering.support import asking_clause
from assistant.grounding import is_supported
from assistant.ingest.headnotes import is_note
from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.fusion import RankedHit
from assistant.textnorm import match_key

MAX_SOURCES = 6


@dataclass(frozen=True)
class Candidate:
    score: float
    hit: RankedHit
    span: Span


FigureTest = Callable[[str], bool]


def sentence_candidates(ctx: Context, need_figure: FigureTest | None) -> list[Candidate]:
    found = []
    # a comparison interleaves the documents' results: read as deep into each as a single search
    depth = MAX_SOURCES if len(ctx.target_docs) < 2 else 3 * len(ctx.target_docs)
    weights = focused(ctx, local_weights(ctx.terms, [h.chunk.text for h in ctx.hits[:depth]]))
    # a head note (…会议通过, …令第N号公布) records the document's history: no answer to its content
    notes_answer = ctx.info.qtype in ABOUT_DOCUMENT or bool(asked_verbs(ctx.info.text))
    asked = asking_clause(ctx.info.text)
    for rank, hit in _read_hits(ctx, depth):
        # for a figure, the words its heading says pick the passage; the others pick the sentence
        path = match_key(hit.chunk.section_path)
        inside = [t for t in ctx.terms if match_key(t) not in path] if need_figure is not None else []
        meta = ctx.docs.get(hit.chunk.doc_id)
        before = ""
        spans = sentences(hit.chunk.text)
        for span, lead in zip(spans, lead_ins(spans), strict=True):
            # a figure's clause after 「；」 continues its rule (…罚款；没有违法所得的，处…), and an item its
            # list's lead-in (有下列情形之一的，终止调解：…（五）…四十五个工作日内…): their words count
            context = lead.text if lead else (before if before.rstrip().endswith(("；", ";")) else "")
            before = span.text
            if need_figure is not None and not need_figure(span.text):
                continue
            if meta is not None and match_key(span.text.rstrip("。")) == match_key(meta.title):
                continue  # the document's title line answers nothing
            if not notes_answer and hit.chunk.kind == "preamble" and is_note(span.text.strip()):
                continue
            said = fuzzy_term_hits(inside or ctx.terms, span.text, weights)
            if context and need_figure is not None:
                said = max(
                    said, _CONTINUED * fuzzy_term_hits(inside or ctx.terms, context + span.text, weights)
                )
            score = 0.55 * said + 0.3 * overlap(set(ctx.grams), span.text)
            if need_figure is not None and said >= 1.0 and len(ctx.terms) >= 2:
                # a figure's sentence with every word of the question outweighs a better-ranked passage
                score += 0.1
            score += 0.15 / (1 + rank) + 0.15 * term_hits(ctx.terms, hit.chunk.section_path)
            if ctx.info.years and any(y in span.text for y in ctx.info.years):
                score += 0.1
            if hit.chunk.doc_id in ctx.target_docs:
                score += 0.1
            if polarity_clash(ctx.info.text, span.text):
                score -= 0.15
            if absence_said(ctx.info.text, span.text) or prohibition_said(asked, span.text):
                score += 0.1
            if introduces_asked_kind(ctx.info.text, span.text) or states_method(ctx.info.text, span.text):
                score += 0.2
            found.append(Candidate(score, hit, span))
    found.sort(key=lambda c: -c.score)
    return _closer_in_meaning(ctx, found)


def _is_outline(chunk: Chunk) -> bool:
    """A long section's chunk lists its parts' headings (an article's first clause, cut short), not
    its text: shorter than the span it stands for."""
    return chunk.kind == "section" and len(chunk.text) < chunk.end - chunk.start


def _read_hits(ctx: Context, depth: int) -> list[tuple[int, RankedHit]]:
    """(rank, hit) of the passages to read sentences from: not an outline, whose lines are headings cut
    short, never sentences of the text."""
    return [(rank, hit) for rank, hit in enumerate(ctx.hits[:depth]) if not _is_outline(hit.chunk)]


# a colloquial question (账本在他手里，他就是不交) whose words no sentence writes: below this share of its terms
# in every sentence, the sentences closest in meaning gain (above a floor of closeness)
_WEAKLY_SAID = 0.5
_MEANING_FLOOR = 0.75
_MEANING_WEIGHT = 0.5
_MEANING_POOL = 12


def _closer_in_meaning(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """Where the question's words pick no sentence, the sentence closest to it in meaning moves up."""
    if ctx.similarity is None or not found:
        return found
    if ctx.terms and max(term_hits(ctx.terms, c.span.text) for c in found) >= _WEAKLY_SAID:
        return found
    pool = found[:_MEANING_POOL]  # the model runs on the best few only: its cost grows with each sentence
    closeness = ctx.similarity([c.span.text for c in pool])
    lifted = [
        Candidate(c.score + _MEANING_WEIGHT * max(0.0, near - _MEANING_FLOOR), c.hit, c.span)
        for c, near in zip(pool, closeness, strict=True)
    ]
    return sorted([*lifted, *found[_MEANING_POOL:]], key=lambda c: -c.score)


CLOSE = 0.7  # a candidate scoring at least this share of the best scores almost as well
_CONTINUED = 0.9  # the words of the rule a clause continues count, a little less than its own


def is_head_note(cand: Candidate) -> bool:
    """The candidate is a note of the document's head (…会议通过, …令第N号公布): its history, which
    answers no question about its content."""
    return cand.hit.chunk.kind == "preamble" and is_note(cand.span.text.strip())


# Document types that set out a government's plans («某省提出，…»); the others lay down rules
# («《X条例》规定，…»). Generic Chinese document types, not one corpus's.
_PLAN_GENRES = frozenset("方案 意见 规划 纲要 指引 通知 计划 要点 措施 指南".split())


def subject_of(meta: DocumentMeta | None) -> str:
    """Who says it, to lead a line of a comparison: the region of a plan, else the document."""
    if meta is None:
        return ""
    if meta.region and meta.level in {"省", "市", "区", "县"} and (meta.genre or "方案") in _PLAN_GENRES:
        return f"{meta.region}提出，"
    return f"《{meta.title}》规定，"


def clause_score(ctx: Context, clause: str) -> float:
    return fuzzy_term_hits(ctx.terms, clause) + 0.5 * overlap(set(ctx.grams), clause)


def focused(ctx: Context, weights: dict[str, float]) -> dict[str, float]:
    """Words of the asking clause weigh more than the scope before it: in 「在森林覆盖目标里，对统计工作
    有什么要求」 统计 is what is asked, 森林覆盖 only where to look."""
    clause = match_key(asking_clause(ctx.info.text))
    asked = {t for t in weights if t in clause}
    if not asked or len(asked) == len(weights):
        return weights  # the whole question asks (or the clause names none of its words)
    return {t: w * (_FOCUS if t in asked else 1.0) for t, w in weights.items()}


_FOCUS = 1.5


def supported_line(candidates: Sequence[str], passage: str) -> str:
    """The first phrasing its passage supports (a short clause with a subject may not be)."""
    for text in candidates:
        if is_supported(text, [passage]):
            return text
    return candidates[-1]
