"""One random stop of a run, and what must hold after it.

A point starts a run through the runs API (``on_disconnect="cancel"``), waits for a random
moment (right after the metadata part, after the k-th token, mid-tool after the k-th progress
event, between steps after the k-th update, plus a random pause), then either calls
``runs.cancel`` and reads the stream to its end, or leaves the stream (a client disconnect).
Then: the run ends ``interrupted`` (or ``success`` if it finished first), the thread is not left
busy, every step the stream saw complete was saved with exactly the streamed text, and a next
message on the same thread streams a normal answer and keeps what the thread had saved.
Points are seeded: a seed and an index replay one (``tests/reliability/test_interrupts.py``).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import NotFoundError
from langgraph_sdk.schema import StreamPart

from tests.reliability.accounting import (
    MODES,
    Streamed,
    essence,
    problems,
    saved_messages,
    settled_ids,
    stream_turn,
    thread_problem,
    user_message,
    wait_not_busy,
    wait_terminal,
)

CONTEXT: dict[str, Any] = {
    "model": "offline",
    "offline_token_delay": 0.002,
    "tool_step_delay": 0.01,
}
TOOL_QUESTIONS = {
    "北京天气如何？": 2,
    "分析用户数据": 6,
    "What's the weather in Paris?": 2,
    "生成运营报告": 5,
}
"""Questions that call a tool, and how many progress events the tool sends."""
FOLLOW_UP = ("count to 5", "1 2 3 4 5")
POINT_TIMEOUT = 90.0

Action = Literal["cancel", "disconnect"]
Trigger = Literal["start", "token", "tool", "step"]


@dataclass(frozen=True)
class Point:
    seed: int
    index: int
    action: Action
    question: str
    trigger: Trigger
    after: int
    """Act on the ``after``-th event of the trigger's kind."""
    pause: float
    """Seconds between the trigger and the action."""

    def __str__(self) -> str:
        return (
            f"point {self.index} (seed {self.seed}): {self.action} at {self.trigger} "
            f"#{self.after} +{self.pause * 1000:.0f} ms on {self.question!r}"
        )


def make_point(seed: int, index: int) -> Point:
    """The point is a function of (seed, index) only, so one can be replayed alone."""
    rng = random.Random(f"{seed}:{index}")
    action: Action = rng.choice(["cancel", "disconnect"])
    trigger: Trigger = rng.choice(["start", "token", "token", "tool", "step"])
    if trigger == "token" and rng.random() < 0.5:
        count = rng.randint(20, 150)
        question, after = f"count to {count}", rng.randint(1, count)
    else:
        question = rng.choice(list(TOOL_QUESTIONS))
        after = {
            "start": 1,
            "token": rng.randint(1, 20),
            "tool": rng.randint(1, TOOL_QUESTIONS[question]),
            "step": rng.randint(1, 2),
        }[trigger]
    return Point(seed, index, action, question, trigger, after, rng.uniform(0, 0.01))


@dataclass
class Result:
    point: Point
    outcome: str = "not run"
    problems: list[str] = field(default_factory=list)


def _counts(part: StreamPart, trigger: Trigger, new_tokens: int) -> bool:
    """Whether ``part`` is one of the events the trigger counts."""
    if trigger == "token":
        return new_tokens > 0
    return part.event == {"start": "metadata", "tool": "custom", "step": "updates"}[trigger]


async def _act(client: LangGraphClient, thread_id: str, point: Point) -> tuple[Streamed, bool]:
    """Run the point's question and act at its moment; whether the action was taken."""
    streamed = Streamed(user_message(point.question))
    seen = 0
    acted = False
    run_input: dict[str, Any] = {"messages": [streamed.question]}
    # An async generator: closing it closes the HTTP response, which is the disconnect.
    parts = cast(
        AsyncGenerator[StreamPart, None],
        client.runs.stream(
            thread_id,
            "agent",
            input=run_input,
            stream_mode=MODES,
            context=CONTEXT,
            on_disconnect="cancel",
        ),
    )
    async with aclosing(parts):
        async for part in parts:
            before = streamed.tokens
            streamed.take(part)
            counted = _counts(part, point.trigger, streamed.tokens - before)
            seen += counted
            if acted or not counted or seen < point.after:
                continue
            acted = True
            await asyncio.sleep(point.pause)
            if point.action == "disconnect":
                return streamed, True  # leaving the block closes the connection
            try:
                await client.runs.cancel(thread_id, streamed.run_id)
            except NotFoundError:
                pass  # the run had already finished
    streamed.whole = True
    return streamed, acted


