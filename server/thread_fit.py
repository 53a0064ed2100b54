"""A run's input fitted to the thread it runs on, before the run is queued.

A tool message that answers no call is refused; one that repeats an answer is let through, and
the state's merge keeps the first (:func:`agent.state.add_messages_once`). Calls the thread left
unanswered get a "cancelled" result before the new message, so the stored history stays one a
strict provider accepts. A resume must answer the decision the thread waits for, and a run with
no input needs something to continue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import message_to_dict
from langgraph_sdk import get_client

from agent.approval import DecisionError, check_decisions
from agent.context import env_list
from agent.history import cancelled_result
from server.run_checks import CheckedMessage
from server.validation import InputError


async def fit_to_thread(
    thread_id: object, kwargs: dict[str, Any], checked: list[CheckedMessage]
) -> None:
    """Fit the input to what the thread stores, and check a resume against the decision the
    thread waits for; raises :class:`InputError` for what cannot fit."""
    command = kwargs.get("command")
    resume = command.get("resume") if isinstance(command, dict) else None
    continuing = not checked and command is None and not _checkpoint_id(kwargs)
    if not checked and resume is None and not continuing:
        return  # a replay from a checkpoint, or another command
    stored = await _stored(thread_id, kwargs, checked)
    if continuing and not stored.next:
        raise InputError("There is nothing to continue on this thread: send a message.")
    if resume is not None:
        if stored.request is None:
            raise InputError("This thread is not waiting for a decision: nothing to resume.")
        answer = _answer(resume, stored)
        try:
            check_decisions(answer, stored.request)
        except DecisionError as exc:
            raise InputError(str(exc)) from None
        _review_again(kwargs, stored.request)
        if stored.request_id and isinstance(command, dict):
            # Bound to the request it was checked against: should another one be pending when
            # this run starts (runs queued behind each other), LangGraph applies it to none,
            # and the thread keeps waiting for a decision on what it now shows.
            kwargs["command"] = {**command, "resume": {stored.request_id: answer}}
    fitted = _fitted_input(stored, checked)
    if [s for s, _ in fitted] == list(range(len(checked))):
        return
    messages = kwargs["input"]["messages"]
    originals = messages if isinstance(messages, list) else [messages]
    kwargs["input"]["messages"] = [
        originals[index] if index is not None else extra for index, extra in fitted
    ]


def _answer(resume: object, stored: Stored) -> object:
    """The decisions, given as ``{"decisions": [...]}`` or keyed by the interrupt they answer
    (``{<interrupt id>: {"decisions": [...]}}``, what the JS SDK's ``respond()`` sends)."""
    if isinstance(resume, dict) and stored.request_id in resume and len(resume) == 1:
        return resume[stored.request_id]
    return resume


def _review_again(kwargs: dict[str, Any], request: Mapping[str, Any]) -> None:
    """The resumed run reviews the calls its decisions answer, whatever context the resuming
    client sent: else the tools node would find nothing to review, run every call and ignore
    a reject."""
    context = kwargs.get("context")
    if not isinstance(context, dict):
        kwargs["context"] = context = {}
    current = context.get("approve_tools")
    names = current if isinstance(current, list) else env_list("AGENT_APPROVE_TOOLS")
    reviewed = [action.get("name") for action in request.get("action_requests") or []]
    context["approve_tools"] = list(dict.fromkeys([*names, *reviewed]))


def _fitted_input(
    stored: Stored, checked: Sequence[CheckedMessage]
) -> list[tuple[int | None, Any]]:
    """The input, as (index of the original message, or None and a message to insert)."""
    open_calls: dict[str, str] = {}
    answered: set[str] = set()
    for message in stored.messages:
        if message.get("type") == "tool":
            answered.add(str(message.get("tool_call_id")))
            open_calls.pop(str(message.get("tool_call_id")), None)
        else:
            open_calls = {
                str(c.get("id")): str(c.get("name")) for c in message.get("tool_calls") or []
            }
    open_calls = {k: v for k, v in open_calls.items() if k not in answered}
    stored_open = dict(open_calls)
    fitted: list[tuple[int | None, Any]] = []
    for index, item in enumerate(checked):
        if item.kind == "tool":
            assert item.answers is not None
            if item.answers in open_calls:
                del open_calls[item.answers]
                answered.add(item.answers)
            elif item.answers not in answered and stored.known:
                raise InputError(
                    f"{item.where} answers tool call {item.answers!r}, "
                    "which no open assistant message made"
                )
            # A repeated answer, or one for a busy thread's call, stays: the state keeps one
            # answer per call, after its call (agent.state).
            fitted.append((index, None))
            continue
        if open_calls:
            if any(call not in stored_open for call in open_calls):
                raise InputError(
                    f"tool call(s) {sorted(open_calls)} have no tool message before {item.where}"
                )
            fitted += [(None, _cancelled(call, name)) for call, name in open_calls.items()]
            open_calls = {}
        fitted.append((index, None))
        if item.kind == "ai":
            open_calls = dict(item.calls)
    return fitted


def _cancelled(call_id: str, name: str) -> dict[str, Any]:
    return message_to_dict(cancelled_result(call_id, name))["data"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Stored:
    messages: list[dict[str, Any]]
    request: dict[str, Any] | None
    """The human-in-the-loop request the thread waits on (:mod:`agent.approval`), if any."""
    request_id: str | None
    next: list[str]
    """The nodes a run with no input would continue with."""
    known: bool = True
    """False for a busy thread: what it will hold when this run starts is not known yet."""


_NOTHING = Stored([], None, None, [])
_BUSY = Stored([], None, None, [], known=False)


def _checkpoint_id(kwargs: Mapping[str, Any]) -> str | None:
    config = kwargs.get("config")
    configurable = config.get("configurable") if isinstance(config, dict) else None
    found = configurable.get("checkpoint_id") if isinstance(configurable, dict) else None
    return str(found) if found else None


async def _stored(
    thread_id: object, kwargs: Mapping[str, Any], checked: Sequence[CheckedMessage]
) -> Stored:
    """The thread where this run starts, as far as it matters here.

    Only a thread whose last run did not end cleanly (status ``interrupted`` or ``error``) can
    hold an unanswered call, a pending decision or something to continue; an idle one is read
    only to match tool messages; a busy one not at all, since it will have changed by the time
    this run starts (the state's merge then keeps only tool messages that answer a call).
    In-process, with the caller's own permissions, so another user's thread reads as none; a
    search first, so a thread this run creates logs no 404.
    """
    if thread_id is None:
        return _NOTHING
    checkpoint_id = _checkpoint_id(kwargs)
    answers = any(item.kind == "tool" for item in checked)
    client = get_client()
    try:
        found = await client.threads.search(ids=[str(thread_id)], select=["status"], limit=1)
        status = found[0]["status"] if found else None
        if status == "busy" and not checkpoint_id:
            return _BUSY
        if not checkpoint_id and (status is None or (status == "idle" and not answers)):
            return _NOTHING
        state = await client.threads.get_state(str(thread_id), checkpoint_id=checkpoint_id)
    finally:
        await client.aclose()
    values = state.get("values")
    messages = values.get("messages") if isinstance(values, dict) else None
    requests = [
        pending
        for task in state.get("tasks") or []
        for pending in task.get("interrupts") or []
        if isinstance(pending.get("value"), dict) and "action_requests" in pending["value"]
    ]
    return Stored(
        messages if isinstance(messages, list) else [],
        requests[0]["value"] if requests else None,
        requests[0]["id"] if requests else None,
        list(state.get("next") or []),
    )
