"""Check an eval corpus's question sets against its documents.

Run from the repository root:  python eval/check_corpus.py [eval/corpora/NAME ...]  (default: every
folder of eval/corpora/ with a docs/ folder and a holdout.jsonl).

For `questions.jsonl` and `holdout.jsonl` (ids of the latter prefixed `ho-`): every check of
`eval/check_items.py`, ids unique across both files, and no question asked twice. Exits non-zero on any
error. It reads the held-out items to check them, never to show them: only counts are printed.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

from check_items import CATEGORIES, ROOT, Corpus, check_item, parse, report, turns_key

FILES = (("questions.jsonl", ""), ("holdout.jsonl", "ho-"))


def check_corpus(folder: Path) -> list[str]:
    corpus = Corpus.of(folder / "docs")
    errors: list[str] = []
    ids: set[str] = set()
    questions: dict[str, str] = {}
    per_doc: collections.Counter[str] = collections.Counter()
    for name, prefix in FILES:
        parse_errors, items = parse(folder / name)
        errors += parse_errors
        for where, item in items:
            errors += check_item(where, item, corpus, prefix)
            if item.get("id") in ids:
                errors.append(f"{where}: duplicate id")
            ids.add(item.get("id", "?"))
            key = turns_key(item)
            if key in questions:
                errors.append(f"{where}: same question as {questions[key]}")
            questions[key] = where
            doc = item.get("doc")
            per_doc.update(doc if isinstance(doc, list) else [doc] if doc else [])
        cats = collections.Counter(i.get("category") for _, i in items)
        print(f"{folder.name}/{name}: {len(items)} items  " + ", ".join(f"{c} {cats[c]}" for c in CATEGORIES))
    print(
        "  per document (both files, incl. comparisons): "
        + ", ".join(f"{d} {per_doc[d]}" for d in corpus.docs)
    )
    return errors


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or sorted(
        p
        for p in (ROOT / "eval" / "corpora").iterdir()
        if (p / "docs").is_dir() and (p / "holdout.jsonl").is_file()
    )
    errors = [e for folder in folders for e in check_corpus(folder)]
    return report(errors)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
