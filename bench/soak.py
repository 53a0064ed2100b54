"""Soak (issue 24): one thread grown long and many users' short threads, on a server of its own.

The long thread is grown through the runs API with the offline model and no delays, its runs
queued on the thread in batches (``multitask_strategy="enqueue"``) so the queue's wait is paid
once per batch rather than once per turn; growing is not what is measured. Then: the web app
opens it and replies (``bench/soak_page.py``), another user streams while it is read
(``bench/soak_gaps.py``), and every thread is deleted. The server's memory (RSS of its process
tree, from /proc) is read before any thread exists, after, and after deleting them all; its
checkpoint file (``.langgraph_api``) after a clean shutdown with no thread ever made, and after
one with every thread deleted.
"""

from __future__ import annotations

import asyncio
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from langgraph_sdk.client import LangGraphClient
from playwright.async_api import async_playwright

from bench import soak_gaps, soak_page
from bench.browser import build
from bench.direct import sse_answer
from bench.measure import CONTEXT, percentile, tree_rss
from bench.runs_api import user
from client import Done, Error, Token, ToolCall, astream
from client.clients import new_client
from harness.browser import CHROMIUM, CHROMIUM_ARGS, FRONTEND, app_url, serve_directory
from harness.server import descendants, langgraph_dev

PROMPTS = ("北京天气如何？", "分析用户数据", "生成运营报告")
"""The turns: each calls a tool and answers, as the tutorial's prompts do."""
LAST = "count to 60"
"""The long thread's last turn, whose answer the page waits for."""
BATCH = 20
CHECKPOINTS = ".langgraph_checkpoint*"
TURN_TIMEOUT = 120.0


@dataclass(frozen=True)
class Size:
    turns: int
    users: int
    user_turns: int
    replies: int

    @classmethod
    def of(cls, quick: bool) -> Size:
        return cls(30, 4, 3, 1) if quick else cls(200, 20, 10, 3)


@dataclass
class SoakResult:
    size: Size
    grow_s: float = 0.0
    users_s: float = 0.0
    user_first_p50_ms: float | None = None
    user_first_p95_ms: float | None = None
    user_turns: tuple[int, int, int] = (0, 0, 0)
    """The users' turns that succeeded, that streamed an answer, that ran a tool."""
    long_tool_turns: int = 0
    user_errors: list[str] = field(default_factory=list)
    page: soak_page.PageFigures | None = None
    gaps: list[soak_gaps.Gaps] = field(default_factory=list)
    processes: int = 0
    """Processes in the server's tree: `langgraph dev` serves from the process it starts."""
    rss_mib: dict[str, float] = field(default_factory=dict)
    store_bytes: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def store_bytes(directory: Path, pattern: str = "*") -> int:
    """The in-memory runtime's files (checkpoints, runs, store, retry counter) matching
    ``pattern``, as written at shutdown."""
    files = (directory / ".langgraph_api").glob(pattern)
    return sum(path.stat().st_size for path in files if path.is_file())


def _stopped(directory: Path, when: str, code: int | None, result: SoakResult) -> None:
    """The files after a shutdown; one that needed SIGKILL was not clean, and is said so."""
    result.store_bytes[when] = store_bytes(directory)
    result.store_bytes[f"{when}, checkpoints"] = store_bytes(directory, CHECKPOINTS)
    if code == -signal.SIGKILL:
        result.errors.append(f"the server was killed at shutdown ({when}): its files may be stale")


async def _warm(url: str) -> None:
    """One answer through direct SSE: the graph and model load, and no thread is made."""
    async with httpx.AsyncClient(timeout=TURN_TIMEOUT) as http:
        await sse_answer(http, url, 10, None)


async def grow(client: LangGraphClient, turns: int) -> str:
    """A thread of ``turns`` turns, the last one ``LAST``; each batch joined before the next."""
    thread_id = str((await client.threads.create())["thread_id"])
    texts = [PROMPTS[i % len(PROMPTS)] for i in range(turns - 1)] + [LAST]
    for start in range(0, turns, BATCH):
        runs = [
            await client.runs.create(
                thread_id, "agent", input=user(text), context=CONTEXT,
                multitask_strategy="enqueue",
            )
            for text in texts[start : start + BATCH]
        ]  # fmt: skip
        await client.runs.join(thread_id, runs[-1]["run_id"])
    return thread_id


@dataclass
class _Turns:
    """What the users' turns did: success, a streamed answer (its first token), a tool call."""

    succeeded: int = 0
    tools: int = 0
    firsts: list[float] = field(default_factory=list)


