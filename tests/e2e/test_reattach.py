"""Re-attach: whatever state a run is in when the page loads, the page ends up showing the
stored thread (every question and answer once, every card with its final status and progress)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, Route, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import (
    converges_to_server,
    sdk,
    seen,
    send,
    start_recording,
    wait_run_ended,
    wait_run_statuses,
    wait_status,
    wait_thread_id,
)

MID_TOOL = re.compile(r"^[1-9]\d$")  # a progress bar between its first and last step


def thread_with_finished_and_stopped_turns(page: Page, url: str, server: Server) -> str:
    """A thread whose first turn finished and whose second was stopped mid-tool."""
    page.goto(url)
    send(page, "hello before the tools")
    wait_status(page, "idle")
    thread = wait_thread_id(page)
    send(page, "分析用户数据")
    expect(page.get_by_test_id("progress").first).to_have_attribute("aria-valuenow", MID_TOOL)
    page.get_by_test_id("stop-button").click()
    wait_run_statuses(sdk(server.url), thread, ["interrupted", "success"])
    wait_status(page, "stopped")
    return thread


def test_reload_during_a_tool_on_a_thread_with_stopped_and_finished_turns(
    page: Page, frontend_url: str, server: Server
) -> None:
    url = app_url(frontend_url, server.url, tool_step_delay=0.5)
    thread = thread_with_finished_and_stopped_turns(page, url, server)
    send(page, "分析用户数据")
    cards = page.get_by_test_id("tool-call")
    expect(cards).to_have_count(2)
    expect(cards.last.get_by_test_id("progress")).to_have_attribute("aria-valuenow", MID_TOOL)

    page.reload()
    start_recording(page)
    wait_status(page, "streaming")
    wait_status(page, "idle")
    # Live again: the bar moved on after the reload, not just jumped to the end.
    assert [v for v in seen(page)["progress"] if 40 < v < 100], seen(page)["progress"]
    assert wait_run_ended(sdk(server.url), thread) == "success"
    shown = converges_to_server(page, sdk(server.url), thread)
    assert [card["status"] for card in shown["cards"]] == ["cancelled", "done"]
    stopped_at = shown["cards"][0]["progress"]
    assert stopped_at and 0 < int(stopped_at) < 100, "the stopped card keeps where its bar stopped"
    expect(page.get_by_test_id("message-user")).to_have_count(3)
    screenshot(page, "30-reload-during-tool-after-stop")


def test_reload_while_the_run_is_still_queued(
    page: Page, frontend_url: str, server: Server
) -> None:
    """Reloaded at once: the run has not started, so the stored state shows no work left."""
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.3))
    send(page, "hello first")
    wait_status(page, "idle")
    thread = wait_thread_id(page)
    send(page, "分析用户数据")
    page.reload()
    start_recording(page)
    wait_status(page, "streaming")
    wait_status(page, "idle")
    assert [v for v in seen(page)["progress"] if 0 < v < 100], seen(page)["progress"]
    converges_to_server(page, sdk(server.url), thread)


def test_run_that_finishes_while_the_page_loads(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.02))
    send(page, "hello first")
    wait_status(page, "idle")
    thread = wait_thread_id(page)
    # Each request the reloaded page makes waits until the run has ended on the server.
    send(page, "count to 60")
    expect(page.get_by_test_id("message-assistant").last).to_contain_text("1 2 3")
    client = sdk(server.url)
    held = {"done": False}

    def hold(route: Route) -> None:
        if not held["done"]:
            wait_run_ended(client, thread)
            held["done"] = True
        route.continue_()

    page.route(f"{server.url}/**", hold)
    page.reload()
    wait_status(page, "idle")
    assert held["done"]
    shown = converges_to_server(page, client, thread)
    assert shown["answers"][-1] == "".join(str(n) for n in range(1, 61))


def test_two_tabs_on_one_thread_follow_each_other(
    browser: Browser, frontend_url: str, server: Server
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    first, second = context.new_page(), context.new_page()
    try:
        first.goto(app_url(frontend_url, server.url, tool_step_delay=0.4))
        send(first, "hello from the first tab")
        wait_status(first, "idle")
        thread = wait_thread_id(first)
        second.goto(first.url)
        expect(second.get_by_test_id("message-user")).to_have_text(["hello from the first tab"])
        wait_status(second, "idle")

        # A run from the first tab streams live in the second, which was idle.
        start_recording(second)
        send(first, "分析用户数据")
        wait_status(second, "streaming")
        expect(second.get_by_test_id("send-button")).to_be_disabled()
        wait_status(first, "idle")
        wait_status(second, "idle")
        client = sdk(server.url)
        converges_to_server(first, client, thread)
        converges_to_server(second, client, thread)
        assert [v for v in seen(second)["progress"] if 0 < v < 100], seen(second)["progress"]

        # And the other way round.
        send(second, "北京天气如何？")
        wait_status(first, "streaming")
        wait_status(second, "idle")
        wait_status(first, "idle")
        for tab in (first, second):
            shown = converges_to_server(tab, client, thread)
            assert len(shown["questions"]) == 3
        screenshot(second, "31-second-tab")
    finally:
        context.close()


def test_stopped_thread_keeps_its_title_and_says_stopped(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=1.0))
    send(page, "分析用户数据")
    expect(page.get_by_test_id("progress")).to_have_attribute("aria-valuenow", MID_TOOL)
    page.get_by_test_id("stop-button").click()
    thread = wait_thread_id(page)
    wait_run_statuses(sdk(server.url), thread, ["interrupted"])
    page.reload()
    item = page.locator('[data-testid="thread-item"][aria-current="page"]')
    expect(item).to_contain_text("分析用户数据")
    expect(item).to_have_attribute("data-status", "stopped")
    expect(item).to_contain_text("stopped")
    wait_status(page, "stopped")
    card = page.get_by_test_id("tool-call")
    expect(card).to_have_attribute("data-status", "cancelled")
    expect(card.get_by_test_id("progress")).to_have_attribute("aria-valuenow", MID_TOOL)
