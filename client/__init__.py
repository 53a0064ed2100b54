"""Python client of the streaming agent: typed events from a LangGraph server run."""

from client.events import (
    Action,
    Done,
    Error,
    Event,
    Fallback,
    Interrupt,
    Progress,
    Retry,
    Step,
    Token,
    ToolCall,
    ToolResult,
)
from client.resume import RetryPolicy
from client.stream import RunStream, astream, stream

__all__ = [
    "Action",
    "Done",
    "Error",
    "Event",
    "Fallback",
    "Interrupt",
    "Progress",
    "Retry",
    "RetryPolicy",
    "RunStream",
    "Step",
    "Token",
    "ToolCall",
    "ToolResult",
    "astream",
    "stream",
]
