"""The workbench's done-criteria over the real engine (m3e-small + FAISS + BM25)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.answering.draft import Evidence, _citation
from assistant.config import Settings
from assistant.engine import Engine
from assistant.models import Answer
from assistant.passages import exact_answer
from assistant.service.app import create_app

from .conftest import make_settings

pytestmark = pytest.mark.slow

CARD = "支撑型试点省的主要任务是什么"
# Questions whose answers cite other chunk kinds too: whole sections (composed when long), preambles,
# split paragraphs, metadata lines.
QUESTIONS = [
    CARD,
    "强省方案的试点任务有哪些？",
    "知识产权强区试点建设的主要任务有哪些？",
    "汕尾市建设引领型知识产权强市实施方案的文号是什么？",
    "吉林省到2020年每万人口发明专利拥有量目标是多少？",
    "2020年知识产权高质量发展工作指引提出了哪些重点任务？",
    "深圳市的知识产权政策是什么？",
]


@pytest.fixture
def real_client(engine: Any, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(tmp_path), engine=engine), raise_server_exceptions=False) as c:
        yield c


def test_card_example_citations_slice_the_text_and_references_name_the_document(
    real_client: TestClient,
) -> None:
    answer = real_client.post("/v1/ask", json={"question": CARD}).json()
    assert not answer["abstained"] and answer["citations"]
    texts: dict[str, str] = {}
    for c in answer["citations"]:
        texts.setdefault(c["doc_id"], real_client.get(f"/v1/documents/{c['doc_id']}/text").json()["text"])
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["text"]
    first = answer["references"][0]
    assert (
        first.startswith("[1]《加快推进知识产权强省建设工作方案（试行）》")
        and "国知发管字〔2015〕59号" in first
    )
    assert first.endswith(answer["citations"][0]["section"])


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_answer_and_stream_cites_exact_slices(
    real_client: TestClient, engine: Any, question: str
) -> None:
    answer = real_client.post("/v1/ask", json={"question": question}).json()
    done = next(ev for ev in engine.ask_stream(question) if ev.kind == "done").data
    assert done.to_dict()["citations"] == answer["citations"]
    for c in answer["citations"]:
        assert engine.document_text(c["doc_id"]).text[c["start"] : c["end"]] == c["text"]


def test_every_chunk_kind_cites_an_exact_slice(engine: Any) -> None:
    state = engine.state
    kinds = set()
    for chunk in state.chunks:
        kinds.add(chunk.kind)
        cited = _citation(1, Evidence(chunk, 1.0), state.metas[chunk.doc_id])
        fixed = exact_answer(Answer("x[1]", False, [cited]), lambda d: state.docs[d].text).citations[0]
        assert state.docs[chunk.doc_id].text[fixed.start : fixed.end] == fixed.text
    assert {"item", "section", "paragraph", "preamble"} <= kinds


@pytest.fixture
def writable(engine: Any, session_dirs: dict[str, Path], real_embedder: Any, tmp_path: Path) -> Engine:
    """A real engine over private copies of two documents' corpus and the session index."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(p.name for p in session_dirs["corpus"].iterdir())[:2]:
        shutil.copy(session_dirs["corpus"] / name, corpus / name)
    shutil.copytree(session_dirs["index"], tmp_path / "index")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "var",
        admin_token="t",
    )
    return Engine.open(settings, embedder=real_embedder)


def test_patch_shows_at_once_and_after_another_upload_rebuilds(writable: Engine) -> None:
    auth = {"Authorization": "Bearer t"}
    with TestClient(create_app(writable.settings, engine=writable), raise_server_exceptions=False) as client:
        doc_id = client.get("/v1/documents").json()["documents"][0]["doc_id"]
        fix = {"doc_number": "测试〔2099〕1号", "date": "2099-01-02"}
        assert client.patch(f"/v1/documents/{doc_id}", json=fix, headers=auth).status_code == 200
        shown = client.get(f"/v1/documents/{doc_id}").json()
        assert (shown["doc_number"], shown["date"]) == (fix["doc_number"], fix["date"])
        text = "关于开展专利导航试点工作的通知\n一、工作目标\n到2030年建成专利导航服务平台。\n".encode()
        upload = client.post("/v1/documents", files={"file": ("导航通知.txt", text)}, headers=auth)
        assert upload.status_code == 201, upload.text
        assert len(client.get("/v1/documents").json()["documents"]) == 3  # the upload rebuilt the index
        shown = client.get(f"/v1/documents/{doc_id}").json()
        assert (shown["doc_number"], shown["date"]) == (fix["doc_number"], fix["date"])
        reference = client.post("/v1/ask", json={"question": "测试〔2099〕1号是什么文件的文号？"}).json()
        cited = [
            r
            for c, r in zip(reference["citations"], reference["references"], strict=True)
            if c["doc_id"] == doc_id
        ]
        assert all("测试〔2099〕1号，2099年1月2日" in r for r in cited)
