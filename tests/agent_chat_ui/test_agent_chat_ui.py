"""agent-chat-ui's own scenarios, driven in the browser as a person would: what the page shows,
and what the server holds afterwards (read with the SDK)."""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from harness.server import Server
from tests.agent_chat_ui.conftest import ChatUi
from tests.agent_chat_ui.network_log import NetworkLog
from tests.agent_chat_ui.thread_checks import (
    messages,
    sdk,
    settled_runs,
    text,
    tool_pairing_problems,
    wait_until,
)
from tests.test_attachments import png

# Builds happen in fixtures; only the scenario itself is timed.
pytestmark = pytest.mark.timeout(180, func_only=True)


def open_chat(page: Page, chat_ui: ChatUi, api: Server) -> None:
    query = urllib.parse.urlencode({"apiUrl": api.url, "assistantId": "agent"})
    page.goto(f"{chat_ui.url}/?{query}")
    expect(composer(page)).to_be_editable()


def composer(page: Page) -> Any:
    return page.get_by_placeholder("Type your message...")


def send(page: Page, message: str) -> None:
    composer(page).fill(message)
    page.get_by_role("button", name="Send").click()


def thread_id(page: Page) -> str:
    """The app names its thread in the URL once the server has created it."""
    page.wait_for_function("() => new URLSearchParams(location.search).get('threadId')")
    return urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["threadId"][0]


def expect_idle(page: Page) -> None:
    expect(page.get_by_role("button", name="Send")).to_be_visible()


def expect_shown(page: Page, message: dict[str, Any]) -> None:
    """An assistant answer, a tool call or a tool result from the stored thread is on the page."""
    for call in message.get("tool_calls") or []:
        expect(page.get_by_text(call["name"]).first).to_be_visible()
        expect(page.get_by_text(call["id"], exact=True).first).to_be_visible()
    if first_line := text(message).strip().split("\n")[0]:
        expect(page.get_by_text(first_line).first).to_be_visible()


