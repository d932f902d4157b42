"""Optional LLM answer mode: an OpenAI-compatible chat model writes the answer from the retrieved passages.

Every sentence of the reply is verified against the passages it cites (`verify.verify_answer`); the
extractive answer passed in as `fallback` is returned whenever the model is unreachable, slow, failing,
says 未找到, or leaves no supported sentence — the LLM can make an answer more fluent, never less safe.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from assistant.answering.prompts import PromptSet
from assistant.answering.verify import verify_answer
from assistant.config import Settings
from assistant.engine_api import Message, StreamEvent
from assistant.grounding import DEFAULT_TAU, strip_markers
from assistant.models import Answer, Citation

log = logging.getLogger(__name__)

NOT_FOUND = "未找到"
# A rewritten question longer than this is the model rambling, not a question.
MAX_REWRITE_CHARS = 300
_QUOTES = "\"'“”‘’「」『』"


class LLMAnswerer:
    def __init__(
        self, settings: Settings, prompts: PromptSet | None = None, tau: float = DEFAULT_TAU
    ) -> None:
        if not settings.llm_enabled:
            raise ValueError("LLM answer mode needs POLICYQA_LLM_BASE_URL and POLICYQA_LLM_MODEL")
        self.prompts = prompts or PromptSet.load(settings.prompts_dir)
        self.tau = tau
        self.model_name = settings.llm_model or ""
        self._chat = ChatOpenAI(
            base_url=settings.llm_base_url,
            model=self.model_name,
            # local servers (vLLM, Ollama) ignore the key, but the client insists on one
            api_key=SecretStr(settings.llm_api_key or "none"),
            timeout=settings.llm_timeout,
            # langchain sends the cap as `max_completion_tokens`; some compatible servers (Ollama, DeepSeek)
            # honour only the older `max_tokens`, so the body carries both
            max_completion_tokens=settings.llm_max_tokens,
            extra_body={"max_tokens": settings.llm_max_tokens},
            temperature=settings.llm_temperature,
            # one attempt: a slow or failing model must not delay the extractive fallback
            max_retries=0,
            # OpenAI-compatible servers implement /chat/completions, not the Responses API
            use_responses_api=False,
        )

    def answer(self, question: str, sources: Sequence[Citation], fallback: Answer) -> Answer:
        if not sources:
            return fallback
        try:
            reply = self._chat.invoke(self._answer_messages(question, sources))
        # any failure of the optional model (connection, HTTP status, timeout, bad payload) means fallback
        except Exception as exc:
            log.warning("LLM answer failed (%s: %s); using the extractive answer", type(exc).__name__, exc)
            return fallback
        return self._finish(str(reply.text), sources, fallback)

    def stream(self, question: str, sources: Sequence[Citation], fallback: Answer) -> Iterator[StreamEvent]:
        """Raw tokens as 'delta' events, then 'done' with the verified Answer (clients replace the draft)."""
        if not sources:
            yield StreamEvent("done", fallback)
            return
        parts: list[str] = []
        try:
            for chunk in self._chat.stream(self._answer_messages(question, sources)):
                token = str(chunk.text)
                if token:
                    parts.append(token)
                    yield StreamEvent("delta", token)
        except Exception as exc:  # same policy as answer(): the extractive answer replaces the draft
            log.warning("LLM stream failed (%s: %s); using the extractive answer", type(exc).__name__, exc)
            yield StreamEvent("done", fallback)
            return
        yield StreamEvent("done", self._finish("".join(parts), sources, fallback))

    def rewrite_followup(self, question: str, history: Sequence[Message]) -> str | None:
        """A standalone version of an elliptical follow-up; None on any failure (caller rewrites by rule)."""
        if not history or not question.strip():
            return None
        prompt = self.prompts.rewrite_prompt(question, history)
        try:
            reply = self._chat.invoke([HumanMessage(content=prompt)])
        except Exception as exc:  # optional step: the caller has a rule-based rewrite
            log.warning("LLM follow-up rewrite failed (%s: %s)", type(exc).__name__, exc)
            return None
        return clean_rewrite(str(reply.text))

    def _answer_messages(self, question: str, sources: Sequence[Citation]) -> list[BaseMessage]:
        return [
            SystemMessage(content=self.prompts.system),
            HumanMessage(content=self.prompts.answer_prompt(question, sources)),
        ]

    def _finish(self, reply: str, sources: Sequence[Citation], fallback: Answer) -> Answer:
        text = reply.strip()
        if not text or is_not_found(text):
            log.warning("LLM reply was empty or %s; using the extractive answer", NOT_FOUND)
            return fallback
        verified = verify_answer(text, sources, self.tau)
        if not verified.answer:
            log.warning(
                "no sentence of the LLM reply is supported by the passages it cites (%d dropped); "
                "using the extractive answer",
                len(verified.dropped_sentences),
            )
            return fallback
        return Answer(
            answer=verified.answer,
            abstained=False,
            citations=verified.citations,
            mode="llm",
            question_used=fallback.question_used,
            dropped_sentences=verified.dropped_sentences,
        )


def is_not_found(reply: str) -> bool:
    """The model's "the passages don't answer this" reply (also when it adds punctuation or a remark)."""
    return strip_markers(reply).strip().strip(_QUOTES).startswith(NOT_FOUND)


def clean_rewrite(reply: str) -> str | None:
    """First non-empty line of the reply without quotes or a leading label; None if unusable."""
    lines = [line.strip() for line in reply.splitlines() if line.strip()]
    if not lines:
        return None
    text = lines[0]
    for label in ("改写后的问题", "改写后", "问题"):
        if text.startswith(label) and text[len(label) : len(label) + 1] in ("：", ":"):
            text = text[len(label) + 1 :].strip()
            break
    text = text.strip(_QUOTES).strip()
    if not text or len(text) > MAX_REWRITE_CHARS or is_not_found(text):
        return None
    return text
