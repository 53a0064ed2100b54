"""What the runs API accepts as a run, checked before the run is queued.

Accepted is what LangGraph and LangChain clients send: messages in ``role`` or ``type`` form,
string content or content-block lists (text, images, files), ``{"messages": "<text>"}`` (MCP),
and ``input: null`` or ``{}`` to continue, resume (``command``) or replay from a
``checkpoint``. Refused with a message (HTTP 422, nothing queued, the thread unchanged) is only
what would break the thread or overload the server: empty or oversized text, too many messages
or characters, a new turn that does not end with the user's message, malformed tool calls, and
tool messages that answer no call.

What depends on the stored thread is checked by :mod:`server.thread_fit`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent.attachments import attachments_in
from server.attachment_policy import check_attachments
from server.limits import Limits
from server.validation import SETTINGS, InputError, parse_context

_KINDS = {
    "human": "human",
    "user": "human",
    "ai": "ai",
    "assistant": "ai",
    "system": "system",
    "developer": "system",
    "tool": "tool",
}
_SERVER_KEYS = {"thread_id", "run_id", "assistant_id", "graph_id", "cron_id", "user_id"}
_SERVER_KEYS |= {"checkpoint_id", "checkpoint_ns", "checkpoint_map"}
_NODES = {"agent", "tools"}
_SHAPE = 'input must be {"messages": [{"role": "user", "content": "..."}]}'


@dataclass(frozen=True)
class CheckedMessage:
    """One input message, as far as the thread's consistency is concerned."""

    where: str
    kind: str
    calls: tuple[tuple[str, str], ...] = ()
    """``(id, name)`` of each tool call an assistant message makes."""
    answers: str | None = None
    """The tool call a tool message answers."""


def check_run(kwargs: Mapping[str, Any], limits: Limits) -> list[CheckedMessage]:
    """Raise :class:`InputError` for a run that must not be queued; return its messages."""
    _check_settings(kwargs)
    _check_command(kwargs.get("command"), limits)
    raw = kwargs.get("input")
    if raw is None or raw == {}:
        return []  # continue, resume or replay: nothing new to check
    if not isinstance(raw, dict) or set(raw) != {"messages"}:
        raise InputError(_SHAPE)
    checked = check_messages(raw["messages"], "input.messages", limits)
    if checked[-1].kind != "human":
        raise InputError("the last input message must be the user's")
    return checked


