"""Check the dev2 evaluation sets against their documents.

Run from the repository root:  python eval/check_dev2.py

Checks `eval/questions-dev2.jsonl` against `corpus/` and
`eval/corpora/ip-general/questions-dev2.jsonl` against `eval/corpora/ip-general/docs/`
(or any `QUESTIONS DOCS_DIR` pairs given as arguments). Adapted from
`eval/corpora/ip-general/check.py`, so that the same checks also run on the seed scrapes:

- schema (fields, category, `history` exactly on followup items, shape of history);
- ids `d2-<category prefix>-<doc id>-NN` (`multi` for comparisons, `none` for traps), unique within
  the dev2 files and not used by the main dev sets;
- no question (with its history) repeats a question of the main dev set of the same corpus;
- answerable items: 1-5 key facts, every alias occurs in the normalised text
  (`assistant.textnorm.match_key`: NFKC, no whitespace) of the named document(s) and is not part
  of its question; every gold section occurs in that text, and article/chapter designators
  (`第十条`) start a line of the document (a real heading, not a cross-reference);
- unanswerable items: answerable false, doc null, no facts, no sections.

The held-out files are deliberately not read. Exits non-zero on any error.
"""

from __future__ import annotations

import collections
import itertools
import json
import re
import sys
import unicodedata
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
PREFIX = "d2-"

# (dev2 questions, documents, main dev questions of the same corpus)
DEFAULT_SETS = [
    ("eval/questions-dev2.jsonl", "corpus", "eval/questions.jsonl"),
    ("eval/corpora/ip-general/questions-dev2.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl"),
]


def load_docs(folder: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())
            if p.suffix in {".md", ".txt"}}


def heading_lines(text: str) -> list[str]:
    out = []
    for line in unicodedata.normalize("NFKC", text).splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            out.append(match_key(line))
    return out


def turns_key(item: dict) -> str:
    """A question with its history (follow-ups like 「那汕尾呢？」 differ only by their history)."""
    turns = [t.get("content", "") for t in item.get("history", [])] + [item.get("question", "")]
    return "\x1f".join(match_key(t) for t in turns)


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_set(qpath: Path, docs_dir: Path, main_path: Path | None, seen: set[str],
              main_ids: set[str]) -> tuple[list[str], list[dict]]:
    docs = load_docs(docs_dir)
    keys = {d: match_key(t) for d, t in docs.items()}
    heads = {d: heading_lines(t) for d, t in docs.items()}
    main_questions = {turns_key(i) for i in read_jsonl(main_path)} if main_path else set()
    errors: list[str] = []
    items = []
    for n, line in enumerate(qpath.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{qpath.name}:{n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: bad JSON ({exc})")
            continue
        items.append(item)
        qid = item.get("id", "?")
        where = f"{qpath.name}:{n} {qid}"
        missing = FIELDS - item.keys()
        extra = item.keys() - FIELDS - {"history"}
        if missing or extra:
            errors.append(f"{where}: missing {sorted(missing)} extra {sorted(extra)}")
            continue
        cat = item["category"]
        if cat not in CATEGORIES:
            errors.append(f"{where}: unknown category {cat}")
            continue
        if qid in seen or qid in main_ids:
            errors.append(f"{where}: duplicate id")
        seen.add(qid)
        if turns_key(item) in main_questions:
            errors.append(f"{where}: question repeats one of the main dev set")
        prefix = PREFIX + CATEGORIES[cat] + "-"
        if (cat == "followup") != ("history" in item):
            errors.append(f"{where}: history must be present exactly on followup items")
        if "history" in item:
            hist = item["history"]
            roles = [t.get("role") for t in hist]
            if (not hist or roles[0] != "user" or roles[-1] != "assistant"
                    or any(a == b for a, b in itertools.pairwise(roles))
                    or not all(isinstance(t.get("content"), str) and t["content"] for t in hist)):
                errors.append(f"{where}: history must alternate user/assistant, start with user, end with assistant")
        if cat == "unanswerable":
            if item["answerable"] is not False or item["doc"] is not None or item["key_facts"] or item["gold_sections"]:
                errors.append(f"{where}: unanswerable items need answerable false, doc null, no facts/sections")
            if not re.fullmatch(re.escape(prefix + "none") + r"-\d{2}", qid):
                errors.append(f"{where}: id should be {prefix}none-NN")
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
        slug = "multi" if cat == "comparison" else doc.split("_")[0]
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


def main(argv: list[str]) -> int:
    if argv:
        if len(argv) % 2:
            print("usage: check_dev2.py [QUESTIONS DOCS_DIR]...")
            return 2
        sets = [(argv[i], argv[i + 1], None) for i in range(0, len(argv), 2)]
    else:
        sets = DEFAULT_SETS
    main_ids = set()
    for _, _, main_path in DEFAULT_SETS:
        main_ids |= {i["id"] for i in read_jsonl(ROOT / main_path)}
    seen: set[str] = set()
    all_errors = []
    for qname, dname, main_name in sets:
        errors, items = check_set(ROOT / qname, ROOT / dname, ROOT / main_name if main_name else None,
                                  seen, main_ids)
        all_errors += errors
        cats = collections.Counter(i.get("category") for i in items)
        print(f"{qname}: {len(items)} items  " + ", ".join(f"{c} {cats[c]}" for c in CATEGORIES))
        per_doc = collections.Counter()
        for i in items:
            d = i.get("doc")
            for x in (d if isinstance(d, list) else [d] if d else []):
                per_doc[x] += 1
        print("  per document (incl. comparisons): " + ", ".join(f"{d} {c}" for d, c in sorted(per_doc.items())))
    for e in all_errors:
        print("ERROR", e)
    print(f"{len(all_errors)} error(s)")
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
