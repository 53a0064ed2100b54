"""The outermost layer of every request (an ``http.app`` middleware, which langgraph-api puts
in front of all its routes, its own included).

LangGraph's custom auth covers the API and our routes, but ``langgraph dev`` serves more outside
it: the in-memory runtime's ``/internal/*`` (wipe everything, read any thread) and ``/deploy``,
and ``/metrics``, ``/info`` and ``GET /ui``. This layer refuses the dev-only routes outright
(``/internal/*`` even with auth off: a cross-site ``text/plain`` POST could otherwise wipe a
developer's server), asks for a key on the others when keys are on, and moves a ``?ticket=``
into a header before the request log can record it. Everything else it leaves to LangGraph's
auth, which answers inside the CORS layer, so browsers can read its 401s.

Closes what langgraph-api 0.16.7 and langgraph-runtime-inmem 0.36.7 serve outside the custom
auth; check this list against ``langgraph_api/api/__init__.py`` when upgrading
(``tests/test_security.py`` tries every documented route without a key).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.identity import TICKET_HEADER, Unauthorized, identify
from server.settings import settings

PUBLIC = frozenset({"/", "/ok", "/docs", "/openapi.json"})
"""Health checks and the API's documentation: the only routes that need no key."""
_OUTSIDE_AUTH = ("/metrics", "/info", "/ui")
_DEV_ONLY = "/deploy"
_INTERNAL = "/internal/"


class Guard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # "/noauth" is the server's in-process client (our own checks, MCP), which no request
        # from outside can set.
        if scope["type"] not in ("http", "websocket") or scope.get("root_path") == "/noauth":
            return await self.app(scope, receive, send)
        _move_ticket_to_header(scope)
        path: str = scope["path"]
        keys_on = settings().keys.enabled
        if path.startswith(_INTERNAL) or (keys_on and path.startswith(_DEV_ONLY)):
            return await _refuse(scope, receive, send, 404, "Not Found")
        if keys_on and path.startswith(_OUTSIDE_AUTH) and scope.get("method") != "OPTIONS":
            try:
                identify(dict(scope["headers"]), path)
            except Unauthorized as exc:
                return await _refuse(scope, receive, send, 401, str(exc))
        await self.app(scope, receive, send)


def _move_ticket_to_header(scope: Scope) -> None:
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    tickets = [value for name, value in query if name == "ticket"]
    if not tickets:
        return
    rest = [(name, value) for name, value in query if name != "ticket"]
    scope["query_string"] = urlencode(rest).encode("latin-1")
    header = TICKET_HEADER.encode()
    scope["headers"] = [
        *((k, v) for k, v in scope["headers"] if k != header),
        (header, tickets[0].encode("latin-1", errors="replace")),
    ]


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    if scope["type"] == "websocket":
        # A close before accept refuses the handshake (clients see HTTP 403).
        await send({"type": "websocket.close", "code": 1008, "reason": detail[:120]})
        return
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    await JSONResponse({"detail": detail}, status, headers)(scope, receive, send)
