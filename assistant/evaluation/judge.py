"""Optional LLM judge: faithfulness of an answer to its cited passages, scored 0–1.

Off unless POLICYQA_JUDGE_BASE_URL and POLICYQA_JUDGE_MODEL are set. Verdicts are cached on disk
(keyed by model and filled prompt) so re-running the eval does not re-ask the model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Protocol

from assistant.answering.prompts import format_sources
from assistant.config import Settings
from assistant.evaluation.questions import Question
from assistant.models import Answer

log = logging.getLogger(__name__)

PROMPT_FILE = "judge_faithfulness.txt"
CACHE_FILE = "judge_cache.json"
_SCORE = re.compile(r'"score"\s*:\s*([0-9]*\.?[0-9]+)')
_NUMBER = re.compile(r"(?<![\d.])(0(?:\.\d+)?|1(?:\.0+)?)(?![\d.])")


class ChatModel(Protocol):
    """The slice of a LangChain chat model the judge uses."""

    def invoke(self, input: str) -> object: ...


def parse_score(reply: str) -> float | None:
    """The score from `{"score": x}` (or a bare number in [0, 1]); None when the reply has none."""
    match = _SCORE.search(reply) or _NUMBER.search(reply)
    if not match:
        return None
    value = float(match.group(1))
    return value if 0.0 <= value <= 1.0 else None


class FaithfulnessJudge:
    def __init__(self, chat: ChatModel, template: str, model_id: str, cache_path: Path) -> None:
        self._chat = chat
        self._template = template
        self._model_id = model_id
        self._cache_path = cache_path
        self._cache: dict[str, float] = _read_cache(cache_path)

    def __call__(self, question: Question, answer: Answer) -> float | None:
        if answer.abstained or not answer.citations:
            return None  # nothing claimed, nothing to judge
        prompt = self._template.format(
            question=question.question, sources=format_sources(answer.citations), answer=answer.answer
        )
        key = hashlib.sha256(f"{self._model_id}\n{prompt}".encode()).hexdigest()
        if key in self._cache:
            return self._cache[key]
        score = self._ask(prompt)
        if score is not None:  # a failed or unreadable verdict is asked again next run
            self._cache[key] = score
            self._cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._cache_path.write_text(json.dumps(self._cache, indent=0), encoding="utf-8")
        return score

    def _ask(self, prompt: str) -> float | None:
        try:
            reply = self._chat.invoke(prompt)
        # the judge is optional: an unreachable or failing model leaves the item unjudged
        except Exception as exc:
            log.warning("judge failed (%s: %s)", type(exc).__name__, exc)
            return None
        return parse_score(str(getattr(reply, "content", reply)))


def _read_cache(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {k: float(v) for k, v in data.items() if isinstance(v, int | float)} if isinstance(data, dict) else {}
    )


def make_judge(settings: Settings) -> FaithfulnessJudge | None:
    """A judge over the configured OpenAI-compatible model, or None when no judge is configured."""
    if not (settings.judge_base_url and settings.judge_model):
        return None
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    chat = ChatOpenAI(
        base_url=settings.judge_base_url,
        model=settings.judge_model,
        api_key=SecretStr(settings.judge_api_key or "none"),  # local servers ignore it; the client wants one
        timeout=settings.llm_timeout,
        temperature=0,
        max_retries=0,
        use_responses_api=False,
    )
    template = (settings.prompts_dir / PROMPT_FILE).read_text(encoding="utf-8")
    return FaithfulnessJudge(chat, template, settings.judge_model, settings.data_dir / CACHE_FILE)
