"""Pure translation between OpenAI chat-completion shapes and the engine's questions/answers."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

from assistant.engine_api import Message
from assistant.models import Answer
from assistant.service.schemas import ChatMessageIn

MODEL_ID = "policyqa"


class ChatInputError(ValueError):
    """The messages do not end in a usable user question."""


def split_messages(messages: Sequence[ChatMessageIn]) -> tuple[str, list[Message]]:
    """Last user message → question; earlier user/assistant turns → history; system prompts ignored."""
    turns = [m for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise ChatInputError("最后一条消息必须是用户提问 (the last message must have role 'user')")
    question = turns[-1].text().strip()
    if not question:
        raise ChatInputError("提问不能为空 (the user message is empty)")
    history = [
        Message(role="user" if m.role == "user" else "assistant", content=m.text()) for m in turns[:-1]
    ]
    return question, history


def new_completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def now() -> int:
    return int(time.time())


def _usage(question: str, answer: str) -> dict[str, int]:
    # Rough: one token per CJK character is close enough for clients that only display usage.
    prompt, completion = len(question), len(answer)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def chat_completion(answer: Answer, question: str, completion_id: str, created: int) -> dict[str, Any]:
    body = answer.to_dict()
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.answer},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(question, answer.answer),
        "citations": body["citations"],
        "references": body["references"],
        "policyqa": body,
    }


def chat_chunk(
    completion_id: str,
    created: int,
    delta: dict[str, Any],
    finish_reason: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
        **extra,
    }
