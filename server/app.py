"""The Starlette app ``langgraph.json`` mounts next to the LangGraph API (``http.app``): the direct
routes, the web app's thread list, and the middleware langgraph-api puts in front of all
routes."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from agent.progress import add_progress_listener
from agent.tools import TOOLS
from server import dev_runtime
from server.a2a import AgentCardSkills, relay_progress
from server.api_keys import TICKET_ROUTES, TICKET_SECONDS
from server.cors import PrivateNetworkPreflight
from server.direct.sse import stream_answer
from server.direct.ws import chat_socket
from server.fairness import OneRunAdmissionPerUser, StreamSlots
from server.guard import Guard
from server.identity import presented_key
from server.limits import Limits
from server.mcp import McpToolCalls
from server.settings import settings
from server.stored_inputs import StoredInputCaps
from server.thread_list import list_threads
from server.upstream import OpenNewThreadStreams, RequireStoreNamespace
from server.validation import InputError, load_json


class DirectRoutes:
    """The routes and what they share: the limits and the per-process stream slots."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.slots = StreamSlots(limits)

    # The docstrings below are the routes' OpenAPI entries (YAML after ---), shown at /docs.

    async def stream(self, request: Request) -> Response:
        """
        ---
        summary: Stream one answer as plain server-sent events
        description: >
          For clients without the LangGraph SDK. Events are JSON objects of type token,
          tool_call, progress, tool_result or error; the last line is always data [DONE].
          POST takes {"query", "messages", "context"} as JSON instead.
        parameters:
          - {name: query, in: query, required: true, schema: {type: string}}
          - name: context
            in: query
            schema: {type: string}
            description: JSON object of run settings, e.g. {"tool_step_delay" 1}
          - name: ticket
            in: query
            schema: {type: string}
            description: From POST /api/chat/ticket, for clients that cannot send headers
        responses:
          "200": {description: The event stream}
          "401": {description: No valid API key or ticket}
          "422": {description: Bad query, history or settings; nothing ran}
          "503": {description: Too many direct streams; retry shortly}
        """
        return await stream_answer(request, self.limits, self.slots)

    async def socket(self, websocket: WebSocket) -> None:
        await chat_socket(websocket, self.limits, self.slots)

    async def ticket(self, request: Request) -> Response:
        """
        ---
        summary: A short-lived ticket for EventSource and browser WebSockets
        description: >
          Browsers cannot send the API key as a header on those. Ask for a ticket for one route
          with {"path" "/api/chat/stream"} or {"path" "/ws/chat"} and pass it as ?ticket= there.
          It expires after a minute, and with the key it was traded for. Without API keys on
          the server, the ticket is empty (none is needed).
        responses:
          "200": {description: "{ticket, expires_in}"}
          "401": {description: No valid API key}
          "422": {description: No route, or one that takes no tickets}
        """
        try:
            body = load_json(await request.body() or b"{}", "the body")
        except InputError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=422)
        route = body.get("path") if isinstance(body, dict) else None
        if route not in TICKET_ROUTES:
            detail = f'send {{"path": ...}} with one of {", ".join(TICKET_ROUTES)}'
            return JSONResponse({"detail": detail}, status_code=422)
        keys = settings().keys
        if not keys.enabled:
            return JSONResponse({"ticket": "", "expires_in": 0})
        ticket = keys.ticket_for(presented_key(request.headers), route)
        return JSONResponse({"ticket": ticket, "expires_in": TICKET_SECONDS})

    async def status(self, request: Request) -> Response:
        """
        ---
        summary: How many direct streams run now, and the cap
        responses:
          "200": {description: "{active_streams, max_streams}"}
        """
        return JSONResponse({"active_streams": self.slots.active, "max_streams": self.slots.limit})


def create_app(limits: Limits | None = None) -> Starlette:
    add_progress_listener(relay_progress)  # the graph's progress, to A2A clients too
    routes = DirectRoutes(limits or settings().limits)  # read here, at start-up
    body_limit = routes.limits.body_bytes
    return Starlette(
        routes=[
            Route(
                "/api/chat/stream",
                routes.stream,
                methods=["GET", "POST"],
                max_body_size=body_limit,
            ),
            Route("/api/chat/status", routes.status),
            Route("/api/chat/ticket", routes.ticket, methods=["POST"]),
            WebSocketRoute("/ws/chat", routes.socket),
            Route("/app/threads", list_threads),
        ],
        # langgraph-api runs these in front of every route it serves, its own included.
        middleware=[
            Middleware(Guard),
            Middleware(StoredInputCaps),
            Middleware(OneRunAdmissionPerUser),
            Middleware(RequireStoreNamespace),
            Middleware(OpenNewThreadStreams),
            Middleware(PrivateNetworkPreflight),
            Middleware(McpToolCalls),
            Middleware(AgentCardSkills, tools=TOOLS),
        ],
    )


# langgraph-api loads this app before it builds its middleware and starts its queue: the one
# moment the dev server's workarounds can be applied from the project's own code.
dev_runtime.apply()
app = create_app()
