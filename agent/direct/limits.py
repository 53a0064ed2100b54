"""How much the direct routes accept and how many answers they stream at once."""

from __future__ import annotations

from dataclasses import dataclass

from agent.context import env_number
from agent.validation import DEFAULT_MAX_MESSAGE_CHARS, max_message_chars


@dataclass(frozen=True, kw_only=True)
class Limits:
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    max_history_messages: int = 200
    max_body_bytes: int = 1_000_000
    max_streams: int = 64
    ping_seconds: int = 15

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            max_message_chars=max_message_chars(),
            max_streams=env_number("AGENT_DIRECT_MAX_STREAMS", cls.max_streams, 1),
            ping_seconds=env_number("AGENT_DIRECT_PING_SECONDS", cls.ping_seconds, 1),
        )


class StreamSlots:
    """A cap on answers streaming at once in this process; refuses instead of queueing, so a
    client hears "busy" at once rather than waiting on a silent connection."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0

    def try_acquire(self) -> bool:
        if self.active >= self.limit:
            return False
        self.active += 1
        return True

    def release(self) -> None:
        self.active -= 1

    def busy_message(self) -> str:
        return (
            f"The server is streaming its maximum of {self.limit} direct answers; "
            "try again in a moment."
        )
