"""The web app in headless Chromium: 5,000-token answers at full speed (a page's first, sent as
soon as it has loaded, and its second), the main thread's long tasks meanwhile, Stop, and the
initial JS size; for the main view and the direct view.

The built ``frontend/dist`` is served as the browser tests serve it. Timing happens in the page
(``performance.now()``), from an init script installed before the app loads.
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import NotFoundError
from playwright.async_api import Browser, async_playwright

from bench.browser_profile import MainThread, profiled
from bench.measure import TOOL_QUESTION, Spread, poll
from bench.page import answer, clock_offset, open_page
from harness.browser import CHROMIUM, CHROMIUM_ARGS, FRONTEND, app_url, serve_directory

VIEWS = ("main", "direct")
STOP_TIMEOUT = 30.0
FULL_SPEED = {"offline_token_delay": 0, "tool_step_delay": 0}
STOP_CONTEXT = {"offline_token_delay": 0, "tool_step_delay": 0.05}


@dataclass(frozen=True)
class Answers:
    """The first answer of a page (cold: no streaming code has run) or the second (warm)."""

    final_ms: Spread | None
    long_tasks: Spread | None
    longest_ms: Spread | None
    loaded_before_longest: list[str]

    @property
    def n(self) -> int:
        return self.final_ms.n if self.final_ms else 0


@dataclass(frozen=True)
class ViewResult:
    view: str
    cold: Answers
    warm: Answers
    stop_ms: Spread | None
    stop_ended: str
    main_thread: MainThread
    """Where a profiled warm answer's main-thread time went."""
    errors: list[str]


@dataclass(frozen=True)
class BrowserResult:
    initial_js_kb: float | None
    views: list[ViewResult]
    skipped: str | None = None


async def _npm(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        "npm", *args, cwd=FRONTEND,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    if process.returncode:
        raise RuntimeError(f"npm {' '.join(args)} failed: {text.strip().splitlines()[-1:]}")
    return text


async def build() -> None:
    """``npm run build``: the app as served, in ``frontend/dist``."""
    await _npm("run", "build")


async def _answers(browser: Browser, url: str) -> list[dict[str, Any]]:
    """A page's first answer (cold: its streaming code has not run yet) and its second (warm)."""
    page = await open_page(browser, url)
    try:
        return [await answer(page), await answer(page)]
    finally:
        await page.context.close()


async def _main_thread(browser: Browser, url: str) -> MainThread:
    """Main-thread time per script during a warm answer, profiled, and its longest tasks."""
    page = await open_page(browser, url)
    try:
        await answer(page)
        return await profiled(page, lambda: answer(page))
    finally:
        await page.context.close()


def _summary(figures: list[dict[str, Any]]) -> Answers:
    return Answers(
        final_ms=Spread.of([f["final_ms"] for f in figures]),
        long_tasks=Spread.of([float(f["long_tasks"]) for f in figures]),
        longest_ms=Spread.of([f["longest_ms"] for f in figures]),
        loaded_before_longest=sorted({name for f in figures for name in f["loaded"]}),
    )


async def _stop(browser: Browser, url: str, view: str, client: LangGraphClient) -> float:
    """Stop clicked at the first progress bar -> the server says the run stopped (ms)."""
    page = await open_page(browser, url)
    seen_active = False

    async def ended() -> bool:
        nonlocal seen_active
        if view == "direct":
            status = int((await client.http.get("/api/chat/status"))["active_streams"])
            seen_active |= status > 0
            return seen_active and status == 0
        thread = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query).get("thread")
        try:
            runs = await client.runs.list(thread[0], limit=1) if thread else []
        except NotFoundError:  # the app names its new thread before creating it
            return False
        if runs and runs[0]["status"] in ("success", "error"):
            raise RuntimeError(f"the run ended {runs[0]['status']} before Stop took effect")
        return bool(runs) and runs[0]["status"] == "interrupted"

    watcher: asyncio.Future[float] | None = None
    try:
        await page.get_by_test_id("message-input").fill(TOOL_QUESTION)
        await page.evaluate("() => { window.__bench.autoStop = true; }")
        offset = await clock_offset(page)
        watcher = asyncio.ensure_future(poll(ended, 0.01, STOP_TIMEOUT))
        await page.get_by_test_id("message-input").press("Enter")
        stopped_at = await watcher
        await page.wait_for_function("() => window.__bench.stopAt !== null")
        clicked = offset + float(await page.evaluate("() => window.__bench.stopAt")) / 1000
    finally:
        if watcher is not None:
            watcher.cancel()
        await page.context.close()
    return (stopped_at - clicked) * 1000


