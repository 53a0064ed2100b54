"""One benchmark run: the sections in order, on one `langgraph dev`, bounded in repeats."""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from bench import (
    browser,
    cancel,
    concurrency,
    jobs,
    layers,
    mainroad,
    modes,
    profile,
    soak,
    startup,
)
from bench.browser import BrowserResult
from bench.cancel import CancelResult
from bench.concurrency import Level
from bench.mainroad import FirstToken
from bench.measure import SIZES, Spread
from bench.modes import ModeCost
from bench.profile import Profile
from bench.soak import SoakResult
from bench.startup import StartupResult
from client.clients import new_client
from harness.server import langgraph_dev

SECTIONS = (
    "layers", "modes", "mainroad", "concurrency", "cancel", "browser", "jobs", "soak", "startup"
)  # fmt: skip
ON_SHARED_SERVER = {"layers", "mainroad", "concurrency", "cancel", "browser"}


@dataclass(frozen=True)
class Settings:
    """Repeats per section: the full run aims at a few minutes, ``--quick`` at about one (and
    leaves out the profiles)."""

    quick: bool
    skip: tuple[str, ...] = ()

    @property
    def repeats(self) -> dict[str, int]:
        """``layers_cheap``: answers per repeat from the in-process and direct paths, which
        take milliseconds where the runs API's take seconds."""
        if self.quick:
            return {"layers": 2, "layers_cheap": 2, "modes": 10, "mainroad": 2, "concurrency": 1,
                    "cancel": 2, "browser": 1, "jobs": 1, "startup": 1}  # fmt: skip
        return {"layers": 5, "layers_cheap": 3, "modes": 30, "mainroad": 5, "concurrency": 3,
                "cancel": 5, "browser": 7, "jobs": 3, "startup": 3}  # fmt: skip


@dataclass
class Results:
    settings: Settings
    machine: dict[str, Any]
    started: str
    sweep: layers.Sweep = field(default_factory=dict)
    profile: dict[str, Profile] = field(default_factory=dict)
    client_setup_ms: Spread | None = None
    modes: list[ModeCost] = field(default_factory=list)
    mainroad: list[FirstToken] = field(default_factory=list)
    concurrency: list[Level] = field(default_factory=list)
    cancel: list[CancelResult] = field(default_factory=list)
    browser: BrowserResult | None = None
    jobs: list[Level] = field(default_factory=list)
    soak: SoakResult | None = None
    startup: list[StartupResult] = field(default_factory=list)
    seconds: float = 0.0


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        **{name: version(name) for name in ("langgraph", "langgraph-api", "langgraph-sdk")},
    }


_STARTED = time.perf_counter()


def _log(message: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


async def run(settings: Settings) -> Results:
    """The in-process probes first (nothing else of ours running), then everything that
    needs the server, then start-up, which starts servers of its own."""
    start = time.perf_counter()
    repeats = settings.repeats
    wanted = [s for s in SECTIONS if s not in settings.skip]
    results = Results(settings, machine_info(), datetime.now(UTC).isoformat(timespec="seconds"))
    if "modes" in wanted:
        _log("stream modes, in-process ...")
        results.modes = await modes.mode_costs(repeats["modes"])
    if ON_SHARED_SERVER & set(wanted):
        with langgraph_dev() as server:
            client = new_client(server.url, None)
            if "layers" in wanted:
                _log("layers: floor, route code, SSE, WebSocket, runs API ...")
                results.sweep = await layers.sweep(
                    server, repeats["layers"], repeats["layers_cheap"]
                )
                results.client_setup_ms = await profile.client_setup_ms(server.url)
                if not settings.quick:
                    _log("client-side profile of the largest answer, SDK and library ...")
                    results.profile = await profile.profile(client, server.url, SIZES[-1])
            if "mainroad" in wanted:
                _log("main road: first token, new thread and follow-up, runs API and SSE ...")
                results.mainroad = await mainroad.measure(
                    client, server.url, server.process.pid, repeats["mainroad"]
                )
            if "concurrency" in wanted:
                _log("concurrency: 1, 10, 50 streams per path ...")
                results.concurrency = await concurrency.measure(
                    server.url, server.process.pid, repeats["concurrency"]
                )
            if "cancel" in wanted:
                _log("cancel latency ...")
                results.cancel = await cancel.measure(client, server.url, repeats["cancel"])
            if "browser" in wanted:
                _log("browser: build, then both views in Chromium ...")
                results.browser = await browser.measure(
                    server.url, client, repeats["browser"], profile=not settings.quick
                )
            await client.aclose()
    if "jobs" in wanted:
        _log(f"jobs per worker: {jobs.JOBS} at {jobs.STREAMS} runs-API streams ...")
        results.jobs = await jobs.measure(repeats["jobs"])
    if "soak" in wanted:
        _log("soak: its own server ...")
        results.soak = await soak.measure(settings.quick, _log)
    if "startup" in wanted:
        _log("start-up: langgraph dev, make dev ...")
        results.startup = await startup.measure(repeats["startup"])
    _log("done")
    results.machine["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results.seconds = time.perf_counter() - start
    return results
