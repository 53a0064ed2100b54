"""One ``langgraph dev`` for the whole package, with the real ChatOpenAI against a fake provider.

Runs that pass ``context={"model": "offline", ...}`` use the offline model on the same server,
so the provider faults, the cancel sweep and the fuzzing share one server process (the machine
has two cores). Defaults are quick (no token delay) so fuzzed requests finish fast.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from harness.server import Server, langgraph_dev
from tests.reliability.provider import KEY, Provider, fake_provider


@pytest.fixture(scope="package")
def provider() -> Iterator[Provider]:
    with fake_provider() as running:
        yield running


@pytest.fixture(scope="package")
def agent_server(provider: Provider) -> Iterator[Server]:
    env = {
        "AGENT_MODEL": "openai:gpt-4o-mini",
        "AGENT_ALLOWED_MODELS": "openai:gpt-4o-mini,offline",
        "OPENAI_API_KEY": KEY,
        "OPENAI_BASE_URL": provider.url,
        "AGENT_MODEL_MAX_RETRIES": "1",
        "AGENT_MODEL_TIMEOUT": "1",
        "AGENT_OFFLINE_TOKEN_DELAY": "0",
        "AGENT_TOOL_STEP_DELAY": "0.01",
    }
    with langgraph_dev(env=env) as running:
        yield running


@pytest.fixture
async def sdk(agent_server: Server) -> AsyncIterator[LangGraphClient]:
    client = get_client(url=agent_server.url, api_key=None)
    yield client
    await client.aclose()
