"""The per-token shortcuts (``token-lane``, ``inline-small-events``, ``step-waits``) send what
upstream sends, byte for byte: the same conversation on a server with them and on one without
shows the same frames, in the same order, with the same numbers, once ids and clocks are set
aside. Both roads are read: the thread event stream (``useStream`` of ``@langchain/react``) and
``runs.stream`` (the SDK's), resumable, then replayed."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.schema import StreamMode

from bench.measure import poll
from bench.thread_stream import CONTENT
from harness.server import Server, langgraph_dev
from tests.dev_runtime.test_thread_tapes import _ends, _runs_idle, _start
from tests.reliability.accounting import user_message

SHORTCUTS = "-token-lane,-inline-small-events,-step-waits"
QUESTIONS = ("北京天气如何？", "count to 30", "hi")
MODES: list[StreamMode] = ["messages-tuple", "values", "updates", "custom"]
_VOLATILE = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r'"\d{13}-\d+(\.\d+)?"'), '"<stream id>"'),
    (re.compile(r'"(timestamp|created_at|updated_at|sent_at)":\s*("[^"]*"|\d+)'), r'"\1":"<time>"'),
    (re.compile(r"call_[A-Za-z0-9]+"), "<call id>"),
    (re.compile(r"http://127\.0\.0\.1:\d+"), "<server>"),
]


@pytest.fixture(scope="module")
def upstream() -> Iterator[Server]:
    with langgraph_dev(env={"AGENT_DEV_PATCHES": SHORTCUTS}) as running:
        yield running


def _steady(value: Any) -> str:
    """``value`` as JSON with ids and clocks replaced, its objects' keys sorted: a process
    orders some of the graph's metadata by its hash seed, which differs between servers."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    for pattern, placeholder in _VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def _frame(lines: list[str]) -> str:
    """An SSE frame, steady; its envelope's and params' keys in the order sent, as the wire
    envelope is what ``token-lane`` builds."""
    fields = dict(line.split(":", 1) for line in lines)
    data = json.loads(fields.pop("data"))
    order = [list(data), list(data.get("params", {}))]
    return _steady([sorted(fields.items()), order, data])


async def _thread_stream(server: Server) -> list[str]:
    """Each frame of the page's content stream over a conversation, as sent."""
    thread_id = str(uuid.uuid4())
    url = f"{server.url}/threads/{thread_id}/stream/events"
    frames: list[str] = []
    ended = 0
    async with httpx.AsyncClient(timeout=60) as http:
        await _start(http, server, thread_id, QUESTIONS[0])  # the thread exists: streams open
        async with http.stream("POST", url, json=CONTENT) as response:
            assert response.status_code == 200
            frame: list[str] = []
            async for line in response.aiter_lines():
                if line:
                    frame.append(line)
                    continue
                frames.append(_frame(frame))
                data = [f.removeprefix("data:") for f in frame if f.startswith("data:")]
                frame = []
                if data and _ends(json.loads(data[0])):
                    ended += 1
                    if ended == len(QUESTIONS):
                        break
                    await poll(lambda: _runs_idle(http, server, thread_id), 0.05, 60)
                    await _start(http, server, thread_id, QUESTIONS[ended])
    return frames


async def _runs_stream(server: Server) -> tuple[list[str], list[str]]:
    """``runs.stream``'s parts over a conversation, then the last run's, replayed."""
    client = get_client(url=server.url, api_key=None)
    thread_id = (await client.threads.create())["thread_id"]
    parts: list[Any] = []
    for text in QUESTIONS:
        parts += [
            part
            async for part in client.runs.stream(
                thread_id, "agent", input={"messages": [user_message(text)]},
                stream_mode=MODES, stream_resumable=True, context={"offline_token_delay": 0},
            )
        ]  # fmt: skip
    run_id = next(p.data["run_id"] for p in reversed(parts) if p.event == "metadata")
    replayed = [  # "-1": all that was kept ("<ms>-0" ids, so a real id skips its millisecond)
        part async for part in client.runs.join_stream(thread_id, run_id, last_event_id="-1")
    ]
    await client.aclose()
    return [_steady([p.event, p.data]) for p in parts], [
        _steady([p.event, p.data]) for p in replayed
    ]


async def test_the_thread_event_stream_reads_as_upstreams(server: Server, upstream: Server) -> None:
    ours, theirs = await _thread_stream(server), await _thread_stream(upstream)
    assert sum('["event", " messages"]' in f for f in ours) > 30, "tokens are there"
    assert ours == theirs


async def test_runs_stream_and_its_replay_read_as_upstreams(
    server: Server, upstream: Server
) -> None:
    (ours, our_replay), (theirs, their_replay) = (
        await _runs_stream(server),
        await _runs_stream(upstream),
    )
    assert len([p for p in ours if p.startswith('["messages')]) > 30, "tokens are there"
    assert ours == theirs
    assert our_replay == their_replay and len(our_replay) > 10
