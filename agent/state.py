"""The graph's state: the conversation, merged by message id, one result per tool call.

``typing_extensions.TypedDict``, not ``typing``'s: before Python 3.12 pydantic can only build a
JSON schema from the former, and without one the graph has no input form in Studio and is left
out of the server's MCP tool list.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from langchain_core.messages import AnyMessage, BaseMessage, ToolMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict


def add_messages_once(left: Any, right: Any) -> list[BaseMessage]:
    """``add_messages``, keeping only the first result of each tool call.

    A client can send a result for a call that already has one: agent-chat-ui answers a call
    it believes unanswered (after its Cancel, whose run went on to answer it), and its message
    is queued while that run still works, so only the merge, when the run starts, can tell.
    A second result would make the history one that strict providers refuse.
    """
    answered: set[str] = set()
    merged: list[BaseMessage] = []
    for message in cast(list[BaseMessage], add_messages(left, right)):
        if isinstance(message, ToolMessage):
            if message.tool_call_id in answered:
                continue
            answered.add(message.tool_call_id)
        merged.append(message)
    return merged


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages_once]
