"""The agent's tools: their phases and their (made-up but deterministic) results.

Deterministic so that demos and tests are repeatable; how progress is reported and paced is
:mod:`agent.progress`.
"""

from __future__ import annotations

import logging
import zlib

from langchain_core.tools import BaseTool

from agent.models import log_failure
from agent.progress import Phase, ProgressTool, build

logger = logging.getLogger(__name__)

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


def _weather_phases(city: str) -> list[Phase]:
    return [Phase("querying", 0, f"Looking up {city}"), Phase("done", 100, f"Got {city}")]


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


def _analysis_phases(name: str) -> list[Phase]:
    return [
        Phase("loading", 0, f"Loading dataset {name}"),
        Phase("loading", 20, "Reading rows"),
        Phase("cleaning", 40, "Dropping duplicates and empty rows"),
        Phase("analyzing", 60, "Computing statistics"),
        Phase("analyzing", 80, "Looking for trends"),
        Phase("summarizing", 100, "Analysis complete"),
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


def _report_phases(topic: str) -> list[Phase]:
    return [
        Phase("outlining", 0, f"Outlining a report on {topic}"),
        Phase("drafting", 25, "Drafting the summary"),
        Phase("drafting", 50, "Drafting the findings"),
        Phase("drafting", 75, "Drafting the recommendations"),
        Phase("formatting", 100, "Report ready"),
    ]


def _report(topic: str) -> str:
    seed = _seed(topic)
    recommendation = ("focus on retention", "expand onboarding", "cut churn in week one")[seed % 3]
    return (
        f"Report on {topic}: 3 sections (summary, findings, recommendations); "
        f"key metric up {seed % 15 + 1}% this quarter; top recommendation: {recommendation}."
    )


TOOLS: list[BaseTool] = [
    build(
        ProgressTool(
            name="get_weather",
            description="Current weather for a city.",
            argument="city",
            argument_description="The city, as the user wrote it, e.g. 北京 or Paris.",
            phases=_weather_phases,
            result=_weather,
            pace=0.5,
        )
    ),
    build(
        ProgressTool(
            name="analyze_dataset",
            description="Analyse a named dataset (slow: loads, cleans and analyses it).",
            argument="name",
            argument_description="The dataset's name, e.g. sales or 用户数据.",
            phases=_analysis_phases,
            result=_analysis,
        )
    ),
    build(
        ProgressTool(
            name="generate_report",
            description="Write a short report on a topic (slow).",
            argument="topic",
            argument_description="What the report is about, e.g. Q3 sales or 运营.",
            phases=_report_phases,
            result=_report,
        )
    ),
]

TOOL_NAMES = [tool.name for tool in TOOLS]


def tool_error_message(exc: Exception) -> str:
    """What the model sees when a tool raises: enough to explain or retry, with no key and no
    stack trace (those go to the log), so the run answers instead of failing."""
    detail = log_failure(logger, "tool failed", exc)[:300] or "no detail"
    return f"Error: the tool failed ({type(exc).__name__}: {detail}). Tell the user; do not retry."
