"""The CLI against no server, or a server that is not LangGraph's: one line at once, no retries
(a run that was never created has nothing to resume)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness.server import free_port
from tests.client.test_cli import cli

pytestmark = pytest.mark.unit

HTML = b"<!doctype html><title>Welcome</title><p>Some other web app"
QUICK = 5.0
"""Far below the 7.5 s of backoff (closed port) and 31 s (other server) these took before."""


class _NotLangGraph(BaseHTTPRequestHandler):
    """Answers every request as an ordinary web app would: an HTML page, or a JSON 404."""

    status = 200
    requests: list[str]

    def _answer(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        self.rfile.read(int(self.headers.get("content-length") or 0))
        html = self.status == 200
        body = HTML if html else b'{"detail": "Not Found"}'
        self.send_response(self.status)
        self.send_header("content-type", "text/html" if html else "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=[200, 404], ids=["html-page", "json-404"])
def other_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_NotLangGraph,), {"status": request.param, "requests": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


async def test_a_closed_port_fails_at_once() -> None:
    started = time.monotonic()
    done = await cli("--url", f"http://127.0.0.1:{free_port()}", "hello")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "Cannot reach the LangGraph server" in done.stderr
    assert time.monotonic() - started < QUICK


@pytest.mark.parametrize("thread", [[], ["--thread", "00000000-0000-0000-0000-000000000000"]])
async def test_a_server_that_is_not_langgraph_fails_in_one_line(
    other_server: tuple[str, list[str]], thread: list[str]
) -> None:
    url, seen = other_server
    done = await cli("--url", url, *thread, "hello")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert f"{url} is not a LangGraph server" in done.stderr
    assert "resuming" not in done.stderr and done.stdout == ""
    # One try at the run (or at the thread), then one look at /ok: no retries.
    assert len(seen) == 2 and seen[-1] == "GET /ok", seen
