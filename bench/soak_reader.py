"""The long thread's reader for ``soak_gaps.py``, in a process of its own.

The web app that reads the thread and the user whose tokens are timed are different clients.
In one process, taking in the ~17 MB the reads return stalled the bench's own event loop when
its heap was large (2 million objects held: 167-197 ms, 5 ms with this process), and the stall
showed as a gap in the other user's tokens, as if the server had caused it: 175-205 ms in full
runs of ``make bench``, 46-66 ms in ``--only soak``.

Run as ``python -m bench.soak_reader URL THREAD_ID``: each line on stdin is a read (the
thread's state and its history, together); each answer is a line of JSON on stdout.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import httpx

HISTORY_LIMIT = 200
TIMEOUT = 120.0


async def read(http: httpx.AsyncClient, base: str, thread_id: str) -> dict[str, float]:
    start = time.perf_counter()
    state, history = await asyncio.gather(
        http.get(f"{base}/threads/{thread_id}/state"),
        http.post(f"{base}/threads/{thread_id}/history", json={"limit": HISTORY_LIMIT}),
    )
    for response in (state, history):
        response.raise_for_status()
    ms = (time.perf_counter() - start) * 1000
    return {"ms": ms, "bytes": len(state.content) + len(history.content)}


async def main(base: str, thread_id: str) -> None:
    loop = asyncio.get_running_loop()
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:
        print(json.dumps({"ready": True}), flush=True)
        while await loop.run_in_executor(None, sys.stdin.readline):
            print(json.dumps(await read(http, base, thread_id)), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
