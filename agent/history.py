"""Make a stored conversation acceptable to strict providers before the model sees it.

A run stopped mid-tool leaves an assistant message whose tool calls have no answers, and some
clients add their own tool messages, so a thread can hold unanswered, duplicate or orphan tool
results. OpenAI rejects all three. The stored thread is left as the user saw it; only the copy
sent to the model is repaired.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, ToolCall, ToolMessage

CANCELLED = "Cancelled: this tool call was stopped before it finished, so there is no result."
STOPPED = {"cancelled": True}
"""The artifact of a "cancelled" result: clients tell it from a tool's own error by this, and
an artifact is never sent to the model."""


def cancelled_result(call_id: str, name: str) -> ToolMessage:
    return ToolMessage(
        content=CANCELLED, tool_call_id=call_id, name=name, status="error", artifact=STOPPED
    )


def repair_tool_history(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    """Put each tool call's first answer right after its call, in order; invent the missing."""
    answers: dict[str, AnyMessage] = {}
    for message in messages:
        if isinstance(message, ToolMessage):
            answers.setdefault(message.tool_call_id, message)

    repaired: list[AnyMessage] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            continue
        repaired.append(message)
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                call_id = call["id"] or ""
                answer = answers.pop(call_id, None) or cancelled_result(call_id, call["name"])
                repaired.append(answer)
    return repaired


def unanswered_calls(messages: Sequence[BaseMessage]) -> tuple[AIMessage | None, list[ToolCall]]:
    """The last assistant message, if only tool results follow it, and its calls still
    without a result."""
    answered: set[str] = set()
    for message in reversed(messages):
        if isinstance(message, ToolMessage):
            answered.add(message.tool_call_id)
        elif isinstance(message, AIMessage):
            return message, [c for c in message.tool_calls if c["id"] not in answered]
        else:
            break
    return None, []


def cancelled_results(messages: Sequence[BaseMessage]) -> list[ToolMessage]:
    """A "cancelled" result for each call of the last assistant message still unanswered."""
    _, calls = unanswered_calls(messages)
    return [cancelled_result(call["id"] or "", call["name"]) for call in calls]


def tool_history_problem(messages: Sequence[BaseMessage]) -> str | None:
    """What OpenAI would reject in this history, or None: unanswered, orphan or extra results
    (the results of one step may come in any order)."""
    expected: list[str] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            if message.tool_call_id not in expected:
                return f"tool message {message.tool_call_id!r} does not answer a pending tool call"
            expected.remove(message.tool_call_id)
            continue
        if expected:
            return f"tool calls {expected} are not followed by their tool messages"
        if isinstance(message, AIMessage):
            expected = [call["id"] or "" for call in message.tool_calls]
    return None
