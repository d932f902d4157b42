"""Number and period answers (pure): the sentence holding the figure asked, in the unit asked, cut to
the clauses that lead up to it; one per document in a comparison."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.answering.abstain import asked_unit, not_stated_in
from assistant.answering.candidates import (
    CLOSE,
    Candidate,
    FigureTest,
    clause_score,
    is_head_note,
    sentence_candidates,
    subject_of,
    supported_line,
)
from assistant.answering.context import Context, title_of
from assistant.answering.draft import Draft, Evidence
from assistant.answering.metadata_answers import compose_document_date
from assistant.answering.question import QType
from assistant.answering.said import period_terms, periods
from assistant.answering.sentences import (
    Span,
    clauses,
    figure_units,
    fuzzy_term_hits,
    has_target_figure,
    has_time,
    lead_ins,
    sentences,
    sets_amount,
    term_hits,
)
from assistant.answering.support import broken_rules
from assistant.retrieval.fusion import RankedHit
from assistant.textnorm import match_key


def _segments(sentence: str, figure: FigureTest) -> list[str]:
    """Clauses grouped so each figure keeps the clauses that lead up to it (对…强县（区），给予20万元)."""
    segments, pending = [], ""
    for clause in clauses(sentence):
        pending += clause
        if figure(clause):
            segments.append(pending)
            pending = ""
    return segments or [sentence]


def key_clauses(ctx: Context, sentence: str, figure: FigureTest) -> str:
    """The part of a sentence holding the asked figure: the best segment, plus others that match the
    question almost as well (…人才…，累计…), in text order."""
    parts = _segments(sentence, figure)
    scores = [clause_score(ctx, c) for c in parts]
    best = max(scores)
    keep = [c for c, sc in zip(parts, scores, strict=True) if sc >= max(0.75 * best, 1e-9)][:3] or parts[:1]
    return (
        "".join(c if i == len(keep) - 1 else c.rstrip() for i, c in enumerate(keep))
        .strip()
        .rstrip("，,：:。；;")
    )


def compose_number(ctx: Context) -> Draft | None:
    if _when_by_event(ctx):
        return None  # the sentences read as an explanation: the event is the answer
    figure = has_target_figure if ctx.info.qtype is QType.NUMBER else has_time
    if ctx.info.qtype is QType.DATE and _ASKS_YEAR.search(ctx.info.text):
        figure = _has_year  # 「目标要到哪一年完成」: a year, not any figure of the section
    unit = asked_unit(ctx.info.text)

    def in_unit(text: str) -> bool:  # 罚款多少钱: a figure in 元, not the multiple beside it
        return figure(text) and unit is not None and any(u in c for u in unit for c in figure_units(text))

    candidates = sentence_candidates(ctx, need_figure=in_unit)
    if not candidates and unit is not None and "元" in unit:
        # no sum written: the rule that sets it (赔偿数额为…所受到的损失), never a figure of another kind
        candidates = sentence_candidates(ctx, need_figure=sets_amount)
    candidates = per_period_first(ctx.info.text, candidates or sentence_candidates(ctx, figure))
    if len(ctx.target_docs) > 1:
        candidates = [*candidates, *_unread_docs(ctx, candidates, in_unit if unit else figure)]
    if not candidates:
        return None
    picked = _one_per_doc(candidates, ctx) if len(ctx.target_docs) > 1 else candidates[:1]
    if len(picked) == 1 and len(ctx.target_docs) < 2 and _ASKS_EACH.search(ctx.info.text):
        picked += _figure_of_the_other(ctx, picked[0], candidates)
    draft = Draft()
    for cand in picked:
        meta = ctx.docs.get(cand.hit.chunk.doc_id)
        rule = _continued_rule(cand) if len(picked) == 1 else None
        if rule is not None:
            # 「没有违法所得的，处五万元以下罚款」 continues the rule it belongs to: say the rule first
            draft.add(rule.text.rstrip("；;。") + "。", Evidence(cand.hit.chunk, cand.hit.score, rule.text))
        # the clause with a figure in the unit asked (年均增长多少: the %, not the count beside it)
        clause = key_clauses(ctx, cand.span.text, in_unit if in_unit(cand.span.text) else figure)
        whole = cand.span.text.rstrip("。；;")
        evidence = Evidence(cand.hit.chunk, cand.hit.score, cand.span.text)
        subject = subject_of(meta) if len(ctx.target_docs) > 1 else ""
        line = supported_line([f"{subject}{clause}。", f"{clause}。", f"{whole}。"], cand.hit.chunk.text)
        draft.add(line, evidence)
        if match_key(clause) != match_key(whole) and line != f"{whole}。":
            draft.add(f"原文为：{whole}。", evidence)
        if len(picked) == 1:
            item = _case_item(ctx, cand)
            if item is not None:
                draft.add(
                    item.text.rstrip("。；;") + "。", Evidence(cand.hit.chunk, cand.hit.score, item.text)
                )
            other = _other_case(cand, figure)
            if other is not None:
                draft.add(
                    other.text.rstrip("。；;") + "。", Evidence(cand.hit.chunk, cand.hit.score, other.text)
                )
    if len(ctx.target_docs) > 1:
        # a document of the comparison that states no such figure says so (and the unit check refuses)
        found = {c.hit.chunk.doc_id for c in picked}
        for doc_id in (d for d in ctx.target_docs if d not in found):
            draft.add(not_stated_in(title_of(ctx, doc_id)))
    return draft


def _case_item(ctx: Context, cand: Candidate) -> Span | None:
    """A figure set for 「下列情形之一」 holds for the listed case the question is about: the item
    naming it (不合格商品…之日起未退货的) completes the answer."""
    if not cand.span.text.rstrip().endswith(("：", ":")):
        return None
    chunk = cand.hit.chunk
    items = [s for s in sentences(chunk.text) if s.start >= cand.span.end][:_MOST_ITEMS]
    best = max(items, default=None, key=lambda s: (term_hits(ctx.terms, s.text), -s.start))
    return best if best is not None and term_hits(ctx.terms, best.text) >= _ITEM_MATCH else None


_MOST_ITEMS, _ITEM_MATCH = 12, 0.2


# 「A和B各要培育多少个」, 「A和B，保护期分别是多少」 (a comma may part them)
_ASKS_EACH = re.compile(r"[和与及、][^。？?]{2,30}(?:各|分别)")


def _figure_of_the_other(ctx: Context, top: Candidate, candidates: Sequence[Candidate]) -> list[Candidate]:
    """「A和B各要培育多少个」: the figure of the thing the top sentence leaves out, from the best sentence
    that names it."""
    left = [t for t in ctx.terms if t not in top.span.text]
    for cand in candidates[1:]:
        if cand.span.text != top.span.text and any(t in cand.span.text for t in left):
            return [cand]
    return []


def per_period_first(question: str, candidates: list[Candidate]) -> list[Candidate]:
    """A figure asked per period (每季多少天, 季工作日是多少) is the one written for that period (÷4季=62.5天/季,
    季工作日：…), not the yearly or monthly figure beside it, when it scores nearly as well."""
    if not candidates:
        return candidates
    close = [c for c in candidates if c.score >= CLOSE * candidates[0].score]
    asked = periods(question)
    named = [] if asked else _named_periods(question, close)
    if not asked and not named:
        return candidates
    written = re.compile("|".join(rf"(?:每|/|÷\d*){p}|{p}度?(?:工作日|平均)" for p in asked) or "(?!)")
    per = [c for c in close if written.search(c.span.text) or any(t in c.span.text for t in named)]
    return [*per, *(c for c in candidates if c not in per)] if per else candidates


def _named_periods(question: str, close: Sequence[Candidate]) -> list[str]:
    """Measures the question names for a period (季工作日) that the sentences write for others; one it
    names with its figure (年工作日250天) is stated, not asked."""
    found = period_terms(question, "".join(c.span.text for c in close))
    return [t for t in found if not re.search(rf"{t}[：:是为]?\d", question)]


# 「在什么时候告诉当事人」: a moment, which a text may set by an event (在送达…决定书时) rather than a date
_ASKS_WHEN = re.compile(r"什么时候|何时")
_EVENT_TIME = re.compile(r"在[^，,。；;]{2,30}[时前后][，,]")


def _when_by_event(ctx: Context) -> bool:
    """A 什么时候 question whose best sentence sets the moment by an event (在送达行政处罚决定书时，…) and
    writes no time figure: a deadline elsewhere (二十个工作日内) would answer another question."""
    if ctx.info.qtype is not QType.DATE or not _ASKS_WHEN.search(ctx.info.text):
        return False
    best = sentence_candidates(ctx, None)[:1]
    return bool(best) and bool(_EVENT_TIME.search(best[0].span.text)) and not has_time(best[0].span.text)


_ASKS_YEAR = re.compile(r"哪一?年|哪个年份|何年|什么年份")
_YEAR_WRITTEN = re.compile(r"(?:19|20)\d{2}\s*年|[〇零一二三四五六七八九]{4}年")


def _has_year(text: str) -> bool:
    return bool(_YEAR_WRITTEN.search(text))


# a sentence that states the figure for another case: 「没有违法所得的，…」, 「因特殊情况需要延长的，…」
_OTHER_CASE = re.compile(r"^(?:[^，,。；;]{2,30}的[，,]|但|因|逾期|情节)")


def _continued_rule(cand: Candidate) -> Span | None:
    """The sentence a clause continues: its list's lead-in (有下列情形之一的，终止调解：) for an item, or
    the sentence of the same paragraph before 「；」 (its rule and first case)."""
    chunk_text = cand.hit.chunk.text
    spans = sentences(chunk_text)
    lead = next((lead for s, lead in zip(spans, lead_ins(spans), strict=True) if s == cand.span), None)
    if lead is not None:
        return lead
    before = [s for s in spans if s.end <= cand.span.start][-1:]
    if not before or "\n" in chunk_text[before[0].end : cand.span.start]:
        return None
    return before[0] if before[0].text.rstrip().endswith(("；", ";")) else None


def _other_case(cand: Candidate, figure: FigureTest) -> Span | None:
    """The next sentence of the same paragraph when it sets the figure of another case in the same
    unit: a rule's limit and its exception (三个月内 … 延长期限最长不得超过一个月) answer together."""
    chunk_text = cand.hit.chunk.text
    following = [s for s in sentences(chunk_text) if s.start >= cand.span.end][:1]
    if not following or "\n" in chunk_text[cand.span.end : following[0].start]:
        return None
    nxt = following[0]
    units = figure_units(cand.span.text)
    if _OTHER_CASE.match(nxt.text) and figure(nxt.text) and units & figure_units(nxt.text):
        return nxt
    return None


