"""Attachments in the web app (issue 21): picked, pasted or dropped; previewed and removable;
checked before sending; sent as LangChain JS data blocks the offline model reads; shown in the
question while it streams and after a reload."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server, langgraph_dev
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sdk, send, wait_run_statuses, wait_status, wait_thread_id
from tests.test_attachments import pdf, png

CHART = png(64, 48)
REPORT = pdf(2)
BOTH = "I received 2 attachments: chart.png (PNG image, 64×48); report.pdf (PDF, 2 pages)."
ONE = "I received 1 attachment: chart.png (PNG image, 64×48)."

# Builds a DataTransfer holding the given files in the page: what a paste or a drop carries.
_TRANSFER = """
(files) => {
  const transfer = new DataTransfer();
  for (const [name, type, data] of files) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type }));
  }
  return transfer;
}
"""


def files_arg(*files: tuple[str, str, bytes]) -> list[list[str]]:
    return [[name, kind, base64.b64encode(data).decode()] for name, kind, data in files]


def pick(page: Page, tmp_path: Path, files: dict[str, bytes]) -> None:
    """Through the file picker's input, as a person choosing files would."""
    paths = []
    for name, data in files.items():
        (path := tmp_path / name).write_bytes(data)
        paths.append(str(path))
    page.get_by_test_id("attach-input").set_input_files(paths)


def paste(page: Page, *files: tuple[str, str, bytes]) -> None:
    page.get_by_test_id("message-input").wait_for()
    page.evaluate(
        f"""(files) => {{
          const transfer = ({_TRANSFER})(files);
          const init = {{ clipboardData: transfer, bubbles: true, cancelable: true }};
          const event = new ClipboardEvent("paste", init);
          document.querySelector("[data-testid=message-input]").dispatchEvent(event);
        }}""",
        files_arg(*files),
    )


def drag(page: Page, kind: str, *files: tuple[str, str, bytes]) -> None:
    """A drag event carrying ``files`` onto the conversation."""
    transfer = page.evaluate_handle(_TRANSFER, files_arg(*files))
    page.get_by_test_id("message-list").dispatch_event(kind, {"dataTransfer": transfer})


def stored_question(server: Server, thread: str, index: int = 0) -> Any:
    state: Any = sdk(server.url).threads.get_state(thread)
    return [m for m in state["values"]["messages"] if m["type"] == "human"][index]["content"]


def expect_question_shows_both(page: Page) -> None:
    question = page.get_by_test_id("message-user").first
    expect(question.get_by_text("what are these?")).to_be_visible()
    shown = question.get_by_test_id("message-attachment")
    expect(shown).to_have_count(2)
    expect(shown.first.locator("img")).to_have_attribute(
        "src", f"data:image/png;base64,{b64(CHART)}"
    )
    expect(shown.first.locator("img")).to_have_attribute("alt", "chart.png")
    expect(shown.nth(1)).to_contain_text("report.pdf")
    expect(shown.nth(1).locator("img")).to_have_count(0)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_picked_files_preview_remove_send_and_show_after_a_reload(
    page: Page, frontend_url: str, server: Server, tmp_path: Path
) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.05))
    pick(page, tmp_path, {"chart.png": CHART, "report.pdf": REPORT, "extra.png": png(8, 8)})
    previews = page.get_by_test_id("attachment-preview")
    expect(previews).to_have_count(3)
    expect(previews.first.locator("img")).to_have_attribute("alt", "chart.png")
    expect(previews.nth(1)).to_contain_text("report.pdf")
    page.get_by_role("button", name="Remove extra.png").click()
    expect(previews).to_have_count(2)

    send(page, "what are these?")
    expect(previews).to_have_count(0)
    # While the answer streams, the question already shows what it carried.
    wait_status(page, "streaming")
    expect_question_shows_both(page)
    expect(page.get_by_test_id("message-assistant").last).to_contain_text(BOTH)
    wait_status(page, "idle")
    thread = wait_thread_id(page)
    content = stored_question(server, thread)
    assert content[0] == {"type": "text", "text": "what are these?"}
    assert content[1] == {
        "type": "image",
        "mimeType": "image/png",
        "data": b64(CHART),
        "metadata": {"name": "chart.png"},
    }
    assert content[2]["type"] == "file" and content[2]["metadata"] == {"filename": "report.pdf"}
    expect_question_shows_both(page)
    screenshot(page, "70-attachments-sent")

    page.reload()
    wait_status(page, "idle")
    expect_question_shows_both(page)
    expect(page.get_by_test_id("message-assistant").last).to_contain_text(BOTH)


