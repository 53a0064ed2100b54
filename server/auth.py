"""Who may call the server and what each caller sees (``langgraph.json`` ``auth``).

With ``AGENT_API_KEYS`` set, every request needs a key (``x-api-key`` or ``Authorization:
Bearer``) or, on the two streaming routes, a ticket; each user sees only their own threads,
runs, crons, assistants and store items (another user's get 404, so nothing says they exist),
and the graph's own assistant is shared. Without keys, auth is off (local development):
everyone is one user, and the server says so once at start-up.

The handlers also admit runs, crons and assistants, since they run before anything is queued:
the checks themselves live in :mod:`server.run_checks`, :mod:`server.thread_fit`,
:mod:`server.quotas` and :mod:`server.webhooks`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from langgraph_sdk import Auth

from server import upstream
from server.api_keys import TICKET_ROUTES, load_api_keys
from server.quotas import Quotas, is_distributed
from server.run_checks import RunLimits, check_run
from server.thread_fit import fit_to_thread
from server.validation import InputError, parse_context
from server.webhooks import check_webhook

logger = logging.getLogger(__name__)

LOCAL_USER = "local"
TICKET_HEADER = "x-agent-ticket"
"""Where :mod:`server.guard` puts a ``?ticket=``, so that it never reaches the request log."""
SYSTEM = "system"

KEYS = load_api_keys()
LIMITS = RunLimits.from_env()
QUOTAS = Quotas.from_env(enabled=KEYS.enabled)
if KEYS.enabled and is_distributed() and not os.environ.get("AGENT_TICKET_SECRET"):
    raise RuntimeError(
        "AGENT_TICKET_SECRET is required with API keys on a server of several replicas: "
        "each replica must accept the tickets the others issue."
    )
if not KEYS.enabled:
    logger.warning(
        "Auth is off: AGENT_API_KEYS is not set, so anyone who can reach this server can use it. "
        "Set AGENT_API_KEYS=key:user,... before exposing it."
    )

auth = Auth()


class Unauthorized(Exception):
    """No valid key or ticket; the text says which."""


def identify(headers: dict[bytes, bytes], path: str) -> str:
    """The caller's user id, from a ticket (streaming routes only) or an API key."""
    if not KEYS.enabled:
        return LOCAL_USER
    if ticket := headers.get(TICKET_HEADER.encode(), b"").decode(errors="replace"):
        if path in TICKET_ROUTES and (user := KEYS.user_for_ticket(ticket, path)):
            return user
        raise Unauthorized("The ticket is invalid, expired or for another route: get a new one.")
    key = presented_key({k.decode("latin-1"): v.decode("latin-1") for k, v in headers.items()})
    if not key:
        raise Unauthorized("An API key is required, as x-api-key or Authorization: Bearer.")
    if user := KEYS.user_for(key):
        return user
    raise Unauthorized("The API key is not valid.")


def presented_key(headers: Mapping[str, str]) -> str:
    """The key from ``x-api-key``, else from ``Authorization: Bearer``; names are lower case."""
    key = headers.get("x-api-key", "").strip()
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return key or (token.strip() if scheme.lower() == "bearer" else "")


def http_error(status: int, detail: str, **headers: str) -> Auth.exceptions.HTTPException:
    return Auth.exceptions.HTTPException(status_code=status, detail=detail, headers=headers)


@auth.authenticate
async def authenticate(headers: dict[bytes, bytes], path: str) -> Auth.types.MinimalUserDict:
    try:
        return {"identity": identify(headers, path)}
    except Unauthorized as exc:
        raise http_error(401, str(exc), **{"WWW-Authenticate": "Bearer"}) from None


def _owner(ctx: Auth.types.AuthContext) -> dict[str, str]:
    return {"owner": ctx.user.identity}


def _stamp(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    """Record the caller as owner: in place, since the server keeps its reference."""
    metadata = value.get("metadata") if isinstance(value, dict) else None
    if isinstance(metadata, dict):
        metadata.update(_owner(ctx))
    return _owner(ctx)


def _refuse(exc: InputError) -> Auth.exceptions.HTTPException:
    return http_error(422, str(exc))


@auth.on
async def owned_by_caller(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    """Stamp what a user creates with their identity, and let them see only that."""
    return _stamp(ctx, value)


@auth.on.threads.create_run
async def admit_run(ctx: Auth.types.AuthContext, value: Auth.types.RunsCreate) -> dict[str, str]:
    """Refuse what must not run before it is queued (the thread stays as it was)."""
    kwargs: dict[str, Any] = value.get("kwargs") or {}
    upstream.new_message_not_resume(kwargs)
    try:
        said = check_run(kwargs, LIMITS)
        check_webhook(kwargs.get("webhook"))
        await fit_to_thread(value.get("thread_id"), kwargs, said)
    except InputError as exc:
        raise _refuse(exc) from None
    if refusal := await QUOTAS.refuse_run(value.get("thread_id")):
        raise http_error(429, refusal, **{"Retry-After": str(QUOTAS.retry_after)})
    return _stamp(ctx, value)


@auth.on.crons.create
async def admit_cron(ctx: Auth.types.AuthContext, value: Auth.types.CronsCreate) -> dict[str, str]:
    """A cron is checked like the runs it will start, when it is created, not when it fires."""
    _check_cron(value.get("payload"))
    return _stamp(ctx, value)


@auth.on.crons.update
async def update_cron(ctx: Auth.types.AuthContext, value: Auth.types.CronsUpdate) -> dict[str, str]:
    _check_cron(value.get("payload"))
    return _stamp(ctx, value)


def _check_cron(payload: dict[str, Any] | None) -> None:
    try:
        check_run(payload or {}, LIMITS)
        check_webhook((payload or {}).get("webhook"))
    except InputError as exc:
        raise _refuse(exc) from None


@auth.on.assistants.create
async def admit_assistant(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    _check_assistant(value)
    return _stamp(ctx, value)


@auth.on.assistants.update
async def update_assistant(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    """Only the user's own assistants match, so the graph's shared one cannot be changed."""
    _check_assistant(value)
    return _stamp(ctx, value)


def _check_assistant(value: Any) -> None:
    """``created_by: system`` marks the assistants everyone shares: nobody may claim it; and
    an assistant's settings are checked like a run's."""
    metadata = value.get("metadata") or {}
    if "created_by" in metadata:
        raise http_error(422, "metadata.created_by is reserved for the server's own assistants.")
    try:
        parse_context(value.get("context") or None)
    except InputError as exc:
        raise _refuse(exc) from None


def _own_or_shared(ctx: Auth.types.AuthContext) -> dict[str, Any]:
    return {"$or": [_owner(ctx), {"created_by": SYSTEM}]}


@auth.on.assistants.read
async def read_assistant(ctx: Auth.types.AuthContext, value: Any) -> dict[str, Any]:
    return _own_or_shared(ctx)


@auth.on.assistants.search
async def search_assistants(ctx: Auth.types.AuthContext, value: Any) -> dict[str, Any]:
    return _own_or_shared(ctx)


@auth.on.store
async def own_namespace(ctx: Auth.types.AuthContext, value: Any) -> None:
    namespace = value.get("namespace") or ()
    if not namespace:
        raise http_error(422, "Name a namespace: it must start with your user id.")
    if namespace[0] != ctx.user.identity:
        raise http_error(403, "Store namespaces must start with your user id.")
