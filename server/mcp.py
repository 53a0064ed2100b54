"""MCP ``tools/call`` answered with the agent's reply, and bad arguments as tool errors.

langgraph-api serves MCP at ``/mcp`` (one tool per assistant). Its ``tools/call`` returns
``repr()`` of the run's whole output, and a run the input checks refuse (422) raises inside its
handler and becomes HTTP 500. No setting changes that text short of changing the graph's output,
which every other client reads too, so this middleware answers ``tools/call`` itself; everything
else on ``/mcp`` (``initialize``, ``tools/list``) stays langgraph-api's.

The middleware runs before the server's authentication, and langgraph-api's in-process client
skips it, so the calls below go through the server's own routes with the caller's headers: keys
and ownership apply exactly as if the caller had used the API directly.

A call the client cancels (``notifications/cancelled``, or by closing its request, as MCP's
newer protocol does) cancels its run: the run is started with ``on_disconnect: cancel`` and sees
a disconnect either way. A run that pauses for a person's approval (``approve_tools``) cannot be
resumed over MCP, whose calls are stateless: the call gets a tool error saying so, and its
thread, which held only that call, is deleted by the server as for every MCP call.

Workaround for langgraph-api 0.16.7 (``api/mcp/_handlers.py``); delete when its ``tools/call``
returns the answer's text, turns a 4xx into a tool error and stops a cancelled call's run
(``tests/ecosystem/test_mcp.py`` checks all three either way).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract.parts import message_text
from server.asgi import read_body, replay
from server.identity import Unauthorized, identify

logger = logging.getLogger(__name__)

MAX_ASSISTANTS = 1000
INVALID_PARAMS = -32602
ARGUMENTS = 'arguments must be {"messages": "<the user\'s question>"}'
NEEDS_APPROVAL = (
    "This assistant waits for a person to approve its tool calls (approve_tools), and an MCP "
    "call cannot be resumed: nothing ran. Call an assistant without approvals, or use the "
    "LangGraph API, where the thread waits for the decision."
)
# Headers of the caller's request that are not about who the caller is.
_NOT_FORWARDED = {
    b"host",
    b"content-length",
    b"content-type",
    b"accept",
    b"accept-encoding",
    b"connection",
    b"transfer-encoding",
    b"mcp-session-id",
    b"mcp-protocol-version",
}


class McpToolCalls:
    """ASGI middleware: ``POST /mcp`` with a ``tools/call`` request is answered here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.calls: dict[tuple[str, str], asyncio.Event] = {}
        """Each call in progress, by caller and request id: set when the caller cancels it."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/mcp":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        if _too_deep(body):  # upstream's json.loads raises RecursionError: a 500
            error = {"code": -32700, "message": "Parse error: JSON nested too deeply"}
            refusal = JSONResponse({"jsonrpc": "2.0", "id": None, "error": error}, 400)
            await refusal(scope, receive, send)
            return
        message = _tool_call(body, Headers(scope=scope))
        if message is None:
            if (cancelled := _cancelled_call(body, scope)) and cancelled in self.calls:
                self.calls[cancelled].set()
            await self.app(scope, replay(body, receive), send)
            return
        key = (_caller(scope), json.dumps(message["id"]))
        self.calls[key] = cancel = asyncio.Event()
        try:
            response = await _answer(_Api(self.app, scope, _until(cancel, receive)), message)
        finally:
            del self.calls[key]
        await response(scope, receive, send)


def _caller(scope: Scope) -> str:
    try:
        return identify(dict(scope["headers"]), scope["path"])
    except Unauthorized:
        return ""


def _cancelled_call(body: bytes, scope: Scope) -> tuple[str, str] | None:
    """The call a ``notifications/cancelled`` names, as the key of :attr:`McpToolCalls.calls`."""
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict) or message.get("method") != "notifications/cancelled":
        return None
    params = message.get("params")
    if not isinstance(params, dict) or "requestId" not in params:
        return None
    return _caller(scope), json.dumps(params["requestId"])


def _until(cancel: asyncio.Event, receive: Receive) -> Receive:
    """The client's ``receive``, which also reports a disconnect once ``cancel`` is set."""

    async def received() -> Message:
        waiting = asyncio.ensure_future(receive())
        cancelled = asyncio.ensure_future(cancel.wait())
        try:
            await asyncio.wait({waiting, cancelled}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            cancelled.cancel()
        if waiting.done():
            return waiting.result()
        waiting.cancel()
        return {"type": "http.disconnect"}

    return received


def _too_deep(body: bytes) -> bool:
    try:
        json.loads(body)
    except RecursionError:
        return True
    except ValueError:
        return False
    return False


def _tool_call(body: bytes, headers: Headers) -> dict[str, Any] | None:
    """The JSON-RPC ``tools/call`` request in ``body``, or None for anything langgraph-api
    should handle (including the malformed requests it answers with its own errors)."""
    accept = headers.get("accept", "")
    if "application/json" not in accept and "text/event-stream" not in accept:
        return None
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if (
        isinstance(message, dict)
        and message.get("jsonrpc") == "2.0"
        and message.get("method") == "tools/call"
        and message.get("id") is not None
    ):
        return message
    return None


async def _answer(api: _Api, message: dict[str, Any]) -> Response:
    params = message.get("params")
    params = params if isinstance(params, dict) else {}
    name = params.get("name")
    found = await api.post("/assistants/search", {"limit": MAX_ASSISTANTS})
    if found.status != 200:
        return found.response()  # 401 or 403: the caller's key, as on any other route
    matches = [a for a in found.json() if normalize_name(a["name"]) == name]
    if len(matches) != 1:
        problem = f"Unknown tool: {name}" if not matches else "Multiple tools have this name."
        return _reply(message, found, error={"code": INVALID_PARAMS, "message": problem})
    arguments = params.get("arguments")
    if not isinstance(arguments, dict) or "messages" not in arguments:
        # The listed input schema requires it; the runs API alone would take {} as "continue".
        return _reply(message, found, result=_tool_error(ARGUMENTS))
    run: dict[str, Any] = {
        "assistant_id": matches[0]["assistant_id"],
        "input": arguments,
        "on_disconnect": "cancel",
    }
    if params.get("context") is not None:
        run["context"] = params["context"]
    result = await api.post("/runs/wait", run)
    return _reply(message, result, result=_tool_result(result))


def _tool_result(result: _Reply) -> dict[str, Any]:
    """The run's answer as text, or a tool error a model can read and act on."""
    if 400 <= result.status < 500:
        return _tool_error(_detail(result))
    if result.status != 200:
        logger.error("MCP tools/call: the run failed with HTTP %s", result.status)
        return _tool_error(f"The agent failed (HTTP {result.status}). Please try again.")
    output = result.json()
    if isinstance(output, dict) and isinstance(failure := output.get("__error__"), dict):
        return _tool_error(str(failure.get("message") or failure.get("error") or "failed"))
    if isinstance(output, dict) and output.get("__interrupt__"):
        return _tool_error(NEEDS_APPROVAL)
    return {"content": [{"type": "text", "text": answer_text(output)}]}


def answer_text(output: object) -> str:
    """The text of the last AI message; other outputs (an interrupt, say) as JSON."""
    messages = output.get("messages") if isinstance(output, dict) else None
    last = messages[-1] if isinstance(messages, list) and messages else None
    if isinstance(last, dict) and last.get("type") == "ai" and (text := message_text(last)).strip():
        return text
    return json.dumps(output, ensure_ascii=False)


def normalize_name(name: str) -> str:
    """The MCP tool name of an assistant, as langgraph-api's ``tools/list`` gives it."""
    return re.sub(r"[^a-zA-Z0-9_\-.]", "", re.sub(r"\s+", "_", name.strip()))[:128]


def _tool_error(text: str) -> dict[str, Any]:
    return {"isError": True, "content": [{"type": "text", "text": text}]}


def _detail(result: _Reply) -> str:
    try:
        detail = result.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail or f"The request was refused (HTTP {result.status}).")


def _reply(message: Mapping[str, Any], inner: _Reply, **outcome: Any) -> Response:
    """The JSON-RPC answer, with the CORS headers the server gave the inner call (this
    middleware sits outside the server's CORS middleware)."""
    response = JSONResponse({"jsonrpc": "2.0", "id": message["id"], **outcome})
    response.raw_headers += [
        (k, v) for k, v in inner.headers if k.lower().startswith(b"access-control-")
    ]
    return response


@dataclass(frozen=True)
class _Reply:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def response(self) -> Response:
        response = Response(self.body, status_code=self.status)
        response.raw_headers = self.headers
        return response


class _Api:
    """The server's own routes, called in-process through its authentication."""

    def __init__(self, app: ASGIApp, scope: Scope, receive: Receive) -> None:
        self.app = app
        self.scope = scope
        self.receive = receive
        self.headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _NOT_FORWARDED]

    async def post(self, path: str, payload: object) -> _Reply:
        body = json.dumps(payload).encode()
        scope = {
            **self.scope,
            "state": dict(self.scope.get("state", {})),
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [
                *self.headers,
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, replay(body, self.receive), collect)
        return _Reply(status, headers, b"".join(chunks))
