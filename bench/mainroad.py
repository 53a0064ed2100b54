"""The runs API's first token next to direct SSE's, on a new thread and on a follow-up in a
thread with history (issue 18's first target), interleaved in one run.

The follow-up's thread is grown once through the runs API (``TURNS`` earlier turns) and copied
for each repeat (``threads.copy`` keeps every checkpoint), so each follow-up meets the same
history; direct SSE gets the same turns as ``messages``. Both are timed from the request, over
kept-alive connections, so what differs is the server's path, not connection set-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from langgraph_sdk.client import LangGraphClient

from bench.direct import sse_answer
from bench.layers import guarded
from bench.measure import CONTEXT, SIZES, Sample, Spread, spread
from bench.runs_api import sdk_answer, user

TURNS = 10
SIZE = SIZES[0]
WHICH = ("new thread", f"follow-up, {TURNS} earlier turns")


@dataclass(frozen=True)
class FirstToken:
    which: str
    sse_ms: Spread | None
    runs_ms: Spread | None
    runs_meta_ms: Spread | None
    """The runs API's first ``metadata`` event: when the run started streaming."""
    errors: list[str]

    @property
    def gap_ms(self) -> float | None:
        """Runs API minus direct SSE, medians of the same run."""
        if self.sse_ms is None or self.runs_ms is None:
            return None
        return self.runs_ms.median - self.sse_ms.median


async def grow(client: LangGraphClient, turns: int, text: str) -> str:
    """A new thread with ``turns`` finished runs of ``text`` (the runs API, no token delay)."""
    thread = await client.threads.create()
    for _ in range(turns):
        await client.runs.wait(thread["thread_id"], "agent", input=user(text), context=CONTEXT)
    return str(thread["thread_id"])


async def history_of(client: LangGraphClient, thread_id: str) -> list[dict[str, str]]:
    """The thread's user and assistant texts, as the direct route takes earlier turns."""
    state = await client.threads.get_state(thread_id)
    values: Any = state["values"]
    roles = {"human": "user", "ai": "assistant"}
    return [
        {"role": roles[m["type"]], "content": str(m["content"])}
        for m in values["messages"]
        if m["type"] in roles and isinstance(m["content"], str) and m["content"]
    ]


async def measure(client: LangGraphClient, base: str, pid: int, repeats: int) -> list[FirstToken]:
    grown = await grow(client, TURNS, f"count to {SIZE}")
    history = await history_of(client, grown)
    samples: dict[tuple[str, str], list[Sample]] = {}
    async with httpx.AsyncClient(timeout=120) as http:

        async def follow_up(size: int) -> Sample:
            # threads.copy, whose answer (the new thread) the SDK types as None
            copy: Any = await client.http.post(f"/threads/{grown}/copy", json=None)
            return await sdk_answer(client, size, pid, thread_id=copy["thread_id"])

        answers = {
            ("sse", WHICH[0]): lambda size: sse_answer(http, base, size, pid),
            ("runs", WHICH[0]): lambda size: sdk_answer(client, size, pid),
            ("sse", WHICH[1]): lambda size: sse_answer(http, base, size, pid, history),
            ("runs", WHICH[1]): follow_up,
        }
        for answer in answers.values():  # a warm-up each
            await guarded(answer, SIZE)
        for _ in range(repeats):
            for key, answer in answers.items():
                samples.setdefault(key, []).append(await guarded(answer, SIZE))
    return [
        FirstToken(
            which=which,
            sse_ms=spread(samples[("sse", which)], "first", 1000),
            runs_ms=spread(samples[("runs", which)], "first", 1000),
            runs_meta_ms=spread(samples[("runs", which)], "meta", 1000),
            errors=sorted(
                {s.error for path in ("sse", "runs") for s in samples[(path, which)] if s.error}
            ),
        )
        for which in WHICH
    ]
