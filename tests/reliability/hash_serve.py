"""`python -m tests.reliability.hash_serve [serve args]`: the real `policyqa serve` (uvicorn, workers,
JSON logging, the app factory) with the deterministic HashEmbedder instead of m3e-small.

Crash and load tests restart servers many times; the model is irrelevant to what they prove and would
cost seconds per start. `POLICYQA_TEST_ENCODE_DELAY` (seconds per encode call) slows rebuilds down so
that a test can kill the server in the middle of one; questions are never delayed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

import numpy as np
from fastapi import FastAPI

from tests.fake_embedder import HashEmbedder

FACTORY = "tests.reliability.hash_serve:create_app"
DELAY_ENV = "POLICYQA_TEST_ENCODE_DELAY"


class SlowHashEmbedder(HashEmbedder):
    def __init__(self, *_: object, **__: object) -> None:
        super().__init__()
        self.delay = float(os.environ.get(DELAY_ENV, "0") or 0)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # Only index builds are slowed: they encode batches, a question is encoded alone.
        if self.delay and len(texts) > 1:
            time.sleep(self.delay)
        return super().encode(texts)


def install() -> None:
    """Make Engine.open (and `policyqa index`) use the hash embedder in this process."""
    import assistant.engine
    import assistant.retrieval.embedder

    # Through __dict__: both modules look the class up by name when they build an embedder.
    for module in (assistant.engine, assistant.retrieval.embedder):
        module.__dict__["SentenceTransformerEmbedder"] = SlowHashEmbedder


def create_app() -> FastAPI:
    # Each uvicorn worker process imports this factory, so the patch holds with POLICYQA_WORKERS > 1.
    install()
    from assistant.service.cli import serve_app

    return serve_app()


def main(argv: Sequence[str] | None = None) -> int:
    import assistant.service.cli
    from assistant.cli import main as cli_main

    install()
    assistant.service.cli.APP_FACTORY = FACTORY
    return cli_main(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
