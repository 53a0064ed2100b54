"""Page helpers for the browser tests: waiting on conditions, never on fixed sleeps."""

from __future__ import annotations

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


def send(page: Page, text: str) -> None:
    box = page.get_by_test_id("message-input")
    box.fill(text)
    box.press("Enter")


def wait_status(page: Page, status: str, timeout: float = 30_000) -> None:
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", status, timeout=timeout)


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
