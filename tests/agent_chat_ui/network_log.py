"""What the page sent and got back, from Chromium's side: the evidence for a failing scenario
(the status and detail the server refused a request with) and for what the app sends."""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Page, Request, Response

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


@dataclass
class Exchange:
    method: str
    url: str
    body: Any
    sent: float  # seconds since the log started
    ended: float | None = None
    status: int | None = None
    failure: str | None = None
    detail: str | None = None


@dataclass
class NetworkLog:
    """Every request the page makes, in order; ``api_url``'s are the server's."""

    api_url: str
    exchanges: list[Exchange] = field(default_factory=list)
    _start: float = field(default_factory=time.monotonic)
    _page: Page | None = None
    _by_request: dict[Request, Exchange] = field(default_factory=dict)
    _refused: dict[Request, Response] = field(default_factory=dict)

    def attach(self, page: Page) -> None:
        self._page = page
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfinished", self._on_finished)
        page.on("requestfailed", self._on_failed)

    def pause(self, seconds: float) -> None:
        """Wait while Playwright delivers the page's events: the sync API only delivers them
        inside its own calls, so a plain sleep would leave this log behind."""
        assert self._page is not None, "attach() the log to a page first"
        self._page.wait_for_timeout(seconds * 1000)

    def _now(self) -> float:
        return round(time.monotonic() - self._start, 3)

    def _on_request(self, request: Request) -> None:
        exchange = Exchange(request.method, request.url, _body(request), self._now())
        self._by_request[request] = exchange
        self.exchanges.append(exchange)

    def _on_response(self, response: Response) -> None:
        exchange = self._by_request.get(response.request)
        if exchange is None:
            return
        exchange.status = response.status
        if response.status >= 400:
            self._refused[response.request] = response

    def _on_finished(self, request: Request) -> None:
        if exchange := self._by_request.get(request):
            exchange.ended = self._now()

    def _on_failed(self, request: Request) -> None:
        if exchange := self._by_request.get(request):
            exchange.ended = self._now()
            exchange.failure = request.failure

    def api(self) -> list[Exchange]:
        return [e for e in self.exchanges if e.url.startswith(self.api_url)]

    def refused(self) -> list[Exchange]:
        """The server's answers with an HTTP error status, with the detail they carried."""
        for request, response in self._refused.items():
            exchange = self._by_request[request]
            if exchange.detail is None:
                try:
                    exchange.detail = response.text()[:2000]
                except Error as exc:
                    exchange.detail = f"(body unreadable: {exc.message})"
        return [e for e in self.api() if e.status is not None and e.status >= 400]

    def run_requests(self) -> list[Exchange]:
        """The requests that start runs (``POST /threads/{id}/runs/stream`` and kin)."""
        return [e for e in self.api() if e.method == "POST" and "/runs" in _path(e.url)]

    def off_machine(self) -> list[str]:
        """URLs of requests that would have left the machine."""
        return [
            e.url
            for e in self.exchanges
            if urllib.parse.urlsplit(e.url).scheme in {"http", "https", "ws", "wss"}
            and urllib.parse.urlsplit(e.url).hostname not in LOOPBACK
        ]

    def describe(self, exchanges: list[Exchange]) -> str:
        return "\n".join(
            f"{e.method} {_path(e.url)} -> {e.status or e.failure}: {e.detail or ''}".rstrip(": ")
            for e in exchanges
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.refused()
        path.write_text(
            json.dumps([asdict(e) for e in self.exchanges], ensure_ascii=False, indent=1) + "\n"
        )


def _body(request: Request) -> Any:
    text = request.post_data
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
