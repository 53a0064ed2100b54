"""The chat page end to end: real langgraph dev (offline model), built UI, headless Chromium."""

from __future__ import annotations

import os
import signal

from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server, langgraph_dev
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import (
    last_ai_text,
    sdk,
    seen,
    send,
    squash,
    start_recording,
    wait_run_statuses,
    wait_status,
    wait_thread_id,
)
from tests.reliability.accounting import thread_problem


def test_answer_streams_with_tool_progress(page: Page, frontend_url: str, server: Server) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.25))
    start_recording(page)
    send(page, "分析用户数据")

    expect(page.get_by_test_id("message-user")).to_have_text("分析用户数据")
    card = page.get_by_test_id("tool-call")
    expect(card).to_contain_text("analyze_dataset")
    expect(card).to_have_attribute("data-status", "running")
    wait_status(page, "streaming")
    bar = card.get_by_test_id("progress")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(card).to_have_attribute("data-status", "done")
    wait_status(page, "idle")

    thread = wait_thread_id(page)
    result = card.get_by_test_id("tool-result")
    state = sdk(server.url).threads.get_state(thread)
    tool_results = [m["content"] for m in state["values"]["messages"] if m["type"] == "tool"]
    expect(result).to_have_text(tool_results[-1])
    answer = page.get_by_test_id("message-assistant").last
    assert squash(answer.inner_text()) == squash(last_ai_text(sdk(server.url), thread))

    recorded = seen(page)
    partial_progress = [v for v in recorded["progress"] if 0 < v < 100]
    assert partial_progress, f"progress jumped straight to the end: {recorded['progress']}"
    assert recorded["progress"] == sorted(recorded["progress"])
    final = len(answer.text_content() or "")
    increments = [n for n in recorded["lengths"] if 0 < n < final]
    assert len(increments) >= 3, f"answer did not stream: lengths {recorded['lengths']}"
    screenshot(page, "01-tool-progress-and-answer")


def test_stop_during_tool_interrupts_the_server_run(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=1.0))
    send(page, "分析用户数据")
    card = page.get_by_test_id("tool-call").first
    expect(card.get_by_test_id("progress")).to_have_attribute("aria-valuenow", "20")
    stop = page.get_by_test_id("stop-button")
    expect(stop).to_be_enabled()
    stop.click()

    thread = wait_thread_id(page)
    client = sdk(server.url)
    wait_run_statuses(client, thread, ["interrupted"])
    # useStream's stop leaves a stored thread any client can send to a strict provider.
    stored = client.threads.get_state(thread)["values"]
    assert isinstance(stored, dict) and thread_problem(stored["messages"]) is None

    wait_status(page, "stopped")
    expect(stop).to_be_disabled()
    expect(card).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_test_id("stopped-note")).to_be_visible()
    progress_at_stop = card.get_by_test_id("progress").get_attribute("aria-valuenow")
    assert progress_at_stop is not None and int(progress_at_stop) < 100
    screenshot(page, "02-stopped-during-tool")

    page.reload()  # the stopped state survives a reload (read from the server's run status)
    wait_status(page, "stopped")
    expect(card).to_have_attribute("data-status", "cancelled")

    send(page, "北京天气如何？")
    weather = page.get_by_test_id("tool-call").last
    expect(weather).to_contain_text("get_weather")
    expect(weather).to_have_attribute("data-status", "done")
    wait_status(page, "idle")
    assert wait_thread_id(page) == thread
    expect(page.get_by_test_id("message-user")).to_have_count(2)
    runs = client.runs.list(thread, limit=2)
    assert [run["status"] for run in runs] == ["success", "interrupted"]
    expect(page.get_by_test_id("message-assistant").last).to_contain_text("北京")
    expect(card).to_have_attribute("data-status", "cancelled")
    screenshot(page, "03-follow-up-after-stop")


def test_reload_during_run_reattaches_and_completes_once(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.03))
    send(page, "count to 150")
    answer = page.get_by_test_id("message-assistant")
    expect(answer).to_contain_text("1 2 3 4 5")
    thread = wait_thread_id(page)
    page.reload()

    expect(page.get_by_test_id("message-user")).to_have_text("count to 150")
    expect(answer.last).to_contain_text("149 150", timeout=30_000)
    wait_status(page, "idle")
    expected = " ".join(str(n) for n in range(1, 151))
    expect(answer).to_have_count(1)
    assert answer.inner_text().strip() == expected
    assert last_ai_text(sdk(server.url), thread) == expected
    assert sdk(server.url).runs.list(thread, limit=1)[0]["status"] == "success"
    screenshot(page, "04-reload-completes-once")


