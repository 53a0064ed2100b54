"""What a page asked the API for and how many bytes came back, from Chromium's own network events
(CDP), so long-lived event streams count as their bytes arrive."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page


@dataclass
class Request:
    method: str
    path: str
    body: str
    index: int
    """Position in the log, counted over requests and marks."""
    bytes: int = 0


@dataclass
class NetworkLog:
    """Every request from the page to ``api_url`` (preflights left out), in order."""

    api_url: str
    requests: list[Request] = field(default_factory=list)
    _by_id: dict[str, Request] = field(default_factory=dict)
    _marks: dict[str, int] = field(default_factory=dict)
    _received: list[tuple[int, Request, int]] = field(default_factory=list)

    def attach(self, page: Page) -> NetworkLog:
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.dataReceived", self._data)
        cdp.send("Network.enable")
        return self

    def _sent(self, event: dict[str, Any]) -> None:
        request = event["request"]
        if not request["url"].startswith(self.api_url) or request["method"] == "OPTIONS":
            return
        path = request["url"][len(self.api_url) :]
        logged = Request(request["method"], path, request.get("postData", ""), self._tick())
        self._by_id[event["requestId"]] = logged
        self.requests.append(logged)

    def _data(self, event: dict[str, Any]) -> None:
        logged = self._by_id.get(event["requestId"])
        if logged is not None:
            logged.bytes += event["dataLength"]
            self._received.append((self._tick(), logged, event["dataLength"]))

    def _tick(self) -> int:
        return len(self.requests) + len(self._received) + len(self._marks)

    def mark(self, name: str) -> None:
        """A point in the log: bytes and requests after it can be asked for."""
        self._marks[name] = self._tick()

    def bytes_since(self, name: str) -> int:
        start = self._marks[name]
        return sum(length for at, _, length in self._received if at >= start)

    def requests_since(self, name: str) -> list[Request]:
        return [r for r in self.requests if r.index >= self._marks[name]]

    def history_reads(self, name: str) -> list[dict[str, Any]]:
        """The bodies of ``POST /threads/{id}/history`` since ``name``."""
        return [
            json.loads(r.body or "{}")
            for r in self.requests_since(name)
            if r.method == "POST" and r.path.split("?")[0].endswith("/history")
        ]
