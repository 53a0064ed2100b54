"""Which chat model a run uses, and how provider failures reach the user."""

from __future__ import annotations

import json
import logging
import os
import re

import openai
from langchain.chat_models import init_chat_model
from langchain_core.language_models import BaseChatModel

from agent.context import OFFLINE, Context
from agent.offline import OfflineChatModel

logger = logging.getLogger(__name__)

_KEY_LIKE = re.compile(r"\b(?:sk|key|pk|rk)-[A-Za-z0-9_*.\-]{4,}")


class ModelError(RuntimeError):
    """A provider failure, worded for the person who sees it; never holds a key."""


def load_model(context: Context) -> BaseChatModel:
    """The run's chat model. OpenAI's client retries 429/5xx/timeouts with backoff itself."""
    if context.model == OFFLINE:
        return OfflineChatModel(token_delay=context.offline_token_delay)
    return init_chat_model(
        context.model, max_retries=context.model_max_retries, timeout=context.model_timeout
    )


def log_default_model() -> None:
    """One line at start-up saying which model runs use when ``AGENT_MODEL`` is unset."""
    if os.environ.get("AGENT_MODEL", "").strip():
        return
    if os.environ.get("OPENAI_API_KEY"):
        logger.warning("AGENT_MODEL is not set: using %s because OPENAI_API_KEY is set.",
                       Context().model)
    else:
        logger.warning(
            "AGENT_MODEL is not set and there is no OPENAI_API_KEY: using the offline model "
            "(no network). Set AGENT_MODEL=openai:gpt-4o-mini and OPENAI_API_KEY for a real one."
        )


def redact(text: str) -> str:
    """Remove anything that looks like a credential, and the configured key itself."""
    if key := os.environ.get("OPENAI_API_KEY"):
        text = text.replace(key, "[redacted]")
    return _KEY_LIKE.sub("[redacted]", text)


def to_model_error(exc: Exception, retries: int) -> ModelError | None:
    """A readable :class:`ModelError` for a provider failure, or None if it is not one."""
    match exc:
        case openai.RateLimitError():
            text = f"The model provider is rate-limiting us (HTTP 429) and {retries} retries ran out."
        case openai.AuthenticationError():
            text = "The model provider refused the API key (HTTP 401). Check OPENAI_API_KEY."
        case openai.APIStatusError(status_code=status) if status >= 500:
            text = f"The model provider failed (HTTP {status}) after {retries} retries."
        case openai.APIStatusError(status_code=status):
            text = f"The model provider rejected the request (HTTP {status}): {_detail(exc)}"
        case openai.APITimeoutError():
            text = f"The model provider did not answer in time ({retries} retries)."
        case openai.APIConnectionError():
            text = f"Could not reach the model provider ({retries} retries)."
        case json.JSONDecodeError() | openai.APIResponseValidationError():
            text = "The model provider sent a malformed response."
        case _ if _is_transport_error(exc):
            text = "The connection to the model provider dropped in the middle of the answer."
        case _:
            return None
    return ModelError(redact(text + " Please try again."))


def _detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return exc.message


def _is_transport_error(exc: Exception) -> bool:
    """httpx/httpx2 errors raised while reading a stream, which the client does not wrap."""
    return any(
        cls.__module__.split(".")[0] in {"httpx", "httpx2", "httpcore", "httpcore2"}
        and cls.__name__ in {"TransportError", "StreamError"}
        for cls in type(exc).__mro__
    )
