"""The soak's reader, in its own process, reads a thread as the web app does, and ends with
the measurement."""

from __future__ import annotations

from langgraph_sdk.client import LangGraphClient

from bench.soak_gaps import _reader
from harness.server import Server
from tests.reliability.accounting import user_message

FAST = {"offline_token_delay": 0.0, "tool_step_delay": 0.01}


async def test_the_reader_process_reads_state_and_history(
    server: Server, sdk: LangGraphClient
) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    await sdk.runs.wait(
        thread_id, "agent", input={"messages": [user_message("count to 5")]}, context=FAST
    )
    state = await sdk.threads.get_state(thread_id)
    async with _reader(server.url, thread_id) as read:
        first, second = await read(), await read()
    for ms, size in (first, second):
        assert ms > 0
        assert size > len(str(state["values"]["messages"][-1]["content"]))
