"""`policyqa serve`: run the API + UI with uvicorn (settings from the environment)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from assistant.config import Settings

APP_FACTORY = "assistant.service.app:create_app"


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


def _configure_logging() -> None:
    from assistant.service.middleware import json_log_formatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_log_formatter())
    for name in ("policyqa", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


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
    # The factory re-reads settings from the environment in each worker; pass the overrides through it.
    os.environ["POLICYQA_HOST"], os.environ["POLICYQA_PORT"] = host, str(port)
    _configure_logging()
    print(f"policyqa: serving on http://{host}:{port}/ (UI at /ui, API docs at /docs)", file=sys.stderr)
    uvicorn.run(
        APP_FACTORY, factory=True, host=host, port=port, workers=workers, access_log=False, log_config=None
    )
    return 0
