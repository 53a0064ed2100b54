"""Python client of the streaming agent: typed events from a LangGraph server run."""

from client.events import (
    Done,
    Error,
    Event,
    Fallback,
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
    "Done",
    "Error",
    "Event",
    "Fallback",
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
