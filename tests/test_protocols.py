"""The thread rules hold the same over both of the server's protocols: the runs API (the Python
SDK, agent-chat-ui) and ``/threads/{id}/commands`` (``run.start``, ``input.respond``: every
``useStream`` of ``@langchain/react``, assistant-ui's included). Each case runs over both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from harness.server import Server
from tests.reliability.accounting import thread_problem

FAST: dict[str, Any] = {"offline_token_delay": 0, "tool_step_delay": 0}
APPROVE_WEATHER = {**FAST, "approve_tools": ["get_weather"]}


def ask(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


class Client(Protocol):
    sdk: LangGraphClient

    async def start(
        self, thread_id: str, input: Any, context: dict[str, Any], checkpoint_id: str | None = None
    ) -> None: ...

    async def respond(
        self, thread_id: str, decisions: list[dict[str, Any]], context: dict[str, Any]
    ) -> None: ...


class RunsApi:
    """What the Python SDK and agent-chat-ui send; resumes as ``{"decisions": [...]}``."""

    def __init__(self, sdk: LangGraphClient, _http: httpx.AsyncClient) -> None:
        self.sdk = sdk

    async def start(
        self, thread_id: str, input: Any, context: dict[str, Any], checkpoint_id: str | None = None
    ) -> None:
        await self.sdk.runs.wait(
            thread_id, "agent", input=input, context=context, checkpoint_id=checkpoint_id
        )

    async def respond(
        self, thread_id: str, decisions: list[dict[str, Any]], context: dict[str, Any]
    ) -> None:
        command: Any = {"resume": {"decisions": decisions}}
        await self.sdk.runs.wait(thread_id, "agent", input=None, command=command, context=context)


class RunsApiKeyed(RunsApi):
    """The JS SDK's ``respond()`` over the runs API: the resume keyed by the interrupt's id."""

    async def respond(
        self, thread_id: str, decisions: list[dict[str, Any]], context: dict[str, Any]
    ) -> None:
        command: Any = {"resume": {await pending_id(self.sdk, thread_id): {"decisions": decisions}}}
        await self.sdk.runs.wait(thread_id, "agent", input=None, command=command, context=context)


class Commands:
    """What ``@langchain/react`` sends: settings in ``config.configurable``, resumes through
    ``input.respond`` keyed by the interrupt's id."""

    def __init__(self, sdk: LangGraphClient, http: httpx.AsyncClient) -> None:
        self.sdk = sdk
        self.http = http

    async def command(self, thread_id: str, method: str, params: dict[str, Any]) -> None:
        response = await self.http.post(
            f"/threads/{thread_id}/commands", json={"id": 1, "method": method, "params": params}
        )
        reply = response.json()
        assert reply.get("type") == "success", reply
        runs = await self.sdk.runs.list(thread_id, limit=1)
        await self.sdk.runs.join(thread_id, runs[0]["run_id"])

    async def start(
        self, thread_id: str, input: Any, context: dict[str, Any], checkpoint_id: str | None = None
    ) -> None:
        configurable = {**context, **({"checkpoint_id": checkpoint_id} if checkpoint_id else {})}
        params = {"assistant_id": "agent", "input": input, "config": {"configurable": configurable}}
        await self.command(thread_id, "run.start", params)

    async def respond(
        self, thread_id: str, decisions: list[dict[str, Any]], context: dict[str, Any]
    ) -> None:
        params = {
            "interrupt_id": await pending_id(self.sdk, thread_id),
            "namespace": [],
            "response": {"decisions": decisions},
            "config": {"configurable": context},
        }
        await self.command(thread_id, "input.respond", params)


async def pending_id(sdk: LangGraphClient, thread_id: str) -> str:
    state = await sdk.threads.get_state(thread_id)
    [pending] = [i for task in state["tasks"] for i in task["interrupts"]]
    return str(pending["id"])


@pytest.fixture(params=[RunsApi, RunsApiKeyed, Commands])
async def client(request: pytest.FixtureRequest, server: Server) -> AsyncIterator[Client]:
    sdk = get_client(url=server.url)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        yield request.param(sdk, http)
    await sdk.aclose()


