"""Copy, edit, regenerate and versions, Esc, and code-block copy, against the stored thread."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langgraph_sdk.client import SyncLangGraphClient
from playwright.sync_api import Browser, Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import (
    converges_to_server,
    last_ai_text,
    sdk,
    send,
    server_view,
    wait_run_statuses,
    wait_status,
    wait_thread_id,
)


@pytest.fixture
def clipboard_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def last_message_id(client: SyncLangGraphClient, thread: str) -> str:
    state: Any = client.threads.get_state(thread)
    return str(state["values"]["messages"][-1]["id"])


def clipboard(page: Page) -> str:
    text: str = page.evaluate("() => navigator.clipboard.readText()")
    return text


def test_copy_puts_the_markdown_on_the_clipboard(
    clipboard_page: Page, frontend_url: str, server: Server
) -> None:
    page = clipboard_page
    page.goto(app_url(frontend_url, server.url))
    send(page, "hello copy")
    wait_status(page, "idle")
    thread = wait_thread_id(page)

    page.get_by_role("button", name="Copy this question").click()
    assert clipboard(page) == "hello copy"
    answer = page.get_by_role("button", name="Copy this answer")
    answer.click()
    expect(answer).to_have_text("Copied")
    # The Markdown source (its list markers included), not the rendered text.
    assert clipboard(page) == last_ai_text(sdk(server.url), thread)
    assert "\n- " in clipboard(page)


def test_code_block_has_a_copy_button(
    clipboard_page: Page, frontend_url: str, server: Server
) -> None:
    page = clipboard_page
    page.goto(app_url(frontend_url, server.url))
    # The offline model quotes the question, code fence and all.
    send(page, "show this:\n\n```\nprint('hi')\n```\n")
    wait_status(page, "idle")
    block = page.get_by_test_id("message-assistant").locator('[data-streamdown="code-block"]')
    expect(block).to_contain_text("print('hi')")
    button = block.get_by_role("button", name="Copy Code")
    button.click()
    assert clipboard(page).startswith("print('hi')")
    screenshot(page, "40-code-block-copy")


def test_edit_a_question_reruns_it_and_the_switcher_shows_both_versions(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url))
    send(page, "hello first")
    wait_status(page, "idle")
    send(page, "count to 5")
    wait_status(page, "idle")
    thread = wait_thread_id(page)
    client = sdk(server.url)

    questions = page.get_by_test_id("message-user")
    questions.nth(1).hover()
    page.get_by_role("button", name="Edit this question").nth(1).click()
    box = page.get_by_test_id("edit-input")
    expect(box).to_be_focused()
    box.fill("count to 3")
    box.press("Enter")
    wait_status(page, "idle")
    wait_run_statuses(client, thread, ["success", "success", "success"])

    # The thread now holds the edited branch: the first turn, the new question, its answer.
    stored = server_view(client, thread)
    assert stored["questions"] == ["hello first", "count to 3"]
    assert stored["answers"][-1] == "123"
    converges_to_server(page, client, thread)
    versions = page.get_by_role("group", name="Versions of this question")
    expect(versions.get_by_test_id("version-label")).to_have_text("2/2")
    screenshot(page, "41-edited-question")

    versions.get_by_role("button", name="Previous version of this question").click()
    expect(questions).to_have_text(["hello first", "count to 5"])
    expect(page.get_by_test_id("message-assistant").last).to_have_text("1 2 3 4 5")
    expect(versions.get_by_test_id("version-label")).to_have_text("1/2")

    # A message sent while the older version is shown continues that version.
    send(page, "count to 2")
    wait_status(page, "idle")
    stored = server_view(client, thread)
    assert stored["questions"] == ["hello first", "count to 5", "count to 2"]
    converges_to_server(page, client, thread)
    expect(versions.get_by_test_id("version-label")).to_have_text("1/2")

    # Versions survive a reload (they come from the thread's checkpoints).
    page.reload()
    wait_status(page, "idle")
    expect(versions.get_by_test_id("version-label")).to_have_text("1/2")
    versions.get_by_role("button", name="Next version of this question").click()
    expect(questions).to_have_text(["hello first", "count to 3"])


def test_regenerate_reruns_from_the_checkpoint_before_the_answer(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.05))
    send(page, "hello first")
    wait_status(page, "idle")
    send(page, "分析用户数据")
    wait_status(page, "idle")
    thread = wait_thread_id(page)
    client = sdk(server.url)
    before = server_view(client, thread)
    first_answer = last_message_id(client, thread)

    # Regenerate sits on the last answer only.
    expect(page.get_by_role("button", name="Regenerate this answer")).to_have_count(1)
    page.get_by_role("button", name="Regenerate this answer").click()
    wait_status(page, "streaming")
    wait_status(page, "idle")
    wait_run_statuses(client, thread, ["success", "success", "success"])

    after = server_view(client, thread)
    # Same questions (no new one), the reply made again: a new tool call and answer.
    assert after["questions"] == before["questions"]
    assert after["cards"] == ["done"]
    assert last_message_id(client, thread) != first_answer
    run: Any = client.runs.list(thread, limit=1)[0]
    assert run["kwargs"]["input"] is None  # a re-run, not a new message
    converges_to_server(page, client, thread)
    versions = page.get_by_role("group", name="Versions of this answer")
    expect(versions.get_by_test_id("version-label")).to_have_text("2/2")
    versions.get_by_role("button", name="Previous version of this answer").click()
    expect(versions.get_by_test_id("version-label")).to_have_text("1/2")
    expect(page.get_by_test_id("message-user")).to_have_count(2)
    screenshot(page, "42-regenerated-answer")


def test_escape_stops_the_run(page: Page, frontend_url: str, server: Server) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.05))
    send(page, "count to 400")
    answer = page.get_by_test_id("message-assistant")
    expect(answer).to_contain_text("1 2 3 4 5")
    page.keyboard.press("Escape")
    wait_status(page, "stopped")
    thread = wait_thread_id(page)
    wait_run_statuses(sdk(server.url), thread, ["interrupted"])
    assert not answer.inner_text().rstrip().endswith("400")
    # The server keeps the text the stop cut short, marked so: a reload shows it again.
    stored = sdk(server.url).threads.get_state(thread)["values"]["messages"][-1]
    assert stored["response_metadata"] == {"stopped": True}
    assert stored["content"].startswith("1 2 3 4 5")
    page.reload()
    expect(page.get_by_test_id("message-assistant")).to_contain_text(stored["content"][-12:])


def test_tool_card_sits_before_the_answer_that_uses_it(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.05))
    send(page, "北京天气如何？")
    wait_status(page, "idle")
    answers = page.get_by_test_id("message-assistant")
    expect(answers).to_have_count(2)
    expect(answers.first.get_by_test_id("tool-call")).to_have_count(1)
    expect(answers.last).to_contain_text("北京")
    expect(answers.last.get_by_test_id("tool-call")).to_have_count(0)
