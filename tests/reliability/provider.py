"""A scriptable OpenAI-compatible server on a free loopback port, for provider fault tests.

As strict as OpenAI (``tests.fake_openai.problem``). A question asks for a fault by holding a
tag such as ``[fault:429]``: faults are keyed on the conversation's last user message rather
than queued, so every retry of one request meets the same fault, the next question is healthy,
and there is no shared script to keep in step with the server's retries.

``tests/test_server_openai.py`` has a similar server, but its replies are fixed and it lives
inside a test module; this one adds faults and answers any question.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.fake_openai import Turn, completion, problem, sse, stream_chunks

KEY = "sk-reliability-DO-NOT-LEAK-0123456789"
FAULT = re.compile(r"\[fault:(\w+)\]")
STALL_SECONDS = 3.0
"""How long ``timeout`` and ``stall`` keep the client waiting: well over AGENT_MODEL_TIMEOUT."""
HEAD = ["The ", "answer ", "begins "]
"""Text streamed before a mid-answer fault."""


def reply(body: dict[str, Any]) -> Turn:
    """The healthy model: the weather tool for weather questions, its result in words, an echo."""
    last = body["messages"][-1]
    if last["role"] == "tool":
        return Turn(text=f"The tool says: {last['content']}. Anything else?")
    question = str(last.get("content"))
    if "weather" in question.lower() or "天气" in question:
        return Turn(tool_calls=[(f"call_{len(body['messages'])}", "get_weather", {"city": "北京"})])
    return Turn(text=f"You said {len(question)} characters; here is a plain answer.")


def fault_of(body: dict[str, Any]) -> str | None:
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    found = FAULT.search(str(users[-1].get("content"))) if users else None
    return found.group(1) if found else None


@dataclass
class Provider:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)

    def calls(self, fault: str) -> int:
        """How many requests met ``fault`` (retries included)."""
        return sum(fault_of(body) == fault for body in self.requests)


class _Handler(http.server.BaseHTTPRequestHandler):
    provider: Provider

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.provider.requests.append(body)
        reason = problem(body)
        if self.path != "/v1/chat/completions" or self.headers["Authorization"] != f"Bearer {KEY}":
            reason = reason or f"unexpected {self.path} or key"
        try:
            if reason is not None:
                return self._json(400, {"error": {"message": reason}})
            match fault_of(body):
                case "429":
                    error = {"error": {"message": "Rate limit reached", "type": "requests"}}
                    return self._json(429, error, {"retry-after-ms": "10"})
                case "500":
                    return self._json(500, {"error": {"message": "The server had an error"}})
                case "timeout":
                    time.sleep(STALL_SECONDS)
                    return self._json(200, completion(Turn(text="too late")))
                case "garbled" | "truncated" | "drop" | "stall" as fault:
                    return self._broken_stream(fault)
            if body.get("stream"):
                return self._send(200, "text/event-stream", sse(stream_chunks(reply(body))))
            return self._json(200, completion(reply(body)))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (a timeout): nothing to answer

    def _broken_stream(self, fault: str) -> None:
        """Three good text chunks, then garbage, a clean end with no finish, a dropped
        connection (fewer bytes than declared), or silence."""
        head = sse(stream_chunks(Turn(text="".join(HEAD)))[:4]).removesuffix(b"data: [DONE]\n\n")
        tail = b'data: {"choices": [{"delta": {"content": \n\n' if fault == "garbled" else b""
        missing = 100 if fault in {"drop", "stall"} else 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(head) + len(tail) + missing))
        self.end_headers()
        self.wfile.write(head)
        self.wfile.flush()
        if fault == "stall":
            time.sleep(STALL_SECONDS)
        self.wfile.write(tail)
        self.close_connection = True

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, "application/json", json.dumps(payload).encode(), headers)

    def _send(
        self, status: int, kind: str, payload: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def fake_provider() -> Iterator[Provider]:
    """The provider, serving on 127.0.0.1 in a thread until the block ends."""
    provider = Provider(url="")
    handler = type("Handler", (_Handler,), {"provider": provider})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    provider.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        httpd.shutdown()
        httpd.server_close()
