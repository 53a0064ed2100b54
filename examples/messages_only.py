"""The spec's ``messages`` loop: the answer, token by token.

python -m examples.messages_only "count to 50"
"""

from __future__ import annotations

import asyncio
import sys

from client import Done, Token, ToolCall, astream


async def main(message: str) -> None:
    async for event in astream(message, modes=["messages-tuple"]):
        if isinstance(event, Token):
            print(event.content, end="", flush=True)
        elif isinstance(event, ToolCall):  # assembled from the streamed tool_call_chunks
            print(f"<calling {event.name}({event.args})>", flush=True)
        elif isinstance(event, Done):
            print(f"\n[{event.status}]")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "count to 50"))
