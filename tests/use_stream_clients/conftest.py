"""The clients' build, served on loopback, and Chromium (sync Playwright, package-scoped like
tests/e2e's: its event loop must be gone before async tests run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from harness.browser import chromium, serve_directory
from tests.use_stream_clients.clients import built


@pytest.fixture(scope="package")
def clients_url() -> Iterator[str]:
    with serve_directory(built()) as url:
        yield url


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
