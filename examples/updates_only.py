"""The spec's ``updates`` loop: one line per finished step.

python -m examples.updates_only "北京天气如何？"
"""

from __future__ import annotations

import asyncio
import sys

from client import Step, Token, ToolCall, ToolResult, astream


async def main(message: str) -> None:
    async for event in astream(message, modes=["updates"]):
        match event:
            case ToolCall(name=name, args=args):
                print(f"[agent] calls tool {name}({args})")
            case ToolResult(content=content):
                print(f"[tools] {content}")
            case Token(content=content, node=node):  # in updates mode: a whole message
                print(f"[{node}] {content}")
            case Step():
                pass
            case _:
                print(event)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "北京天气如何？"))
