"""Other people's ``useStream`` clients, unmodified from npm, in Chromium against a real
``langgraph dev``: ``@langchain/react`` (its tool selectors, SSE and WebSocket transports) and
``@assistant-ui/react-langchain`` (send, Stop, a new message on a paused thread)."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient
from playwright.sync_api import Page, expect

from harness.server import Server

FAST = {"offline_token_delay": 0, "tool_step_delay": 0}
APPROVE_WEATHER = {**FAST, "approve_tools": ["get_weather"]}


@pytest.fixture
def api(server: Server) -> Server:
    """The session's server, for both transports: it has streamed other threads by then."""
    return server


@pytest.fixture
def sdk(api: Server) -> Iterator[SyncLangGraphClient]:
    client = get_sync_client(url=api.url)
    yield client
    client.close()


def open_client(page: Page, clients_url: str, server: Server, **query: Any) -> None:
    query = {"apiUrl": server.url, **query}
    if "context" in query:
        query["context"] = json.dumps(query["context"])
    page.goto(f"{clients_url}/?{urllib.parse.urlencode(query)}")


def send(page: Page, text: str) -> None:
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()


def eventually(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Poll the server until ``check`` holds (the browser's side is awaited by Playwright)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout} s: {what}")
        time.sleep(0.05)


@pytest.mark.parametrize("transport", ["sse", "websocket"])
def test_langchain_react_tool_selectors_see_the_progress(
    page: Page, clients_url: str, api: Server, transport: str
) -> None:
    open_client(page, clients_url, api, client="react", transport=transport, context=FAST)

    send(page, "北京天气如何？")

    expect(page.get_by_test_id("messages").locator("li[data-type=ai]").last).to_contain_text("25°C")
    call = page.get_by_test_id("tool-calls").locator("li")
    expect(call).to_have_count(1)
    expect(call).to_have_attribute("data-status", "finished")
    expect(call).to_contain_text("get_weather")
    progress = page.get_by_test_id("progress").locator("li")
    expect(progress.first).to_have_text("正在查询北京 0")  # the question's language
    expect(progress.last).to_have_text("已获取北京 1")
    expect(page.get_by_test_id("error")).to_have_text("")


def test_assistant_ui_sends_and_stops(
    page: Page, clients_url: str, api: Server, sdk: SyncLangGraphClient
) -> None:
    thread_id = sdk.threads.create()["thread_id"]
    slow = {"offline_token_delay": 0.05, "tool_step_delay": 0}
    open_client(page, clients_url, api, client="assistant-ui", threadId=thread_id, context=slow)

    send(page, "count to 3")
    expect(page.locator(".message").last).to_contain_text("1 2 3")
    send(page, "count to 500")
    eventually(
        lambda: [r["status"] for r in sdk.runs.list(thread_id)] == ["running", "success"],
        "the second run is running",
    )
    page.get_by_role("button", name="Stop").click()

    eventually(
        lambda: [r["status"] for r in sdk.runs.list(thread_id)] == ["interrupted", "success"],
        "Stop cancelled the run on the server",
    )
    expect(page.get_by_role("button", name="Send")).to_be_visible()


@pytest.mark.parametrize("transport", ["sse", "websocket"])
def test_assistant_ui_new_message_on_a_paused_thread(
    page: Page, clients_url: str, api: Server, sdk: SyncLangGraphClient, transport: str
) -> None:
    thread_id = sdk.threads.create()["thread_id"]
    question = {"messages": [{"role": "user", "content": "北京天气如何？"}]}
    sdk.runs.wait(thread_id, "agent", input=question, context=APPROVE_WEATHER)
    assert sdk.threads.get_state(thread_id)["next"] == ["tools"]
    open_client(
        page,
        clients_url,
        api,
        client="assistant-ui",
        threadId=thread_id,
        transport=transport,
        context=FAST,
    )

    send(page, "count to 2")

    expect(page.locator(".message").last).to_have_text("1 2")
    values = sdk.threads.get_state(thread_id)["values"]
    assert isinstance(values, dict)
    assert [m["type"] for m in values["messages"]] == ["human", "ai", "tool", "human", "ai"]
    assert values["messages"][2]["artifact"] == {"cancelled": True}
