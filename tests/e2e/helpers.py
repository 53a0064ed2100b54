"""Page helpers for the browser tests: waiting on conditions, never on fixed sleeps."""

from __future__ import annotations

import re
import time
import urllib.parse
from typing import Any

from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient
from playwright.sync_api import Page, expect

# Records, in the page, every distinct length of the newest assistant text and every progress
# value shown, so a test can tell a streamed answer from one that appeared all at once.
RECORDER = """
() => {
  window.__seen = { lengths: [], progress: [] };
  const record = () => {
    const answers = document.querySelectorAll('[data-testid="message-assistant"]');
    const last = answers[answers.length - 1];
    const length = last ? last.textContent.length : 0;
    const lengths = window.__seen.lengths;
    if (lengths[lengths.length - 1] !== length) lengths.push(length);
    for (const bar of document.querySelectorAll('[data-testid="progress"]')) {
      const value = Number(bar.getAttribute('aria-valuenow'));
      const progress = window.__seen.progress;
      if (progress[progress.length - 1] !== value) progress.push(value);
    }
  };
  new MutationObserver(record).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
}
"""


def start_recording(page: Page) -> None:
    page.evaluate(RECORDER)


def seen(page: Page) -> dict[str, list[int]]:
    result: dict[str, list[int]] = page.evaluate("() => window.__seen")
    return result


def open_api_key(page: Page) -> None:
    """The key field sits behind the header's "API key" disclosure."""
    toggle = page.get_by_test_id("api-key-toggle")
    if page.locator("details.api-key[open]").count() == 0:
        toggle.click()


def send(page: Page, text: str) -> None:
    box = page.get_by_test_id("message-input")
    box.fill(text)
    box.press("Enter")


def wait_status(page: Page, status: str, timeout: float = 30_000) -> None:
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", status, timeout=timeout)


# Records every status the page shows from now on: a short run can be "streaming" for less
# than one of `expect`'s polls, so a test that must see it waits on the record instead.
STATUS_RECORDER = """
() => {
  const shown = (window.__statuses = []);
  const record = () => {
    const status = document.querySelector('[data-testid="status"]')?.getAttribute('data-status');
    if (status && shown[shown.length - 1] !== status) shown.push(status);
  };
  record();
  new MutationObserver(record).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'],
  });
}
"""


def record_statuses(page: Page) -> None:
    page.evaluate(STATUS_RECORDER)


def wait_status_shown(page: Page, status: str, timeout: float = 30_000) -> None:
    """Wait until the page has shown ``status`` since `record_statuses`, however briefly."""
    page.wait_for_function("(s) => window.__statuses.includes(s)", arg=status, timeout=timeout)


def thread_id(page: Page) -> str:
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    return query["thread"][0]


def wait_thread_id(page: Page) -> str:
    page.wait_for_function("() => new URLSearchParams(location.search).has('thread')")
    return thread_id(page)


def wait_run_statuses(
    client: SyncLangGraphClient, thread: str, expected: list[str], within: float = 5
) -> None:
    """Wait until the thread's newest runs have ``expected`` statuses (newest first): the issue
    asks for the server to report a stopped run ``interrupted`` within a few seconds."""
    deadline = time.monotonic() + within
    while (statuses := [r["status"] for r in client.runs.list(thread, limit=len(expected))]) != (
        expected
    ):
        assert time.monotonic() < deadline, f"runs {statuses}, not {expected}, after {within} s"
        time.sleep(0.1)


def sdk(api_url: str) -> SyncLangGraphClient:
    return get_sync_client(url=api_url, api_key=None)


def last_ai_text(client: SyncLangGraphClient, thread: str) -> str:
    state: Any = client.threads.get_state(thread)
    ai = [m for m in state["values"]["messages"] if m["type"] == "ai"]
    content = ai[-1]["content"]
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content if isinstance(b, dict))


def text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content if isinstance(b, dict))


def squash(text: str) -> str:
    """Rendered Markdown vs. its source: compare without whitespace and list markers."""
    return re.sub(r"\s+|^\s*- ", "", text, flags=re.M)


def card_status(result: dict[str, Any] | None) -> str:
    """The status a tool card shows for a stored call and its result (viewModel.ts)."""
    if result is None:
        return "cancelled"
    artifact = result.get("artifact")
    if isinstance(artifact, dict) and artifact.get("cancelled") is True:
        return "cancelled"
    if isinstance(artifact, dict) and artifact.get("declined") is True:
        return "declined"
    return "error" if result.get("status") == "error" else "done"


def page_view(page: Page) -> dict[str, Any]:
    """What the page shows: questions, answers (text without cards), tool cards."""
    view: dict[str, Any] = page.evaluate(
        """() => ({
          questions: [...document.querySelectorAll('[data-testid="message-user"]')]
            .map((el) => el.innerText.trim()),
          answers: [...document.querySelectorAll('[data-testid="message-assistant"]')]
            .map((el) => el.querySelector('.markdown')?.innerText ?? ''),
          cards: [...document.querySelectorAll('[data-testid="tool-call"]')].map((el) => ({
            status: el.dataset.status,
            progress: el.querySelector('[data-testid="progress"]')?.getAttribute('aria-valuenow'),
          })),
        })"""
    )
    view["answers"] = [squash(text) for text in view["answers"]]
    return view


def server_view(client: SyncLangGraphClient, thread: str) -> dict[str, Any]:
    """The same, from the stored thread."""
    state: Any = client.threads.get_state(thread)
    messages = state["values"]["messages"]
    results = {m["tool_call_id"]: m for m in messages if m["type"] == "tool"}
    ai = [m for m in messages if m["type"] == "ai"]
    return {
        "questions": [text_of(m["content"]).strip() for m in messages if m["type"] == "human"],
        "answers": [squash(text_of(m["content"])) for m in ai],
        "cards": [card_status(results.get(c["id"])) for m in ai for c in m.get("tool_calls") or []],
    }


def converges_to_server(page: Page, client: SyncLangGraphClient, thread: str) -> dict[str, Any]:
    """Wait until the page shows the stored thread: every question and answer exactly once,
    every tool card with its final status, and a finished card's bar at 100."""
    deadline = time.monotonic() + 30
    while True:
        expected = server_view(client, thread)
        shown = page_view(page)
        same = (
            shown["questions"] == expected["questions"]
            and shown["answers"] == expected["answers"]
            and [card["status"] for card in shown["cards"]] == expected["cards"]
            and all(
                card["progress"] == "100" for card in shown["cards"] if card["status"] == "done"
            )
        )
        if same:
            return shown
        assert time.monotonic() < deadline, f"page {shown}\nserver {expected}"
        page.wait_for_timeout(200)


def wait_run_ended(client: SyncLangGraphClient, thread: str, within: float = 30) -> str:
    deadline = time.monotonic() + within
    while (status := client.runs.list(thread, limit=1)[0]["status"]) in ("pending", "running"):
        assert time.monotonic() < deadline, "the run did not end"
        time.sleep(0.1)
    return str(status)
