"""The runs API of `langgraph dev`: the raw SDK (``client.runs.stream``) and the project's
client library on top of it, so that the library's own overhead shows as the difference."""

from __future__ import annotations

import uuid
from typing import Any

from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.schema import StreamMode

from bench.measure import CONTEXT, Clock, Sample, question
from client import Done, Error, Token, astream
from contract.parts import message_text

MODES: list[StreamMode] = ["messages-tuple", "updates", "custom"]


def user(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


async def sdk_answer(
    client: LangGraphClient,
    size: int,
    server_pid: int | None,
    thread_id: str | None = None,
    *,
    context: dict[str, Any] = CONTEXT,
    clock: Clock | None = None,
) -> Sample:
    """One run over the caller's kept-alive client: on a new thread, created with the run as
    the library does (``if_not_exists``), or as a follow-up on ``thread_id``."""
    clock = clock or Clock(size, server_pid)
    async for part in client.runs.stream(
        thread_id or str(uuid.uuid4()),
        "agent",
        input=user(question(size)),
        stream_mode=MODES,
        context=context,
        if_not_exists=None if thread_id else "create",
    ):
        if part.event == "metadata":
            clock.metadata()
        elif part.event == "messages":
            chunk, meta = part.data
            if meta.get("langgraph_node") == "agent" and (text := message_text(chunk)):
                clock.token(text)
        elif part.event == "error":
            clock.fail(str(part.data))
    return clock.sample()


async def library_answer(url: str, size: int, server_pid: int | None = None) -> Sample:
    """One run through ``client.astream`` as an application uses it: to its ``Done``."""
    clock = Clock(size, server_pid)
    async for event in astream(question(size), url=url, context=CONTEXT):
        if isinstance(event, Token) and event.node == "agent":
            clock.token(event.content)
        elif isinstance(event, Error):
            clock.fail(event.message)
        elif isinstance(event, Done) and event.status != "success":
            clock.fail(f"run ended {event.status}")
    return clock.sample()