def _failure(exc: Exception) -> str:
    return f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"


@dataclass(frozen=True)
class _Session:
    """What every view's measurement shares."""

    browser: Browser
    client: LangGraphClient
    profile: bool


@dataclass
class _Figures:
    """One view's measurements so far."""

    pairs: list[list[dict[str, Any]]] = field(default_factory=list)
    stops: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _repeat(session: _Session, view: str, url: str, stop_url: str, into: _Figures) -> None:
    """A page's two answers, then a Stop, on this view."""
    try:
        into.pairs.append(await _answers(session.browser, url))
        into.errors += [f["error"] for f in into.pairs[-1] if f["error"]]
        into.stops.append(await _stop(session.browser, stop_url, view, session.client))
    except Exception as exc:
        into.errors.append(_failure(exc))


async def _view(session: _Session, view: str, url: str, figures: _Figures) -> ViewResult:
    main_thread = MainThread()
    try:
        if session.profile:
            main_thread = await _main_thread(session.browser, url)
    except Exception as exc:
        figures.errors.append(_failure(exc))
    return ViewResult(
        view=view,
        cold=_summary([pair[0] for pair in figures.pairs]),
        warm=_summary([pair[1] for pair in figures.pairs]),
        stop_ms=Spread.of(figures.stops),
        stop_ended="run status interrupted" if view == "main" else "0 active direct streams",
        main_thread=main_thread,
        errors=figures.errors[:3],
    )


def _urls(site: str, api: str, view: str) -> tuple[str, str]:
    """The view's page for answers (full speed), and for Stop (a tool slow enough to stop)."""
    suffix = "&view=direct" if view == "direct" else ""
    answers, stop = (app_url(site, api, **c) + suffix for c in (FULL_SPEED, STOP_CONTEXT))
    return answers, stop


async def measure(api: str, client: LangGraphClient, repeats: int, profile: bool) -> BrowserResult:
    """Builds the app, then both views; a failed build skips the browser part, with why.
    ``profile``: also one profiled answer per view (where its main thread goes)."""
    try:
        await build()
        size = re.search(r"Initial JS: ([\d.]+) kB", await _npm("run", "size"))
    except (OSError, RuntimeError) as exc:
        return BrowserResult(None, [], skipped=str(exc))
    kb = float(size.group(1)) if size else None
    try:
        with serve_directory(FRONTEND / "dist") as site:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS
                )
                session = _Session(browser, client, profile)
                urls = {view: _urls(site, api, view) for view in VIEWS}
                figures = {view: _Figures() for view in VIEWS}
                for repeat in range(repeats):
                    # The views take turns, in alternating order: the main view's ratio to the
                    # direct view's compares pages of one moment, not two moments of a machine
                    # whose speed drifts.
                    for view in VIEWS if repeat % 2 == 0 else VIEWS[::-1]:
                        await _repeat(session, view, *urls[view], figures[view])
                views = [await _view(session, v, urls[v][0], figures[v]) for v in VIEWS]
                await browser.close()
    except Exception as exc:  # no Chromium, say: the other sections still count
        return BrowserResult(kb, [], skipped=f"{type(exc).__name__}: {str(exc)[:300]}")
    return BrowserResult(kb, views)