async def _user(url: str, turns: int, found: _Turns, errors: list[str]) -> None:
    thread_id: str | None = None
    for turn in range(turns):
        start = time.perf_counter()
        first, called = None, False
        options: dict[str, Any] = {"url": url, "context": CONTEXT, "thread_id": thread_id}
        async with asyncio.timeout(TURN_TIMEOUT):
            async for event in astream(PROMPTS[turn % len(PROMPTS)], **options):
                if isinstance(event, Token) and first is None:
                    first = time.perf_counter() - start
                elif isinstance(event, ToolCall):
                    called = True
                elif isinstance(event, Error):
                    errors.append(event.message)
                elif isinstance(event, Done):
                    thread_id = event.thread_id
                    found.succeeded += event.status == "success"
                    if event.status != "success":
                        errors.append(f"run ended {event.status}")
        found.tools += called
        if first is not None:
            found.firsts.append(first * 1000)


async def users(url: str, size: Size, result: SoakResult) -> None:
    """``size.users`` users at once, each ``size.user_turns`` turns on a thread of their own."""
    found = _Turns()
    start = time.perf_counter()
    done = await asyncio.gather(
        *(_user(url, size.user_turns, found, result.user_errors) for _ in range(size.users)),
        return_exceptions=True,
    )
    result.users_s = time.perf_counter() - start
    result.user_errors += [f"{type(e).__name__}: {e}" for e in done if isinstance(e, Exception)]
    result.user_turns = (found.succeeded, len(found.firsts), found.tools)
    if found.firsts:
        result.user_first_p50_ms = percentile(found.firsts, 50)
        result.user_first_p95_ms = percentile(found.firsts, 95)


async def tool_turns(client: LangGraphClient, thread_id: str) -> int:
    """Turns of the thread whose tool ran (one tool message each, as the prompts ask)."""
    state: Any = await client.threads.get_state(thread_id)
    return sum(1 for m in state["values"]["messages"] if m["type"] == "tool")


async def delete_all(client: LangGraphClient) -> int:
    deleted = 0
    for _ in range(1000):  # bounded: at most 100,000 threads
        threads = await client.threads.search(limit=100)
        if not threads:
            break
        for thread in threads:
            await client.threads.delete(thread["thread_id"])
        deleted += len(threads)
    return deleted


def _mib(pid: int) -> float:
    return round(tree_rss(pid) / 2**20, 1)


async def _page(url: str, client: LangGraphClient, thread_id: str, replies: int) -> Any:
    await build()
    with serve_directory(FRONTEND / "dist") as site:
        page_url = f"{app_url(site, url, **soak_page.REPLY_CONTEXT)}&thread={thread_id}"
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return await soak_page.measure(browser, page_url, url, client, thread_id, replies)
            finally:
                await browser.close()


async def _on_server(url: str, pid: int, result: SoakResult, log: Any) -> None:
    client = new_client(url, None)
    try:
        await _warm(url)
        result.processes = 1 + len(descendants(pid))
        result.rss_mib["before"] = _mib(pid)
        log(f"soak: growing one thread to {result.size.turns} turns ...")
        start = time.perf_counter()
        long_thread = await grow(client, result.size.turns)
        result.grow_s = time.perf_counter() - start
        result.long_tool_turns = await tool_turns(client, long_thread)
        log(f"soak: {result.size.users} users x {result.size.user_turns} turns ...")
        await users(url, result.size, result)
        result.rss_mib["after"] = _mib(pid)
        log("soak: the web app on the long thread ...")
        try:
            result.page = await _page(url, client, long_thread, result.size.replies)
        except Exception as exc:  # no Chromium or no build: the rest still counts
            result.errors.append(f"page: {type(exc).__name__}: {str(exc)[:300]}")
        log("soak: another user's tokens while the long thread is read ...")
        result.gaps = await soak_gaps.measure(client, url, long_thread)
        result.rss_mib["read"] = _mib(pid)
        await delete_all(client)
        await asyncio.sleep(1)  # what the server frees, it frees now
        result.rss_mib["deleted"] = _mib(pid)
    finally:
        await client.aclose()


async def measure(quick: bool, log: Any = print) -> SoakResult:
    result = SoakResult(Size.of(quick))
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        directory = Path(tmp)
        with langgraph_dev(directory=directory) as server:  # no thread ever: the baseline
            await _warm(server.url)
        _stopped(directory, "before", server.process.returncode, result)
        with langgraph_dev(directory=directory) as server:
            try:
                await _on_server(server.url, server.process.pid, result, log)
            except Exception as exc:
                result.errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
        _stopped(directory, "deleted", server.process.returncode, result)
    return result
