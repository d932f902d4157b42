"""Extractive answers (pure): pick the passages and sentences that answer, phrase them, cite them.

Every sentence written here is either copied from its cited passage or wraps a short copied span in a
few connecting words, so it stays supported and never states a figure its passage lacks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answering.abstain import not_stated_in
from assistant.answering.addressees import addressees, asks_addressees
from assistant.answering.candidates import (
    CLOSE,
    Candidate,
    clause_score,
    is_head_note,
    sentence_candidates,
    subject_of,
    supported_line,
)
from assistant.answering.context import Context, score_of, target_doc, title_of
from assistant.answering.definitions import asked_term, defining_sentence
from assistant.answering.draft import Draft, Evidence, Line
from assistant.answering.history import about_content, compose_history, recorded_only
from assistant.answering.lexicon import strip_ordinal
from assistant.answering.metadata_answers import (
    cited_number,
    compose_doc_number,
    compose_issuer,
    titled,
)
from assistant.answering.numbers import compose_date, compose_number, per_period_first
from assistant.answering.parts import NAMED_UNITS, asked_part, find_part, section_paths
from assistant.answering.question import ABOUT_DOCUMENT, QType
from assistant.answering.sentences import (
    Span,
    clauses,
    gist,
    has_target_figure,
    sentences,
    split_items,
    term_hits,
)
from assistant.answering.support import (
    CONSEQUENCE,
    article_number,
    asks_penalty,
    asks_purpose,
    paragraph_of,
    penalty_chunks,
    purpose_chunk,
    refers_to,
    says_purpose,
)
from assistant.ingest.chunking import TRAILER_SECTION
from assistant.models import Chunk
from assistant.textnorm import match_key

_RESPONSIBLE = re.compile(r"[（(]([^（）()]{2,60}?负责(?:[，,][^（）()]{2,60}?参与)?)[）)]")
_RESPONSIBLE_LIST = re.compile(r"[（(]?责任单位[：:]([^\n]+?)[）)]?\s*$", re.DOTALL)


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
    cited = cited_number(ctx)
    if cited is not None:
        return cited  # the 文号 of a document the corpus only cites, not of the one citing it
    history = _history(ctx)
    if history is not None:
        return history  # the recorded history, or nothing when the document records no such event
    quoted = (
        _addressed(ctx)
        or titled(ctx)
        or _outline(ctx)
        or _definition(ctx)
        or _quoted_heading(ctx)
        or _nth_part(ctx)
        or _penalty_of_rule(ctx)
        or _purposes(ctx)
    )
    if quoted is not None:
        return quoted
    draft = specific(ctx) if specific else None
    if draft is not None and (draft.lines or draft.about):
        return draft  # an empty draft about the document's own record: not stated
    return compose_explanation(ctx)


def _purposes(ctx: Context) -> Draft | None:
    """Why and on what basis each of several documents was made (各自是根据什么出台的): each one's purpose
    sentence, in the question's order. One document's is pinned first by the answerer instead."""
    if len(ctx.target_docs) < 2 or not asks_purpose(ctx.info.text):
        return None
    draft = Draft()
    for doc_id in ctx.target_docs:
        chunk = purpose_chunk(ctx.doc_chunks.get(doc_id, ()))
        span = next((s for s in sentences(chunk.text) if says_purpose(s.text)), None) if chunk else None
        if chunk is None or span is None:
            draft.add(not_stated_in(title_of(ctx, doc_id)))
            continue
        line = f"{subject_of(ctx.docs.get(doc_id))}{span.text.rstrip('。；;')}。"
        draft.add(line, Evidence(chunk, score_of(ctx, chunk), span.text))
    return draft if any(line.evidence for line in draft.lines) else None


def _history(ctx: Context) -> Draft | None:
    """When and by whom the documents asked about were adopted, amended, published or put in force."""
    if ctx.info.qtype not in ABOUT_DOCUMENT and not re.search(
        r"会议[^，。？?]{0,6}(?:通过|审议|批准)", ctx.info.text
    ):
        return None
    if about_content(ctx.info.text):
        return None
    doc_ids = list(ctx.target_docs) or [d for d in [target_doc(ctx)] if d]
    draft = compose_history(ctx.info.text, doc_ids, {d: list(ctx.doc_chunks.get(d, ())) for d in doc_ids})
    if draft is None and recorded_only(ctx.info.text):
        return Draft()  # 「哪次会议通过」 of a document whose notes record no adoption: not stated
    return draft


def _addressed(ctx: Context) -> Draft | None:
    """「…是发给哪些单位的」: the addressee line of each document asked about; an empty draft (not stated)
    when none has one."""
    if not asks_addressees(ctx.info.text):
        return None
    draft = Draft(about="addressees")
    for doc_id in list(ctx.target_docs) or [d for d in [target_doc(ctx)] if d]:
        found = addressees(ctx.doc_chunks.get(doc_id, ()))
        meta = ctx.docs.get(doc_id)
        if found is not None and meta is not None:
            chunk, line = found
            draft.add(f"《{meta.title}》发送给：{line}。", Evidence(chunk, score_of(ctx, chunk), line))
    return draft


def _definition(ctx: Context) -> Draft | None:
    """「“X”是指什么」: the sentence defining X in the documents asked about (else in the best passages'
    documents); a definition ending in a colon comes with what follows it."""
    term = asked_term(ctx.info.text)
    if term is None:
        return None
    docs = list(ctx.target_docs) or list(dict.fromkeys(h.chunk.doc_id for h in ctx.hits[:3]))
    pool = [h.chunk for h in ctx.hits if h.chunk.doc_id in docs]
    pool += [c for d in docs for c in ctx.doc_chunks.get(d, ())]
    found = defining_sentence(term, pool)
    if found is None:
        return None
    chunk, span = found
    draft = Draft()
    draft.add(span.text, Evidence(chunk, score_of(ctx, chunk), span.text))
    if span.text.endswith(("：", ":")):
        for more in [s for s in sentences(chunk.text) if s.start >= span.end][:8]:
            draft.add(more.text, Evidence(chunk, score_of(ctx, chunk), more.text))
    return draft


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


def _contrast_conflict(ctx: Context, path: tuple[str, ...]) -> bool:
    """The path is about a parallel case other than the one asked (one kind's list, another asked)."""
    if ctx.lexicon is None:
        return False
    asked = ctx.lexicon.contrast_terms(ctx.info.text)
    if not asked:
        return False
    joined = match_key("".join(path))
    rivals = {r for term in asked for r in ctx.lexicon.rivals(term)} - set(asked)
    return any(r in joined for r in rivals) and not any(t in joined for t in asked)


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


Listing = tuple[float, str, tuple[str, ...], list[Chunk]]  # score, doc_id, path, parts


def _best_list(ctx: Context, named_only: bool = False) -> Listing | None:
    """The best scoring section with at least two parts; with `named_only`, among the sections whose
    headings share a word with the question."""
    best: Listing | None = None
    for (doc_id, path), base in _list_candidates(ctx).items():
        if _contrast_conflict(ctx, path) or (named_only and not term_hits(ctx.terms, "".join(path))):
            continue
        children = _children(ctx.doc_chunks.get(doc_id, ()), path)
        if len(children) < 2 or (
            _article_list(children, len(path)) and not _ASKS_ARTICLES.search(ctx.info.text)
        ):
            continue  # a chapter's articles are not a list of measures unless the articles are asked
        score = (
            base + 0.12 * term_hits(ctx.terms, path[-1]) + (0.01 if doc_id in ctx.target_docs[:1] else 0.0)
        )
        if best is None or score > best[0]:
            best = (score, doc_id, path, children)
    return best


_ASKS_ARTICLES = re.compile(r"哪几条|哪些条|条款|几条")


def _article_list(children: Sequence[Chunk], depth: int) -> bool:
    return all(len(c.section) > depth and article_number(c.section[depth]) is not None for c in children)


def _section_passage(chunks: Sequence[Chunk], path: tuple[str, ...]) -> Chunk | None:
    exact = [c for c in chunks if c.section == path]
    exact.sort(key=lambda c: (c.kind != "section", c.start))
    return exact[0] if exact else None


def _item_line(child: Chunk, depth: int) -> str:
    """The item's heading and, when its body says more, the gist of the body: an official learns
    what each measure is, not only its name."""
    heading = child.section[depth] if len(child.section) > depth else child.text.split("。")[0]
    heading = heading.strip().rstrip("。；;，,：:")
    at = child.text.find(heading)
    body = child.text[at + len(heading) :] if at >= 0 else ""
    more = gist(body.lstrip("。：:；; \n"))
    if more and match_key(more) not in match_key(heading):
        return f"{heading}：{more}。"
    return heading + "。"


def _lead_in(intro: Chunk, heading: str, children: Sequence[Chunk]) -> str | None:
    """The words that introduce the items («…应当具备下列条件：»), when the passage has them."""
    first = min((c.start for c in children), default=intro.end)
    before = intro.text[: max(0, first - intro.start)].strip()
    lead = before[len(heading) :] if before.startswith(heading) else before
    lead = lead.strip().lstrip("。：:")
    last = sentences(lead)[-1].text if sentences(lead) else ""
    return last if last.endswith(("：", ":")) else None


def compose_enumeration(ctx: Context) -> Draft | None:
    inline = _inline_list(ctx)
    # a section the question's words do not name (四、保障措施 for 「专项经费投到哪几个领域」) is no answer:
    # the things asked are listed inside a sentence, which the explanation finds
    best, named = _best_list(ctx), _best_list(ctx, named_only=True)
    names_it = best is not None and (
        (named is not None and best[1:3] == named[1:3]) or _named_child(ctx, best[2], best[3]) is not None
    )
    found = best if names_it else None
    if found is None and named is not None and best is not None and named[0] >= CLOSE * best[0]:
        found = named  # a section the question names, scoring almost as well as the best
    if found is not None and (
        _leaf_named_better(ctx, found[2], found[3]) or _series_asked_inside(ctx, found[2])
    ):
        found = None
    if inline is not None and (found is None or _rank(ctx, inline[0]) <= _rank_of_list(ctx, found[1:])):
        return inline[1]
    if found is None:
        return _introduced_list(ctx)
    return _list_of(ctx, *found[1:])


def _leaf_named_better(ctx: Context, path: tuple[str, ...], children: Sequence[Chunk]) -> bool:
    """The best passage is a section of its own (no parts) whose heading the question names better
    than the list's: 「在健全保护政策方面要推进哪两类…」 asks inside （六）健全保护政策, not the goals' list."""
    if not ctx.hits:
        return False
    top = ctx.hits[0].chunk
    if not top.section or top.section[: len(path)] == path:
        return False
    if _children(ctx.doc_chunks.get(top.doc_id, ()), top.section):
        return False
    focus = _named_child(ctx, path, children)
    listed = focus.section[len(path)] if focus is not None and len(focus.section) > len(path) else path[-1]
    return term_hits(ctx.terms, strip_ordinal(top.section[-1])) > term_hits(ctx.terms, strip_ordinal(listed))


_SERIES = re.compile(r"(?:[^、，,。；;：:]{2,14}、){2,}[^、，,。；;：:]{2,14}")


def _series_asked_inside(ctx: Context, path: tuple[str, ...]) -> bool:
    """The best sentence lists the things asked in a series (甲审判、乙执法、丙援助…救济体系) and
    names more of the question than the headings above it do: 「支撑型…救济体系包括哪些环节」 asks
    inside one measure, not for the parts of 支撑型's tasks."""
    candidates = sentence_candidates(ctx, need_figure=None)
    if not candidates or not _SERIES.search(candidates[0].span.text):
        return False
    section = candidates[0].hit.chunk.section
    if len(section) <= len(path):
        return False  # the series is one of the section's own items
    heading = match_key("".join(section[: len(path) + 1]))  # the list and the part holding the sentence
    sentence = match_key(candidates[0].span.text)
    named = [t for t in ctx.terms if t in heading and t not in sentence]
    beyond = [t for t in ctx.terms if t in sentence and t not in heading]
    return len(beyond) >= 2 and len(beyond) > len(named)


def _introduced_list(ctx: Context) -> Draft | None:
    """A list introduced by a sentence of a lower passage («软件著作权人享有下列各项权利：») that matches
    the question almost as well as the best sentence."""
    candidates = sentence_candidates(ctx, need_figure=None)[:8]
    intros = [c for c in candidates if c.span.text.rstrip().endswith(("：", ":"))]
    if not intros or intros[0].score < CLOSE * candidates[0].score:
        return None
    chunk = _smallest_holding(ctx, intros[0].hit.chunk, intros[0].span.text)
    listed = _inline_list(replace(ctx, hits=[replace(intros[0].hit, chunk=chunk)]))
    return listed[1] if listed is not None else None


def _list_of(ctx: Context, doc_id: str, path: tuple[str, ...], children: list[Chunk]) -> Draft | None:
    """The parts of a section: its lead-in, then each part with the gist of its body."""
    chunks = ctx.doc_chunks.get(doc_id, ())
    if not path:
        return None  # the document itself (its untitled head), not a section with parts
    focus = _named_child(ctx, path, children)
    if focus is not None:
        # "基本原则有哪几条" matched 一、总体要求 as a list, but names one of its parts: answer that part
        path = focus.section[: len(path) + 1]
        children = _children(chunks, path)
        if len(children) < 2:
            return _section_body(ctx, chunks, path)
    draft = Draft()
    intro = _section_passage(chunks, path)
    if intro is not None:
        lead = _lead_in(intro, path[-1], children)
        # the heading alone introduces the list: connecting words would not be in the passage
        opening = lead or f"{path[-1].rstrip('。：:')}："
        draft.add(opening, Evidence(intro, score_of(ctx, intro), lead or path[-1]))
    for child in children:
        line = _item_line(child, len(path))
        draft.add(line, Evidence(child, score_of(ctx, child), line.rstrip("。")))
    return draft


def _inline_list(ctx: Context) -> tuple[Chunk, Draft] | None:
    """A list written inside one passage («…下列条件：（一）…；（二）…»): its lead-in and every item."""
    for hit in ctx.hits[:3]:
        if hit.chunk.kind == "section":
            continue  # a section's items are passages of their own: the tree list cites each
        lead, items = split_items(hit.chunk.text)
        if len(items) < 2 or _contrast_conflict(ctx, hit.chunk.section):
            continue
        draft = Draft()
        # the sentence that introduces the items (an article's first sentences may say other things)
        intro = (
            sentences(lead.text)[-1].text.rstrip("。；;，,")
            if lead is not None and sentences(lead.text)
            else ""
        )
        series = _series_of_kind(ctx.info.text, intro, hit.chunk.text)
        if series is not None:
            # 「要递交哪些材料」: the items are 条件; the 材料 are listed in a sentence of their own
            draft.add(series, Evidence(hit.chunk, hit.score, series.rstrip("。")))
            return hit.chunk, draft
        if intro:
            line = intro if intro.endswith(("：", ":")) else intro + "："
            draft.add(line, Evidence(hit.chunk, hit.score, intro))
        for item in items:
            text = gist(item.text, limit=90)  # one sentence per item, so one citation covers it
            draft.add(text + "。", Evidence(hit.chunk, hit.score, text))
        return hit.chunk, draft
    return None


_ASKED_KIND = re.compile(r"哪些([\u4e00-\u9fff]{2})")


def _series_of_kind(question: str, intro: str, text: str) -> str | None:
    """The sentence listing the kind of thing asked (哪些材料 → 递交请求书、…等材料) when a list's lead-in
    introduces another kind (下列条件)."""
    kind = _ASKED_KIND.search(question)
    if kind is None or not intro or kind.group(1) in intro or "下列" not in intro:
        return None
    # the series ends in the kind asked (请求书、主体资格证明…等材料): a sentence merely naming the kind
    # (情形 beside a list of 行为) is not it
    ends_in_kind = re.compile(rf"(?:[^、，,。；;：:]{{2,20}}、)+[^、，,。；;：:]{{2,20}}?等?{kind.group(1)}")
    return next((s.text for s in sentences(text) if ends_in_kind.search(s.text)), None)


def _rank(ctx: Context, chunk: Chunk) -> int:
    return next((i for i, h in enumerate(ctx.hits) if h.chunk.chunk_id == chunk.chunk_id), len(ctx.hits))


def _rank_of_list(ctx: Context, found: tuple[str, tuple[str, ...], list[Chunk]]) -> int:
    """The best rank of a passage inside the list's section."""
    doc_id, path, _ = found
    inside = [
        i for i, h in enumerate(ctx.hits) if h.chunk.doc_id == doc_id and h.chunk.section[: len(path)] == path
    ]
    return min(inside, default=len(ctx.hits))


def _named_child(ctx: Context, path: tuple[str, ...], children: Sequence[Chunk]) -> Chunk | None:
    """The one child whose heading the question names, when the list's own heading does not say more."""
    depth = len(path)
    # the words the list's own heading does not say pick the part (主要目标里知识产权运用方面)
    heading = match_key(path[-1])
    own = [t for t in ctx.terms if match_key(t) not in heading]
    scored = [(term_hits(own, c.section[depth]), c) for c in children if len(c.section) > depth]
    if len(scored) < 2 or not own:
        return None
    scored.sort(key=lambda sc: -sc[0])
    (best, child), (second, _) = scored[0], scored[1]
    return child if best >= 0.25 and best > second else None


def _section_body(
    ctx: Context, chunks: Sequence[Chunk], path: tuple[str, ...], limit: int = 8
) -> Draft | None:
    """The sentences of one section, each cited: for lists written inline (坚持…。坚持…。)."""
    passage = _section_passage(chunks, path)
    if passage is None:
        return None
    heading = match_key(path[-1])
    body = [
        s for s in sentences(passage.text) if match_key(s.text).rstrip("。：:") != heading.rstrip("。：:")
    ]
    if not body:
        return None
    draft = Draft()
    evidence = Evidence(passage, score_of(ctx, passage), path[-1])
    draft.add(f"{path[-1].rstrip('。：:')}：", evidence)
    for span in body[:limit]:
        draft.add(span.text.rstrip("。；;") + "。", Evidence(passage, score_of(ctx, passage), span.text))
    return draft


def _penalty_of_rule(ctx: Context) -> Draft | None:
    """「擅自使用…，罚款怎么算」 when the best sentence is the rule (第二十条 不得…) and another article
    punishes breaking it (违反本条例第二十条规定的，…处…罚款): that article's sentence, then the rule."""
    if not asks_penalty(ctx.info.text) or len(ctx.target_docs) > 1:
        return None  # a comparison answers each document in turn
    candidates = sentence_candidates(ctx, need_figure=None)
    if not candidates or CONSEQUENCE.search(candidates[0].span.text):
        return None
    top = candidates[0]
    rule = top.hit.chunk
    paragraph = paragraph_of(rule, (top.span.start + top.span.end) // 2)
    draft = Draft()
    for chunk in penalty_chunks(ctx.doc_chunks.get(rule.doc_id, ()), rule):
        opening: int | None = None  # where the sentence naming the breach starts
        continued = carried = False  # carried: the sentence goes on with the penalty before its 「；」
        for span in sentences(chunk.text):
            if refers_to(span.text, rule, paragraph):
                opening, carried = span.start, False
            elif not (continued and ctx.info.qtype is not QType.NUMBER):
                opening = None
            # how a breach is punished may go on after 「；」 (违反第十二条…依照其规定执行；…罚款); a
            # figure asked must be in the sentence that names the breach
            continued = span.text.endswith(("；", ";"))
            figure_ok = ctx.info.qtype is not QType.NUMBER or has_target_figure(span.text)
            if CONSEQUENCE.search(span.text) and opening is not None and figure_ok:
                said = chunk.text[opening : span.end]
                heading = chunk.section[-1] if chunk.section else ""
                lead = f"根据“{heading}”，" if heading and heading not in said and not carried else ""
                draft.add(f"{lead}{said.rstrip('。；;')}。", Evidence(chunk, score_of(ctx, chunk), said))
                # …罚款；没有违法所得的，处…罚款: the rest of the penalty follows the 「；」
                carried = continued and ctx.info.qtype is not QType.NUMBER
                opening = span.end if carried else None
    if not draft.lines:
        return None
    draft.add(f"{top.span.text.rstrip('。；;')}。", Evidence(rule, top.hit.score, top.span.text))
    return draft


_ASKS_OUTLINE = re.compile(
    r"(?:哪几|哪些|几个|几)(?:个)?部分|由哪些部分|分为几|分成几|框架|提纲|篇章结构|结构是"
)


def _outline(ctx: Context) -> Draft | None:
    """「…有哪几部分」: the top-level parts of the document asked about, each with its gist."""
    doc_id = target_doc(ctx)
    if doc_id is None or not _ASKS_OUTLINE.search(ctx.info.text):
        return None
    chunks = ctx.doc_chunks.get(doc_id, ())
    parts = [p for p in _children(chunks, ()) if p.section and p.section[0] != TRAILER_SECTION]
    meta = ctx.docs.get(doc_id)
    if len(parts) < 2 or meta is None:
        return None
    draft = Draft()
    draft.add(f"《{meta.title}》分为{len(parts)}个部分：", Evidence(parts[0], score_of(ctx, parts[0]), ""))
    for part in parts:
        line = _part_line(chunks, part)
        draft.add(line, Evidence(part, score_of(ctx, part), line.rstrip("。")))
    return draft


def _part_line(chunks: Sequence[Chunk], part: Chunk) -> str:
    """A top-level part with what it holds: its articles' range (第一章 总则（第一条至第八条）) or its
    sub-sections' headings (一、总体要求：指导思想、基本原则、主要目标)."""
    heading = part.section[0].strip().rstrip("。：:")
    inner = [c.section[1] for c in _children(chunks, part.section[:1]) if len(c.section) > 1]
    if not inner:
        return _item_line(part, 0)
    if all(article_number(h) is not None for h in inner):
        first, last = (re.match(r"第\S+条", h) for h in (inner[0], inner[-1]))
        span = f"{first.group(0)}至{last.group(0)}" if first and last and len(inner) > 1 else inner[0]
        return f"{heading}（{span}）。"
    return f"{heading}：{'、'.join(strip_ordinal(h) for h in inner[:8])}。"


def _nth_part(ctx: Context) -> Draft | None:
    """「重点任务的第二条是什么」 in a document without articles: that part of the section, whole."""
    part = asked_part(ctx.info.text)
    doc_id = ctx.target_docs[0] if ctx.target_docs else (ctx.hits[0].chunk.doc_id if ctx.hits else None)
    if part is None or doc_id is None or ctx.info.qtype not in _ABOUT_PARTS:
        return None
    chunks = ctx.doc_chunks.get(doc_id, ())
    if any(article_number(h) is not None for c in chunks for h in c.section):
        return None  # 第二条 of a regulation is its article, found by number
    found = find_part(section_paths([c.section for c in chunks]), ctx.info.text, part)
    if found is None or found.path is None or part.unit in NAMED_UNITS:
        return None  # a stage a heading names is found by its words; one the document lacks is refused
    path = found.path
    children = _children(chunks, path)
    if len(children) >= 2:
        return _list_of(ctx, doc_id, path, children)
    body = _section_body(ctx, chunks, path) or Draft()
    parent = _section_passage(chunks, path[:-1]) if len(path) > len(found.base) + 1 else None
    if parent is not None and body.lines:
        # an item numbered on through its section: the sub-section it belongs to comes first
        heading = path[-2].rstrip("。：:")
        opening = Evidence(parent, score_of(ctx, parent), path[-2])
        body.lines.insert(0, Line(f"{heading}：", (opening,)))
    return body if body.lines else None


_ABOUT_PARTS = frozenset({QType.EXPLANATION, QType.ENUMERATION, QType.YES_NO})


# --- numbers and targets --------------------------------------------------------------------------


# --- responsibility -----------------------------------------------------------------------------------


def responsible_after(text: str, pos: int) -> tuple[str, str] | None:
    """The responsibility marker at or after `pos`: (who, marker text).

    e.g. ('某某司', '(某某司负责)') or ('甲局、乙局', '(责任单位:…)').
    """
    tail = text[pos:]
    listed = _RESPONSIBLE_LIST.search(tail)
    bracketed = _RESPONSIBLE.search(tail)
    if listed and (not bracketed or listed.start() < bracketed.start()):
        who = listed.group(1).strip().rstrip("）)").strip()
        return (who, listed.group(0)) if who else None
    if not bracketed:
        return None
    who = bracketed.group(1)
    # "甲司负责，乙司…参与" reads as it stands; "甲司负责" needs only the office
    return (who[: -len("负责")] if who.endswith("负责") else who, bracketed.group(0))


def _next_chunk(ctx: Context, chunk: Chunk) -> Chunk | None:
    """The passage right after `chunk` in its document (a marker may open it)."""
    later = [c for c in ctx.doc_chunks.get(chunk.doc_id, ()) if c.start >= chunk.end]
    return min(later, key=lambda c: (c.start, c.end)) if later else None


def _responsible_for(ctx: Context, cand: Candidate) -> tuple[str, str, Chunk] | None:
    chunk = cand.hit.chunk
    # "…。(甲司负责)继续…。(乙司负责)": a marker opening the sentence closes the one before
    lead = re.match(r"\s*" + _RESPONSIBLE.pattern, cand.span.text)
    found = responsible_after(chunk.text, cand.span.start + (lead.end() if lead else 0))
    if found is not None:
        return (*found, chunk)
    # the marker closes the paragraph, which may go on in the next passage of the same section
    following = _next_chunk(ctx, chunk)
    if following is None or (following.section != chunk.section and following.start - chunk.end > 80):
        return None
    found = responsible_after(
        following.text if following.section == chunk.section else following.text[:80], 0
    )
    return (*found, following) if found is not None else None


def compose_responsibility(ctx: Context) -> Draft | None:
    for cand in sentence_candidates(ctx, need_figure=None)[:8]:
        found = _responsible_for(ctx, cand)
        if found is None:
            continue
        who, marker, marker_chunk = found
        sentence = _RESPONSIBLE.sub("", _RESPONSIBLE_LIST.sub("", cand.span.text)).strip().rstrip("。；;，,")
        parts = clauses(sentence)
        if not parts:
            continue  # the sentence is the marker alone: it says whose, not what
        subject = max(parts, key=lambda c: clause_score(ctx, c)).strip().rstrip("。；;，,：:")
        evidence = Evidence(cand.hit.chunk, cand.hit.score, cand.span.text)
        draft = Draft()
        duty = who if "负责" in who else f"{who}负责"
        if marker_chunk.chunk_id == cand.hit.chunk.chunk_id:
            draft.add(f"{subject}，由{duty}。", evidence)
        else:
            # the marker closing the paragraph is in the next passage: each line cites what it says
            draft.add(f"{subject}。", evidence)
            draft.add(f"由{duty}。", Evidence(marker_chunk, score_of(ctx, marker_chunk), marker))
        return draft
    return None


# --- explanation (and the fallback for every type) -----------------------------------------------------


# 「（一）指导思想。」: a section's heading inside its parent's text names a topic, says nothing
_BARE_HEADING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])[^，,；;。]{0,24}。?\s*$"
)


