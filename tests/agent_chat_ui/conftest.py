"""agent-chat-ui (unmodified) in Debian's headless Chromium against a real ``langgraph dev``.

Each scenario runs against every build: the npm template always, the current repository when
``AGENT_CHAT_UI_DIR`` names a checkout. Builds are cached (see agent_chat_ui.py); a cold one
takes minutes and is not counted in a test's timeout.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from harness.browser import chromium
from harness.server import ROOT, Server, langgraph_dev
from tests.agent_chat_ui.agent_chat_ui import CHECKOUT_ENV, checkout_build, serve, template_build
from tests.agent_chat_ui.network_log import NetworkLog
from tests.e2e.conftest import SCREENSHOTS

NETWORK_LOGS = ROOT / "artifacts" / "network"
SERVER_LOG = ROOT / "artifacts" / "logs" / "agent-chat-ui-server.log"
# The app cannot send a run context, so the server paces tools from its environment: slow
# enough that a test can press Cancel while a tool runs.
TOOL_STEP_DELAY = "1"


@dataclass(frozen=True)
class ChatUi:
    name: str
    url: str


@pytest.fixture(scope="session", params=["template", "current"])
def chat_ui(request: pytest.FixtureRequest) -> Iterator[ChatUi]:
    """A served build of agent-chat-ui."""
    if request.param == "template":
        build = template_build()
    else:
        checkout = os.environ.get(CHECKOUT_ENV)
        if not checkout:
            pytest.skip(f"{CHECKOUT_ENV} names no checkout of the current agent-chat-ui")
        build = checkout_build(Path(checkout).resolve())
    with serve(build) as url:
        yield ChatUi(build.name, url)


@pytest.fixture(scope="session")
def api() -> Iterator[Server]:
    """The server, its log kept in artifacts/ for the failures it explains."""
    with langgraph_dev(env={"AGENT_TOOL_STEP_DELAY": TOOL_STEP_DELAY}) as server:
        try:
            yield server
        finally:
            SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(server.log, SERVER_LOG)


@pytest.fixture(scope="session")
def approval_api() -> Iterator[Server]:
    """A server whose runs wait for a decision before get_weather (the app sends no context)."""
    env = {"AGENT_TOOL_STEP_DELAY": TOOL_STEP_DELAY, "AGENT_APPROVE_TOOLS": "get_weather"}
    with langgraph_dev(env=env) as server:
        yield server


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context; its screenshot (pass or fail) goes to artifacts/screenshots/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"{artifact_name(request.node.name)}.png"), full_page=True
    )
    context.close()


@pytest.fixture
def network(page: Page, api: Server, request: pytest.FixtureRequest) -> Iterator[NetworkLog]:
    """The page's traffic, saved to artifacts/network/<test>.json after the test."""
    log = NetworkLog(api.url)
    log.attach(page)
    yield log
    log.save(NETWORK_LOGS / f"{artifact_name(request.node.name)}.json")
    assert not log.off_machine(), f"requests left the machine: {log.off_machine()}"


def artifact_name(test_name: str) -> str:
    return "agent-chat-ui-" + re.sub(r"[^\w.-]+", "-", test_name).strip("-")
