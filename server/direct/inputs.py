"""Turn a direct request's query, history and settings into graph input, or say why not."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage

from agent.context import Context
from server.direct.limits import Limits
from server.validation import InputError, check_text, parse_context

_ROLES = {"user": HumanMessage, "assistant": AIMessage}


@dataclass(frozen=True)
class ChatRequest:
    messages: list[AnyMessage]
    context: Context


def parse_request(query: object, history: object, context: object, limits: Limits) -> ChatRequest:
    """``history`` is ``[{"role": "user"|"assistant", "content": str}, ...]`` before the query."""
    question = HumanMessage(check_text(query, "query", limits.max_message_chars))
    messages = [*_history(history, limits), question]
    return ChatRequest(messages=messages, context=parse_context(context))


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
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("role"), str)
            or item["role"] not in _ROLES
        ):
            raise InputError(f'messages[{index}].role must be "user" or "assistant"')
        content = check_text(
            item.get("content"), f"messages[{index}].content", limits.max_message_chars
        )
        history.append(_ROLES[item["role"]](content))
    return history
