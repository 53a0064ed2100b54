"""What Studio reads: the graph's schemas, the context form, and CORS for its origins."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client

from agent.context import Context
from harness.server import Server, langgraph_dev

NUMBERS = ["offline_token_delay", "tool_step_delay", "model_max_retries", "model_timeout"]


async def schemas(server: Server) -> dict[str, Any]:
    client = get_client(url=server.url)
    (assistant,) = await client.assistants.search(graph_id="agent")
    return dict(await client.assistants.get_schemas(assistant["assistant_id"]))


@pytest.fixture(scope="module")
def tuned() -> Iterator[Server]:
    """A server whose environment changes two defaults and the system prompt limit."""
    env = {"AGENT_TOOL_STEP_DELAY": "0.7", "AGENT_MAX_SYSTEM_PROMPT_CHARS": "64"}
    with langgraph_dev(env=env) as server:
        yield server


async def test_the_graph_publishes_its_input_and_output_schemas(server: Server) -> None:
    published = await schemas(server)

    for name in ("input_schema", "output_schema"):
        assert published[name]["required"] == ["messages"]
        assert list(published[name]["properties"]) == ["messages"], "no step counter shows"
        assert published[name]["properties"]["messages"]["type"] == "array"


@pytest.mark.unit
async def test_every_setting_shows_its_description_default_and_bounds(tuned: Server) -> None:
    context = (await schemas(tuned))["context_schema"]["properties"]

    assert set(context) == {f.name for f in fields(Context)}
    assert all(field["description"] and "default" in field for field in context.values())
    assert context["model"]["default"] == "offline"
    assert context["tool_step_delay"]["default"] == 0.7
    assert context["offline_token_delay"]["default"] == 0.02
    assert context["system_prompt"]["maxLength"] == 64
    bounds = {name: (context[name]["minimum"], context[name]["maximum"]) for name in NUMBERS}
    assert bounds == {
        "offline_token_delay": (0, 10),
        "tool_step_delay": (0, 60),
        "model_max_retries": (0, 10),
        "model_timeout": (0, 600),
    }


@pytest.mark.unit
@pytest.mark.parametrize("name", NUMBERS)
def test_the_bounds_shown_are_the_bounds_enforced(name: str) -> None:
    """The schema's minimum and maximum come from the same field metadata the checks read."""
    low, high = next(
        (f.metadata["ge"], f.metadata["le"]) for f in fields(Context) if f.name == name
    )

    Context(**{name: low})
    Context(**{name: high})
    for outside in (low - 1, high + 1):
        with pytest.raises(ValueError, match=f"context.{name} must be"):
            Context(**{name: outside})


@pytest.mark.unit
async def test_a_system_prompt_over_the_limit_is_refused(tuned: Server) -> None:
    client = get_client(url=tuned.url)
    hello = {"messages": [{"role": "user", "content": "count to 2"}]}

    async with httpx.AsyncClient(timeout=30) as http:
        refused = await http.post(
            f"{tuned.url}/runs/wait",
            json={"assistant_id": "agent", "input": hello, "context": {"system_prompt": "x" * 65}},
        )
    assert refused.status_code == 422
    assert "system_prompt is 65 characters long; the limit is 64" in refused.json()["detail"]

    output = await client.runs.wait(None, "agent", input=hello, context={"system_prompt": "x" * 64})
    assert output["messages"][-1]["content"] == "1 2"


@pytest.mark.parametrize(
    "origin", ["https://smith.langchain.com", "https://eu.smith.langchain.com"]
)
async def test_studio_origins_pass_the_preflight(server: Server, origin: str) -> None:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key,x-auth-scheme",
        "Access-Control-Request-Private-Network": "true",
    }
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.options("/threads/search", headers=headers)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "x-api-key" in response.headers["access-control-allow-headers"]
    assert response.headers["access-control-allow-private-network"] == "true"


@pytest.mark.parametrize(
    "origin",
    [
        "http://smith.langchain.com",
        "https://smith.langchain.com.evil.example",
        "https://evilsmith.langchain.com",
        "https://smith-langchain.com",
    ],
)
async def test_lookalike_origins_are_refused(server: Server, origin: str) -> None:
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.options("/threads/search", headers=headers)

    assert "access-control-allow-origin" not in response.headers


def test_the_printed_studio_link_points_at_this_server(server: Server) -> None:
    assert f"https://smith.langchain.com/studio/?baseUrl={server.url}" in server.log_text()
