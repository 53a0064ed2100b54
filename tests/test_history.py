"""History repair: what the model is sent after a stop, a client's extra tool messages, etc."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.history import CANCELLED_TEXT, repair_tool_history, tool_history_problem

pytestmark = pytest.mark.unit  # no server, no browser: `make unit`


def call(call_id: str) -> dict[str, object]:
    return {"name": "get_weather", "args": {"city": "x"}, "id": call_id}


def test_unanswered_calls_get_a_cancelled_result_in_order() -> None:
    history = [
        HumanMessage("hi"),
        AIMessage("", tool_calls=[call("a"), call("b")]),
        HumanMessage("?"),
    ]
    assert tool_history_problem(history) is not None

    repaired = repair_tool_history(history)

    assert [type(m).__name__ for m in repaired] == [
        "HumanMessage",
        "AIMessage",
        "ToolMessage",
        "ToolMessage",
        "HumanMessage",
    ]
    assert [m.tool_call_id for m in repaired if isinstance(m, ToolMessage)] == ["a", "b"]
    assert all(m.text == CANCELLED_TEXT for m in repaired if isinstance(m, ToolMessage))
    assert tool_history_problem(repaired) is None


def test_duplicate_and_orphan_tool_messages_are_dropped() -> None:
    history = [
        HumanMessage("hi"),
        AIMessage("", tool_calls=[call("a")]),
        ToolMessage("synthetic", tool_call_id="a"),
        ToolMessage("real", tool_call_id="a"),
        ToolMessage("orphan", tool_call_id="zzz"),
        AIMessage("done"),
    ]

    repaired = repair_tool_history(history)

    assert [m.text for m in repaired] == ["hi", "", "synthetic", "done"]
    assert tool_history_problem(repaired) is None


def test_a_valid_history_is_unchanged() -> None:
    history = [
        HumanMessage("hi"),
        AIMessage("", tool_calls=[call("a")]),
        ToolMessage("sunny", tool_call_id="a"),
        AIMessage("It is sunny."),
    ]

    assert repair_tool_history(history) == history
