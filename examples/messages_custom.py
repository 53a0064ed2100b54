"""The spec's ``["messages", "custom"]`` loop: typing and progress, interleaved.

python -m examples.messages_custom "分析用户数据"
"""

from __future__ import annotations

import asyncio
import sys

from client import Done, Token, ToolProgress, astream


async def main(message: str) -> None:
    async for event in astream(message, modes=["messages-tuple", "custom"]):
        match event:
            case Token(content=content):
                print(content, end="", flush=True)
            case ToolProgress(tool=tool, progress=progress, phase=phase):
                print(f"[{tool}] {'#' * (progress // 10):<10} {progress}% {phase}")
            case Done(status=status):
                print(f"\n[{status}]")
            case _:
                pass


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "分析用户数据"))
