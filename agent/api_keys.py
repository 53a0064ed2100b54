"""API keys from ``AGENT_API_KEYS``, and short-lived tickets for clients that cannot send headers.

``AGENT_API_KEYS`` is ``key:user`` pairs separated by commas, or the path of a file with one
pair per line (``#`` starts a comment). A browser's ``EventSource`` and ``WebSocket`` cannot
set headers, so they trade the key for a ticket (``POST /api/chat/ticket``): the user and an
expiry, signed with a secret derived from the key list, so every replica with the same
configuration accepts it and changing the keys revokes every ticket.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

TICKET_SECONDS = 60


@dataclass(frozen=True)
class ApiKeys:
    users_by_key: dict[str, str] = field(repr=False)
    secret: bytes = field(repr=False)

    @property
    def enabled(self) -> bool:
        return bool(self.users_by_key)

    def user_for(self, key: str) -> str | None:
        """Constant-time: every configured key is compared, whatever matches."""
        found = None
        for candidate, user in self.users_by_key.items():
            if hmac.compare_digest(candidate.encode(), key.encode()):
                found = user
        return found

    def ticket_for(self, user: str, now: float | None = None) -> str:
        expiry = int((now or time.time()) + TICKET_SECONDS)
        body = f"{_b64(user.encode())}.{expiry}"
        return f"{body}.{self._sign(body)}"

    def user_for_ticket(self, ticket: str, now: float | None = None) -> str | None:
        body, _, signature = ticket.rpartition(".")
        encoded_user, _, expiry = body.partition(".")
        if not hmac.compare_digest(self._sign(body), signature) or not expiry.isdigit():
            return None
        if int(expiry) < (now or time.time()):
            return None
        try:
            return base64.urlsafe_b64decode(encoded_user + "=" * (-len(encoded_user) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            return None

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self.secret, body.encode(), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def load_api_keys(raw: str | None = None) -> ApiKeys:
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
    secret = hashlib.sha256(b"agent-ticket\0" + "\0".join(sorted(users_by_key)).encode()).digest()
    return ApiKeys(users_by_key=users_by_key, secret=secret)


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except OSError:  # e.g. a name too long to be a path: then it is a key list
        return False
