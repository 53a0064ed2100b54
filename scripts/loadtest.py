"""Load test on loopback: many users streaming tool conversations at once, every answer checked.

``--users`` users (50) each hold a thread and stream ``--turns`` turns (3: weather, analysis, a
plain question) through the runs API; ``--sse-users`` users (10) hold the same conversation
over the direct route ``POST /api/chat/stream``. Every runs-API answer is checked against the
thread's saved state (no token lost or doubled, see ``tests.reliability.accounting``); every
direct answer against the offline model's answer to the same history, computed in-process.
Prints time to first output (the model's first chunk, text or tool call) per path, tokens/s,
the server's peak memory (RSS of its process tree, sampled from /proc) and wall time; exits 1
on any error or mismatch. Bounded: a fixed number of turns and ``--deadline`` seconds.

``--n-jobs-per-worker`` (started server only) defaults to one job per runs-API user:
``langgraph dev`` defaults to 1, so runs would wait in its queue one after another and time to
first output would measure the queue, not the server. The direct route needs no jobs.

    .venv/bin/python scripts/loadtest.py
    .venv/bin/python scripts/loadtest.py --url http://127.0.0.1:2024 --pid 1234 --api-key KEY
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The expected answers come from the offline model in-process; this also quiets its notice.
os.environ.setdefault("AGENT_MODEL", "offline")

import httpx
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph_sdk import get_client

from agent.context import Context
from agent.graph import graph
from tests.langgraph_server import is_loopback, langgraph_dev
from tests.reliability.accounting import problems, saved_messages, stream_turn, wait_terminal

CONVERSATION = ("北京天气如何？", "分析用户数据", "你能做什么？")


@dataclass
class Stats:
    first_output: dict[str, list[float]] = field(default_factory=lambda: {"runs": [], "sse": []})
    answers: dict[str, int] = field(default_factory=lambda: {"runs": 0, "sse": 0})
    tokens: int = 0
    failures: list[str] = field(default_factory=list)
    peak_rss: int = 0
    samples: int = 0

    def record(self, path: str, first: float | None, tokens: int, found: list[str]) -> None:
        self.answers[path] += 1
        self.tokens += tokens
        if first is not None:
            self.first_output[path].append(first)
        self.failures += [f"{path}: {problem}" for problem in found]


async def runs_user(
    url: str, key: str | None, turns: int, context: dict[str, Any], stats: Stats
) -> None:
    client = get_client(url=url, api_key=key)
    try:
        thread_id = (await client.threads.create())["thread_id"]
        for turn in range(turns):
            streamed = await stream_turn(client, thread_id, CONVERSATION[turn % 3], context)
            status = await wait_terminal(client, thread_id, streamed.run_id)
            found = problems(streamed, await saved_messages(client, thread_id), status)
            if status != "success" or streamed.errors:
                found.append(f"run {status}, errors {streamed.errors}")
            stats.record("runs", streamed.first_output, streamed.tokens, found)
    finally:
        await client.aclose()


async def sse_user(
    http: httpx.AsyncClient, turns: int, context: dict[str, Any], expected: list[str], stats: Stats
) -> None:
    history: list[dict[str, str]] = []
    for turn in range(turns):
        question = CONVERSATION[turn % 3]
        body = {"query": question, "messages": history, "context": context}
        start = time.monotonic()
        first: float | None = None
        data: list[str] = []
        async with http.stream("POST", "/api/chat/stream", json=body) as response:
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    first = first if first is not None else time.monotonic() - start
                    data.append(line.removeprefix("data: "))
        if response.status_code != 200:
            stats.record("sse", None, 0, [f"HTTP {response.status_code}"])
            return
        events = [json.loads(d) for d in data if d != "[DONE]"]
        tokens = [e["content"] for e in events if e["type"] == "token"]
        answer = "".join(tokens)
        found = []
        if data[-1:] != ["[DONE]"] or data.count("[DONE]") != 1:
            found.append(f"the stream ended with {data[-1:]}, not one [DONE]")
        found += [f"error event {e['message']!r}" for e in events if e["type"] == "error"]
        if answer != expected[turn]:
            found.append(f"turn {turn}: streamed {answer!r}, expected {expected[turn]!r}")
        stats.record("sse", first, len(tokens), found)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


async def expected_answers(turns: int) -> list[str]:
    """The offline model's answers to the direct conversation: it is deterministic."""
    messages: list[AnyMessage] = []
    answers = []
    for turn in range(turns):
        messages.append(HumanMessage(CONVERSATION[turn % 3]))
        context = Context(model="offline", offline_token_delay=0, tool_step_delay=0)
        result = await graph.ainvoke({"messages": list(messages)}, context=context)
        answers.append(result["messages"][-1].text)
        messages.append(AIMessage(answers[-1]))
    return answers


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next(
            (
                int(line.split()[1]) * 1024
                for line in status.splitlines()
                if line.startswith("VmRSS:")
            ),
            0,
        )
    return total


