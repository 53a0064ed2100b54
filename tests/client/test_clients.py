"""One SDK client per loop, URL and key (client/clients.py): reused across runs, closed with its
loop or the process."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import pytest
from langgraph_sdk.client import LangGraphClient

from client import clients
from client.clients import aclose_clients, close_all, run_sync, shared_client
from client.stream import RunStream, stream
from contract.typed import Done
from harness.server import ROOT, Server
from tests.client.conftest import FAST

URL = "http://127.0.0.1:9"  # never contacted: building a client does no I/O


def is_closed(client: LangGraphClient) -> bool:
    return bool(client.http.client.is_closed)


async def current(url: str = URL, key: str | None = None) -> LangGraphClient:
    return shared_client(url, key)


@pytest.mark.unit
async def test_one_client_per_url_and_key_in_a_loop() -> None:
    first = shared_client(URL, None)
    assert shared_client(URL + "/", None) is first
    assert shared_client(URL, "key-a") is not first
    assert shared_client(URL, "key-a") is shared_client(URL, "key-a")
    assert shared_client("http://127.0.0.1:10", None) is not first
    assert first.http.client.headers.get("x-api-key") is None
    assert shared_client(URL, "key-a").http.client.headers["x-api-key"] == "key-a"
    await aclose_clients()
    assert is_closed(first) and shared_client(URL, None) is not first


@pytest.mark.unit
def test_each_loop_has_its_own_closed_when_it_ends() -> None:
    first, second = asyncio.run(current()), asyncio.run(current())
    assert first is not second
    assert is_closed(first) and is_closed(second)


@pytest.mark.unit
def test_sync_calls_share_a_private_loop_until_exit() -> None:
    first = run_sync(current())
    assert run_sync(current()) is first and not is_closed(first)
    close_all()  # what the interpreter runs at exit
    assert is_closed(first)
    assert run_sync(current()) is not first


async def test_runs_in_one_loop_share_one_client(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[LangGraphClient] = []
    build = clients.new_client

    def counted(url: str, key: str | None) -> LangGraphClient:
        built.append(build(url, key))
        return built[-1]

    monkeypatch.setattr(clients, "new_client", counted)
    runs = [RunStream("count to 3", url=server.url, context=FAST) for _ in range(2)]
    runs.append(RunStream("count to 2", url=server.url, context=FAST, api_key="another-key"))
    for run in runs:
        events = [event async for event in run]
        assert isinstance(events[-1], Done) and events[-1].status == "success"
    assert runs[0].client is runs[1].client is built[0]
    assert runs[2].client is built[1] is not built[0]
    assert len(built) == 2 and not any(is_closed(client) for client in built)


def test_sync_runs_share_one_client_and_exit_closes_it(server: Server) -> None:
    """Two ``stream()`` runs in a fresh interpreter: one client; open after the runs, closed
    by the time the interpreter's exit handlers are done."""
    script = textwrap.dedent(f"""
        import asyncio, atexit
        found = []
        # Registered first, so it runs after client.clients' own exit handler.
        atexit.register(lambda: print("at exit:", [c.http.client.is_closed for c in found]))
        from client import stream, Done
        from client.clients import run_sync, shared_client

        async def current():
            return shared_client({server.url!r}, None)

        for _ in range(2):
            events = list(stream("count to 3", url={server.url!r}, context={FAST!r}))
            assert isinstance(events[-1], Done) and events[-1].status == "success"
            found.append(run_sync(current()))
        print("same client:", found[0] is found[1], "open:", not found[0].http.client.is_closed)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "same client: True open: True" in done.stdout
    assert "at exit: [True, True]" in done.stdout


def test_sync_wrapper_reuses_its_client_across_calls(server: Server) -> None:
    first = list(stream("count to 2", url=server.url, context=FAST))
    client = run_sync(current(server.url))
    second = list(stream("count to 2", url=server.url, context=FAST))
    assert run_sync(current(server.url)) is client and not is_closed(client)
    assert all(isinstance(events[-1], Done) for events in (first, second))
