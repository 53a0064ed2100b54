"""Browser tests: the built frontend in Debian's headless Chromium against a real langgraph dev.

The bundle is built once per session (`npm run build`) and served from frontend/dist by a small
static server; each page is pointed at its API with `?apiUrl=` (the app reads it at run time).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from harness.browser import FRONTEND, chromium, serve_directory
from harness.server import ROOT

SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def frontend_url() -> Iterator[str]:
    """Build the frontend and serve frontend/dist on a free port."""
    if not (FRONTEND / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True, capture_output=True)
    with serve_directory(FRONTEND / "dist") as url:
        yield url


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Package-scoped: sync Playwright runs an event loop in this thread while it is open,
    which the async tests after this package need to be gone."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
