"""``answer_events``, in-process and without HTTP: the graph's parts through the one translator
to the direct routes' wire events, plus what stays on the server (history, hand-off, errors)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langgraph.types import Interrupt as GraphInterrupt

from agent.context import Context
from contract.events import DirectEvent, InterruptEvent
from server.direct import events
from tests.test_translator import CALL, TOOL_RUN_WIRE, Part, tool_run

pytestmark = pytest.mark.unit  # no server, no browser: `make unit`

FAST = Context(model="offline", offline_token_delay=0.0, tool_step_delay=0.0)


class Scripted:
    """Stands in for the graph: yields ``parts`` as ``astream(..., version="v2")`` does, then
    raises ``error``, if any, as a failing node would."""

    def __init__(self, parts: list[Part], error: Exception | None = None) -> None:
        self.parts, self.error = parts, error

    async def astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[dict[str, Any]]:
        for kind, data in self.parts:
            yield {"type": kind, "ns": (), "data": data}
        if self.error:
            raise self.error


async def answer(**options: Any) -> tuple[list[DirectEvent], list[AnyMessage]]:
    added: list[AnyMessage] = []
    streamed = [
        e async for e in events.answer_events([HumanMessage("hi")], FAST, added.append, **options)
    ]
    return streamed, added


async def test_a_tool_run_and_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    in_process = [part for part in tool_run() if part[0] != "error"]  # in-process: raised
    monkeypatch.setattr(events, "graph", Scripted(in_process, ValueError("boom")))

    streamed, added = await answer()

    assert [json.dumps(event, ensure_ascii=False) for event in streamed] == [
        *TOOL_RUN_WIRE,
        '{"type": "error", "message": "The agent failed: boom"}',  # the describe() wording
    ]
    assert [type(m) for m in added] == [AIMessage, ToolMessage, AIMessage]


async def test_a_pause_is_handed_off_with_the_conversation(monkeypatch: pytest.MonkeyPatch) -> None:
    request = {"action_requests": [{"name": "get_weather", "args": {}}], "review_configs": []}
    paused: list[Part] = [
        ("updates", {"agent": {"messages": [AIMessage("", tool_calls=[CALL], id="m1")]}}),
        ("updates", {"__interrupt__": (GraphInterrupt(value=request, id="i1"),)}),
    ]
    monkeypatch.setattr(events, "graph", Scripted(paused))
    handed: list[Sequence[AnyMessage]] = []

    async def hand_off(messages: Sequence[AnyMessage], context: Context) -> InterruptEvent:
        handed.append(list(messages))
        return {"type": "interrupt", "thread_id": "t1", "action_requests": [],
                "review_configs": []}  # fmt: skip

    streamed, _ = await answer(hand_off=hand_off)
    unpaired, _ = await answer()

    assert [e["type"] for e in streamed] == ["tool_call", "interrupt"]
    assert [type(m) for m in handed[0]] == [HumanMessage, AIMessage]
    assert unpaired[-1] == {
        "type": "error",
        "message": "The agent failed: approval needs a thread: use the runs API",
    }


async def test_the_offline_graph_streams_call_progress_result_then_tokens() -> None:
    added: list[AnyMessage] = []
    streamed = [
        e["type"]
        async for e in events.answer_events([HumanMessage("分析用户数据")], FAST, added.append)
    ]

    assert streamed[:8] == ["tool_call", *["progress"] * 6, "tool_result"]
    assert set(streamed[8:]) == {"token"}
    assert [type(m) for m in added] == [AIMessage, ToolMessage, AIMessage]
