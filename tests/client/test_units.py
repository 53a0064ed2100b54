"""The pure parts of the client, without a server: chunk assembly, dedupe, backoff, errors."""

from __future__ import annotations

import httpx
import pytest
from langgraph_sdk.errors import ConflictError
from langgraph_sdk.schema import StreamPart

from client.errors import describe, is_transient
from client.resume import RetryPolicy, RunSource
from contract.parts import PartTranslator
from contract.typed import Error, Step, Token, ToolCall, ToolProgress, ToolResult, to_dict

pytestmark = pytest.mark.unit  # no server, no browser: `make unit`

META = {"langgraph_node": "agent"}


def chunk(**fields: object) -> list[object]:
    return [{"type": "AIMessageChunk", "id": "m1", "content": "", **fields}, META]


def test_without_updates_tool_calls_are_assembled_from_chunks_once() -> None:
    translate = PartTranslator(["messages-tuple"]).translate
    parts = [
        chunk(tool_call_chunks=[{"name": "get_weather", "args": "", "id": "c1", "index": 0}]),
        chunk(tool_call_chunks=[{"name": "report", "args": '{"to', "id": "c2", "index": 1}]),
        chunk(tool_call_chunks=[{"name": None, "args": '{"city": "北', "id": None, "index": 0}]),
        chunk(tool_call_chunks=[{"name": None, "args": '京"}', "id": None, "index": 0}]),
        chunk(tool_call_chunks=[{"name": None, "args": 'pic": 1}', "id": None, "index": 1}]),
    ]
    assert [e for p in parts for e in translate("messages", p)] == []
    assert list(translate("messages", chunk(chunk_position="last"))) == [
        ToolCall("get_weather", {"city": "北京"}, "c1"),
        ToolCall("report", {"topic": 1}, "c2"),
    ]
    # The same call again, whole (a model that does not stream): nothing new.
    whole = {"type": "ai", "id": "m1", "content": "", "tool_calls": [
        {"name": "get_weather", "args": {"city": "北京"}, "id": "c1"}]}  # fmt: skip
    assert list(translate("messages", [whole, META])) == []
    bad_call = {"name": "x", "args": "{not json", "id": "c9", "index": 0}
    assert list(
        translate("messages", chunk(id="m3", tool_call_chunks=[bad_call], chunk_position="last"))
    ) == [ToolCall("x", {"_raw": "{not json"}, "c9")]


def test_with_updates_tool_calls_come_from_the_node_update() -> None:
    """Complete chunks announce nothing: the node may still drop its calls (out of steps)."""
    translate = PartTranslator(["messages-tuple", "updates"]).translate
    call = {"name": "get_weather", "args": '{"city": "北京"}', "id": "c1", "index": 0}
    assert list(translate("messages", chunk(tool_call_chunks=[call], chunk_position="last"))) == []
    update = {"type": "ai", "id": "m1", "content": "", "tool_calls": [
        {"name": "get_weather", "args": {"city": "北京"}, "id": "c1"}]}  # fmt: skip
    assert list(translate("updates", {"agent": {"messages": [update]}})) == [
        ToolCall("get_weather", {"city": "北京"}, "c1"),
        Step("agent"),
    ]


def test_parts_to_events() -> None:
    translator = PartTranslator(["messages-tuple", "updates", "custom"])
    tool = {"type": "tool", "name": "get_weather", "content": "晴", "tool_call_id": "c1"}
    progress = {"name": "progress", "tool": "t", "phase": "p", "progress": 40}
    parts = [
        ("messages", chunk(content="你好")),
        ("messages", [tool, {"langgraph_node": "tools"}]),
        ("updates", {"tools": {"messages": [tool]}}),
        ("custom", progress),
        ("error", {"error": "ValueError", "message": "boom"}),
    ]
    events = [event for kind, data in parts for event in translator.translate(kind, data)]
    assert events == [
        Token("你好", "agent"),
        ToolResult("get_weather", "晴", "c1"),
        Step("tools"),
        ToolProgress("t", "p", 40),
        Error("ValueError: boom"),
    ]
    assert translator.streamed_answer() == "你好"
    assert to_dict(events[0]) == {"type": "token", "content": "你好", "node": "agent"}


def test_updates_only_carries_the_text() -> None:
    translator = PartTranslator(["updates"])
    ai = {"type": "ai", "id": "m2", "content": [{"type": "text", "text": "hi"}]}
    assert list(translator.translate("updates", {"agent": {"messages": [ai]}})) == [
        Token("hi", "agent"),
        Step("agent"),
    ]


def test_replayed_parts_are_dropped_siblings_kept() -> None:
    source = RunSource(None, "t", "a", {}, RetryPolicy(), "u")  # type: ignore[arg-type]
    first = [
        StreamPart("messages", {"n": 1}, "100-0"),
        StreamPart("updates", {"n": 2}, "100-0"),  # same millisecond, another event: kept
        StreamPart("messages", {"n": 2}, "100-0"),  # equal to a token already seen, and no
        StreamPart("messages", {"n": 2}, "100-0"),  # reconnect yet: a real repeat, kept
    ]
    assert [part.data["n"] for part in first if source._is_new(part)] == [1, 2, 2, 2]

    source._replaying = True  # what a rejoin after a dropped connection sets
    replayed = [
        StreamPart("messages", {"n": 1}, "100-0"),  # the same event again: dropped
        StreamPart("custom", {"n": 0}, "99-0"),  # older: dropped
        StreamPart("custom", {"n": 3}, "100-0"),  # a sibling not seen before: kept
        StreamPart("custom", {"n": 4}, "101-0"),
    ]
    assert [part.data["n"] for part in replayed if source._is_new(part)] == [3, 4]


def test_backoff_doubles_and_caps() -> None:
    assert [RetryPolicy().delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 16, 16]
    assert [RetryPolicy(initial=0.5, cap=1.5).delay(n) for n in (1, 2, 3)] == [0.5, 1, 1.5]


@pytest.mark.parametrize(
    ("status", "transient"), [(409, False), (404, False), (429, True), (503, True)]
)
def test_which_errors_are_retried(status: int, transient: bool) -> None:
    response = httpx.Response(status, request=httpx.Request("GET", "http://x"))
    error = httpx.HTTPStatusError("x", request=response.request, response=response)
    assert is_transient(error) is transient
    assert is_transient(httpx.ReadError("cut"))


def test_messages_are_one_readable_line() -> None:
    request = httpx.Request("POST", "http://x/threads/t/runs/stream")
    busy = ConflictError("Thread is busy", response=httpx.Response(409, request=request),
                         body={"detail": "Thread is busy"})  # fmt: skip
    assert "busy" in describe(busy, "http://x") and "409" in describe(busy, "http://x")
    down = describe(httpx.ConnectError("refused", request=request), "http://x")
    assert down == "Cannot reach the LangGraph server at http://x: is it running? (make dev)"
