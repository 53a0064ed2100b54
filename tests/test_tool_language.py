"""The tools write in the question's language (results and progress notes), whoever made the
call; one city has one weather in every language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END, START, StateGraph

from agent.context import Context
from agent.language import language_of
from agent.state import State
from agent.tools_node import tools_node

pytestmark = pytest.mark.unit

FAST: dict[str, Any] = {"model": "offline", "offline_token_delay": 0, "tool_step_delay": 0}
_tools = StateGraph(State, context_schema=Context)
_tools.add_node("tools", tools_node)
_tools.add_edge(START, "tools")
_tools.add_edge("tools", END)
tools_only = _tools.compile()
"""The agent's own tools node, run on a conversation whose calls a test writes."""


async def run_tool(question: str, name: str, args: dict[str, str]) -> tuple[str, list[str]]:
    """The result and progress notes of one call made after ``question``."""
    call = {"name": name, "args": args, "id": "c1"}
    parts = [
        part
        async for part in tools_only.astream(
            {"messages": [HumanMessage(question), AIMessage("", tool_calls=[call])]},
            context=FAST,
            stream_mode=["custom", "values"],
        )
    ]
    notes = [data["message"] for mode, data in parts if mode == "custom"]
    return parts[-1][1]["messages"][-1].text, notes


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("北京天气如何？", "zh"),
        ("分析 sales 数据集", "zh"),
        ("What does 你好 mean?", "en"),
        ("Analyze the sales dataset", "en"),
        ("", "en"),
    ],
)
def test_a_question_is_in_the_language_most_of_it_is_in(text: str, language: str) -> None:
    assert language_of(text) == language


@pytest.mark.parametrize(
    ("question", "name", "args"),
    [
        ("分析用户数据", "analyze_dataset", {"name": "用户数据"}),
        ("分析 sales 数据集", "analyze_dataset", {"name": "sales"}),
        ("生成运营报告", "generate_report", {"topic": "运营"}),
        ("北京天气如何？", "get_weather", {"city": "Beijing"}),
        ("Analyze the sales dataset", "analyze_dataset", {"name": "sales"}),
        ("Generate a report on Q3 sales", "generate_report", {"topic": "Q3 sales"}),
        ("What's the weather in Beijing?", "get_weather", {"city": "北京"}),
    ],
)
async def test_results_and_progress_follow_the_question(
    question: str, name: str, args: dict[str, str]
) -> None:
    result, notes = await run_tool(question, name, args)

    wanted = language_of(question)
    assert notes and [language_of(note) for note in notes] == [wanted] * len(notes), notes
    assert language_of(result) == wanted, result


async def test_a_chinese_question_gets_chinese_results_through_the_graph() -> None:
    """The issue's case: the model plans the call, the tool answers, the model presents it."""
    from agent.graph import graph

    state = await graph.ainvoke({"messages": [HumanMessage("分析用户数据")]}, context=FAST)

    result, answer = state["messages"][-2].text, state["messages"][-1].text
    assert result.startswith("数据集「用户数据」：") and "rows" not in result
    assert result in answer


WEATHER = re.compile(r"^(?P<city>.+?)[：:]\s?(?P<condition>.+?)[，,]\s?(?P<degrees>-?\d+)°C$")
CITIES = [
    ("北京", "Beijing"),
    ("上海", "Shanghai"),
    ("广州", "Guangzhou"),
    ("巴黎", "Paris"),
    ("伦敦", "London"),
    ("纽约", "New York"),
    ("东京", "Tokyo"),
]


ASKED = {"zh": "天气如何？", "en": "What's the weather?"}


async def weather(language: str, city: str) -> tuple[str, str, str]:
    """The city's name, condition and temperature, asked in ``language``."""
    result, _ = await run_tool(ASKED[language], "get_weather", {"city": city})
    found = WEATHER.fullmatch(result)
    assert found, city
    return found["city"], found["condition"], found["degrees"]


@pytest.mark.parametrize(("zh", "en"), CITIES)
async def test_a_city_has_one_weather_in_every_language(zh: str, en: str) -> None:
    chinese = {await weather("zh", zh), await weather("zh", en)}
    english = {await weather("en", zh), await weather("en", en)}

    assert len(chinese) == len(english) == 1, (chinese, english)
    [(zh_name, zh_condition, zh_degrees)] = chinese
    [(en_name, en_condition, en_degrees)] = english
    assert (zh_name, en_name) == (zh, en) and zh_degrees == en_degrees
    assert language_of(zh_condition) == "zh" and language_of(en_condition) == "en"


async def test_an_unknown_city_keeps_its_weather_across_languages() -> None:
    _, zh_condition, zh_degrees = await weather("zh", "Reykjavik")
    _, en_condition, en_degrees = await weather("en", "Reykjavik")

    assert zh_degrees == en_degrees
    pairs = {("晴", "sunny"), ("多云", "cloudy"), ("阴", "overcast"), ("小雨", "light rain")}
    assert (zh_condition, en_condition) in pairs
