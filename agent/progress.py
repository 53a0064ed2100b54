"""Live progress from inside a tool, sent on the ``custom`` stream.

Each event is ``{"name": "progress", "tool", "phase", "progress", "message"?}``: ``phase`` and
``progress`` are the tutorial's keys, ``tool`` and ``tool_call_id`` say whose bar to move (two
calls of one tool can run at once), and ``name`` routes the event to ``custom:progress`` in the
newer stream protocol.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict

from langgraph.config import get_stream_writer


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


async def arun_steps(
    tool: str, steps: Sequence[Step], delay: float, call_id: str | None = None
) -> None:
    """Emit the steps ``delay`` seconds apart; cancelling the run stops it at the next sleep."""
    for index, step in enumerate(steps):
        if index:
            await asyncio.sleep(delay)
        emit(tool, step, call_id)


def run_steps(tool: str, steps: Sequence[Step], delay: float, call_id: str | None = None) -> None:
    """Blocking twin of :func:`arun_steps`, for sync ``graph.stream`` callers."""
    for index, step in enumerate(steps):
        if index:
            time.sleep(delay)
        emit(tool, step, call_id)
