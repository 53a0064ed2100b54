"""Exceptions -> one readable line, and which of them are worth retrying."""

from __future__ import annotations

import re

import httpx
from langgraph_sdk.errors import APIStatusError, InternalServerError, RateLimitError

PROBE_TIMEOUT = 5.0


class NotLangGraph(Exception):
    """The server answered, but not as a LangGraph server does: retrying will not help."""


async def not_langgraph(http: httpx.AsyncClient, url: str) -> NotLangGraph | None:
    """Why ``url`` is not a LangGraph server, judged by its ``GET /ok`` (the API answers
    ``{"ok": true, ...}``); None if it is one, or if it cannot be asked (then the error that made
    the caller ask speaks for itself)."""
    try:
        response = await http.get("/ok", timeout=PROBE_TIMEOUT)
    except httpx.TransportError:
        return None
    try:
        answer = response.json()
        if response.status_code == 200 and isinstance(answer, dict) and answer.get("ok") is True:
            return None
    except ValueError:  # not JSON
        pass
    kind = response.headers.get("content-type", "no content type").partition(";")[0]
    return NotLangGraph(
        f"{url} is not a LangGraph server (GET /ok answered HTTP {response.status_code}, "
        f"{kind}): check --url, or LANGGRAPH_API_URL, or .langgraph_url"
    )


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*(?:-\s*)?", " ", text).strip()


def _status(exc: Exception) -> int | None:
    if isinstance(exc, APIStatusError):
        return exc.status_code
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code
    return None


def is_transient(exc: BaseException) -> bool:
    """Drops, refusals, timeouts, 429 and 5xx may pass; other HTTP errors will not."""
    if isinstance(exc, RateLimitError | InternalServerError):
        return True
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        return status in (408, 429) or status >= 500
    return isinstance(exc, httpx.TransportError)


def describe(exc: BaseException, url: str) -> str:
    """What went wrong, for a person: the server's own message where it sent one."""
    status = _status(exc) if isinstance(exc, Exception) else None
    detail = _one_line(getattr(exc, "message", "") or str(exc))
    if isinstance(exc, NotLangGraph):
        return detail
    if isinstance(exc, httpx.ConnectError):
        return f"Cannot reach the LangGraph server at {url}: is it running? (make dev)"
    if isinstance(exc, httpx.TimeoutException):
        return f"The LangGraph server at {url} did not answer in time."
    if status in (401, 403):
        return f"The server refused the request (HTTP {status}): {detail}. Check --api-key."
    if status == 409:
        return (
            "The thread is busy with another run (HTTP 409): wait for it to finish, "
            "cancel it, or start a new thread."
        )
    if status is not None:
        return f"{detail} (HTTP {status})"
    if isinstance(exc, httpx.HTTPError):
        return f"Connection to {url} failed: {detail or type(exc).__name__}"
    return f"{type(exc).__name__}: {detail}"
