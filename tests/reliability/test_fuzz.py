"""Fuzz: schemathesis generates valid and invalid requests from the app's own OpenAPI schema and checks
every response: no 5xx, a documented status code, a body that matches the documented schema, invalid
input rejected and valid input accepted.

The app runs in-process (ASGI) over a fast fake engine; bounded and derandomised so CI is repeatable.
schemathesis' pytest plugin is not used: its lazy loader does not work with pytest 9, and this way the
operations list below is checked against the schema, so a new route cannot go unfuzzed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from assistant.config import Settings
from assistant.engine_api import DocumentInfo, Message, UnknownDocument
from assistant.models import Answer, Hit
from assistant.service.app import create_app
from tests.service.fakes import FakeEngine

from .proc import ADMIN_TOKEN

MAX_EXAMPLES = 30
QUESTION_LIMIT = 300

OPERATIONS = {
    "POST /v1/ask",
    "POST /v1/ask/stream",
    "GET /v1/models",
    "POST /v1/chat/completions",
    "GET /v1/search",
    "GET /v1/documents",
    "POST /v1/documents",
    "GET /v1/documents/{doc_id}",
    "DELETE /v1/documents/{doc_id}",
    "POST /v1/session",
    "DELETE /v1/session",
    "GET /healthz",
    "GET /readyz",
}

# Where a request can satisfy the schema and still be refused, because the rule is beyond JSON Schema:
# a chat must end with a non-empty user turn; an upload must be a readable document of a supported type.
SEMANTIC_REFUSALS = {"POST /v1/chat/completions", "POST /v1/documents", "POST /v1/session"}


class StrictFakeEngine(FakeEngine):
    """The service-test fake, but refusing unknown doc_ids as the real engine does (404)."""

    def _check(self, doc_ids: Sequence[str] | None) -> None:
        known = {d.meta.doc_id for d in self.documents()}
        unknown = [d for d in doc_ids or () if d not in known]
        if unknown:
            raise UnknownDocument(f"unknown doc_id: {', '.join(unknown)}")

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer:
        self._check(doc_ids)
        self.calls.clear()  # the fuzz asks thousands of questions; keep memory flat
        return super().ask(question, history, doc_ids)

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Any:
        self._check(doc_ids)
        return super().ask_stream(question, history, doc_ids)

    def search(self, query: str, k: int = 8, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        self._check(doc_ids)
        return super().search(query, k, doc_ids)

    def add_document(self, filename: str, data: bytes, replace: bool = False) -> DocumentInfo:
        info = super().add_document(filename, data, replace)
        self.delete_document(info.meta.doc_id)  # accepted, then forgotten: the fake stays small
        return info


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root: Path = tmp_path_factory.mktemp("fuzz")
    config = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=root / "var",
        admin_token=ADMIN_TOKEN,
        max_question_chars=QUESTION_LIMIT,
    )
    app = create_app(config, engine=StrictFakeEngine())
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == OPERATIONS


def test_schema_states_the_configured_question_limit(api_schema: Any) -> None:
    question = api_schema.raw_schema["components"]["schemas"]["AskRequest"]["properties"]["question"]
    assert question["maxLength"] == QUESTION_LIMIT


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_fuzz_operation(api_schema: Any, label: str, mode: GenerationMode) -> None:
    operation = api_schema.find_operation_by_label(label)
    # The admin token opens upload and delete, so the fuzz reaches past the 401.
    strategy = operation.as_strategy(generation_mode=mode, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    excluded = [positive_data_acceptance] if label in SEMANTIC_REFUSALS else []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        case.call_and_validate(excluded_checks=excluded)

    try:
        check()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip(f"{label} has no input that can be made invalid")
