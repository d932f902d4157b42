"""The workbench API with the fake engine: document text and source view, references on every answer
endpoint, metadata PATCH and upload fields, feedback in and out."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from assistant.corrections import patchable_fields
from assistant.service.feedback import FeedbackStore

from .fakes import FakeEngine
from .sse import parse_sse
from .test_api_ask import assert_error

QUESTION = "支撑型试点省的主要任务是什么"
STRONG = "《加快推进知识产权强省建设工作方案（试行）》（国知发管字〔2015〕59号，2015年10月10日）"


def test_text_slices_to_every_cited_passage(client: TestClient) -> None:
    answer = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert answer["citations"]
    for c in answer["citations"]:
        doc = client.get(f"/v1/documents/{c['doc_id']}/text").json()
        assert doc["text"][c["start"] : c["end"]] == c["text"]
        assert doc["meta"]["doc_number"] == c["doc_number"] and doc["doc_id"] == c["doc_id"]


def test_text_outline_has_offsets_of_its_sections(client: TestClient) -> None:
    doc = client.get("/v1/documents/000/text").json()
    top = doc["outline"][0]
    assert doc["text"][top["start"] :].startswith(top["heading"])
    for child in top["children"]:
        assert top["start"] < child["start"] < child["end"] <= top["end"]
        assert doc["text"][child["start"] : child["end"]].startswith(child["heading"])
    assert_error(client.get("/v1/documents/nope/text"), 404, "unknown_document")


def test_view_highlights_the_passage_and_escapes_text(client: TestClient, fake_engine: FakeEngine) -> None:
    c = fake_engine.ask(QUESTION).citations[0]
    page = client.get(f"/v1/documents/000/view?start={c.start}&end={c.end}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'<mark id="passage">{c.text}</mark>' in page.text
    assert 'class="here"' in page.text and "国知发管字〔2015〕59号" in page.text
    plain = client.get("/v1/documents/000/view")
    assert plain.status_code == 200 and "<mark" not in plain.text
    stale = client.get("/v1/documents/000/view?start=10&end=99999")
    assert stale.status_code == 200 and "<mark" not in stale.text and "引用位置已不在" in stale.text
    assert_error(client.get("/v1/documents/000/view?start=5"), 422, "invalid_span")
    assert_error(client.get("/v1/documents/000/view?start=9&end=3"), 422, "invalid_span")
    assert_error(client.get("/v1/documents/nope/view"), 404, "unknown_document")


def test_every_answer_endpoint_carries_references(client: TestClient) -> None:
    answer = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert len(answer["references"]) == len(answer["citations"])
    assert answer["references"][0].startswith(f"[1]{STRONG}，三、主要任务 › ")
    done = parse_sse(client.post("/v1/ask/stream", json={"question": QUESTION}).text)[-1][1]
    assert done["references"] == answer["references"]
    chat = {"model": "policyqa", "messages": [{"role": "user", "content": QUESTION}]}
    completion = client.post("/v1/chat/completions", json=chat).json()
    assert completion["references"] == answer["references"]
    last = parse_sse(client.post("/v1/chat/completions", json={**chat, "stream": True}).text)[-2][1]
    assert last["references"] == answer["references"]


def test_patch_corrects_metadata_at_once(client: TestClient, admin: dict[str, str]) -> None:
    body = {"doc_number": "汕府〔2016〕70号", "date": "2016-09-19"}
    resp = client.patch("/v1/documents/002", json=body, headers=admin)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["doc_number"], resp.json()["date"]) == (body["doc_number"], body["date"])
    shown = client.get("/v1/documents/002").json()
    assert (shown["doc_number"], shown["date"]) == (body["doc_number"], body["date"])
    listed = {d["doc_id"]: d for d in client.get("/v1/documents").json()["documents"]}
    assert listed["002"]["doc_number"] == body["doc_number"]
    # null drops the correction: the extracted value shows again
    back = client.patch("/v1/documents/002", json={"doc_number": None}, headers=admin).json()
    assert back["doc_number"] == "汕府〔2016〕69号" and back["date"] == "2016-09-19"


def test_patch_errors(client: TestClient, admin: dict[str, str]) -> None:
    assert_error(client.patch("/v1/documents/002", json={"date": "2016-09-19"}), 401, "unauthorized")
    assert_error(
        client.patch("/v1/documents/nope", json={"date": "2016-09-19"}, headers=admin),
        404,
        "unknown_document",
    )
    assert_error(client.patch("/v1/documents/002", json={}, headers=admin), 422, "empty_patch")
    assert_error(
        client.patch("/v1/documents/002", json={"colour": "红"}, headers=admin), 422, "invalid_request"
    )
    assert_error(
        client.patch("/v1/documents/002", json={"date": "2016年9月19日"}, headers=admin),
        422,
        "invalid_metadata",
    )
    assert_error(
        client.patch("/v1/documents/002", json={"title": ""}, headers=admin), 422, "invalid_metadata"
    )
    assert client.get("/v1/documents/002").json()["date"] == "2016-09-01"  # nothing half-applied


def test_patch_schema_lists_the_sidecar_fields(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    fields = schema["components"]["schemas"]["MetadataPatch"]["properties"]
    assert sorted(fields) == sorted(patchable_fields())
    upload = schema["paths"]["/v1/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert set(patchable_fields()) < set(upload["schema"]["properties"])


def test_upload_accepts_metadata_fields(client: TestClient, admin: dict[str, str]) -> None:
    text = "关于加强专利保护的通知\n一、总体要求\n加强专利行政执法。".encode()
    form = {"doc_number": "某知发〔2024〕3号", "date": "2024-03-01", "issuer": ""}
    resp = client.post(
        "/v1/documents", files={"file": ("通知.txt", text, "text/plain")}, data=form, headers=admin
    )
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert (created["doc_number"], created["date"], created["issuer"]) == (
        "某知发〔2024〕3号",
        "2024-03-01",
        None,
    )
    bad = client.post(
        "/v1/documents", files={"file": ("x.txt", text)}, data={"docnumber": "x"}, headers=admin
    )
    assert_error(bad, 422, "invalid_field")
    worse = client.post(
        "/v1/documents", files={"file": ("y.txt", text)}, data={"date": "明天"}, headers=admin
    )
    assert_error(worse, 422, "invalid_metadata")


def test_feedback_is_stored_and_listed_for_admins(client: TestClient, admin: dict[str, str]) -> None:
    answer = client.post("/v1/ask", json={"question": QUESTION}).json()
    body = {
        "rating": "down",
        "question": QUESTION,
        "answer": answer["answer"],
        "citations": answer["citations"],
        "comment": "漏了特色型",
        "history": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}],
    }
    created = client.post("/v1/feedback", json=body)
    assert created.status_code == 201, created.text
    assert client.post("/v1/feedback", json={**body, "rating": "up", "comment": ""}).status_code == 201
    listed = client.get("/v1/feedback", headers=admin).json()["feedback"]
    assert [f["id"] for f in listed] == [created.json()["id"]]  # thumbs-down only
    [entry] = listed
    assert entry["comment"] == "漏了特色型" and entry["history"][1]["content"] == "您好"
    assert (
        entry["citations"][0]["start"] == answer["citations"][0]["start"]
        and "text" not in entry["citations"][0]
    )
    assert_error(client.get("/v1/feedback"), 401, "unauthorized")


def test_feedback_rejects_bad_input(client: TestClient) -> None:
    ok = {"rating": "down", "question": "问", "answer": "答"}
    assert_error(client.post("/v1/feedback", json={**ok, "rating": "meh"}), 422, "invalid_request")
    assert_error(client.post("/v1/feedback", json={**ok, "question": ""}), 422, "invalid_request")
    assert_error(client.post("/v1/feedback", json={**ok, "comment": "长" * 2001}), 422, "invalid_request")
    assert_error(client.post("/v1/feedback", json={**ok, "extra": 1}), 422, "invalid_request")


def test_feedback_store_upgrades_an_old_database(tmp_path: object) -> None:
    import sqlite3
    from pathlib import Path

    path = Path(str(tmp_path)) / "feedback.sqlite3"
    with sqlite3.connect(path) as conn:  # the table as the first release created it
        conn.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL, rating INTEGER"
            " NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, doc_ids TEXT)"
        )
        conn.execute("INSERT INTO feedback VALUES (1, 1.0, -1, '问', '答', '[]', NULL)")
    [old] = FeedbackStore(path).disliked()
    assert (old.question, old.comment, old.history, old.abstained) == ("问", "", [], False)
    assert FeedbackStore(path).set_comment(1, "补充") and FeedbackStore(path).all()[0].comment == "补充"


def test_text_that_cannot_be_stored_is_a_422(client: TestClient, admin: dict[str, str]) -> None:
    # A lone surrogate (escaped in JSON) cannot be encoded: it would fail in the sidecar or the database.
    bad = '{"issuer": "\\ud800"}'
    json_admin = {**admin, "content-type": "application/json"}
    assert_error(client.patch("/v1/documents/002", content=bad, headers=json_admin), 422, "invalid_request")
    body = {"rating": "down", "question": "问", "answer": "答", "comment": "说明\x00"}
    assert_error(client.post("/v1/feedback", json=body), 422, "invalid_request")
    assert client.get("/v1/documents/002").json()["issuer"] == "汕尾市人民政府"


def test_with_keys_required_the_source_view_takes_what_a_navigation_carries(tmp_path: Path) -> None:
    """A link opened in a browser sends no key header and no Origin: the page accepts the UI's session
    cookie, or a widget key in the link checked against the Referer's origin."""
    from assistant.service.app import create_app
    from assistant.service.keys import KeyStore

    from .conftest import ADMIN_TOKEN, make_settings

    settings = make_settings(tmp_path, require_keys=True)
    site = "https://www.example.gov.cn"
    key = KeyStore(settings.data_dir / "keys.json").create("widget", [site]).key
    with TestClient(create_app(settings, engine=FakeEngine()), raise_server_exceptions=False) as client:
        page = "/v1/documents/000/view?start=5&end=9"
        assert_error(client.get(page), 401, "missing_key")
        assert_error(client.get(f"{page}&key={key}", headers={"Referer": "https://evil.example/x"}), 403)
        assert_error(client.get(f"{page}&key={key}"), 403, "origin_required")
        assert client.get(f"{page}&key={key}", headers={"Referer": f"{site}/news/1.html"}).status_code == 200
        assert_error(client.get("/v1/documents/000/text"), 401, "missing_key")
        assert client.get("/v1/documents/000/text", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
        assert client.post("/v1/session", json={"token": ADMIN_TOKEN}).status_code == 200  # the UI's login
        assert client.get(page).status_code == 200  # with its session cookie
