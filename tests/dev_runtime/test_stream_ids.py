"""A run's stream resumed from any event id (``runs.join_stream`` with ``last_event_id``, the
SDK's reconnection) replays exactly the events after that one, even those sent in the same
millisecond (``ordered-stream-ids``)."""

from __future__ import annotations

import pytest
from langgraph_sdk import get_client

from harness.server import Server
from server.dev_runtime import stream_ids
from tests.reliability.accounting import user_message


@pytest.mark.unit
def test_ids_increase_as_strings_while_the_clock_stands_or_goes_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = iter([1_765_000_000.0005] * 12 + [1_764_999_999.0] * 3 + [1_765_000_001.0])
    monkeypatch.setattr(stream_ids, "clock", lambda: next(clock))
    monkeypatch.setattr(stream_ids, "_last", [0, -1])
    ids = [stream_ids.next_id() for _ in range(16)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert ids[10] == "1765000000000-000010" and ids[-1] == "1765000001000-000000"


async def test_a_stream_resumed_from_any_event_replays_exactly_what_followed(
    server: Server,
) -> None:
    client = get_client(url=server.url, api_key=None)
    thread_id = (await client.threads.create())["thread_id"]
    parts = [
        part
        async for part in client.runs.stream(
            thread_id, "agent", input={"messages": [user_message("count to 200")]},
            stream_mode="messages-tuple", stream_resumable=True,
            context={"offline_token_delay": 0},
        )
    ]  # fmt: skip
    run_id = parts[0].data["run_id"]
    ids = [part.id for part in parts]
    assert all(ids) and ids == sorted(ids) and len(set(ids)) == len(ids)
    for cut in range(1, len(parts), 17):  # full speed: many of these share a millisecond
        replayed = [
            (part.event, part.data)
            async for part in client.runs.join_stream(thread_id, run_id, last_event_id=ids[cut])
        ]
        assert replayed == [(part.event, part.data) for part in parts[cut + 1 :]], cut
    await client.aclose()
