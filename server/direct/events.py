"""One answer of the graph, run in-process, as the plain events both direct routes send
(:data:`contract.events.DirectEvent`).

The parts go through the one translator (:class:`contract.parts.PartTranslator`, settled: calls
and results once their node is done) and :func:`contract.typed.to_direct`; what is left here is
what needs the server: the history (``on_message``), the hand-off of a pause to a thread, and
errors worded for a person. Unlike the spec's loop over the sync ``graph.stream``, this is async
end to end: cancelling the consumer cancels the run and its tools.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

from langchain_core.messages import AnyMessage
from langgraph.types import StreamMode

from agent.context import Context
from agent.graph import graph
from agent.models import ModelProviderError, log_failure
from agent.state import Conversation
from contract.events import DirectEvent
from contract.parts import MESSAGES, PartTranslator, added_messages
from contract.typed import to_direct
from server.direct.handoff import HandOff

logger = logging.getLogger(__name__)

MODES: list[StreamMode] = ["messages", "updates", "custom"]
PARTS = (MESSAGES, "updates", "custom")
"""The modes as the translator knows them: in-process ``messages`` parts are (message,
metadata) pairs, the runs API's ``messages-tuple``."""


async def answer_events(
    messages: list[AnyMessage],
    context: Context,
    on_message: Callable[[AnyMessage], None] | None = None,
    hand_off: HandOff | None = None,
) -> AsyncIterator[DirectEvent]:
    """Stream one answer; ``on_message`` sees each message the graph adds (for a history).
    A pause for a decision ends the answer with an ``interrupt`` event from ``hand_off``."""
    state: Conversation = {"messages": list(messages)}
    conversation = list(messages)
    translator = PartTranslator(PARTS, settled=True)
    try:
        async for part in graph.astream(state, context=context, stream_mode=MODES, version="v2"):
            kind, data = part["type"], part["data"]
            if kind == "updates":  # recorded before their events go out, as the graph has them
                for message in added_messages(data):
                    conversation.append(message)
                    if on_message:
                        on_message(message)
            for event in translator.translate(kind, data):
                if (wire := to_direct(event)) is not None:
                    yield wire
            # Any pause, once, however many interrupts it holds (not only the translator's).
            if kind == "updates" and "__interrupt__" in data:
                if hand_off is None:
                    raise RuntimeError("approval needs a thread: use the runs API")
                yield await hand_off(conversation, context)
    except Exception as exc:  # a cancel (BaseException) passes through and stops the run
        yield {"type": "error", "message": describe(exc)}


def describe(exc: Exception) -> str:
    """The error as a person should read it: no stack trace, no key. The log gets the trace."""
    if isinstance(exc, ModelProviderError):
        logger.warning("direct answer failed: %s", exc)
        return str(exc)
    detail = log_failure(logger, "direct answer failed", exc)
    return f"The agent failed: {detail}" if detail else f"The agent failed ({type(exc).__name__})."
