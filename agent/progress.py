"""Tools that report live progress on the ``custom`` stream while they work.

Each event is ``{"name": "progress", "tool", "tool_call_id", "phase", "progress", "message"?}``:
``phase`` and ``progress`` are the tutorial's keys, ``tool`` and ``tool_call_id`` say whose bar
to move (two calls of one tool can run at once), and ``name`` routes the event to
``custom:progress`` in the newer stream protocol.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypedDict

from langchain_core.tools import BaseTool, StructuredTool
from langgraph.config import get_stream_writer
from langgraph.prebuilt import ToolRuntime
from pydantic import Field, create_model

from agent.a2a import relay_progress
from agent.context import Context

Runtime = ToolRuntime[Context, Any]


class ProgressEvent(TypedDict):
    name: Literal["progress"]
    tool: str
    phase: str
    progress: int
    message: NotRequired[str]
    tool_call_id: NotRequired[str]


@dataclass(frozen=True)
class Step:
    phase: str
    progress: int
    message: str | None = None


@dataclass(frozen=True)
class ProgressTool:
    """A tool of one string argument that walks through ``steps`` before returning ``result``."""

    name: str
    description: str
    argument: str
    argument_description: str
    steps: Callable[[str], Sequence[Step]]
    result: Callable[[str], str]
    pace: float = 1.0
    """Multiplies the run's ``tool_step_delay``: quick tools take a fraction of it."""


def emit(tool: str, step: Step, call_id: str | None = None) -> None:
    """Send one progress event; a no-op when nobody streams ``custom``."""
    event: ProgressEvent = {
        "name": "progress",
        "tool": tool,
        "phase": step.phase,
        "progress": max(0, min(100, step.progress)),
    }
    if step.message:
        event["message"] = step.message
    if call_id:
        event["tool_call_id"] = call_id
    get_stream_writer()(event)
    relay_progress(event)


def build(spec: ProgressTool) -> BaseTool:
    """The tool, with an async body (cancelling the run stops it at its next sleep) and a
    blocking one for sync ``graph.stream`` callers."""

    def delay(runtime: Runtime) -> float:
        return (runtime.context or Context()).tool_step_delay * spec.pace

    def run(runtime: Runtime, **arguments: str) -> str:
        value = arguments[spec.argument]
        for index, step in enumerate(spec.steps(value)):
            if index:
                time.sleep(delay(runtime))
            emit(spec.name, step, runtime.tool_call_id)
        return spec.result(value)

    async def arun(runtime: Runtime, **arguments: str) -> str:
        value = arguments[spec.argument]
        for index, step in enumerate(spec.steps(value)):
            if index:
                await asyncio.sleep(delay(runtime))
            emit(spec.name, step, runtime.tool_call_id)
        return spec.result(value)

    fields: dict[str, Any] = {spec.argument: (str, Field(description=spec.argument_description))}
    schema = create_model(spec.name, **fields)
    return StructuredTool.from_function(
        func=run,
        coroutine=arun,
        name=spec.name,
        description=spec.description,
        args_schema=schema,
    )
