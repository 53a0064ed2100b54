"""Thread reads under ``langgraph dev``: rendered an item at a time into the very bytes
upstream renders, with full collections deferred while any read is served."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest
from langgraph_api.serde import json_dumpb
from starlette.responses import JSONResponse
from starlette.types import Message

from server.dev_runtime.gc_pauses import DEFERRED, FullCollections
from server.dev_runtime.history_reads import _rendered_in_pieces

pytestmark = pytest.mark.unit


class ApiResponse(JSONResponse):
    """langgraph-api 0.16.7's ``route.ApiResponse`` (importing it needs a configured server)."""

    def render(self, content: Any) -> bytes:
        return json_dumpb(content)


STATES: list[Any] = [
    {"values": {"messages": [{"type": "human", "content": f"question {i} \u0000 é 北京"}]}}
    for i in range(5)
]


async def _body(content: Any) -> bytes:
    response = _rendered_in_pieces(ApiResponse)(content)
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    await response({"type": "http", "method": "GET", "headers": []}, receive, send)
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    assert dict(start["headers"])[b"content-length"] == str(len(body)).encode()
    return body


@pytest.mark.parametrize("content", [STATES, [], STATES[0], [[1, 2], None, "x"]])
async def test_a_thread_answer_is_the_bytes_upstream_renders(content: Any) -> None:
    expected = ApiResponse(json.loads(json.dumps(content))).body
    assert await _body(content) == expected


def test_full_collections_wait_until_the_last_overlapping_read_ends() -> None:
    before = gc.get_threshold()
    reads = FullCollections()
    with reads.deferred():
        assert gc.get_threshold()[2] == DEFERRED
        assert gc.get_threshold()[:2] == before[:2], "young collections still run"
        with reads.deferred():
            pass
        assert gc.get_threshold()[2] == DEFERRED, "one read ended, the other still runs"
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), reads.deferred():
        raise RuntimeError("a read that fails")
    assert gc.get_threshold() == before
