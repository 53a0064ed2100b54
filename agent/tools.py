"""The agent's tools. Each reports live progress and has a sync and an async body.

The results are made up but deterministic, so demos and tests are repeatable.
"""

from __future__ import annotations

import zlib
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from langgraph.prebuilt import ToolRuntime

from agent.context import Context
from agent.progress import Step, arun_steps, run_steps

Runtime = ToolRuntime[Context, Any]

_KNOWN_WEATHER = {
    "北京": ("晴", 25),
    "上海": ("多云", 22),
    "广州": ("雷阵雨", 29),
    "paris": ("sunny", 18),
    "london": ("light rain", 12),
    "new york": ("clear", 16),
    "tokyo": ("cloudy", 20),
}
_CONDITIONS_ZH = ("晴", "多云", "阴", "小雨")
_CONDITIONS_EN = ("sunny", "cloudy", "overcast", "light rain")


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _seed(text: str) -> int:
    return zlib.crc32(text.strip().lower().encode())


def _step_delay(runtime: Runtime) -> float:
    return (runtime.context or Context()).tool_step_delay


def _weather_steps(city: str) -> list[Step]:
    return [Step("querying", 0, f"Looking up {city}"), Step("done", 100)]


def _weather(city: str) -> str:
    name = city.strip()
    chinese = _is_chinese(name)
    condition, temperature = _KNOWN_WEATHER.get(name.lower(), ("", 0))
    if not condition:
        seed = _seed(name)
        condition = (_CONDITIONS_ZH if chinese else _CONDITIONS_EN)[seed % 4]
        temperature = 5 + seed % 26
    if chinese:
        return f"{name}：{condition}，{temperature}°C"
    return f"{name}: {condition}, {temperature}°C"


def get_weather_sync(city: str, runtime: Runtime) -> str:
    """Current weather for a city."""
    run_steps("get_weather", _weather_steps(city), _step_delay(runtime) / 2, runtime.tool_call_id)
    return _weather(city)


async def get_weather_async(city: str, runtime: Runtime) -> str:
    """Current weather for a city."""
    await arun_steps(
        "get_weather", _weather_steps(city), _step_delay(runtime) / 2, runtime.tool_call_id
    )
    return _weather(city)


def _analysis_steps(name: str) -> list[Step]:
    return [
        Step("loading", 0, f"Loading dataset {name}"),
        Step("loading", 20, "Reading rows"),
        Step("cleaning", 40, "Dropping duplicates and empty rows"),
        Step("analyzing", 60, "Computing statistics"),
        Step("analyzing", 80, "Looking for trends"),
        Step("summarizing", 100, "Analysis complete"),
    ]


def _analysis(name: str) -> str:
    seed = _seed(name)
    rows = 1_000 + seed % 9_000
    growth = (seed >> 8) % 40 - 10
    active = 40 + (seed >> 16) % 50
    return (
        f"Dataset '{name}': {rows} rows; {active}% active in the last 30 days; "
        f"month-over-month growth {growth:+d}%."
    )


def analyze_dataset_sync(name: str, runtime: Runtime) -> str:
    """Analyse a named dataset (slow: loads, cleans and analyses it, reporting progress)."""
    run_steps("analyze_dataset", _analysis_steps(name), _step_delay(runtime), runtime.tool_call_id)
    return _analysis(name)


async def analyze_dataset_async(name: str, runtime: Runtime) -> str:
    """Analyse a named dataset (slow: loads, cleans and analyses it, reporting progress)."""
    await arun_steps(
        "analyze_dataset", _analysis_steps(name), _step_delay(runtime), runtime.tool_call_id
    )
    return _analysis(name)


def _report_steps(topic: str) -> list[Step]:
    return [
        Step("outlining", 0, f"Outlining a report on {topic}"),
        Step("drafting", 25, "Drafting the summary"),
        Step("drafting", 50, "Drafting the findings"),
        Step("drafting", 75, "Drafting the recommendations"),
        Step("formatting", 100, "Report ready"),
    ]


def _report(topic: str) -> str:
    seed = _seed(topic)
    return (
        f"Report on {topic}: 3 sections (summary, findings, recommendations); "
        f"key metric up {seed % 15 + 1}% this quarter; top recommendation: "
        f"{('focus on retention', 'expand onboarding', 'cut churn in week one')[seed % 3]}."
    )


def generate_report_sync(topic: str, runtime: Runtime) -> str:
    """Write a short report on a topic (slow, reporting progress)."""
    run_steps("generate_report", _report_steps(topic), _step_delay(runtime), runtime.tool_call_id)
    return _report(topic)


async def generate_report_async(topic: str, runtime: Runtime) -> str:
    """Write a short report on a topic (slow, reporting progress)."""
    await arun_steps(
        "generate_report", _report_steps(topic), _step_delay(runtime), runtime.tool_call_id
    )
    return _report(topic)


def _tool(name: str, func: Any, coroutine: Any) -> BaseTool:
    return StructuredTool.from_function(func=func, coroutine=coroutine, name=name)


TOOLS: list[BaseTool] = [
    _tool("get_weather", get_weather_sync, get_weather_async),
    _tool("analyze_dataset", analyze_dataset_sync, analyze_dataset_async),
    _tool("generate_report", generate_report_sync, generate_report_async),
]
