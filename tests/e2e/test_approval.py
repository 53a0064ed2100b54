"""Human in the loop in the browser (docs/approval.md): the approval card, each decision, parallel
calls, a reload while paused, the setting, and the direct view's hand-off; screenshots at 1280
and 390 px."""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any

from langgraph_sdk.client import SyncLangGraphClient
from playwright.sync_api import Page, Route, expect

from harness.server import Server
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import (
    converges_to_server,
    sdk,
    send,
    wait_run_ended,
    wait_status,
    wait_thread_id,
)


def approval_url(frontend_url: str, api_url: str, tools: list[str], **context: Any) -> str:
    """The app with ``approve_tools`` (and other settings) in ``?context=``, as the setting
    writes it."""
    query = {"apiUrl": api_url, "context": json.dumps({"approve_tools": tools, **context})}
    return f"{frontend_url}/?{urllib.parse.urlencode(query)}"


def wait_paused(page: Page, client: SyncLangGraphClient) -> str:
    """The page shows the card once the server holds the pause; returns the thread."""
    expect(page.get_by_test_id("approval-card")).to_be_visible()
    wait_status(page, "paused")
    thread = wait_thread_id(page)
    assert client.threads.get(thread)["status"] == "interrupted"
    assert client.runs.list(thread, limit=1)[0]["status"] == "success"
    return thread


def ask_until_paused(
    page: Page,
    frontend_url: str,
    server: Server,
    tools: list[str],
    question: str,
    **context: Any,
) -> tuple[SyncLangGraphClient, str]:
    """The page, set to review ``tools``, asks ``question`` and waits for the decision."""
    client = sdk(server.url)
    page.goto(approval_url(frontend_url, server.url, tools, **context))
    send(page, question)
    return client, wait_paused(page, client)


