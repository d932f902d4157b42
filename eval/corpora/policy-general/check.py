"""Check the policy-general evaluation set against its documents.

Run:  python check.py  (from anywhere; paths are relative to this file). The normalisation is
imported from the policyqa checkout: the repository root two levels up if this folder sits in
eval/corpora/, else $POLICYQA_ROOT, else /work/main.

For every item in questions.jsonl and holdout.jsonl it checks the schema, and for answerable
items that every alias of every key fact and every gold section occurs in the normalised text
(assistant.textnorm.match_key) of the document(s) named in `doc`. Gold sections that look like an
article or chapter designator must also start a line of the document (after NFKC and markdown
'#'), i.e. be a real heading, not just a cross-reference. Exits non-zero on any error.
"""

from __future__ import annotations

import collections
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
_CANDIDATES = [*HERE.parents[1:3], Path(os.environ.get("POLICYQA_ROOT", "/work/main"))]
ROOT = next((p for p in _CANDIDATES if (p / "assistant" / "textnorm.py").is_file()), _CANDIDATES[-1])
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


def load_docs() -> dict[str, str]:
    docs = {}
    for path in sorted((HERE / "docs").iterdir()):
        if path.suffix in {".md", ".txt"}:
            docs[path.stem] = path.read_text(encoding="utf-8")
    return docs


def heading_lines(text: str) -> list[str]:
    out = []
    for line in unicodedata.normalize("NFKC", text).splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            out.append(match_key(line))
    return out


def check_file(path: Path, docs: dict[str, str], keys: dict[str, str],
               heads: dict[str, list[str]], holdout: bool, seen: set[str]) -> tuple[list[str], list[dict]]:
    errors: list[str] = []
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: bad JSON ({exc})")
            continue
        items.append(item)
        qid = item.get("id", "?")
        where = f"{path.name}:{n} {qid}"
        missing = FIELDS - item.keys()
        extra = item.keys() - FIELDS - {"history"}
        if missing or extra:
            errors.append(f"{where}: missing {sorted(missing)} extra {sorted(extra)}")
            continue
        cat = item["category"]
        if cat not in CATEGORIES:
            errors.append(f"{where}: unknown category {cat}")
            continue
        if qid in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(qid)
        prefix = ("ho-" if holdout else "") + CATEGORIES[cat] + "-"
        if not qid.startswith(prefix):
            errors.append(f"{where}: id should start with {prefix}")
        if (cat == "followup") != ("history" in item):
            errors.append(f"{where}: history must be present exactly on followup items")
        if "history" in item:
            hist = item["history"]
            if not hist or hist[-1].get("role") != "assistant" or hist[0].get("role") != "user":
                errors.append(f"{where}: history must start with user and end with assistant")
        if cat == "unanswerable":
            if item["answerable"] is not False or item["doc"] is not None or item["key_facts"] or item["gold_sections"]:
                errors.append(f"{where}: unanswerable items need answerable false, doc null, no facts/sections")
            continue
        if item["answerable"] is not True:
            errors.append(f"{where}: answerable must be true")
        doc = item["doc"]
        doc_ids = doc if isinstance(doc, list) else [doc]
        if cat == "comparison" and not (isinstance(doc, list) and 2 <= len(doc) <= 3):
            errors.append(f"{where}: comparison needs a list of 2-3 doc ids")
        if cat != "comparison" and not isinstance(doc, str):
            errors.append(f"{where}: doc must be a single doc id")
        unknown = [d for d in doc_ids if d not in docs]
        if unknown:
            errors.append(f"{where}: unknown doc {unknown}")
            continue
        slug = "multi" if cat == "comparison" else doc
        if not re.fullmatch(re.escape(prefix + slug) + r"-\d{2}", qid):
            errors.append(f"{where}: id should be {prefix}{slug}-NN")
        facts = item["key_facts"]
        if not (1 <= len(facts) <= 5):
            errors.append(f"{where}: needs 1-5 key facts")
        question_key = match_key(item["question"])
        for fact in facts:
            if not fact or not all(isinstance(a, str) and a for a in fact):
                errors.append(f"{where}: empty fact/alias {fact}")
                continue
            for alias in fact:
                k = match_key(alias)
                if not any(k in keys[d] for d in doc_ids):
                    errors.append(f"{where}: alias not in document text: {alias!r}")
                if k in question_key:
                    errors.append(f"{where}: alias is part of the question: {alias!r}")
        for sec in item["gold_sections"]:
            k = match_key(sec)
            if not any(k in keys[d] for d in doc_ids):
                errors.append(f"{where}: gold section not in document text: {sec!r}")
            elif DESIGNATOR.match(unicodedata.normalize("NFKC", sec)) and not any(
                h.startswith(k) for d in doc_ids for h in heads[d]
            ):
                errors.append(f"{where}: gold section is not a heading/article start: {sec!r}")
    return errors, items


def main() -> int:
    docs = load_docs()
    keys = {d: match_key(t) for d, t in docs.items()}
    heads = {d: heading_lines(t) for d, t in docs.items()}
    seen: set[str] = set()
    all_errors = []
    questions: dict[str, str] = {}
    per_doc = collections.Counter()
    for name, holdout in (("questions.jsonl", False), ("holdout.jsonl", True)):
        errors, items = check_file(HERE / name, docs, keys, heads, holdout, seen)
        all_errors += errors
        for i in items:
            k = match_key(i.get("question", ""))
            if k in questions:
                all_errors.append(f"{name} {i.get('id')}: same question as {questions[k]}")
            questions[k] = f"{name} {i.get('id')}"
        cats = collections.Counter(i.get("category") for i in items)
        print(f"{name}: {len(items)} items  " + ", ".join(f"{c} {cats[c]}" for c in CATEGORIES))
        for i in items:
            d = i.get("doc")
            for x in (d if isinstance(d, list) else [d] if d else []):
                per_doc[x] += 1
    print("per document (both files, incl. comparisons): " + ", ".join(f"{d} {per_doc[d]}" for d in docs))
    for e in all_errors:
        print("ERROR", e)
    print(f"{len(all_errors)} error(s)")
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main())
