"""How much the direct routes accept and how many answers they stream at once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from agent.context import env_number
from server.validation import DEFAULT_MAX_MESSAGE_CHARS, max_message_chars


@dataclass(frozen=True, kw_only=True)
class Limits:
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    max_history_messages: int = 200
    max_body_bytes: int = 1_000_000
    max_streams: int = 64
    max_streams_per_user: int | None = None
    """None: no per-user cap (auth off, one local user)."""
    ping_seconds: int = 15

    @classmethod
    def from_env(cls, per_user: bool) -> Limits:
        streams = env_number("AGENT_DIRECT_MAX_STREAMS", cls.max_streams, 1)
        return cls(
            max_message_chars=max_message_chars(),
            max_streams=streams,
            max_streams_per_user=(
                env_number("AGENT_DIRECT_MAX_STREAMS_PER_USER", max(1, streams // 2), 1)
                if per_user
                else None
            ),
            ping_seconds=env_number("AGENT_DIRECT_PING_SECONDS", cls.ping_seconds, 1),
        )


@dataclass(frozen=True)
class Busy:
    """Why an answer cannot start now: 503 when the server is full, 429 when the user is."""

    status: int
    message: str


class StreamSlots:
    """A cap on answers streaming at once in this process, and on each user's share of it.

    Refuses instead of queueing, so a client hears "busy" at once rather than waiting on a
    silent connection. The per-user cap applies only when there are users (API keys on)."""

    def __init__(self, limit: int, per_user: int | None = None) -> None:
        self.limit = limit
        self.per_user = per_user
        self.active = 0
        self._by_user: Counter[str] = Counter()

    def try_acquire(self, user: str) -> Busy | None:
        if self.per_user is not None and self._by_user[user] >= self.per_user:
            return Busy(
                429,
                f"You are already streaming {self.per_user} direct answers, the most one user "
                "may at once; finish or stop one, then try again.",
            )
        if self.active >= self.limit:
            return Busy(
                503,
                f"The server is streaming its maximum of {self.limit} direct answers; "
                "try again in a moment.",
            )
        self.active += 1
        self._by_user[user] += 1
        return None

    def release(self, user: str) -> None:
        self.active -= 1
        self._by_user[user] -= 1
        if not self._by_user[user]:
            del self._by_user[user]