def _is_heading(span: Span, chunk: Chunk) -> bool:
    key = match_key(span.text).rstrip("。：:；;")
    return any(key == match_key(h).rstrip("。：:；;") for h in chunk.section)


def _following(
    ctx: Context, chunk: Chunk, span: Span, budget: int, most: int = 3
) -> list[tuple[Chunk, Span]]:
    """The sentences after `span`, up to `budget` characters and `most` sentences: the body of a
    heading, or the rest of a point the top sentence starts; read on into the next passage when a long
    section was split."""
    out: list[tuple[Chunk, Span]] = []
    source: Chunk | None = chunk
    after = span.end
    while source is not None and len(out) < most:
        for nxt in sentences(source.text):
            if nxt.start < after or _is_heading(nxt, source):
                continue
            if out and sum(len(s.text) for _, s in out) + len(nxt.text) > budget:
                return out
            out.append((source, nxt))
            if len(out) == most:
                return out
        following = _next_chunk(ctx, source) if not out else None
        source = following if following is not None and following.section == chunk.section else None
        after = 0
    return out


_QUOTED_TERM = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")


def _quoted_heading(ctx: Context) -> Draft | None:
    """「“某某”是什么意思」: a quoted term that is the heading of a section (a dash item, a
    numbered point) is answered by that section's body."""
    for term in (match_key(m.group(1)) for m in _QUOTED_TERM.finditer(ctx.info.text)):
        for hit in ctx.hits[:8]:
            for depth, heading in enumerate(hit.chunk.section):
                if match_key(strip_ordinal(heading).lstrip("—-")) == term:
                    chunks = ctx.doc_chunks.get(hit.chunk.doc_id, ())
                    path = hit.chunk.section[: depth + 1]
                    children = _children(chunks, path)
                    answer = (
                        _list_of(ctx, hit.chunk.doc_id, path, children)
                        if len(children) >= 2
                        else _section_body(ctx, chunks, path, limit=3)
                    )
                    if answer is not None:
                        return answer
    return None


