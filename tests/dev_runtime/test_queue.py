"""The run queue under ``langgraph dev``, woken instead of polled: runs start at once, runs of
one thread still never overlap, and cancelling still works.

Start times come from the server's own clock: a run's ``created_at`` against the first
checkpoint it wrote. Unpatched, every run waits at least the queue's 0.5 s sleep.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
from datetime import datetime
from typing import Any

from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from harness.server import Server
from server import dev_runtime
from tests.reliability.accounting import user_message, wait_terminal

FAST = {"offline_token_delay": 0.0, "tool_step_delay": 0.01}
UPSTREAM_POLL = 0.5


def _at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


async def _span(client: LangGraphClient, thread_id: str, run_id: str) -> tuple[datetime, datetime]:
    """When the run wrote its first and its last checkpoint."""
    history = await client.threads.get_history(thread_id, limit=1000)
    stamps = sorted(_at(s["created_at"]) for s in history if s["metadata"].get("run_id") == run_id)
    assert stamps, f"run {run_id} wrote no checkpoint"
    return stamps[0], stamps[-1]


async def _queue_wait(client: LangGraphClient, thread_id: str, run: dict[str, Any]) -> float:
    started, _ = await _span(client, thread_id, run["run_id"])
    return (started - _at(run["created_at"])).total_seconds()


async def _run_to_end(client: LangGraphClient, thread_id: str, text: str) -> dict[str, Any]:
    run = await client.runs.create(thread_id, "agent", input={"messages": [user_message(text)]},
                                   context=FAST)  # fmt: skip
    assert await wait_terminal(client, thread_id, run["run_id"]) == "success"
    return run


async def test_the_server_says_which_workarounds_it_applied(server: Server) -> None:
    log = server.log_text()
    applied = next(line for line in log.splitlines() if "Applied upstream workarounds" in line)
    assert all(name in applied for name in dev_runtime._patches()), applied
    assert "not applied" not in log


async def test_new_threads_and_follow_ups_start_without_the_queue_wait(server: Server) -> None:
    client = get_client(url=server.url, api_key=None)
    waits = []
    for _ in range(3):
        thread_id = (await client.threads.create())["thread_id"]
        for text in ("北京天气如何？", "hi"):  # a new thread, then a follow-up with history
            run = await _run_to_end(client, thread_id, text)
            waits.append(await _queue_wait(client, thread_id, run))
    await client.aclose()
    assert statistics.median(waits) < UPSTREAM_POLL / 2, waits
    assert max(waits) < UPSTREAM_POLL, waits


async def test_runs_enqueued_on_one_thread_never_overlap(server: Server) -> None:
    client = get_client(url=server.url, api_key=None)
    thread_id = (await client.threads.create())["thread_id"]
    questions = ["北京天气如何？", "分析用户数据", "生成运营报告", "hi", "Weather in Paris?"]
    runs = await asyncio.gather(*(
        client.runs.create(thread_id, "agent", input={"messages": [user_message(q)]},
                           context=FAST, multitask_strategy="enqueue")
        for q in questions
    ))  # fmt: skip
    for run in runs:
        assert await wait_terminal(client, thread_id, run["run_id"], within=60) == "success"
    spans = sorted([await _span(client, thread_id, run["run_id"]) for run in runs])
    await client.aclose()
    for (_, ended), (next_started, _) in itertools.pairwise(spans):
        assert next_started >= ended, spans


async def test_cancelling_a_queued_and_a_running_run(server: Server) -> None:
    client = get_client(url=server.url, api_key=None)
    thread_id = (await client.threads.create())["thread_id"]
    slow = {**FAST, "tool_step_delay": 1.0}
    running = await client.runs.create(
        thread_id, "agent", input={"messages": [user_message("分析用户数据")]}, context=slow
    )
    queued = await client.runs.create(
        thread_id, "agent", input={"messages": [user_message("hi")]}, context=FAST,
        multitask_strategy="enqueue",
    )  # fmt: skip
    await client.runs.cancel(thread_id, queued["run_id"], wait=True)
    await client.runs.cancel(thread_id, running["run_id"], wait=True)
    statuses = [
        (await client.runs.get(thread_id, r["run_id"]))["status"] for r in (running, queued)
    ]
    await _run_to_end(client, thread_id, "北京天气如何？")  # the thread goes on
    await client.aclose()
    assert statuses == ["interrupted", "interrupted"]
