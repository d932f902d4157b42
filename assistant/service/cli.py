"""`policyqa serve`: run the API + UI with uvicorn (settings from the environment)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TYPE_CHECKING

from assistant.config import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

# uvicorn imports this in every worker process (see serve_app).
APP_FACTORY = "assistant.service.cli:serve_app"
LOG = logging.getLogger("policyqa.service")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the HTTP API, the OpenAI-compatible endpoint and the web UI"
    )
    parser.add_argument("--host", help="bind address (default: POLICYQA_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: POLICYQA_PORT or 8000)")
    parser.add_argument(
        "--workers", type=int, help="worker processes, each loads its own engine (default: 1)"
    )
    parser.set_defaults(func=serve)


def _configure_logging(text: bool = False) -> None:
    """Ours and uvicorn's records at INFO, any other library's at WARNING, on stderr: JSON lines, or
    readable lines for a person at a terminal (`text`)."""
    from assistant.service.middleware import json_log_formatter
    from assistant.terminal import text_log_handler

    handler: logging.Handler
    if text:
        handler = text_log_handler()
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(json_log_formatter())
    handler.setLevel(logging.INFO)  # some libraries (bm25s) set DEBUG on their own logger
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)  # Python warnings become log records too
    for name in ("policyqa", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.INFO)
        logger.propagate = True


def _silence_progress_bars() -> None:
    """Libraries' progress bars (transformers' "Loading weights") are not log lines: off while serving.
    The environment variable reaches the worker processes before they import those libraries."""
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    from huggingface_hub.utils import disable_progress_bars  # type: ignore[attr-defined]

    disable_progress_bars()
    if "transformers" in sys.modules:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]


def _check_access_settings(settings: Settings) -> None:
    """A corrupt keys.json or a bad rate-limit setting stops `serve` with its reason, before any worker."""
    from assistant.cli import CliError
    from assistant.service.access import build_policy
    from assistant.service.keys import KeyStoreError
    from assistant.service.ratelimit import RateLimitSpecError

    try:
        build_policy(settings)
    except (KeyStoreError, RateLimitSpecError) as exc:
        raise CliError(str(exc)) from exc


def serve_app() -> FastAPI:
    """The app factory of `policyqa serve`. With --workers N uvicorn spawns fresh processes that inherit
    no logging setup, so each one configures logging here before building the app."""
    from assistant.service.app import create_app
    from assistant.terminal import TerminalDisplay, wants_text

    settings = Settings()
    text = wants_text(settings.log_format)
    _configure_logging(text)
    _silence_progress_bars()
    # Progress bars from several workers would draw over each other; one worker gets them.
    return create_app(settings, display=TerminalDisplay() if text and settings.workers == 1 else None)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from assistant.cli import CliError

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    workers = args.workers if args.workers is not None else settings.workers
    if not 0 < port < 65536:
        raise CliError(f"invalid port {port}")
    if workers < 1:
        raise CliError("--workers must be at least 1")
    _check_access_settings(settings)
    # The factory re-reads settings from the environment in each worker; pass the overrides through it.
    os.environ["POLICYQA_HOST"], os.environ["POLICYQA_PORT"] = host, str(port)
    os.environ["POLICYQA_WORKERS"] = str(workers)
    # multiprocessing's resource tracker (a helper process with no logging) prints a plain-text warning
    # about semaphores that libraries leave registered when workers stop; keep the log pure JSON.
    os.environ.setdefault("PYTHONWARNINGS", "ignore:resource_tracker:UserWarning")
    from assistant.terminal import wants_text

    _configure_logging(wants_text(settings.log_format))
    _silence_progress_bars()
    LOG.info("serving on http://%s:%s/ (UI at /ui, API docs at /docs), %d worker(s)", host, port, workers)
    uvicorn.run(
        APP_FACTORY, factory=True, host=host, port=port, workers=workers, access_log=False, log_config=None
    )
    return 0
