"""`make bench-formats`: what reading each document format costs on this machine (a printed PDF's text
layer, OCR per scanned page) and how many questions of eval/corpora/formats/questions.jsonl each format
answers. The documents are seeds 002 and 003 as .txt, .docx, Chromium-printed PDF and image-only scan,
built by tests/formats/docgen.py (needs Debian's chromium).

Writes bench/results/formats.json and bench/results/formats.md. Numbers, not assertions.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.config import Settings
from assistant.engine import Engine
from assistant.evaluation.questions import load_questions
from assistant.ingest.loaders import load_document
from assistant.ingest.ocr import engine as ocr_engine
from assistant.ingest.pipeline import ingest_file
from assistant.retrieval.embedder import SentenceTransformerEmbedder
from tests.formats.docgen import FORMATS, REPO, SEEDS, build
from tests.formats.scoring import answered_ids

RESULTS = REPO / "bench" / "results"
QUESTIONS = REPO / "eval" / "corpora" / "formats" / "questions.jsonl"
SUFFIX = {"txt": "txt", "docx": "docx", "pdf": "pdf", "scan": "pdf"}


def _lines(text: str) -> str:
    """Paragraphs one per line: .docx paragraphs are kept apart by blank lines, the .txt's are not."""
    return "\n".join(line for line in text.split("\n") if line.strip())


def _read(fmt: str, path: Path, reference: str) -> dict[str, Any]:
    data = path.read_bytes()
    wall, cpu = time.perf_counter(), time.process_time()
    loaded = load_document(f"bench-{fmt}-{path.name}", data)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    text = _lines(ingest_file(path).text)
    pages = loaded.text.count("\f") + 1 if fmt in ("pdf", "scan") else None
    return {
        "format": fmt,
        "document": path.stem,
        "bytes": len(data),
        "pages": pages,
        "read_s": round(wall, 2),
        "read_cpu_s": round(cpu, 2),
        "s_per_page": round(wall / pages, 2) if pages else None,
        "ocr_confidence": loaded.ocr_confidence,
        "text_similarity": round(difflib.SequenceMatcher(None, reference, text, autojunk=False).ratio(), 4),
    }


def _engine(corpus: Path, root: Path, embedder: Any) -> Engine:
    settings = Settings(
        corpus_dir=corpus,
        index_dir=root / "index",
        data_dir=root / "var",
        prompts_dir=REPO / "prompts",
        _env_file=None,  # type: ignore[call-arg]
    )
    return Engine.open(settings, embedder=embedder)


def run() -> dict[str, Any]:
    started = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        dirs = build(Path(tmp) / "docs")
        t = time.perf_counter()
        ocr_engine()
        ocr_load_s = round(time.perf_counter() - t, 2)
        reading = []
        for stem in SEEDS:
            reference = _lines(ingest_file(dirs["txt"] / f"{stem}.txt").text)
            for fmt in FORMATS:
                reading.append(_read(fmt, dirs[fmt] / f"{stem}.{SUFFIX[fmt]}", reference))
        questions = load_questions(QUESTIONS)
        embedder = SentenceTransformerEmbedder("m3e-small")
        answered: dict[str, set[str]] = {}
        timings: dict[str, dict[str, float]] = {}
        for fmt in FORMATS:
            t = time.perf_counter()
            engine = _engine(dirs[fmt], Path(tmp) / f"engine-{fmt}", embedder)
            built = time.perf_counter()
            answered[fmt] = answered_ids(engine, questions)
            timings[fmt] = {"index_s": round(built - t, 1), "ask_s": round(time.perf_counter() - built, 1)}
    scans = [r for r in reading if r["format"] == "scan"]
    pages = sum(r["pages"] for r in scans)
    return {
        "machine": {"cores": os.cpu_count(), "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
        "ocr_engine_load_s": ocr_load_s,
        "ocr_s_per_page": round(sum(r["read_s"] for r in scans) / pages, 2),
        "ocr_cpu_s_per_page": round(sum(r["read_cpu_s"] for r in scans) / pages, 2),
        "reading": reading,
        "questions": len(questions),
        "answered": {fmt: len(ids) for fmt, ids in answered.items()},
        "index_and_ask_s": timings,
        "lost_vs_txt": {fmt: sorted(answered["txt"] - ids) for fmt, ids in answered.items()},
        "gained_vs_txt": {fmt: sorted(ids - answered["txt"]) for fmt, ids in answered.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }


def markdown(result: dict[str, Any]) -> str:
    load = result["machine"]
    lines = [
        "# Document formats",
        "",
        f"{load['cores']} cores, load average {load['loadavg_before'][0]:.1f} before and "
        f"{load['loadavg_after'][0]:.1f} after (other work on the machine slows the wall times).",
        "",
        f"OCR: {result['ocr_s_per_page']} s per A4 page ({result['ocr_cpu_s_per_page']} s CPU), "
        f"engine load {result['ocr_engine_load_s']} s.",
        "",
        "| document | format | bytes | pages | read s | s/page | OCR confidence | text vs .txt |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in result["reading"]:
        lines.append(
            f"| {r['document'][:3]} | {r['format']} | {r['bytes']} | {r['pages'] or ''} | {r['read_s']} | "
            f"{r['s_per_page'] or ''} | {r['ocr_confidence'] or ''} | {r['text_similarity']} |"
        )
    lines += [
        "",
        f"Questions answered (of {result['questions']}):",
        "",
        "| format | answered | lost vs .txt |",
    ]
    lines.append("|---|---|---|")
    for fmt, n in result["answered"].items():
        lines.append(f"| {fmt} | {n} | {', '.join(result['lost_vs_txt'][fmt]) or '-'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    result = run()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "formats.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    (RESULTS / "formats.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
