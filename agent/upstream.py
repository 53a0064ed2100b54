"""Workarounds for upstream bugs, each naming the version it was seen in and when to delete it.

langgraph-api 0.16.7: ``POST /store/items/search`` without ``namespace_prefix`` raises a
``KeyError`` before any auth handler runs (``api/store.py`` ``search_items``), so a request of
``{}`` answers 500. Delete :class:`RequireStoreNamespace` once that body gets a 422 upstream
(``tests/test_security.py`` checks the 422 either way).
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from agent.asgi import peek_json
from agent.auth import Unauthorized, identify

_SEARCH = "/store/items/search"


class RequireStoreNamespace:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != _SEARCH
            or scope["method"] != "POST"
            or not _authenticated(scope)  # LangGraph's auth answers 401 first
        ):
            return await self.app(scope, receive, send)
        payload, replay = await peek_json(receive)
        if isinstance(payload, dict) and "namespace_prefix" not in payload:
            detail = "Name a namespace_prefix: it must start with your user id."
            return await JSONResponse({"detail": detail}, 422)(scope, replay, send)
        await self.app(scope, replay, send)


def _authenticated(scope: Scope) -> bool:
    try:
        identify(dict(scope["headers"]), scope["path"])
    except Unauthorized:
        return False
    return True
