"""LangGraph stream parts -> typed events (:mod:`contract.typed`): the one translator, of the
runs API's parts (messages serialized as dicts) for any client, and of ``graph.astream``'s
in-process parts (LangChain messages) for the direct routes, which send them as wire events
(:func:`contract.typed.to_direct`).

Tool calls arrive as chunks (name first, then JSON arguments in pieces) and again, whole, in
the ``updates`` of the node that made them. Where ``updates`` are streamed, calls are taken from
them alone: a node may still change its turn after the last chunk (the agent's step limit drops
its calls), and a call shown from the chunks would never run. Without them, a call is emitted
once its chunks are complete. Each call and result is emitted once. A ``settled`` translator
(the direct routes) also takes text from the chunks alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from contract.events import read_progress
from contract.typed import (
    Action,
    Custom,
    Error,
    Event,
    Interrupt,
    Step,
    Token,
    ToolCall,
    ToolProgress,
    ToolResult,
)

MESSAGES = "messages-tuple"


class Fields(Protocol):
    """A message (or an interrupt) read field by field: a serialized dict, or an object."""

    def get(self, key: str, /) -> Any: ...


class _Attrs:
    """A LangChain object read as its serialized dict is (the same names): ``get`` reads the
    attribute. A token reads three fields, where serializing would copy the whole message."""

    __slots__ = ("_item",)

    def __init__(self, item: object) -> None:
        self._item = item

    def get(self, key: str, /) -> Any:
        return getattr(self._item, key, None)


def _fields(item: object) -> Fields:
    """``item``, serialized or in-process, as something to read fields from."""
    return item if isinstance(item, dict) else _Attrs(item)


def message_text(message: Fields) -> str:
    """The text of a message, whose content is a string or a list of blocks (read as
    LangChain's ``.text`` reads it)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            block if isinstance(block, str) else block["text"]
            for block in content
            if isinstance(block, str)
            or (
                isinstance(block, dict)
                and block.get("type") == "text"
                and isinstance(block.get("text"), str)
            )
        )
    return ""


def _update_messages(update: Any) -> list[Any]:
    """The messages one node's update adds (a list, or a single one)."""
    messages = update.get("messages", []) if isinstance(update, dict) else []
    return messages if isinstance(messages, list) else [messages]


def added_messages(data: dict[str, Any]) -> Iterator[Any]:
    """The messages an ``updates`` part adds, node by node (``__interrupt__`` adds none)."""
    for node, update in data.items():
        if not node.startswith("__"):
            yield from _update_messages(update)


def _parse_args(raw: str) -> dict[str, Any]:
    try:
        parsed = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError:
        return {"_raw": raw}
    return parsed if isinstance(parsed, dict) else {"_value": parsed}


@dataclass
class _PendingCall:
    name: str = ""
    id: str = ""
    args: str = ""


