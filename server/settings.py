"""The server's settings, read from the environment once, when the server starts (the
``http.app`` asks for them as it loads), not when a module is imported."""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass

from agent.context import default_model
from server.api_keys import ApiKeys, load_api_keys
from server.limits import Limits

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    keys: ApiKeys
    limits: Limits
    models: frozenset[str] | None = None
    """The models a run's ``context.model`` may name (None: any), billed to the server's key."""


def allowed_models() -> frozenset[str] | None:
    """``AGENT_ALLOWED_MODELS`` (comma-separated; ``*`` for any), else the configured model."""
    raw = os.environ.get("AGENT_ALLOWED_MODELS", "")
    listed = {name.strip() for name in raw.split(",") if name.strip()}
    if "*" in listed:
        return None
    return frozenset(listed or {default_model()})


def is_distributed() -> bool:
    """Whether this server shares its work with other replicas (a Postgres-backed runtime)."""
    return not os.environ.get("MIGRATIONS_PATH", "").startswith("__inmem")


@functools.cache
def settings() -> Settings:
    """The settings; raises at start-up for a configuration the server must not run with."""
    keys = load_api_keys()
    if keys.enabled and is_distributed() and not os.environ.get("AGENT_TICKET_SECRET"):
        raise RuntimeError(
            "AGENT_TICKET_SECRET is required with API keys on a server of several replicas: "
            "each replica must accept the tickets the others issue."
        )
    if not keys.enabled:
        logger.warning(
            "Auth is off: AGENT_API_KEYS is not set, so anyone who can reach this server can use "
            "it. Set AGENT_API_KEYS=key:user,... before exposing it."
        )
    return Settings(
        keys=keys, limits=Limits.from_env(per_user=keys.enabled), models=allowed_models()
    )
