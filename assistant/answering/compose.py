"""Extractive answers (pure): pick the passages and sentences that answer, phrase them, cite them.

Every sentence written here is either copied from its cited passage or wraps a short copied span in a
few connecting words, so it stays supported and never states a figure its passage lacks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answering.draft import Draft, Evidence
from assistant.answering.question import TIERS, QType, QuestionInfo
from assistant.answering.sentences import Span, clauses, has_figure, overlap, sentences, term_hits
from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.fusion import RankedHit
from assistant.textnorm import match_key

MAX_SOURCES = 6
_RESPONSIBLE = re.compile(r"[（(]([^（）()]{2,60}?)负责[）)]")
_RESPONSIBLE_LIST = re.compile(r"[（(]?责任单位[：:]([^\n]+?)[）)]?\s*$", re.DOTALL)


@dataclass(frozen=True)
class Context:
    info: QuestionInfo
    terms: tuple[str, ...]  # normalised content terms of the question
    grams: frozenset[str]  # character bigrams of the question
    hits: Sequence[RankedHit]
    doc_chunks: Mapping[str, Sequence[Chunk]]  # every chunk of each document, in text order
    docs: Mapping[str, DocumentMeta]
    target_docs: tuple[str, ...]  # documents the question is about, best first (may be empty)


def compose(ctx: Context) -> Draft:
    """Route by question type; fall back to the best sentences when a specific form does not fit."""
    composers: dict[QType, Callable[[Context], Draft | None]] = {
        QType.ENUMERATION: compose_enumeration,
        QType.NUMBER: compose_number,
        QType.DATE: compose_date,
        QType.DOC_NUMBER: compose_doc_number,
        QType.ISSUER: compose_issuer,
        QType.RESPONSIBILITY: compose_responsibility,
    }
    specific = composers.get(ctx.info.qtype)
    draft = specific(ctx) if specific else None
    return draft if draft and draft.lines else compose_explanation(ctx)


# --- enumeration --------------------------------------------------------------------------------


def _children(chunks: Sequence[Chunk], path: tuple[str, ...]) -> list[Chunk]:
    """The first chunk of each direct sub-section/item of `path`, in text order."""
    depth = len(path)
    firsts: dict[tuple[str, ...], Chunk] = {}
    for chunk in chunks:
        if len(chunk.section) > depth and chunk.section[:depth] == path:
            key = chunk.section[: depth + 1]
            best = firsts.get(key)
            if best is None or _prefer(chunk, best, depth + 1):
                firsts[key] = chunk
    return sorted(firsts.values(), key=lambda c: c.start)


def _prefer(candidate: Chunk, current: Chunk, depth: int) -> bool:
    """Prefer the chunk that is exactly the child (its item or section passage), then the earliest."""
    rank = {"item": 0, "section": 1, "paragraph": 2, "preamble": 3}
    cand = (len(candidate.section) != depth, rank[candidate.kind], candidate.start)
    cur = (len(current.section) != depth, rank[current.kind], current.start)
    return cand < cur


def _tier_conflict(info: QuestionInfo, path: tuple[str, ...]) -> bool:
    joined = "".join(path)
    named = [t for t in TIERS if t in joined]
    return bool(info.tiers) and bool(named) and not any(t in joined for t in info.tiers)


def _list_candidates(ctx: Context) -> dict[tuple[str, tuple[str, ...]], float]:
    scores: dict[tuple[str, tuple[str, ...]], float] = {}
    for rank, hit in enumerate(ctx.hits[:8]):
        section = hit.chunk.section
        for depth in range(len(section), 0, -1):
            path = section[:depth]
            key = (hit.chunk.doc_id, path)
            weight = hit.score / (1 + 0.15 * rank) / (1 + 0.5 * (len(section) - depth))
            scores[key] = scores.get(key, 0.0) + weight
    return scores


def _best_list(ctx: Context) -> tuple[str, tuple[str, ...], list[Chunk]] | None:
    best: tuple[float, str, tuple[str, ...], list[Chunk]] | None = None
    for (doc_id, path), base in _list_candidates(ctx).items():
        if _tier_conflict(ctx.info, path):
            continue
        children = _children(ctx.doc_chunks.get(doc_id, ()), path)
        if len(children) < 2:
            continue
        score = (
            base + 0.12 * term_hits(ctx.terms, path[-1]) + (0.01 if doc_id in ctx.target_docs[:1] else 0.0)
        )
        if best is None or score > best[0]:
            best = (score, doc_id, path, children)
    return None if best is None else best[1:]


def _section_passage(chunks: Sequence[Chunk], path: tuple[str, ...]) -> Chunk | None:
    exact = [c for c in chunks if c.section == path]
    exact.sort(key=lambda c: (c.kind != "section", c.start))
    return exact[0] if exact else None


def _item_line(child: Chunk, depth: int) -> str:
    heading = child.section[depth] if len(child.section) > depth else child.text.split("。")[0]
    heading = heading.strip().rstrip("。；;，,")
    return heading + "。"


def compose_enumeration(ctx: Context) -> Draft | None:
    found = _best_list(ctx)
    if found is None:
        return None
    doc_id, path, children = found
    draft = Draft()
    intro = _section_passage(ctx.doc_chunks.get(doc_id, ()), path)
    if intro is not None:
        # the heading alone introduces the list: connecting words would not be in the passage
        draft.add(f"{path[-1].rstrip('。：:')}：", Evidence(intro, _score_of(ctx, intro), path[-1]))
    for child in children:
        line = _item_line(child, len(path))
        draft.add(line, Evidence(child, _score_of(ctx, child), line.rstrip("。")))
    return draft


def _score_of(ctx: Context, chunk: Chunk) -> float:
    for hit in ctx.hits:
        if hit.chunk.chunk_id == chunk.chunk_id:
            return hit.score
    return 0.0


# --- numbers and targets --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    score: float
    hit: RankedHit
    span: Span


def _sentence_candidates(ctx: Context, need_figure: bool) -> list[_Candidate]:
    found = []
    for rank, hit in enumerate(ctx.hits[:MAX_SOURCES]):
        for span in sentences(hit.chunk.text):
            if need_figure and not has_figure(span.text):
                continue
            score = 0.55 * term_hits(ctx.terms, span.text) + 0.3 * overlap(set(ctx.grams), span.text)
            score += 0.15 / (1 + rank)
            if ctx.info.years and any(y in span.text for y in ctx.info.years):
                score += 0.1
            if hit.chunk.doc_id in ctx.target_docs:
                score += 0.1
            found.append(_Candidate(score, hit, span))
    found.sort(key=lambda c: -c.score)
    return found


def _subject(meta: DocumentMeta | None) -> str:
    if meta is None:
        return ""
    if meta.region and meta.level in {"省", "市", "区", "县"}:
        return f"{meta.region}提出，"
    return ""


def _key_clause(ctx: Context, sentence: str) -> str:
    parts = [c for c in clauses(sentence) if has_figure(c)] or [sentence]
    best = max(parts, key=lambda c: term_hits(ctx.terms, c) + 0.5 * overlap(set(ctx.grams), c))
    return best.strip().rstrip("，,：:。；;")


def compose_number(ctx: Context) -> Draft | None:
    candidates = _sentence_candidates(ctx, need_figure=True)
    if not candidates:
        return None
    picked = _one_per_doc(candidates, ctx) if len(ctx.target_docs) > 1 else candidates[:1]
    draft = Draft()
    for cand in picked:
        meta = ctx.docs.get(cand.hit.chunk.doc_id)
        clause = _key_clause(ctx, cand.span.text)
        evidence = Evidence(cand.hit.chunk, cand.hit.score, cand.span.text)
        draft.add(f"{_subject(meta)}{clause}。", evidence)
        if match_key(clause) != match_key(cand.span.text.rstrip("。；;")):
            draft.add(f"原文为：{cand.span.text.rstrip('。；;')}。", evidence)
    return draft


def _one_per_doc(candidates: Sequence[_Candidate], ctx: Context) -> list[_Candidate]:
    best: dict[str, _Candidate] = {}
    for cand in candidates:
        doc_id = cand.hit.chunk.doc_id
        if doc_id in ctx.target_docs and doc_id not in best:
            best[doc_id] = cand
    return [best[d] for d in ctx.target_docs if d in best] or list(candidates[:1])


# --- metadata: 文号, date, issuer ---------------------------------------------------------------------


def _target_doc(ctx: Context) -> str | None:
    if ctx.target_docs:
        return ctx.target_docs[0]
    return ctx.hits[0].chunk.doc_id if ctx.hits else None


def _chunk_containing(ctx: Context, doc_id: str, needle: str) -> Chunk | None:
    key = match_key(needle)
    for chunk in ctx.doc_chunks.get(doc_id, ()):
        if key and key in match_key(chunk.text):
            return chunk
    return None


def chinese_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _metadata_line(ctx: Context, build: Callable[[DocumentMeta], tuple[str, str] | None]) -> Draft | None:
    doc_id = _target_doc(ctx)
    meta = ctx.docs.get(doc_id) if doc_id else None
    if doc_id is None or meta is None:
        return None
    built = build(meta)
    if built is None:
        return None
    text, needle = built
    chunk = _chunk_containing(ctx, doc_id, needle)
    if chunk is None:
        return None
    evidence = [Evidence(chunk, _score_of(ctx, chunk), needle)]
    titled = _chunk_containing(ctx, doc_id, meta.title)
    if titled is not None and titled.chunk_id != chunk.chunk_id:
        evidence.append(
            Evidence(titled, _score_of(ctx, titled), meta.title)
        )  # the sentence names the title too
    draft = Draft()
    draft.add(text, *evidence)
    return draft


def compose_doc_number(ctx: Context) -> Draft | None:
    return _metadata_line(
        ctx, lambda m: (f"《{m.title}》的文号是{m.doc_number}。", m.doc_number) if m.doc_number else None
    )


def compose_date(ctx: Context) -> Draft | None:
    if not re.search(r"印发|发布|出台|签发|成文|发文|日期|落款|哪天", ctx.info.text):
        return compose_number(ctx)  # a question about a period or deadline, not the document's date

    def build(m: DocumentMeta) -> tuple[str, str] | None:
        if not m.date:
            return None
        day = chinese_date(m.date)
        return f"《{m.title}》的成文日期是{day}。", day

    return _metadata_line(ctx, build)


def compose_issuer(ctx: Context) -> Draft | None:
    def build(m: DocumentMeta) -> tuple[str, str] | None:
        if not m.issuer:
            return None
        suffix = f"（{m.doc_number}）" if m.doc_number else ""
        return f"《{m.title}》由{m.issuer}印发{suffix}。", m.issuer

    return _metadata_line(ctx, build)


# --- responsibility -----------------------------------------------------------------------------------


def responsible_after(text: str, pos: int) -> tuple[str, str] | None:
    """The responsibility marker at or after `pos`: (who, marker text).

    e.g. ('战略规划司', '(战略规划司负责)') or ('区知识产权局、区科技局', '(责任单位:…)').
    """
    tail = text[pos:]
    listed = _RESPONSIBLE_LIST.search(tail)
    bracketed = _RESPONSIBLE.search(tail)
    if listed and (not bracketed or listed.start() < bracketed.start()):
        who = listed.group(1).strip().rstrip("）)").strip()
        return (who, listed.group(0)) if who else None
    return (bracketed.group(1), bracketed.group(0)) if bracketed else None


def compose_responsibility(ctx: Context) -> Draft | None:
    draft = Draft()
    for cand in _sentence_candidates(ctx, need_figure=False)[:8]:
        found = responsible_after(cand.hit.chunk.text, cand.span.start)
        if found is None:
            continue
        who, marker = found
        sentence = _RESPONSIBLE.sub("", _RESPONSIBLE_LIST.sub("", cand.span.text)).strip().rstrip("。；;，,")
        heading = cand.hit.chunk.section[-1].rstrip("。") if cand.hit.chunk.section else ""
        subject = f"“{heading}”" if heading and len(sentence) > 60 else sentence
        draft.add(f"{subject}，由{who}负责。", Evidence(cand.hit.chunk, cand.hit.score, marker))
        return draft
    return None


# --- explanation (and the fallback for every type) -----------------------------------------------------


def compose_explanation(ctx: Context) -> Draft:
    draft = Draft()
    candidates = _sentence_candidates(ctx, need_figure=False)
    if not candidates:
        return draft
    top = candidates[0]
    heading = top.hit.chunk.section[-1] if top.hit.chunk.section else ""
    first = top.span.text.rstrip("。；;")
    lead = f"根据“{heading.rstrip('。')}”，" if heading and match_key(heading) not in match_key(first) else ""
    draft.add(f"{lead}{first}。", Evidence(top.hit.chunk, top.hit.score, top.span.text))
    for cand in candidates[1:4]:
        if cand.score >= 0.8 * top.score and cand.span.text != top.span.text:
            draft.add(
                cand.span.text.rstrip("。；;") + "。",
                Evidence(cand.hit.chunk, cand.hit.score, cand.span.text),
            )
            break
    return draft