def stored(client: SyncLangGraphClient, thread: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = client.threads.get_state(thread)["values"]["messages"]
    return messages


def tool_results(client: SyncLangGraphClient, thread: str) -> list[dict[str, Any]]:
    return [m for m in stored(client, thread) if m["type"] == "tool"]


def test_approve_runs_the_tool_and_the_page_says_waiting_not_stopped(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["get_weather"], "北京天气如何？")

    card = page.get_by_test_id("approval-card")
    expect(card).to_contain_text("get_weather")
    expect(card.get_by_test_id("approval-args")).to_have_value('{\n  "city": "北京"\n}')
    call = page.get_by_test_id("tool-call")
    expect(call).to_have_attribute("data-status", "waiting")
    expect(call.get_by_test_id("tool-status")).to_have_text("waiting for approval")
    expect(page.get_by_test_id("status")).to_have_text("Waiting for your approval")
    expect(page.get_by_test_id("stopped-note")).to_have_count(0)
    expect(page.get_by_test_id("send-button")).to_be_disabled()
    # The open thread's item (the shared server holds other threads asking the same).
    item = page.locator('[data-testid="thread-item"][aria-current="page"]')
    expect(item).to_have_attribute("data-status", "waiting")
    expect(item).to_contain_text("waiting for approval")
    assert tool_results(client, thread) == []  # nothing ran before the decision
    screenshot(page, "60-approval-card")

    card.get_by_test_id("approve-button").click()
    expect(card).to_have_count(0)
    expect(call).to_have_attribute("data-status", "done")
    expect(call.get_by_test_id("tool-result")).to_have_text("北京：晴，25°C")
    wait_status(page, "idle")
    assert wait_run_ended(client, thread) == "success"
    assert [m["content"] for m in tool_results(client, thread)] == ["北京：晴，25°C"]
    converges_to_server(page, client, thread)
    expect(item).to_have_attribute("data-status", "done")
    send(page, "谢谢")  # the composer takes messages again
    expect(page.get_by_test_id("message-user")).to_have_count(2)
    wait_status(page, "idle")


def test_edit_runs_the_tool_with_the_edited_arguments_and_refuses_bad_json(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["get_weather"], "北京天气如何？")
    card = page.get_by_test_id("approval-card")
    args = card.get_by_test_id("approval-args")

    args.fill('{"city": 上海}')
    card.get_by_test_id("edit-button").click()
    expect(card.get_by_test_id("approval-error")).to_contain_text("Not valid JSON")
    expect(args).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(1500)  # a window in which a wrongly sent decision would start a run
    assert len(client.runs.list(thread)) == 1
    wait_status(page, "paused")

    args.fill('{"city": "上海"}')
    card.get_by_test_id("edit-button").click()
    call = page.get_by_test_id("tool-call")
    expect(call.get_by_test_id("tool-result")).to_have_text("上海：多云，22°C")
    expect(call).to_have_attribute("data-status", "done")
    expect(call).to_contain_text('{"city":"上海"}')  # the stored call shows what ran
    wait_status(page, "idle")
    ai = [m for m in stored(client, thread) if m["type"] == "ai" and m.get("tool_calls")]
    assert ai[0]["tool_calls"][0]["args"] == {"city": "上海"}
    converges_to_server(page, client, thread)


def test_reject_with_a_reason_declines_the_call_and_the_model_answers(
    page: Page, frontend_url: str, server: Server
) -> None:
    client = sdk(server.url)
    page.goto(approval_url(frontend_url, server.url, ["analyze_dataset"], tool_step_delay=0.2))
    send(page, "分析用户数据")
    thread = wait_paused(page, client)
    card = page.get_by_test_id("approval-card")
    card.get_by_test_id("reject-reason").fill("not this dataset")
    card.get_by_test_id("reject-button").click()

    call = page.get_by_test_id("tool-call")
    expect(call).to_have_attribute("data-status", "declined")
    expect(call.get_by_test_id("tool-status")).to_have_text("declined")
    expect(call.get_by_test_id("tool-result")).to_contain_text("not this dataset")
    wait_status(page, "idle")
    expect(call.get_by_test_id("progress")).to_have_count(0)  # the tool never ran
    [result] = tool_results(client, thread)
    assert result["artifact"] == {"declined": True} and result["status"] == "error"
    shown = converges_to_server(page, client, thread)
    assert shown["answers"][-1], "the model answered after the refusal"
    screenshot(page, "61-approval-rejected")


def test_parallel_calls_get_one_decision_each_sent_together(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["*"], "北京和上海的天气如何？")
    card = page.get_by_test_id("approval-card")
    actions = card.get_by_test_id("approval-action")
    expect(actions).to_have_count(2)
    expect(actions.nth(0).get_by_test_id("approval-args")).to_have_value('{\n  "city": "北京"\n}')
    expect(actions.nth(1).get_by_test_id("approval-args")).to_have_value('{\n  "city": "上海"\n}')
    calls = page.get_by_test_id("tool-call")
    expect(calls).to_have_count(2)
    screenshot(page, "62-approval-two-calls")

    actions.nth(0).get_by_test_id("approve-button").click()
    expect(actions.nth(0).get_by_test_id("approval-decided")).to_have_text("Approved")
    page.wait_for_timeout(1000)  # one decision of two: nothing may be sent yet
    assert len(client.runs.list(thread)) == 1
    actions.nth(1).get_by_test_id("reject-reason").fill("only Beijing")
    actions.nth(1).get_by_test_id("reject-button").click()

    expect(calls.nth(0)).to_have_attribute("data-status", "done")
    expect(calls.nth(0).get_by_test_id("tool-result")).to_have_text("北京：晴，25°C")
    expect(calls.nth(1)).to_have_attribute("data-status", "declined")
    wait_status(page, "idle")
    results = {m["tool_call_id"]: m for m in tool_results(client, thread)}
    ai = next(m for m in stored(client, thread) if m.get("tool_calls"))
    beijing, shanghai = (results[c["id"]] for c in ai["tool_calls"])
    assert beijing["content"] == "北京：晴，25°C" and beijing.get("artifact") is None
    assert shanghai["artifact"] == {"declined": True} and "only Beijing" in shanghai["content"]
    assert len(client.runs.list(thread)) == 2  # one resume for both decisions
    converges_to_server(page, client, thread)


def test_reload_while_paused_shows_the_card_again(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["get_weather"], "北京天气如何？")

    page.reload()
    card = page.get_by_test_id("approval-card")
    expect(card).to_be_visible()
    wait_status(page, "paused")
    expect(page.get_by_test_id("tool-call")).to_have_attribute("data-status", "waiting")
    assert wait_thread_id(page) == thread

    # A phone shows the same card, nothing sticking out sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("navigation", name="Conversations")).to_be_hidden()  # a drawer now
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "63-phone-390-approval-card")
    page.set_viewport_size({"width": 1280, "height": 800})

    card.get_by_test_id("approve-button").click()
    expect(page.get_by_test_id("tool-call")).to_have_attribute("data-status", "done")
    wait_status(page, "idle")
    converges_to_server(page, client, thread)


