"""Keep an answer that a stop caught between "finished" and "committed".

A cancel that lands after the model node returned but before LangGraph committed the step
leaves the answer as the step's pending writes: ``get_state`` shows it, but a run with new
input discards them (``langgraph.pregel._loop``: "discard any unfinished tasks"), so the
answer the user saw would vanish from the conversation. Before such a run is queued, the
finished tasks' messages are put at the front of its input; their ids are kept, so nothing
is doubled if they were committed after all.
"""

from __future__ import annotations

from typing import Any

from langgraph_sdk import get_client
from langgraph_sdk.errors import NotFoundError


async def carry_uncommitted(thread_id: object, kwargs: dict[str, Any]) -> None:
    inputs = kwargs.get("input")
    messages = inputs.get("messages") if isinstance(inputs, dict) else None
    if thread_id is None or kwargs.get("command") is not None or not isinstance(messages, list):
        return
    client = get_client()  # in-process: no HTTP, no auth
    try:
        state = await client.threads.get_state(str(thread_id))
    except NotFoundError:
        return  # a thread this run creates
    finally:
        await client.aclose()
    carried = [
        message
        for task in state.get("tasks") or []
        if isinstance(result := task.get("result"), dict)
        for message in result.get("messages") or []
    ]
    messages[:0] = carried