def _unread_docs(ctx: Context, found: Sequence[Candidate], has_it: FigureTest) -> list[Candidate]:
    """A comparison whose best passages give one named document no figure in the unit asked: that
    document read whole (its penalty article may rank below the other's passages)."""
    missing = [d for d in ctx.target_docs if not any(c.hit.chunk.doc_id == d for c in found)]
    extra: list[Candidate] = []
    for doc_id in missing:
        alone = replace(ctx, target_docs=(doc_id,))
        found_here = [
            cand
            for chunk in ctx.doc_chunks.get(doc_id, ())
            if chunk.kind != "section"  # a chapter's passage holds all its articles: read each article
            for cand in sentence_candidates(
                replace(alone, hits=[RankedHit(0, chunk, 0.0, 0.0, 0.0, 0.0, False)]), need_figure=has_it
            )
        ]
        scored = [(_matched(ctx, cand), cand) for cand in found_here]
        if scored:
            score, best = max(scored, key=lambda pair: pair[0])  # the first of the best, scored once
            if score >= _WHOLE_DOC_MATCH:
                extra.append(best)
    return extra


def _matched(ctx: Context, cand: Candidate) -> float:
    """The question's words in the sentence, or for a penalty (违反本条例第二十六条…罚款) in the rule it
    punishes breaking too."""
    rules = broken_rules(cand.hit.chunk.text, ctx.doc_chunks.get(cand.hit.chunk.doc_id, ()))
    return fuzzy_term_hits(ctx.terms, cand.span.text + "".join(rules))


