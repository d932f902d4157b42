"""Test doubles for the eval harness: real corpus passages, a scripted QAEngine, bigram embeddings."""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.engine_api import DocumentInfo, Message, StreamEvent
from assistant.models import Answer, Chunk, Citation, DocumentMeta, Hit
from assistant.textnorm import match_key

# Passages quoted from corpus/003 (吉林, full-width digits) and corpus/000.
JILIN_PATENTS = "每万人口发明专利拥有量力争达到４.２件，年均增长１０％以上。"
JILIN_APPLICATIONS = "全省年专利申请量力争达到２.４万件。"
JILIN_TRADEMARKS = "中国驰名商标总数力争达到１６０件。"
SUPPORT_SYSTEM = (
    "2. 健全知识产权制度实施体系。构建与科技、经济、贸易、金融等政策有效融合的知识产权政策体系。"
    "建立体系完备、纵向联动、执行有力的知识产权行政管理体系。"
)
PILOT_SECTION = ("二、试点任务", "(二) 支撑型知识产权强省建设试点省主要任务")
GOALS_SECTION = ("一、目标任务",)

JILIN = DocumentMeta(doc_id="003", title="关于新形势下加快知识产权强省建设的实施意见", source="003.txt")
NATIONAL = DocumentMeta(doc_id="000", title="加快推进知识产权强省建设工作方案(试行)", source="000.txt")
METAS = {m.doc_id: m for m in (JILIN, NATIONAL)}


def chunk(doc_id: str, section: tuple[str, ...], text: str, ordinal: int = 0) -> Chunk:
    return Chunk(f"{doc_id}-{ordinal}", doc_id, section, text, 0, len(text), "item")


def citation(n: int, c: Chunk) -> Citation:
    meta = METAS[c.doc_id]
    return Citation(n, c.doc_id, meta.title, None, None, " › ".join(c.section), c.text, c.start, c.end, 1.0)


def answer(text: str, chunks: Sequence[Chunk], question: str, abstained: bool = False) -> Answer:
    cites = [citation(n, c) for n, c in enumerate(chunks, start=1)]
    return Answer(text, abstained, cites, question_used=question)


@dataclass
class FakeClock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Scripted:
    answer: Answer
    hits: list[Hit]
    latency_ms: float


@dataclass
class FakeEngine:
    """Answers and search results scripted per question; `ask` advances the clock by a set latency."""

    script: dict[str, Scripted]
    clock: FakeClock = field(default_factory=FakeClock)
    model_name: str = "fake"
    asked: list[tuple[str, tuple[Message, ...]]] = field(default_factory=list)
    searched: list[tuple[str, int]] = field(default_factory=list)

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer:
        self.asked.append((question, tuple(history)))
        self.clock.now += self.script[question].latency_ms / 1000
        return self.script[question].answer

    def search(self, query: str, k: int = 8, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        self.searched.append((query, k))
        for item in self.script.values():
            if item.answer.question_used == query:
                return item.hits[:k]
        return []

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]:
        yield StreamEvent("done", self.ask(question, history))

    def documents(self) -> list[DocumentInfo]:
        return []

    def document(self, doc_id: str) -> DocumentInfo:
        raise KeyError(doc_id)

    def add_document(self, filename: str, data: bytes) -> DocumentInfo:
        raise NotImplementedError

    def delete_document(self, doc_id: str) -> None:
        raise KeyError(doc_id)

    def stats(self) -> dict[str, Any]:
        return {}


class BigramEmbeddings(Embeddings):
    """Hashed character-bigram counts, L2-normalised: texts sharing bigrams end up close."""

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def _embed(self, text: str) -> list[float]:
        key = match_key(text)
        vec = [0.0] * self.dim
        for i in range(len(key) - 1):
            vec[zlib.crc32(key[i : i + 2].encode()) % self.dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


def scripted_engine() -> FakeEngine:
    """The engine behind data/questions_small.jsonl; test_eval_runner spells out what it should score."""
    patents = chunk("003", GOALS_SECTION, JILIN_PATENTS, 1)
    applications = chunk("003", GOALS_SECTION, JILIN_APPLICATIONS, 2)
    support = chunk("000", PILOT_SECTION, SUPPORT_SYSTEM, 3)
    other = chunk("000", ("四、保障条件",), "加强组织领导。", 4)
    q1, q2 = "吉林省每万人口发明专利拥有量目标是多少？", "支撑型强省试点省要健全什么体系？"
    q3, q4, q5 = (
        "吉林省年专利申请量目标是多少？",
        "上海市的知识产权强市目标是什么？",
        "北京市专利资助标准是多少？",
    )
    return FakeEngine(
        {
            q1: Scripted(
                answer("每万人口发明专利拥有量力争达到4.2件[1]。", [patents], q1), [Hit(patents, 0.9)], 100
            ),
            q2: Scripted(
                answer("要健全知识产权制度实施体系[1]。到2020年建成10个试点省[1]。", [support], q2),
                [Hit(other, 0.8), Hit(support, 0.7)],
                200,
            ),
            q3: Scripted(answer("未找到相关规定。", [], q3, abstained=True), [Hit(other, 0.5)], 300),
            q4: Scripted(answer("未找到相关规定。", [], q4, abstained=True), [Hit(other, 0.2)], 400),
            q5: Scripted(
                answer("加强组织领导[1]。", [other], q5), [Hit(other, 0.3), Hit(applications, 0.1)], 500
            ),
        }
    )
