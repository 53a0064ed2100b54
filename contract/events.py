"""The events this project puts on the wire, defined once.

- :class:`Progress`: a tool's progress, its fields defined once; :class:`ProgressEvent` is what
  a tool writes on the ``custom`` stream (``get_stream_writer()``), tagged ``name``. One
  function builds it (:func:`progress_event`), one reads it back (:func:`read_progress`), and
  one says which call it belongs to (:func:`progress_owner`).
- :data:`DirectEvent`: what the plain SSE and WebSocket routes send (``server/direct/``): the
  same fields, each event tagged by ``type``.

The web app's TypeScript types are generated from this module (``make contract`` writes
``frontend/src/generated/events.schema.json`` and ``events.ts``), and tests fail when either
drifts from it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal, NotRequired, TypeAlias, cast

from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict


class Progress(TypedDict):
    """A tool's progress, the one definition of its fields: ``phase`` and ``progress`` (0-100)
    are the tutorial's keys; ``tool`` and ``tool_call_id`` say whose bar to move (two calls of
    one tool can run at once; without an id, the tool's latest call: :func:`progress_owner`)."""

    tool: str
    phase: str
    progress: int
    message: NotRequired[str]
    tool_call_id: NotRequired[str]


class ProgressEvent(Progress):
    """A :class:`Progress` as a tool writes it on the ``custom`` stream; ``name`` routes it to
    ``custom:progress`` in the newer stream protocol."""

    name: Literal["progress"]


class TokenEvent(TypedDict):
    """A piece of the answer's text, from the ``agent`` node."""

    type: Literal["token"]
    content: str


class ToolCallEvent(TypedDict):
    """A tool call the model made, once its arguments are complete."""

    type: Literal["tool_call"]
    id: str
    name: str
    args: dict[str, Any]


class ToolProgressEvent(Progress):
    """A :class:`Progress` on the direct routes, tagged like their other events."""

    type: Literal["progress"]


class ToolResultEvent(TypedDict):
    """What a tool returned, or why it did not run."""

    type: Literal["tool_result"]
    id: str
    name: str
    content: str
    status: Literal["success", "error"]


class InterruptEvent(TypedDict):
    """The answer paused for a decision, on a thread of the runs API (docs/approval.md)."""

    type: Literal["interrupt"]
    thread_id: str
    action_requests: list[dict[str, Any]]
    review_configs: list[dict[str, Any]]


class ErrorEvent(TypedDict):
    """A failure, worded for a person: no stack trace, no key."""

    type: Literal["error"]
    message: str


class CustomEvent(TypedDict):
    """Anything else a tool wrote on the ``custom`` stream."""

    type: Literal["custom"]
    data: Any


class DoneEvent(TypedDict):
    """WebSocket only: the answer is complete (SSE ends with ``data: [DONE]`` instead)."""

    type: Literal["done"]


class CancelledEvent(TypedDict):
    """WebSocket only: the answer was cancelled, as the client asked."""

    type: Literal["cancelled"]


class PingEvent(TypedDict):
    """WebSocket only: keep-alive, and the answer to a client's ping."""

    type: Literal["ping", "pong"]


DirectEvent: TypeAlias = (
    TokenEvent
    | ToolCallEvent
    | ToolProgressEvent
    | ToolResultEvent
    | InterruptEvent
    | ErrorEvent
    | CustomEvent
    | DoneEvent
    | CancelledEvent
    | PingEvent
)


_PROGRESS = TypeAdapter(ProgressEvent)


def progress_event(
    tool: str,
    phase: str,
    progress: int,
    message: str | None = None,
    tool_call_id: str | None = None,
) -> ProgressEvent:
    """The event a tool writes, its progress clamped to 0-100 (the one place that clamps)."""
    event: ProgressEvent = {
        "name": "progress",
        "tool": tool,
        "phase": phase,
        "progress": max(0, min(100, progress)),
    }
    if message:
        event["message"] = message
    if tool_call_id:
        event["tool_call_id"] = tool_call_id
    return event


def read_progress(data: object) -> Progress | None:
    """The progress in a ``custom`` stream part, checked against its definition (the one place
    that validates), without its tag; None for any other custom data."""
    if not (isinstance(data, dict) and data.get("name") == "progress"):
        return None
    try:
        event = _PROGRESS.validate_python(data)
    except ValidationError:
        return None
    return cast(Progress, {k: v for k, v in event.items() if k != "name"})


def progress_owner(progress: Progress, calls: Sequence[tuple[str, str]]) -> str | None:
    """The id of the call ``progress`` belongs to, among ``calls`` (``(id, tool)``, oldest
    first): the call it names, else its tool's latest call; None before any call of its tool."""
    if call_id := progress.get("tool_call_id"):
        return call_id
    return next((cid for cid, tool in reversed(calls) if tool == progress["tool"]), None)


def json_schema() -> dict[str, Any]:
    """One JSON Schema document: every event under ``$defs``, :data:`DirectEvent` as their
    union, and the document itself either kind (for generators that start at the root)."""
    schema = TypeAdapter(DirectEvent | ProgressEvent).json_schema(ref_template="#/$defs/{model}")
    definitions = schema["$defs"]
    direct = [{"$ref": f"#/$defs/{event.__name__}"} for event in DirectEvent.__args__]
    definitions["DirectEvent"] = {"title": "DirectEvent", "anyOf": direct}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Events",
        "anyOf": [{"$ref": "#/$defs/DirectEvent"}, {"$ref": "#/$defs/ProgressEvent"}],
        "$defs": dict(sorted(definitions.items())),
    }


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
