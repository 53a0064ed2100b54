"""Tools that report live progress on the ``custom`` stream while they work: one
:class:`contract.events.ProgressEvent` per phase a tool goes through."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, get_type_hints

from langchain_core.tools import BaseTool, StructuredTool
from langgraph.config import get_stream_writer
from langgraph.prebuilt import ToolRuntime
from pydantic import Field, create_model

from agent.context import Context
from agent.language import Language, language_of_state
from contract.events import ProgressEvent, progress_event

Runtime = ToolRuntime[Context, Any]

ProgressListener = Callable[[ProgressEvent], None]
_listeners: list[ProgressListener] = []


def add_progress_listener(listener: ProgressListener) -> None:
    """Also hand every progress event to ``listener``, inside the tool's run (so it can read
    the run's config): how the server relays progress to A2A without the graph knowing of it."""
    if listener not in _listeners:
        _listeners.append(listener)


@dataclass(frozen=True)
class Phase:
    """A point a tool reaches: its name, how far along it is (0-100), and a note."""

    phase: str
    progress: int
    message: str | None = None


Result = Callable[[str, Language], str]
"""A tool's body: its one argument, and the language to write in, to its result."""


def emit(
    tool: str, phase: Phase, call_id: str | None = None, runtime: Runtime | None = None
) -> None:
    """Send one progress event; a no-op when nobody streams ``custom``. With the tool's
    ``runtime``, also as a ``tool-output-delta`` on the ``tools`` channel (:func:`tool_delta`)."""
    event = progress_event(tool, phase.phase, phase.progress, phase.message, call_id)
    get_stream_writer()(event)
    for listener in _listeners:
        listener(event)
    if runtime is not None:
        runtime.emit_output_delta(tool_delta(event))


def tool_delta(event: ProgressEvent) -> dict[str, Any]:
    """The progress as ``@langchain/react``'s tool views read a tool's output deltas: a
    ``message`` and a ``progress`` from 0 to 1 (what a JS generator tool yields)."""
    return {
        "message": event.get("message") or event["phase"],
        "progress": event["progress"] / 100,
        "phase": event["phase"],
        "tool": event["tool"],
    }


def build(
    result: Result, phases: Callable[[str, Language], Sequence[Phase]], pace: float = 1.0
) -> BaseTool:
    """The tool ``result`` makes: named after it, described by its docstring, its argument
    by its first parameter's ``Annotated`` note; it walks through ``phases`` first. ``pace``
    multiplies the run's ``tool_step_delay`` (quick tools take a fraction of it).

    Async only, like the graph's nodes (a stop cancels it at its next sleep). It writes in the
    language of the last question of the state it is run with (as a real model's call would
    be), else of its argument."""
    name = result.__name__
    argument, hint = next(iter(get_type_hints(result, include_extras=True).items()))

    def delay(runtime: Runtime) -> float:
        return (runtime.context or Context()).tool_step_delay * pace

    async def run(runtime: Runtime, **arguments: str) -> str:
        value = arguments[argument]
        language = language_of_state(runtime.state, value)
        for index, phase in enumerate(phases(value, language)):
            if index:
                await asyncio.sleep(delay(runtime))
            emit(name, phase, runtime.tool_call_id, runtime)
        return result(value, language)

    [note] = hint.__metadata__
    schema = create_model(name, **{argument: (str, Field(description=note))})  # type: ignore[call-overload]
    return StructuredTool.from_function(
        coroutine=run, name=name, description=inspect.getdoc(result) or name, args_schema=schema
    )
