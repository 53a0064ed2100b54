"""One answer of the graph, run in-process, as the plain events both direct routes send
(:data:`contract.events.DirectEvent`).

``token`` for each piece of text from the ``agent`` node, ``tool_call`` once a call's arguments
are complete, ``progress`` as the tool writes it, ``tool_result``, ``interrupt`` when a call
waits for a decision, and ``error`` with a readable message. Unlike the spec's loop over the
sync ``graph.stream``, this is async end to end: cancelling the consumer cancels the run and
its tools.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, AnyMessage, ToolMessage
from langgraph.types import StreamMode

from agent.context import Context
from agent.graph import graph
from agent.models import ModelProviderError, log_failure
from agent.state import Conversation
from contract.events import DirectEvent, read_progress
from server.direct.handoff import HandOff

logger = logging.getLogger(__name__)

MODES: list[StreamMode] = ["messages", "updates", "custom"]


async def answer_events(
    messages: list[AnyMessage],
    context: Context,
    on_message: Callable[[AnyMessage], None] | None = None,
    hand_off: HandOff | None = None,
) -> AsyncIterator[DirectEvent]:
    """Stream one answer; ``on_message`` sees each message the graph adds (for a history).
    A pause for a decision ends the answer with an ``interrupt`` event from ``hand_off``."""
    state: Conversation = {"messages": list(messages)}
    conversation = list(messages)
    try:
        async for part in graph.astream(state, context=context, stream_mode=MODES, version="v2"):
            if part["type"] == "messages":
                chunk, metadata = part["data"]
                if metadata.get("langgraph_node") == "agent" and isinstance(chunk, AIMessageChunk):
                    if text := chunk.text:
                        yield {"type": "token", "content": text}
            elif part["type"] == "custom":
                yield _custom(part["data"])
            elif part["type"] == "updates":
                for node, update in (part["data"] or {}).items():
                    if node == "__interrupt__":
                        if hand_off is None:
                            raise RuntimeError("approval needs a thread: use the runs API")
                        yield await hand_off(conversation, context)
                        continue
                    for message in (update or {}).get("messages", []):
                        conversation.append(message)
                        if on_message:
                            on_message(message)
                        for event in _message_events(message):
                            yield event
    except Exception as exc:  # a cancel (BaseException) passes through and stops the run
        yield {"type": "error", "message": describe(exc)}


def _custom(payload: Any) -> DirectEvent:
    if progress := read_progress(payload):
        return {"type": "progress", **progress}
    return {"type": "custom", "data": payload}


def _message_events(message: AnyMessage) -> list[DirectEvent]:
    if isinstance(message, AIMessage):
        return [
            {
                "type": "tool_call",
                "id": call["id"] or "",
                "name": call["name"],
                "args": call["args"],
            }
            for call in message.tool_calls
        ]
    if isinstance(message, ToolMessage):
        return [
            {
                "type": "tool_result",
                "id": message.tool_call_id,
                "name": message.name or "",
                "content": message.text,
                "status": message.status,
            }
        ]
    return []


def describe(exc: Exception) -> str:
    """The error as a person should read it: no stack trace, no key. The log gets the trace."""
    if isinstance(exc, ModelProviderError):
        logger.warning("direct answer failed: %s", exc)
        return str(exc)
    detail = log_failure(logger, "direct answer failed", exc)
    return f"The agent failed: {detail}" if detail else f"The agent failed ({type(exc).__name__})."
