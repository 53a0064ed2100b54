"""What the run input tests share: inputs, histories, the stored thread's check."""

from __future__ import annotations

from typing import Any

from langgraph_sdk.client import LangGraphClient

from tests.reliability.accounting import thread_problem as stored_thread_problem

FAST = {"offline_token_delay": 0, "tool_step_delay": 0}
HELLO = {"messages": [{"role": "user", "content": "count to 3"}]}
WEATHER_CALL = {"id": "call_1", "name": "get_weather", "args": {"city": "北京"}}


def user(content: object) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": content}]}


async def asked(client: LangGraphClient, text: str, **context: Any) -> str:
    """A new thread that asked ``text`` and got its answer (or its error); its id."""
    thread_id = str((await client.threads.create())["thread_id"])
    await client.runs.wait(
        thread_id, "agent", input=user(text), context={**FAST, **context}, raise_error=False
    )
    return thread_id


def history(*messages: dict[str, Any]) -> dict[str, Any]:
    return {"messages": list(messages)}


def asked_weather(answer: dict[str, Any] | None = None, ask: str = "count to 2") -> dict[str, Any]:
    """A history where the assistant called get_weather, then ``answer`` (if any), then ``ask``."""
    messages = [
        {"role": "user", "content": "北京天气如何？"},
        {"role": "assistant", "content": "", "tool_calls": [WEATHER_CALL]},
    ]
    return history(*messages, *([answer] if answer else []), {"role": "user", "content": ask})


async def thread_problem(client: LangGraphClient, thread_id: str) -> str | None:
    state = await client.threads.get_state(thread_id)
    assert isinstance(state["values"], dict)
    return stored_thread_problem(state["values"]["messages"])
