"""What the offline model says: a deterministic reading of the conversation.

Understands the tutorial's prompts in Chinese and English (weather in a city, analyse a
dataset, write a report) and answers anything else with a short streamed reply, in the
question's language (:mod:`agent.language`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolCall, ToolMessage
from langchain_core.messages.tool import tool_call

from agent.attachment_notes import attachment_notes
from agent.history import declined_reason
from agent.language import language_of, last_question

_CJK = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]{{1,2}}|\s*[^\s{_CJK}]+|\s+")
_ZH_FILLERS = re.compile(r"今天|明天|现在|目前|请问|帮我|查询|查一下|一下|看看|的")
_MAX_COUNT = 10_000
_REPORT_FILLERS = re.compile(
    r"\b(?:a|an|the|me|us|please|write|generate|make|create|draft|new|short)\b\s*", re.I
)


@dataclass(frozen=True)
class Reply:
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)


def tokenize(text: str) -> list[str]:
    """Split into word-sized pieces (two CJK characters at most) that join back to ``text``."""
    return _TOKEN.findall(text)


def plan_reply(messages: Sequence[BaseMessage], tool_names: Collection[str]) -> Reply:
    """Decide the next assistant turn from the conversation so far (read from its end)."""
    asked = last_question(messages)
    question = messages[asked].text if asked is not None else ""
    if messages and isinstance(messages[-1], ToolMessage):
        results = _trailing_results(messages)
        calling = messages[-len(results) - 1] if len(results) < len(messages) else None
        made = calling.tool_calls if isinstance(calling, AIMessage) else []
        return Reply(text=_answer_from_results(results, made, question))
    calls = _tool_calls_for(question, tool_names)
    if not calls:
        content = messages[asked].content if asked is not None else ""
        notes = attachment_notes(content, language_of(question) == "zh")
        answer = _plain_answer(question) if question.strip() or not notes else ""
        return Reply(text="\n\n".join(filter(None, [notes, answer])))
    where = [asked, messages[asked].id if asked is not None else None, question]
    return Reply(
        tool_calls=[_planned(where, i, name, args) for i, (name, args) in enumerate(calls)]
    )


def _planned(where: list[Any], index: int, name: str, args: dict[str, Any]) -> ToolCall:
    """A call id from the question's place, id and text and the call itself: the same for the
    same conversation, and unique in a thread (a question's place holds one question per
    branch) without reading more of it."""
    key = json.dumps([*where, index, name, args], ensure_ascii=False)
    return tool_call(
        name=name, args=args, id=f"call_{hashlib.sha256(key.encode()).hexdigest()[:24]}"
    )


def _trailing_results(messages: Sequence[BaseMessage]) -> list[ToolMessage]:
    results: list[ToolMessage] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        results.append(message)
    return results[::-1]


def _tool_calls_for(question: str, tool_names: Collection[str]) -> list[tuple[str, dict[str, Any]]]:
    """One call per city asked about (parallel calls), else one call of the first tool that
    fits, else none."""
    if "get_weather" in tool_names and (cities := _weather_cities(question)):
        return [("get_weather", {"city": city}) for city in cities]
    if "analyze_dataset" in tool_names and (dataset := _dataset_name(question)):
        return [("analyze_dataset", {"name": dataset})]
    if "generate_report" in tool_names and (topic := _report_topic(question)):
        return [("generate_report", {"topic": topic})]
    return []


def _weather_cities(text: str) -> list[str]:
    if found := re.search(r"([\u4e00-\u9fff、，,]{1,24}?)(?:的)?(?:天气|气温)", text):
        places = re.split(r"[和与及、，,]", _ZH_FILLERS.sub("", found.group(1)))
        return [place for place in places if place]
    found = re.search(
        r"\bweather\b.*?\b(?:in|at|for)\s+([A-Za-z][A-Za-z .,'-]*?)\s*"
        r"(?:[?.!]|\btoday\b|\btomorrow\b|\bnow\b|\bright now\b|$)",
        text,
        re.IGNORECASE,
    )
    if not found:
        return []
    places = re.split(r"\s*(?:,|\band\b)\s*", found.group(1), flags=re.IGNORECASE)
    return [place.strip().title() for place in places if place.strip()]


def _dataset_name(text: str) -> str | None:
    if found := re.search(r"分析([\u4e00-\u9fff\w]{1,16})", text):
        return found.group(1)
    found = re.search(
        r"\banaly[sz]e\s+(?:the\s+|my\s+|our\s+)?([\w-]+(?:\s+[\w-]+){0,2}?)"
        r"(?:\s+(?:dataset|data set|table))?\s*(?:[?.!,]|\bplease\b|$)",
        text,
        re.IGNORECASE,
    )
    return found.group(1).lower() if found else None


def _report_topic(text: str) -> str | None:
    if found := re.search(r"(?:生成|写)(?:一份|一个)?([\u4e00-\u9fff\w]{0,16}?)报告", text):
        return found.group(1) or "运营"
    if found := re.search(r"\breport\s+(?:on|about|for)\s+([^?.!]+)", text, re.IGNORECASE):
        return found.group(1).strip()
    if found := re.search(r"\b((?:[\w-]+\s+){0,3})report\b", text, re.IGNORECASE):
        topic = re.sub(_REPORT_FILLERS, "", found.group(1).strip())
        return topic.strip() or "operations"
    return None


def _answer_from_results(
    results: Sequence[ToolMessage], calls: Sequence[ToolCall], question: str
) -> str:
    """The results that came back, then the calls a person declined (and why), not as
    results: in the question's language."""
    zh = language_of(question) == "zh"
    found = [f"- {r.text}" for r in results if declined_reason(r) is None]
    labels = {call["id"]: _label(call) for call in calls}
    declined = [
        _declined(labels.get(r.tool_call_id) or r.name or "", reason, zh)
        for r in results
        if (reason := declined_reason(r)) is not None
    ]
    parts = []
    if found:
        parts.append("好的，这是工具返回的结果：" if zh else "Here is what I found:")
        parts.append("\n".join(found))
    if declined:
        parts.append(("" if found else "好的，" if zh else "OK. ") + " ".join(declined))
    if zh:
        parts.append("还想了解其他城市的天气、分析别的数据，或生成一份报告吗？")
    else:
        parts.append("Want the weather somewhere else, another dataset analysed, or a report?")
    return "\n\n".join(parts)


