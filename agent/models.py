"""Which chat model a run uses, and how provider failures reach the user."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import traceback

import openai
from langchain.chat_models import init_chat_model
from langchain_core import exceptions as lc
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from agent.context import OFFLINE, Context, default_model
from agent.offline import OfflineChatModel

logger = logging.getLogger(__name__)

_KEY_LIKE = re.compile(r"\b(?:sk|key|pk|rk)-[A-Za-z0-9_*.\-]{4,}")


class ModelProviderError(RuntimeError):
    """A provider failure, worded for the person who sees it; never holds a key."""


def load_model(context: Context) -> BaseChatModel:
    """The run's chat model. OpenAI's client retries 429/5xx/timeouts with backoff itself."""
    if context.model == OFFLINE:
        return OfflineChatModel(token_delay=context.offline_token_delay)
    return init_chat_model(
        context.model, max_retries=context.model_max_retries, timeout=context.model_timeout
    )


@functools.cache  # once per process, though the server loads graph.py by path and by module
def log_default_model() -> None:
    """One line at start-up saying which model runs use when ``AGENT_MODEL`` is unset."""
    if os.environ.get("AGENT_MODEL", "").strip():
        return
    if os.environ.get("OPENAI_API_KEY"):
        logger.warning(
            "AGENT_MODEL is not set: using %s because OPENAI_API_KEY is set.", default_model()
        )
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


def log_failure(log: logging.Logger, what: str, exc: BaseException) -> str:
    """Log the stack trace, redacted, and return the redacted message a person may see."""
    log.error("%s: %s", what, redact("".join(traceback.format_exception(exc))).rstrip())
    return redact(str(exc)).strip()


def to_model_error(exc: Exception, retries: int) -> ModelProviderError | None:
    """A readable error for a provider failure, or None if ``exc`` is not one.

    Keyed on LangChain's provider-neutral exceptions, so any integration that raises them works.
    """
    tries = f"after {retries} {'retry' if retries == 1 else 'retries'}"
    status = getattr(exc, "status_code", None)
    match exc:
        case lc.ModelRateLimitError():
            text = f"The model provider is rate limiting (HTTP 429), still {tries}."
        case lc.ModelAuthenticationError() | lc.ModelPermissionDeniedError():
            text = f"The model provider refused the API key (HTTP {status}). Check OPENAI_API_KEY."
        case lc.ModelAPIError():
            text = f"The model provider failed (HTTP {status}) {tries}."
        case lc.ModelTimeoutError():
            # No retry count: the client cannot tell a timeout before the answer (retried)
            # from one in the middle of it (not retried, tokens went out).
            text = "The model provider did not answer in time."
        case lc.ModelConnectionError() if _dropped_mid_stream(exc):
            text = "The connection to the model provider dropped in the middle of the answer."
        case lc.ModelConnectionError():
            text = f"Could not reach the model provider, {tries}."
        case lc.ModelError():
            text = f"The model provider rejected the request: {_detail(exc)}"
        case json.JSONDecodeError() | openai.APIResponseValidationError():
            text = "The model provider sent a malformed response."
        case _:
            return None
    return ModelProviderError(redact(f"{text.rstrip(' .')}. Please try again."))


def check_complete(message: BaseMessage, context: Context) -> None:
    """A provider stream that ends without saying why (no ``finish_reason``) was cut off: say
    so rather than save half an answer as if whole."""
    if context.model == OFFLINE:
        return
    metadata = message.response_metadata
    if not (metadata.get("finish_reason") or metadata.get("stop_reason")):
        raise ModelProviderError(
            "The model provider's answer was cut off before it finished. Please try again."
        )


def _detail(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) else str(exc)


def _chain_names(exc: BaseException) -> set[str]:
    names: set[str] = set()
    seen: BaseException | None = exc
    while seen is not None:
        names.add(type(seen).__name__)
        seen = seen.__cause__ or seen.__context__
    return names


def _dropped_mid_stream(exc: BaseException) -> bool:
    """Whether the connection broke after the response began (never retried: tokens went out)."""
    return bool(_chain_names(exc) & {"RemoteProtocolError", "ReadError"})
