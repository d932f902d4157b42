"""The extractive answerer: follow-up rewrite → analysis → hybrid search → abstain or compose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.answering import abstain, followup
from assistant.answering.compose import Context, compose
from assistant.answering.draft import render
from assistant.answering.normalize import normalise_question
from assistant.answering.question import _DOC_HINTS, QType, QuestionInfo, analyse
from assistant.answering.regions import base_name, find_foreign, find_places, place_mentions
from assistant.answering.sentences import bigram_set, has_figure, sentences
from assistant.engine_api import Message
from assistant.models import Answer, DocumentMeta
from assistant.retrieval.fusion import RankedHit
from assistant.retrieval.keyword import tokenize
from assistant.retrieval.searcher import HybridSearcher, IndexState, Query, _heading_terms

# Words every question in this corpus shares; they say nothing about which passage answers.
GENERIC_TERMS = frozenset(
    (
        "知识产权", "文件", "政策", "方案", "工作", "建设", "规定", "提出", "要求", "目标是",
        "部分", "方面", "具体", "内容", "情况", "哪几条", "哪几项", "几条", "几项",
    )
)  # fmt: skip


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
    if meta.doc_number:
        aliases.add(meta.doc_number)
    if "工作指引" in meta.title:
        aliases.update({"工作指引", "年度工作指引", "高质量发展", "指引"})
    return aliases


def resolve_docs(docs: Sequence[DocumentMeta], text: str) -> tuple[str, ...]:
    """Documents the question names, in the order it names them.

    A document counts only for a name no better match already explains: "强省工作方案" names the 2015
    工作方案 (强省 + 工作方案), not also 吉林's 强省 意见 or the 强区 工作方案.
    """
    scored = []
    for meta in docs:
        hits = {a for a in doc_aliases(meta) if a in text}
        if hits:
            scored.append((-max(len(a) for a in hits) - len(hits), meta.doc_id, hits))
    named: dict[str, int] = {}
    explained: set[str] = set()
    for _, doc_id, hits in sorted(scored, key=lambda s: (s[0], s[1])):
        if hits - explained:
            named[doc_id] = min(text.find(a) for a in hits)
            explained |= hits
    # in the order the question names them: "吉林和汕尾…分别" is answered 吉林 first
    return tuple(sorted(named, key=lambda d: named[d]))


class ExtractiveAnswerer:
    def __init__(self, searcher: HybridSearcher, thresholds: abstain.Thresholds, k: int = 10) -> None:
        self.searcher = searcher
        self.thresholds = thresholds
        self.k = k

    def rewrite(self, state: IndexState, question: str, history: Sequence[Message]) -> str:
        metas = [d.meta for d in state.docs.values()]
        turns = [(m.role, normalise_question(m.content)) for m in history]

        def doc_words(text: str) -> list[str]:
            return sorted(
                {a for meta in metas for a in doc_aliases(meta) if a in text}, key=len, reverse=True
            )

        return followup.rewrite(normalise_question(question), turns, place_mentions, doc_words)

    def answer(
        self,
        state: IndexState,
        question: str,
        history: Sequence[Message] = (),
        doc_ids: Sequence[str] | None = None,
    ) -> Outcome:
        used = self.rewrite(state, question, history)
        screened = abstain.screen(used)
        if screened.abstain:
            return self._abstain(state, used, [], screened.reason, None)
        metas = _metas_in_scope(state, doc_ids)
        info = analyse(used, find_places(used))
        targets = resolve_docs(metas, used)
        query = _query(state, used, self.k, doc_ids, targets)
        terms = query.heading_terms
        hits = self._search(state, query, targets if doc_ids is None else ())
        verdict = abstain.judge(
            used,
            terms,
            hits,
            foreign=find_foreign(used),
            unknown_places=self._unknown_places(info, metas, hits),
            thresholds=self.thresholds,
            titles="".join(m.title for m in metas),
            doc_texts="".join(state.docs[d].text for d in dict.fromkeys(h.chunk.doc_id for h in hits[:3])),
        )
        if not verdict.abstain:
            verdict = self._check_facts(info, used, hits, metas, targets)
        if verdict.abstain:
            return self._abstain(state, used, hits, verdict.reason, info)
        # place names pick the document (targets); inside its sentences the place is "我省"/"全市"
        content = tuple(t for t in terms if not find_places(t))
        ctx = Context(
            info, content, frozenset(bigram_set(used)), hits, state.doc_chunks, state.metas, targets
        )
        draft = compose(ctx)
        if not draft.lines:
            return self._abstain(state, used, hits, "low_relevance", info)
        if info.qtype is QType.NUMBER and abstain.unit_missing(used, [line.text for line in draft.lines]):
            # 补贴多少钱 answered with a count: the amount asked for is not stated
            return self._abstain(state, used, hits, "unstated", info)
        return Outcome(render(draft, ctx.docs, used), hits, info)

    def _search(self, state: IndexState, query: Query, targets: Sequence[str]) -> list[RankedHit]:
        """One search; for a question naming several documents, the best passages of each in turn."""
        if len(targets) < 2:
            return self.searcher.search(state, query)
        per_doc = [
            self.searcher.search(
                state, replace(query, k=4, doc_ids=frozenset({d}), preferred_docs=frozenset())
            )
            for d in targets
        ]
        merged = [hit for rank in range(4) for hits in per_doc if rank < len(hits) for hit in [hits[rank]]]
        return merged[: query.k]

    @staticmethod
    def _check_facts(
        info: QuestionInfo,
        text: str,
        hits: Sequence[RankedHit],
        metas: Sequence[DocumentMeta],
        targets: Sequence[str],
    ) -> abstain.Verdict:
        """Checks that need the question type: a named document lacking the asked metadata, a unit no
        passage states (补贴多少钱 where no amount is given)."""
        named = [m for m in metas if m.doc_id in targets[:1]]
        if info.qtype is QType.DOC_NUMBER and named and not named[0].doc_number:
            return abstain.Verdict(True, "unstated")
        if info.qtype is QType.NUMBER:
            sentences_ = [s.text for h in hits[:6] for s in sentences(h.chunk.text) if has_figure(s.text)]
            if abstain.unit_missing(text, sentences_):
                return abstain.Verdict(True, "unstated")
            # 收费标准是多少: the words occur (规范收费标准) but no sentence gives them a figure
            cues = [c for c in abstain.UNSTATED if c in text]
            if cues and not any(c in s for c in cues for s in sentences_):
                return abstain.Verdict(True, "unstated")
        return abstain.Verdict(False)

    @staticmethod
    def query_for(state: IndexState, text: str, k: int, doc_ids: Sequence[str] | None = None) -> Query:
        """The search the answerer runs: named documents preferred, content terms matched to headings."""
        return _query(state, text, k, doc_ids, resolve_docs(_metas_in_scope(state, doc_ids), text))

    @staticmethod
    def _unknown_places(
        info: QuestionInfo, metas: Sequence[DocumentMeta], hits: Sequence[RankedHit]
    ) -> list[str]:
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


def _metas_in_scope(state: IndexState, doc_ids: Sequence[str] | None) -> list[DocumentMeta]:
    return [d.meta for d in state.docs.values() if doc_ids is None or d.meta.doc_id in doc_ids]


def _query(
    state: IndexState, text: str, k: int, doc_ids: Sequence[str] | None, targets: Sequence[str]
) -> Query:
    """Content terms only: words naming documents (知识产权强省, 强区) would match the headings of whole
    documents; `targets` already prefers the documents named."""
    terms = tuple(
        t
        for t in _heading_terms(tokenize(text))
        if t not in GENERIC_TERMS and not state.names_documents(t, targets)
    )
    return Query(text, k, frozenset(doc_ids) if doc_ids else None, frozenset(targets), terms)


def _nearest_sections(state: IndexState, hits: Sequence[RankedHit]) -> list[str]:
    seen: list[str] = []
    for hit in hits[:5]:
        title = (
            state.docs[hit.chunk.doc_id].meta.title if hit.chunk.doc_id in state.docs else hit.chunk.doc_id
        )
        label = f"《{title}》{hit.chunk.section_path}"
        if hit.chunk.section and label not in seen:
            seen.append(label)
    return seen[:3]
