"""`make bench`: latency figures of the streaming path, printed, never asserted.

Time to first token and to the end of a run, in-process and through a real `langgraph dev`
(offline model, no token delay), plus N concurrent runs through the server.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from langchain_core.messages import HumanMessage
from langgraph_sdk import get_client

from agent.graph import graph
from tests.langgraph_server import langgraph_dev

CONTEXT = {"model": "offline", "offline_token_delay": 0.0, "tool_step_delay": 0.0}
QUESTION = "count to 300"
REPEATS = 5
CONCURRENT = 20


async def in_process() -> tuple[float, float]:
    start = time.perf_counter()
    first = 0.0
    async for chunk, _ in graph.astream(
        {"messages": [HumanMessage(QUESTION)]}, context=CONTEXT, stream_mode="messages"
    ):
        if not first and chunk.content:
            first = time.perf_counter() - start
    return first, time.perf_counter() - start


async def through_server(client: Any) -> tuple[float, float]:
    thread = await client.threads.create()
    start = time.perf_counter()
    first = 0.0
    async for part in client.runs.stream(
        thread["thread_id"],
        "agent",
        input={"messages": [{"role": "user", "content": QUESTION}]},
        stream_mode="messages-tuple",
        context=CONTEXT,
    ):
        if not first and part.event == "messages" and part.data[0].get("content"):
            first = time.perf_counter() - start
    return first, time.perf_counter() - start


def report(name: str, samples: list[tuple[float, float]]) -> None:
    firsts = [s[0] * 1000 for s in samples]
    totals = [s[1] * 1000 for s in samples]
    print(
        f"{name:<22} first token median {statistics.median(firsts):7.1f} ms "
        f"(min {min(firsts):6.1f})   whole run median {statistics.median(totals):7.1f} ms"
    )


async def main() -> None:
    print(f"{REPEATS} runs of {QUESTION!r} ({300} tokens), offline model, no delays\n")
    await in_process()
    report("in-process astream", [await in_process() for _ in range(REPEATS)])
    with langgraph_dev() as server:
        client = get_client(url=server.url)
        await through_server(client)
        report("langgraph dev + SDK", [await through_server(client) for _ in range(REPEATS)])
        start = time.perf_counter()
        await asyncio.gather(*(through_server(client) for _ in range(CONCURRENT)))
        elapsed = time.perf_counter() - start
        print(f"{CONCURRENT} concurrent runs through the server: {elapsed:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
