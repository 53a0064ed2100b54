"""One server with API keys on, shared by the security tests, and a client per user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from harness.server import Server, langgraph_dev
from tests.security.common import ALICE, BOB, SECRET


@pytest.fixture(scope="package")
def secure() -> Iterator[Server]:
    env = {
        "AGENT_API_KEYS": f"{ALICE}:alice,{BOB}:bob",
        "AGENT_TICKET_SECRET": SECRET,
        "AGENT_MAX_ACTIVE_RUNS_PER_USER": "2",
        "AGENT_DIRECT_MAX_STREAMS": "4",
        # Listed, yet still refused: internal addresses are never called.
        "AGENT_WEBHOOK_DOMAINS": "127.0.0.1,localhost,10.0.0.1,169.254.169.254",
    }
    with langgraph_dev(env=env) as running:
        yield running


@pytest.fixture
async def alice(secure: Server) -> AsyncIterator[LangGraphClient]:
    client = get_client(url=secure.url, api_key=ALICE)
    yield client
    await client.aclose()


@pytest.fixture
async def bob(secure: Server) -> AsyncIterator[LangGraphClient]:
    client = get_client(url=secure.url, api_key=BOB)
    yield client
    await client.aclose()


@pytest.fixture
async def http(secure: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=secure.url, timeout=30) as client:
        yield client
