"""What a run looks like to a client: one small dataclass per kind of event.

Everything the server sends is turned into these before anyone renders it, so a terminal,
a JSON pipe or a program all read the same typed stream; the direct routes send them as their
wire events (:func:`to_direct`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, cast

from contract.events import DirectEvent, Progress


@dataclass(frozen=True)
class Token:
    """A piece of assistant text, as the model produced it."""

    content: str
    node: str


@dataclass(frozen=True)
class ToolCall:
    """A tool call the model made, assembled from its streamed chunks."""

    name: str
    args: dict[str, Any]
    id: str


@dataclass(frozen=True)
class ToolResult:
    """What a tool returned, or why it did not run (``status`` ``"error"``)."""

    name: str
    content: str
    id: str
    status: str = "success"


@dataclass(frozen=True)
class Custom:
    """Anything else a tool wrote on the ``custom`` stream, as it wrote it."""

    data: Any


@dataclass(frozen=True)
class ToolProgress:
    """A tool's progress (the ``custom`` stream): :class:`contract.events.Progress`, field for
    field, as the other events here are: a frozen dataclass a ``match`` can take apart."""

    tool: str
    phase: str
    progress: int
    message: str | None = None
    tool_call_id: str | None = None


@dataclass(frozen=True)
class Step:
    """A graph node finished (the ``updates`` stream)."""

    node: str


@dataclass(frozen=True)
class Interrupt:
    """The run paused: each action waits for a decision, given in order when resuming
    (``astream(resume=[...], thread_id=...)``). Decisions are ``{"type": "approve"}``,
    ``{"type": "edit", "edited_action": {"name", "args"}}`` or ``{"type": "reject",
    "message"?}``."""

    actions: tuple[Action, ...]
    id: str = ""


@dataclass(frozen=True)
class Action:
    """A tool call that waits for a person's decision."""

    name: str
    args: dict[str, Any]
    description: str = ""
    allowed: tuple[str, ...] = ("approve", "edit", "reject")


@dataclass(frozen=True)
class Retry:
    """The stream dropped; it is resumed after ``delay`` seconds."""

    attempt: int
    """Which retry this is, from 1 to the policy's ``max_retries``."""
    delay: float
    reason: str


@dataclass(frozen=True)
class Done:
    """The run ended. ``answer`` is the final answer as saved on the server; ``resynced`` is
    true when it differs from the streamed tokens (a renderer should then show ``answer``).
    ``paused`` is true when the run stopped at an :class:`Interrupt`, waiting for decisions."""

    thread_id: str
    run_id: str
    status: str
    answer: str = ""
    resynced: bool = False
    paused: bool = False


@dataclass(frozen=True)
class Fallback:
    """Streaming could not be (re-)established: waiting for the run's final state instead."""

    reason: str


@dataclass(frozen=True)
class Error:
    """Something failed; ``message`` is the server's own words where it gave any."""

    message: str


Event = (
    Token
    | ToolCall
    | ToolResult
    | ToolProgress
    | Custom
    | Step
    | Interrupt
    | Retry
    | Fallback
    | Error
    | Done
)

_TYPES: dict[type[Any], str] = {
    Token: "token",
    ToolCall: "tool_call",
    ToolResult: "tool_result",
    ToolProgress: "progress",
    Custom: "custom",
    Step: "step",
    Interrupt: "interrupt",
    Retry: "retry",
    Fallback: "fallback",
    Error: "error",
    Done: "done",
}


def to_dict(event: Event) -> dict[str, Any]:
    """``{"type": "token", "content": ...}``: the event as one JSON-ready object."""
    return {"type": _TYPES[type(event)], **dataclasses.asdict(event)}


def to_progress(event: ToolProgress) -> Progress:
    """The event as the contract's :class:`~contract.events.Progress` (no ``None`` fields)."""
    fields = dataclasses.asdict(event)
    return cast(Progress, {k: v for k, v in fields.items() if v is not None})


def to_direct(event: Event) -> DirectEvent | None:
    """The event as the direct routes send it (:data:`contract.events.DirectEvent`), or None for
    what they do not send: steps, another node's text, the client's own retries and endings,
    and pauses, whose ``interrupt`` event names the thread the hand-off moved them to."""
    if type(event) is Token:  # first: one per token, the hot path
        return {"type": "token", "content": event.content} if event.node == "agent" else None
    match event:
        case ToolCall(name=name, args=args, id=call_id):
            return {"type": "tool_call", "id": call_id, "name": name, "args": args}
        case ToolProgress():
            return {"type": "progress", **to_progress(event)}
        case ToolResult(name=name, content=content, id=call_id, status=status):
            return {
                "type": "tool_result",
                "id": call_id,
                "name": name,
                "content": content,
                "status": "error" if status == "error" else "success",
            }
        case Custom(data=data):
            return {"type": "custom", "data": data}
        case Error(message=message):
            return {"type": "error", "message": message}
    return None
