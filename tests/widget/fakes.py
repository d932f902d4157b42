"""A small fake QAEngine for the widget tests, plus a live uvicorn server on a free port.

The fake answers every question with one configured Answer; its citation passage is real text from
corpus/000 (支撑型试点省主要任务) so that what the widget shows can be compared with the seeds.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from assistant.engine_api import DocumentInfo, DocumentText, Message, StreamEvent, UnknownDocument
from assistant.models import Answer, Citation, DocumentMeta, Hit

CORPUS_000 = Path(__file__).resolve().parents[2] / "corpus" / "000_e9a873c68361df17.txt"
SUPPORT_HEADING = "（二）支撑型知识产权强省建设试点省主要任务"
XSS = "<img src=x onerror=alert(1)>"


def support_tasks_passage() -> str:
    """The four numbered tasks under (二) 支撑型… in the raw seed file, as one passage."""
    text = CORPUS_000.read_text(encoding="utf-8")
    block = text.split("支撑型知识产权强省建设试点省主要任务", 1)[1].split(
        "特色型知识产权强省建设试点省主要任务", 1
    )[0]
    items = [line.lstrip("- ").strip() for line in block.splitlines() if re.match(r"^- ?\d", line)]
    return "\n".join(items)


def task_titles(passage: str) -> list[str]:
    """'1.提升知识产权支撑创新驱动发展能力。优化…' → '提升知识产权支撑创新驱动发展能力'."""
    return [re.sub(r"^\d+\.\s*", "", line).split("。", 1)[0] for line in passage.splitlines()]


def citation(
    n: int, text: str, quote: str = "", title: str = "加快推进知识产权强省建设工作方案（试行）"
) -> Citation:
    return Citation(
        n=n,
        doc_id="000_e9a873c68361df17",
        title=title,
        doc_number="国知发管字〔2015〕59号",
        date="2015-11-05",
        section=f"二、试点任务 › {SUPPORT_HEADING}",
        text=text,
        start=100,
        end=100 + len(text),
        score=0.9,
        quote=quote,
    )


def support_tasks_answer() -> Answer:
    passage = support_tasks_passage()
    lines = [f"{i}. {title}[1]" for i, title in enumerate(task_titles(passage), start=1)]
    body = "支撑型知识产权强省建设试点省的主要任务包括：\n" + "\n".join(lines)
    first = passage.splitlines()[0]
    return Answer(answer=body, abstained=False, citations=[citation(1, passage, quote=first)])


def xss_answer() -> Answer:
    text = f"测试文件正文：{XSS} 以及 <script>alert(2)</script> 都应作为文字显示。"
    return Answer(
        answer=f"文件中写道：{XSS}[1]",
        abstained=False,
        citations=[citation(1, text, quote=XSS, title=f"恶意标题{XSS}")],
    )


class FakeEngine:
    """Answers every question with `answer`; streams it in small deltas like the real engine."""

    model_name = "fake"

    def __init__(self, answer: Answer | None = None, chunk_chars: int = 6, delay: float = 0.0) -> None:
        self.answer = answer or support_tasks_answer()
        self.chunk_chars = chunk_chars
        self.delay = delay
        self.questions: list[tuple[str, list[Message]]] = []

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer:
        self.questions.append((question, list(history)))
        return self.answer

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]:
        self.questions.append((question, list(history)))
        yield StreamEvent("citations", self.answer.citations)
        text = self.answer.answer
        for i in range(0, len(text), self.chunk_chars):
            time.sleep(self.delay)
            yield StreamEvent("delta", text[i : i + self.chunk_chars])
        yield StreamEvent("done", self.answer)

    def search(self, query: str, k: int = 8, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        return []

    def documents(self) -> list[DocumentInfo]:
        meta = DocumentMeta(
            doc_id="000_e9a873c68361df17", title="加快推进知识产权强省建设工作方案（试行）", source="000.txt"
        )
        return [DocumentInfo(meta=meta, n_chunks=1, outline=[])]

    def document(self, doc_id: str) -> DocumentInfo:
        for info in self.documents():
            if info.meta.doc_id == doc_id:
                return info
        raise UnknownDocument(doc_id)

    def document_text(self, doc_id: str) -> DocumentText:
        """The cited passage at its offsets (every citation here starts at 100) under a title line."""
        info = self.document(doc_id)
        cited = self.answer.citations[0]
        head = (info.meta.title + "\n").ljust(cited.start, "。")
        return DocumentText(info.meta, head + cited.text + "\n", [])

    def add_document(self, filename: str, data: bytes, replace: bool = False) -> DocumentInfo:
        raise NotImplementedError

    def delete_document(self, doc_id: str) -> None:
        raise UnknownDocument(doc_id)

    def stats(self) -> dict[str, Any]:
        return {"documents": 1, "chunks": 1, "model": self.model_name, "dimension": 0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1:<free port> in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
