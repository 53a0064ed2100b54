"""Start-up: `langgraph dev` to its first ``/ok``, and `make dev` (set-up done, free ports) to
its Ready banner, which it prints once the API and the chat UI answer and their logs settle."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass

from bench.measure import Spread
from harness.dev import END_OF_BANNER
from harness.server import free_port, langgraph_dev

TIMEOUT = 90.0


@dataclass(frozen=True)
class StartupResult:
    name: str
    until: str
    seconds: Spread | None
    errors: list[str]


def _langgraph_dev() -> float:
    """Seconds to ``/ok``, as ``harness.server`` waits for it (polled every 0.2 s)."""
    start = time.perf_counter()
    with langgraph_dev():
        return time.perf_counter() - start


async def _make_dev() -> float:
    """Seconds to the end of the banner; the launcher then stops everything it started."""
    env = {**os.environ, "PORT": str(free_port()), "UI_PORT": str(free_port())}
    with tempfile.TemporaryDirectory(prefix="bench-dev-") as directory:  # for .langgraph_url
        start = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "harness.dev", cwd=directory, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        assert process.stdout is not None
        try:
            async with asyncio.timeout(TIMEOUT):
                while END_OF_BANNER not in (await process.stdout.readline()).decode():
                    if process.stdout.at_eof():
                        raise RuntimeError("harness.dev exited before it was ready")
                return time.perf_counter() - start
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            await process.communicate()


async def measure(repeats: int) -> list[StartupResult]:
    dev_ok: list[float] = []
    ready: list[float] = []
    errors: dict[str, list[str]] = {"dev": [], "make": []}
    for _ in range(repeats):
        try:
            dev_ok.append(await asyncio.to_thread(_langgraph_dev))
        except Exception as exc:
            errors["dev"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
        try:
            ready.append(await _make_dev())
        except Exception as exc:
            errors["make"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
    return [
        StartupResult("langgraph dev --no-reload", "/ok answers", Spread.of(dev_ok), errors["dev"]),
        StartupResult("make dev", "Ready banner printed", Spread.of(ready), errors["make"]),
    ]
