"""Input checks shared by the runs API (through the auth handlers) and the direct routes.

Everything is checked before any work starts, so refused input runs nothing and leaves the
thread as it was.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from agent.context import Context, env_number

SETTINGS = [f.name for f in fields(Context)]
DEFAULT_MAX_MESSAGE_CHARS = 32_000
# Message kinds a client may send, by LangChain `type` or OpenAI-style `role`.
_KINDS = {"human", "user", "ai", "assistant", "system", "tool"}
_SERVER_KEYS = {"thread_id", "run_id", "assistant_id", "graph_id", "cron_id", "user_id"}
_SERVER_KEYS |= {"checkpoint_id", "checkpoint_ns", "checkpoint_map"}


class InputError(ValueError):
    """Input a person must fix; the text says what and how."""


def max_message_chars() -> int:
    return env_number("AGENT_MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS, 1)


def load_json(text: str | bytes, what: str) -> Any:
    """Strict JSON: no NaN or Infinity, and nesting too deep for the parser is bad input too."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError, ValueError):
        raise InputError(f"{what} is not valid JSON") from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def check_text(value: object, name: str, limit: int, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string")
    if not allow_empty and not value.strip():
        raise InputError(f"{name} is empty: send some text")
    if len(value) > limit:
        raise InputError(f"{name} is {len(value)} characters long; the limit is {limit}")
    return value


def parse_context(raw: object) -> Context:
    """Per-run settings, as a dict or a JSON object in a string (a query parameter)."""
    if raw is None or raw == "":
        return Context()
    if isinstance(raw, str):
        raw = load_json(raw, "context")
    if not isinstance(raw, dict):
        raise InputError("context must be a JSON object of settings")
    if unknown := sorted(set(raw) - set(SETTINGS)):
        raise InputError(
            f"unknown setting(s) in context: {', '.join(map(str, unknown))}; "
            f"known: {', '.join(SETTINGS)}"
        )
    try:
        return Context(**raw)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def check_run(kwargs: Mapping[str, Any], limit: int) -> None:
    """A run's input must be ``{"messages": [...]}`` with string contents within the limit, the
    last one a non-empty human message; its settings (``context``, or the ``configurable``
    keys that name settings) must be known and in range. A resume (``command``) has no input."""
    if kwargs.get("command") is None:
        _check_input(kwargs.get("input"), limit)
    context = kwargs.get("context")
    config = kwargs.get("config")
    configurable = config.get("configurable") if isinstance(config, dict) else None
    if isinstance(configurable, dict) and configurable.get("__context_provided__"):
        parse_context(_without_server_keys(context))
    elif isinstance(context, dict):
        # The server mirrored ``config.configurable``, which is free-form, into the context.
        parse_context({k: v for k, v in context.items() if k in SETTINGS})


def _without_server_keys(context: object) -> object:
    """The context minus what the server and its protocols add (``thread_id``, ``__*``)."""
    if not isinstance(context, dict):
        return context
    return {
        k: v
        for k, v in context.items()
        if k not in _SERVER_KEYS and not str(k).startswith(("__", "langgraph_"))
    }


def _check_input(value: object, limit: int) -> None:
    shape = 'input must be {"messages": [{"role": "user", "content": "..."}]}'
    messages = value.get("messages") if isinstance(value, dict) else None
    if not isinstance(messages, list) or not messages:
        raise InputError(shape)
    for index, message in enumerate(messages):
        name = f"input.messages[{index}]"
        if not isinstance(message, dict):
            raise InputError(f"{name} must be an object with a role and a string content")
        kind = message.get("type", message.get("role"))
        if not isinstance(kind, str) or kind not in _KINDS:
            raise InputError(f"{name} has an unknown role {kind!r}: use user or assistant")
        last = index == len(messages) - 1
        # Assistant messages that only call tools have empty content.
        check_text(message.get("content"), f"{name}.content", limit, allow_empty=not last)
    if kind not in {"human", "user"}:  # the last message's
        raise InputError("the last input message must be the user's")
