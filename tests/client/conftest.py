from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from harness.server import Server

FAST = {"tool_step_delay": 0.05, "offline_token_delay": 0.0}
"""Short runs; the tool still sends its six progress events."""


@pytest.fixture
async def sdk(server: Server) -> AsyncIterator[LangGraphClient]:
    """A plain SDK client straight to the server, to check what it saved."""
    client = get_client(url=server.url, api_key=None)
    yield client
    await client.aclose()


async def saved_messages(sdk: LangGraphClient, thread_id: str) -> list[dict[str, Any]]:
    state = await sdk.threads.get_state(thread_id)
    values = state["values"]
    assert isinstance(values, dict)
    return list(values["messages"])
