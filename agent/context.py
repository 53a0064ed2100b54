"""Per-run settings, typed, with defaults read from the environment.

Studio and API clients can override any field per run through the run's ``context``;
a field left out takes its environment default, read when the run starts.

Each field's ``metadata`` holds pydantic ``Field`` arguments (description, bounds), which
pydantic reads from a stdlib dataclass: the context JSON schema Studio shows and the checks in
``__post_init__`` come from the same numbers.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, get_type_hints

from agent import prompts

OFFLINE = "offline"
ALL_TOOLS = "*"
"""In ``approve_tools``: every tool."""
DEFAULT_OPENAI_MODEL = "openai:gpt-4o-mini"

N = TypeVar("N", int, float)


def default_model() -> str:
    """``AGENT_MODEL`` if set, else OpenAI when a key is present, else the offline model."""
    if configured := os.environ.get("AGENT_MODEL", "").strip():
        return configured
    return DEFAULT_OPENAI_MODEL if os.environ.get("OPENAI_API_KEY") else OFFLINE


def env_number(name: str, default: N, minimum: int = 0) -> N:
    """``name`` from the environment, of ``default``'s type; a bad value is named, not guessed."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = type(default)(raw)
    except ValueError:
        raise ValueError(f"{name} must be a {type(default).__name__}, got {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def env_list(name: str) -> list[str]:
    """A comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


MAX_SYSTEM_PROMPT_CHARS = env_number("AGENT_MAX_SYSTEM_PROMPT_CHARS", 16_000, 1)


def _shows_default(factory: Callable[[], object]) -> Callable[[dict[str, Any]], None]:
    """Puts a factory's value in the JSON schema as the default. The environment is constant
    within a server process, so the value Studio shows is the one a run gets; a bad value
    shows none (the run names the problem)."""

    def show(schema: dict[str, Any]) -> None:
        try:
            schema["default"] = factory()
        except ValueError:
            pass

    return show


def _from_env(name: str, default: N, description: str, most: float) -> Any:
    """A number whose default is ``name`` in the environment, else ``default``."""
    factory = functools.partial(env_number, name, default)
    return field(
        default_factory=factory,
        metadata={
            "description": f"{description} Default: {name}, else {default}.",
            "ge": 0,
            "le": most,
            "json_schema_extra": _shows_default(factory),
        },
    )


@dataclass(kw_only=True)
class Context:
    """What a run can be configured with."""

    model: str = field(
        default_factory=default_model,
        metadata={
            "description": "init_chat_model string (e.g. openai:gpt-4o-mini) or 'offline'. "
            "Default: AGENT_MODEL, else OpenAI when OPENAI_API_KEY is set, else offline.",
            "min_length": 1,
            "json_schema_extra": _shows_default(default_model),
        },
    )
    system_prompt: str = field(
        default=prompts.SYSTEM_PROMPT,
        metadata={
            "description": "System prompt sent before the conversation. "
            "At most AGENT_MAX_SYSTEM_PROMPT_CHARS characters.",
            "max_length": MAX_SYSTEM_PROMPT_CHARS,
        },
    )
    offline_token_delay: float = _from_env(
        "AGENT_OFFLINE_TOKEN_DELAY", 0.02, "Seconds between tokens of the offline model.", 10
    )
    tool_step_delay: float = _from_env(
        "AGENT_TOOL_STEP_DELAY", 0.3, "Seconds per progress step of the long-running tools.", 60
    )
    model_max_retries: int = _from_env(
        "AGENT_MODEL_MAX_RETRIES",
        3,
        "Retries, with exponential backoff, of failed provider calls.",
        10,
    )
    model_timeout: float = _from_env(
        "AGENT_MODEL_TIMEOUT", 60.0, "Seconds to wait for the model provider.", 600
    )
    approve_tools: list[str] = field(
        default_factory=functools.partial(env_list, "AGENT_APPROVE_TOOLS"),
        metadata={
            "description": "Tools whose calls wait for a person's approval; '*' for all. "
            "Default: AGENT_APPROVE_TOOLS (comma-separated), else none.",
            "json_schema_extra": _shows_default(functools.partial(env_list, "AGENT_APPROVE_TOOLS")),
        },
    )

    def __post_init__(self) -> None:
        """Reject bad per-run values with a message, not a TypeError deep in a tool. The upper
        bounds keep one request from holding a worker for days."""
        if not isinstance(self.model, str) or not self.model.strip():
            raise ValueError(f"context.model must be a model name, got {self.model!r}")
        if not isinstance(self.system_prompt, str):
            raise ValueError("context.system_prompt must be a string")
        tools = self.approve_tools
        if not isinstance(tools, list) or not all(isinstance(t, str) for t in tools):
            raise ValueError('context.approve_tools must be a list of tool names, or ["*"]')
        if len(self.system_prompt) > MAX_SYSTEM_PROMPT_CHARS:
            raise ValueError(
                f"context.system_prompt is {len(self.system_prompt)} characters long; "
                f"the limit is {MAX_SYSTEM_PROMPT_CHARS} (AGENT_MAX_SYSTEM_PROMPT_CHARS)"
            )
        for name, (least, most) in _BOUNDS.items():
            _check_number(name, getattr(self, name), least, most, integer=_TYPES[name] is int)


def _check_number(name: str, value: object, least: float, most: float, *, integer: bool) -> None:
    kind = "an integer" if integer else "a number"
    span = f"from {least:g} to {most:g}"
    if isinstance(value, bool) or not isinstance(value, int if integer else int | float):
        expected = f"{kind} {span}" if integer else f"{kind} >= {least:g}"
        raise ValueError(f"context.{name} must be {expected}, got {value!r}")
    if not least <= value <= most:  # also refuses NaN
        raise ValueError(f"context.{name} must be {kind} {span}, got {value!r}")


_TYPES = get_type_hints(Context)
_BOUNDS = {
    f.name: (f.metadata["ge"], f.metadata["le"]) for f in fields(Context) if "le" in f.metadata
}
