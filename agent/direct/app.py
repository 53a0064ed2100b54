"""The Starlette app ``langgraph.json`` mounts next to the LangGraph API (``http.app``)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from agent.direct.limits import Limits, StreamSlots
from agent.direct.sse import stream_answer
from agent.direct.ws import chat_socket


class DirectRoutes:
    """The routes and what they share: the limits and the per-process stream slots."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.slots = StreamSlots(limits.max_streams)

    async def stream(self, request: Request) -> Response:
        return await stream_answer(request, self.limits, self.slots)

    async def socket(self, websocket: WebSocket) -> None:
        await chat_socket(websocket, self.limits, self.slots)

    async def status(self, request: Request) -> Response:
        return JSONResponse({"active_streams": self.slots.active, "max_streams": self.slots.limit})


def create_app(limits: Limits | None = None) -> Starlette:
    routes = DirectRoutes(limits or Limits.from_env())
    body_limit = routes.limits.max_body_bytes
    return Starlette(
        routes=[
            Route(
                "/api/chat/stream",
                routes.stream,
                methods=["GET", "POST"],
                max_body_size=body_limit,
            ),
            Route("/api/chat/status", routes.status),
            WebSocketRoute("/ws/chat", routes.socket),
        ]
    )


app = create_app()
