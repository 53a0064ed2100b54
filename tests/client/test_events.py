"""The library against a real ``langgraph dev``: event sequence, mode subsets, cancel, errors."""

from __future__ import annotations

import asyncio
from contextlib import aclosing, nullcontext

import pytest
from langgraph_sdk.client import LangGraphClient

from agent.history import CANCELLED_TEXT
from client.stream import astream, saved_answer, stream
from contract.typed import Done, Error, Event, Step, Token, ToolCall, ToolProgress, ToolResult
from harness.server import Server
from tests.client.conftest import FAST, saved_messages


async def collect(server: Server, message: str, **options: object) -> list[Event]:
    return [event async for event in astream(message, url=server.url, **options)]


def of(kind: type, events: list[Event]) -> list:  # type: ignore[type-arg]
    return [event for event in events if isinstance(event, kind)]


async def test_tool_run_event_sequence(server: Server, sdk: LangGraphClient) -> None:
    events = await collect(server, "分析用户数据", context=FAST)

    assert [step.node for step in of(Step, events)] == ["agent", "tools", "agent"]
    assert of(ToolCall, events) == [
        ToolCall("analyze_dataset", {"name": "用户数据"}, of(ToolCall, events)[0].id)
    ]
    progress = [event.progress for event in of(ToolProgress, events)]
    assert len(progress) >= 5 and progress == sorted(progress) and progress[-1] == 100
    assert {event.tool for event in of(ToolProgress, events)} == {"analyze_dataset"}
    assert {event.tool_call_id for event in of(ToolProgress, events)} == {
        of(ToolCall, events)[0].id
    }
    [result] = of(ToolResult, events)
    assert result.name == "analyze_dataset" and "用户数据" in result.content
    done = events[-1]
    assert isinstance(done, Done) and done.status == "success" and not done.resynced
    # Tokens come in order: they join to the answer the server saved.
    answer = saved_answer(await saved_messages(sdk, done.thread_id))
    assert "".join(token.content for token in of(Token, events)) == answer == done.answer
    # Order: the call, then its progress, then its result, then the answer's tokens.
    kinds = [type(event).__name__ for event in events]
    assert kinds.index("ToolCall") < kinds.index("ToolProgress") < kinds.index("ToolResult")
    assert kinds.index("ToolResult") < kinds.index("Token")


async def test_mode_subsets(server: Server) -> None:
    updates = await collect(server, "北京天气如何？", modes=["updates"], context=FAST)
    assert not of(ToolProgress, updates) and [s.node for s in of(Step, updates)] == [
        "agent",
        "tools",
        "agent",
    ]
    assert of(ToolCall, updates)[0].args == {"city": "北京"}
    assert "".join(t.content for t in of(Token, updates)) == updates[-1].answer  # type: ignore[union-attr]

    custom = await collect(server, "分析用户数据", modes=["custom"], context=FAST)
    assert {type(event) for event in custom} == {ToolProgress, Done}
    done = custom[-1]
    assert isinstance(done, Done) and done.resynced and "用户数据" in done.answer

    messages = await collect(server, "hello", modes=["messages-tuple"], context=FAST)
    assert of(Token, messages) and not of(Step, messages) and not of(ToolProgress, messages)


def test_sync_wrapper(server: Server) -> None:
    events = list(stream("北京天气如何？", url=server.url, context=FAST))
    assert of(ToolResult, events)[0].content == "北京：晴，25°C"
    assert isinstance(events[-1], Done) and events[-1].status == "success"


@pytest.mark.parametrize("closing", [True, False], ids=["aclosing", "plain-break"])
async def test_break_cancels_the_run(server: Server, sdk: LangGraphClient, closing: bool) -> None:
    events = astream("分析用户数据", url=server.url, context={"tool_step_delay": 0.5})
    async with aclosing(events) if closing else nullcontext(events):
        async for event in events:
            if isinstance(event, ToolProgress):
                break
    await assert_interrupted_mid_tool(sdk, events.thread_id, events.run_id)


async def assert_interrupted_mid_tool(
    sdk: LangGraphClient, thread_id: str | None, run_id: str | None
) -> None:
    assert thread_id and run_id
    await sdk.runs.join(thread_id, run_id)
    assert (await sdk.runs.get(thread_id, run_id))["status"] == "interrupted"
    # The tool never finished: the call is answered as cancelled, not by the tool.
    saved = await saved_messages(sdk, thread_id)
    assert [m["type"] for m in saved] == ["human", "ai", "tool"]
    assert saved[-1]["content"] == CANCELLED_TEXT


async def test_sync_break_cancels_the_run(server: Server, sdk: LangGraphClient) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]

    def consume() -> None:
        events = stream("分析用户数据", url=server.url, thread_id=thread_id,
                        context={"tool_step_delay": 0.5})  # fmt: skip
        for event in events:
            if isinstance(event, ToolProgress):
                break
        events.close()

    await asyncio.to_thread(consume)
    [run] = await sdk.runs.list(thread_id)
    await assert_interrupted_mid_tool(sdk, thread_id, run["run_id"])


async def test_explicit_cancel(server: Server) -> None:
    events = astream("分析用户数据", url=server.url, context={"tool_step_delay": 0.5})
    seen: list[Event] = []
    async for event in events:
        seen.append(event)
        if isinstance(event, ToolProgress) and event.progress == 0:
            await events.cancel()
    done = seen[-1]
    assert isinstance(done, Done) and done.status == "interrupted"
    assert max(p.progress for p in of(ToolProgress, seen)) < 100


async def test_failed_run_reports_server_error(server: Server) -> None:
    events = await collect(server, "hi", context={"model": "no-such-provider:model"})
    [error] = of(Error, events)
    assert "no-such-provider" in error.message
    assert isinstance(events[-1], Done) and events[-1].status == "error"


async def test_busy_thread_says_so(server: Server, sdk: LangGraphClient) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    first = astream(
        "分析用户数据", url=server.url, thread_id=thread_id, context=FAST | {"tool_step_delay": 0.5}
    )
    async with aclosing(first):
        async for event in first:
            if isinstance(event, ToolProgress):
                second = await collect(server, "hello", thread_id=thread_id)
                break
    assert len(second) == 1 and isinstance(second[0], Error)
    assert "busy" in second[0].message and "409" in second[0].message


async def test_a_callers_client_is_reused_and_left_open(
    server: Server, sdk: LangGraphClient
) -> None:
    first = await collect(server, "count to 3", context=FAST, client=sdk)
    thread_id = first[-1].thread_id  # type: ignore[attr-defined]
    second = await collect(server, "count to 2", context=FAST, client=sdk, thread_id=thread_id)

    assert "".join(e.content for e in of(Token, first)) == "1 2 3"
    assert "".join(e.content for e in of(Token, second)) == "1 2"
    assert [m["content"] for m in await saved_messages(sdk, thread_id)][-1] == "1 2"
