"""Build register.tsv: in how many Chinese laws and regulations each word occurs.

    python -m assistant.lang.zh.register_build LAWS_DIR [--leave-out DOCS_DIR …] [--out FILE]

LAWS_DIR is a checkout of github.com/LawRefBook/Laws (one Markdown file per text). Texts whose title is a
document of a corpus this project evaluates on (`--leave-out`, default: corpus/ and eval/corpora/*/docs)
are left out, so that the frequencies say how laws in general write, not how the tested documents do;
so are the texts kept apart for the project's independent check (`--reserved`, one name part per line:
eval/reserved.txt), which are never read."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from assistant.lang.zh import HERE

MIN_DOCUMENTS = 3  # rarer words say nothing about the register
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_DATED = re.compile(r"\(\d{4}-\d{2}-\d{2}\)$")
_STATE = "中华人民共和国"
PROJECT = HERE.parents[2]


def title_key(title: str) -> str:
    """A title compared without its date suffix, markup and the state's name (植物新品种保护条例)."""
    return _DATED.sub("", title.strip().lstrip("#").strip()).replace(_STATE, "").replace(" ", "")


def left_out_titles(folders: Iterable[Path]) -> set[str]:
    titles: set[str] = set()
    for folder in folders:
        for path in [*folder.glob("*.md"), *folder.glob("*.txt")]:
            lines = [s for s in path.read_text(encoding="utf-8", errors="ignore").splitlines() if s.strip()]
            titles |= {title_key(s) for s in lines[:3]}  # a raw scrape's title is among its first lines
    return titles


def document_frequency(paths: Iterable[Path]) -> tuple[Counter[str], int]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    counts: Counter[str] = Counter()
    read = 0
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="ignore")
        counts.update({w for w in jieba.lcut_for_search(text) if _WORD.fullmatch(w)})
        read += 1
    return counts, read


def reserved_names(path: Path) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(s.strip() for s in lines if s.strip() and not s.startswith("#"))


def laws(root: Path, leave_out: set[str], reserved: tuple[str, ...]) -> list[Path]:
    return [
        p
        for p in sorted(root.rglob("*.md"))
        if not any(r in p.name for r in reserved)
        and title_key(p.stem) not in leave_out
        and "模版" not in p.stem
        and p.name != "README.md"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("laws_dir", type=Path)
    parser.add_argument("--leave-out", type=Path, nargs="*", default=None)
    parser.add_argument("--out", type=Path, default=HERE / "register.tsv")
    parser.add_argument("--reserved", type=Path, default=PROJECT / "eval" / "reserved.txt")
    args = parser.parse_args(argv)
    if not args.laws_dir.is_dir():
        print(f"error: {args.laws_dir} is not a folder", file=sys.stderr)
        return 2
    if not args.reserved.is_file():
        print(f"error: {args.reserved}: no list of reserved documents", file=sys.stderr)
        return 2
    default = [PROJECT / "corpus", *PROJECT.glob("eval/corpora/*/docs")]
    folders = args.leave_out if args.leave_out is not None else default
    paths = laws(args.laws_dir, left_out_titles(folders), reserved_names(args.reserved))
    counts, read = document_frequency(paths)
    rows = [f"{w}\t{n}" for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if n >= MIN_DOCUMENTS]
    args.out.write_text(f"# texts\t{read}\n" + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(rows)} words from {read} texts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
