"""Make a stored conversation acceptable to strict providers before the model sees it.

A run stopped mid-tool leaves an assistant message whose tool calls have no answers, and some
clients add their own tool messages, so a thread can hold unanswered, duplicate or orphan tool
results. OpenAI rejects all three. The stored thread is left as the user saw it; only the copy
sent to the model is repaired.

The results that stand for a call that did not run (cancelled, or declined by a person) are
made here too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, ToolCall, ToolMessage
from langchain_core.runnables.config import ensure_config

CANCELLED_TEXT = "Cancelled: this tool call was stopped before it finished, so there is no result."
CANCELLED_ARTIFACT = {"cancelled": True}
"""The artifact of a "cancelled" result: clients tell it from a tool's own error by this, and
an artifact is never sent to the model."""


def cancelled_result(call_id: str, name: str) -> ToolMessage:
    return ToolMessage(
        content=CANCELLED_TEXT,
        tool_call_id=call_id,
        name=name,
        status="error",
        artifact=CANCELLED_ARTIFACT,
    )


DECLINED = {"declined": True}
"""The artifact of the result of a call a person rejected (:mod:`agent.approval`)."""
_REASON = " Their reason: "


def declined_result(call_id: str, name: str, reason: str) -> ToolMessage:
    """What a rejected call gets instead of running: the model reads that it was declined."""
    because = f"{_REASON}{reason.strip()}" if reason.strip() else ""
    return ToolMessage(
        content=f"The user declined this call of {name}; it did not run.{because}",
        tool_call_id=call_id,
        name=name,
        status="error",
        artifact=DECLINED,
    )


def declined_reason(message: BaseMessage) -> str | None:
    """The reason given for rejecting the call ``message`` answers ('' for none), or None when
    it is not such a result."""
    artifact = message.artifact if isinstance(message, ToolMessage) else None
    if not isinstance(artifact, dict) or artifact.get("declined") is not True:
        return None
    _, _, reason = message.text.partition(_REASON)
    return reason


def repair_tool_history(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    """Put each tool call's first answer right after its call, in order; invent the missing.

    A complete prefix (every call answered right after it, no result left over) needs no
    repair, and nothing after it changes it, call ids being unique in a thread (providers
    make them so, and so does the offline model): only what follows the longest one is
    repaired, and only what follows the longest one already known is looked at."""
    start = _remember(messages, _scan(messages, _complete_prefix(messages))[1])
    return [*messages[:start], *_repaired(messages[start:])]


def _repaired(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    answers: dict[str, AnyMessage] = {}
    for message in messages:
        if isinstance(message, ToolMessage):
            answers.setdefault(message.tool_call_id, message)

    repaired: list[AnyMessage] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            continue
        repaired.append(message)
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                call_id = call["id"] or ""
                answer = answers.pop(call_id, None) or cancelled_result(call_id, call["name"])
                repaired.append(answer)
    return repaired


def unanswered_calls(messages: Sequence[BaseMessage]) -> tuple[AIMessage | None, list[ToolCall]]:
    """The last assistant message, if only tool results follow it, and its calls still
    without a result."""
    answered: set[str] = set()
    for message in reversed(messages):
        if isinstance(message, ToolMessage):
            answered.add(message.tool_call_id)
        elif isinstance(message, AIMessage):
            return message, [c for c in message.tool_calls if c["id"] not in answered]
        else:
            break
    return None, []


def cancelled_results(messages: Sequence[BaseMessage]) -> list[ToolMessage]:
    """A "cancelled" result for each call of the last assistant message still unanswered."""
    _, calls = unanswered_calls(messages)
    return [cancelled_result(call["id"] or "", call["name"]) for call in calls]


def tool_history_problem(messages: Sequence[BaseMessage]) -> str | None:
    """What OpenAI would reject in this history, or None: unanswered, orphan or extra results
    (the results of one step may come in any order)."""
    problem, complete = _scan(messages, _complete_prefix(messages))
    _remember(messages, complete)
    return problem


def _scan(messages: Sequence[BaseMessage], start: int) -> tuple[str | None, int]:
    """From a complete prefix on: the first problem, and the longest complete prefix before it
    (every call answered right after it, in the order of the calls, no result left over: what
    the repair leaves as it is)."""
    expected: list[str] = []
    complete, in_order = start, True
    for index in range(start, len(messages)):
        message = messages[index]
        if isinstance(message, ToolMessage):
            if message.tool_call_id not in expected:
                problem = (
                    f"tool message {message.tool_call_id!r} does not answer a pending tool call"
                )
                return problem, complete
            in_order = in_order and message.tool_call_id == expected[0]
            expected.remove(message.tool_call_id)
        elif expected:
            return f"tool calls {expected} are not followed by their tool messages", complete
        elif isinstance(message, AIMessage):
            expected = [call["id"] or "" for call in message.tool_calls]
        if not expected and in_order:
            complete = index + 1
    return None, complete


_KNOWN_LIMIT = 4096
_known: OrderedDict[tuple[object, int, str], None] = OrderedDict()
"""Complete prefixes seen by earlier calls: by thread, length and the id of their last message.

A thread's messages keep their ids and places, and each model call sees the previous call's
history plus a few messages, so the checks above only look at what follows the last complete
prefix: per call, work in proportion to what changed, not to the thread's length. A fork (an
edit, a regenerate) shares its thread's prefixes: message ids are taken as unique (LangGraph
gives a message without one a uuid4, and clients send uuid4s). Messages without an id are
never known."""
_known_lock = threading.Lock()


def _thread() -> object:
    """The thread of the run this is called in, if any: one thread's history never vouches
    for another's."""
    return ensure_config().get("configurable", {}).get("thread_id")


def _complete_prefix(messages: Sequence[BaseMessage]) -> int:
    """The length of the longest prefix of ``messages`` known to be complete (else 0), found
    walking back from the end."""
    thread = _thread()
    for end in range(len(messages), 0, -1):
        message_id = messages[end - 1].id
        if message_id is not None and (thread, end, message_id) in _known:
            with _known_lock:
                if (thread, end, message_id) in _known:
                    _known.move_to_end((thread, end, message_id))
            return end
    return 0


def _remember(messages: Sequence[BaseMessage], complete: int) -> int:
    """Remembers that the first ``complete`` messages are complete; returns ``complete``."""
    if complete and (message_id := messages[complete - 1].id) is not None:
        key = (_thread(), complete, message_id)
        with _known_lock:
            _known[key] = None
            _known.move_to_end(key)
            while len(_known) > _KNOWN_LIMIT:
                _known.popitem(last=False)
    return complete
