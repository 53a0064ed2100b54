"""The spec's retry with backoff and non-streaming fallback, against a flaky connection.

A fault-injecting proxy (examples/fault_proxy.py, also used by the tests) sits between
client and server:

    python -m examples.retry_fallback --drops 3 "count to 200"   # resumed, nothing lost
    python -m examples.retry_fallback --refuse "北京天气如何？"      # falls back, still answers
"""

from __future__ import annotations

import argparse
import asyncio
from urllib.parse import urlparse

from client import Done, Fallback, Retry, RetryPolicy, Token, astream
from client.stream import default_url
from examples.fault_proxy import FaultProxy


async def main(message: str, drops: int, refuse: bool) -> None:
    port = urlparse(default_url()).port or 80
    async with FaultProxy(port, cuts=[20_000] * drops, refuse_streams=refuse) as proxy:
        policy = RetryPolicy(initial=0.5, max_retries=3)
        streamed = False
        async for event in astream(message, url=proxy.url, retry=policy):
            match event:
                case Token(content=content):
                    print(content, end="", flush=True)
                    streamed = True
                case Retry() | Fallback():
                    print(f"\n{event}", flush=True)
                case Done(answer=answer, resynced=resynced):
                    print(f"\n{event.status}; answer as saved on the server:\n{answer}")
                    if resynced:  # the saved answer is not what was streamed: say why
                        print("(it differs from what was streamed)" if streamed else
                              "(nothing was streamed: this is the whole answer)")  # fmt: skip
                case _:
                    pass
        print(f"connections cut: {proxy.dropped}, streams refused: {proxy.refused}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("message", nargs="?", default="count to 200")
    parser.add_argument("--drops", type=int, default=3, help="streams to cut mid-answer")
    parser.add_argument("--refuse", action="store_true", help="refuse every stream (503)")
    args = parser.parse_args()
    asyncio.run(main(args.message, args.drops, args.refuse))
