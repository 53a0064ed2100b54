"""Who may call the server and what each caller sees (``langgraph.json`` ``auth``).

With ``AGENT_API_KEYS`` set, every request needs a key (``x-api-key`` or ``Authorization:
Bearer``) or, on the two streaming routes, a ticket; each user sees only their own threads,
runs, crons, assistants and store items (another user's get 404, so nothing says they exist),
and the graph's own assistant is shared. Without keys, auth is off (local development):
everyone is one user, and the server says so once at start-up.

What may run is decided by :mod:`server.admission`, whose handlers are registered here, on the
one ``Auth`` object the server loads.
"""

from __future__ import annotations

from typing import Any

from langgraph_sdk import Auth

from server import admission
from server.identity import Unauthorized, identify

SYSTEM = "system"

auth = Auth()


@auth.authenticate
async def authenticate(headers: dict[bytes, bytes], path: str) -> Auth.types.MinimalUserDict:
    try:
        return {"identity": identify(headers, path)}
    except Unauthorized as exc:
        raise admission.http_error(401, str(exc), **{"WWW-Authenticate": "Bearer"}) from None


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
async def admit_run(ctx: Auth.types.AuthContext, value: Auth.types.RunsCreate) -> dict[str, str]:
    await admission.admit_run(value)
    return _stamp(ctx, value)


@auth.on.crons.create
async def admit_cron(ctx: Auth.types.AuthContext, value: Auth.types.CronsCreate) -> dict[str, str]:
    admission.admit_cron(value.get("payload"))
    return _stamp(ctx, value)


@auth.on.crons.update
async def update_cron(ctx: Auth.types.AuthContext, value: Auth.types.CronsUpdate) -> dict[str, str]:
    admission.admit_cron(value.get("payload"))
    return _stamp(ctx, value)


@auth.on.assistants.create
async def admit_assistant(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    admission.admit_assistant(value)
    return _stamp(ctx, value)


@auth.on.assistants.update
async def update_assistant(ctx: Auth.types.AuthContext, value: Any) -> dict[str, str]:
    """Only the user's own assistants match, so the graph's shared one cannot be changed."""
    admission.admit_assistant(value)
    return _stamp(ctx, value)


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
        raise admission.http_error(422, "Name a namespace: it must start with your user id.")
    if namespace[0] != ctx.user.identity:
        raise admission.http_error(403, "Store namespaces must start with your user id.")
