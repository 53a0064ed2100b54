"""The spec's ``custom`` loop: tool progress, nothing else.

python -m examples.custom_only "分析用户数据"
"""

from __future__ import annotations

import asyncio
import sys

from client import Done, ToolProgress, astream


async def main(message: str) -> None:
    async for event in astream(message, modes=["custom"]):
        if isinstance(event, ToolProgress):
            print(f"{event.tool} {event.phase:<12} {event.progress:3d}%  {event.message or ''}")
        elif isinstance(event, Done):  # no tokens were streamed: the saved answer is here
            print(event.answer)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "分析用户数据"))
