"""Run webhooks: off unless an allow-list is configured, and never to an internal address.

A webhook is a request the server makes on a caller's behalf, so an open one lets any caller
probe the server's own network (blind SSRF). ``AGENT_WEBHOOK_DOMAINS`` (``hooks.example.com``,
``*.example.com``, comma-separated) turns them on for those hosts only. Addresses that name
this machine or a private network are refused even if listed, before any connection; names
that resolve to one are refused by langgraph-api's own policy (``webhooks.url`` in
``langgraph.json``). :mod:`server.stored_inputs` applies this to every write that carries a
webhook (run and cron creations, cron updates, the newer protocol's ``run.start``) before
langgraph-api sees it, whose own check would resolve the host name first: a refused webhook
costs no DNS lookup.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

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
