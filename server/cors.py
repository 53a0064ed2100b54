"""Browsers' Private Network Access preflights, answered by the CORS rules in ``langgraph.json``.

Studio is a public page (https://smith.langchain.com) calling a server on this machine, so
Chromium may add ``Access-Control-Request-Private-Network: true`` to its CORS preflight.
Starlette's ``CORSMiddleware`` refuses such a preflight with 400 unless ``allow_private_network``
is set, and langgraph-api drops that key from ``http.cors``. This middleware takes the header off
the preflight, so the origin, method and headers decide as for any other preflight;
``langgraph dev`` then adds ``Access-Control-Allow-Private-Network: true`` itself (its
``ALLOW_PRIVATE_NETWORK``). Other servers do not, and the browser keeps refusing.

Workaround for langgraph-api 0.16.7 (``server.py`` builds the CORS middleware without
``allow_private_network``); delete when ``http.cors`` passes it through
(``tests/ecosystem/test_studio.py`` checks Studio's preflight either way).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

_HEADER = b"access-control-request-private-network"


class PrivateNetworkPreflight:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != _HEADER]
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)
