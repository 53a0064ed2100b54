"""Conversations of any length on a real ``langgraph dev``: one thread, many turns, each turn
calling its tool and answering, with approvals, stops, edits and regenerates in between.

A thread's checkpoint step keeps counting across its runs; these tests catch a step limit (or
anything else) that only holds for a thread's first runs.
"""

from __future__ import annotations

from itertools import cycle, islice
from typing import Any

import pytest
from langgraph_sdk.client import LangGraphClient

from agent import prompts
from agent.history import CANCELLED_TEXT
from tests.reliability.accounting import (
    saved_messages,
    thread_problem,
    user_message,
    wait_not_busy,
    wait_terminal,
)

FAST: dict[str, Any] = {"offline_token_delay": 0, "tool_step_delay": 0.001}
EVERY_TOOL = {**FAST, "approve_tools": ["*"]}
SLOW_TOOL = {**FAST, "tool_step_delay": 2.0}
"""Slow enough that a cancel sent at the tool's first progress lands while it runs."""
PROMPTS = [
    ("北京天气如何？", "get_weather"),
    ("What's the weather in Paris?", "get_weather"),
    ("分析用户数据", "analyze_dataset"),
    ("Analyze the sales dataset", "analyze_dataset"),
    ("生成运营报告", "generate_report"),
    ("Generate a report on Q3 sales", "generate_report"),
]
EDITED_ARGS = {
    "get_weather": {"city": "上海"},
    "analyze_dataset": {"name": "orders"},
    "generate_report": {"topic": "edited"},
}

pytestmark = pytest.mark.timeout(600)


def turn_of(saved: list[dict[str, Any]], question_id: str) -> list[dict[str, Any]]:
    """The messages of the turn that ``question_id`` asked, from the question on."""
    ids = [m["id"] for m in saved]
    assert question_id in ids, "the question was saved"
    return saved[ids.index(question_id) :]


def assert_answered_with(turn: list[dict[str, Any]], tool: str) -> dict[str, Any]:
    """The turn called ``tool``, its result follows the call, and a final answer ends it;
    returns the tool's result."""
    kinds = [m["type"] for m in turn]
    assert kinds == ["human", "ai", "tool", "ai"], kinds
    _, call_message, result, answer = turn
    [call] = call_message["tool_calls"]
    assert call["name"] == tool
    assert result["tool_call_id"] == call["id"]
    assert not answer.get("tool_calls")
    assert answer["content"] and prompts.OUT_OF_STEPS not in answer["content"]
    if (result.get("artifact") or {}).get("declined"):  # said to be declined, not a result
        assert "You declined" in answer["content"] or "你拒绝了" in answer["content"]
        assert result["content"] not in answer["content"]
    else:
        assert result["content"] in answer["content"], "the answer uses the tool's result"
    return dict(result)


async def ask(
    sdk: LangGraphClient, thread_id: str, text: str, context: dict[str, Any], **run: Any
) -> dict[str, Any]:
    """Runs one turn to its end; the question as sent (with its id)."""
    question = user_message(text)
    await sdk.runs.wait(thread_id, "agent", input={"messages": [question]}, context=context, **run)
    return question


async def tool_turn(sdk: LangGraphClient, thread_id: str, text: str, tool: str) -> None:
    question = await ask(sdk, thread_id, text, FAST)
    saved = await saved_messages(sdk, thread_id)
    result = assert_answered_with(turn_of(saved, question["id"]), tool)
    assert result["status"] != "error"


async def test_twenty_four_tool_turns_on_one_thread(sdk: LangGraphClient) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]

    for text, tool in islice(cycle(PROMPTS), 24):
        await tool_turn(sdk, thread_id, text, tool)

    saved = await saved_messages(sdk, thread_id)
    assert len(saved) == 24 * 4
    assert len({m["id"] for m in saved}) == len(saved)
    calls = [c["id"] for m in saved for c in m.get("tool_calls") or []]
    assert len(set(calls)) == 24, "every turn's call has its own id"
    assert thread_problem(saved) is None


def decision(kind: str, tool: str) -> dict[str, Any]:
    if kind == "edit":
        return {"type": "edit", "edited_action": {"name": tool, "args": EDITED_ARGS[tool]}}
    if kind == "reject":
        return {"type": "reject", "message": "not this one"}
    return {"type": "approve"}


