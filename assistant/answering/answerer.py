"""The extractive answerer: follow-up rewrite → analysis → hybrid search → abstain or compose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering import abstain, followup
from assistant.answering.compose import Context, compose
from assistant.answering.draft import render
from assistant.answering.normalize import normalise_question
from assistant.answering.question import _DOC_HINTS, QuestionInfo, analyse
from assistant.answering.regions import base_name, find_foreign, find_places, place_mentions
from assistant.answering.sentences import bigram_set
from assistant.engine_api import Message
from assistant.models import Answer, DocumentMeta
from assistant.retrieval.fusion import RankedHit
from assistant.retrieval.keyword import tokenize
from assistant.retrieval.searcher import HybridSearcher, IndexState, Query, _heading_terms

# Words every question in this corpus shares; they say nothing about which passage answers.
GENERIC_TERMS = frozenset({"知识产权", "文件", "政策", "方案", "工作", "建设", "规定", "提出", "要求", "目标是"})


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    hits: list[RankedHit]
    info: QuestionInfo | None
    reason: str = ""  # abstention reason, when abstained


def doc_aliases(meta: DocumentMeta) -> set[str]:
    """Names a question may use for a document: its region and the distinctive words of its title."""
    aliases = {h for h in _DOC_HINTS if h in meta.title and h not in {"年度"}}
    if meta.region and meta.level in {"省", "市", "区", "县"}:
        aliases.add(base_name(meta.region))
    if "工作指引" in meta.title:
        aliases.update({"工作指引", "年度工作指引", "高质量发展"})
    return aliases


def resolve_docs(docs: Sequence[DocumentMeta], text: str) -> tuple[str, ...]:
    """Documents the question names, most specific first."""
    scored = []
    for meta in docs:
        hits = [a for a in doc_aliases(meta) if a in text]
        if hits:
            scored.append((-max(len(a) for a in hits) - len(hits), meta.doc_id))
    return tuple(doc_id for _, doc_id in sorted(scored))


class ExtractiveAnswerer:
    def __init__(self, searcher: HybridSearcher, thresholds: abstain.Thresholds, k: int = 10) -> None:
        self.searcher = searcher
        self.thresholds = thresholds
        self.k = k

    def rewrite(self, state: IndexState, question: str, history: Sequence[Message]) -> str:
        metas = [d.meta for d in state.docs.values()]
        turns = [(m.role, normalise_question(m.content)) for m in history]

        def doc_words(text: str) -> list[str]:
            return sorted({a for meta in metas for a in doc_aliases(meta) if a in text}, key=len, reverse=True)

        return followup.rewrite(normalise_question(question), turns, place_mentions, doc_words)

    def answer(
        self, state: IndexState, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Outcome:
        used = self.rewrite(state, question, history)
        screened = abstain.screen(used)
        if screened.abstain:
            return self._abstain(state, used, [], screened.reason, None)
        metas = [d.meta for d in state.docs.values() if doc_ids is None or d.meta.doc_id in doc_ids]
        info = analyse(used, find_places(used))
        targets = resolve_docs(metas, used)
        terms = tuple(t for t in _heading_terms(tokenize(used)) if t not in GENERIC_TERMS)
        query = Query(used, self.k, frozenset(doc_ids) if doc_ids else None, frozenset(targets), terms)
        hits = self.searcher.search(state, query)
        verdict = abstain.judge(
            used,
            terms,
            hits,
            foreign=find_foreign(used),
            unknown_places=self._unknown_places(info, metas, hits),
            thresholds=self.thresholds,
        )
        if verdict.abstain:
            return self._abstain(state, used, hits, verdict.reason, info)
        ctx = Context(info, terms, frozenset(bigram_set(used)), hits, state.doc_chunks, state.metas, targets)
        draft = compose(ctx)
        if not draft.lines:
            return self._abstain(state, used, hits, "low_relevance", info)
        return Outcome(render(draft, ctx.docs, used), hits, info)

    @staticmethod
    def _unknown_places(info: QuestionInfo, metas: Sequence[DocumentMeta], hits: Sequence[RankedHit]) -> list[str]:
        covered = {base_name(m.region) for m in metas if m.region}
        top_text = "".join(h.chunk.text for h in hits[:3])
        return [p for p in info.regions if p not in covered and p not in top_text]

    def _abstain(
        self, state: IndexState, used: str, hits: Sequence[RankedHit], reason: str, info: QuestionInfo | None
    ) -> Outcome:
        titles = [d.meta.title for d in state.docs.values()]
        nearest = [] if reason in {"chitchat", "injection"} else _nearest_sections(state, hits)
        text = abstain.abstention_message(reason, titles, nearest)
        answer = Answer(answer=text, abstained=True, citations=[], mode="extractive", question_used=used)
        return Outcome(answer, list(hits), info, reason)


def _nearest_sections(state: IndexState, hits: Sequence[RankedHit]) -> list[str]:
    seen: list[str] = []
    for hit in hits[:5]:
        title = state.docs[hit.chunk.doc_id].meta.title if hit.chunk.doc_id in state.docs else hit.chunk.doc_id
        label = f"《{title}》{hit.chunk.section_path}"
        if hit.chunk.section and label not in seen:
            seen.append(label)
    return seen[:3]

