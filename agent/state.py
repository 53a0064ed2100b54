"""The graph's state: the conversation, merged by message id, one result per tool call, and
the steps this run has left.

``typing_extensions.TypedDict``, not ``typing``'s: before Python 3.12 pydantic can only build a
JSON schema from the former, and without one the graph has no input form in Studio and is left
out of the server's MCP tool list.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    RemoveMessage,
    ToolMessage,
    convert_to_messages,
    message_chunk_to_message,
)
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

    ``left`` was merged by this function already, so only what ``right`` changed is checked,
    from where its first message landed; a result is matched to its call walking back from
    there, which with call ids unique in a thread is the same as reading the whole history.
    """
    new: list[Any] = [message_chunk_to_message(m) for m in convert_to_messages(_as_list(right))]
    merged = cast(list[BaseMessage], add_messages(left, new))
    start = _first_placed(merged, new)
    tail = merged[start:]
    del merged[start:]  # a new list: add_messages copies ``left``
    calls: set[str] = set()
    answered: set[str] = set()
    for message in tail:
        if isinstance(message, AIMessage):
            calls.update(call["id"] or "" for call in message.tool_calls)
        elif isinstance(message, ToolMessage):
            call_id = message.tool_call_id
            if call_id in answered or (
                call_id not in calls and not _open_before(merged, start, call_id)
            ):
                continue
            answered.add(call_id)
        merged.append(message)
    return merged


def _as_list(messages: Any) -> list[Any]:
    return messages if isinstance(messages, list) else [messages]


def _first_placed(merged: list[BaseMessage], new: list[BaseMessage]) -> int:
    """Where the first of ``new`` landed in ``merged`` (added ones go last, replacements take
    the place of the message they replace), or 0 when that cannot be told."""
    if any(isinstance(message, RemoveMessage) for message in new):
        return 0
    unplaced = {id(message) for message in new}
    start = len(merged)
    for index in range(len(merged) - 1, -1, -1):
        if not unplaced:
            break
        if id(merged[index]) in unplaced:
            unplaced.discard(id(merged[index]))
            start = index
    return 0 if unplaced else start


def _open_before(messages: list[BaseMessage], end: int, call_id: str) -> bool:
    """Whether ``messages[:end]`` made the call ``call_id`` and left it without a result."""
    for index in range(end - 1, -1, -1):
        message = messages[index]
        if isinstance(message, ToolMessage) and message.tool_call_id == call_id:
            return False
        if isinstance(message, AIMessage) and any(c["id"] == call_id for c in message.tool_calls):
            return True
    return False


class Conversation(TypedDict):
    """What clients send and read: the graph's input and output schema."""

    messages: Annotated[list[AnyMessage], add_messages_once]


class State(Conversation):
    remaining_steps: RemainingSteps
    """Steps this run may still take: a managed value, counted per run (a thread's checkpoint
    step keeps counting across its runs), never stored nor shown to clients."""
