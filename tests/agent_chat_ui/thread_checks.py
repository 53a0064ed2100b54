"""What the server holds after the app drove it, read with the Python SDK."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient

from tests.agent_chat_ui.network_log import NetworkLog

ACTIVE = {"pending", "running"}


def sdk(api_url: str) -> SyncLangGraphClient:
    return get_sync_client(url=api_url, api_key=None)


def wait_until(
    what: Callable[[], str], condition: Callable[[], bool], log: NetworkLog, within: float
) -> None:
    """Poll ``condition``; a request the server refused meanwhile fails at once, with the
    status and detail it got (the app only shows a toast, or nothing)."""
    deadline = time.monotonic() + within
    while True:
        if refused := log.refused():
            pytest.fail(f"the server refused the app's request(s):\n{log.describe(refused)}")
        if condition():
            return
        if time.monotonic() > deadline:
            pytest.fail(
                f"not seen within {within} s: {what()}; the app's run requests:\n"
                f"{log.describe(log.run_requests())}"
            )
        log.pause(0.25)


def settled_runs(
    client: SyncLangGraphClient, thread: str, log: NetworkLog, at_least: int, within: float = 90
) -> list[dict[str, Any]]:
    """The thread's runs (newest first) once it has ``at_least`` of them and none is pending or
    running."""
    runs: list[dict[str, Any]] = []

    def settled() -> bool:
        runs[:] = [dict(run) for run in client.runs.list(thread, limit=100)]
        return len(runs) >= at_least and not any(r["status"] in ACTIVE for r in runs)

    def what() -> str:
        return f"{at_least} finished run(s) on thread {thread}, got {[r['status'] for r in runs]}"

    wait_until(what, settled, log, within)
    return runs


def messages(client: SyncLangGraphClient, thread: str) -> list[dict[str, Any]]:
    state: Any = client.threads.get_state(thread)
    return list(state["values"]["messages"])


def text(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content if isinstance(b, dict))


def tool_pairing_problems(history: list[dict[str, Any]]) -> list[str]:
    """What makes a history invalid for a strict provider: every tool call must be answered by
    exactly one tool message, right after its assistant message (before anything else), and
    every tool message must answer a call."""
    problems = []
    waiting: dict[str, int] = {}
    answered: set[str] = set()
    for index, message in enumerate(history):
        if message["type"] == "tool":
            call = message.get("tool_call_id")
            if call in waiting:
                del waiting[call]
                answered.add(call)
            elif call in answered:
                problems.append(f"[{index}] a second tool message for call {call}")
            else:
                problems.append(f"[{index}] a tool message for no call ({call})")
            continue
        if waiting:
            problems.append(f"[{index}] {message['type']} message before the results of {waiting}")
            waiting.clear()
        for call in message.get("tool_calls") or []:
            waiting[call["id"]] = index
    if waiting:
        problems.append(f"calls left unanswered at the end: {waiting}")
    return problems
