"""``token-free-queues``: which frames a stream without tokens is spared, and how the count of
them reaches its session, in order. (``test_thread_tapes.py`` checks the numbering end to end,
through the server's own codec.)"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import orjson
import pytest

from server.dev_runtime.quiet_queues import MARKER, Quiet, is_root_token

pytestmark = pytest.mark.unit


@dataclass
class Message:  # the runtime's ``inmem_stream.Message``, whose module needs the server's config
    topic: bytes
    data: bytes
    id: bytes | None = None


def _frame(event: str, payload: bytes, stream_id: bytes = b"") -> Message:
    """A version-1 frame of langgraph-api's ``StreamCodec``, as it encodes one."""
    name = event.encode()
    head = b"\x01" + len(stream_id).to_bytes(2, "big") + len(name).to_bytes(2, "big")
    return Message(topic=b"run:r:stream", data=head + stream_id + name + payload, id=b"1-01")


def _event(method: str, namespace: list[str], data: object) -> bytes:
    params = {"namespace": namespace, "timestamp": 1, "data": data}
    return orjson.dumps({"type": "event", "method": method, "params": params})


TOKEN = _event("messages", [], {"event": "content-block-delta", "delta": {"text": "1"}})


@pytest.mark.parametrize(
    ("name", "payload", "spared"),
    [
        ("messages", TOKEN, True),
        ("messages|tools:call_1", _event("messages", ["tools:call_1"], {}), False),
        ("messages", orjson.dumps([{"content": "1"}, {"langgraph_node": "agent"}]), False),
        ("values", _event("values", [], {"messages": []}), False),
        ("custom", _event("custom", [], {"payload": 1}), False),
        ("control", b"done", False),
    ],
)
def test_only_root_protocol_tokens_are_spared(name: str, payload: bytes, spared: bool) -> None:
    assert is_root_token(_frame(name, payload).data) is spared
    assert is_root_token(_frame(name, payload, stream_id=b"9-000001").data) is spared


def test_the_count_goes_ahead_of_the_next_event_and_only_then() -> None:
    queue: asyncio.Queue[Message] = asyncio.Queue()
    quiet = Quiet()
    progress = _frame("custom", _event("custom", [], {"payload": 1}))
    done = _frame("control", b"done")
    for message in [_frame("messages", TOKEN)] * 3 + [progress, done]:
        quiet.put(queue, message)
    kept = [queue.get_nowait() for _ in range(queue.qsize())]

    assert kept[0].data == _frame("messages", MARKER + b"3}").data and kept[0].id == progress.id
    assert kept[1:] == [progress, done] and quiet.skipped == 0
