from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openai import OpenAI

from assistant.grounding import markers
from assistant.service.app import create_app

from .conftest import make_settings
from .fakes import FakeEngine
from .live import live_server
from .sse import parse_sse
from .test_api_ask import assert_error

QUESTION = "吉林省到2020年每万人口发明专利拥有量目标是多少？"


def chat(messages: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {"model": "policyqa", "messages": messages, **extra}


def test_completion_keeps_markers_and_carries_citations(client: TestClient) -> None:
    body = client.post("/v1/chat/completions", json=chat([{"role": "user", "content": QUESTION}])).json()
    assert body["object"] == "chat.completion" and body["model"] == "policyqa"
    message = body["choices"][0]["message"]
    assert message["role"] == "assistant" and body["choices"][0]["finish_reason"] == "stop"
    assert markers(message["content"]) and "4.5件" in message["content"]
    assert body["citations"] == body["policyqa"]["citations"] and body["citations"][0]["doc_id"] == "003"
    assert body["policyqa"]["answer"] == message["content"]


def test_messages_map_to_question_and_history(client: TestClient, fake_engine: FakeEngine) -> None:
    messages = [
        {"role": "system", "content": "你是助手"},
        {"role": "user", "content": "吉林省的目标？"},
        {"role": "assistant", "content": "见[1]"},
        {"role": "user", "content": [{"type": "text", "text": "发明专利"}, {"type": "text", "text": "呢？"}]},
    ]
    assert client.post("/v1/chat/completions", json=chat(messages, temperature=0.2, n=1)).status_code == 200
    _, (question, history, _) = fake_engine.calls[0]
    assert question == "发明专利呢？"
    assert [(m.role, m.content) for m in history] == [("user", "吉林省的目标？"), ("assistant", "见[1]")]


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([], "invalid_request"),
        ([{"role": "system", "content": "only system"}], "invalid_messages"),
        ([{"role": "user", "content": "问题"}, {"role": "assistant", "content": "答"}], "invalid_messages"),
        ([{"role": "user", "content": "   "}], "invalid_messages"),
        ([{"role": "tool", "content": "x"}], "invalid_request"),
        ([{"role": "user", "content": "问" * 2001}], "question_too_long"),
        ([{"role": "user"}], "invalid_messages"),
        ("hello", "invalid_request"),
    ],
)
def test_bad_chat_requests(client: TestClient, messages: object, code: str) -> None:
    assert_error(
        client.post("/v1/chat/completions", json={"model": "policyqa", "messages": messages}), 422, code
    )


def test_stream_chunks(client: TestClient) -> None:
    resp = client.post(
        "/v1/chat/completions", json=chat([{"role": "user", "content": QUESTION}], stream=True)
    )
    frames = parse_sse(resp.text)
    assert all(event is None for event, _ in frames)
    assert frames[-1][1] == "[DONE]"
    chunks = [data for _, data in frames[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant" and chunks[0]["citations"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["policyqa"]["citations"]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert text == chunks[-1]["policyqa"]["answer"] and markers(text)


def test_models_list(client: TestClient) -> None:
    assert [m["id"] for m in client.get("/v1/models").json()["data"]] == ["policyqa"]


def test_openai_sdk_both_modes(client: TestClient) -> None:
    sdk = OpenAI(base_url=str(client.base_url) + "/v1", api_key="unused", http_client=client)
    completion = sdk.chat.completions.create(
        model="policyqa", messages=[{"role": "user", "content": QUESTION}]
    )
    content = completion.choices[0].message.content or ""
    assert markers(content) and "4.5" in content
    extra = completion.model_extra or {}
    assert extra["citations"][0]["doc_number"] == "吉政发〔2016〕27号"

    stream = sdk.chat.completions.create(
        model="policyqa", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == content
    assert (chunks[0].model_extra or {}).get("citations")


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    with live_server(create_app(make_settings(tmp_path), engine=FakeEngine())) as url:
        yield url


def test_langchain_chat_openai_against_live_server(live_url: str) -> None:
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(base_url=f"{live_url}/v1", model="policyqa", api_key="unused", max_retries=0)  # type: ignore[arg-type]
    reply = llm.invoke("支撑型试点省的主要任务是什么？")
    assert isinstance(reply.content, str) and markers(reply.content) and "支撑型" in reply.content
    streamed = "".join(str(chunk.content) for chunk in llm.stream("支撑型试点省的主要任务是什么？"))
    assert streamed == reply.content


def test_openai_sdk_against_live_server(live_url: str) -> None:
    sdk = OpenAI(base_url=f"{live_url}/v1", api_key="unused", max_retries=0)
    completion = sdk.chat.completions.create(
        model="policyqa", messages=[{"role": "user", "content": QUESTION}]
    )
    assert markers(completion.choices[0].message.content or "")
