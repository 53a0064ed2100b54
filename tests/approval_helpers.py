"""What the approval tests share: a paused thread, its interrupts, a resume."""

from __future__ import annotations

from typing import Any

from langgraph_sdk.client import LangGraphClient

FAST: dict[str, Any] = {"offline_token_delay": 0, "tool_step_delay": 0}
APPROVE_WEATHER = {**FAST, "approve_tools": ["get_weather"]}
MODES: list[Any] = ["updates", "custom"]


def ask(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


def decide(*decisions: dict[str, Any]) -> dict[str, Any]:
    return {"resume": {"decisions": list(decisions)}}


async def paused(
    client: LangGraphClient, text: str, context: dict[str, Any]
) -> tuple[str, list[Any]]:
    """A thread whose run asked ``text`` and paused; the parts it streamed."""
    thread_id = (await client.threads.create())["thread_id"]
    parts = [
        part
        async for part in client.runs.stream(
            thread_id, "agent", input=ask(text), context=context, stream_mode=MODES
        )
    ]
    return thread_id, parts


def interrupts(parts: list[Any]) -> list[dict[str, Any]]:
    return [
        item["value"]
        for part in parts
        if part.event == "updates"
        for item in part.data.get("__interrupt__", [])
    ]


async def resume(
    client: LangGraphClient, thread_id: str, command: dict[str, Any], context: dict[str, Any]
) -> list[Any]:
    return [
        part
        async for part in client.runs.stream(
            thread_id, "agent", input=None, command=command, context=context, stream_mode=MODES
        )
    ]


async def messages(client: LangGraphClient, thread_id: str) -> list[dict[str, Any]]:
    values = (await client.threads.get_state(thread_id))["values"]
    assert isinstance(values, dict)
    return list(values["messages"])
