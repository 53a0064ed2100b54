"""The web app on a long thread (issue 24): open it, then reply, in headless Chromium.

Bytes are what Chromium received for each response (``Network.loadingFinished``'s encoded
length, headers included; for a response still open, what arrived so far), split into the API's
and the app's own files. A window's bytes are counted until the network has been quiet for
``QUIET`` seconds, so reads the app makes after showing the thread or the answer count too.

- Load: navigation start to the thread's last answer shown (page clock).
- Reply: a message sent on the open thread; its bytes; and from the run's end (the server's
  run status turning final, polled every ``POLL`` s on our clock) to Send enabled (the composer's
  button, observed in the page; text is typed while the answer streams, since an empty composer
  keeps Send disabled).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from langgraph_sdk.client import LangGraphClient
from playwright.async_api import Browser, CDPSession, Page

from bench.measure import poll, question
from bench.page import TIMEOUT_MS, clock_offset

QUIET = 0.5
QUIET_LIMIT = 20.0
POLL = 0.02
REPLY_SIZE = 100
REPLY_CONTEXT = {"offline_token_delay": 0.01, "tool_step_delay": 0}
"""About a second of answer, so that the next text is typed while it streams."""

SCRIPT = """
(() => {
  const s = (window.__soak = { expected: %s, loaded: null, armed: false, sent: false,
                               enabledAt: null });
  const check = () => {
    const shown = document.querySelectorAll('[data-testid="message-assistant"]');
    const last = shown.length ? shown[shown.length - 1].textContent : "";
    if (s.loaded === null && last.includes(s.expected)) s.loaded = performance.now();
    const send = document.querySelector('[data-testid="send-button"]');
    // Armed before the send: Send counts once it has been disabled by the send, then enabled.
    if (s.armed && send && send.disabled) s.sent = true;
    if (s.sent && s.enabledAt === null && send && !send.disabled) s.enabledAt = performance.now();
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();
"""


class Bytes:
    """Response bytes per request, from the DevTools protocol."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.urls: dict[str, str] = {}
        self.received: dict[str, int] = {}
        self.finished: dict[str, int] = {}
        self.last_activity = time.perf_counter()

    async def attach(self, cdp: CDPSession) -> None:
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        await cdp.send("Network.enable")

    def _sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]
        self.last_activity = time.perf_counter()

    def _data(self, event: dict[str, Any]) -> None:
        rid = event["requestId"]
        size = max(int(event.get("encodedDataLength") or 0), int(event.get("dataLength") or 0))
        self.received[rid] = self.received.get(rid, 0) + size
        self.last_activity = time.perf_counter()

    def _finished(self, event: dict[str, Any]) -> None:
        self.finished[event["requestId"]] = int(event.get("encodedDataLength") or 0)
        self.last_activity = time.perf_counter()

    def totals(self) -> tuple[int, int]:
        """(API bytes, the app's own files' bytes) so far."""
        api = other = 0
        for rid, url in self.urls.items():
            size = self.finished.get(rid, self.received.get(rid, 0))
            if url.startswith(self.api):
                api += size
            else:
                other += size
        return api, other

    async def quiet(self) -> None:
        """Returns once nothing has arrived for ``QUIET`` s (at most ``QUIET_LIMIT`` s)."""
        step = QUIET / 5
        for _ in range(round(QUIET_LIMIT / step)):
            if time.perf_counter() - self.last_activity >= QUIET:
                return
            await asyncio.sleep(step)


@dataclass
class PageFigures:
    load_ms: float | None = None
    load_api_bytes: int = 0
    load_app_bytes: int = 0
    reply_api_bytes: list[int] = field(default_factory=list)
    send_enabled_ms: list[float] = field(default_factory=list)
    """From the run's end to Send enabled, per reply."""
    errors: list[str] = field(default_factory=list)


async def _open(browser: Browser, url: str, api: str, last_answer: str) -> tuple[Page, Bytes]:
    context = await browser.new_context(viewport={"width": 1200, "height": 800})
    await context.add_init_script(SCRIPT % json.dumps(last_answer))
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    counter = Bytes(api)
    await counter.attach(await context.new_cdp_session(page))
    await page.goto(url)
    return page, counter


async def _reply(
    page: Page, counter: Bytes, client: LangGraphClient, thread_id: str
) -> tuple[int, float]:
    """One reply on the open page: (API bytes, ms from the run's end to Send enabled)."""
    runs_before = {run["run_id"] for run in await client.runs.list(thread_id, limit=100)}
    before, _ = counter.totals()
    box = page.get_by_test_id("message-input")
    await box.fill(question(REPLY_SIZE))
    await page.evaluate(
        "() => Object.assign(window.__soak, {armed: true, sent: false, enabledAt: null})"
    )
    await box.press("Enter")
    await page.wait_for_function("() => document.querySelector('#message-input').value === ''")
    await box.fill("next")  # an empty composer keeps Send disabled whatever the run does

    async def ended() -> bool:
        runs = await client.runs.list(thread_id, limit=5)
        new = [run for run in runs if run["run_id"] not in runs_before]
        return bool(new) and new[0]["status"] not in ("pending", "running")

    ended_at = await poll(ended, POLL, TIMEOUT_MS / 1000)
    await page.wait_for_function("() => window.__soak.enabledAt !== null")
    offset = await clock_offset(page)
    enabled_at = offset + float(await page.evaluate("() => window.__soak.enabledAt")) / 1000
    await counter.quiet()
    await page.evaluate("() => Object.assign(window.__soak, {armed: false, sent: false})")
    await box.fill("")
    return counter.totals()[0] - before, (enabled_at - ended_at) * 1000


async def measure(
    browser: Browser, url: str, api: str, client: LangGraphClient, thread_id: str, replies: int
) -> PageFigures:
    """Opens ``url`` (the app on the long thread), then replies ``replies`` times."""
    figures = PageFigures()
    state: Any = await client.threads.get_state(thread_id)
    answers = [m for m in state["values"]["messages"] if m["type"] == "ai" and m["content"]]
    last = str(answers[-1]["content"]) if answers else ""
    page, counter = await _open(browser, url, api, last)
    try:
        await page.wait_for_function("() => window.__soak.loaded !== null")
        figures.load_ms = float(await page.evaluate("() => window.__soak.loaded"))
        await counter.quiet()
        figures.load_api_bytes, figures.load_app_bytes = counter.totals()
        for _ in range(replies):
            size, enabled = await _reply(page, counter, client, thread_id)
            figures.reply_api_bytes.append(size)
            figures.send_enabled_ms.append(enabled)
    except Exception as exc:
        figures.errors.append(f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}")
    finally:
        await page.context.close()
    return figures
