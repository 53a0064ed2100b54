"""Start-up: `langgraph dev` to its first ``/ok``, and a second `make dev` (set-up done) to the
"Ready" it prints and to its chat UI answering, on free ports."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from dataclasses import dataclass

import httpx

from bench.measure import Spread, poll
from tests.langgraph_server import ROOT, free_port, langgraph_dev

TIMEOUT = 90.0


@dataclass(frozen=True)
class StartupResult:
    name: str
    until: str
    seconds: Spread | None
    errors: list[str]


def _langgraph_dev() -> float:
    """Seconds to ``/ok``, as ``tests/langgraph_server.py`` waits for it (polled every 0.2 s)."""
    start = time.perf_counter()
    with langgraph_dev():
        return time.perf_counter() - start


async def _make_dev() -> tuple[float, float]:
    """Seconds to "Ready:" and to the chat UI answering; the whole process group is stopped
    after, as Ctrl-C would."""
    env = {**os.environ, "PORT": str(free_port()), "UI_PORT": str(free_port())}
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "scripts/dev.py", cwd=ROOT, env=env, start_new_session=True,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert process.stdout is not None
    output = process.stdout
    drain: asyncio.Task[bytes] | None = None
    try:
        async with asyncio.timeout(TIMEOUT):
            ready, ui_url, line = 0.0, "", ""
            while not ready or "Ctrl-C" not in line:
                if not (line := (await output.readline()).decode(errors="replace")):
                    raise RuntimeError("scripts/dev.py exited before it was ready")
                if line.startswith("Ready:"):
                    ready = time.perf_counter() - start
                elif ready and "Chat UI:" in line:
                    ui_url = line.split()[-1]
            drain = asyncio.create_task(output.read())  # a full pipe would block the servers
            async with httpx.AsyncClient(timeout=2) as http:
                ui = await poll(lambda: _answers(http, ui_url), 0.05, TIMEOUT) - start
        return ready, ui
    finally:
        await _stop_group(process)
        if drain:
            drain.cancel()


async def _answers(http: httpx.AsyncClient, url: str) -> bool:
    try:
        return (await http.get(url)).status_code == 200
    except httpx.HTTPError:
        return False


async def _stop_group(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        pass
    with contextlib.suppress(ProcessLookupError):  # stragglers of the group, if any
        os.killpg(process.pid, signal.SIGKILL)
    await process.wait()


async def measure(repeats: int) -> list[StartupResult]:
    dev_ok: list[float] = []
    ready: list[float] = []
    ui: list[float] = []
    errors: dict[str, list[str]] = {"dev": [], "make": []}
    for _ in range(repeats):
        try:
            dev_ok.append(await asyncio.to_thread(_langgraph_dev))
        except Exception as exc:
            errors["dev"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
        try:
            seconds = await _make_dev()
            ready.append(seconds[0])
            ui.append(seconds[1])
        except Exception as exc:
            errors["make"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
    return [
        StartupResult("langgraph dev --no-reload", "/ok answers", Spread.of(dev_ok), errors["dev"]),
        StartupResult("make dev (scripts/dev.py)", '"Ready:" printed', Spread.of(ready), []),
        StartupResult(
            "make dev (scripts/dev.py)", "chat UI answers", Spread.of(ui), errors["make"]
        ),
    ]
