"""A scripted OpenAI Chat Completions endpoint for respx, strict like the real one.

Each request is checked as OpenAI checks it (stream flag, tool schemas, every assistant tool
call answered by tool messages in order); a bad one gets OpenAI's 400, so history bugs surface.
Written here rather than taken from a library because none validates conversation structure.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Turn:
    """One assistant reply: text, or tool calls ``(id, name, args)``."""

    text: str = ""
    tool_calls: Sequence[tuple[str, str, dict[str, Any]]] = ()


Responder = Callable[[httpx.Request], httpx.Response]


def error(status: int, message: str, **headers: str) -> httpx.Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "code": None}}
    return httpx.Response(status, json=body, headers=headers)


def problem(body: dict[str, Any]) -> str | None:
    """What OpenAI would answer 400 to in this request body, or None."""
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "you must provide a model parameter"
    if "stream" in body and not isinstance(body["stream"], bool):
        return "'stream' must be a boolean"
    for tool in body.get("tools", []):
        function = tool.get("function", {})
        if tool.get("type") != "function" or not _TOOL_NAME.match(function.get("name", "")):
            return f"invalid tool {tool!r}"
        if function.get("parameters", {}).get("type") != "object":
            return f"tool {function['name']} parameters must be a JSON schema object"
    pending: list[str] = []
    for message in body.get("messages") or [{}]:
        role = message.get("role")
        if role == "tool":
            if not pending or message.get("tool_call_id") != pending[0]:
                return (
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'."
                )
            pending.pop(0)
            continue
        if pending:
            return (
                "An assistant message with 'tool_calls' must be followed by tool messages "
                f"responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(pending)}"
            )
        if role not in {"system", "developer", "user", "assistant"}:
            return f"invalid role {role!r}"
        for call in message.get("tool_calls") or []:
            json.loads(call["function"]["arguments"])
            pending.append(call["id"])
    if pending:
        return f"tool_call_ids did not have response messages: {', '.join(pending)}"
    return None


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def stream_chunks(turn: Turn) -> list[dict[str, Any]]:
    """The chunks OpenAI streams for ``turn``: role, text pieces, tool-call deltas, finish."""
    chunks = [_chunk({"role": "assistant", "content": ""})]
    chunks += [_chunk({"content": piece}) for piece in re.findall(r"\s*\S+", turn.text)]
    for index, (call_id, name, args) in enumerate(turn.tool_calls):
        head = {"index": index, "id": call_id, "type": "function"}
        chunks.append(
            _chunk({"tool_calls": [{**head, "function": {"name": name, "arguments": ""}}]})
        )
        encoded = json.dumps(args, ensure_ascii=False)
        for start in range(0, len(encoded), 5):
            piece = {"index": index, "function": {"arguments": encoded[start : start + 5]}}
            chunks.append(_chunk({"tool_calls": [piece]}))
    chunks.append(_chunk({}, "tool_calls" if turn.tool_calls else "stop"))
    return chunks


def sse(chunks: Sequence[dict[str, Any] | str]) -> bytes:
    lines = [f"data: {c if isinstance(c, str) else json.dumps(c)}\n\n" for c in chunks]
    return ("".join(lines) + "data: [DONE]\n\n").encode()


def completion(turn: Turn) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": turn.text or None}
    if turn.tool_calls:
        message["tool_calls"] = [
            {"id": i, "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
            for i, n, a in turn.tool_calls
        ]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class DroppedStream(httpx.AsyncByteStream):
    """A body that sends ``head`` then loses the connection."""

    def __init__(self, head: bytes) -> None:
        self.head = head

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.head
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


@dataclass
class FakeOpenAI:
    """Answers validated requests with the scripted turns, or with a fault when one is queued."""

    turns: list[Turn | Responder]
    requests: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        if (reason := problem(body)) is not None:
            return error(400, reason)
        if not self.turns:
            return error(500, "the fake has no scripted turn left")
        turn = self.turns.pop(0)
        if not isinstance(turn, Turn):
            return turn(request)
        if body.get("stream"):
            headers = {"content-type": "text/event-stream"}
            return httpx.Response(200, headers=headers, content=sse(stream_chunks(turn)))
        return httpx.Response(200, json=completion(turn))
