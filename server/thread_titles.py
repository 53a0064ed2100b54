"""A thread's title: the name a person gave it (``metadata.title``), else its first question.

The first question is recorded in the thread's metadata (``metadata.question``) when the run
that asks it is admitted, so listing or searching threads reads metadata only, never a thread's
messages (and a thread stopped during its first run, whose record holds no values yet, keeps
its title).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from langgraph_sdk import get_client

from contract.parts import message_text

TITLE_KEY = "title"
"""Set by a rename (``threads.update``); checked as a stored input (:mod:`server.stored_inputs`)."""
QUESTION_KEY = "question"
"""The first question, as a title, recorded by the server."""
SHOWN_CHARS = 80
"""A title derived from a question is cut here: a sidebar line, not the question."""
UNTITLED = "New conversation"

_BLANKS = re.compile(r"\s+")


def one_line(text: str) -> str:
    """``text`` as a title: trimmed, on one line, at most ``SHOWN_CHARS`` characters."""
    line = _BLANKS.sub(" ", text).strip()
    return line if len(line) <= SHOWN_CHARS else line[: SHOWN_CHARS - 1].rstrip() + "…"


def title_of(metadata: Mapping[str, Any]) -> tuple[str | None, bool]:
    """The title ``metadata`` gives (None: read the messages), and whether a person named it."""
    named = metadata.get(TITLE_KEY)
    if isinstance(named, str) and named.strip():
        return one_line(named), True
    question = metadata.get(QUESTION_KEY)
    recorded = one_line(question) if isinstance(question, str) else ""
    return recorded or None, False


def first_question(messages: object) -> str | None:
    """The first user message's text among ``messages`` (a list, or one string as MCP sends)."""
    listed = [messages] if isinstance(messages, str) else messages
    for message in listed if isinstance(listed, list) else []:
        if isinstance(message, str):
            return one_line(message) or None
        if isinstance(message, dict) and message.get("role", message.get("type")) in (
            "user",
            "human",
        ):
            return one_line(message_text(message)) or None
    return None


async def record_question(
    thread_id: object, run_input: object, run_metadata: dict[str, Any] | None
) -> None:
    """Record the input's question as the thread's, unless the thread has one already. In
    process, with the caller's permissions (another user's thread reads as none). A thread this
    run creates takes the run's metadata as its own, so the question goes there."""
    messages = run_input.get("messages") if isinstance(run_input, dict) else None
    question = first_question(messages)
    if thread_id is None or question is None:
        return
    client = get_client()
    try:
        found = await client.threads.search(ids=[str(thread_id)], select=["metadata"], limit=1)
        if not found:
            if run_metadata is not None:
                run_metadata[QUESTION_KEY] = question
            return
        if QUESTION_KEY not in (found[0].get("metadata") or {}):
            await client.threads.update(str(thread_id), metadata={QUESTION_KEY: question})
    finally:
        await client.aclose()
