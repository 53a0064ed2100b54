"""`make dev`'s jobs per worker (issue 18, item 5): 50 concurrent runs-API streams on servers
started with ``--n-jobs-per-worker`` 10 and 50, side by side.

Both servers run at once and take turns, one burst each per round (the order swapped every
other round), so load from elsewhere on the machine hits both alike. The bursts are the
concurrency section's (``bench/concurrency.py``): the client library, `count to 200` each,
every token checked.
"""

from __future__ import annotations

import contextlib

import httpx

from bench.concurrency import PATHS, ROUND_TIMEOUT, SIZE, Level, Round, level, one_round, sampled
from bench.runs_api import library_answer
from harness.server import langgraph_dev

JOBS = (10, 50)
STREAMS = 50
RUNS_API = PATHS[0]


def label(jobs: int) -> str:
    return f"{RUNS_API}, {jobs} jobs per worker"


async def measure(rounds: int) -> list[Level]:
    with contextlib.ExitStack() as stack:
        servers = {jobs: stack.enter_context(langgraph_dev(n_jobs=jobs)) for jobs in JOBS}
        for server in servers.values():  # the graph loads before the first burst
            await library_answer(server.url, SIZE)
        bursts: dict[int, list[Round]] = {jobs: [] for jobs in JOBS}
        limits = httpx.Limits(max_connections=STREAMS * 2)
        async with httpx.AsyncClient(timeout=ROUND_TIMEOUT, limits=limits) as http:
            for turn in range(rounds):
                for jobs in JOBS if turn % 2 == 0 else JOBS[::-1]:
                    server = servers[jobs]
                    burst = one_round(RUNS_API, server.url, STREAMS, http)
                    bursts[jobs].append(await sampled(burst, server.process.pid))
    return [level(label(jobs), STREAMS, found) for jobs, found in bursts.items()]
