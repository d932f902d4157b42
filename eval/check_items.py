"""Checks shared by the eval set checkers (`eval/check_corpus.py`, `eval/check_dev2.py`).

An item's schema (fields, category, `history` exactly on follow-ups and alternating user/assistant), its
id (`[ho-|d2-]<category prefix>-<doc id>-NN`, NN two or three digits, `multi` for comparisons, `none` for
traps), and for answerable items that every alias of every key fact and every gold section occurs in the
normalised text (`assistant.textnorm.match_key`) of the named document(s), that no alias is part of its
question, and that gold sections looking like an article or chapter designator start a line (a real
heading, not a cross-reference).
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.textnorm import match_key  # noqa: E402  (the normalisation used for matching)

CATEGORIES = {
    "enumeration": "enum",
    "number": "num",
    "date": "date",
    "doc_number": "docno",
    "responsibility": "resp",
    "explanation": "expl",
    "paraphrase": "para",
    "fullwidth": "fw",
    "followup": "fu",
    "comparison": "cmp",
    "unanswerable": "unans",
}
FIELDS = {"id", "question", "answerable", "doc", "gold_sections", "key_facts", "category"}
DESIGNATOR = re.compile(r"^第[一二三四五六七八九十百零]+[条章]")


def heading_lines(text: str) -> list[str]:
    out = []
    for line in unicodedata.normalize("NFKC", text).splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            out.append(match_key(line))
    return out


@dataclass(frozen=True)
class Corpus:
    docs: dict[str, str]
    keys: dict[str, str]  # normalised text per doc id
    heads: dict[str, list[str]]  # normalised lines per doc id

    @classmethod
    def of(cls, folder: Path) -> Corpus:
        docs = {
            p.stem: p.read_text(encoding="utf-8")
            for p in sorted(folder.iterdir())
            if p.suffix in {".md", ".txt"}
        }
        return cls(
            docs, {d: match_key(t) for d, t in docs.items()}, {d: heading_lines(t) for d, t in docs.items()}
        )


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def parse(path: Path) -> tuple[list[str], list[tuple[str, dict]]]:
    """(errors, [(where, item)]) for every non-empty line of a JSONL file."""
    errors: list[str] = []
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{n}: bad JSON ({exc})")
            continue
        items.append((f"{path.name}:{n} {item.get('id', '?')}", item))
    return errors, items


def turns_key(item: dict) -> str:
    """A question with its history (follow-ups like 「那汕尾呢？」 differ only by their history)."""
    turns = [t.get("content", "") for t in item.get("history", [])] + [item.get("question", "")]
    return "\x1f".join(match_key(t) for t in turns)


def check_item(
    where: str, item: dict, corpus: Corpus, id_prefix: str, slug_of: Callable[[str], str] = lambda d: d
) -> list[str]:
    """Every check of one item but the uniqueness of its id and question (the callers know the sets)."""
    missing, extra = FIELDS - item.keys(), item.keys() - FIELDS - {"history"}
    if missing or extra:
        return [f"{where}: missing {sorted(missing)} extra {sorted(extra)}"]
    cat = item["category"]
    if cat not in CATEGORIES:
        return [f"{where}: unknown category {cat}"]
    errors = _history_errors(where, item)
    prefix = id_prefix + CATEGORIES[cat] + "-"
    if cat == "unanswerable":
        if (
            item["answerable"] is not False
            or item["doc"] is not None
            or item["key_facts"]
            or item["gold_sections"]
        ):
            errors.append(f"{where}: unanswerable items need answerable false, doc null, no facts/sections")
        return errors + _id_errors(where, item["id"], prefix + "none")
    if item["answerable"] is not True:
        errors.append(f"{where}: answerable must be true")
    doc = item["doc"]
    doc_ids = doc if isinstance(doc, list) else [doc]
    if cat == "comparison" and not (isinstance(doc, list) and 2 <= len(doc) <= 3):
        errors.append(f"{where}: comparison needs a list of 2-3 doc ids")
    if cat != "comparison" and not isinstance(doc, str):
        errors.append(f"{where}: doc must be a single doc id")
    unknown = [d for d in doc_ids if d not in corpus.docs]
    if unknown:
        return [*errors, f"{where}: unknown doc {unknown}"]
    errors += _id_errors(where, item["id"], prefix + ("multi" if cat == "comparison" else slug_of(doc)))
    return errors + _fact_errors(where, item, corpus, doc_ids) + _section_errors(where, item, corpus, doc_ids)


def _id_errors(where: str, qid: str, stem: str) -> list[str]:
    return [] if re.fullmatch(re.escape(stem) + r"-\d{2,3}", qid) else [f"{where}: id should be {stem}-NN(N)"]


def _history_errors(where: str, item: dict) -> list[str]:
    if (item["category"] == "followup") != ("history" in item):
        return [f"{where}: history must be present exactly on followup items"]
    hist = item.get("history")
    if hist is None:
        return []
    roles = [t.get("role") for t in hist]
    if (
        not hist
        or roles[0] != "user"
        or roles[-1] != "assistant"
        or any(a == b for a, b in itertools.pairwise(roles))
        or not all(isinstance(t.get("content"), str) and t["content"] for t in hist)
    ):
        return [f"{where}: history must alternate user/assistant, start with user, end with assistant"]
    return []


def _fact_errors(where: str, item: dict, corpus: Corpus, doc_ids: list[str]) -> list[str]:
    facts = item["key_facts"]
    errors = [] if 1 <= len(facts) <= 5 else [f"{where}: needs 1-5 key facts"]
    question_key = match_key(item["question"])
    for fact in facts:
        if not fact or not all(isinstance(a, str) and a for a in fact):
            errors.append(f"{where}: empty fact/alias {fact}")
            continue
        for alias in fact:
            k = match_key(alias)
            if not any(k in corpus.keys[d] for d in doc_ids):
                errors.append(f"{where}: alias not in document text: {alias!r}")
            if k in question_key:
                errors.append(f"{where}: alias is part of the question: {alias!r}")
    return errors


def _section_errors(where: str, item: dict, corpus: Corpus, doc_ids: list[str]) -> list[str]:
    errors = []
    for sec in item["gold_sections"]:
        k = match_key(sec)
        if not any(k in corpus.keys[d] for d in doc_ids):
            errors.append(f"{where}: gold section not in document text: {sec!r}")
        elif DESIGNATOR.match(unicodedata.normalize("NFKC", sec)) and not any(
            h.startswith(k) for d in doc_ids for h in corpus.heads[d]
        ):
            errors.append(f"{where}: gold section is not a heading/article start: {sec!r}")
    return errors


def report(errors: list[str]) -> int:
    """Print every error and the count; the exit status (1 on any error)."""
    for error in errors:
        print("ERROR", error)
    print(f"{len(errors)} error(s)")
    return 1 if errors else 0
