"""A paused thread takes a new message or a Stop, not only a decision (issue 19, "The web app"):
either ends the wait and the pending calls are cancelled, as over the runs API; and Stop works
on the run a decision resumed."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from harness.server import Server
from tests.e2e.helpers import (
    converges_to_server,
    send,
    wait_run_ended,
    wait_run_statuses,
    wait_status,
)
from tests.e2e.test_approval import ask_until_paused, stored, tool_results


def test_a_new_message_on_a_paused_thread_cancels_the_pending_call(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["get_weather"], "北京天气如何？")

    send(page, "count to 3")
    expect(page.get_by_test_id("approval-card")).to_have_count(0)
    call = page.get_by_test_id("tool-call")
    expect(call).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_test_id("message-assistant").last).to_contain_text("1 2 3")
    wait_status(page, "idle")
    assert wait_run_ended(client, thread) == "success"
    [result] = tool_results(client, thread)
    assert result["artifact"] == {"cancelled": True}
    assert [m["type"] for m in stored(client, thread)] == ["human", "ai", "tool", "human", "ai"]
    converges_to_server(page, client, thread)
    item = page.locator('[data-testid="thread-item"][aria-current="page"]')
    expect(item).to_have_attribute("data-status", "done")


def test_stop_on_a_paused_thread_cancels_the_pending_call_and_it_stays_cancelled(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["get_weather"], "北京天气如何？")

    stop = page.get_by_test_id("stop-button")
    expect(stop).to_be_enabled()
    stop.click()
    expect(page.get_by_test_id("approval-card")).to_have_count(0)
    call = page.get_by_test_id("tool-call")
    expect(call).to_have_attribute("data-status", "cancelled")
    wait_status(page, "stopped")
    expect(stop).to_be_disabled()
    # The server no longer waits: a reload shows the call cancelled, not the card.
    deadline = time.monotonic() + 10
    while any(task["interrupts"] for task in client.threads.get_state(thread)["tasks"]):
        assert time.monotonic() < deadline, "the thread still waits for a decision"
        time.sleep(0.1)
    page.reload()
    expect(page.get_by_test_id("tool-call")).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_test_id("approval-card")).to_have_count(0)
    assert tool_results(client, thread) == []  # the tool never ran

    send(page, "count to 2")
    expect(page.get_by_test_id("message-assistant").last).to_contain_text("1 2")
    wait_status(page, "idle")
    [result] = tool_results(client, thread)
    assert result["artifact"] == {"cancelled": True}
    converges_to_server(page, client, thread)


def test_stop_works_on_the_run_a_decision_resumed(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(
        page, frontend_url, server, ["analyze_dataset"], "分析用户数据", tool_step_delay=1.0
    )

    page.get_by_test_id("approve-button").click()
    call = page.get_by_test_id("tool-call")
    expect(call).to_have_attribute("data-status", "running")
    wait_status(page, "streaming")
    page.get_by_test_id("stop-button").click()
    wait_status(page, "stopped")
    wait_run_statuses(client, thread, ["interrupted", "success"])
    expect(call).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_test_id("send-button")).to_be_disabled()  # empty composer
    send(page, "count to 2")
    wait_status(page, "idle")
    converges_to_server(page, client, thread)