async def run_point(client: LangGraphClient, point: Point) -> Result:
    result = Result(point)
    found = result.problems
    thread_id = (await client.threads.create())["thread_id"]
    streamed, acted = await _act(client, thread_id, point)
    if not streamed.run_id:
        return Result(point, "no run", ["the stream ended before its metadata part"])
    status = await wait_terminal(client, thread_id, streamed.run_id)
    result.outcome = {
        "interrupted": "interrupted",
        "success": "finished first" if acted else "trigger not reached",
    }.get(status, status)
    if status not in {"interrupted", "success"} or (status == "interrupted" and not acted):
        found.append(f"run ended {status!r}")
    if streamed.errors:
        found.append(f"error parts: {streamed.errors}")
    if (thread_status := await wait_not_busy(client, thread_id)) == "error":
        found.append(f"thread left {thread_status!r}")
    before = await saved_messages(client, thread_id)
    found += problems(streamed, before, status, await settled_ids(client, thread_id))
    if problem := thread_problem(before):
        found.append(f"the stored thread is not valid after the stop: {problem}")

    await _follow_up(client, thread_id, before, result)
    return result


async def _follow_up(
    client: LangGraphClient,
    thread_id: str,
    before: list[dict[str, Any]],
    result: Result,
) -> None:
    """The next message streams a normal answer and keeps what the thread had saved."""
    follow = await stream_turn(client, thread_id, FOLLOW_UP[0], CONTEXT)
    status = await wait_terminal(client, thread_id, follow.run_id)
    after = await saved_messages(client, thread_id)
    found = result.problems
    found += [f"follow-up: {p}" for p in problems(follow, after, status)]
    if problem := thread_problem(after):
        found.append(f"the stored thread is not valid after the follow-up: {problem}")
    if status != "success" or follow.errors or follow.answer() != FOLLOW_UP[1]:
        found.append(f"follow-up {status}: {follow.answer()!r}, errors {follow.errors}")
    kept_after = {essence(m) for m in after}
    dropped = {m["id"] for m in before if essence(m) not in kept_after}
    # Including an answer a stop caught before its step was committed (agent/stops.py).
    if dropped:
        found.append(f"the follow-up changed or dropped saved messages {sorted(dropped)}")
    kept = [essence(m) for m in before if m["id"] not in dropped]
    if [essence(m) for m in after[: len(kept)]] != kept:
        found.append("the follow-up reordered what the thread had saved before it")


async def _guarded(client: LangGraphClient, point: Point, gate: asyncio.Semaphore) -> Result:
    async with gate:
        try:
            async with asyncio.timeout(POINT_TIMEOUT):
                return await run_point(client, point)
        except TimeoutError:
            return Result(point, "hung", [f"not done in {POINT_TIMEOUT:.0f} s"])
        except Exception as exc:
            return Result(point, "crashed", [f"{type(exc).__name__}: {exc}"])


@dataclass
class Summary:
    seed: int
    results: list[Result]
    seconds: float

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.problems]

    def report(self) -> str:
        kinds = Counter(
            f"{r.point.action:<10} at {r.point.trigger:<5} -> {r.outcome}" for r in self.results
        )
        lines = [
            f"{len(self.results)} points, seed {self.seed}, {self.seconds:.1f} s, "
            f"{len(self.failures)} failed",
            *(f"  {count:4d}  {kind}" for kind, count in sorted(kinds.items())),
        ]
        for failure in self.failures:
            replay = f"TORTURE_SEED={self.seed} TORTURE_ONLY={failure.point.index} make torture"
            lines.append(f"FAILED {failure.point}  (replay: {replay})")
            lines += [f"    {problem}" for problem in failure.problems]
        return "\n".join(lines)


async def sweep(
    url: str, seed: int, points: int, *, concurrency: int = 8, only: Sequence[int] = ()
) -> Summary:
    """Run the points ``concurrency`` at a time (keep it within the server's jobs)."""
    client = get_client(url=url, api_key=None)
    gate = asyncio.Semaphore(concurrency)
    start = time.monotonic()
    try:
        indices = only or range(points)
        results = await asyncio.gather(
            *(_guarded(client, make_point(seed, i), gate) for i in indices)
        )
    finally:
        await client.aclose()
    return Summary(seed, list(results), time.monotonic() - start)
