"""Per-call work on a long thread: the history checks, the repair, the offline model's plan and
the state's merge read what changed since the last call, not the whole thread, and still say
what a reading of the whole thread says."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, SupportsIndex, cast, overload

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.callbacks import manager
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableLambda
from langgraph.graph.message import add_messages

import agent.state
from agent.graph import graph
from agent.history import cancelled_result, repair_tool_history, tool_history_problem
from agent.intents import plan_reply
from agent.state import add_messages_once

pytestmark = pytest.mark.unit


class Recording(list[BaseMessage]):
    """A list that counts the messages read from it, by index or by iterating. A slice from
    the start is a plain copy, not a read (a long history is handed on whole)."""

    def __init__(self, items: Any = (), reads: list[int] | None = None) -> None:
        super().__init__(items)
        self.reads = reads if reads is not None else [0]

    @overload
    def __getitem__(self, index: SupportsIndex) -> BaseMessage: ...
    @overload
    def __getitem__(self, index: slice) -> list[BaseMessage]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        if isinstance(index, slice):
            part = super().__getitem__(index)
            return part if not index.start else Recording(part, self.reads)
        self.reads[0] += 1
        return super().__getitem__(index)

    def __iter__(self) -> Iterator[BaseMessage]:
        for item in super().__iter__():
            self.reads[0] += 1
            yield item

    def __reversed__(self) -> Iterator[BaseMessage]:
        for index in range(len(self) - 1, -1, -1):
            yield self[index]

    @property
    def count(self) -> int:
        return self.reads[0]


PROMPTS = ["北京天气如何？", "分析用户数据", "生成运营报告", "Analyze the sales dataset"]


def thread(turns: int, prefix: str) -> list[BaseMessage]:
    messages: list[BaseMessage] = []
    for turn in range(turns):
        call = {"name": "get_weather", "args": {"city": "北京"}, "id": f"{prefix}-c{turn}"}
        messages += [
            HumanMessage(PROMPTS[turn % 4], id=f"{prefix}-h{turn}"),
            AIMessage("", tool_calls=[call], id=f"{prefix}-a{turn}"),
            ToolMessage("北京：晴，25°C", tool_call_id=call["id"], id=f"{prefix}-t{turn}"),
            AIMessage("好的", id=f"{prefix}-z{turn}"),
        ]
    return messages


def reads_for_next_turn(turns: int, prefix: str) -> dict[str, int]:
    """Messages read by each per-call step on the turn after ``turns`` turns, once the thread
    was seen (as each model call sees the previous call's thread)."""
    seen = thread(turns, prefix)
    repair_tool_history(seen)
    tool_history_problem(seen)
    history = Recording([*seen, HumanMessage("生成运营报告", id=f"{prefix}-next")])
    counts: dict[str, int] = {}
    for name, step in [
        ("repair", repair_tool_history),
        ("problem", tool_history_problem),
        ("plan", lambda m: plan_reply(m, {"generate_report"})),
    ]:
        history.reads[0] = 0
        step(history)
        counts[name] = history.count
    return counts


def test_each_check_reads_what_changed_not_the_thread() -> None:
    short, long = reads_for_next_turn(10, "short"), reads_for_next_turn(400, "long")

    assert short == long, "the same work at 10 and 400 turns"
    assert max(long.values()) <= 8, long


def test_the_merge_reads_what_changed_not_the_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = [0]
    monkeypatch.setattr(
        agent.state, "add_messages", lambda left, right: Recording(add_messages(left, right), reads)
    )
    counts = []
    for turns in (10, 400):
        history = thread(turns, f"merge{turns}")
        call = {"name": "get_weather", "args": {"city": "上海"}, "id": f"new{turns}"}
        history = add_messages_once(history, [HumanMessage("上海天气如何？")])
        history = list(add_messages_once(history, [AIMessage("", tool_calls=[call])]))
        reads[0] = 0  # what add_messages reads of ``left`` is upstream's
        merged = add_messages_once(history, [ToolMessage("上海：多云", tool_call_id=call["id"])])
        counts.append(reads[0])
        assert [type(m) for m in merged[-3:]] == [HumanMessage, AIMessage, ToolMessage]

    assert counts[0] == counts[1] and counts[1] <= 4, counts


def test_one_thread_never_vouches_for_another() -> None:
    """Two threads with a message of the same id at the same place (a client that numbers
    its messages): the first's complete history says nothing of the second's."""
    answered = {"name": "get_weather", "args": {"city": "x"}, "id": "c1"}
    stopped = {"name": "get_weather", "args": {"city": "y"}, "id": "c2"}
    complete = [
        HumanMessage("hi", id="1"),
        AIMessage("", tool_calls=[answered], id="2"),
        ToolMessage("sunny", tool_call_id="c1", id="3"),
        HumanMessage("again", id="4"),
    ]
    broken = [
        HumanMessage("hi", id="1"),
        AIMessage("", tool_calls=[stopped], id="2"),
        HumanMessage("never mind", id="3"),
        HumanMessage("again", id="4"),
    ]
    check = RunnableLambda(tool_history_problem)

    assert check.invoke(complete, {"configurable": {"thread_id": "a"}}) is None
    assert check.invoke(broken, {"configurable": {"thread_id": "b"}}) == whole_problem(broken)
    assert whole_problem(broken) is not None


def whole_repair(messages: list[BaseMessage]) -> list[BaseMessage]:
    """The repair as a reading of the whole history (the code before this change)."""
    answers: dict[str, BaseMessage] = {}
    for message in messages:
        if isinstance(message, ToolMessage):
            answers.setdefault(message.tool_call_id, message)
    repaired: list[BaseMessage] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            continue
        repaired.append(message)
        for call in message.tool_calls if isinstance(message, AIMessage) else []:
            call_id = call["id"] or ""
            repaired.append(answers.pop(call_id, None) or cancelled_result(call_id, call["name"]))
    return repaired


def whole_problem(messages: list[BaseMessage]) -> str | None:
    expected: list[str] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            if message.tool_call_id not in expected:
                return f"tool message {message.tool_call_id!r} does not answer a pending tool call"
            expected.remove(message.tool_call_id)
            continue
        if expected:
            return f"tool calls {expected} are not followed by their tool messages"
        if isinstance(message, AIMessage):
            expected = [call["id"] or "" for call in message.tool_calls]
    return None


def whole_merge(left: list[BaseMessage], right: list[BaseMessage]) -> list[BaseMessage]:
    calls: set[str] = set()
    answered: set[str] = set()
    merged: list[BaseMessage] = []
    for message in cast(list[BaseMessage], add_messages(left, right)):
        if isinstance(message, AIMessage):
            calls.update(call["id"] or "" for call in message.tool_calls)
        elif isinstance(message, ToolMessage):
            if message.tool_call_id not in calls or message.tool_call_id in answered:
                continue
            answered.add(message.tool_call_id)
        merged.append(message)
    return merged


# A thread grown by writes of one to three messages: questions, answers, calls (fresh ids),
# results for any call made so far or for none, and a question's text replaced by its id.
WRITE = st.lists(
    st.tuples(
        st.sampled_from(["human", "answer", "call", "result", "orphan", "replace"]),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(WRITE, min_size=1, max_size=25))
def test_reading_what_changed_says_what_the_whole_thread_says(
    writes: list[list[tuple[str, int]]],
) -> None:
    stored: list[BaseMessage] = []
    calls: list[str] = []
    for write in writes:
        right: list[BaseMessage] = []
        for kind, pick in write:
            tag = uuid.uuid4().hex
            if kind == "human":
                right.append(HumanMessage(f"q{tag}", id=f"h{tag}"))
            elif kind == "answer":
                right.append(AIMessage(f"a{tag}"))
            elif kind == "call":
                made = [f"c{tag}-{i}" for i in range(1 + pick % 2)]
                calls += made
                right.append(
                    AIMessage("", tool_calls=[{"name": "t", "args": {}, "id": c} for c in made])
                )
            elif kind == "result" and calls:
                right.append(ToolMessage("r", tool_call_id=calls[-1 - pick % len(calls)]))
            elif kind == "orphan":
                right.append(ToolMessage("r", tool_call_id=f"none{tag}"))
            elif kind == "replace" and (
                asked := [m for m in stored if isinstance(m, HumanMessage)]
            ):
                right.append(HumanMessage("changed", id=asked[pick % len(asked)].id))
        expected = whole_merge(stored, right)
        stored = add_messages_once(stored, right)

        assert stored == expected
        assert repair_tool_history(stored) == whole_repair(stored)
        assert tool_history_problem(stored) == whole_problem(stored)
        asked = [*stored, HumanMessage("next", id=str(uuid.uuid4()))]
        assert tool_history_problem(asked) == whole_problem(asked)


async def test_a_model_call_does_not_render_the_conversation_as_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LangChain renders the whole history as text for a callback that lacks
    ``on_chat_model_start``, on every model call."""
    rendered: list[int] = []
    real = manager.get_buffer_string

    def counted(messages: Any, **kwargs: Any) -> str:
        rendered.append(len(messages))
        return real(messages, **kwargs)

    monkeypatch.setattr(manager, "get_buffer_string", counted)
    context = {"model": "offline", "offline_token_delay": 0, "tool_step_delay": 0}

    state = await graph.ainvoke({"messages": [HumanMessage("北京天气如何？")]}, context=context)

    assert "北京：晴，25°C" in state["messages"][-1].text
    assert rendered == []
