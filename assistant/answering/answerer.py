"""The extractive answerer: follow-up rewrite → analysis → hybrid search → abstain or compose."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.answering import abstain, followup
from assistant.answering.compose import Context, compose
from assistant.answering.docnames import DocNamer
from assistant.answering.draft import render
from assistant.answering.lexicon import Lexicon
from assistant.answering.normalize import normalise_question
from assistant.answering.question import QType, QuestionInfo, analyse
from assistant.answering.regions import base_name, find_foreign, find_places, place_mentions
from assistant.answering.sentences import bigram_set, has_figure, sentences
from assistant.engine_api import Message
from assistant.models import Answer, DocumentMeta
from assistant.profile import Profile
from assistant.retrieval.fusion import RankedHit
from assistant.retrieval.keyword import tokenize
from assistant.retrieval.searcher import HybridSearcher, IndexState, Query, _heading_terms


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    hits: list[RankedHit]
    info: QuestionInfo | None
    reason: str = ""  # abstention reason, when abstained


@dataclass(frozen=True)
class Knowledge:
    """What the answerer derives once per index version: the lexicon and the document names."""

    lexicon: Lexicon
    namer: DocNamer

    @classmethod
    def of(cls, state: IndexState, profile: Profile) -> Knowledge:
        texts = {doc_id: record.text for doc_id, record in state.docs.items()}
        namer = DocNamer(list(state.metas.values()), texts)
        return cls(Lexicon.build(state.chunks, state.keyword.doc_freq, profile), namer)


@dataclass(frozen=True)
class Scope:
    named: tuple[str, ...]  # documents the question names: answers come from them


class ExtractiveAnswerer:
    def __init__(
        self,
        searcher: HybridSearcher,
        thresholds: abstain.Thresholds,
        k: int = 10,
        profile: Profile | None = None,
    ) -> None:
        self.searcher = searcher
        self.thresholds = thresholds
        self.k = k
        self.profile = profile or Profile()
        self._known: tuple[IndexState, Knowledge] | None = None
        self._lock = threading.Lock()

    def knowledge(self, state: IndexState) -> Knowledge:
        known = self._known
        if known is not None and known[0] is state:
            return known[1]
        with self._lock:
            if self._known is None or self._known[0] is not state:
                self._known = (state, Knowledge.of(state, self.profile))
            return self._known[1]

    def scope(self, state: IndexState, text: str, doc_ids: Sequence[str] | None = None) -> Scope:
        namer = self.knowledge(state).namer
        searchable = f"{text} {' '.join(self.profile.expansions(text))}"
        return Scope(tuple(d for d in namer.resolve(searchable) if not doc_ids or d in doc_ids))

    def rewrite(self, state: IndexState, question: str, history: Sequence[Message]) -> str:
        known = self.knowledge(state)
        turns = [(m.role, normalise_question(m.content)) for m in history]

        def doc_words(text: str) -> list[str]:
            named = known.namer.resolve(text)
            spans = [known.namer.mention(d, text).spans for d in named]
            return [text[min(s) : max(s) + 1] for s in spans if s]

        return followup.rewrite(normalise_question(question), turns, place_mentions, doc_words, known.lexicon)

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
        scope = self.scope(state, used, doc_ids)
        query = self.query_for(state, used, self.k, doc_ids, scope)
        terms = query.heading_terms
        hits = self._search(state, query, scope.named if doc_ids is None else ())
        verdict = abstain.judge(
            used,
            terms,
            hits,
            foreign=find_foreign(used, self.profile.foreign),
            unknown_places=self._unknown_places(info, metas, hits),
            unstated=self.profile.unstated,
            thresholds=self.thresholds,
            titles="".join(m.title for m in metas),
            doc_texts="".join(state.docs[d].text for d in dict.fromkeys(h.chunk.doc_id for h in hits[:3])),
        )
        if not verdict.abstain:
            verdict = self._check_facts(info, used, hits, metas, scope.named)
        if verdict.abstain:
            return self._abstain(state, used, hits, verdict.reason, info)
        # place names pick the document (targets); inside its sentences the place is "我省"/"全市"
        content = tuple(t for t in terms if not find_places(t))
        ctx = Context(
            info,
            content,
            frozenset(bigram_set(used)),
            hits,
            state.doc_chunks,
            state.metas,
            scope.named,
            self.knowledge(state).lexicon,
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

    def _check_facts(
        self,
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
            cues = [cue for cue, _ in self.profile.unstated if cue in text]
            if cues and not any(c in s for c in cues for s in sentences_):
                return abstain.Verdict(True, "unstated")
        return abstain.Verdict(False)

    def query_for(
        self,
        state: IndexState,
        text: str,
        k: int,
        doc_ids: Sequence[str] | None = None,
        scope: Scope | None = None,
    ) -> Query:
        """The search the answerer runs: named documents preferred, content terms matched to headings.

        Words naming documents (知识产权强省, 强区) would match the headings of whole documents; the
        document preference already uses them."""
        scope = scope or self.scope(state, text, doc_ids)
        generic = self.knowledge(state).lexicon.generic
        targets = scope.named
        terms = tuple(
            t
            for t in _heading_terms(tokenize(text))
            if t not in generic and not state.names_documents(t, targets)
        )
        return Query(text, k, frozenset(doc_ids) if doc_ids else None, frozenset(targets), terms)

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
