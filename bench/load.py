"""`make load` / `python -m bench.load`: a bounded load test of POST /v1/ask on loopback.

Starts `policyqa serve` with POLICYQA_WORKERS=N over a private copy of corpus/ and index/ and a fresh
data folder, waits for /readyz, runs C concurrent clients for S seconds per client count, and reports
throughput, latency percentiles, errors, server CPU per request and the memory of every worker process;
once per backend (local; milvus: a replica over a fresh `milvus-lite server`) and, with --baseline REF,
for git REF's code too. Writes bench/results/load.json and bench/results/load.md.

`run_load` is the load generator on its own; the reliability tests call it with a short duration.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("results")
MAX_ERROR_SAMPLES = 5

# Returns None for a good answer body, else what is wrong with it.
Validator = Callable[[Any], str | None]


def answer_problem(body: Any) -> str | None:
    """The shape every /v1/ask answer must have; anything else counts as an error."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    if not isinstance(body.get("answer"), str) or not body["answer"]:
        return "no answer text"
    if not isinstance(body.get("abstained"), bool) or not isinstance(body.get("citations"), list):
        return "abstained/citations missing"
    numbers = [c.get("n") for c in body["citations"] if isinstance(c, dict)]
    if len(numbers) != len(body["citations"]) or numbers != list(range(1, len(numbers) + 1)):
        return "citations are not numbered 1..n"
    return None


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), math.ceil(p / 100 * len(sorted_values))))
    return sorted_values[rank - 1]


class _Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.errors = 0
        self.samples: list[str] = []

    def add(self, seconds: float, status: str, problem: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1
            if problem is not None:
                self.errors += 1
                if len(self.samples) < MAX_ERROR_SAMPLES:
                    self.samples.append(problem)


def _client_loop(
    base_url: str,
    questions: list[str],
    offset: int,
    deadline: float,
    tally: _Tally,
    validate: Validator,
    timeout: float,
) -> None:
    # Each client walks the questions from its own offset so that concurrent requests differ.
    order = itertools.islice(itertools.cycle(questions), offset, None)
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        for question in order:
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                resp = client.post("/v1/ask", json={"question": question})
            except httpx.HTTPError as exc:
                tally.add(time.perf_counter() - started, type(exc).__name__, f"{type(exc).__name__}: {exc}")
                time.sleep(0.01)  # a refused connection returns at once; do not spin
                continue
            elapsed = time.perf_counter() - started
            problem = f"HTTP {resp.status_code}: {resp.text[:200]}" if resp.status_code != 200 else None
            if problem is None:
                try:
                    problem = validate(resp.json())
                except ValueError:
                    problem = "body is not JSON"
            tally.add(elapsed, str(resp.status_code), problem)


def _lean_problem(data: bytes, validate: Validator) -> str | None:
    try:
        return validate(json.loads(data))
    except ValueError:
        return "body is not JSON"


def run_lean(
    base_url: str, questions: list[str], seconds: float, *, validate: Validator = answer_problem
) -> dict[str, Any]:
    """One keep-alive connection of the standard library's http.client, back to back: the server's own
    latency. httpx costs about 1–2 ms a request on this machine, more than the server's HTTP layer."""
    parsed = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=60)
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    try:
        for question in itertools.cycle(questions):
            if time.monotonic() >= deadline:
                break
            body = json.dumps({"question": question}).encode()
            started = time.perf_counter()
            conn.request("POST", "/v1/ask", body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            latencies.append(time.perf_counter() - started)
            errors += resp.status != 200 or _lean_problem(data, validate) is not None
    finally:
        conn.close()
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": errors,
        "p50_ms": round(percentile(ordered, 50) * 1000, 1),
        "p95_ms": round(percentile(ordered, 95) * 1000, 1),
    }


