"""Who may call the server and what each caller sees (``langgraph.json`` ``auth``).

With ``AGENT_API_KEYS`` set, every request, the direct SSE/WebSocket routes included, needs a
key (``x-api-key`` or ``Authorization: Bearer``) or a ticket, and each user sees only their own
threads, runs, crons and store items: another user's get 404, so nothing says they exist.
Without keys, auth is off (local development): everyone is one user, and the server says so
once at start-up. Run input is validated here in both cases, because these handlers run before
a run is queued.
"""

from __future__ import annotations

import logging
from typing import Any

from langgraph_sdk import Auth

from agent.api_keys import load_api_keys
from agent.recovery import carry_uncommitted
from agent.validation import InputError, check_run, max_message_chars

logger = logging.getLogger(__name__)

LOCAL_USER = "local"
TICKET_PATHS = ("/api/chat/stream", "/ws/chat")

KEYS = load_api_keys()
MAX_MESSAGE_CHARS = max_message_chars()
if not KEYS.enabled:
    logger.warning(
        "Auth is off: AGENT_API_KEYS is not set, so anyone who can reach this server can use it. "
        "Set AGENT_API_KEYS=key:user,... before exposing it."
    )

auth = Auth()


def _unauthorized(detail: str) -> Auth.exceptions.HTTPException:
    return Auth.exceptions.HTTPException(
        status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


@auth.authenticate
async def authenticate(
    headers: dict[bytes, bytes], query_params: dict[str, str], path: str
) -> Auth.types.MinimalUserDict:
    if not KEYS.enabled:
        return {"identity": LOCAL_USER}
    if (ticket := query_params.get("ticket")) and path in TICKET_PATHS:
        if user := KEYS.user_for_ticket(ticket):
            return {"identity": user}
        raise _unauthorized("The ticket is invalid or expired: get a new one.")
    key = headers.get(b"x-api-key", b"").decode(errors="replace").strip()
    scheme, _, token = headers.get(b"authorization", b"").decode(errors="replace").partition(" ")
    if not key and scheme.lower() == "bearer":
        key = token.strip()
    if not key:
        raise _unauthorized("An API key is required, as x-api-key or Authorization: Bearer.")
    if user := KEYS.user_for(key):
        return {"identity": user}
    raise _unauthorized("The API key is not valid.")


def _owner(ctx: Auth.types.AuthContext) -> dict[str, str]:
    return {"owner": ctx.user.identity}


def _stamp(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    """Record the caller as owner: in place, since the server keeps its reference."""
    metadata = value.get("metadata") if isinstance(value, dict) else None
    if isinstance(metadata, dict):
        metadata.update(_owner(ctx))
    return _owner(ctx)


@auth.on
async def owned_by_caller(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    """Stamp what a user creates with their identity, and let them see only that."""
    return _stamp(ctx, value)


@auth.on.threads.create_run
async def checked_run(ctx: Auth.types.AuthContext, value: Auth.types.RunsCreate) -> dict[str, str]:
    """Refuse bad input before the run is queued (the thread stays as it was), and keep an
    answer a stop left uncommitted."""
    kwargs = value.get("kwargs") or {}
    try:
        check_run(kwargs, MAX_MESSAGE_CHARS)
    except InputError as exc:
        raise Auth.exceptions.HTTPException(status_code=422, detail=str(exc)) from None
    await carry_uncommitted(value.get("thread_id"), kwargs)
    return _stamp(ctx, value)


def _own_or_system(ctx: Auth.types.AuthContext) -> dict[str, Any]:
    """The graph's own assistant (created by the system) is everyone's."""
    return {"$or": [_owner(ctx), {"created_by": "system"}]}


@auth.on.assistants.read
async def read_assistant(ctx: Auth.types.AuthContext, value: Any) -> dict[str, Any]:
    return _own_or_system(ctx)


@auth.on.assistants.search
async def search_assistants(ctx: Auth.types.AuthContext, value: Any) -> dict[str, Any]:
    return _own_or_system(ctx)


@auth.on.store
async def own_namespace(ctx: Auth.types.AuthContext, value: Any) -> None:
    namespace = value.get("namespace") or ()
    if not namespace or namespace[0] != ctx.user.identity:
        raise Auth.exceptions.HTTPException(
            status_code=403, detail="Store namespaces must start with your user id."
        )