def turn_after_last_question(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    last_human = max(i for i, m in enumerate(history) if m["type"] == "human")
    return history[last_human + 1 :]


def test_tool_call_result_and_answer_show(
    page: Page, chat_ui: ChatUi, api: Server, network: NetworkLog
) -> None:
    client = sdk(api.url)
    open_chat(page, chat_ui, api)
    send(page, "北京天气如何？")
    thread = thread_id(page)

    runs = settled_runs(client, thread, network, at_least=1)
    assert [r["status"] for r in runs] == ["success"]
    history = messages(client, thread)
    assert [m["type"] for m in history] == ["human", "ai", "tool", "ai"]
    assert [c["name"] for c in history[1]["tool_calls"]] == ["get_weather"]
    assert history[2]["tool_call_id"] == history[1]["tool_calls"][0]["id"]
    for message in history[1:]:
        expect_shown(page, message)
    expect_idle(page)


def test_cancel_during_a_tool_then_the_next_message_works(
    page: Page, chat_ui: ChatUi, api: Server, network: NetworkLog
) -> None:
    client = sdk(api.url)
    open_chat(page, chat_ui, api)
    send(page, "分析用户数据")
    thread = thread_id(page)
    # The call shows once the model step is saved; the tool then runs for seconds.
    call = page.get_by_text("analyze_dataset").first
    wait_until(lambda: "the analyze_dataset call on the page", call.is_visible, network, 30)
    assert not any(m["type"] == "tool" for m in messages(client, thread)), "the tool had finished"
    page.get_by_role("button", name="Cancel").click()
    expect_idle(page)

    send(page, "北京天气如何？")
    runs = settled_runs(client, thread, network, at_least=2)
    assert runs[0]["status"] == "success", [r["status"] for r in runs]
    history = messages(client, thread)
    assert tool_pairing_problems(history) == [], [(m["type"], text(m)[:60]) for m in history]
    assert [text(m) for m in history if m["type"] == "human"] == ["分析用户数据", "北京天气如何？"]
    answer = turn_after_last_question(history)
    assert [m["type"] for m in answer] == ["ai", "tool", "ai"]
    for message in answer:
        expect_shown(page, message)
    expect_idle(page)


def test_regenerate_an_answer(
    page: Page, chat_ui: ChatUi, api: Server, network: NetworkLog
) -> None:
    client = sdk(api.url)
    open_chat(page, chat_ui, api)
    send(page, "北京天气如何？")
    thread = thread_id(page)
    settled_runs(client, thread, network, at_least=1)
    before = messages(client, thread)
    expect_shown(page, before[-1])
    expect_idle(page)

    answer = page.get_by_text(text(before[-1]).split("\n")[0]).first
    answer.hover()
    page.get_by_role("button", name="Refresh").last.click()

    runs = settled_runs(client, thread, network, at_least=2)
    assert [r["status"] for r in runs] == ["success", "success"]
    regenerate = network.run_requests()[-1].body
    assert regenerate.get("input") is None and regenerate.get("checkpoint"), regenerate
    after = messages(client, thread)
    assert [m["type"] for m in after] == [m["type"] for m in before]
    assert after[-1]["id"] != before[-1]["id"], "the answer was not replaced"
    expect_shown(page, after[-1])
    expect(page.get_by_text(text(after[-1]).split("\n")[0])).to_have_count(1)
    expect_idle(page)


def test_its_inbox_approves_our_interrupt(
    page: Page, chat_ui: ChatUi, approval_api: Server
) -> None:
    """Our pause is LangChain's human-in-the-loop request, which the current app's inbox
    renders and answers with ``Command(resume={"decisions": [...]})``."""
    if chat_ui.name.startswith("template"):
        pytest.skip("the npm template's inbox reads the older HumanInterrupt shape")
    network = NetworkLog(approval_api.url)
    network.attach(page)
    client = sdk(approval_api.url)
    open_chat(page, chat_ui, approval_api)
    send(page, "北京天气如何？")
    thread = thread_id(page)
    wait_until(
        lambda: "the thread paused for a decision",
        lambda: bool(client.threads.get_state(thread)["interrupts"]),
        network,
        30,
    )

    page.get_by_role("button", name="Approve").click()

    runs = settled_runs(client, thread, network, at_least=2)
    assert [r["status"] for r in runs] == ["success", "success"]
    resume = network.run_requests()[-1].body
    assert resume["command"]["resume"] == {"decisions": [{"type": "approve"}]}, resume
    history = messages(client, thread)
    assert [m["type"] for m in history] == ["human", "ai", "tool", "ai"]
    assert text(history[2]) == "北京：晴，25°C"
    expect_shown(page, history[-1])
    assert not network.off_machine(), network.off_machine()


def test_its_upload_sends_a_picture_the_model_reads(
    page: Page, chat_ui: ChatUi, api: Server, network: NetworkLog, tmp_path: Path
) -> None:
    """The current app's upload sends LangChain JS data blocks (``mimeType``, ``data``,
    ``metadata.name``): the server reads the bytes, and the offline model names the file and
    its pixel size."""
    if chat_ui.name.startswith("template"):
        pytest.skip("the npm template (create-agent-chat-app 0.1.6) has no upload")
    picture = tmp_path / "chart.png"
    picture.write_bytes(png(64, 48))
    client = sdk(api.url)
    open_chat(page, chat_ui, api)
    page.locator("input#file-input").set_input_files(str(picture))
    expect(page.get_by_alt_text("chart.png")).to_be_visible()
    send(page, "What does this show?")
    thread = thread_id(page)

    runs = settled_runs(client, thread, network, at_least=1)
    assert [r["status"] for r in runs] == ["success"]
    history = messages(client, thread)
    sent = [b for b in history[0]["content"] if isinstance(b, dict) and b.get("type") == "image"]
    assert [(b.get("mimeType"), b.get("metadata", {}).get("name")) for b in sent] == [
        ("image/png", "chart.png")
    ], history[0]["content"]
    answer = text(history[-1])
    assert "chart.png (PNG image, 64×48)" in answer, answer
    expect(page.get_by_text("chart.png (PNG image, 64×48)").first).to_be_visible()
    # The question in the thread shows the picture (its preview, now without a remove button).
    expect(page.get_by_alt_text("chart.png")).to_be_visible()
    expect(page.get_by_role("button", name="Remove image")).to_have_count(0)