def test_a_pasted_picture_alone_is_a_question(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url))
    expect(page.get_by_test_id("send-button")).to_be_disabled()
    paste(page, ("chart.png", "image/png", CHART))
    expect(page.get_by_test_id("attachment-preview")).to_have_count(1)
    expect(page.get_by_test_id("message-input")).to_have_value("")
    page.get_by_test_id("send-button").click()
    expect(page.get_by_test_id("message-assistant").last).to_contain_text(ONE)
    wait_status(page, "idle")
    question = page.get_by_test_id("message-user").first
    expect(question.get_by_test_id("message-attachment").locator("img")).to_be_visible()
    thread = wait_thread_id(page)
    assert [b["type"] for b in stored_question(server, thread)] == ["image"]


def test_files_dropped_on_the_conversation_are_attached(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url))
    chart = ("chart.png", "image/png", CHART)
    drag(page, "dragenter", chart)
    drag(page, "dragover", chart)
    expect(page.get_by_test_id("drop-hint")).to_be_visible()
    screenshot(page, "71-attachment-drop")
    drag(page, "drop", chart)
    expect(page.get_by_test_id("drop-hint")).to_have_count(0)
    expect(page.get_by_test_id("attachment-preview")).to_have_count(1)
    send(page, "what is this?")
    expect(page.get_by_test_id("message-assistant").last).to_contain_text(ONE)
    wait_status(page, "idle")


def test_a_refused_file_says_why_and_nothing_is_sent(
    page: Page, frontend_url: str, server: Server, tmp_path: Path
) -> None:
    runs: list[str] = []
    page.on("request", lambda r: runs.append(r.url) if r.method == "POST" else None)
    page.goto(app_url(frontend_url, server.url))
    too_big = CHART + b"\0" * (5 * 2**20)
    pick(page, tmp_path, {"script.png": b"#!/bin/sh\nrm -rf /\n", "huge.png": too_big})
    refusals = page.get_by_test_id("attachment-refusal")
    expect(refusals).to_have_count(2)
    expect(refusals.first).to_contain_text("script.png is not a PNG, JPEG, WebP or GIF image")
    expect(refusals.nth(1)).to_contain_text("huge.png is 5.0 MB; the limit is 5.0 MB per file")
    expect(page.get_by_test_id("attachment-preview")).to_have_count(0)
    expect(page.get_by_test_id("send-button")).to_be_disabled()
    assert not [url for url in runs if "/runs" in url or "/commands" in url], runs


@pytest.fixture(scope="module")
def strict_server() -> Iterator[Server]:
    """A server stricter than the page's own checks: one attachment per run."""
    with langgraph_dev(env={"AGENT_MAX_ATTACHMENTS": "1"}) as running:
        yield running


def test_a_server_refusal_keeps_the_text_and_the_files(
    page: Page, frontend_url: str, strict_server: Server, tmp_path: Path
) -> None:
    page.goto(app_url(frontend_url, strict_server.url))
    pick(page, tmp_path, {"chart.png": CHART, "report.pdf": REPORT})
    send(page, "what are these?")
    expect(page.get_by_test_id("error-banner")).to_contain_text("more than 1 attachments")
    expect(page.get_by_test_id("message-input")).to_have_value("what are these?")
    expect(page.get_by_test_id("attachment-preview")).to_have_count(2)
    expect(page.get_by_test_id("message-user")).to_have_count(0)
    screenshot(page, "72-attachment-refused-by-server")


def test_an_edited_question_keeps_its_attachments(
    page: Page, frontend_url: str, server: Server, tmp_path: Path
) -> None:
    page.goto(app_url(frontend_url, server.url))
    pick(page, tmp_path, {"chart.png": CHART})
    send(page, "what is this?")
    wait_status(page, "idle")
    thread = wait_thread_id(page)
    question = page.get_by_test_id("message-user").first
    question.hover()
    page.get_by_role("button", name="Edit this question").first.click()
    box = page.get_by_test_id("edit-input")
    box.fill("and now?")
    box.press("Enter")
    wait_status(page, "idle")
    wait_run_statuses(sdk(server.url), thread, ["success", "success"])
    content = stored_question(server, thread)
    assert [b["type"] for b in content] == ["text", "image"], content
    assert content[0]["text"] == "and now?"
    expect(page.get_by_test_id("message-assistant").last).to_contain_text(ONE)
    expect(question.get_by_test_id("message-attachment").locator("img")).to_be_visible()
