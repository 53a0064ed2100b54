"""A run has a time budget (``AGENT_MAX_RUN_SECONDS``): past it, the run ends ``error`` with a
message that says so, its thread settled as after a stop, and the next message works (issue 20:
a slow model and "count to 10000" held a worker for as long as they liked)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langgraph_sdk import get_client

from harness.server import Server, langgraph_dev
from tests.reliability.accounting import wait_terminal
from tests.run_inputs import thread_problem

SLOW = {"offline_token_delay": 0, "tool_step_delay": 5}
"""分析用户数据 then takes 25 s, well past the budget."""


@pytest.fixture(scope="module")
def budgeted() -> Iterator[Server]:
    with langgraph_dev(env={"AGENT_MAX_RUN_SECONDS": "2"}) as running:
        yield running


async def test_a_run_over_its_budget_ends_as_an_error_on_a_valid_thread(budgeted: Server) -> None:
    client = get_client(url=budgeted.url, api_key=None)
    try:
        thread_id = (await client.threads.create())["thread_id"]
        ask = {"messages": [{"role": "user", "content": "分析用户数据"}]}
        run = await client.runs.create(thread_id, "agent", input=ask, context=SLOW)
        assert await wait_terminal(client, thread_id, run["run_id"], within=20) == "error"
        assert "AGENT_MAX_RUN_SECONDS" in budgeted.log_text()
        assert await thread_problem(client, thread_id) is None
        hello = {"messages": [{"role": "user", "content": "count to 3"}]}
        answer = await client.runs.wait(thread_id, "agent", input=hello, context=SLOW)
        assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2 3"
    finally:
        await client.aclose()
