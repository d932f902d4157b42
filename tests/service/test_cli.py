from __future__ import annotations

from typing import Any

import pytest

from assistant.cli import build_parser, main


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    import uvicorn

    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append((a, kw)))
    # serve() reconfigures process-wide logging for production; keep pytest's capture intact.
    monkeypatch.setattr("assistant.service.cli._configure_logging", lambda *a: None)
    # serve() writes these into os.environ for its workers; setenv first so that teardown restores them.
    for name in ("POLICYQA_HOST", "POLICYQA_PORT", "POLICYQA_WORKERS", "PYTHONWARNINGS"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return calls


def test_serve_runs_the_app_factory_with_overrides(
    uvicorn_calls: list[tuple[tuple[Any, ...], dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYQA_PORT", "9001")
    assert main(["serve", "--host", "0.0.0.0", "--workers", "2"]) == 0
    ((args, kwargs),) = uvicorn_calls
    assert args == ("assistant.service.cli:serve_app",)
    assert kwargs["factory"] is True and kwargs["host"] == "0.0.0.0" and kwargs["port"] == 9001
    assert kwargs["workers"] == 2


def test_serve_defaults_from_settings(uvicorn_calls: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> None:
    assert main(["serve", "--port", "8123"]) == 0
    _, kwargs = uvicorn_calls[0]
    assert (kwargs["host"], kwargs["port"], kwargs["workers"]) == ("127.0.0.1", 8123, 1)


@pytest.mark.parametrize("argv", [["serve", "--port", "70000"], ["serve", "--workers", "0"]])
def test_serve_rejects_bad_values(
    argv: list[str],
    uvicorn_calls: list[tuple[tuple[Any, ...], dict[str, Any]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(argv) == 2
    assert "policyqa: error:" in capsys.readouterr().err and uvicorn_calls == []


def test_serve_is_registered() -> None:
    args = build_parser().parse_args(["serve"])
    assert args.command == "serve" and args.host is None and args.port is None
