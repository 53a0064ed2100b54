"""What may run, checked and fitted before anything is queued (the ``auth`` handlers of
:mod:`server.auth` call these, since they run first): a run's input (:mod:`server.run_checks`),
its fit to the stored thread (:mod:`server.thread_fit`, which may rewrite it), its webhook
(:mod:`server.webhooks`) and the caller's share of the server (:mod:`server.fairness`). An
admitted run's first question titles its thread (:mod:`server.thread_titles`), and its messages
carry the time it was accepted (:mod:`agent.times`). Crons and assistants like the runs they
start. Refusals are HTTP errors that say what to fix.
"""

from __future__ import annotations

from typing import Any

from langgraph_sdk import Auth

from agent.times import now, stamp_raw
from server import fairness, upstream
from server.run_checks import check_run
from server.settings import settings
from server.thread_fit import fit_to_thread
from server.thread_titles import record_question
from server.validation import InputError, parse_context
from server.webhooks import check_webhook


def http_error(status: int, detail: str, **headers: str) -> Auth.exceptions.HTTPException:
    return Auth.exceptions.HTTPException(status_code=status, detail=detail, headers=headers)


def _refuse(exc: InputError) -> Auth.exceptions.HTTPException:
    return http_error(422, str(exc))


async def admit_run(value: Auth.types.RunsCreate) -> None:
    """Refuse what must not run before it is queued (the thread stays as it was); fit the
    input to the thread (in place: the server keeps its reference)."""
    kwargs: dict[str, Any] = value.get("kwargs") or {}
    upstream.new_message_not_resume(kwargs)
    limits = settings().limits
    try:
        messages = check_run(kwargs, limits)
        check_webhook(kwargs.get("webhook"))
        await fit_to_thread(value.get("thread_id"), kwargs, messages)
    except InputError as exc:
        raise _refuse(exc) from None
    cap, thread_id = limits.active_runs_per_user, value.get("thread_id")
    if refusal := await fairness.refuse_run(cap, thread_id, value.get("multitask_strategy")):
        raise http_error(429, refusal, **{"Retry-After": str(fairness.RETRY_AFTER_SECONDS)})
    metadata = value.get("metadata")
    await record_question(
        thread_id, kwargs.get("input"), metadata if isinstance(metadata, dict) else None
    )
    stamp_messages(kwargs)


def stamp_messages(kwargs: dict[str, Any]) -> None:
    """The messages a run writes (its input, a command's update) sent now, whatever time the
    client put on them (in place, like :func:`fit_to_thread`)."""
    at = now()
    command = kwargs.get("command")
    update = command.get("update") if isinstance(command, dict) else None
    for holder in (kwargs.get("input"), update):
        if not isinstance(holder, dict) or "messages" not in holder:
            continue
        raw = holder["messages"]
        holder["messages"] = [stamp_raw(m, at) for m in (raw if isinstance(raw, list) else [raw])]


def admit_cron(payload: dict[str, Any] | None) -> None:
    """A cron is checked like the runs it will start, when it is created, not when it fires."""
    try:
        check_run(payload or {}, settings().limits)
        check_webhook((payload or {}).get("webhook"))
    except InputError as exc:
        raise _refuse(exc) from None


def admit_assistant(value: Any) -> None:
    """``created_by: system`` marks the assistants everyone shares: nobody may claim it; and
    an assistant's settings are checked like a run's."""
    metadata = value.get("metadata") or {}
    if "created_by" in metadata:
        raise http_error(422, "metadata.created_by is reserved for the server's own assistants.")
    try:
        parse_context(value.get("context") or None)
    except InputError as exc:
        raise _refuse(exc) from None
