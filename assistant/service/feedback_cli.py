"""`policyqa feedback export`: thumbs-down answers as eval-format candidates (or the raw records)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.service.feedback import FeedbackStore, eval_candidate


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("feedback", help="answers users rated")
    sub = parser.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    export = sub.add_parser(
        "export", help="write thumbs-down answers as JSONL (eval candidates for a person to correct)"
    )
    export.add_argument(
        "--format",
        choices=("eval", "json"),
        default="eval",
        help="eval: items in the eval/questions.jsonl schema with the answer and citations; json: raw",
    )
    export.add_argument("--out", type=Path, help="output file (default: standard output)")
    export.add_argument("--all", action="store_true", help="thumbs-up too (json format only)")
    export.set_defaults(func=_export)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError

    if args.all and args.format == "eval":
        raise CliError("--all applies to --format json only: eval candidates come from thumbs-down")
    store = FeedbackStore.in_dir(settings.data_dir)
    records = store.all() if args.all else list(reversed(store.disliked()))
    rows = [eval_candidate(r) if args.format == "eval" else r.to_dict() for r in records]
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if args.out is None:
        sys.stdout.write(text)
    else:
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    print(f"{len(rows)} feedback item(s) exported", file=sys.stderr)
    return 0