def _label(call: ToolCall) -> str:
    """``get_weather(北京)``: a call as the person saw it."""
    return f"{call['name']}({', '.join(str(value) for value in call['args'].values())})"


def _declined(label: str, reason: str, zh: bool) -> str:
    if zh:
        because = f"（理由：{reason}）" if reason else ""
        return f"你拒绝了 {label}{because}，所以它没有运行。"
    because = f" (your reason: {reason})" if reason else ""
    return f"You declined {label}{because}, so it did not run."


def _plain_answer(question: str) -> str:
    if found := re.search(r"(?:count to|数到)\s*(\d+)", question, re.IGNORECASE):
        return " ".join(str(n) for n in range(1, min(int(found.group(1)), _MAX_COUNT) + 1))
    quoted = question.strip() or "(empty)"
    if language_of(question) == "zh":
        return (
            f"你问的是：「{quoted}」。我是离线演示模型，不联网，所以没法真正回答这个问题，"
            "但可以演示流式输出和工具进度。试试：\n\n"
            "- 北京天气如何？\n- 分析用户数据\n- 生成运营报告"
        )
    return (
        f"You asked: “{quoted}”. I'm the offline demo model, so I can't really answer that, "
        "but I can show streaming and live tool progress. Try:\n\n"
        "- What's the weather in Paris?\n- Analyze the sales dataset\n"
        "- Generate a report on Q3 sales"
    )


def as_ai_message(reply: Reply) -> AIMessage:
    return AIMessage(content=reply.text, tool_calls=reply.tool_calls)