def test_the_setting_is_sent_as_the_runs_context_and_kept_over_a_reload(
    page: Page, frontend_url: str, server: Server
) -> None:
    client = sdk(server.url)
    page.goto(f"{frontend_url}/?{urllib.parse.urlencode({'apiUrl': server.url})}")
    toggle = page.get_by_test_id("approval-toggle")
    expect(toggle).to_have_text("Approval: off")
    toggle.click()
    page.get_by_test_id("approve-get_weather").check()
    expect(toggle).to_have_text("Approval: 1 tool")
    screenshot(page, "64-approval-setting")
    toggle.click()

    page.reload()
    expect(toggle).to_have_text("Approval: 1 tool")
    send(page, "北京天气如何？")
    thread = wait_paused(page, client)
    run = client.runs.list(thread, limit=1)[0]
    assert run["kwargs"]["context"]["approve_tools"] == ["get_weather"]

    # Off again: the next question's tool runs without asking.
    page.get_by_test_id("approval-card").get_by_test_id("approve-button").click()
    wait_status(page, "idle")
    toggle.click()
    page.get_by_test_id("approve-get_weather").uncheck()
    expect(toggle).to_have_text("Approval: off")
    send(page, "上海天气如何？")
    expect(page.get_by_test_id("tool-call").last).to_have_attribute("data-status", "done")
    wait_status(page, "idle")
    expect(page.get_by_test_id("approval-card")).to_have_count(0)
    assert "approve_tools" not in (client.runs.list(thread, limit=1)[0]["kwargs"]["context"] or {})


def test_direct_view_hands_a_paused_answer_to_the_runs_view(
    page: Page, frontend_url: str, server: Server
) -> None:
    client = sdk(server.url)
    page.goto(approval_url(frontend_url, server.url, ["get_weather"]) + "&view=direct")
    send(page, "北京天气如何？")
    notice = page.get_by_test_id("direct-interrupt")
    expect(notice).to_contain_text("get_weather waits for your decision")
    wait_status(page, "paused")
    expect(page.get_by_test_id("tool-call")).to_have_attribute("data-status", "waiting")
    screenshot(page, "65-direct-paused")

    notice.get_by_test_id("open-paused-thread").click()
    expect(page.get_by_test_id("view-runs")).to_have_attribute("aria-pressed", "true")
    thread = wait_paused(page, client)
    page.get_by_test_id("approve-button").click()
    expect(page.get_by_test_id("tool-call")).to_have_attribute("data-status", "done")
    wait_status(page, "idle")
    deadline = time.monotonic() + 10
    while client.threads.get(thread)["status"] != "idle":
        assert time.monotonic() < deadline, "the thread still waits"
        time.sleep(0.1)
    converges_to_server(page, client, thread)


def test_a_refused_decision_says_why_and_the_thread_still_waits(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["get_weather"], "北京天气如何？")

    # The page sends well-formed decisions, so one is spoiled on its way to the (real) server.
    def drop_decisions(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        params = body.get("params") or {}
        if body.get("method") == "input.respond" and "decisions" in (params.get("response") or {}):
            params["response"]["decisions"] = []
        route.continue_(post_data=json.dumps(body))

    page.route("**/threads/*/commands", drop_decisions)
    page.get_by_test_id("approve-button").click()
    banner = page.get_by_test_id("error-banner")
    expect(banner).to_contain_text(
        "The server did not accept this: 1 action(s) wait for a decision, but 0 were given"
    )
    wait_status(page, "error")
    expect(page.get_by_test_id("approval-card")).to_be_visible()
    expect(page.get_by_test_id("tool-call")).to_have_attribute("data-status", "waiting")
    assert client.threads.get(thread)["status"] == "interrupted"
    assert len(client.runs.list(thread)) == 1
    screenshot(page, "66-approval-refused")

    page.unroute("**/threads/*/commands")
    page.get_by_test_id("approve-button").click()
    expect(page.get_by_test_id("tool-call")).to_have_attribute("data-status", "done")
    wait_status(page, "idle")
    expect(banner).to_have_count(0)
