"""The spec's break-to-cancel: leave the loop and the run stops on the server.

python -m examples.break_to_cancel "分析用户数据"
"""

from __future__ import annotations

import asyncio
import sys
from contextlib import aclosing

from langgraph_sdk import get_client

from client import ToolProgress, astream
from client.stream import default_url


async def main(message: str) -> None:
    events = astream(message)
    async with aclosing(events):  # closes (and so cancels) right at the break, not at GC
        async for event in events:
            print(event)
            if isinstance(event, ToolProgress) and event.progress >= 20:
                print("breaking out of the loop")
                break
    assert events.thread_id and events.run_id
    async with get_client(url=default_url(), api_key=None) as sdk:
        await sdk.runs.join(events.thread_id, events.run_id)
        run = await sdk.runs.get(events.thread_id, events.run_id)
    print(f"run {events.run_id} on the server: {run['status']}")  # interrupted


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "分析用户数据"))
