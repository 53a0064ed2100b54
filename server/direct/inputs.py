"""Turn a direct request's query, history and settings into graph input, or say why not.

The history is checked by the runs API's rules (:func:`server.run_checks.check_messages`), with
the same limits; a direct request keeps no thread, so it holds no tool calls to fit to one:
only user and assistant messages. The question is stamped with when it was accepted; the
history, stored nowhere, keeps no client-sent time (:mod:`agent.times`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from langchain_core.messages import AnyMessage, convert_to_messages

from agent.context import Context
from agent.times import now, stamp_raw, without_time
from server.limits import Limits
from server.run_checks import check_messages
from server.validation import InputError, check_text, parse_context


@dataclass(frozen=True)
class ChatRequest:
    messages: list[AnyMessage]
    context: Context


def parse_request(query: object, history: object, context: object, limits: Limits) -> ChatRequest:
    """``history`` is ``[{"role": "user"|"assistant", "content": ...}, ...]`` before the query."""
    question = {"role": "user", "content": check_text(query, "query", limits.message_chars)}
    if history is None:
        history = []
    if not isinstance(history, list):
        raise InputError('messages must be a list of {"role": ..., "content": ...} objects')
    raw = [*history, question]
    for checked in check_messages(raw, "messages", limits):
        if checked.kind not in ("human", "ai") or checked.calls:
            raise InputError(f'{checked.where} must be a "user" or "assistant" message')
    sent: list[Any] = [*(without_time(m) for m in history), stamp_raw(question, now())]
    messages = cast(list[AnyMessage], convert_to_messages(sent))
    return ChatRequest(messages=messages, context=parse_context(context))