def compose_explanation(ctx: Context) -> Draft:
    draft = Draft()
    candidates = per_period_first(ctx.info.text, sentence_candidates(ctx, need_figure=None))
    if len(ctx.target_docs) > 1:
        # a comparison: the best point of each document the question names (and a second as close), in
        # the question's order; a document whose best match is only its head note says nothing on it
        for doc_id in ctx.target_docs:
            mine = [c for c in candidates if c.hit.chunk.doc_id == doc_id and not is_head_note(c)]
            # a best sentence sharing no word of the question (its purpose article) is no point on it
            if mine and term_hits(ctx.terms, mine[0].span.text + mine[0].hit.chunk.section_path) > 0:
                _explain(ctx, draft, mine, subject=subject_of(ctx.docs.get(doc_id)))
            else:
                draft.add(not_stated_in(title_of(ctx, doc_id)))
        if any(line.evidence for line in draft.lines):
            return draft
        draft = Draft()
    if candidates:
        top = candidates[0]
        if top.span.text.rstrip().endswith(("：", ":")):
            # the best sentence introduces a list: give the list, all of it (written inline, or as the
            # parts of its section)
            chunk = _smallest_holding(ctx, top.hit.chunk, top.span.text)
            listed = _inline_list(replace(ctx, hits=[replace(top.hit, chunk=chunk)]))
            if listed is not None:
                return listed[1]
            parts = _children(ctx.doc_chunks.get(chunk.doc_id, ()), chunk.section)
            if len(parts) >= 2 and not _article_list(parts, len(chunk.section)):
                whole = _list_of(ctx, chunk.doc_id, chunk.section, parts)
                if whole is not None:
                    return whole
        _explain(ctx, draft, candidates, subject="")
    return draft


