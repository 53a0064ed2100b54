"""The direct view (EventSource on /api/chat/stream) and API keys, in the real browser."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server, langgraph_dev
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import open_api_key, seen, send, start_recording, wait_status

KEY = "browser-key-0123456789"


def direct_url(frontend_url: str, api_url: str, **run_context: float | str) -> str:
    return app_url(frontend_url, api_url, **run_context) + "&view=direct"


def active_streams(server: Server) -> int:
    return int(httpx.get(f"{server.url}/api/chat/status", timeout=10).json()["active_streams"])


def test_direct_view_streams_an_answer_with_tool_progress(
    page: Page, frontend_url: str, server: Server
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(direct_url(frontend_url, server.url, tool_step_delay=0.2))
    expect(page.get_by_test_id("view-direct")).to_have_attribute("aria-pressed", "true")
    start_recording(page)

    send(page, "分析用户数据")

    card = page.get_by_test_id("tool-call")
    expect(card).to_have_attribute("data-status", "done", timeout=30_000)
    expect(page.get_by_test_id("progress")).to_have_attribute("aria-valuenow", "100")
    # Same order as the main view: the card's message, then the answer that uses its result.
    answers = page.get_by_test_id("message-assistant")
    expect(answers).to_have_count(2)
    expect(answers.first.get_by_test_id("tool-call")).to_have_count(1)
    expect(answers.last).to_contain_text("还想了解")
    expect(answers.last.get_by_test_id("tool-call")).to_have_count(0)
    wait_status(page, "idle")
    progress, lengths = seen(page)["progress"], seen(page)["lengths"]
    assert len(set(progress)) >= 3, f"progress jumped: {progress}"
    assert len(lengths) >= 5, f"the answer did not stream: {lengths}"
    streams = [url for url in requests if "/api/chat/stream" in url]
    assert len(streams) == 1, "one question, one stream: no reconnect re-asked it"
    assert not [url for url in requests if "/threads" in url or "/runs" in url]
    screenshot(page, "20-direct-view-tool-progress")


def test_direct_view_stop_cancels_the_server_run(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(direct_url(frontend_url, server.url, offline_token_delay=0.05))
    send(page, "count to 2000")
    answer = page.get_by_test_id("message-assistant")
    expect(answer).to_contain_text("1 2 3 4 5")
    assert active_streams(server) == 1

    page.get_by_test_id("stop-button").click()

    wait_status(page, "stopped")
    expect(page.get_by_test_id("stopped-note")).to_be_visible()
    deadline_polls = 200
    while active_streams(server) and deadline_polls:
        deadline_polls -= 1
        page.wait_for_timeout(50)
    assert active_streams(server) == 0, "the server kept streaming after Stop"
    partial = answer.inner_text()
    assert not partial.rstrip().endswith("2000")


@pytest.fixture(scope="module")
def auth_server() -> Iterator[Server]:
    with langgraph_dev(env={"AGENT_API_KEYS": f"{KEY}:browser"}) as running:
        yield running


@pytest.mark.parametrize("view", ["runs", "direct"])
def test_both_views_need_and_send_the_api_key(
    page: Page, frontend_url: str, auth_server: Server, view: str
) -> None:
    url = app_url(frontend_url, auth_server.url, offline_token_delay=0)
    page.goto(url + ("&view=direct" if view == "direct" else ""))
    send(page, "count to 3")
    expect(page.get_by_test_id("error-banner")).to_contain_text("API key", timeout=30_000)

    open_api_key(page)
    page.get_by_label("API key for").fill(KEY)
    page.get_by_role("button", name="Save").click()
    send(page, "count to 3")

    expect(page.get_by_test_id("message-assistant").last).to_have_text("1 2 3", timeout=30_000)
    wait_status(page, "idle")
    screenshot(page, f"21-api-key-{view}-view")
