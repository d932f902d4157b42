"""LLMAnswerer against a real OpenAI-compatible HTTP server on loopback (tests/answering/fake_openai.py)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.llm import LLMAnswerer, clean_rewrite
from assistant.config import Settings
from assistant.engine_api import Message, StreamEvent
from assistant.models import Answer

from .fake_openai import FakeOpenAI, Reply
from .passages import JILIN_TARGETS, sources

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
QUESTION = "吉林省每万人口发明专利拥有量的目标是多少？"
SUPPORTED = "吉林省每万人口发明专利拥有量力争达到4.2件，年均增长10%以上[1]。"
INVENTED = "吉林省还将设立10亿元知识产权专项基金[1]。"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)  # loopback must not go through a proxy
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


def make_answerer(base_url: str, timeout: float = 5.0) -> LLMAnswerer:
    settings = Settings(
        llm_base_url=base_url,
        llm_model="fake-qwen",
        llm_api_key=None,
        llm_timeout=timeout,
        llm_max_tokens=321,
        llm_temperature=0.1,
        prompts_dir=PROMPTS_DIR,
    )
    return LLMAnswerer(settings)


@pytest.fixture
def answerer(server: FakeOpenAI) -> LLMAnswerer:
    return make_answerer(server.base_url)


@pytest.fixture
def fallback() -> Answer:
    """The extractive answer the engine would have given."""
    return Answer(
        answer="每万人口发明专利拥有量力争达到４.２件，年均增长１０％以上。[1]",
        abstained=False,
        citations=sources()[:1],
        mode="extractive",
        question_used=QUESTION,
    )


def test_unsupported_sentence_is_dropped_and_supported_one_kept(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    server.queue(SUPPORTED + INVENTED)

    result = answerer.answer(QUESTION, sources(), fallback)

    assert result.mode == "llm"
    assert result.abstained is False
    assert result.answer == SUPPORTED
    assert result.dropped_sentences == ["吉林省还将设立10亿元知识产权专项基金。"]
    assert [(c.n, c.doc_id) for c in result.citations] == [(1, "003")]
    assert result.question_used == QUESTION


def test_citations_are_renumbered_to_the_passages_used(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    server.queue("汕尾市每万人发明专利拥有量力争达到1.17件[2]。" + SUPPORTED)

    result = answerer.answer(QUESTION, sources(), fallback)

    assert result.answer == "汕尾市每万人发明专利拥有量力争达到1.17件[1]。" + SUPPORTED.replace("[1]", "[2]")
    assert [(c.n, c.doc_id) for c in result.citations] == [(1, "002"), (2, "003")]


def test_pure_invention_returns_the_fallback(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    server.queue(INVENTED + "对每件新授权发明专利奖励5000元[2]。")

    assert answerer.answer(QUESTION, sources(), fallback) is fallback


def test_reply_without_markers_returns_the_fallback(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    server.queue("吉林省每万人口发明专利拥有量力争达到4.2件，年均增长10%以上。")

    assert answerer.answer(QUESTION, sources(), fallback) is fallback


@pytest.mark.parametrize("reply", ["未找到", "未找到。", "“未找到”", "", "   "])
def test_not_found_or_empty_reply_returns_the_fallback(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer, reply: str
) -> None:
    server.queue(reply)

    assert answerer.answer(QUESTION, sources(), fallback) is fallback


def test_not_found_keeps_an_abstaining_fallback(server: FakeOpenAI, answerer: LLMAnswerer) -> None:
    abstained = Answer(answer="未找到相关政策规定。", abstained=True, citations=[], question_used=QUESTION)
    server.queue("未找到")

    result = answerer.answer(QUESTION, sources(), abstained)

    assert result is abstained
    assert result.abstained is True


def test_http_500_returns_the_fallback_after_one_attempt(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer, caplog: pytest.LogCaptureFixture
) -> None:
    server.queue(Reply(status=500))

    assert answerer.answer(QUESTION, sources(), fallback) is fallback
    assert len(server.requests) == 1  # no retries
    assert "using the extractive answer" in caplog.text


def test_timeout_returns_the_fallback_quickly(server: FakeOpenAI, fallback: Answer) -> None:
    answerer = make_answerer(server.base_url, timeout=0.5)
    server.queue(Reply(content=SUPPORTED, delay=2.0))

    started = time.monotonic()
    result = answerer.answer(QUESTION, sources(), fallback)
    elapsed = time.monotonic() - started

    assert result is fallback
    assert elapsed < 1.5
    assert len(server.requests) == 1


def test_connection_refused_returns_the_fallback(fallback: Answer) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    answerer = make_answerer(f"http://127.0.0.1:{port}/v1")

    assert answerer.answer(QUESTION, sources(), fallback) is fallback


def test_no_sources_returns_the_fallback_without_a_request(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    assert answerer.answer(QUESTION, [], fallback) is fallback
    assert server.requests == []


def test_request_carries_system_prompt_labelled_sources_and_settings(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    server.queue(SUPPORTED)

    answerer.answer(QUESTION, sources(), fallback)

    request = server.requests[0]
    system, user = request["messages"]
    assert system == {"role": "system", "content": (PROMPTS_DIR / "system.txt").read_text("utf-8").strip()}
    assert user["role"] == "user"
    content = user["content"]
    label = "[1] 《关于新形势下加快知识产权强省建设的实施意见》(吉政发〔2016〕27号) 章节：一、目标任务"
    assert f"{label}\n{JILIN_TARGETS}" in content
    assert "[2] 《汕尾市建设引领型知识产权强市实施方案》(汕府〔2016〕69号)" in content
    assert "[3] 《加快推进知识产权强省建设工作方案（试行）》(国知发管字〔2015〕59号)" in content
    assert QUESTION in content
    assert request["model"] == "fake-qwen"
    assert request["max_tokens"] == request["max_completion_tokens"] == 321
    assert request["temperature"] == pytest.approx(0.1)
    assert not request.get("stream")


def test_stream_yields_deltas_then_the_verified_answer(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    server.queue(Reply(content=SUPPORTED + INVENTED, chunk_chars=5))

    events = list(answerer.stream(QUESTION, sources(), fallback))

    deltas = [e.data for e in events if e.kind == "delta"]
    assert len(deltas) > 3
    assert "".join(deltas) == SUPPORTED + INVENTED  # the raw draft, unverified
    assert [e.kind for e in events][-1] == "done"
    assert sum(e.kind == "done" for e in events) == 1
    done = events[-1].data
    assert isinstance(done, Answer)
    assert done.mode == "llm"
    assert done.answer == SUPPORTED
    assert done.dropped_sentences == ["吉林省还将设立10亿元知识产权专项基金。"]
    assert server.requests[0]["stream"] is True


def test_stream_of_an_unsupported_reply_ends_with_the_fallback(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    server.queue(INVENTED)

    events = list(answerer.stream(QUESTION, sources(), fallback))

    assert events[-1] == StreamEvent("done", fallback)


def test_stream_error_before_any_token_ends_with_the_fallback(
    server: FakeOpenAI, answerer: LLMAnswerer, fallback: Answer
) -> None:
    server.queue(Reply(status=500))

    events = list(answerer.stream(QUESTION, sources(), fallback))

    assert events == [StreamEvent("done", fallback)]


def test_stream_stalling_midway_ends_with_the_fallback(server: FakeOpenAI, fallback: Answer) -> None:
    answerer = make_answerer(server.base_url, timeout=0.5)
    server.queue(Reply(content=SUPPORTED, chunk_chars=5, stall_after=2, delay=2.0))

    started = time.monotonic()
    events = list(answerer.stream(QUESTION, sources(), fallback))

    assert time.monotonic() - started < 1.5
    assert [e.kind for e in events] == ["delta", "delta", "done"]
    assert events[-1].data is fallback


def test_rewrite_followup_returns_the_models_question(server: FakeOpenAI, answerer: LLMAnswerer) -> None:
    history = [
        Message("user", "汕尾市每万人发明专利拥有量的目标是多少？"),
        Message("assistant", "到2020年，全市每万人发明专利拥有量力争达到1.17件。[1]"),
    ]
    server.queue("吉林省每万人口发明专利拥有量的目标是多少？\n")

    rewritten = answerer.rewrite_followup("那吉林省呢？", history)

    assert rewritten == "吉林省每万人口发明专利拥有量的目标是多少？"
    (message,) = server.requests[0]["messages"]
    assert "用户：汕尾市每万人发明专利拥有量的目标是多少？" in message["content"]
    assert "助手：到2020年，全市每万人发明专利拥有量力争达到1.17件。[1]" in message["content"]
    assert "那吉林省呢？" in message["content"]


def test_rewrite_followup_is_none_on_server_error(server: FakeOpenAI, answerer: LLMAnswerer) -> None:
    server.queue(Reply(status=500))

    assert answerer.rewrite_followup("那吉林省呢？", [Message("user", "汕尾市的目标是多少？")]) is None


def test_rewrite_followup_without_history_makes_no_request(server: FakeOpenAI, answerer: LLMAnswerer) -> None:
    assert answerer.rewrite_followup("那吉林省呢？", []) is None
    assert server.requests == []


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("改写后的问题：“吉林省的目标是什么？”", "吉林省的目标是什么？"),
        ("\n\n《方案》的工作方针是什么？\n说明：补全了文件名。", "《方案》的工作方针是什么？"),
        ("", None),
        ("未找到", None),
        ("问" * 400, None),
    ],
)
def test_clean_rewrite(reply: str, expected: str | None) -> None:
    assert clean_rewrite(reply) == expected


def test_llm_mode_needs_base_url_and_model() -> None:
    with pytest.raises(ValueError, match="POLICYQA_LLM_BASE_URL"):
        LLMAnswerer(Settings(llm_base_url=None, llm_model=None, prompts_dir=PROMPTS_DIR))
