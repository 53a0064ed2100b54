"""What a run streamed through the runs API, checked against what its thread saved.

Shared by the cancel/disconnect sweep (``stops.py``), the fault tests and the approval and
run-check tests. Tokens are matched per message id: every model step that the stream saw
complete must be saved with exactly the text streamed for it, so a token lost, doubled or
reordered anywhere shows up, however the run ended.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import HumanMessage, convert_to_messages
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.schema import StreamPart

from agent.history import tool_history_problem

MODES: list[Any] = ["messages-tuple", "updates", "custom"]
TERMINAL = {"success", "error", "interrupted", "timeout"}


def user_message(text: str) -> dict[str, Any]:
    """A user message with an id of our own, to find where a run's messages start."""
    return {"role": "user", "content": text, "id": str(uuid.uuid4())}


def text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") for b in content if isinstance(b, dict))
    return ""


@dataclass
class Streamed:
    """One run as its stream showed it."""

    question: dict[str, Any]
    run_id: str = ""
    pieces: dict[str, list[str]] = field(default_factory=dict)
    """Text of each ``agent`` message id, piece by piece, in arrival order."""
    completed: dict[str, str] = field(default_factory=dict)
    """``agent`` messages whose step finished (an ``updates`` part), by id: their full text."""
    errors: list[Any] = field(default_factory=list)
    progress: int = 0
    started: float = field(default_factory=time.monotonic)
    first_output: float | None = None
    """Seconds from the request to the model's first streamed chunk (text or tool call)."""
    whole: bool = False
    """Whether the stream was read to its end."""

    @property
    def tokens(self) -> int:
        return sum(len(pieces) for pieces in self.pieces.values())

    def answer(self) -> str:
        return "".join(next(reversed(self.pieces.values()), []))

    def take(self, part: StreamPart) -> None:
        if part.event == "metadata":
            self.run_id = part.data["run_id"]
        elif part.event == "error":
            self.errors.append(part.data)
        elif part.event == "custom":
            self.progress += 1
        elif part.event == "messages":
            chunk, metadata = part.data
            if metadata.get("langgraph_node") != "agent":
                return
            if self.first_output is None:
                self.first_output = time.monotonic() - self.started
            if text := text_of(chunk["content"]):
                self.pieces.setdefault(chunk["id"], []).append(text)
        elif part.event == "updates":
            for node, update in part.data.items():
                for message in (update or {}).get("messages", []) if node == "agent" else []:
                    self.completed[message["id"]] = text_of(message["content"])


async def stream_turn(
    client: LangGraphClient, thread_id: str, text: str, context: dict[str, Any]
) -> Streamed:
    """One turn, read to its end."""
    streamed = Streamed(user_message(text))
    run_input: dict[str, Any] = {"messages": [streamed.question]}
    async for part in client.runs.stream(
        thread_id,
        "agent",
        input=run_input,
        stream_mode=MODES,
        context=context,
        on_disconnect="cancel",
    ):
        streamed.take(part)
    streamed.whole = True
    return streamed


async def wait_terminal(
    client: LangGraphClient, thread_id: str, run_id: str, within: float = 30
) -> str:
    """The run's final status; raises TimeoutError if it is still going ``within`` s later."""
    async with asyncio.timeout(within):
        while True:
            status = str((await client.runs.get(thread_id, run_id))["status"])
            if status in TERMINAL:
                return status
            await asyncio.sleep(0.05)


async def wait_not_busy(client: LangGraphClient, thread_id: str, within: float = 15) -> str:
    """The thread's status once no run holds it; raises TimeoutError after ``within`` s."""
    async with asyncio.timeout(within):
        while True:
            status = str((await client.threads.get(thread_id))["status"])
            if status != "busy":
                return status
            await asyncio.sleep(0.05)


async def saved_messages(client: LangGraphClient, thread_id: str) -> list[dict[str, Any]]:
    values = (await client.threads.get_state(thread_id))["values"]
    assert isinstance(values, dict)
    return list(values.get("messages", []))


def essence(message: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a message says, without serialisation noise (``additional_kwargs`` differs between
    the live state view and the committed state for the same message)."""
    calls = tuple(
        (c["id"], c["name"], json.dumps(c["args"], sort_keys=True))
        for c in message.get("tool_calls") or []
    )
    return (message["id"], message["type"], text_of(message["content"]), calls)


async def settled_ids(client: LangGraphClient, thread_id: str) -> set[str]:
    """Messages the stop's settling saved (``agent/stops.py``), not the run's own steps.

    A stop that lands after a node finished but before LangGraph committed it leaves the
    node's output uncommitted, and the stream never announced the step; settling commits it,
    and answers cut-off tool calls. Those checkpoints are the ``update`` ones after the run's
    last ``loop`` checkpoint.
    """
    history = await client.threads.get_history(thread_id, limit=10)
    run_step = next((h for h in history if h["metadata"].get("source") != "update"), None)
    before = (run_step or {}).get("values") or {}
    known = {m["id"] for m in before.get("messages", [])}
    latest = history[0]["values"] if history else {}
    return {m["id"] for m in latest.get("messages", []) if m["id"] not in known}


def thread_problem(saved: list[dict[str, Any]]) -> str | None:
    """What a strict provider would refuse in the stored thread followed by a next message: a
    tool call without its result, or a result without its call."""
    return tool_history_problem([*convert_to_messages(saved), HumanMessage("next")])


def problems(
    streamed: Streamed,
    saved: list[dict[str, Any]],
    status: str,
    settled: Collection[str] = (),
) -> list[str]:
    """What the saved thread says the stream got wrong; empty when they agree.

    ``settled`` (see :func:`settled_ids`) may be saved without the stream having announced
    their step."""
    found: list[str] = []
    ids = [m.get("id") for m in saved]
    if streamed.question["id"] not in ids:
        return [f"the question {streamed.question['content']!r} was not saved"]
    mine = saved[ids.index(streamed.question["id"]) + 1 :]
    by_id = {m["id"]: text_of(m["content"]) for m in mine if m["type"] == "ai"}
    for message_id, text in streamed.completed.items():
        pieces = "".join(streamed.pieces.get(message_id, []))
        if message_id not in by_id:
            found.append(f"step {message_id} streamed as complete but not saved")
        elif not (pieces == text == by_id[message_id]):
            found.append(
                f"message {message_id}: streamed {pieces!r}, step said {text!r}, "
                f"saved {by_id[message_id]!r}"
            )
    if streamed.whole:
        if unseen := sorted(set(by_id) - set(streamed.completed) - set(settled)):
            found.append(f"saved but never streamed as complete: {unseen}")
        if status == "success" and (stray := sorted(set(streamed.pieces) - set(by_id))):
            found.append(f"streamed text of messages the successful run did not save: {stray}")
    if status == "success" and (not mine or mine[-1]["type"] != "ai" or mine[-1].get("tool_calls")):
        found.append("the run succeeded but its last saved message is not a final answer")
    return found
