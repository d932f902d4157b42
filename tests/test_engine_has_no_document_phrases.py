"""The engine knows Chinese policy documents in general, not the ones it was developed on: no phrase of
five or more Chinese characters in `assistant/` code (docstrings and comments aside, which cite made-up or
real examples) is one that only one or two documents of the project's corpora use. A phrase written by
many documents (生效, 法律责任) is the language's; one found in a single document is that document's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from assistant.textnorm import match_key

ROOT = Path(__file__).resolve().parents[1]
_RUN = re.compile(r"[\u4e00-\u9fff]{5,}")
_FEW = 2  # documents: a phrase this rare belongs to them
# kinds of administrative division (like 自治区): the language's words, however few documents use them
_LANGUAGE = frozenset({"特别行政区"})


def _documents() -> list[str]:
    paths = [*ROOT.glob("corpus/*.txt"), *ROOT.glob("eval/corpora/*/docs/*.md")]
    return [match_key(p.read_text(encoding="utf-8", errors="ignore")) for p in paths]


def _code_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_phrase_of_a_single_document_in_the_engine() -> None:
    documents = _documents()
    assert len(documents) >= 20  # the seeds and both eval corpora are there to compare against
    found = []
    for path in sorted((ROOT / "assistant").rglob("*.py")):
        for line, value in _code_strings(path):
            for phrase in _RUN.findall(value):
                if phrase in _LANGUAGE:
                    continue
                users = sum(match_key(phrase) in doc for doc in documents)
                if 0 < users <= _FEW:
                    found.append(f"{path.relative_to(ROOT)}:{line} {phrase} ({users} documents)")
    assert found == []