def text(message: dict[str, Any]) -> str:
    """A message's text: runs of the newer protocol store an answer as a list of blocks."""
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content if isinstance(block, dict))


async def contents(client: Client, thread_id: str) -> list[str]:
    return [text(m) for m in await messages(client, thread_id)]


async def messages(client: Client, thread_id: str) -> list[dict[str, Any]]:
    values = (await client.sdk.threads.get_state(thread_id))["values"]
    assert isinstance(values, dict)
    return list(values["messages"])


async def paused(client: Client) -> str:
    thread_id = (await client.sdk.threads.create())["thread_id"]
    await client.start(thread_id, ask("北京天气如何？"), APPROVE_WEATHER)
    assert (await client.sdk.threads.get_state(thread_id))["next"] == ["tools"]
    return thread_id


async def test_a_new_message_on_a_paused_thread_cancels_the_pending_call(client: Client) -> None:
    thread_id = await paused(client)

    await client.start(thread_id, ask("count to 2"), FAST)

    saved = await messages(client, thread_id)
    assert [m["type"] for m in saved] == ["human", "ai", "tool", "human", "ai"]
    assert saved[2]["artifact"] == {"cancelled": True}
    assert text(saved[-1]) == "1 2"
    assert thread_problem(saved) is None
    assert (await client.sdk.threads.get(thread_id))["status"] == "idle"


@pytest.mark.parametrize(
    ("decision", "result"),
    [({"type": "approve"}, "北京：晴，25°C"), ({"type": "reject"}, "declined")],
)
async def test_a_decision_resumes_the_paused_call(
    client: Client, decision: dict[str, Any], result: str
) -> None:
    thread_id = await paused(client)

    await client.respond(thread_id, [decision], APPROVE_WEATHER)

    saved = await messages(client, thread_id)
    assert [m["type"] for m in saved] == ["human", "ai", "tool", "ai"]
    assert result in text(saved[2])
    assert thread_problem(saved) is None


async def test_regenerate_and_fork_from_a_checkpoint(client: Client) -> None:
    thread_id = (await client.sdk.threads.create())["thread_id"]
    await client.start(thread_id, ask("count to 3"), FAST)
    history = await client.sdk.threads.get_history(thread_id)
    before_answer = next(h for h in history if h["next"] == ["agent"])
    before_question = next(h for h in history if h["next"] == ["__start__"])

    await client.start(thread_id, None, FAST, before_answer["checkpoint"]["checkpoint_id"])
    again = await contents(client, thread_id)
    await client.start(
        thread_id, ask("count to 2"), FAST, before_question["checkpoint"]["checkpoint_id"]
    )
    edited = await contents(client, thread_id)

    assert again == ["count to 3", "1 2 3"]
    assert edited == ["count to 2", "1 2"]


async def test_a_fork_of_a_paused_thread_is_a_new_message_not_a_resume(client: Client) -> None:
    thread_id = await paused(client)
    history = await client.sdk.threads.get_history(thread_id)
    before_question = next(h for h in history if h["next"] == ["__start__"])

    await client.start(
        thread_id, ask("count to 2"), FAST, before_question["checkpoint"]["checkpoint_id"]
    )

    assert await contents(client, thread_id) == ["count to 2", "1 2"]


async def test_a_replay_of_the_paused_checkpoint_pauses_again(client: Client) -> None:
    """A replay from the paused checkpoint with no input and no ``approve_tools`` (the runs
    API's ``checkpoint_id``, the newer protocol's ``run.start`` with it in ``configurable``)
    stops at the same request: the call nobody approved does not run."""
    thread_id = await paused(client)
    checkpoint = (await client.sdk.threads.get_state(thread_id))["checkpoint"]["checkpoint_id"]

    await client.start(thread_id, None, FAST, checkpoint)

    state = await client.sdk.threads.get_state(thread_id)
    assert state["next"] == ["tools"], "paused again"
    assert not [m for m in await messages(client, thread_id) if m["type"] == "tool"]
    [task] = state["tasks"]
    assert task["interrupts"][0]["value"]["action_requests"][0]["args"] == {"city": "北京"}
