"""A real HTTP server on 127.0.0.1 speaking just enough of the OpenAI chat-completions API for tests.

Tests queue `Reply` objects (one per request, in order; `default` when the queue is empty) and read back
the JSON bodies the server received from `requests`.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class Reply:
    """What the server does with one request."""

    content: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before answering (longer than the client timeout = a timeout)
    chunk_chars: int = 4  # streamed content is cut into pieces of this many characters
    stall_after: int | None = None  # streaming: after this many pieces, hang for `delay` instead


class FakeOpenAI:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.default = Reply(content="未找到")
        self.requests: list[dict[str, Any]] = []
        self.stopping = threading.Event()  # wakes handlers that are sleeping through a delay
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # a short poll interval keeps shutdown (once per test) fast
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def queue(self, *replies: Reply | str) -> None:
        self.replies.extend(Reply(content=r) if isinstance(r, str) else r for r in replies)

    def next_reply(self) -> Reply:
        return self.replies.popleft() if self.replies else self.default

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:
            if self.path != CHAT_PATH:
                self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            fake.requests.append(body)
            reply = fake.next_reply()
            # the client may have given up (timeout) — expected
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(body, reply)

        def _answer(self, body: dict[str, Any], reply: Reply) -> None:
            if reply.delay and reply.stall_after is None and fake.stopping.wait(reply.delay):
                return
            if reply.status != 200:
                self._send_json(reply.status, {"error": {"message": "fake failure", "type": "server_error"}})
            elif body.get("stream"):
                self._stream(body, reply)
            else:
                self._send_json(200, _completion(body, reply.content))

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, body: dict[str, Any], reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()  # HTTP/1.0: the body ends when the connection closes
            pieces = [
                reply.content[i : i + reply.chunk_chars]
                for i in range(0, len(reply.content), reply.chunk_chars)
            ]
            for i, piece in enumerate(pieces):
                if i == reply.stall_after and fake.stopping.wait(reply.delay):
                    return
                self._event(
                    _chunk(body, {"role": "assistant", "content": piece} if i == 0 else {"content": piece})
                )
            self._event(_chunk(body, {}, finish="stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

        def _event(self, payload: dict[str, Any]) -> None:
            self.wfile.write(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")
            self.wfile.flush()

    return Handler


def _completion(body: dict[str, Any], content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "fake"),
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def _chunk(body: dict[str, Any], delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