def run_load(
    base_url: str,
    questions: list[str],
    clients: int,
    seconds: float,
    *,
    validate: Validator = answer_problem,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """`clients` threads POST /v1/ask back to back for `seconds`; every non-200, transport failure or
    malformed answer is an error. Latencies are of completed requests, in milliseconds."""
    if clients < 1 or seconds <= 0 or not questions:
        raise ValueError("need clients >= 1, seconds > 0 and at least one question")
    tally = _Tally()
    started = time.monotonic()
    deadline = started + seconds
    step = max(1, len(questions) // clients)
    threads = [
        threading.Thread(
            target=_client_loop,
            args=(base_url, questions, i * step, deadline, tally, validate, timeout),
            daemon=True,
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    elapsed = time.monotonic() - started
    ordered = sorted(tally.latencies)
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(ordered),
        "errors": tally.errors,
        "throughput_rps": round(len(ordered) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(ordered, 50) * 1000, 1),
        "p95_ms": round(percentile(ordered, 95) * 1000, 1),
        "p99_ms": round(percentile(ordered, 99) * 1000, 1),
        "statuses": dict(sorted(tally.statuses.items())),
        "error_samples": tally.samples,
    }


# --- the server under test ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _kib(status_text: str, field: str) -> int:
    for line in status_text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        return [int(p) for p in path.read_text().split()]
    return []


def worker_pids(server_pid: int) -> list[int]:
    """uvicorn's worker processes: the children running the app, or the server itself with one worker."""
    workers = []
    for child in _children(server_pid):
        with contextlib.suppress(OSError):
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"resource_tracker" not in cmdline:
                workers.append(child)
    return workers or [server_pid]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (fields 14 and 15 of /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def process_memory(pid: int) -> dict[str, float]:
    """RSS, peak RSS and PSS (shared pages split between the processes sharing them), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    memory = {"rss_mb": _kib(status, "VmRSS") / 1024, "peak_rss_mb": _kib(status, "VmHWM") / 1024}
    with contextlib.suppress(OSError):
        memory["pss_mb"] = _kib(Path(f"/proc/{pid}/smaps_rollup").read_text(), "Pss") / 1024
    return {k: round(v, 1) for k, v in memory.items()}


@contextlib.contextmanager
def served(
    workers: int, workdir: Path, ready_timeout: float = 600.0, *, backend: str = "local", source: Path = REPO
) -> Iterator[tuple[str, int]]:
    """`policyqa serve` (the code in `source`) over copies of corpus/ and index/ (built there when the
    repo has none). backend "milvus": the index is published into a fresh `milvus-lite server` first,
    and the server is a replica with an empty corpus folder."""
    shutil.copytree(REPO / "corpus", workdir / "corpus")
    if backend == "local" and (REPO / "index" / "CURRENT").is_file():
        shutil.copytree(REPO / "index", workdir / "index", ignore=shutil.ignore_patterns(".lock"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_")}
    env.update(
        POLICYQA_CORPUS_DIR=str(workdir / "corpus"),
        POLICYQA_INDEX_DIR=str(workdir / "index"),
        POLICYQA_EMBEDDING_MODEL=os.environ.get("POLICYQA_EMBEDDING_MODEL", "m3e-small"),
    )
    if source != REPO:
        env["PYTHONPATH"] = str(source)
    with contextlib.ExitStack() as stack:
        if backend == "milvus":
            from tests.milvus_server import milvus_lite_server

            uri = stack.enter_context(milvus_lite_server(workdir / "milvus"))
            env.update(POLICYQA_VECTOR_STORE="milvus", POLICYQA_MILVUS_URI=uri)
            _index(env, workdir, source)
            (workdir / "replica").mkdir()
            env["POLICYQA_CORPUS_DIR"] = str(workdir / "replica")
        yield stack.enter_context(launch(env, workdir, workers, ready_timeout, source))


def _index(env: dict[str, str], workdir: Path, source: Path) -> None:
    """`policyqa index` as the writer (its data folder apart from the server's)."""
    writer = {**env, "POLICYQA_DATA_DIR": str(workdir / "writer-var"), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "assistant.cli", "index", "--no-progress"]
    subprocess.run(command, cwd=source, env=writer, check=True, capture_output=True)


@contextlib.contextmanager
def launch(
    env: dict[str, str], workdir: Path, workers: int, ready_timeout: float, source: Path = REPO
) -> Iterator[tuple[str, int]]:
    """Start `policyqa serve` on a free loopback port with `env`, wait until every worker is ready, yield
    (url, pid), and stop the whole process group afterwards. The log goes to workdir/server.log."""
    port = _free_port()
    env = {
        **env,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "POLICYQA_DATA_DIR": str(workdir / "var"),
        "POLICYQA_WORKERS": str(workers),
    }
    log_path = workdir / "server.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=source,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # one process group: stopping it stops every worker
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc, log_path, workers, ready_timeout)
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, workers: int, timeout: float) -> None:
    # Every worker loads its own engine and logs "engine ready"; /readyz reaches only one of them.
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}; see {log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"server not ready in time; see {log}")
        if log.read_text(encoding="utf-8", errors="replace").count('"engine ready"') >= workers:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    return
        time.sleep(0.2)


# --- report ----------------------------------------------------------------------------------------------


def load_questions_text() -> list[str]:
    from assistant.evaluation.questions import load_questions

    # Single-turn questions only: follow-ups need their history to mean anything.
    return [q.question for q in load_questions(REPO / "eval" / "questions.jsonl") if not q.history]


def markdown(results: dict[str, Any]) -> str:
    answer = results.get("answer_in_process", {})
    lines = [
        "# policyqa load test: POST /v1/ask on loopback",
        "",
        f"Machine: {results['machine']['cpu_count']} cores, {results['machine']['platform']}; model "
        f"{results['machine']['model']}. The load generator runs on the same cores as the server.",
        "",
        f"In-process answer (this code, local index, one thread): {answer.get('cpu_ms', '–')} ms CPU "
        f"per answer ({answer.get('wall_ms', '–')} ms wall).",
        "",
        "| code + backend | workers | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms "
        "| server CPU ms/req | ÷ answer CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    memory = ["", "| code + backend | worker | RSS MB | peak RSS MB | PSS MB |", "|---|---|---|---|---|"]
    for run in results["runs"].values():
        label = run.get("label", "local")
        for r in run["loads"]:
            cpu = r.get("server_cpu_ms_per_request", "")
            ratio = round(cpu / answer["cpu_ms"], 2) if cpu and answer.get("cpu_ms") else ""
            lines.append(
                f"| {label} | {run['workers']} | {r['clients']} | {r['requests']} | {r['errors']} "
                f"| {r['throughput_rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {cpu} | {ratio} |"
            )
        for n, mem in enumerate(run["memory_per_worker"], start=1):
            memory.append(
                f"| {label} | {n} | {mem['rss_mb']} | {mem['peak_rss_mb']} | {mem.get('pss_mb', '')} |"
            )
    when = "; ".join(f"{key}: {run['when']}" for key, run in results["runs"].items())
    return "\n".join([*lines, *memory, "", f"Runs: {when}.", ""])


def measure(
    label: str, workers: int, clients: list[int], seconds: float, *, backend: str, source: Path
) -> dict[str, Any]:
    """One server (fresh data folder), every client count in turn, then the workers' memory."""
    questions = load_questions_text()
    with (
        tempfile.TemporaryDirectory(prefix="policyqa-load-") as tmp,
        served(workers, Path(tmp), backend=backend, source=source) as (url, pid),
    ):
        run_load(url, questions, max(clients), 2.0)  # warm-up: first requests pay lazy imports
        pids = worker_pids(pid)
        loads = []
        for n in clients:
            # Server CPU per answer does not depend on what else the machine is doing; latency does.
            cpu_before = cpu_seconds(pids)
            result = run_load(url, questions, n, seconds)
            used = cpu_seconds(pids) - cpu_before
            result["server_cpu_ms_per_request"] = round(used * 1000 / max(result["requests"], 1), 1)
            print(label, json.dumps(result, ensure_ascii=False), flush=True)
            loads.append(result)
        memory = [process_memory(p) for p in pids]
    return {
        "label": label,
        "workers": workers,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "loads": loads,
        "memory_per_worker": memory,
    }


def answer_in_process(questions: list[str], repeat: int = 2) -> dict[str, float]:
    """CPU and wall time of one answer in this process (the floor the server's CPU is compared to)."""
    from assistant.config import Settings
    from assistant.engine import Engine

    with tempfile.TemporaryDirectory(prefix="policyqa-answer-") as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            corpus_dir=REPO / "corpus",
            index_dir=REPO / "index" if (REPO / "index" / "CURRENT").is_file() else Path(tmp) / "index",
            data_dir=REPO / "var",
        )
        engine = Engine.open(settings)
        for question in questions[:20]:
            engine.ask(question)  # warm-up
        cpu, wall = time.process_time(), time.perf_counter()
        for question in questions * repeat:
            engine.ask(question)
        n = len(questions) * repeat
        return {
            "cpu_ms": round((time.process_time() - cpu) * 1000 / n, 2),
            "wall_ms": round((time.perf_counter() - wall) * 1000 / n, 2),
        }


def baseline_source(ref: str, into: Path) -> tuple[str, Path]:
    """The tree of git `ref` (e.g. main) unpacked into `into`, to serve today's code side by side."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()
    archive = subprocess.run(["git", "archive", ref], cwd=REPO, check=True, capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return f"{ref}@{sha} local", into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("POLICYQA_WORKERS", "1")))
    parser.add_argument("--clients", default="1,8,32", help="comma-separated client counts")
    parser.add_argument("--seconds", type=float, default=20.0, help="per client count (at most 30)")
    parser.add_argument("--backends", default="local,milvus", help="local and/or milvus (milvus-lite server)")
    parser.add_argument("--baseline", metavar="REF", help="also serve git REF's code (local), e.g. main")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",") if c.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.workers < 1 or not clients or min(clients) < 1 or not 0 < args.seconds <= 30:
        parser.error("need --workers >= 1, client counts >= 1 and 0 < --seconds <= 30")
    if not backends or set(backends) - {"local", "milvus"}:
        parser.error("--backends takes local and/or milvus")
    runs = {}
    with tempfile.TemporaryDirectory(prefix="policyqa-baseline-") as tmp:
        variants = [(b, b, REPO) for b in backends]
        if args.baseline:
            label, source = baseline_source(args.baseline, Path(tmp))
            variants.insert(0, (label, "local", source))
        for label, backend, source in variants:
            run = measure(label, args.workers, clients, args.seconds, backend=backend, source=source)
            runs[f"{label} workers={args.workers}"] = run
    results: dict[str, Any] = {
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(terse=True),
            "model": os.environ.get("POLICYQA_EMBEDDING_MODEL", "m3e-small"),
        },
        "answer_in_process": answer_in_process(load_questions_text()),
        "runs": runs,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    out_json = args.out / "load.json"
    out_json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.out / "load.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 1 if any(r["errors"] for run in runs.values() for r in run["loads"]) else 0


if __name__ == "__main__":
    sys.exit(main())
