"""The built web app and Debian's Chromium, for the browser tests and the bench."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from harness.server import ROOT, free_port

FRONTEND = ROOT / "frontend"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Keep Chromium off the (closed) network: no updates, sync, QUIC or background fetches.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Static files on a free loopback port (``frontend/dist`` once built); yields the URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def app_url(frontend_url: str, api_url: str, **run_context: float | str) -> str:
    """The app pointed at ``api_url`` (``?apiUrl=``, read at run time), with a run context."""
    query = {"apiUrl": api_url}
    if run_context:
        query["context"] = json.dumps(run_context)
    return f"{frontend_url}/?{urllib.parse.urlencode(query)}"


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless and off the network, through sync Playwright."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian chromium is missing: run `make browser`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
