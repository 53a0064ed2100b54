"""The graph's state: the conversation, merged by message id.

``typing_extensions.TypedDict``, not ``typing``'s: before Python 3.12 pydantic can only build a
JSON schema from the former, and without one the graph has no input form in Studio and is left
out of the server's MCP tool list.
"""

from __future__ import annotations

from typing import Annotated

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
