"""One SDK client per event loop, server URL and API key, shared by every run, closed with its
loop (or the process).

Building a client costs ~20 ms of CPU (httpx builds an SSL context even for ``http://``), and
a new one per run also means a new connection per run. A client is bound to the event loop it
first connected on (its kept-alive connections belong to that loop), so the cache is per loop:
``astream`` in one long-lived loop reuses one client, and ``stream`` runs on one private loop
per thread (:func:`run_sync`), so sync calls reuse theirs too. A loop's clients are closed when
it shuts down its async generators (``asyncio.run`` and ``asyncio.Runner`` do, on exit); what is
still open at interpreter exit is closed then. A thread's private loop lives until exit: code
that calls ``stream`` from many short-lived threads should rather run ``astream`` in a loop of
its own.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import threading
from collections.abc import AsyncGenerator, Coroutine
from typing import Any, TypeVar

import httpx
import langgraph_sdk
from langgraph_sdk.client import LangGraphClient

T = TypeVar("T")
Key = tuple[str, str | None]

# As the SDK's get_client, except that the pool has no connection cap: every stream holds a
# connection for its whole run, and with one client per run there was no shared cap to reach
# (httpx's default, 100, would make the 101st concurrent stream wait, then fail).
TIMEOUT = httpx.Timeout(connect=5, read=300, write=300, pool=5)
LIMITS = httpx.Limits(max_connections=None, max_keepalive_connections=20)


class _LoopClients:
    """The clients of one loop, and the async generator whose ``finally`` closes them when the
    loop shuts down its async generators (it is held here, so only the loop's shutdown ends it)."""

    def __init__(self) -> None:
        self.clients: dict[Key, LangGraphClient] = {}
        self.shut = False
        self.closer = self._close_at_shutdown()
        step = self.closer.__anext__()  # registers the generator with the running loop
        with contextlib.suppress(StopIteration):
            step.send(None)  # runs it up to its ``yield``, which needs no await

    async def _close_at_shutdown(self) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            self.shut = True
            await self.aclose()

    async def aclose(self) -> None:
        clients, self.clients = list(self.clients.values()), {}
        for client in clients:
            with contextlib.suppress(Exception):
                await client.aclose()


_loops: dict[asyncio.AbstractEventLoop, _LoopClients] = {}
_lock = threading.Lock()


class _Reconnecting(httpx.AsyncBaseTransport):
    """Retries refused connections (httpx's retries: 0.5 s, 1 s, ... 4 s) only once the server
    has answered: then a refusal is a restart; before, the server is not running, and waiting
    8 s to say so helps nobody."""

    def __init__(self) -> None:
        self._first = httpx.AsyncHTTPTransport(limits=LIMITS)
        self._retrying = httpx.AsyncHTTPTransport(retries=5, limits=LIMITS)
        self._answered = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._retrying if self._answered else self._first
        response = await transport.handle_async_request(request)
        self._answered = True
        return response

    async def aclose(self) -> None:
        await self._first.aclose()
        await self._retrying.aclose()


def new_client(url: str, api_key: str | None) -> LangGraphClient:
    """An SDK client for ``url`` that sends ``api_key`` (none when ``None``: unlike
    ``get_client``, no ``LANGSMITH_API_KEY`` & co. from the environment)."""
    headers = {"User-Agent": f"langgraph-sdk-py/{langgraph_sdk.__version__}"}
    if api_key:
        headers["x-api-key"] = api_key
    http = httpx.AsyncClient(
        base_url=url, transport=_Reconnecting(), timeout=TIMEOUT, headers=headers
    )
    return LangGraphClient(http)


def shared_client(url: str, api_key: str | None) -> LangGraphClient:
    """The running loop's client for ``url`` and ``api_key``, built on first use."""
    loop = asyncio.get_running_loop()
    key = (url.rstrip("/"), api_key)
    with _lock:
        for closed in [other for other in _loops if other.is_closed()]:
            del _loops[closed]  # closed without shutting down: nothing left to await on
        owned = _loops.get(loop)
        if owned is None or owned.shut:  # none yet, or shut down already
            owned = _loops[loop] = _LoopClients()
        client = owned.clients.get(key)
        if client is None:
            client = owned.clients[key] = new_client(*key)
    return client


async def aclose_clients() -> None:
    """Closes the running loop's shared clients now (the next run builds new ones)."""
    with _lock:
        owned = _loops.pop(asyncio.get_running_loop(), None)
    if owned is not None:
        await owned.aclose()


_runners = threading.local()
_all_runners: list[asyncio.Runner] = []


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs ``coroutine`` on this thread's private loop, kept for the next call (and its
    clients with it), closed at interpreter exit."""
    runner: asyncio.Runner | None = getattr(_runners, "runner", None)
    if runner is None or runner not in _all_runners:  # none yet, or closed by close_all
        runner = _runners.runner = asyncio.Runner()
        with _lock:
            _all_runners.append(runner)
    return runner.run(coroutine)


def close_all() -> None:
    """The private loops, with their clients; then any other stopped loop's clients."""
    with _lock:
        runners, _all_runners[:] = list(_all_runners), []
    for runner in runners:
        with contextlib.suppress(Exception):
            runner.close()
    with _lock:
        loops = dict(_loops)
        _loops.clear()
    for loop, owned in loops.items():
        if not loop.is_closed() and not loop.is_running():
            with contextlib.suppress(Exception):
                loop.run_until_complete(owned.aclose())


atexit.register(close_all)
