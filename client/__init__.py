"""Python client of the streaming agent: typed events from a LangGraph server run."""

from client.resume import RetryPolicy
from client.stream import RunStream, astream, stream
from contract.typed import (
    Action,
    Custom,
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

__all__ = [
    "Action",
    "Custom",
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
