"""The outermost layer of every request (an ``http.app`` middleware, which langgraph-api puts
in front of all its routes, its own included).

LangGraph's custom auth covers the API and our routes, but ``langgraph dev`` serves more outside
it: the in-memory runtime's ``/internal/*`` (wipe everything, read any thread) and ``/deploy``,
and ``/metrics``, ``/info`` and ``GET /ui``. This layer refuses the dev-only routes outright
(``/internal/*`` even with auth off: a cross-site ``text/plain`` POST could otherwise wipe a
developer's server), asks for a key on the others when keys are on, and moves a ``?ticket=``
into a header before the request log can record it. Everything else it leaves to LangGraph's
auth, which answers inside the CORS layer, so browsers can read its 401s.

It also keeps web pages from driving the server, keys on or off (``docs/security.md``): a
request that carries an ``Origin`` outside the CORS rules of ``langgraph.json`` gets 403 on
every route, WebSockets included (CORS alone only hides the answer: a cross-site
``text/plain`` POST still ran); under ``langgraph dev``, or wherever ``AGENT_ALLOWED_HOSTS`` is
set, the ``Host`` must be a loopback name or a listed one, which defeats DNS rebinding. Clients
that are not browsers (the SDK, curl) send no ``Origin``.

Closes what langgraph-api 0.16.7 and langgraph-runtime-inmem 0.36.7 serve outside the custom
auth; check this list against ``langgraph_api/api/__init__.py`` when upgrading
(``tests/test_security.py`` tries every documented route without a key).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.identity import TICKET_HEADER, Unauthorized, identify
from server.settings import settings

PUBLIC = frozenset({"/", "/ok", "/docs", "/openapi.json"})
"""Health checks and the API's documentation: the only routes that need no key."""
_OUTSIDE_AUTH = ("/metrics", "/info", "/ui")
_DEV_ONLY = "/deploy"
_INTERNAL = "/internal/"


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def allowed_origin() -> Callable[[str], bool]:
    """The browser origins ``langgraph.json``'s ``http.cors`` lets read answers, decided by the
    very rules of langgraph-api's CORS layer (Starlette's, built from the same settings)."""
    from langgraph_api import config

    cors = config.CORS_CONFIG or {"allow_origins": list(config.CORS_ALLOW_ORIGINS)}
    return CORSMiddleware(_no_app, **cors).is_allowed_origin


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The CORS layer is built only for its origin rules; it never answers a request."""


def allowed_hosts() -> frozenset[str] | None:
    """Loopback names plus ``AGENT_ALLOWED_HOSTS``; None (any host) outside ``langgraph dev``
    unless the variable is set, since a deployment answers to its own domain."""
    listed = {h.strip().lower() for h in os.environ.get("AGENT_ALLOWED_HOSTS", "").split(",")}
    listed.discard("")
    if not listed and os.environ.get("LANGGRAPH_RUNTIME_EDITION") != "inmem":
        return None
    return None if "*" in listed else LOOPBACK_HOSTS | listed


def _host(scope: Scope) -> str:
    value: str = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
    if value.startswith("["):  # [::1]:2024
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.origin_allowed = allowed_origin()
        self.hosts = allowed_hosts()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # "/noauth" is the server's in-process client (our own checks, MCP), which no request
        # from outside can set.
        if scope["type"] not in ("http", "websocket") or scope.get("root_path") == "/noauth":
            return await self.app(scope, receive, send)
        _move_ticket_to_header(scope)
        _move_private_params(scope)
        if self.hosts is not None and _host(scope) not in self.hosts:
            detail = "This Host is not served here; list it in AGENT_ALLOWED_HOSTS."
            return await _refuse(scope, receive, send, 403, detail)
        origin = dict(scope["headers"]).get(b"origin")
        if origin is not None and not self.origin_allowed(origin.decode("latin-1")):
            detail = "Requests from this web origin are refused; allow it in http.cors."
            return await _refuse(scope, receive, send, 403, detail)
        path: str = scope["path"]
        keys_on = settings().keys.enabled
        if path.startswith((_INTERNAL, _DEV_ONLY)):
            return await _refuse(scope, receive, send, 404, "Not Found")
        if keys_on and path.startswith(_OUTSIDE_AUTH) and scope.get("method") != "OPTIONS":
            try:
                identify(dict(scope["headers"]), path)
            except Unauthorized as exc:
                return await _refuse(scope, receive, send, 401, str(exc))
        await self.app(scope, receive, send)


PRIVATE_PARAMS = "agent.private_params"
"""The scope key under which the direct route's GET finds its question and settings."""
_PRIVATE_ROUTE = "/api/chat/stream"
_PRIVATE_NAMES = frozenset({"query", "context"})


def _move_private_params(scope: Scope) -> None:
    """langgraph-api's access log records each request's query string once it is answered; a
    GET question is a user's words, not the log's: it moves to the scope, for the route."""
    if scope["path"] != _PRIVATE_ROUTE:
        return
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    private = {name: value for name, value in query if name in _PRIVATE_NAMES}
    if private:
        scope[PRIVATE_PARAMS] = private
        kept = [(name, value) for name, value in query if name not in _PRIVATE_NAMES]
        scope["query_string"] = urlencode(kept).encode("latin-1")


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
