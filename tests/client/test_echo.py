"""A resumed stream's echo: the dev runtime subscribes a rejoining client to the run's live queue,
then replays what is stored after Last-Event-ID, so events stored meanwhile come twice, with
the same ids (langgraph_runtime_inmem ``Runs.Stream.join``). Whether that happens depends on
timing against the real server (it streamed a repeated token in 2 of 4 runs of
``examples/retry_fallback.py --drops 3``); here a scripted transport under the real SDK and
httpx serves that exact sequence, so the test is deterministic."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from client.resume import RetryPolicy, RunSource

pytestmark = pytest.mark.unit

THREAD, RUN = "00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b"


def _sse(event_id: str, token: str) -> bytes:
    data = [{"type": "AIMessageChunk", "content": token, "id": "m"}, {"langgraph_node": "agent"}]
    return f"event: messages\ndata: {json.dumps(data)}\nid: {event_id}\n\n".encode()


class _CutStream(httpx.AsyncByteStream):
    """The first response: three events, then the connection drops."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for event_id, token in [("1-0", "1"), ("2-0", " 2"), ("2-0", " 3")]:
            yield _sse(event_id, token)
        raise httpx.ReadError("connection cut")


def _serve(request: httpx.Request) -> httpx.Response:
    stream = {
        "content-type": "text/event-stream",
        "location": f"/threads/{THREAD}/runs/{RUN}/stream",
    }
    if request.method == "POST":
        headers = {**stream, "content-location": f"/threads/{THREAD}/runs/{RUN}"}
        return httpx.Response(200, headers=headers, stream=_CutStream())
    if request.url.path.endswith("/stream"):
        assert request.headers["last-event-id"] == "2-0"
        # The replay after 2-0, then the live queue echoing what was stored meanwhile.
        body = _sse("3-0", " 4") + _sse("3-0", " 5") + _sse("3-0", " 5") + _sse("4-0", " 6")
        return httpx.Response(200, headers=stream, content=body)
    return httpx.Response(200, json={"run_id": RUN, "status": "success"})


async def test_an_echoed_event_after_a_resume_is_dropped() -> None:
    http = httpx.AsyncClient(base_url="http://test", transport=httpx.MockTransport(_serve))
    async with LangGraphClient(http) as client:
        source = RunSource(client, THREAD, "agent", {}, RetryPolicy(initial=0.01), "http://test")
        tokens = [part.data[0]["content"] async for part in source.parts()]
    assert tokens == ["1", " 2", " 3", " 4", " 5", " 6"]
