"""Shared by the Studio, MCP, A2A, RemoteGraph and packaging tests: keys, servers, clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import httpx
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from harness.server import Server, langgraph_dev

ALICE = "ka-0123456789"
BOB = "kb-9876543210"
API_KEYS = f"{ALICE}:alice,{BOB}:bob"


@contextmanager
def keyed_server(**env: str) -> Iterator[Server]:
    """``langgraph dev`` with API keys for alice and bob."""
    with langgraph_dev(env={"AGENT_API_KEYS": API_KEYS, **env}) as server:
        yield server


def key_headers(key: str | None) -> dict[str, str]:
    return {"x-api-key": key} if key else {}


@asynccontextmanager
async def mcp_session(server: Server, key: str | None = None) -> AsyncIterator[ClientSession]:
    """The official MCP client over streamable HTTP, initialised, sending ``key``."""
    async with (
        create_mcp_http_client(headers=key_headers(key)) as http,
        streamable_http_client(f"{server.url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


async def system_assistant_id(server: Server, key: str | None = None) -> str:
    """The id of the assistant the server made for graph ``agent`` (A2A paths need a UUID)."""
    async with httpx.AsyncClient(base_url=server.url, headers=key_headers(key)) as http:
        response = await http.post(
            "/assistants/search", json={"graph_id": "agent", "metadata": {"created_by": "system"}}
        )
    response.raise_for_status()
    return str(response.json()[0]["assistant_id"])