_WHOLE_DOC_MATCH = 0.2  # of the question's words, for a figure found outside the best passages


def _one_per_doc(candidates: Sequence[Candidate], ctx: Context) -> list[Candidate]:
    best: dict[str, Candidate] = {}
    for cand in candidates:
        doc_id = cand.hit.chunk.doc_id
        # a head note (…令第339号公布) gives a figure of the document's history, not of the point asked
        if doc_id in ctx.target_docs and doc_id not in best and not is_head_note(cand):
            best[doc_id] = cand
    return [best[d] for d in ctx.target_docs if d in best] or list(candidates[:1])


# --- metadata questions (文号, date, issuer, title): assistant/answering/metadata_answers.py ------------


# the end or start of a period the text sets (保护期到哪天截止, 这二年从哪天开始算): a date its
# sentences give, not the document's
# 专用权从哪天起终止: a right's or a period's bound (自收到申请之日起), not the document's date; 从哪天起施行
# is the document's own
_PERIOD_BOUND = re.compile(
    r"截止|截至|到期|届满|期满|为止|保护期|有效期|期限|起算|算起|开始算|开始计算"
    r"|哪一?天(?:起|开始)(?![^？?，,]{0,3}(?:施行|实施|生效|执行))|哪一?天(?:终止|失效|结束)"
)


def compose_date(ctx: Context) -> Draft | None:
    asks_document = re.search(
        r"印发|发布|出台|签发|成文|发文|发的|下发|颁布|公布|日期|落款|哪天", ctx.info.text
    )
    if not asks_document or _PERIOD_BOUND.search(ctx.info.text):
        return compose_number(ctx)  # a question about a period or deadline, not the document's date
    return compose_document_date(ctx)
