"""Check the later development sets (dev2 to dev22) against their documents.

Run from the repository root:  python eval/check_dev2.py

Checks every later dev set of `DEFAULT_SETS` (dev2 to dev6 of the seeds, dev6 with ids `s6-…`; dev2 to dev12
of ip-general, dev2 to dev15 of policy-general, dev14 with ids `d18-…`, dev15 with ids `d22-…`; dev2 to dev9 of
ip-mixed, dev6 with ids `d15-…`, dev7 with ids `d19-…`, dev8 with ids `d21-…`, dev9 with ids `d22-…`; dev2 to dev9
of ip-assorted, dev4 with ids `d14-…`, dev5 with ids `d16-…`, dev6 with ids `d17-…`, dev7 with ids `d20-…`, dev8
with ids `d21-…`, dev9 with ids `d22-…`) against its
documents (or any `QUESTIONS DOCS_DIR` pairs given as arguments): every check of `eval/check_items.py` with
ids `<d2-|…|d22-|s6->-<category prefix>-<doc id>-NN` (the set's prefix; a seed's doc id up to its first `_`),
ids unique across all later sets and not used by the main dev sets, and no question (with its history)
repeating one of the main dev set or of another later set of the same corpus.

The held-out files are deliberately not read. Exits non-zero on any error.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

from check_items import CATEGORIES, ROOT, Corpus, check_item, parse, read_jsonl, report, turns_key

PREFIX = "d2-"

# (later questions, documents, main dev questions of the same corpus, id prefix)
DEFAULT_SETS = [
    ("eval/questions-dev2.jsonl", "corpus", "eval/questions.jsonl", PREFIX),
    ("eval/questions-dev3.jsonl", "corpus", "eval/questions.jsonl", "d3-"),
    ("eval/questions-dev4.jsonl", "corpus", "eval/questions.jsonl", "d4-"),
    ("eval/questions-dev5.jsonl", "corpus", "eval/questions.jsonl", "d5-"),
    ("eval/questions-dev6.jsonl", "corpus", "eval/questions.jsonl", "s6-"),
    ("eval/corpora/ip-general/questions-dev2.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", PREFIX),
    ("eval/corpora/policy-general/questions-dev2.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", PREFIX),
    ("eval/corpora/policy-general/questions-dev3.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d3-"),
    ("eval/corpora/ip-general/questions-dev3.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d3-"),
    ("eval/corpora/policy-general/questions-dev4.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d4-"),
    ("eval/corpora/ip-general/questions-dev4.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d4-"),
    ("eval/corpora/policy-general/questions-dev5.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d5-"),
    ("eval/corpora/ip-general/questions-dev5.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d5-"),
    ("eval/corpora/policy-general/questions-dev6.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d6-"),
    ("eval/corpora/ip-general/questions-dev6.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d6-"),
    ("eval/corpora/policy-general/questions-dev7.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d7-"),
    ("eval/corpora/ip-general/questions-dev7.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d7-"),
    ("eval/corpora/policy-general/questions-dev8.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d8-"),
    ("eval/corpora/ip-general/questions-dev8.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d8-"),
    ("eval/corpora/policy-general/questions-dev9.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d9-"),
    ("eval/corpora/ip-general/questions-dev9.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d9-"),
    ("eval/corpora/ip-general/questions-dev10.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d10-"),
    ("eval/corpora/policy-general/questions-dev10.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d10-"),
    ("eval/corpora/policy-general/questions-dev11.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d11-"),
    ("eval/corpora/ip-general/questions-dev11.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d11-"),
    ("eval/corpora/policy-general/questions-dev12.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d12-"),
    ("eval/corpora/ip-general/questions-dev12.jsonl", "eval/corpora/ip-general/docs",
     "eval/corpora/ip-general/questions.jsonl", "d12-"),
    ("eval/corpora/policy-general/questions-dev13.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d13-"),
    ("eval/corpora/ip-mixed/questions-dev2.jsonl", "eval/corpora/ip-mixed/docs",
     "eval/corpora/ip-mixed/questions.jsonl", PREFIX),
    ("eval/corpora/ip-mixed/questions-dev3.jsonl", "eval/corpora/ip-mixed/docs",
     "eval/corpora/ip-mixed/questions.jsonl", "d3-"),
    ("eval/corpora/ip-mixed/questions-dev4.jsonl", "eval/corpora/ip-mixed/docs",
     "eval/corpora/ip-mixed/questions.jsonl", "d4-"),
    ("eval/corpora/ip-mixed/questions-dev5.jsonl", "eval/corpora/ip-mixed/docs",
     "eval/corpora/ip-mixed/questions.jsonl", "d5-"),
    ("eval/corpora/ip-mixed/questions-dev6.jsonl", "eval/corpora/ip-mixed/docs",
     "eval/corpora/ip-mixed/questions.jsonl", "d15-"),
    ("eval/corpora/ip-assorted/questions-dev2.jsonl", "eval/corpora/ip-assorted/docs",
     "eval/corpora/ip-assorted/questions.jsonl", PREFIX),
    ("eval/corpora/ip-assorted/questions-dev3.jsonl", "eval/corpora/ip-assorted/docs",
     "eval/corpora/ip-assorted/questions.jsonl", "d3-"),
    ("eval/corpora/ip-assorted/questions-dev4.jsonl", "eval/corpora/ip-assorted/docs",
     "eval/corpora/ip-assorted/questions.jsonl", "d14-"),
    ("eval/corpora/ip-assorted/questions-dev5.jsonl", "eval/corpora/ip-assorted/docs",
     "eval/corpora/ip-assorted/questions.jsonl", "d16-"),
    ("eval/corpora/ip-assorted/questions-dev6.jsonl", "eval/corpora/ip-assorted/docs",
     "eval/corpora/ip-assorted/questions.jsonl", "d17-"),
    ("eval/corpora/policy-general/questions-dev14.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d18-"),
    ("eval/corpora/ip-mixed/questions-dev7.jsonl", "eval/corpora/ip-mixed/docs",
     "eval/corpora/ip-mixed/questions.jsonl", "d19-"),
    ("eval/corpora/ip-assorted/questions-dev7.jsonl", "eval/corpora/ip-assorted/docs",
     "eval/corpora/ip-assorted/questions.jsonl", "d20-"),
    ("eval/corpora/ip-mixed/questions-dev8.jsonl", "eval/corpora/ip-mixed/docs",
     "eval/corpora/ip-mixed/questions.jsonl", "d21-"),
    ("eval/corpora/ip-assorted/questions-dev8.jsonl", "eval/corpora/ip-assorted/docs",
     "eval/corpora/ip-assorted/questions.jsonl", "d21-"),
    ("eval/corpora/ip-mixed/questions-dev9.jsonl", "eval/corpora/ip-mixed/docs",
     "eval/corpora/ip-mixed/questions.jsonl", "d22-"),
    ("eval/corpora/ip-assorted/questions-dev9.jsonl", "eval/corpora/ip-assorted/docs",
     "eval/corpora/ip-assorted/questions.jsonl", "d22-"),
    ("eval/corpora/policy-general/questions-dev15.jsonl", "eval/corpora/policy-general/docs",
     "eval/corpora/policy-general/questions.jsonl", "d22-"),
]  # fmt: skip


def check_set(
    qpath: Path,
    docs_dir: Path,
    main_path: Path | None,
    seen: set[str],
    main_ids: set[str],
    prefix: str = PREFIX,
    later: dict[str, str] | None = None,
) -> tuple[list[str], list[dict]]:
    """`later`: questions (turns_key) of the later sets of the same corpus checked so far → where."""
    later = {} if later is None else later
    corpus = Corpus.of(docs_dir)
    main_questions = {turns_key(i) for i in read_jsonl(main_path)} if main_path else set()
    errors, parsed = parse(qpath)
    for where, item in parsed:
        errors += check_item(where, item, corpus, prefix, slug_of=lambda d: d.split("_")[0])
        qid = item.get("id", "?")
        if qid in seen or qid in main_ids:
            errors.append(f"{where}: duplicate id")
        seen.add(qid)
        key = turns_key(item)
        if key in main_questions:
            errors.append(f"{where}: question repeats one of the main dev set")
        if key in later:
            errors.append(f"{where}: same question as {later[key]}")
        later.setdefault(key, where)
    return errors, [item for _, item in parsed]


def main(argv: list[str]) -> int:
    if len(argv) % 2:
        print("usage: check_dev2.py [QUESTIONS DOCS_DIR]...")
        return 2
    sets = [(argv[i], argv[i + 1], None, PREFIX) for i in range(0, len(argv), 2)] if argv else DEFAULT_SETS
    main_ids = {i["id"] for _, _, main_path, _ in DEFAULT_SETS for i in read_jsonl(ROOT / main_path)}
    seen: set[str] = set()
    later: dict[str, dict[str, str]] = {}  # per documents folder
    all_errors = []
    for qname, dname, main_name, prefix in sets:
        errors, items = check_set(
            ROOT / qname,
            ROOT / dname,
            ROOT / main_name if main_name else None,
            seen,
            main_ids,
            prefix,
            later.setdefault(dname, {}),
        )
        all_errors += errors
        cats = collections.Counter(i.get("category") for i in items)
        print(f"{qname}: {len(items)} items  " + ", ".join(f"{c} {cats[c]}" for c in CATEGORIES))
        per_doc: collections.Counter[str] = collections.Counter()
        for i in items:
            d = i.get("doc")
            per_doc.update(d if isinstance(d, list) else [d] if d else [])
        print(
            "  per document (incl. comparisons): " + ", ".join(f"{d} {c}" for d, c in sorted(per_doc.items()))
        )
    return report(all_errors)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
