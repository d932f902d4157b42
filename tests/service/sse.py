"""A tiny SSE parser for tests (keeps the wire format honest: frames split by blank lines)."""

from __future__ import annotations

import json
from typing import Any


def parse_sse(body: str) -> list[tuple[str | None, Any]]:
    """[(event name or None, decoded data)] — data is JSON-decoded unless it is `[DONE]`."""
    frames: list[tuple[str | None, Any]] = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        event, data = None, []
        for line in block.split("\n"):
            if line.startswith("event:"):
                event = line[len("event:") :].strip()
            elif line.startswith("data:"):
                data.append(line[len("data:") :].strip())
        payload = "\n".join(data)
        frames.append((event, payload if payload == "[DONE]" else json.loads(payload)))
    return frames
