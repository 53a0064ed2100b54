"""The agent as an MCP tool, through the official ``mcp`` client (streamable HTTP).

Lists the server's tools, then calls ``agent`` with the question the way its input schema asks
(``messages`` as one string) and prints the answer text it returns.

    .venv/bin/python -m examples.mcp_client "北京天气如何？"

``--url`` defaults to ``LANGGRAPH_API_URL``, else the URL `make dev` wrote to ``.langgraph_url``,
else http://127.0.0.1:2024; with API keys on, set
``LANGGRAPH_API_KEY`` (sent as ``x-api-key``).
"""

from __future__ import annotations

import argparse
import asyncio
import os

from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from client.stream import default_url


async def main(question: str, url: str, api_key: str | None) -> int:
    headers = {"x-api-key": api_key} if api_key else None
    async with (
        create_mcp_http_client(headers=headers) as http,
        streamable_http_client(f"{url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        for tool in (await session.list_tools()).tools:
            print(f"tool {tool.name}: {tool.description}")
        result = await session.call_tool("agent", {"messages": question})
    text = "".join(part.text for part in result.content if part.type == "text")
    print(f"\n{'error' if result.is_error else 'answer'}: {text}")
    return 1 if result.is_error else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("question", nargs="?", default="北京天气如何？")
    parser.add_argument("--url", default=default_url())
    args = parser.parse_args()
    key = os.environ.get("LANGGRAPH_API_KEY") or None
    raise SystemExit(asyncio.run(main(args.question, args.url, key)))