def test_new_chat_and_sidebar_switch_threads(page: Page, frontend_url: str, server: Server) -> None:
    page.goto(app_url(frontend_url, server.url))
    send(page, "hello sidebar")
    wait_status(page, "idle")
    first = wait_thread_id(page)

    page.get_by_test_id("new-chat").click()
    expect(page.get_by_test_id("message-user")).to_have_count(0)
    send(page, "second conversation")
    wait_status(page, "idle")
    second = wait_thread_id(page)
    assert second != first

    item = page.get_by_test_id("thread-item").filter(has_text="hello sidebar")
    item.first.click()
    expect(page.get_by_test_id("message-user")).to_have_text("hello sidebar")
    assert wait_thread_id(page) == first
    screenshot(page, "05-sidebar-switch")


def test_server_stopped_shows_error_banner_and_keeps_history(page: Page, frontend_url: str) -> None:
    with langgraph_dev() as own:
        page.goto(app_url(frontend_url, own.url))
        send(page, "hello before the outage")
        wait_status(page, "idle")
        answer = page.get_by_test_id("message-assistant")
        before = answer.inner_text()
        assert before

        os.killpg(own.process.pid, signal.SIGTERM)
        own.process.wait(timeout=15)

        send(page, "are you there?")
        banner = page.get_by_test_id("error-banner")
        expect(banner).to_be_visible(timeout=30_000)
        expect(banner).to_contain_text("Cannot reach the agent server")
        expect(banner.get_by_role("button", name="Retry")).to_be_visible()
        wait_status(page, "error")
        expect(page.get_by_test_id("message-user").first).to_have_text("hello before the outage")
        assert answer.first.inner_text() == before
        screenshot(page, "06-server-stopped")


def test_run_started_elsewhere_is_shown_live_and_can_be_stopped(
    page: Page, frontend_url: str, server: Server
) -> None:
    """A second client runs on the thread: the page shows it busy (no 409 race) and Stop works."""
    page.goto(app_url(frontend_url, server.url))
    send(page, "hello busy")
    wait_status(page, "idle")
    thread = wait_thread_id(page)

    client = sdk(server.url)
    run = client.runs.create(
        thread,
        "agent",
        input={"messages": [{"type": "human", "content": "分析用户数据"}]},
        context={"tool_step_delay": 1.0},
        stream_mode=["messages-tuple", "custom"],
    )
    wait_status(page, "streaming")
    page.get_by_test_id("message-input").fill("me too")
    expect(page.get_by_test_id("send-button")).to_be_disabled()
    screenshot(page, "07-run-from-another-client")

    page.get_by_test_id("stop-button").click()
    wait_run_statuses(client, thread, ["interrupted"])
    assert client.runs.get(thread, run["run_id"])["status"] == "interrupted"
    wait_status(page, "stopped")
    expect(page.get_by_test_id("message-user").first).to_have_text("hello busy")


def test_failed_run_shows_error_banner_and_retry(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url))
    send(page, "hello before the failure")
    wait_status(page, "idle")
    before = page.get_by_test_id("message-assistant").inner_text()

    # Same thread, but runs now ask for a model provider that does not exist, so they fail.
    thread = wait_thread_id(page)
    page.goto(
        app_url(frontend_url, server.url, model="no-such-provider:model") + f"&thread={thread}"
    )
    expect(page.get_by_test_id("message-assistant")).to_have_text(before)
    send(page, "this run will fail")
    banner = page.get_by_test_id("error-banner")
    expect(banner).to_contain_text("The run failed")
    expect(banner).to_contain_text("no-such-provider")  # the server's own message
    wait_status(page, "error")
    expect(page.get_by_test_id("message-assistant").first).to_have_text(before)
    screenshot(page, "10-run-failed")

    banner.get_by_role("button", name="Retry").click()
    expect(banner).to_contain_text("The run failed")
    # Retry sent the message again: a second failed run (its status lands just after the event).
    wait_run_statuses(sdk(server.url), thread, ["error", "error", "success"])
    expect(page.get_by_test_id("message-user").first).to_have_text("hello before the failure")
