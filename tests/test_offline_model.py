"""The offline model: intents in Chinese and English, a declined call said as such, streamed
tool-call shapes, determinism."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from agent.graph import builder
from agent.history import declined_result
from agent.intents import tokenize
from agent.offline import OfflineChatModel
from agent.tools import TOOLS

pytestmark = pytest.mark.unit  # no server, no browser: `make unit`

model = OfflineChatModel(token_delay=0).bind_tools(TOOLS)
FAST: dict[str, Any] = {"model": "offline", "offline_token_delay": 0, "tool_step_delay": 0}


@pytest.mark.parametrize(
    ("question", "tool", "args"),
    [
        ("北京天气如何？", "get_weather", {"city": "北京"}),
        ("请问上海今天的天气怎么样", "get_weather", {"city": "上海"}),
        ("What's the weather in Paris?", "get_weather", {"city": "Paris"}),
        ("what is the weather like in new york today", "get_weather", {"city": "New York"}),
        ("分析用户数据", "analyze_dataset", {"name": "用户数据"}),
        ("Please analyze the sales dataset", "analyze_dataset", {"name": "sales"}),
        ("生成运营报告", "generate_report", {"topic": "运营"}),
        ("Generate a report on Q3 sales", "generate_report", {"topic": "Q3 sales"}),
        ("analyze the user data", "analyze_dataset", {"name": "user data"}),
        ("generate a report", "generate_report", {"topic": "operations"}),
        ("write me a short sales report", "generate_report", {"topic": "sales"}),
    ],
)
def test_intents_call_the_right_tool(question: str, tool: str, args: dict[str, str]) -> None:
    reply = model.invoke([HumanMessage(question)])

    assert isinstance(reply, AIMessage)
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [(tool, args)]
    assert reply.content == ""


@pytest.mark.parametrize(
    ("question", "cities"),
    [
        ("北京和上海的天气如何？", ["北京", "上海"]),
        ("What's the weather in Paris and London?", ["Paris", "London"]),
        ("weather in Paris, London and Tokyo", ["Paris", "London", "Tokyo"]),
    ],
)
def test_several_cities_are_parallel_calls(question: str, cities: list[str]) -> None:
    reply = model.invoke([HumanMessage(question)])

    assert [c["args"]["city"] for c in reply.tool_calls] == cities
    assert len({c["id"] for c in reply.tool_calls}) == len(cities)


@pytest.mark.parametrize(
    ("question", "expected"),
    [("搜索活跃用户", "搜索活跃用户"), ("Tell me a joke", "Tell me a joke")],
)
def test_other_questions_get_an_answer_that_addresses_them(question: str, expected: str) -> None:
    reply = model.invoke([HumanMessage(question)])

    assert not reply.tool_calls
    assert expected in reply.text
    assert ("离线" in reply.text) == (question == "搜索活跃用户")


def test_without_bound_tools_it_answers_in_text() -> None:
    reply = OfflineChatModel(token_delay=0).invoke([HumanMessage("北京天气如何？")])

    assert not reply.tool_calls and reply.text


def test_answer_uses_the_tool_result_in_the_users_language() -> None:
    call = {"name": "get_weather", "args": {"city": "北京"}, "id": "c1"}
    history = [
        HumanMessage("北京天气如何？"),
        AIMessage("", tool_calls=[call]),
        ToolMessage("北京：晴，25°C", tool_call_id="c1"),
    ]

    reply = model.invoke(history)

    assert "北京：晴，25°C" in reply.text and "结果" in reply.text and not reply.tool_calls


def declined_turn(question: str, reason: str) -> list[Any]:
    """A question whose call a person rejected (agent.approval): its result says so."""
    call = {"name": "get_weather", "args": {"city": "北京"}, "id": "c1"}
    return [
        HumanMessage(question),
        AIMessage("", tool_calls=[call]),
        declined_result("c1", "get_weather", reason),
    ]


@pytest.mark.parametrize(
    ("question", "reason", "says"),
    [
        (
            "北京天气如何？",
            "not now",
            "你拒绝了 get_weather(北京)（理由：not now），所以它没有运行。",
        ),
        ("北京天气如何？", "", "你拒绝了 get_weather(北京)，所以它没有运行。"),
        ("Weather in Beijing?", "not now", "You declined get_weather(北京) (your reason: not now)"),
    ],
    ids=["zh", "zh-no-reason", "en"],
)
def test_a_declined_call_is_said_to_be_declined_not_shown_as_a_result(
    question: str, reason: str, says: str
) -> None:
    answer = model.invoke(declined_turn(question, reason)).text

    assert says in answer
    assert "The user declined" not in answer
    assert "工具返回的结果" not in answer and "Here is what I found" not in answer


def test_results_and_declined_calls_of_one_step_are_told_apart() -> None:
    calls = [
        {"name": "get_weather", "args": {"city": "北京"}, "id": "c1"},
        {"name": "get_weather", "args": {"city": "上海"}, "id": "c2"},
    ]
    history = [
        HumanMessage("北京和上海的天气如何？"),
        AIMessage("", tool_calls=calls),
        ToolMessage("北京：晴，25°C", tool_call_id="c1", name="get_weather"),
        declined_result("c2", "get_weather", "only Beijing"),
    ]

    answer = model.invoke(history).text

    assert "好的，这是工具返回的结果：\n\n- 北京：晴，25°C\n\n" in answer
    assert "你拒绝了 get_weather(上海)（理由：only Beijing）" in answer
    assert "declined" not in answer


async def test_a_reject_through_the_graph_is_answered_in_the_questions_language() -> None:
    graph = builder.compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "t"}}
    context = {**FAST, "approve_tools": ["get_weather"]}
    await graph.ainvoke({"messages": [HumanMessage("北京天气如何？")]}, config, context=context)

    reject = {"decisions": [{"type": "reject", "message": "不用了"}]}
    state = await graph.ainvoke(Command(resume=reject), config, context=context)

    declined, answer = state["messages"][-2], state["messages"][-1]
    assert declined.artifact == {"declined": True}
    assert answer.text.startswith(
        "好的，你拒绝了 get_weather(北京)（理由：不用了），所以它没有运行。"
    )


def test_tool_calls_stream_name_first_then_args_in_pieces() -> None:
    chunks = list(model.stream([HumanMessage("analyze the sales dataset")]))

    pieces = [tc for c in chunks for tc in c.tool_call_chunks]
    assert pieces[0]["name"] == "analyze_dataset" and pieces[0]["id"].startswith("call_")
    assert pieces[0]["args"] == ""
    assert len(pieces) >= 3 and all(p["name"] is None and p["id"] is None for p in pieces[1:])
    assert json.loads("".join(p["args"] for p in pieces)) == {"name": "sales"}
    assert chunks[-1].chunk_position == "last"
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged += chunk
    assert isinstance(merged, AIMessageChunk)
    assert merged.tool_calls[0]["args"] == {"name": "sales"}


async def test_text_streams_token_by_token_async() -> None:
    question = [HumanMessage("What can you do?")]
    chunks = [c async for c in model.astream(question)]

    texts = [c.text for c in chunks if c.text]
    assert len(texts) > 10
    assert "".join(texts) == model.invoke(question).text


def test_deterministic() -> None:
    question = [HumanMessage("北京天气如何？")]

    first = [(c.text, c.tool_call_chunks) for c in model.stream(question)]
    second = [(c.text, c.tool_call_chunks) for c in model.stream(question)]

    assert first == second


def test_rejects_an_unanswered_tool_call_like_openai() -> None:
    call = {"name": "get_weather", "args": {"city": "x"}, "id": "c1"}
    with pytest.raises(ValueError, match="not followed by their tool messages"):
        model.invoke([HumanMessage("hi"), AIMessage("", tool_calls=[call]), HumanMessage("again")])


@pytest.mark.parametrize("text", ["北京：晴，25°C。Hello, world!\n\n- a list", "", "  spaced  "])
def test_tokens_join_back(text: str) -> None:
    assert "".join(tokenize(text)) == text


def test_count_gives_a_long_answer() -> None:
    assert model.invoke([HumanMessage("count to 2000")]).text.split()[-1] == "2000"


async def test_the_graph_runs_async_and_says_so_when_called_sync() -> None:
    """Nodes and tools are async only (a stop cancels them at their next await): a sync caller
    gets LangGraph's message naming the async API."""
    from agent.graph import graph

    context = {"model": "offline", "offline_token_delay": 0.0, "tool_step_delay": 0.0}
    question = {"messages": [HumanMessage("生成运营报告")]}
    parts = [
        part
        async for part in graph.astream(
            question, context=context, stream_mode=["updates", "custom"]
        )
    ]

    assert [next(iter(c)) for m, c in parts if m == "updates"] == ["agent", "tools", "agent"]
    assert [c["progress"] for m, c in parts if m == "custom"] == [0, 25, 50, 75, 100]
    with pytest.raises(TypeError, match="invoke via the async API"):
        graph.invoke(question, context=context)


@pytest.mark.parametrize("question", ["count to 12", "北京天气如何？", "生成运营报告"])
def test_its_chunks_name_their_provider_and_read_as_unnamed_ones_do(question: str) -> None:
    """Named (as ChatOpenAI names "openai"), a chunk's content blocks come from one translator
    instead of every provider's parser in turn: the same blocks."""
    offline = OfflineChatModel(token_delay=0)
    names = {tool.name for tool in TOOLS}
    reply = offline._reply(
        [HumanMessage(question)], {"tools": [{"function": {"name": n}} for n in names]}
    )
    chunks = list(offline._chunks(reply))
    assert chunks and all(c.response_metadata == {"model_provider": "offline"} for c in chunks)
    for chunk in chunks:
        unnamed = AIMessageChunk(
            content=chunk.content,
            tool_call_chunks=chunk.tool_call_chunks,
            chunk_position=chunk.chunk_position,
        )
        assert chunk.content_blocks == unnamed.content_blocks
    whole = sum(chunks[1:], chunks[0])
    assert (
        whole.content_blocks
        == AIMessage(content=whole.content, tool_calls=whole.tool_calls).content_blocks
    )
