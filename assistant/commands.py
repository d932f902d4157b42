"""CLI commands over the index: index, docs, chunks, ask."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.config import Settings

CHUNK_FIELDS = ("chunk_id", "doc_id", "kind", "text", "lead", "start", "end")


def register(sub: Any) -> None:
    p = sub.add_parser("index", help="build or update the index from the corpus folder")
    p.add_argument("--rebuild", action="store_true", help="re-embed every document")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("docs", help="list indexed documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("chunks", help="list indexed passages")
    p.add_argument("--json", action="store_true")
    p.add_argument("--doc", metavar="ID", help="only this document")
    p.set_defaults(func=cmd_chunks)

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer object")
    p.add_argument("--doc", metavar="ID", action="append", help="restrict to a document (repeatable)")
    p.set_defaults(func=cmd_ask)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _index_display(no_progress: bool) -> Any:
    """Bars in a terminal, a line per file otherwise (CI logs), nothing with --no-progress."""
    from assistant.terminal import LineDisplay, TerminalDisplay

    if no_progress:
        return None
    return TerminalDisplay() if sys.stderr.isatty() else LineDisplay(sys.stderr)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from contextlib import nullcontext

    from assistant import indexing
    from assistant.cli import CliError
    from assistant.engine_api import IngestError
    from assistant.profile import ProfileError
    from assistant.retrieval.embedder import EmbeddingModelError, SentenceTransformerEmbedder

    display = _index_display(args.no_progress)
    try:
        settings.profile()  # its domain words shape the keyword tokens stored in the index
        with (
            display.stage(f"loading the embedding model {settings.embedding_model}")
            if display
            else nullcontext()
        ):
            embedder = SentenceTransformerEmbedder(
                settings.embedding_model,
                settings.embedding_device,
                settings.embedding_batch_size,
                **settings.embedder_options(),
            )
    except (EmbeddingModelError, ProfileError) as exc:
        raise CliError(str(exc)) from exc
    try:
        with display.build("indexing") if display else nullcontext() as bars:
            report = indexing.rebuild(
                settings,
                embedder,
                full=args.rebuild,
                progress=bars.chunks if bars else None,
                on_document=bars.document if bars else None,
            ).report
    except IngestError as exc:
        raise CliError(str(exc)) from exc
    for name, reason in report.errors:
        print(f"skipped {name}: {reason}", file=sys.stderr)
    print(
        f"indexed {report.documents} documents, {report.chunks} passages in {report.seconds:.1f} s "
        f"({report.embedded_chunks} passages embedded, {len(report.reused_documents)} documents unchanged, "
        f"{len(report.errors)} skipped) [{report.dense_kind}]"
    )
    return 1 if report.errors else 0


def _read_state(settings: Settings) -> Any:
    """Load the index without the model: reading commands never rebuild."""
    from assistant.cli import CliError
    from assistant.retrieval.persistence import IndexIncompatible, IndexMissing, load_index

    try:
        stored, _ = load_index(settings.index_dir)
    except (IndexMissing, IndexIncompatible) as exc:
        raise CliError(str(exc)) from exc
    return stored


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    stored = _read_state(settings)
    counts: dict[str, int] = {}
    for chunk in stored.chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    rows = []
    for doc_id, record in sorted(stored.docs.items()):
        meta = record.meta.to_dict()
        meta.pop("source", None)
        rows.append({**meta, "n_chunks": counts.get(doc_id, 0)})
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            fields = (row["doc_id"], f"{row['n_chunks']:>4}", row["doc_number"] or "-", row["date"] or "-")
            print("\t".join((*fields, row["title"])))
    return 0


def cmd_chunks(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError

    stored = _read_state(settings)
    if args.doc and args.doc not in stored.docs:
        raise CliError(f"unknown document {args.doc!r}; see `policyqa docs`")
    rows = []
    for chunk in stored.chunks:
        if args.doc and chunk.doc_id != args.doc:
            continue
        title = stored.docs[chunk.doc_id].meta.title
        row = {k: v for k, v in chunk.to_dict().items() if k in CHUNK_FIELDS}
        rows.append({**row, "title": title, "section": chunk.section_path})
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"[{row['chunk_id']}] {row['section']}\n    {row['text'][:120]}")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError
    from assistant.engine import Engine
    from assistant.engine_api import UnknownDocument
    from assistant.retrieval.persistence import IndexIncompatible, IndexMissing

    question = args.question.strip()
    if not question:
        raise CliError("the question is empty")
    if len(question) > settings.max_question_chars:
        raise CliError(f"the question is longer than {settings.max_question_chars} characters")
    try:
        engine = Engine.open(settings, build_if_missing=False)
        answer = engine.ask(question, doc_ids=args.doc)
    except (IndexMissing, IndexIncompatible) as exc:
        raise CliError(str(exc)) from exc
    except UnknownDocument as exc:
        raise CliError(f"{exc.args[0]}; see `policyqa docs`") from exc
    if args.json:
        _print_json(answer.to_dict())
        return 0
    print(answer.answer)
    if answer.citations:
        print("\n来源：")
    for c in answer.citations:
        print(f"{c.reference}\n    {c.text[:160]}")
    return 0
