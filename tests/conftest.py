"""Shared fixtures.

openai >= 3 sends HTTP through httpx2, which respx does not patch. Aliasing ``httpx`` to
``httpx2`` before anything imports httpx lets respx intercept the real OpenAI client; the
respx plugin is disabled in pyproject (``-p no:respx``) because it would import httpx first.
In-process SDK code therefore runs on httpx2 here; the CLI tests run it on plain httpx.
"""

import httpx2

httpx2.alias_httpx()

from collections.abc import AsyncIterator, Iterator

import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from harness.server import Server, langgraph_dev

ALLOWED_MODELS = "offline,openai:gpt-4o-mini,no-such-provider:model"


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One ``langgraph dev`` (offline model) shared by the tests that need a live server; runs
    may also ask for two models that fail, to show how a provider's failure reads."""
    with langgraph_dev(env={"AGENT_ALLOWED_MODELS": ALLOWED_MODELS}) as running:
        yield running


@pytest.fixture
async def sdk(server: Server) -> AsyncIterator[LangGraphClient]:
    """A plain SDK client of the shared server, to run things and check what it saved."""
    client = get_client(url=server.url, api_key=None)
    yield client
    await client.aclose()
