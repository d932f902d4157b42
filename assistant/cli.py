"""`policyqa` command line: index | docs | chunks | ask | serve | eval | keys | bench.

Each feature module contributes its sub-command through `register(subparsers)`; a handler takes
(args, settings) and returns the exit code. Settings are created here, where the program starts.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from assistant.config import Settings

# Modules that each expose `register(subparsers) -> None`.
COMMAND_MODULES = (
    "assistant.commands",  # index, docs, chunks, ask
    "assistant.service.cli",  # serve
    "assistant.evaluation.cli",  # eval
    "assistant.evaluation.calibrate",  # calibrate
    "assistant.service.keys_cli",  # keys
)


class CliError(Exception):
    """A user-facing error: printed as `policyqa: error: …`, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policyqa", description="政策问答: cited answers from policy documents"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Model weights come from local folders only; never let a library reach for a hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        settings = Settings()
        code: int = args.func(args, settings)
    except CliError as exc:
        print(f"policyqa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