_LIST_BUDGET, _LIST_MOST = 400, 8


def _smallest_holding(ctx: Context, chunk: Chunk, sentence: str) -> Chunk:
    """The narrowest passage of the document holding the sentence (an article inside a chapter)."""
    holding = [c for c in ctx.doc_chunks.get(chunk.doc_id, ()) if sentence in c.text and c.kind != "section"]
    return min(holding, key=lambda c: c.end - c.start) if holding else chunk


def _whole_list(ctx: Context, body: list[tuple[Chunk, Span]]) -> list[tuple[Chunk, Span]]:
    """The body read on to the end of a list it introduces (对于下列情形…：（一）…（六）…): the item a
    question turns on may be the last."""
    intro = next((i for i, (_, s) in enumerate(body) if s.text.rstrip().endswith(("：", ":"))), None)
    if intro is None:
        return body
    source, span = body[intro]
    return body[: intro + 1] + _following(ctx, source, span, budget=_LIST_BUDGET, most=_LIST_MOST)


_ASKS_PROCEDURE = re.compile(r"程序|流程|步骤|(?:怎么|如何|怎样)(?:确定|决定|办理|处理)")


def _explain(ctx: Context, draft: Draft, candidates: Sequence[Candidate], subject: str) -> None:
    """The top sentence with the body that follows it (a heading alone says little), and a second
    sentence from elsewhere that matches the question almost as well."""
    top = candidates[0]
    chunk = top.hit.chunk
    heading = chunk.section[-1] if chunk.section else ""
    body = [(chunk, top.span)] if not _is_heading(top.span, chunk) else []
    if _ASKS_PROCEDURE.search(ctx.info.text):
        # a procedure is the steps that follow the first one (协商…；协商不成的，抽签…)
        body += _following(ctx, chunk, top.span, budget=_LIST_BUDGET, most=3)
    elif len(top.span.text) < 80:
        # a list asked of a section written as sentences (巩固…。持续…。优化…。) wants all of them
        listed = ctx.info.qtype is QType.ENUMERATION and not body
        budget, most = (_LIST_BUDGET, _LIST_MOST) if listed else (160 if body else 220, 3)
        body += _following(ctx, chunk, top.span, budget=budget, most=most)
    if (
        body == [(chunk, top.span)]
        and top.span.text.endswith(("；", ";"))
        and CONSEQUENCE.search(top.span.text)
    ):
        # a penalty goes on after 「；」 (没有违法所得的，处…罚款): it is one rule
        body += [(c, s) for c, s in _following(ctx, chunk, top.span, budget=160, most=1) if c is chunk]
    body = _whole_list(ctx, body) or [(chunk, top.span)]
    first = body[0][1]
    lead = (
        f"根据“{heading.rstrip('。')}”，"
        if heading and match_key(heading) not in match_key(first.text)
        else ""
    )
    for i, (source, span) in enumerate(body):
        text = span.text.rstrip("。；;") + "。"  # a lead-in's 「：。」 is mended by Draft.add
        # in a comparison the document's subject leads; the heading is in its citation anyway
        opening = [f"{subject}{text}", text] if subject else [f"{lead}{text}", text]
        line = supported_line(opening, source.text) if i == 0 else text
        draft.add(
            line, Evidence(source, top.hit.score if source is chunk else score_of(ctx, source), span.text)
        )
    used = {span.text for _, span in body}
    for cand in candidates[1:4]:
        if (
            cand.score >= 0.7 * top.score
            and cand.span.text not in used
            and not _is_heading(cand.span, cand.hit.chunk)
            and not _BARE_HEADING.match(cand.span.text)
        ):
            text = cand.span.text.rstrip("。；;") + "。"
            draft.add(
                text,
                Evidence(cand.hit.chunk, cand.hit.score, cand.span.text),
                extra=cand.score < 0.8 * top.score,
            )
            return