async def test_approvals_on_every_turn_of_a_long_thread(sdk: LangGraphClient) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    kinds = cycle(["approve", "edit", "reject"])

    for (text, tool), kind in zip(islice(cycle(PROMPTS), 21), kinds, strict=False):
        question = await ask(sdk, thread_id, text, EVERY_TOOL)
        state = await sdk.threads.get_state(thread_id)
        assert state["next"] == ["tools"], f"{text!r} paused for review ({kind})"
        assert list(state["values"]) == ["messages"], "the step counter is not stored"
        [pending] = state["interrupts"]
        assert [a["name"] for a in pending["value"]["action_requests"]] == [tool]

        await sdk.runs.wait(
            thread_id,
            "agent",
            input=None,
            command={"resume": {"decisions": [decision(kind, tool)]}},
            context=EVERY_TOOL,
        )

        turn = turn_of(await saved_messages(sdk, thread_id), question["id"])
        result = assert_answered_with(turn, tool)
        if kind == "reject":
            assert result["artifact"] == {"declined": True}
            assert "not this one" in result["content"] and "not this one" in turn[-1]["content"]
        else:
            assert result["status"] != "error" and not result.get("artifact")
        if kind == "edit":
            assert turn[1]["tool_calls"][0]["args"] == EDITED_ARGS[tool], "history shows what ran"

    saved = await saved_messages(sdk, thread_id)
    assert len(saved) == 21 * 4
    assert thread_problem(saved) is None


async def stop_mid_tool(sdk: LangGraphClient, thread_id: str) -> dict[str, Any]:
    """Asks for a slow analysis and cancels the run at the tool's first progress; the
    question as sent."""
    question = user_message("分析用户数据")
    run_id, cancelled = "", False
    async for part in sdk.runs.stream(
        thread_id,
        "agent",
        input={"messages": [question]},
        context=SLOW_TOOL,
        stream_mode=["custom"],
    ):
        if part.event == "metadata":
            run_id = part.data["run_id"]
        elif part.event == "custom" and not cancelled:
            await sdk.runs.cancel(thread_id, run_id, action="interrupt")
            cancelled = True
    assert cancelled, "the tool reported progress"
    assert await wait_terminal(sdk, thread_id, run_id, within=60) == "interrupted"
    await wait_not_busy(sdk, thread_id, within=60)
    return question


async def test_stops_edits_and_regenerates_between_tool_turns(sdk: LangGraphClient) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    prompts_ = cycle(PROMPTS)

    for _ in range(4):
        await tool_turn(sdk, thread_id, *next(prompts_))

        question = await stop_mid_tool(sdk, thread_id)
        stopped = turn_of(await saved_messages(sdk, thread_id), question["id"])
        assert [m["type"] for m in stopped] == ["human", "ai", "tool"]
        assert stopped[2]["content"] == CANCELLED_TEXT and stopped[2]["artifact"] == {
            "cancelled": True
        }
        await tool_turn(sdk, thread_id, *next(prompts_))

        # Edit: the last question asked again, changed, from the checkpoint before it.
        history = await sdk.threads.get_history(thread_id, limit=20)
        before_question = next(h for h in history if h["next"] == ["__start__"])
        text, tool = next(prompts_)
        edited = await ask(sdk, thread_id, text, FAST, checkpoint=before_question["checkpoint"])
        saved = await saved_messages(sdk, thread_id)
        assert_answered_with(turn_of(saved, edited["id"]), tool)
        kept = [m["id"] for m in before_question["values"]["messages"]]
        assert [m["id"] for m in saved[: len(kept)]] == kept, "the edit keeps what came before"

        # Regenerate: no input, from the checkpoint right after the last question.
        history = await sdk.threads.get_history(thread_id, limit=20)
        after_question = next(
            h
            for h in history
            if h["next"] == ["agent"] and h["values"]["messages"][-1]["id"] == edited["id"]
        )
        await sdk.runs.wait(
            thread_id, "agent", input=None, checkpoint=after_question["checkpoint"], context=FAST
        )
        assert_answered_with(turn_of(await saved_messages(sdk, thread_id), edited["id"]), tool)

    for text, tool in islice(prompts_, 6):
        await tool_turn(sdk, thread_id, text, tool)
    saved = await saved_messages(sdk, thread_id)
    assert thread_problem(saved) is None
    runs = await sdk.runs.list(thread_id, limit=100)
    assert sorted({r["status"] for r in runs}) == ["interrupted", "success"]
