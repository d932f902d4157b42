from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.service.app import create_app

from .conftest import make_settings
from .fakes import FakeEngine
from .test_api_ask import assert_error


def doc_ids(client: TestClient) -> list[str]:
    return [d["doc_id"] for d in client.get("/v1/documents").json()["documents"]]


def test_list_documents(client: TestClient) -> None:
    docs = client.get("/v1/documents").json()["documents"]
    by_id = {d["doc_id"]: d for d in docs}
    assert by_id["003"]["doc_number"] == "吉政发〔2016〕27号"
    assert by_id["000"]["n_chunks"] == 2
    assert "outline" not in by_id["000"]


def test_document_detail_has_outline(client: TestClient) -> None:
    body = client.get("/v1/documents/000").json()
    assert body["title"] == "加快推进知识产权强省建设工作方案（试行）"
    top = body["outline"][0]
    assert top["heading"] == "三、主要任务"
    assert any("支撑型" in child["heading"] for child in top["children"])


def test_unknown_document_is_404(client: TestClient, admin: dict[str, str]) -> None:
    assert_error(client.get("/v1/documents/nope"), 404, "unknown_document")
    assert_error(client.delete("/v1/documents/nope", headers=admin), 404, "unknown_document")


def test_upload_and_delete_with_token(client: TestClient, admin: dict[str, str]) -> None:
    text = "关于加强专利保护的通知\n一、总体要求\n加强专利行政执法。".encode()
    resp = client.post("/v1/documents", files={"file": ("新文件.txt", text, "text/plain")}, headers=admin)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["source"] == "新文件.txt" and created["n_chunks"] == 1 and "outline" in created
    assert created["doc_id"] in doc_ids(client)
    assert client.delete(f"/v1/documents/{created['doc_id']}", headers=admin).status_code == 204
    assert created["doc_id"] not in doc_ids(client)


def test_upload_strips_directories_from_filename(
    client: TestClient, admin: dict[str, str], fake_engine: FakeEngine
) -> None:
    resp = client.post("/v1/documents", files={"file": ("../../etc/x.txt", "内容".encode())}, headers=admin)
    assert resp.status_code == 201
    assert resp.json()["source"] == "x.txt"


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(200)


@pytest.mark.parametrize(
    ("filename", "data", "status", "code"),
    [
        ("empty.txt", b"", 422, "empty_file"),
        ("blank.txt", b"  \n ", 422, "unreadable_file"),
        ("garbage.pdf", b"this is not a pdf at all" * 10, 422, "unreadable_file"),
        ("report.docx", ELF, 422, "unreadable_file"),
        ("tool.exe", ELF, 415, "unsupported_file_type"),
        ("noext", b"hello", 415, "unsupported_file_type"),
        ("latin1.txt", "政策".encode("gb18030"), 422, "unreadable_file"),
    ],
)
def test_bad_uploads_rejected_and_nothing_changes(
    client: TestClient, admin: dict[str, str], filename: str, data: bytes, status: int, code: str
) -> None:
    before = doc_ids(client)
    assert_error(client.post("/v1/documents", files={"file": (filename, data)}, headers=admin), status, code)
    assert doc_ids(client) == before


def test_upload_without_file_field(client: TestClient, admin: dict[str, str]) -> None:
    assert_error(
        client.post("/v1/documents", files={"other": ("a.txt", b"x")}, headers=admin), 422, "missing_file"
    )
    assert_error(client.post("/v1/documents", json={"file": "x"}, headers=admin), 422, "missing_file")


def test_upload_needs_admin_token(client: TestClient, fake_engine: FakeEngine) -> None:
    before = doc_ids(client)
    files = {"file": ("a.txt", "内容".encode())}
    resp = client.post("/v1/documents", files=files)
    assert_error(resp, 401, "unauthorized")
    assert resp.headers["www-authenticate"] == "Bearer"
    assert_error(client.post("/v1/documents", files=files, headers={"Authorization": "Bearer wrong"}), 401)
    assert_error(client.post("/v1/documents", files=files, headers={"Authorization": "Basic abc"}), 401)
    assert_error(client.delete("/v1/documents/000", headers={"Authorization": "Bearer wrong"}), 401)
    assert doc_ids(client) == before


def test_admin_disabled_without_configured_token(tmp_path: Path, fake_engine: FakeEngine) -> None:
    app = create_app(make_settings(tmp_path, admin_token=None), engine=fake_engine)
    with TestClient(app) as c:
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything"}):
            body = assert_error(
                c.post("/v1/documents", files={"file": ("a.txt", b"x")}, headers=headers), 403
            )
            assert "disabled" in body["error"]["message"]  # type: ignore[index]
            assert_error(c.delete("/v1/documents/000", headers=headers), 403, "admin_disabled")
        assert "000" in [d.meta.doc_id for d in fake_engine.documents()]


@pytest.mark.parametrize("size", [101, 5000])
def test_oversize_upload_is_413(
    tmp_path: Path, fake_engine: FakeEngine, admin: dict[str, str], size: int
) -> None:
    app = create_app(make_settings(tmp_path, max_upload_bytes=100), engine=fake_engine)
    before = len(fake_engine.documents())
    with TestClient(app) as c:
        assert_error(c.post("/v1/documents", files={"file": ("big.txt", b"a" * size)}, headers=admin), 413)
        assert (
            c.post("/v1/documents", files={"file": ("ok.txt", b"a" * 100)}, headers=admin).status_code == 201
        )
    assert len(fake_engine.documents()) == before + 1


def test_declared_content_length_over_limit_is_refused_unread(
    tmp_path: Path, fake_engine: FakeEngine, admin: dict[str, str]
) -> None:
    app = create_app(make_settings(tmp_path, max_upload_bytes=100), engine=fake_engine)
    huge = 100 + 64 * 1024 + 1
    with TestClient(app) as c:
        headers = {**admin, "content-type": "multipart/form-data; boundary=x", "content-length": str(huge)}
        assert_error(c.post("/v1/documents", content=b"x" * huge, headers=headers), 413, "file_too_large")


def test_chunked_body_over_limit_is_counted(
    tmp_path: Path, fake_engine: FakeEngine, admin: dict[str, str]
) -> None:
    # No Content-Length: the bytes must be counted while the form is parsed.
    def body() -> object:
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        for _ in range(200):
            yield b"a" * 1024
        yield b"\r\n--x--\r\n"

    app = create_app(make_settings(tmp_path, max_upload_bytes=1000), engine=fake_engine)
    with TestClient(app) as c:
        headers = {**admin, "content-type": "multipart/form-data; boundary=x"}
        assert_error(c.post("/v1/documents", content=body(), headers=headers), 413, "file_too_large")
