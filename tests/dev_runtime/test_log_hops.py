"""Awaited log calls under ``langgraph dev`` write on the event loop, where they were called."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping, MutableMapping
from typing import Any

import pytest
import structlog
from langgraph_sdk.client import LangGraphClient

from harness.server import Server
from server.dev_runtime import log_hops
from tests.reliability.accounting import user_message

FAST = {"offline_token_delay": 0.0, "tool_step_delay": 0.01}


def _recording_logger(seen: list[Mapping[str, Any]]) -> Any:
    def record(_: Any, __: str, event: MutableMapping[str, Any]) -> Mapping[str, Any]:
        seen.append(event)
        raise structlog.DropEvent

    sites = structlog.processors.CallsiteParameterAdder(
        [
            structlog.processors.CallsiteParameter.THREAD_NAME,
            structlog.processors.CallsiteParameter.FUNC_NAME,
        ]
    )
    return structlog.stdlib.BoundLogger(logging.getLogger("log-hops"), [sites, record], {})


async def _log_from_a_caller(logger: Any) -> None:
    await logger.ainfo("hello", n=1)


@pytest.mark.unit
async def test_an_awaited_log_call_runs_on_the_loop_and_names_its_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upstream: list[Mapping[str, Any]] = []
    await _log_from_a_caller(_recording_logger(upstream))
    assert upstream[0]["thread_name"] != threading.current_thread().name  # upstream hops

    monkeypatch.setattr(
        structlog.stdlib.BoundLogger,
        "_dispatch_to_sync",
        structlog.stdlib.BoundLogger._dispatch_to_sync,
    )
    log_hops.apply()
    patched: list[Mapping[str, Any]] = []
    await _log_from_a_caller(_recording_logger(patched))
    assert [(e["event"], e["n"]) for e in patched] == [("hello", 1)]
    assert patched[0]["thread_name"] == threading.current_thread().name
    assert patched[0]["func_name"] == "_log_from_a_caller"


async def test_the_servers_awaited_run_logs_are_written_on_its_loop(
    server: Server, sdk: LangGraphClient
) -> None:
    """``worker.worker`` awaits "Starting background run" at every run's start."""
    thread = await sdk.threads.create()
    run = await sdk.runs.create(
        thread["thread_id"], "agent", input={"messages": [user_message("hi")]}, context=FAST
    )
    await sdk.runs.join(thread["thread_id"], run["run_id"])
    plain = re.sub(r"\x1b\[[0-9;]*m", "", server.log_text())
    lines = [
        line
        for line in plain.splitlines()
        if "Starting background run" in line and run["run_id"] in line
    ]
    assert len(lines) == 1, plain[-2000:]
    assert "thread_name=MainThread" in lines[0]
