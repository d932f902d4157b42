"""`policyqa calibrate`: fit the low-relevance abstention thresholds on the labelled eval questions.

The other abstention rules (regions, unstated facts, chit-chat, injection) are rules; only the two
relevance thresholds are numbers, and they come from here rather than from a guess.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant.answering import abstain
from assistant.answering.answerer import ExtractiveAnswerer
from assistant.config import Settings
from assistant.evaluation.questions import Question, QuestionsError, load_questions

# the eval set, plus off-topic questions no rule refuses (the eval's traps are all caught by rules)
DEFAULT_QUESTIONS = (Path("eval/questions.jsonl"), Path("eval/calibration.jsonl"))


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "calibrate",
        help="fit the abstention thresholds on the labelled eval questions",
        description="Measure, for every labelled question, the best passage's cosine and the question-term "
        "coverage; print the thresholds that refuse the most unanswerable questions within the allowed "
        "false-refusal rate, next to the configured ones.",
    )
    parser.add_argument(
        "--questions",
        type=Path,
        action="append",
        help="labelled JSONL, repeatable (default: " + ", ".join(map(str, DEFAULT_QUESTIONS)) + ")",
    )
    parser.add_argument(
        "--max-false-refusal", type=float, default=0.005, help="allowed share of answerable questions refused"
    )
    parser.add_argument("--out", type=Path, help="also write the samples and the fit as JSON here")
    parser.set_defaults(func=handle)


def samples(
    answerer: ExtractiveAnswerer, state: Any, questions: list[Question]
) -> list[tuple[float, float, bool]]:
    """(best_dense, coverage, answerable) for the questions only the relevance thresholds decide: those
    another rule refuses are left out (no threshold changes their outcome)."""
    blind = ExtractiveAnswerer(
        answerer.searcher, abstain.Thresholds(0.0, 0.0), k=answerer.k, profile=answerer.profile
    )
    out = []
    for q in questions:
        outcome = blind.answer(state, q.question, q.history)
        if outcome.answer.abstained:
            continue
        terms = blind.query_for(state, outcome.answer.question_used, blind.k).heading_terms
        dense, coverage = abstain.relevance(terms, outcome.hits)
        out.append((dense, coverage, q.answerable))
    return out


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError
    from assistant.engine import Engine

    if not 0.0 <= args.max_false_refusal < 1.0:
        raise CliError("--max-false-refusal must be in [0, 1)")
    try:
        questions = [q for path in args.questions or DEFAULT_QUESTIONS for q in load_questions(path)]
    except QuestionsError as exc:
        raise CliError(str(exc)) from None
    engine = Engine.open(settings)
    data = samples(engine.answerer, engine.state, questions)
    fitted, recall, false_rate = abstain.fit_thresholds(data, args.max_false_refusal)
    current = engine.answerer.thresholds
    report = {
        "questions": len(questions),
        "decided_by_thresholds": len(data),
        "fitted": asdict(fitted),
        "fitted_refusal_recall": round(recall, 3),
        "fitted_false_refusal_rate": round(false_rate, 3),
        "configured": asdict(current),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            json.dumps({**report, "samples": data}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0
