"""The graph's state: the conversation, merged by message id, one result per tool call, and
the steps this run has left.

``typing_extensions.TypedDict``, not ``typing``'s: before Python 3.12 pydantic can only build a
JSON schema from the former, and without one the graph has no input form in Studio and is left
out of the server's MCP tool list.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, ToolMessage
from langgraph.graph.message import add_messages
from langgraph.managed import RemainingSteps
from typing_extensions import TypedDict


def add_messages_once(left: Any, right: Any) -> list[BaseMessage]:
    """``add_messages``, keeping each tool result only if it answers an earlier call that has
    no result yet.

    A client can send a result for a call that already has one: agent-chat-ui answers a call
    it believes unanswered (after its Cancel, whose run went on to answer it), and its message
    is queued while that run still works, so only the merge, when the run starts, can tell.
    A second result, or one without its call, makes a history strict providers refuse.
    """
    calls: set[str] = set()
    answered: set[str] = set()
    merged: list[BaseMessage] = []
    for message in cast(list[BaseMessage], add_messages(left, right)):
        if isinstance(message, AIMessage):
            calls.update(call["id"] or "" for call in message.tool_calls)
        elif isinstance(message, ToolMessage):
            if message.tool_call_id not in calls or message.tool_call_id in answered:
                continue
            answered.add(message.tool_call_id)
        merged.append(message)
    return merged


class Conversation(TypedDict):
    """What clients send and read: the graph's input and output schema."""

    messages: Annotated[list[AnyMessage], add_messages_once]


class State(Conversation):
    remaining_steps: RemainingSteps
    """Steps this run may still take: a managed value, counted per run (a thread's checkpoint
    step keeps counting across its runs), never stored nor shown to clients."""