def check_messages(raw: object, name: str, limits: Limits) -> list[CheckedMessage]:
    """``raw`` is a list of messages or one string (a user message, as MCP sends)."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise InputError(_SHAPE)
    if len(raw) > limits.messages:
        raise InputError(f"{name} holds {len(raw)} messages; the limit is {limits.messages}")
    checked: list[CheckedMessage] = []
    total = 0
    for index, message in enumerate(raw):
        where = f"{name}[{index}]"
        item, size = _check_message(message, where, limits, last=index == len(raw) - 1)
        checked.append(item)
        total += size
        if total > limits.run_chars:
            raise InputError(
                f"the input is over {limits.run_chars} characters (attachments apart); "
                "send less at once"
            )
    contents = [(f"{name}[{i}].content", m) for i, m in enumerate(raw) if isinstance(m, dict)]
    check_attachments(((where, m.get("content")) for where, m in contents), limits.attachments)
    return checked


def _check_message(
    message: object, where: str, limits: Limits, last: bool
) -> tuple[CheckedMessage, int]:
    if isinstance(message, str):
        message = {"role": "user", "content": message}
    if not isinstance(message, dict):
        raise InputError(f"{where} must be an object with a role and a content, or a string")
    role = message.get("role", message.get("type"))
    kind = _KINDS.get(role) if isinstance(role, str) else None
    if kind is None:
        raise InputError(f"{where} has an unknown role {role!r}: use user, assistant or tool")
    if "content" not in message:
        raise InputError(f"{where} has no content")
    if not isinstance(message.get("id", ""), str):
        raise InputError(f"{where}.id must be a string")
    content = message["content"]
    if content is None and kind == "ai":
        content = ""  # OpenAI-style assistant turns that only call tools
    text, size = _check_content(content, f"{where}.content", limits)
    if kind == "human" and last and not text.strip() and size == len(text):
        if attachments_in(content):  # a picture alone is a question too
            return CheckedMessage(where, kind), size
        raise InputError(f"{where}.content is empty: send some text")
    if kind == "tool":
        call_id = message.get("tool_call_id")
        if not isinstance(call_id, str) or not call_id:
            raise InputError(f"{where} is a tool message without a tool_call_id")
        return CheckedMessage(where, kind, answers=call_id), size
    if kind == "ai":
        return CheckedMessage(
            where, kind, calls=_check_calls(message.get("tool_calls"), where)
        ), size
    return CheckedMessage(where, kind), size


def _check_content(content: object, where: str, limits: Limits) -> tuple[str, int]:
    """The text, and the size the content counts for (text plus serialised attachments)."""
    if isinstance(content, str):
        text, size = content, len(content)
    elif isinstance(content, list):
        texts: list[str] = []
        size = 0
        for index, block in enumerate(content):
            if isinstance(block, str):
                texts.append(block)
                size += len(block)
            elif isinstance(block, dict) and isinstance(block.get("type"), str):
                if block["type"] == "text":
                    if not isinstance(block.get("text"), str):
                        raise InputError(f"{where}[{index}].text must be a string")
                    texts.append(block["text"])
                    size += len(block["text"])
                elif not attachments_in([block]):  # attachments have caps of their own
                    size += len(json.dumps(block, ensure_ascii=False))
            else:
                raise InputError(f'{where}[{index}] must be a content block with a "type"')
        text = "".join(texts)
    else:
        raise InputError(f"{where} must be a string or a list of content blocks")
    if len(text) > limits.message_chars:
        limit = limits.message_chars
        raise InputError(f"{where} is {len(text)} characters long; the limit is {limit}")
    return text, size


def _check_calls(calls: object, where: str) -> tuple[tuple[str, str], ...]:
    """LangChain's ``{"id", "name", "args": {...}}`` or OpenAI's ``{"id", "function": {"name",
    "arguments": "<JSON object>"}}``; anything else would fail when the run is stored."""
    if calls is None:
        return ()
    if not isinstance(calls, list):
        raise InputError(f"{where}.tool_calls must be a list")
    found: list[tuple[str, str]] = []
    for index, call in enumerate(calls):
        at = f"{where}.tool_calls[{index}]"
        if not isinstance(call, dict):
            raise InputError(f"{at} must be an object")
        if "function" in call:
            function = call["function"] if isinstance(call["function"], dict) else {}
            name, args = function.get("name"), function.get("arguments")
            if isinstance(args, str):
                try:
                    args = json.loads(args)
                except json.JSONDecodeError:
                    raise InputError(f"{at}.function.arguments is not valid JSON") from None
        else:
            name, args = call.get("name"), call.get("args")
        if not isinstance(name, str) or not name:
            raise InputError(f"{at} needs a tool name")
        if not isinstance(args, dict):
            raise InputError(f"{at}: the arguments must be a JSON object")
        call_id = call.get("id")
        if not isinstance(call_id, str) or not call_id:
            raise InputError(f"{at} needs an id")
        if call_id in {known for known, _ in found}:
            raise InputError(f"{at} repeats the id {call_id!r}")
        found.append((call_id, name))
    return tuple(found)


def _check_command(command: object, limits: Limits) -> None:
    if command is None:
        return
    if not isinstance(command, dict):
        raise InputError("command must be an object: {resume?, update?, goto?}")
    goto = command.get("goto")
    targets = goto if isinstance(goto, list) else [] if goto is None else [goto]
    if unknown := [t for t in targets if not (isinstance(t, str) and t in _NODES)]:
        raise InputError(f"command.goto names unknown node(s) {unknown}: use agent or tools")
    update = command.get("update")
    if isinstance(update, dict) and "messages" in update:
        check_messages(update["messages"], "command.update.messages", limits)


def _check_settings(kwargs: Mapping[str, Any]) -> None:
    """Settings (``context``, or the ``configurable`` keys that name settings) must be known
    and in range."""
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
