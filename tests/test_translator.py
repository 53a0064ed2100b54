"""The one translator (``contract/parts.py``) reads both shapes of a run: the runs API's parts,
messages serialized as dicts, and ``graph.astream``'s in-process parts, LangChain objects.
The same run in either shape makes the same events, and the same wire events."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langgraph.types import Interrupt as GraphInterrupt

from contract.events import progress_event
from contract.parts import PartTranslator, message_text
from contract.typed import (
    Action,
    Custom,
    Error,
    Event,
    Interrupt,
    Step,
    Token,
    ToolCall,
    ToolProgress,
    ToolResult,
    to_direct,
)

pytestmark = pytest.mark.unit  # no server, no browser: `make unit`

MODES = ("messages-tuple", "updates", "custom")
AGENT, TOOLS = {"langgraph_node": "agent"}, {"langgraph_node": "tools"}
CALL = {"name": "get_weather", "args": {"city": "北京"}, "id": "c1"}
RESULT = ToolMessage("晴", name="get_weather", tool_call_id="c1", id="r1")
Part = tuple[str, Any]


def chunk(content: str = "", **fields: Any) -> AIMessageChunk:
    return AIMessageChunk(content=content, id="m1", **fields)


def tool_run() -> list[Part]:
    """A tool call (streamed in chunks, then whole), its progress, a custom event that is not
    progress, its result, the answer, and an error: as ``graph.astream`` yields them."""
    pieces = ['{"city": "北', '京"}']
    return [
        ("messages", (chunk(tool_call_chunks=[{**CALL, "args": "", "index": 0}]), AGENT)),
        *[("messages", (chunk(tool_call_chunks=[{"args": p, "index": 0}]), AGENT)) for p in pieces],
        ("messages", (chunk(chunk_position="last"), AGENT)),
        ("updates", {"agent": {"messages": [AIMessage("", tool_calls=[CALL], id="m1")]}}),
        ("custom", progress_event("get_weather", "fetching", 50, tool_call_id="c1")),
        ("custom", {"rows": 3}),
        ("messages", (RESULT, TOOLS)),
        ("updates", {"tools": {"messages": [RESULT]}}),
        ("messages", (AIMessageChunk("北京：", id="m2"), AGENT)),
        ("messages", (AIMessageChunk([{"type": "text", "text": "晴"}], id="m2"), AGENT)),
        ("updates", {"agent": {"messages": [AIMessage("北京：晴", id="m2")]}}),
        ("error", {"error": "ValueError", "message": "boom"}),
    ]


TOOL_RUN_WIRE = [
    '{"type": "tool_call", "id": "c1", "name": "get_weather", "args": {"city": "北京"}}',
    '{"type": "progress", "tool": "get_weather", "phase": "fetching", "progress": 50, '
    '"tool_call_id": "c1"}',
    '{"type": "custom", "data": {"rows": 3}}',
    '{"type": "tool_result", "id": "c1", "name": "get_weather", "content": "晴", '
    '"status": "success"}',
    '{"type": "token", "content": "北京："}',
    '{"type": "token", "content": "晴"}',
]
""":func:`tool_run` on the direct routes, as JSON, up to its error."""


def serialized(parts: list[Part]) -> list[Part]:
    """The same parts as the runs API sends them: each message as its JSON object."""

    def plain(value: Any) -> Any:
        if isinstance(value, BaseMessage):
            return json.loads(value.model_dump_json())
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value

    return [(kind, plain(data)) for kind, data in parts]


def translated(parts: list[Part], settled: bool = False) -> list[Event]:
    translator = PartTranslator(MODES, settled=settled)
    return [event for kind, data in parts for event in translator.translate(kind, data)]


@pytest.mark.parametrize("settled", [False, True], ids=["client", "settled"])
def test_both_shapes_make_the_same_events(settled: bool) -> None:
    in_process = translated(tool_run(), settled)

    assert in_process == translated(serialized(tool_run()), settled)
    assert in_process == [
        ToolCall("get_weather", {"city": "北京"}, "c1"),
        Step("agent"),
        ToolProgress("get_weather", "fetching", 50, tool_call_id="c1"),
        Custom({"rows": 3}),
        ToolResult("get_weather", "晴", "c1"),
        Step("tools"),
        Token("北京：", "agent"),
        Token("晴", "agent"),
        Step("agent"),
        Error("ValueError: boom"),
    ]


def test_the_direct_routes_wire_events_are_the_typed_ones_mapped() -> None:
    """Byte for byte what the direct routes send (the web app and other clients read it)."""
    wire = [to_direct(event) for event in translated(tool_run(), settled=True)]

    assert [json.dumps(event, ensure_ascii=False) for event in wire if event is not None] == [
        *TOOL_RUN_WIRE,
        '{"type": "error", "message": "ValueError: boom"}',
    ]
    assert to_direct(Token("x", "tools")) is None  # only the answer's text: node ``agent``
    failed = ToolResult("get_weather", "no city", "c2", "error")
    assert to_direct(failed) == {
        "type": "tool_result", "id": "c2", "name": "get_weather", "content": "no city",
        "status": "error",
    }  # fmt: skip


def test_calls_come_from_the_update_where_updates_are_streamed() -> None:
    """The chunks announced a call; the node then replaced its turn (out of steps), so the call
    never runs and is not shown. Without ``updates``, the chunks are all there is."""
    parts: list[Part] = [
        ("messages", (chunk(tool_call_chunks=[{**CALL, "args": "{}", "index": 0}]), AGENT)),
        ("messages", (chunk(chunk_position="last"), AGENT)),
        ("updates", {"agent": {"messages": [AIMessage("no steps left", id="m1")]}}),
    ]

    assert translated(parts, settled=True) == [Step("agent")]
    assert translated(parts) == [Step("agent")]
    chunks_only = PartTranslator(("messages-tuple", "custom"))
    shown = [event for kind, data in parts[:2] for event in chunks_only.translate(kind, data)]
    assert shown == [ToolCall("get_weather", {}, "c1")]


def test_interrupts_in_either_shape() -> None:
    request = {
        "action_requests": [{"name": "get_weather", "args": {"city": "北京"}}],
        "review_configs": [{"action_name": "get_weather", "allowed_decisions": ["approve"]}],
    }
    in_process = {"__interrupt__": (GraphInterrupt(value=request, id="i1"),)}
    paused = Interrupt((Action("get_weather", {"city": "北京"}, allowed=("approve",)),), "i1")

    for shape in (in_process, {"__interrupt__": [{"value": request, "id": "i1"}]}):
        translator = PartTranslator(MODES, settled=True)
        assert list(translator.translate("updates", shape)) == [paused]
        assert translator.interrupted
    assert to_direct(paused) is None  # the direct routes' hand-off makes their event


@pytest.mark.parametrize(
    "content",
    ["plain", ["a", {"type": "text", "text": "b"}, {"type": "image"}, {"type": "text"}], []],
)
def test_message_text_reads_as_langchain_does(content: Any) -> None:
    message = AIMessage(content)

    assert message_text(message.model_dump()) == message.text
