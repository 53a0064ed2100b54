"""API keys from ``AGENT_API_KEYS``, and short-lived tickets for clients that cannot send headers.

``AGENT_API_KEYS`` is ``key:user`` pairs separated by commas, or the path of a file with one
pair per line (``#`` starts a comment). A browser's ``EventSource`` and ``WebSocket`` cannot
set headers, so they trade the key for a ticket (``POST /api/chat/ticket``): one route, one
user, one minute, signed with HMAC-SHA256 under a server secret that has nothing to do with the
keys (``AGENT_TICKET_SECRET``, or random per process), so a ticket says nothing about any key.
A ticket names the key it was traded for by a keyed fingerprint: when that key is removed or
given to another user, its tickets stop working.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

TICKET_SECONDS = 60
TICKET_ROUTES = ("/api/chat/stream", "/ws/chat")
_MIN_SECRET_CHARS = 32


@dataclass(frozen=True)
class ApiKeys:
    users_by_key: dict[str, str] = field(repr=False)
    secret: bytes = field(repr=False)
    users_by_fingerprint: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        fingerprints = {self._fingerprint(k): u for k, u in self.users_by_key.items()}
        object.__setattr__(self, "users_by_fingerprint", fingerprints)

    @property
    def enabled(self) -> bool:
        return bool(self.users_by_key)

    def user_for(self, key: str) -> str | None:
        """Constant-time: every configured key is compared, whatever matches."""
        given = key.encode()
        found = None
        for candidate, user in self.users_by_key.items():
            if hmac.compare_digest(candidate.encode(), given):
                found = user
        return found

    def ticket_for(self, key: str, route: str, now: float | None = None) -> str:
        """A ticket for ``route``, for the user of ``key`` (which must be valid)."""
        user = self.user_for(key)
        if user is None or route not in TICKET_ROUTES:
            raise ValueError("a ticket needs a valid key and one of the streaming routes")
        claims = {
            "u": user,
            "r": route,
            "e": int((time.time() if now is None else now) + TICKET_SECONDS),
            "k": self._fingerprint(key),
        }
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def user_for_ticket(self, ticket: str, route: str, now: float | None = None) -> str | None:
        """The ticket's user if it is genuine, unexpired, for ``route`` and its key still
        belongs to that user; else None (malformed input included)."""
        body, _, signature = ticket.rpartition(".")
        if not ticket.isascii() or not hmac.compare_digest(
            self._sign(body).encode(), signature.encode()
        ):
            return None
        try:
            claims = json.loads(_unb64(body))
            user, bound, expiry, key = claims["u"], claims["r"], claims["e"], claims["k"]
        except (ValueError, KeyError, TypeError):
            return None
        if bound != route or not isinstance(expiry, int):
            return None
        if expiry < (time.time() if now is None else now):
            return None
        return user if self.users_by_fingerprint.get(key) == user else None

    def _fingerprint(self, key: str) -> str:
        return _b64(hmac.new(self.secret, b"key\0" + key.encode(), hashlib.sha256).digest()[:12])

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self.secret, b"ticket\0" + body.encode(), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64") from exc


def load_api_keys(raw: str | None = None, secret: str | None = None) -> ApiKeys:
    """Parse the configuration; a malformed entry is named by position, never by its key."""
    raw = os.environ.get("AGENT_API_KEYS", "") if raw is None else raw
    text = raw.strip()
    if text and _is_file(text):
        entries = [line.split("#", 1)[0] for line in Path(text).read_text().splitlines()]
    elif text and ":" not in text:
        raise ValueError(
            "AGENT_API_KEYS must be key:user pairs, comma-separated, or a file of them"
        )
    else:
        entries = text.split(",")
    users_by_key: dict[str, str] = {}
    for position, entry in enumerate((e.strip() for e in entries if e.strip()), start=1):
        key, sep, user = entry.partition(":")
        if not sep or not key.strip() or not user.strip():
            raise ValueError(f"AGENT_API_KEYS entry {position} is not of the form key:user")
        if key.strip() in users_by_key:
            raise ValueError(f"AGENT_API_KEYS entry {position} repeats an earlier key")
        users_by_key[key.strip()] = user.strip()
    return ApiKeys(users_by_key=users_by_key, secret=ticket_secret(secret))


def ticket_secret(configured: str | None = None) -> bytes:
    """``AGENT_TICKET_SECRET``, or a random one for this process (then a ticket works only on
    the replica that issued it)."""
    configured = os.environ.get("AGENT_TICKET_SECRET", "") if configured is None else configured
    if not configured:
        return secrets.token_bytes(32)
    if len(configured) < _MIN_SECRET_CHARS:
        raise ValueError(f"AGENT_TICKET_SECRET must be at least {_MIN_SECRET_CHARS} characters")
    return configured.encode()


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except OSError:  # e.g. a name too long to be a path: then it is a key list
        return False
