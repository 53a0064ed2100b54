"""When a stored message was sent: ``additional_kwargs["sent_at"]``, an ISO 8601 UTC time.

LangChain messages carry no time, so the server stamps each one as it is stored: a question
when its run is accepted (:mod:`server.admission`, and the direct routes), an answer or a tool
result when its node produces it. Providers never see the field: chat model integrations send
only the ``additional_kwargs`` they know (tool calls, function calls, audio). A time a client
sends is overwritten, never trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from langchain_core.messages import BaseMessage

SENT_AT = "sent_at"

M = TypeVar("M", bound=BaseMessage)


def now() -> str:
    """The current time, to the millisecond, as the web app's ``<time dateTime>`` reads it."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def stamped(message: M, at: str | None = None) -> M:
    """``message`` (a copy) sent ``at``, or now."""
    kwargs = {**message.additional_kwargs, SENT_AT: at or now()}
    return message.model_copy(update={"additional_kwargs": kwargs})


def stamp_all(messages: Sequence[M]) -> list[M]:
    """Messages produced together, with one time."""
    at = now()
    return [stamped(message, at) for message in messages]


def stamp_raw(message: object, at: str) -> object:
    """A message as a client sent it (a dict in ``role`` or ``type`` form, or a string), with
    the server's time in place of any the client put there."""
    if isinstance(message, str):
        return {"role": "user", "content": message, "additional_kwargs": {SENT_AT: at}}
    if not isinstance(message, dict):
        return message
    extra: Any = message.get("additional_kwargs")
    kept = extra if isinstance(extra, dict) else {}
    return {**message, "additional_kwargs": {**kept, SENT_AT: at}}


def without_time(message: object) -> object:
    """A client-sent message with no time: history a direct request carries was stored
    nowhere, so it has none the server vouches for."""
    if not isinstance(message, dict) or not isinstance(message.get("additional_kwargs"), dict):
        return message
    kept = {k: v for k, v in message["additional_kwargs"].items() if k != SENT_AT}
    return {**message, "additional_kwargs": kept}
