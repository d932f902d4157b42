"""Fuzz: schemathesis generates valid and invalid requests from the app's own OpenAPI schema and checks
every response: no 5xx, a documented status code, a body that matches the documented schema, invalid
input rejected and valid input accepted. Every operation runs with keys open and with keys required.

The app runs in-process (ASGI) over a fast fake engine; bounded and derandomised so CI is repeatable.
schemathesis' pytest plugin is not used: its lazy loader does not work with pytest 9, and this way the
operations list below is checked against the schema, so a new route cannot go unfuzzed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from assistant.config import Settings
from assistant.service.app import create_app
from assistant.service.keys import key_store_for
from tests.service.fakes import StrictFakeEngine

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
    "GET /v1/documents/{doc_id}/text",
    "PATCH /v1/documents/{doc_id}",
    "POST /v1/feedback",
    "GET /v1/feedback",
    "GET /healthz",
    "GET /readyz",
}

# Where a request can satisfy the schema and still be refused, because the rule is beyond JSON Schema:
# a chat must end with a non-empty user turn; an upload must be a readable document of a supported type;
# a metadata correction must pass the ingest rules (ISO dates, a title).
SEMANTIC_REFUSALS = {
    "POST /v1/chat/completions",
    "POST /v1/documents",
    "POST /v1/session",
    "PATCH /v1/documents/{doc_id}",
}


ADMIN_ROUTES = {
    "POST /v1/documents",
    "DELETE /v1/documents/{doc_id}",
    "PATCH /v1/documents/{doc_id}",
    "GET /v1/feedback",
}


@dataclass(frozen=True)
class Fuzzed:
    schema: Any
    server_key: str | None  # set when the app requires keys


def _fuzzed(root: Path, require_keys: bool) -> Fuzzed:
    config = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=root / "var",
        admin_token=ADMIN_TOKEN,
        max_question_chars=QUESTION_LIMIT,
        require_keys=require_keys,
    )
    key = key_store_for(config.data_dir).create("server", name="fuzz").key if require_keys else None
    app = create_app(config, engine=StrictFakeEngine())
    return Fuzzed(schemathesis.openapi.from_asgi("/openapi.json", app), key)


@pytest.fixture(scope="module", params=["open", "keys-required"])
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Fuzzed:
    return _fuzzed(tmp_path_factory.mktemp(f"fuzz-{request.param}"), request.param == "keys-required")


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _fuzzed(tmp_path_factory.mktemp("fuzz-schema"), False).schema


def credentials(fuzzed: Fuzzed, label: str) -> dict[str, str]:
    """The admin token opens upload and delete, a server key the guarded routes when keys are required,
    so that the fuzz reaches past the 401."""
    token = ADMIN_TOKEN if label in ADMIN_ROUTES or fuzzed.server_key is None else fuzzed.server_key
    return {"Authorization": f"Bearer {token}"}


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == OPERATIONS


def test_schema_states_the_configured_question_limit(api_schema: Any) -> None:
    question = api_schema.raw_schema["components"]["schemas"]["AskRequest"]["properties"]["question"]
    assert question["maxLength"] == QUESTION_LIMIT


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_fuzz_operation(fuzzed: Fuzzed, label: str, mode: GenerationMode) -> None:
    operation = fuzzed.schema.find_operation_by_label(label)
    strategy = operation.as_strategy(generation_mode=mode, headers=credentials(fuzzed, label))
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
