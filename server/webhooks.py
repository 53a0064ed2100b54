"""Run webhooks: off unless an allow-list is configured, and never to an internal address.

A webhook is a request the server makes on a caller's behalf, so an open one lets any caller
probe the server's own network (blind SSRF). ``AGENT_WEBHOOK_DOMAINS`` (``hooks.example.com``,
``*.example.com``, comma-separated) turns them on for those hosts only. Addresses that name
this machine or a private network are refused even if listed, before any connection; names
that resolve to one are refused by langgraph-api's own policy (``webhooks.url`` in
``langgraph.json``). :class:`WebhookGate` applies this before langgraph-api sees the request,
whose own check would resolve the host name first: a refused webhook costs no DNS lookup.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.asgi import peek_json
from server.validation import InputError

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "host.docker.internal"}


def allowed_domains() -> list[str]:
    raw = os.environ.get("AGENT_WEBHOOK_DOMAINS", "")
    return [d.strip().lower() for d in raw.split(",") if d.strip()]


def check_webhook(url: object, domains: list[str] | None = None) -> None:
    if url is None or url == "":
        return
    domains = allowed_domains() if domains is None else domains
    if not domains:
        raise InputError(
            "Webhooks are off on this server. Its operator can allow hosts with "
            "AGENT_WEBHOOK_DOMAINS."
        )
    parts = urlsplit(str(url))
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise InputError("The webhook must be an absolute http(s) URL.")
    if is_internal_host(host):
        raise InputError(f"The webhook host {host!r} is internal; it is never called.")
    if not any(host == d or (d.startswith("*.") and host.endswith(d[1:])) for d in domains):
        raise InputError(f"The webhook host {host!r} is not in AGENT_WEBHOOK_DOMAINS.")


def is_internal_host(host: str) -> bool:
    """Loopback, private, link-local or a local name: never called on a user's behalf."""
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


class WebhookGate:
    """Checks the ``webhook`` of run and cron creations (``.../runs``, ``/runs/stream``,
    ``/runs/wait``, ``/runs/batch``, ``/runs/crons``) before the server resolves it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "POST" or not _creates_runs(path):
            return await self.app(scope, receive, send)
        payload, replay = await peek_json(receive)
        try:
            for item in payload if isinstance(payload, list) else [payload]:
                if isinstance(item, dict):
                    check_webhook(item.get("webhook"))
        except InputError as exc:
            return await JSONResponse({"detail": str(exc)}, 422)(scope, replay, send)
        await self.app(scope, replay, send)


def _creates_runs(path: str) -> bool:
    return path.endswith(("/runs", "/runs/stream", "/runs/wait", "/runs/batch", "/runs/crons"))
