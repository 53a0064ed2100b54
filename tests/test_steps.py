"""The step limit counts the current run's steps, not the thread's: in-process, on a thread
kept by a checkpointer, as the server keeps it."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent import prompts
from agent.graph import builder

pytestmark = pytest.mark.unit

FAST: dict[str, Any] = {"model": "offline", "offline_token_delay": 0, "tool_step_delay": 0}


async def test_every_turn_of_a_long_thread_may_call_tools() -> None:
    graph = builder.compile(checkpointer=InMemorySaver())
    thread: Any = {"configurable": {"thread_id": "long"}}

    for turn in range(12):
        state = await graph.ainvoke(
            {"messages": [HumanMessage("北京天气如何？")]}, thread, context=FAST
        )
        call, result, answer = state["messages"][-3:]
        assert isinstance(call, AIMessage) and call.tool_calls, f"turn {turn} called its tool"
        assert isinstance(result, ToolMessage) and result.tool_call_id == call.tool_calls[0]["id"]
        assert answer.text != prompts.OUT_OF_STEPS and "北京：晴，25°C" in answer.text
    assert list(state) == ["messages"], "the step counter is not part of the output"


async def test_the_limit_still_stops_a_run_that_loops() -> None:
    graph = builder.compile(checkpointer=InMemorySaver())
    thread: Any = {"configurable": {"thread_id": "short"}, "recursion_limit": 3}

    for _ in range(3):
        state = await graph.ainvoke(
            {"messages": [HumanMessage("分析用户数据")]}, thread, context=FAST
        )
        assert state["messages"][-1].text == prompts.OUT_OF_STEPS
