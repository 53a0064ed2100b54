"""Tools that report live progress on the ``custom`` stream while they work: one
:class:`contract.events.ProgressEvent` per phase a tool goes through."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from langgraph.config import get_stream_writer
from langgraph.prebuilt import ToolRuntime
from pydantic import Field, create_model

from agent.context import Context
from agent.language import Language, language_of_state
from contract.events import ProgressEvent

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


@dataclass(frozen=True)
class ProgressTool:
    """A tool of one string argument that walks through ``phases`` before returning ``result``,
    both written in the language of the question."""

    name: str
    description: str
    argument: str
    argument_description: str
    phases: Callable[[str, Language], Sequence[Phase]]
    result: Callable[[str, Language], str]
    pace: float = 1.0
    """Multiplies the run's ``tool_step_delay``: quick tools take a fraction of it."""


def emit(
    tool: str, phase: Phase, call_id: str | None = None, runtime: Runtime | None = None
) -> None:
    """Send one progress event; a no-op when nobody streams ``custom``. With the tool's
    ``runtime``, also as a ``tool-output-delta`` on the ``tools`` channel (:func:`tool_delta`)."""
    event: ProgressEvent = {
        "name": "progress",
        "tool": tool,
        "phase": phase.phase,
        "progress": max(0, min(100, phase.progress)),
    }
    if phase.message:
        event["message"] = phase.message
    if call_id:
        event["tool_call_id"] = call_id
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


def build(spec: ProgressTool) -> BaseTool:
    """The tool, with an async body (cancelling the run stops it at its next sleep) and a
    blocking one for sync ``graph.stream`` callers. It writes in the language of the last
    question of the state it is run with (as a real model's call would be), else of its
    argument."""

    def delay(runtime: Runtime) -> float:
        return (runtime.context or Context()).tool_step_delay * spec.pace

    def run(runtime: Runtime, **arguments: str) -> str:
        value = arguments[spec.argument]
        language = language_of_state(runtime.state, value)
        for index, phase in enumerate(spec.phases(value, language)):
            if index:
                time.sleep(delay(runtime))
            emit(spec.name, phase, runtime.tool_call_id, runtime)
        return spec.result(value, language)

    async def arun(runtime: Runtime, **arguments: str) -> str:
        value = arguments[spec.argument]
        language = language_of_state(runtime.state, value)
        for index, phase in enumerate(spec.phases(value, language)):
            if index:
                await asyncio.sleep(delay(runtime))
            emit(spec.name, phase, runtime.tool_call_id, runtime)
        return spec.result(value, language)

    fields: dict[str, Any] = {spec.argument: (str, Field(description=spec.argument_description))}
    schema = create_model(spec.name, **fields)
    return StructuredTool.from_function(
        func=run,
        coroutine=arun,
        name=spec.name,
        description=spec.description,
        args_schema=schema,
    )
