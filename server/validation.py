"""Input checks shared by the runs API (:mod:`server.run_checks`) and the direct routes.

Everything is checked before any work starts, so refused input runs nothing and leaves the
thread as it was.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import fields
from typing import Any

from agent.context import ALL_TOOLS, Context
from agent.tools import TOOL_NAMES

SETTINGS = [f.name for f in fields(Context)]


class InputError(ValueError):
    """Input a person must fix; the text says what and how."""


def load_json(text: str | bytes, what: str) -> Any:
    """Strict JSON: no NaN or Infinity, and nesting too deep for the parser is bad input too."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError, ValueError):
        raise InputError(f"{what} is not valid JSON") from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def check_text(value: object, name: str, limit: int, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string")
    if not allow_empty and not value.strip():
        raise InputError(f"{name} is empty: send some text")
    if len(value) > limit:
        raise InputError(f"{name} is {len(value)} characters long; the limit is {limit}")
    return value


def check_title(value: object, limit: int) -> None:
    """A thread's ``metadata.title``: one line of text a person can read, or null (no name:
    the first question titles the thread)."""
    if value is None:
        return
    if not isinstance(value, str):
        raise InputError("metadata.title must be a string (or null)")
    if not value.strip():
        raise InputError("metadata.title is empty: send some text")
    if len(value) > limit:
        raise InputError(
            f"metadata.title is {len(value)} characters long; the limit is {limit} "
            "(AGENT_MAX_TITLE_CHARS)"
        )
    if any(unicodedata.category(char) in _UNPRINTABLE for char in value):
        raise InputError("metadata.title holds control characters or line breaks: send one line")


_UNPRINTABLE = frozenset({"Cc", "Cs", "Zl", "Zp"})
"""Control characters (newlines and tabs too), lone surrogates, line and paragraph separators."""


def parse_context(raw: object) -> Context:
    """Per-run settings, as a dict or a JSON object in a string (a query parameter)."""
    if raw is None or raw == "":
        return Context()
    if isinstance(raw, str):
        raw = load_json(raw, "context")
    if not isinstance(raw, dict):
        raise InputError("context must be a JSON object of settings")
    if unknown := sorted(set(raw) - set(SETTINGS)):
        raise InputError(
            f"unknown setting(s) in context: {', '.join(map(str, unknown))}; "
            f"known: {', '.join(SETTINGS)}"
        )
    try:
        context = Context(**raw)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if "model" in raw:
        _check_model(context.model)
    if unknown := sorted(set(context.approve_tools) - {ALL_TOOLS, *TOOL_NAMES}):
        raise InputError(
            f"approve_tools names unknown tool(s) {', '.join(unknown)}; "
            f"known: {', '.join(TOOL_NAMES)}, or * for all"
        )
    return context


def _check_model(model: str) -> None:
    """A run may pick its model only among the server's (``AGENT_ALLOWED_MODELS``): each is
    billed to the server's key."""
    from server.settings import settings  # read at start-up; imported late (settings → here)

    allowed = settings().models
    if allowed is not None and model not in allowed:
        raise InputError(
            f"context.model {model!r} is not offered by this server; it offers "
            f"{', '.join(sorted(allowed))} (its operator can list more in AGENT_ALLOWED_MODELS)"
        )
