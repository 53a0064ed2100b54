"""Random requests against the direct routes and the runs API: no 5xx, no hang, server up.

Example counts are bounded so the module takes a few seconds; every request has a timeout,
and hypothesis prints the failing example (``database=None``: nothing is written to the
project). The last tests pin the 5xx and hangs that fuzzing found (all fixed).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from harness.server import Server
from harness.sse import DONE, events
from tests.reliability.fuzz_inputs import CHAT_BODY, CONTEXT_PARAM, QUERY, SOCKET_FRAME, run_request

TIMEOUT = httpx.Timeout(30, connect=5)
BOUNDED = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def http(agent_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=agent_server.url, timeout=TIMEOUT) as client:
        yield client


def check_sse(response: httpx.Response) -> None:
    """No 5xx; an answer is well-formed SSE that ends with exactly one ``[DONE]``."""
    assert response.status_code < 500, response.text
    if response.status_code != 200:
        assert "Traceback" not in response.text
        return
    streamed = events(response)
    assert streamed[-1:] == [DONE] and streamed.count(DONE) == 1, streamed[-3:]
    assert all("Traceback" not in str(event.get("message", "")) for event in streamed[:-1])


@settings(BOUNDED, max_examples=100)
@given(query=QUERY | st.none(), context=CONTEXT_PARAM | st.none())
def test_get_stream(http: httpx.Client, query: str | None, context: str | None) -> None:
    params = {k: v for k, v in {"query": query, "context": context}.items() if v is not None}
    check_sse(http.get("/api/chat/stream", params=params))


@settings(BOUNDED, max_examples=100)
@given(body=CHAT_BODY)
def test_post_stream(http: httpx.Client, body: str) -> None:
    check_sse(http.post("/api/chat/stream", content=body.encode()))


@settings(BOUNDED, max_examples=50)
@given(frame=SOCKET_FRAME)
def test_socket(agent_server: Server, frame: str) -> None:
    """Whatever arrives, the socket answers and stays open: a ping after it gets its pong."""
    with connect(agent_server.url.replace("http://", "ws://") + "/ws/chat") as socket:
        socket.send(frame)
        socket.send(json.dumps({"type": "ping"}))
        deadline = time.monotonic() + 20
        while True:
            try:
                reply = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            except ConnectionClosed as closed:
                raise AssertionError(f"the server closed the socket: {closed}") from None
            assert "Traceback" not in str(reply.get("message", ""))
            if reply["type"] == "pong":
                break


@settings(BOUNDED, max_examples=3)
@given(requests=st.lists(run_request(), min_size=10, max_size=10))
def test_runs_api(agent_server: Server, requests: list[tuple[str, dict[str, Any]]]) -> None:
    """Ten runs at once per example (each waits for the run queue's poll), each on its own
    thread; streams are read to their end."""

    async def one(http: httpx.AsyncClient, kind: str, body: dict[str, Any]) -> None:
        thread_id = (await http.post("/threads", json={})).json()["thread_id"]
        url = f"/threads/{thread_id}/runs/{kind}"
        async with http.stream("POST", url, content=json.dumps(body).encode()) as response:
            text = (await response.aread()).decode()
        assert response.status_code < 500, (kind, body, text)

    async def batch() -> None:
        async with httpx.AsyncClient(base_url=agent_server.url, timeout=TIMEOUT) as http:
            await asyncio.gather(*(one(http, kind, body) for kind, body in requests))

    asyncio.run(batch())


def test_server_is_healthy_after_the_fuzzing(http: httpx.Client) -> None:
    assert http.get("/ok").status_code == 200
    deadline = time.monotonic() + 15
    while (active := http.get("/api/chat/status").json()["active_streams"]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert active == 0, "a direct stream slot leaked"
    offline = json.dumps({"model": "offline"})
    answer = http.get("/api/chat/stream", params={"query": "count to 3", "context": offline})
    assert '"content": " 3"' in answer.text and answer.text.rstrip().endswith("data: [DONE]")


# Found by fuzzing, and fixed.
DEEP = "[" * 10_000 + "]" * 10_000
"""Nested deeper than Python's json module recurses: RecursionError, not JSONDecodeError."""
UNHASHABLE_ROLE = {"role": {}, "content": "x"}
"""``role in {...}`` raises TypeError for a dict or list role."""


@pytest.mark.parametrize(
    ("method", "path", "request_args"),
    [
        pytest.param("POST", "/api/chat/stream", {"content": DEEP}, id="sse.py-deep-body"),
        pytest.param(
            "GET",
            "/api/chat/stream",
            {"params": {"query": "hi", "context": "[" * 2_000 + "]" * 2_000}},
            id="validation.py-deep-context",
        ),
        pytest.param(
            "POST",
            "/api/chat/stream",
            {"json": {"query": "x", "messages": [UNHASHABLE_ROLE]}},
            id="inputs.py-unhashable-role",
        ),
        pytest.param(
            "POST",
            "/threads/{thread_id}/runs/wait",
            {"json": {"assistant_id": "agent", "input": {"messages": [UNHASHABLE_ROLE]}}},
            id="validation.py-unhashable-role-in-run-input",
        ),
    ],
)
def test_malformed_input_is_refused_with_422(
    http: httpx.Client, method: str, path: str, request_args: dict[str, Any]
) -> None:
    thread_id = http.post("/threads", json={}).json()["thread_id"]

    response = http.request(method, path.format(thread_id=thread_id), **request_args)

    assert response.status_code == 422, response.text


def test_deeply_nested_frame_gets_an_error_and_the_socket_stays(agent_server: Server) -> None:
    with connect(agent_server.url.replace("http://", "ws://") + "/ws/chat") as socket:
        socket.send(DEEP)
        assert json.loads(socket.recv(timeout=10))["type"] == "error"


@pytest.mark.parametrize("value", ["NaN", "Infinity"])
def test_non_finite_delay_is_refused_with_422(http: httpx.Client, value: str) -> None:
    context = f'{{"tool_step_delay": {value}}}'
    with http.stream(
        "GET", "/api/chat/stream", params={"query": "分析用户数据", "context": context}
    ) as response:
        assert response.status_code == 422
