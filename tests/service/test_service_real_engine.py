"""The service over the real engine (m3e-small + FAISS + BM25 on a private copy of corpus/)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.grounding import markers
from assistant.service.app import create_app

from .conftest import ADMIN_TOKEN, make_settings
from .sse import parse_sse
from .test_api_ask import assert_error

pytestmark = pytest.mark.slow


@pytest.fixture
def real_client(engine: Any, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(tmp_path), engine=engine), raise_server_exceptions=False) as c:
        yield c


def test_ask_cites_the_right_document(real_client: TestClient) -> None:
    body = real_client.post("/v1/ask", json={"question": "支撑型试点省的主要任务是什么？"}).json()
    assert body["abstained"] is False and markers(body["answer"])
    assert any("支撑型" in c["section"] or "支撑型" in c["text"] for c in body["citations"])


def test_stream_matches_the_answer(real_client: TestClient) -> None:
    frames = parse_sse(
        real_client.post(
            "/v1/ask/stream", json={"question": "汕尾市建设引领型知识产权强市实施方案的文号是什么？"}
        ).text
    )
    kinds = [e for e, _ in frames]
    assert kinds[0] == "citations" and kinds[-1] == "done" and "delta" in kinds
    assert "".join(d["text"] for e, d in frames if e == "delta") == frames[-1][1]["answer"]


def test_search_and_documents(real_client: TestClient) -> None:
    hits = real_client.get("/v1/search", params={"q": "每万人口发明专利拥有量", "k": 5}).json()["hits"]
    assert len(hits) == 5 and all(h["title"] and h["section_path"] is not None for h in hits)
    docs = real_client.get("/v1/documents").json()["documents"]
    assert len(docs) == 5
    detail = real_client.get(f"/v1/documents/{docs[0]['doc_id']}").json()
    assert detail["outline"]


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(512)


@pytest.mark.parametrize(
    ("filename", "data", "status"),
    [
        ("empty.txt", b"", 422),
        ("garbage.pdf", b"not a pdf " * 50, 422),
        ("report.docx", ELF, None),
        ("tool.exe", ELF, 415),
    ],
)
def test_bad_uploads_leave_the_real_index_unchanged(
    real_client: TestClient, engine: Any, filename: str, data: bytes, status: int | None
) -> None:
    before = [d.meta.doc_id for d in engine.documents()]
    resp = real_client.post(
        "/v1/documents", files={"file": (filename, data)}, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert 400 <= resp.status_code < 500
    assert_error(resp, status or resp.status_code)
    assert [d.meta.doc_id for d in engine.documents()] == before


def test_lifespan_opens_the_engine(engine_settings: Any) -> None:
    # engine_settings points at the session index built by the `engine` fixture; no injected engine here.
    settings = engine_settings.model_copy(update={"admin_token": None})
    with TestClient(create_app(settings)) as c:
        assert c.get("/healthz").status_code == 200
        deadline = time.monotonic() + 180
        while (ready := c.get("/readyz")).status_code == 503 and time.monotonic() < deadline:
            assert ready.json()["error"] is None
            time.sleep(0.5)
        assert ready.status_code == 200 and ready.json()["documents"] == 5