async def sample_memory(pid: int, stats: Stats) -> None:
    while True:
        stats.peak_rss = max(stats.peak_rss, await asyncio.to_thread(tree_rss, pid))
        stats.samples += 1
        await asyncio.sleep(0.2)


async def load(args: argparse.Namespace, url: str, pid: int | None) -> tuple[Stats, float]:
    stats = Stats()
    context = {
        "model": "offline",
        "offline_token_delay": args.token_delay,
        "tool_step_delay": args.tool_delay,
    }
    expected = await expected_answers(args.turns)
    headers = {"x-api-key": args.api_key} if args.api_key else {}
    sampler = asyncio.create_task(sample_memory(pid, stats)) if pid else None
    start = time.monotonic()
    limits = httpx.Limits(max_connections=args.sse_users + 5)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60, limits=limits) as http:
        users = [
            runs_user(url, args.api_key, args.turns, context, stats) for _ in range(args.users)
        ]
        users += [
            sse_user(http, args.turns, context, expected, stats) for _ in range(args.sse_users)
        ]
        try:
            async with asyncio.timeout(args.deadline):
                for outcome in await asyncio.gather(*users, return_exceptions=True):
                    if isinstance(outcome, BaseException):
                        stats.failures.append(f"user failed: {type(outcome).__name__}: {outcome}")
        except TimeoutError:
            stats.failures.append(f"not finished within --deadline {args.deadline:.0f} s")
    wall = time.monotonic() - start
    if sampler:
        sampler.cancel()
    return stats, wall


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def report(args: argparse.Namespace, stats: Stats, wall: float) -> str:
    lines = [
        f"{args.users} runs-API users and {args.sse_users} direct-SSE users, {args.turns} turns "
        f"each; token delay {args.token_delay} s, tool step {args.tool_delay} s",
    ]
    for path, name in (("runs", "runs API "), ("sse", "direct SSE")):
        firsts = [f * 1000 for f in stats.first_output[path]]
        lines.append(
            f"  {name}: {stats.answers[path]} answers; first output p50 "
            f"{percentile(firsts, 0.5):.0f} ms, p95 {percentile(firsts, 0.95):.0f} ms"
        )
    memory = (
        f"{stats.peak_rss / 2**20:.0f} MiB ({stats.samples} samples)"
        if stats.samples
        else "not sampled (give --pid)"
    )
    lines += [
        f"  tokens: {stats.tokens} in {wall:.1f} s = {stats.tokens / wall:.0f} tokens/s",
        f"  peak server RSS: {memory}",
        f"  wall time: {wall:.1f} s",
        f"  problems: {len(stats.failures)}",
        *(f"    {failure}" for failure in stats.failures[:20]),
    ]
    return "\n".join(lines)


@contextmanager
def own_server(n_jobs: int) -> Iterator[tuple[str, int]]:
    with (
        tempfile.TemporaryDirectory(prefix="loadtest-") as tmp,
        langgraph_dev(directory=Path(tmp), n_jobs=n_jobs) as server,
    ):
        yield server.url, server.process.pid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="runs-API users")
    parser.add_argument("--sse-users", type=int, default=10, help="direct SSE users")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--token-delay", type=float, default=0.01)
    parser.add_argument("--tool-delay", type=float, default=0.05)
    parser.add_argument("--deadline", type=float, default=300, help="seconds, then give up")
    parser.add_argument("--url", help="an existing server (loopback); default: start one")
    parser.add_argument("--pid", type=int, help="with --url: the server's pid, for memory")
    parser.add_argument("--api-key", help="sent as x-api-key")
    parser.add_argument("--n-jobs-per-worker", type=int, help="default: --users (at least 10)")
    args = parser.parse_args()
    if args.url and not is_loopback(args.url):
        parser.error("--url must be a loopback address (127.0.0.0/8, localhost or ::1)")
    if args.url:
        stats, wall = asyncio.run(load(args, args.url, args.pid))
    else:
        with own_server(args.n_jobs_per_worker or max(args.users, 10)) as (url, pid):
            stats, wall = asyncio.run(load(args, url, pid))
    print(report(args, stats, wall))
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
