"""Python client of the streaming agent: typed events from a LangGraph server run."""

from client.events import (
    Action,
    Done,
    Error,
    Event,
    Fallback,
    Interrupt,
    Retry,
    Step,
    Token,
    ToolCall,
    ToolProgress,
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
    "Retry",
    "RetryPolicy",
    "RunStream",
    "Step",
    "Token",
    "ToolCall",
    "ToolProgress",
    "ToolResult",
    "astream",
    "stream",
]
