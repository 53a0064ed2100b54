"""Dropped connections and refused streams, injected by a proxy between client and server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

from langgraph_sdk.client import LangGraphClient

from client.resume import RetryPolicy
from client.stream import astream, saved_answer
from contract.typed import Done, Event, Fallback, Retry, Token
from examples.fault_proxy import FaultProxy
from harness.server import ROOT, Server
from tests.client.conftest import saved_messages

FAST_RETRY = RetryPolicy(initial=0.05, max_retries=3)


async def run_through(proxy: FaultProxy, message: str, **options: object) -> list[Event]:
    return [e async for e in astream(message, url=proxy.url, retry=FAST_RETRY, **options)]


async def test_resumes_after_repeated_drops(server: Server, sdk: LangGraphClient) -> None:
    # The first cut falls inside the response headers (before the SDK knows where to
    # reconnect: our own resume finds the run and replays it); the others mid-body (the SDK
    # reconnects with Last-Event-ID).
    async with FaultProxy(server.port, cuts=[200, 20_000, 20_000, 20_000]) as proxy:
        events = await run_through(proxy, "count to 300", context={"offline_token_delay": 0.01})
        assert proxy.dropped == 4

    done = events[-1]
    assert isinstance(done, Done) and done.status == "success"
    assert any(isinstance(event, Retry) for event in events)
    answer = saved_answer(await saved_messages(sdk, done.thread_id))
    tokens = [event.content for event in events if isinstance(event, Token)]
    assert done.answer == answer
    assert "".join(tokens) == answer and not done.resynced
    numbers = [token.strip() for token in tokens]
    assert numbers == [str(n) for n in range(1, 301)]
    assert max(Counter(numbers).values()) == 1  # no token twice


async def test_falls_back_when_streaming_is_refused(server: Server, sdk: LangGraphClient) -> None:
    async with FaultProxy(server.port, refuse_streams=True) as proxy:
        events = await run_through(proxy, "北京天气如何？")
        assert proxy.refused == FAST_RETRY.max_retries + 1

    retries = [event for event in events if isinstance(event, Retry)]
    assert [retry.delay for retry in retries] == [0.05, 0.1, 0.2]  # exponential backoff
    assert "503" in retries[0].reason
    [fallback] = [event for event in events if isinstance(event, Fallback)]
    done = events[-1]
    assert isinstance(done, Done) and done.status == "success" and done.resynced
    assert "北京：晴，25°C" in done.answer
    assert done.answer == saved_answer(await saved_messages(sdk, done.thread_id))
    assert events.index(fallback) < len(events) - 1


def test_the_example_says_nothing_was_streamed_when_streams_are_refused(server: Server) -> None:
    """``examples/retry_fallback.py --refuse``: the answer comes only from the fallback, so it
    cannot differ from a stream there never was."""
    env = {**os.environ, "LANGGRAPH_API_URL": server.url}
    done = subprocess.run(
        [sys.executable, "-m", "examples.retry_fallback", "--refuse", "北京天气如何？"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "北京：晴，25°C" in done.stdout and "streams refused: 4" in done.stdout
    assert "differs" not in done.stdout and "nothing was streamed" in done.stdout
