"""Per-run settings, typed, with defaults read from the environment.

Studio and API clients can override any field per run through the run's ``context``;
a field left out takes its environment default, read when the run starts.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

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


def _env_number(name: str, default: N) -> Callable[[], N]:
    return functools.partial(env_number, name, default)


@dataclass(kw_only=True)
class Context:
    """What a run can be configured with."""

    model: str = field(
        default_factory=default_model,
        metadata={"description": "init_chat_model string (e.g. openai:gpt-4o-mini) or 'offline'."},
    )
    system_prompt: str = field(
        default=prompts.SYSTEM_PROMPT,
        metadata={"description": "System prompt sent before the conversation."},
    )
    offline_token_delay: float = field(
        default_factory=_env_number("AGENT_OFFLINE_TOKEN_DELAY", 0.02),
        metadata={"description": "Seconds between tokens of the offline model."},
    )
    tool_step_delay: float = field(
        default_factory=_env_number("AGENT_TOOL_STEP_DELAY", 0.3),
        metadata={"description": "Seconds per progress step of the long-running tools."},
    )
    model_max_retries: int = field(
        default_factory=_env_number("AGENT_MODEL_MAX_RETRIES", 3),
        metadata={"description": "Retries, with exponential backoff, of failed provider calls."},
    )
    model_timeout: float = field(
        default_factory=_env_number("AGENT_MODEL_TIMEOUT", 60.0),
        metadata={"description": "Seconds to wait for the model provider."},
    )

    approve_tools: list[str] = field(
        default_factory=lambda: env_list("AGENT_APPROVE_TOOLS"),
        metadata={
            "description": "Tools whose calls wait for a person's approval; '*' for all. "
            "Default: AGENT_APPROVE_TOOLS (comma-separated), else none."
        },
    )

    def __post_init__(self) -> None:
        """Reject bad per-run values with a message, not a TypeError deep in a tool. The upper
        bounds keep one request from holding a worker for days."""
        if not isinstance(self.model, str) or not self.model.strip():
            raise ValueError(f"context.model must be a model name, got {self.model!r}")
        if not isinstance(self.system_prompt, str):
            raise ValueError("context.system_prompt must be a string")
        for name, most in _MAXIMA.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"context.{name} must be a number >= 0, got {value!r}")
            if not 0 <= value <= most:  # also refuses NaN
                raise ValueError(f"context.{name} must be a number from 0 to {most}, got {value!r}")
        tools = self.approve_tools
        if not isinstance(tools, list) or not all(isinstance(t, str) for t in tools):
            raise ValueError('context.approve_tools must be a list of tool names, or ["*"]')
        retries = self.model_max_retries
        if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 10:
            raise ValueError(
                f"context.model_max_retries must be an integer from 0 to 10, got {retries!r}"
            )


_MAXIMA = {"offline_token_delay": 10, "tool_step_delay": 60, "model_timeout": 600}
