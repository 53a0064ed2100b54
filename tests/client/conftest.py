from __future__ import annotations

from typing import Any

from langgraph_sdk.client import LangGraphClient

FAST = {"tool_step_delay": 0.05, "offline_token_delay": 0.0}
"""Short runs; the tool still sends its six progress events."""


async def saved_messages(sdk: LangGraphClient, thread_id: str) -> list[dict[str, Any]]:
    state = await sdk.threads.get_state(thread_id)
    values = state["values"]
    assert isinstance(values, dict)
    return list(values["messages"])
