"""The agent's tools: their phases and their (made-up but deterministic) results.

Deterministic so that demos and tests are repeatable: the same arguments give the same data in
every language (北京 and Beijing have one weather), written in the language of the question
(:mod:`agent.language`). How progress is reported and paced is :mod:`agent.progress`.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from langchain_core.tools import BaseTool

from agent.language import Language
from agent.models import log_failure
from agent.progress import Phase, build

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _City:
    zh: str
    en: str
    condition: int
    """Index into ``_CONDITIONS``."""
    temperature: int


_CONDITIONS = (
    ("晴", "sunny"),
    ("多云", "cloudy"),
    ("阴", "overcast"),
    ("小雨", "light rain"),
    ("雷阵雨", "thunderstorms"),
    ("晴朗", "clear"),
)
_CITIES = [
    _City("北京", "Beijing", 0, 25),
    _City("上海", "Shanghai", 1, 22),
    _City("广州", "Guangzhou", 4, 29),
    _City("巴黎", "Paris", 0, 18),
    _City("伦敦", "London", 3, 12),
    _City("纽约", "New York", 5, 16),
    _City("东京", "Tokyo", 1, 20),
]
_KNOWN = {name.lower(): city for city in _CITIES for name in (city.zh, city.en)}
"""A known city by either of its names: 北京 and Beijing have the same weather."""


def _seed(text: str) -> int:
    return zlib.crc32(text.strip().lower().encode())


def _city(name: str, language: Language) -> tuple[str, int, int]:
    """The city's name in ``language`` (an unknown one as written), its condition's index and
    its temperature: the same in every language."""
    if city := _KNOWN.get(name.strip().lower()):
        return (city.zh if language == "zh" else city.en), city.condition, city.temperature
    seed = _seed(name)
    return name.strip(), seed % 4, 5 + seed % 26


def get_weather(
    city: Annotated[str, "The city, as the user wrote it, e.g. 北京 or Paris."], language: Language
) -> str:
    """Current weather for a city."""
    name, condition, temperature = _city(city, language)
    zh, en = _CONDITIONS[condition]
    if language == "zh":
        return f"{name}：{zh}，{temperature}°C"
    return f"{name}: {en}, {temperature}°C"


_PHASES = {
    # phase, note in Chinese, note in English ({}: the argument), 2+ spaces apart; the
    # progress of each phase is spread evenly from 0 to 100.
    "get_weather": """
        querying     正在查询{}               Looking up {}
        done         已获取{}                 Got {}
    """,
    "analyze_dataset": """
        loading      正在加载数据集「{}」     Loading dataset {}
        loading      读取数据行               Reading rows
        cleaning     删除重复行和空行         Dropping duplicates and empty rows
        analyzing    计算统计数据             Computing statistics
        analyzing    寻找趋势                 Looking for trends
        summarizing  分析完成                 Analysis complete
    """,
    "generate_report": """
        outlining    正在拟定「{}」报告的提纲  Outlining a report on {}
        drafting     撰写摘要                 Drafting the summary
        drafting     撰写发现                 Drafting the findings
        drafting     撰写建议                 Drafting the recommendations
        formatting   报告已完成               Report ready
    """,
}


def _table(text: str) -> list[tuple[str, str, str]]:
    rows = [re.split(r"\s{2,}", line.strip()) for line in text.strip().splitlines()]
    return [(phase, zh, en) for phase, zh, en in rows]


_STEPS = {tool: _table(text) for tool, text in _PHASES.items()}


def phases_of(tool: str) -> Callable[[str, Language], list[Phase]]:
    """The phases ``tool`` walks through, their notes in the question's language about the
    argument (a city in that language's name)."""
    steps = _STEPS[tool]

    def phases(argument: str, language: Language) -> list[Phase]:
        if tool == "get_weather":
            argument = _city(argument, language)[0]
        return [
            Phase(
                phase,
                100 * index // (len(steps) - 1),
                (zh if language == "zh" else en).format(argument),
            )
            for index, (phase, zh, en) in enumerate(steps)
        ]

    return phases


def analyze_dataset(
    name: Annotated[str, "The dataset's name, e.g. sales or 用户数据."], language: Language
) -> str:
    """Analyse a named dataset (slow: loads, cleans and analyses it)."""
    seed = _seed(name)
    rows = 1_000 + seed % 9_000
    growth = (seed >> 8) % 40 - 10
    active = 40 + (seed >> 16) % 50
    if language == "zh":
        return (
            f"数据集「{name}」：{rows} 行；最近 30 天活跃用户占 {active}%；环比增长 {growth:+d}%。"
        )
    return (
        f"Dataset '{name}': {rows} rows; {active}% active in the last 30 days; "
        f"month-over-month growth {growth:+d}%."
    )


_RECOMMENDATIONS = (
    ("聚焦留存", "focus on retention"),
    ("扩大新用户引导", "expand onboarding"),
    ("降低首周流失", "cut churn in week one"),
)


def generate_report(
    topic: Annotated[str, "What the report is about, e.g. Q3 sales or 运营."], language: Language
) -> str:
    """Write a short report on a topic (slow)."""
    seed = _seed(topic)
    zh, en = _RECOMMENDATIONS[seed % 3]
    if language == "zh":
        return (
            f"「{topic}」报告：3 个部分（摘要、发现、建议）；本季度关键指标上升 {seed % 15 + 1}%；"
            f"首要建议：{zh}。"
        )
    return (
        f"Report on {topic}: 3 sections (summary, findings, recommendations); "
        f"key metric up {seed % 15 + 1}% this quarter; top recommendation: {en}."
    )


TOOLS: list[BaseTool] = [
    build(get_weather, phases_of("get_weather"), pace=0.5),
    build(analyze_dataset, phases_of("analyze_dataset")),
    build(generate_report, phases_of("generate_report")),
]

TOOL_NAMES = [tool.name for tool in TOOLS]


def tool_error_message(exc: Exception) -> str:
    """What the model sees when a tool raises: enough to explain or retry, with no key and no
    stack trace (those go to the log), so the run answers instead of failing."""
    detail = log_failure(logger, "tool failed", exc)[:300] or "no detail"
    return f"Error: the tool failed ({type(exc).__name__}: {detail}). Tell the user; do not retry."
