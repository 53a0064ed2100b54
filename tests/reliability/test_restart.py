"""A server restart between turns: the thread, its messages and its runs survive, and the
conversation goes on.

``langgraph dev`` keeps its state as pickles in ``./.langgraph_api`` of its working directory,
flushed every 10 s and on a clean shutdown; the second start reads them back.
"""

from __future__ import annotations

from pathlib import Path

from langgraph_sdk import get_client

from harness.server import langgraph_dev
from tests.reliability.accounting import (
    essence,
    problems,
    saved_messages,
    stream_turn,
    wait_terminal,
)

FAST = {"offline_token_delay": 0.0, "tool_step_delay": 0.01}


async def test_thread_survives_a_restart_and_the_next_turn_works(tmp_path: Path) -> None:
    directory = tmp_path / "server"
    with langgraph_dev(directory=directory) as first:
        client = get_client(url=first.url, api_key=None)
        thread_id = (await client.threads.create(metadata={"purpose": "restart-test"}))["thread_id"]
        turn = await stream_turn(client, thread_id, "分析用户数据", FAST)
        assert await wait_terminal(client, thread_id, turn.run_id) == "success"
        before = await saved_messages(client, thread_id)
        runs_before = [(r["run_id"], r["status"]) for r in await client.runs.list(thread_id)]
        await client.aclose()
    assert first.process.returncode is not None and list(directory.glob(".langgraph_api/*"))

    with langgraph_dev(directory=directory) as second:
        assert second.port != first.port, "a new process, reached afresh"
        client = get_client(url=second.url, api_key=None)
        thread = await client.threads.get(thread_id)
        restored = await saved_messages(client, thread_id)
        runs_after = [(r["run_id"], r["status"]) for r in await client.runs.list(thread_id)]
        follow_up = await stream_turn(client, thread_id, "北京天气如何？", FAST)
        status = await wait_terminal(client, thread_id, follow_up.run_id)
        after = await saved_messages(client, thread_id)
        await client.aclose()

    assert thread["status"] == "idle" and (thread["metadata"] or {})["purpose"] == "restart-test"
    assert [essence(m) for m in restored] == [essence(m) for m in before]
    assert "数据集「用户数据」" in restored[-1]["content"]
    assert runs_after == runs_before
    assert status == "success" and not follow_up.errors
    assert problems(follow_up, after, status) == []
    assert "北京：晴，25°C" in follow_up.answer()
    assert [essence(m) for m in after[: len(before)]] == [essence(m) for m in before]