@dataclass
class PartTranslator:
    """Turns the parts of one run into events; keeps what assembling needs."""

    modes: Sequence[str]
    settled: bool = False
    """Calls and results from the updates only, each message once, as its node settled it;
    text from the chunks only (what the direct routes send), not kept: they have no
    :meth:`streamed_answer` to compare with the saved one."""
    answer_parts: dict[str, list[str]] = field(default_factory=dict)
    last_ai_id: str | None = None
    interrupted: bool = False
    """Whether the run paused at an :class:`Interrupt` (seen in ``updates``)."""
    _pending: dict[tuple[str, int], _PendingCall] = field(default_factory=dict)
    _calls_seen: set[str] = field(default_factory=set)
    _results_seen: set[str] = field(default_factory=set)
    _early: dict[str, ToolResult] = field(default_factory=dict)
    """Results streamed before their call was seen (a resumed run: the call, edited or not,
    comes in the tools node's update, after): held until then, so that the call shows first."""

    def translate(self, event: str, data: Any) -> Iterable[Event]:
        """The events of one part. A plain function, not a generator: a token, the part that
        comes thousands of times an answer, pays for no generator (``bench/`` measures it)."""
        if event == "messages" and isinstance(data, list | tuple) and data:
            meta = data[1] if len(data) > 1 and isinstance(data[1], dict) else {}
            message, node = _fields(data[0]), str(meta.get("langgraph_node", ""))
            return self._text(message, node) if self.settled else self._message(message, node)
        if event == "updates" and isinstance(data, dict):
            return self._updates(data)
        if event == "custom":
            progress = read_progress(data)
            return (ToolProgress(**progress) if progress else Custom(data),)
        if event == "error":
            return (Error(_error_text(data)),)
        return ()

    def streamed_answer(self) -> str:
        """The text streamed for the latest assistant message."""
        return "".join(self.answer_parts.get(self.last_ai_id or "", []))

    def _text(self, message: Fields, node: str) -> tuple[Event, ...]:
        """A settled translator's ``messages``: the text of the chunks, and nothing else."""
        if message.get("type") == "AIMessageChunk" and (text := message_text(message)):
            return (Token(text, node),)
        return ()

    def _message(self, message: Fields, node: str) -> Iterator[Event]:
        kind = message.get("type")
        if kind in ("AIMessageChunk", "ai") and (text := message_text(message)):
            self._remember(message, text)
            yield Token(text, node)
        if kind in ("AIMessageChunk", "ai") and "updates" in self.modes:
            return  # its calls come with the node's update, as the node settled them
        if kind == "ai":
            yield from self._whole_calls(message)
        elif kind == "AIMessageChunk":
            for chunk in message.get("tool_call_chunks") or []:
                key = (str(message.get("id")), int(chunk.get("index") or 0))
                pending = self._pending.setdefault(key, _PendingCall())
                pending.name = pending.name or chunk.get("name") or ""
                pending.id = pending.id or chunk.get("id") or ""
                pending.args += chunk.get("args") or ""
            if message.get("chunk_position") == "last":
                yield from self._flush(str(message.get("id")))
        elif kind == "tool":
            yield from self._result(message)

    def _remember(self, message: Fields, text: str) -> None:
        message_id = str(message.get("id"))
        self.last_ai_id = message_id
        self.answer_parts.setdefault(message_id, []).append(text)

    def _flush(self, message_id: str) -> Iterator[Event]:
        for key in sorted(k for k in self._pending if k[0] == message_id):
            pending = self._pending.pop(key)
            if pending.id and pending.id not in self._calls_seen:
                self._calls_seen.add(pending.id)
                yield ToolCall(pending.name, _parse_args(pending.args), pending.id)

    def _whole_calls(self, message: Fields) -> Iterator[Event]:
        self._pending = {k: v for k, v in self._pending.items() if k[0] != str(message.get("id"))}
        for call in message.get("tool_calls") or []:
            call_id = str(call.get("id") or "")
            if self.settled or (call_id and call_id not in self._calls_seen):
                self._calls_seen.add(call_id)
                yield ToolCall(str(call.get("name", "")), dict(call.get("args") or {}), call_id)
                if (early := self._early.pop(call_id, None)) is not None:
                    yield early

    def _result(self, message: Fields) -> Iterator[Event]:
        call_id = str(message.get("tool_call_id") or "")
        if self.settled or call_id not in self._results_seen:
            self._results_seen.add(call_id)
            name, status = str(message.get("name") or ""), str(message.get("status") or "success")
            result = ToolResult(name, message_text(message), call_id, status)
            if not self.settled and call_id not in self._calls_seen and "updates" in self.modes:
                self._early[call_id] = result
            else:
                yield result

    def _updates(self, data: dict[str, Any]) -> Iterator[Event]:
        for node, update in data.items():
            if node == "__interrupt__":
                for interrupt in interrupts_in(update):
                    self.interrupted = True
                    yield interrupt
                continue
            if node.startswith("__"):
                continue
            for message in map(_fields, _update_messages(update)):
                if message.get("type") == "ai":
                    if MESSAGES not in self.modes and (text := message_text(message)):
                        self._remember(message, text)
                        yield Token(text, node)
                    yield from self._whole_calls(message)
                elif message.get("type") == "tool":
                    yield from self._result(message)
            yield from self._early.values()  # calls this update did not carry
            self._early.clear()
            yield Step(node)


def interrupts_in(items: Any) -> Iterator[Interrupt]:
    """Human-in-the-loop requests (``action_requests`` + ``review_configs``) as events, from
    serialized interrupts or in-process ones (``langgraph.types.Interrupt``)."""
    for item in map(_fields, items if isinstance(items, list | tuple) else []):
        value = item.get("value")
        if not isinstance(value, dict) or not isinstance(value.get("action_requests"), list):
            continue
        configs = {
            str(c.get("action_name")): tuple(c.get("allowed_decisions") or ())
            for c in value.get("review_configs") or []
            if isinstance(c, dict)
        }
        yield Interrupt(
            actions=tuple(
                Action(
                    name=str(a.get("name", "")),
                    args=dict(a.get("args") or {}),
                    description=str(a.get("description") or ""),
                    allowed=configs.get(str(a.get("name")), Action.allowed),
                )
                for a in value["action_requests"]
                if isinstance(a, dict)
            ),
            id=str(item.get("id") or ""),
        )


def _error_text(data: Any) -> str:
    if isinstance(data, dict):
        kind, message = data.get("error"), data.get("message")
        if kind and message:
            return f"{kind}: {message}"
        return str(message or kind or data)
    return str(data)
