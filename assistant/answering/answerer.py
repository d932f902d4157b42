"""The extractive answerer: follow-up rewrite → analysis → hybrid search → abstain or compose."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from assistant.answering import abstain, followup, parts, support
from assistant.answering import said as says_asked
from assistant.answering.compose import compose
from assistant.answering.context import Context
from assistant.answering.docnames import GENRES, DocNamer, runs
from assistant.answering.draft import Draft, Line, merge_answers, render
from assistant.answering.draft_checks import (
    AMOUNT_RULE,
    ANCHORED,
    act_stated,
    amount_stated,
    fine_for_another_rule,
    old_text_answered,
    order_number_stated,
    other_asks,
    places_stated,
    post_stated,
    sanction_stated,
    target_year_stated,
)
from assistant.answering.history import asks_history, asks_later_text, asks_old_text
from assistant.answering.issuers import issuers_written_out, unknown_issuers
from assistant.answering.lexicon import QUESTION_PADDING, Lexicon
from assistant.answering.metadata_answers import asks_title
from assistant.answering.normalize import normalise_question
from assistant.answering.question import (
    ABOUT_DOCUMENT,
    ASK_WORDS,
    QType,
    QuestionInfo,
    analyse,
    asks_of,
    each_ask,
    without_asking_forms,
)
from assistant.answering.regions import Gazetteer, foreign_topics, region_forms
from assistant.answering.sentences import bigram_set, fuzzy_term_hits, has_figure, sentences
from assistant.answering.unknown_docs import other_region_titles, regional_titles, unheld_region_titles
from assistant.engine_api import Message
from assistant.ingest.places import NATIONAL
from assistant.models import Answer, Chunk, DocumentMeta
from assistant.profile import Profile
from assistant.retrieval.fusion import RankedHit
from assistant.retrieval.keyword import tag, tokenize
from assistant.retrieval.searcher import HybridSearcher, IndexState, Query, _heading_terms
from assistant.textnorm import match_key


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    hits: list[RankedHit]
    info: QuestionInfo | None
    reason: str = ""  # abstention reason, when abstained


@lru_cache(maxsize=64)
def _doc_pairs(text: str) -> frozenset[str]:
    return support.char_pairs(text)


@lru_cache(maxsize=4096)
def _passage_share(passages: tuple[str, ...], word: str) -> float:
    return sum(1 for p in passages if word in p) / max(1, len(passages))


@dataclass(frozen=True)
class Knowledge:
    """What the answerer derives once per index version: the lexicon and the document names."""

    lexicon: Lexicon
    namer: DocNamer
    rows: dict[str, int]  # chunk_id → row
    texts: dict[str, str]
    corpus_pairs: frozenset[str]  # the character pairs of every document
    gazetteer: Gazetteer
    article_docs: frozenset[str]  # documents written in articles (第X条)
    passages: tuple[str, ...]  # every passage's text, normalised
    regional_titles: dict[str, frozenset[str]]  # a title's words after its place → the places holding it
    held_regions: frozenset[str]  # the places some document is of

    def passage_share(self, word: str) -> float:
        """The share of passages that use the word (as written)."""
        return _passage_share(self.passages, match_key(word))

    def has_articles(self, doc_id: str) -> bool:
        return doc_id in self.article_docs

    def pairs(self, doc_id: str) -> frozenset[str]:
        """The character pairs of one document's text (to tell whether it uses a phrase)."""
        return _doc_pairs(self.texts.get(doc_id, ""))

    @classmethod
    def of(cls, state: IndexState, profile: Profile) -> Knowledge:
        texts = {doc_id: record.text for doc_id, record in state.docs.items()}
        namer = DocNamer(list(state.metas.values()), texts, short_forms=lambda r: region_forms(r)[1:])
        rows = {c.chunk_id: row for row, c in enumerate(state.chunks)}
        pairs = frozenset().union(*(_doc_pairs(t) for t in texts.values()))
        gazetteer = Gazetteer.build(m.region for m in state.metas.values())
        lexicon = Lexicon.build(state.chunks, state.keyword.doc_freq, profile)
        articles = frozenset(
            c.doc_id for c in state.chunks if any(support.article_number(h) is not None for h in c.section)
        )
        passages = tuple(match_key(c.text) for c in state.chunks)
        titles = [match_key(m.title) for m in state.metas.values()]
        regional = regional_titles(titles, gazetteer.mentions, gazetteer.names)
        held = frozenset(gazetteer.names.get(m.region, m.region) for m in state.metas.values() if m.region)
        return cls(lexicon, namer, rows, texts, pairs, gazetteer, articles, passages, regional, held)


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
        named = namer.resolve(self._naming_text(state, text)) or _the_only_one(text, state.metas.values())
        if named and self._places_set_the_scene(state, text):
            # 「湖北的县局罚了我们，公司登记在广东」: the places are the case's, not a document's name
            named = namer.resolve(self._naming_text(state, self._without_places(state, text)))
        premise = _PREMISE_THEN.match(text)
        if premise is not None:
            # 「洛阳…罚四倍以下，那淄博对假冒专利罚多少？」 asks of the document named after 那 only
            named = namer.resolve(self._naming_text(state, premise.group(1))) or named
        return Scope(tuple(d for d in named if not doc_ids or d in doc_ids))

    def _places_set_the_scene(self, state: IndexState, text: str) -> bool:
        """The question names places of two provinces, one a document covers and one none does."""
        places = self.knowledge(state).gazetteer
        found = places.find(text)
        regions = [m.region for m in state.metas.values()]
        provinces = {places.provinces.get(r, r) for r in found}
        covered = {places.covered(r, regions) for r in found}
        return len(provinces) > 1 and covered == {True, False}

    def _places_not_held(
        self, state: IndexState, text: str, metas: Sequence[DocumentMeta], hits: Sequence[RankedHit]
    ) -> list[str]:
        """The places no document is about; none when they only set the case of a nationwide rule."""
        if self._places_set_the_scene(state, text) and _nationwide(state, hits):
            return []
        return _unknown_places(self.knowledge(state).gazetteer, text, metas, hits)

    def _without_places(self, state: IndexState, text: str) -> str:
        for written in self.knowledge(state).gazetteer.mentions(text):
            text = text.replace(written, "\x00" * len(written))
        return text

    def _naming_text(self, state: IndexState, text: str) -> str:
        issuers = [m.issuer for m in state.metas.values() if m.issuer]
        return issuers_written_out(approvers_blanked(text), issuers, self.profile.synonyms)

    def rewrite(self, state: IndexState, question: str, history: Sequence[Message]) -> str:
        known = self.knowledge(state)
        turns = [(m.role, normalise_question(m.content)) for m in history]

        def doc_words(text: str) -> list[str]:
            """The words that name documents, as written ("它" in a follow-up takes them over)."""
            key = match_key(text)
            spans = set().union(*(known.namer.mention(d, key).spans for d in known.namer.resolve(text)))
            return sorted({key[run[0] : run[-1] + 1] for run in runs(sorted(spans))}, key=key.find)

        def titles(text: str) -> list[str]:
            return [state.metas[d].title for d in known.namer.resolve(text) if d in state.metas]

        def topics(text: str) -> list[str]:
            key = match_key(text)
            return [d for d in state.metas if known.namer.mention(d, key).score >= _TOPIC_MENTION]

        return followup.rewrite(
            normalise_question(question),
            turns,
            known.gazetteer.mentions,
            doc_words,
            known.lexicon,
            titles,
            topics,
            openers=(self.profile.domain,) if self.profile.domain else (),
        )

    def answer(
        self,
        state: IndexState,
        question: str,
        history: Sequence[Message] = (),
        doc_ids: Sequence[str] | None = None,
    ) -> Outcome:
        """The answer to the question; several questions in one (能不能找人代投诉？要带什么？) get the
        answer of each earlier one first. One the documents do not state refuses the whole: an answer to the
        last alone would read as an answer to all."""
        outcome = self._answer_one(state, question, history, doc_ids)
        if outcome.answer.abstained:
            # the last question decides: a question partly unstated is not answered
            return self._answer_each(state, outcome, doc_ids) or outcome
        merged = outcome.answer
        cited = {c.doc_id for c in outcome.answer.citations}
        for part in reversed(_earlier_asks(outcome.answer.question_used)):
            earlier = self._answer_one(state, part, (), doc_ids)
            if earlier.answer.abstained and earlier.reason == "unstated":
                return replace(
                    earlier, answer=replace(earlier.answer, question_used=outcome.answer.question_used)
                )
            # one question of several is about the same documents; an answer from others is off the point
            if not earlier.answer.abstained and cited & {c.doc_id for c in earlier.answer.citations}:
                merged = merge_answers(earlier.answer, merged)
        return replace(outcome, answer=replace(merged, question_used=outcome.answer.question_used))

    def _answer_each(
        self, state: IndexState, whole: Outcome, doc_ids: Sequence[str] | None
    ) -> Outcome | None:
        """Several questions in one that are refused as a whole (the checks of the last ask read lines
        picked for all of them) are answered one by one: each must be answered, all from one document and
        nothing from another (a part answered from elsewhere too is a part the document may not state)."""
        if whole.reason != "unstated":
            return None
        later = asks_of(whole.answer.question_used)[1:]
        if not later or not all(map(_self_contained, later)):
            return None  # 分别叫什么？ leans on the question before it: alone it would find anything
        outcomes = [self._answer_one(state, ask, (), doc_ids) for ask in each_ask(whole.answer.question_used)]
        cited = {c.doc_id for o in outcomes for c in o.answer.citations}
        if any(o.answer.abstained for o in outcomes) or len(cited) != 1:
            return None
        merged = outcomes[0].answer
        for part in outcomes[1:]:
            merged = merge_answers(merged, part.answer)
        return replace(outcomes[-1], answer=replace(merged, question_used=whole.answer.question_used))

    def _answer_one(
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
        places = self.knowledge(state).gazetteer
        info = analyse(used, places.find(used))
        scope = self.scope(state, used, doc_ids)
        known = self.knowledge(state)
        key = match_key(used)
        if (
            known.namer.unknown(used)
            or other_region_titles(key, known.regional_titles, places.mentions, places.names)
            or unheld_region_titles(
                key, known.regional_titles, places.mentions, places.names, GENRES, known.held_regions
            )
        ):
            return self._abstain(state, used, [], "unknown_document", None, info)
        if (
            info.qtype not in ABOUT_DOCUMENT
            and not asks_history(used)
            and asks_old_text(used, _metas_in_scope(state, scope.named or doc_ids))
        ):
            return self._abstain(state, used, [], "old_text", None, info)
        if asks_later_text(used):
            return self._abstain(state, used, [], "later_text", None, info)
        query = self.query_for(state, used, self.k, doc_ids, scope)
        terms = query.heading_terms
        vector = self.searcher.encode(query.text)
        hits, elsewhere = self._retrieve(state, query, scope, doc_ids, vector)
        if info.qtype is QType.ISSUER and support.maker_stated(used, [h.chunk.text for h in hits[:3]]):
            info = replace(info, qtype=QType.RESPONSIBILITY)  # who makes a thing the text names
        # a follow-up naming only another document (吉林呢？) borrows the previous turn's words, written as
        # the previous document writes them: their absence from the new one says nothing
        borrowed = bool(history) and used != question.strip() and followup.is_elliptical(question)
        precheck = self._check_scope(
            state, used, scope, hits, () if borrowed else elsewhere, query.heading_terms
        )
        if precheck is not None:
            return self._abstain(state, used, *precheck, info)
        verdict = abstain.judge(
            used,
            terms,
            hits,
            foreign=foreign_topics(used, self.profile.foreign, self.profile.foreign_subjects),
            unknown_places=self._places_not_held(state, used, metas, hits),
            unknown_issuers=unknown_issuers(
                used, metas, [state.docs[m.doc_id].text for m in metas], _top_text(hits)
            ),
            unstated=self.profile.unstated,
            thresholds=self.thresholds,
            titles="".join(m.title for m in metas),
            doc_texts="".join(state.docs[d].text for d in dict.fromkeys(h.chunk.doc_id for h in hits[:3])),
            penalty_text=_penalty_text(used, hits, state.doc_chunks),
        )
        if (
            verdict.reason == "low_relevance"
            and scope.named
            and (info.qtype in ABOUT_DOCUMENT or asks_title(used))
        ):
            verdict = abstain.Verdict(False)  # a named document's 文号, date or issuer: its metadata says
        if not verdict.abstain:
            verdict = self._check_facts(state, info, used, hits, metas, scope.named)
        if verdict.abstain:
            return self._abstain(state, used, hits, verdict.reason, None, info)
        # place names pick the document (targets); inside its sentences the place is "我省"/"全市"
        content = tuple(t for t in terms if not places.find(t))
        # the words naming the document (计算机软件保护条例) are in its every mention, not in the answer;
        # only why it was made restates them (为正确实施…惩罚性赔偿制度)
        about_itself = info.qtype in ABOUT_DOCUMENT or support.asks_purpose(used)
        names = [] if about_itself else self._name_words(state, used)
        outside_names = tuple(t for t in content if not any(match_key(t) in n for n in names))
        content = outside_names or content
        ctx = Context(
            info,
            content,
            frozenset(bigram_set(used)),
            hits,
            state.doc_chunks,
            state.metas,
            scope.named,
            self.knowledge(state).lexicon,
            _similarity(self.searcher, vector),
        )
        draft = compose(ctx)
        if not draft.lines:
            stated_or_not = info.qtype in ABOUT_DOCUMENT or draft.about
            reason = "unstated" if stated_or_not else "low_relevance"
            return self._abstain(state, used, hits, reason, scope.named[0] if scope.named else None, info)
        whole, draft = draft, draft.checked()  # a further point must not make the answer pass
        refusal = self._refusal(state, info, used, draft, content)
        if refusal is not None:
            return self._abstain(state, used, [] if refusal == "old_text" else hits, refusal, None, info)
        if self._yes_no_off_document(state, used, scope.named) is not None:
            return self._abstain(state, used, hits, "unstated", scope.named[0], info)
        unnamed = self._yes_no_unnamed(state, used, draft)
        if unnamed is not None:
            # the nearest rule may still help, but the asker must not read it as settling the question
            whole.lines.insert(0, Line(abstain.unnamed_caveat(unnamed), ()))
        return Outcome(render(whole, ctx.docs, used), hits, info)

    def _refusal(
        self, state: IndexState, info: QuestionInfo, used: str, draft: Draft, content: Sequence[str]
    ) -> str | None:
        """Why the drafted lines do not answer the question ("unstated", "old_text"), or None."""
        stated = amount_stated(info, used, draft, self._anchors(state, info, used))
        if not stated or not post_stated(used, draft) or not act_stated(used, draft, self.profile.courts):
            return "unstated"
        if not sanction_stated(used, draft):
            return "unstated"
        if not target_year_stated(used, draft, info.qtype, state.metas, state.doc_chunks):
            return "unstated"
        if not order_number_stated(used, draft):
            return "unstated"
        if not old_text_answered(used, draft, info.qtype, state.metas):
            return "old_text"
        if not places_stated(used, draft, self.knowledge(state).gazetteer):
            return "unstated"
        if info.qtype is QType.NUMBER and fine_for_another_rule(used, draft, content, state.doc_chunks):
            return "unstated"
        return None

    def _retrieve(
        self,
        state: IndexState,
        query: Query,
        scope: Scope,
        doc_ids: Sequence[str] | None,
        vector: np.ndarray,
    ) -> tuple[list[RankedHit], list[RankedHit]]:
        """(the passages to answer from, the best passages of the whole corpus). A question naming one
        document is answered from that document only; the corpus-wide search shows what it lacks."""
        if len(scope.named) != 1 or doc_ids is not None:
            hits = self._search(state, query, scope.named if doc_ids is None else (), vector)
            return hits, hits
        scoped = replace(query, doc_ids=frozenset(scope.named))
        # the other documents' best passages: what the question asks may be stated there instead
        others = frozenset(state.docs) - frozenset(scope.named)
        elsewhere = replace(query, doc_ids=others, preferred_docs=frozenset())
        found = self.searcher.search(state, scoped, vector)
        return found, (self.searcher.search(state, elsewhere, vector) if others else [])

    def _check_scope(
        self,
        state: IndexState,
        text: str,
        scope: Scope,
        hits: list[RankedHit],
        elsewhere: Sequence[RankedHit],
        terms: Sequence[str] = (),
    ) -> tuple[list[RankedHit], str, str | None] | None:
        """(hits, reason, document) to refuse with, when the named document or the asked article does not
        state the fact; else None. An asked article found is moved to the top of `hits`."""
        # a history question is answered from the document's notes, whatever its passages say
        if (
            len(scope.named) == 1
            and not asks_history(text)
            and self._stated_elsewhere(state, text, scope.named[0], hits, elsewhere, terms)
        ):
            return list(elsewhere), "named_missing", scope.named[0]
        missing_part = self._missing_part(state, text, scope, hits)
        if missing_part is not None:
            return list(hits), "unstated", missing_part
        numbers = support.asked_articles(text)
        if numbers:
            # the named document's article; unnamed, the article of the best matching document that has one;
            # in a document without articles (a plan), 第二条 means a list's second point, not an article
            docs = [
                d
                for d in scope.named or tuple(dict.fromkeys(h.chunk.doc_id for h in hits))
                if self.knowledge(state).has_articles(d)
            ]
            found = next((f for d in docs if (f := self._articles(state, numbers, (d,)))), [])
            if docs and not found:
                return list(elsewhere), "unstated", scope.named[0] if scope.named else None
            ids = {h.chunk.chunk_id for h in found}
            hits[:] = [*found, *(h for h in hits if h.chunk.chunk_id not in ids)]
        elif hits:
            # a passage that answers by its form goes first: why the document was made is said in its
            # opening (为规范…，制定本办法), the X listed in the list introduced as 下列X：
            chunks = state.doc_chunks.get(scope.named[0] if scope.named else hits[0].chunk.doc_id, ())
            asks_purpose = support.asks_purpose(text)
            formed = (
                support.purpose_chunk(chunks)
                if asks_purpose
                else support.list_introducing(text, chunks) or support.reach_chunk(text, chunks)
            )
            if formed is not None:
                hits[:] = [
                    self._pinned(state, formed),
                    *(h for h in hits if h.chunk.chunk_id != formed.chunk_id),
                ]
        return None

    def _missing_part(
        self, state: IndexState, text: str, scope: Scope, hits: Sequence[RankedHit]
    ) -> str | None:
        """The document asked about when it counts such parts but not as far as asked (第四阶段 of a
        plan in three stages, 第九条 of a section of five points)."""
        part = parts.asked_part(text)
        doc_id = scope.named[0] if scope.named else (hits[0].chunk.doc_id if hits else None)
        if part is None or doc_id is None or self.knowledge(state).has_articles(doc_id):
            return None
        paths = parts.section_paths([c.section for c in state.doc_chunks.get(doc_id, ())])
        found = parts.find_part(paths, text, part)
        return doc_id if found is not None and found.path is None else None

    def _anchors(self, state: IndexState, info: QuestionInfo, text: str) -> list[tuple[str, float]]:
        """The most specific things the asking clause names (see support.asked_anchor, framed_thing), each
        with the share of its character pairs an answer must write."""
        if info.qtype not in ANCHORED:
            return []
        clause = support.anchor_clause(text)
        frequency = self.knowledge(state).passage_share

        names = self._name_words(state, text)
        skip = self._plain_words(state, text)
        tagged = _outside(tag(clause), names)
        anchor = support.asked_anchor(tagged, clause, skip, frequency)
        lead = _clause_before(text, support.asking_clause(text))
        if anchor is None and lead and _PER_UNIT.match(clause):
            # 「拿到一件实用新型授权，每件补助多少」: the clause before names what each one is
            anchor = support.asked_anchor(_outside(tag(lead), names), lead, skip, frequency)
        anchor = _period_of_act(anchor)
        found = [
            (anchor, support.ANCHOR_SAID),
            # the kind of 期限 must be written out: 竞业限制的期限 shares pairs with 保密期限 but is not it
            (support.framed_thing(tagged, skip, frequency), 1.0),
            # a term the question quotes (文件说的“合理期限”) is the thing asked, as written
            *((term, 1.0) for term in _QUOTED_TERM.findall(clause) if frequency(match_key(term)) > 0),
        ]
        return [(a, share) for a, share in found if a is not None]

    def _yes_no_unnamed(self, state: IndexState, text: str, draft: Draft) -> str | None:
        """The thing a yes/no question turns on that no document names (要不要交个人所得税): a passage
        about its neighbourhood does not settle the question."""
        tagged = self._predicate_words(state, text)
        if not tagged:
            return None
        said = "".join(line.text + "".join(e.quote for e in line.evidence) for line in draft.lines)
        frequency = self.knowledge(state).passage_share
        return support.unnamed_thing(tagged, self._plain_words(state, text), frequency, said)

    def _predicate_words(self, state: IndexState, text: str) -> list[tuple[str, str]]:
        """A yes/no question's predicate, tagged, without the words naming documents; [] for others."""
        predicate = says_asked.yes_no_predicate(text)
        return _outside(tag(predicate), self._name_words(state, text)) if predicate else []

    def _yes_no_off_document(self, state: IndexState, text: str, named: Sequence[str]) -> str | None:
        """The thing a yes/no question about one named document turns on, when that document never
        names it (展品 asked of a 版权条例 without one): its nearest rule does not settle the question."""
        tagged = self._predicate_words(state, text) if len(named) == 1 else []
        if not tagged:
            return None
        doc_text = match_key(self.knowledge(state).texts.get(named[0], ""))
        skip = set(self._plain_words(state, text))
        while (thing := support.unnamed_noun(tagged, skip, _used_nowhere, doc_text)) is not None:
            # the asker's word for what the document writes formally (商量 for 约定) is named by it
            if not any(match_key(w) in doc_text for w in self.profile.expansions(thing)):
                return thing
            skip.add(thing)
        return None

    def _name_words(self, state: IndexState, text: str) -> list[str]:
        """The words of the question that name documents (a title with its type word, an issuer's
        short name): never the thing asked."""
        known = self.knowledge(state)
        key = match_key(text)
        spans: set[int] = set()
        for doc_id in known.namer.resolve(self._naming_text(state, text)):
            spans |= known.namer.mention(doc_id, key).name_spans
        named = [key[run[0] : run[-1] + 1] for run in runs(sorted(spans))]
        # colloquial names of the documents' issuers (国家局 for 国家知识产权局)
        issuers = "".join(f"{m.issuer or ''}{m.title}" for m in state.metas.values())
        aliases = [a for a, formal in self.profile.synonyms if a in key and any(w in issuers for w in formal)]
        return named + aliases

    def _plain_words(self, state: IndexState, text: str) -> frozenset[str]:
        """Words that make no telling phrase: document types, words every passage has, places."""
        known = self.knowledge(state)
        places = {match_key(p) for p in known.gazetteer.mentions(text)}
        return frozenset(GENRES) | known.lexicon.generic | QUESTION_PADDING | places

    def _stated_elsewhere(
        self,
        state: IndexState,
        text: str,
        named: str,
        hits: Sequence[RankedHit],
        elsewhere: Sequence[RankedHit],
        terms: Sequence[str],
    ) -> bool:
        """The question's words that other documents use are missing from the named one, and the other
        documents' best passages match the question clearly better than the named one's: what is asked is
        another document's (a phrase the named one lacks beside a passage that answers is incidental)."""
        others = "".join(h.chunk.text for h in elsewhere[:5])
        candidates = support.phrases(tag(text), text, self._plain_words(state, text))
        missing = support.missing_in(self.knowledge(state).pairs(named), others, candidates)
        text_of_named = self.knowledge(state).texts.get(named, "")
        # 市场监管 is how a question shortens the named document's 市场监督管理: not missing from it
        if not [m for m in missing if not support.abbreviates(m, text_of_named)]:
            return False
        return _coverage(terms, elsewhere) >= _coverage(terms, hits) + _CLEARLY_BETTER

    def _articles(self, state: IndexState, numbers: Sequence[int], docs: Sequence[str]) -> list[RankedHit]:
        return [
            self._pinned(state, c)
            for d in docs
            for n in numbers
            for c in support.article_chunks(state.doc_chunks.get(d, ()), n)
        ]

    def _pinned(self, state: IndexState, chunk: Chunk) -> RankedHit:
        """The passage ranked above any fused score: the one that answers by its number or form."""
        return RankedHit(self.knowledge(state).rows[chunk.chunk_id], chunk, 1.0, 1.0, 0.0, 1.0, True)

    def _search(
        self, state: IndexState, query: Query, targets: Sequence[str], vector: Any = None
    ) -> list[RankedHit]:
        """One search; for a question naming several documents, the best passages of each in turn."""
        if len(targets) < 2:
            return self.searcher.search(state, query, vector)
        per_doc = [
            self.searcher.search(
                state, replace(query, k=4, doc_ids=frozenset({d}), preferred_docs=frozenset()), vector
            )
            for d in targets
        ]
        merged = [hit for rank in range(4) for hits in per_doc if rank < len(hits) for hit in [hits[rank]]]
        return merged[: query.k]

    def _check_facts(
        self,
        state: IndexState,
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
        known = self.knowledge(state)
        if support.absent_domain_terms(text, self.profile.domain_words, known.corpus_pairs):
            return abstain.Verdict(True, "unstated")  # a domain term no indexed document uses
        if info.qtype is QType.NUMBER:
            sentences_ = [s.text for h in hits[:6] for s in sentences(h.chunk.text) if has_figure(s.text)]
            # 赔多少 answered by how the amount is set (赔偿数额为…) needs no figure in 元
            if abstain.unit_missing(text, sentences_) and not any(
                AMOUNT_RULE.search(s.text) for h in hits[:3] for s in sentences(h.chunk.text)
            ):
                return abstain.Verdict(True, "unstated")
            if abstain.cue_without_figure(text, self.profile.unstated, sentences_):
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

        Words naming documents (their titles' words) would match the headings of whole documents; the
        document preference already uses them. A place name stays a term even when a title holds it
        (某省人民政府关于…): the text names its place too (某省提出…)."""
        scope = scope or self.scope(state, text, doc_ids)
        known = self.knowledge(state)
        generic, places = known.lexicon.generic, known.gazetteer
        targets = scope.named
        names = self._name_words(state, text) if targets else []

        def names_document(term: str) -> bool:
            # a title word the question writes outside the name it uses (甲规定…哪些乙格欺诈行为) is
            # what it asks about; one of several titles picks no passage either way
            if not state.names_documents(term, targets):
                return False
            key = match_key(term)
            return not names or any(key in n for n in names) or state.names_documents(term, ())

        terms = tuple(
            t
            for t in _heading_terms(tokenize(without_asking_forms(text)))
            if t not in generic and (places.find(t) or not names_document(t))
        )
        expansions = tuple(w for w in self.profile.expansions(text) if w not in text)
        return Query(text, k, frozenset(doc_ids) if doc_ids else None, frozenset(targets), terms, expansions)

    def _abstain(
        self,
        state: IndexState,
        used: str,
        hits: Sequence[RankedHit],
        reason: str,
        document: str | None,
        info: QuestionInfo | None = None,
    ) -> Outcome:
        titles = [d.meta.title for d in state.docs.values()]
        nearest = [] if reason in {"chitchat", "injection"} else _nearest_sections(state, hits)
        subject = state.docs[document].meta.title if document in state.docs else None
        own = bool(hits) and all(h.chunk.doc_id == document for h in hits[:5])
        text = abstain.abstention_message(reason, titles, nearest, subject, own)
        answer = Answer(answer=text, abstained=True, citations=[], mode="extractive", question_used=used)
        return Outcome(answer, list(hits), info, reason)


_QUOTED_TERM = re.compile(r"[“「‘\"]([\u4e00-\u9fff]{2,12})[”」’\"]")
_TOPIC_MENTION = 1.5  # a title's subject written out (商业秘密), not one shared word (知识产权)


_DEMONSTRATIVE = re.compile(r"(?:这个|那个|这份|那份|这部|那部|该)(?P<genre>[\u4e00-\u9fff]{2})")


def _the_only_one(question: str, metas: Iterable[DocumentMeta]) -> tuple[str, ...]:
    """「这个批复」 names the corpus's only document of that type; with two or more it names none."""
    pointed = [m.group("genre") for m in _DEMONSTRATIVE.finditer(question) if m.group("genre") in GENRES]
    if not pointed:
        return ()
    of_type = [m.doc_id for m in metas if m.title.endswith(pointed[0])]
    return tuple(of_type) if len(of_type) == 1 else ()


_SELF_CONTAINED = 8  # characters: shorter questions (涉外的呢？) lean on the one before


def _self_contained(ask: str) -> bool:
    return len(ask.strip()) >= _SELF_CONTAINED and not followup.is_elliptical(ask)


def _earlier_asks(question: str) -> list[str]:
    """The questions before the last of several, each asked on its own (a short one leaning on the
    question before it is left to the whole question's answer)."""
    return [
        f"{ask.strip()}？" for ask in other_asks(question) if ASK_WORDS.search(ask) and _self_contained(ask)
    ]


_PER_UNIT = re.compile(r"每(?:一)?[件个项家名人次]")


def _clause_before(question: str, clause: str) -> str:
    """The clause right before the asking one, if any."""
    before = question[: question.rfind(clause)] if clause else ""
    parts = [c for c in re.split(r"[，,；;。？?！!]", before) if c.strip()]
    return parts[-1] if parts else ""


def _outside(tagged: Sequence[tuple[str, str]], names: Sequence[str]) -> list[tuple[str, str]]:
    """The words not written inside a document's name: 「导游条例导游人员…」 keeps the second
    导游, which names a person, not the document."""
    key = "".join(match_key(w) for w, _ in tagged)
    inside: set[int] = set()
    for name in filter(None, names):
        at = key.find(name)
        while at >= 0:
            inside.update(range(at, at + len(name)))
            at = key.find(name, at + len(name))
    kept, pos = [], 0
    for word, flag in tagged:
        size = len(match_key(word))
        if not set(range(pos, pos + size)) <= inside or not size:
            kept.append((word, flag))
        pos += size
    return kept


_CLEARLY_BETTER = 0.1


def _coverage(terms: Sequence[str], hits: Sequence[RankedHit]) -> float:
    """How much of the question the best of the top passages says."""
    return max((fuzzy_term_hits(terms, h.chunk.section_path + h.chunk.text) for h in hits[:3]), default=0.0)


def _unknown_places(
    places: Gazetteer, question: str, metas: Sequence[DocumentMeta], hits: Sequence[RankedHit]
) -> list[str]:
    """Places the question names that no document is about and the best passages do not mention (a
    place the question opens with is its subject: 「云岭新区建设…的目标」 is not answered by a passage that
    names 云岭新区 among others)."""
    regions = [m.region for m in metas]
    top_text = "".join(h.chunk.text for h in hits[:3])
    named = places.find(question)
    return [
        written
        for written in places.mentions(question)
        if not places.covered(places.names[written], regions)
        and not _within_named_province(places, places.names[written], named, regions)
        and (
            (question.lstrip().startswith(written) and not _same_name(question, written, top_text))
            or not any(form in top_text for form in {written, *region_forms(places.names[written])})
        )
    ]


def _used_nowhere(word: str) -> float:
    return 0.0  # the corpus's other documents do not count: the named one must settle it


def _nationwide(state: IndexState, hits: Sequence[RankedHit]) -> bool:
    """The best passage is of a national document: it holds in every province."""
    return bool(hits) and state.metas[hits[0].chunk.doc_id].level in (None, *NATIONAL)


def _within_named_province(
    places: Gazetteer, region: str, named: Sequence[str], regions: Sequence[str | None]
) -> bool:
    """A city named beside its own province, which a document covers, is where the asker is
    (「我们是广州一家公司…广东地理标志条例…」): the province's document applies there."""
    province = places.provinces.get(region)
    return province not in (None, region) and province in named and places.covered(province, regions)


def approvers_blanked(text: str) -> str:
    """The question with the bodies a document is submitted to blanked: 报省人大常委会批准 names the
    approver of the asked document, not a document of that body's."""
    return _APPROVER.sub(lambda m: m[1] + "某" * len(m[2]) + m[3], text)


_APPROVER = re.compile(r"(报(?:请|经)?)([^，,。；;？?报]{2,16}?)(批准|备案|审批|核准)")
# a statement, then the question asked on it (…，那B呢？)
_PREMISE_THEN = re.compile(r"^[^？?]{4,}[，,。；;]\s*那(?:么)?([^，,？?][^？?]*[？?]?)$")
_PERIOD_WORD = re.compile(r"^([\u4e00-\u9fff]{2,})(?:期限|期间|期)$")


def _period_of_act(anchor: str | None) -> str | None:
    """A period word (答辩期) asks the period of its act: 「十五日内提交答辩书」 gives it (the asked
    duration's unit is checked on its own)."""
    period = _PERIOD_WORD.match(anchor or "")
    return anchor if period is None else period.group(1)


def _penalty_text(question: str, hits: Sequence[RankedHit], doc_chunks: Mapping[str, Sequence[Chunk]]) -> str:
    """For a question about a breach's consequence, the articles punishing the breach of the best ones."""
    if not support.asks_penalty(question):
        return ""
    return "".join(
        c.text for h in hits[:3] for c in support.penalty_chunks(doc_chunks.get(h.chunk.doc_id, ()), h.chunk)
    )


def _similarity(searcher: HybridSearcher, question: np.ndarray) -> Callable[[Sequence[str]], list[float]]:
    """The cosine of sentences to the question (its vector from the search) under the search's embedding
    model; the model runs only when composition asks (a question whose words pick no sentence), each
    sentence once."""
    vectors: dict[str, np.ndarray] = {}

    def unit(vector: np.ndarray) -> np.ndarray:
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    asked = unit(np.asarray(question, dtype=np.float32))

    def closeness(sentences_: Sequence[str]) -> list[float]:
        missing = [s for s in dict.fromkeys(sentences_) if s not in vectors]
        if missing:
            encoded = np.asarray(searcher.embedder.encode(missing), dtype=np.float32)
            vectors.update((s, unit(v)) for s, v in zip(missing, encoded, strict=True))
        return [float(vectors[s] @ asked) for s in sentences_]

    return closeness


def _same_name(question: str, place: str, text: str) -> bool:
    """The place begins a longer name the passages write too (云岭博览会): the thing named, not a
    region the question is about."""
    at = question.find(place)
    longer = question[at : at + len(place) + 2]
    return (
        len(longer) == len(place) + 2
        and re.fullmatch(r"[\u4e00-\u9fff]{2}", longer[-2:]) is not None
        and (longer[len(place)] not in "的省市区县" and longer in text)
    )


def _top_text(hits: Sequence[RankedHit]) -> str:
    return "".join(h.chunk.text for h in hits[:3])


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
