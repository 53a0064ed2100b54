"""Plain ``langgraph dev`` runs one run at a time; here one user's long run leaves room for
everyone else's (issue 20)."""

from __future__ import annotations

from langgraph_sdk import get_client

from harness.server import langgraph_dev
from tests.reliability.accounting import wait_terminal

SLOW = {"offline_token_delay": 0, "tool_step_delay": 5}
"""分析用户数据 then takes 25 s."""


async def test_a_long_run_does_not_hold_the_only_slot() -> None:
    with langgraph_dev(n_jobs=1) as running:  # what `langgraph dev` passes when not told
        client = get_client(url=running.url, api_key=None)
        try:
            long_thread = (await client.threads.create())["thread_id"]
            other = (await client.threads.create())["thread_id"]
            long_run = await client.runs.create(
                long_thread,
                "agent",
                input={"messages": [{"role": "user", "content": "分析用户数据"}]},
                context=SLOW,
            )
            hello = await client.runs.create(
                other,
                "agent",
                input={"messages": [{"role": "user", "content": "count to 3"}]},
                context={"offline_token_delay": 0},
            )
            assert await wait_terminal(client, other, hello["run_id"]) == "success"
            still = await client.runs.get(long_thread, long_run["run_id"])
            assert still["status"] == "running", "the short run finished while the long one ran"
            await client.runs.cancel(long_thread, long_run["run_id"])
        finally:
            await client.aclose()
        assert "Runs at once: 50 (was 1)" in running.log_text()
