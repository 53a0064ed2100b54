"""Turn a request's query, history and settings into graph input, or a message saying why not.

Everything is checked before any work starts, so a refused request runs nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage

from agent.context import Context
from agent.direct.limits import Limits

_ROLES = {"user": HumanMessage, "assistant": AIMessage}
_SETTINGS = [f.name for f in fields(Context)]


class InputError(ValueError):
    """Input a person must fix; the text says what and how."""


@dataclass(frozen=True)
class ChatRequest:
    messages: list[AnyMessage]
    context: Context


def parse_request(query: object, history: object, context: object, limits: Limits) -> ChatRequest:
    """``history`` is ``[{"role": "user"|"assistant", "content": str}, ...]`` before the query."""
    messages = [*_history(history, limits), HumanMessage(_text(query, "query", limits))]
    return ChatRequest(messages=messages, context=parse_context(context))


def parse_context(raw: object) -> Context:
    """Per-answer settings, as a dict or a JSON object in a string (a query parameter)."""
    if raw is None or raw == "":
        return Context()
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise InputError("context must be a JSON object of settings") from None
    if not isinstance(raw, dict):
        raise InputError("context must be a JSON object of settings")
    if unknown := sorted(set(raw) - set(_SETTINGS)):
        raise InputError(
            f"unknown setting(s) in context: {', '.join(unknown)}; known: {', '.join(_SETTINGS)}"
        )
    try:
        return Context(**raw)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _text(value: object, name: str, limits: Limits) -> str:
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string")
    if not value.strip():
        raise InputError(f"{name} is empty: send some text")
    if len(value) > limits.max_message_chars:
        raise InputError(
            f"{name} is {len(value)} characters long; the limit is {limits.max_message_chars}"
        )
    return value


def _history(raw: object, limits: Limits) -> list[AnyMessage]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError('messages must be a list of {"role": ..., "content": ...} objects')
    if len(raw) > limits.max_history_messages:
        raise InputError(
            f"messages holds {len(raw)} items; the limit is {limits.max_history_messages}"
        )
    history: list[AnyMessage] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or item.get("role") not in _ROLES:
            raise InputError(f'messages[{index}].role must be "user" or "assistant"')
        content = _text(item.get("content"), f"messages[{index}].content", limits)
        history.append(_ROLES[item["role"]](content))
    return history
