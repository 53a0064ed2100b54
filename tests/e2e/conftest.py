"""Browser tests: the built frontend in Debian's headless Chromium against a real langgraph dev.

The bundle is built once per session (`npm run build`) and served from frontend/dist by a small
static server; each page is pointed at its API with `?apiUrl=` (the app reads it at run time).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.langgraph_server import free_port

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
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


@pytest.fixture(scope="session")
def frontend_url() -> Iterator[str]:
    """Build the frontend and serve frontend/dist on a free port."""
    if not (FRONTEND / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True, capture_output=True)
    handler = functools.partial(_QuietHandler, directory=str(FRONTEND / "dist"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Package-scoped: sync Playwright runs an event loop in this thread while it is open,
    which the async tests after this package need to be gone."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `make browser` (scripts/install-chromium.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def app_url(frontend_url: str, api_url: str, **run_context: float | str) -> str:
    query = {"apiUrl": api_url}
    if run_context:
        query["context"] = json.dumps(run_context)
    return f"{frontend_url}/?{urllib.parse.urlencode(query)}"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
