"""Who is calling: the user id behind an API key or a ticket. Used by the LangGraph auth
handlers (:mod:`server.auth`) and by the middleware that runs before them."""

from __future__ import annotations

from collections.abc import Mapping

from server.api_keys import TICKET_ROUTES
from server.settings import settings

LOCAL_USER = "local"
TICKET_HEADER = "x-agent-ticket"
"""Where :mod:`server.guard` puts a ``?ticket=``, so that it never reaches the request log."""


class Unauthorized(Exception):
    """No valid key or ticket; the text says which."""


def identify(headers: dict[bytes, bytes], path: str) -> str:
    """The caller's user id, from a ticket (streaming routes only) or an API key."""
    keys = settings().keys
    if not keys.enabled:
        return LOCAL_USER
    if ticket := headers.get(TICKET_HEADER.encode(), b"").decode(errors="replace"):
        if path in TICKET_ROUTES and (user := keys.user_for_ticket(ticket, path)):
            return user
        raise Unauthorized("The ticket is invalid, expired or for another route: get a new one.")
    key = presented_key({k.decode("latin-1"): v.decode("latin-1") for k, v in headers.items()})
    if not key:
        raise Unauthorized("An API key is required, as x-api-key or Authorization: Bearer.")
    if user := keys.user_for(key):
        return user
    raise Unauthorized("The API key is not valid.")


def presented_key(headers: Mapping[str, str]) -> str:
    """The key from ``x-api-key``, else from ``Authorization: Bearer``; names are lower case."""
    key = headers.get("x-api-key", "").strip()
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return key or (token.strip() if scheme.lower() == "bearer" else "")
