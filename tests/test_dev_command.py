"""`make dev`'s launcher: moves off a taken port, points the UI at the API it started."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time

import httpx

from scripts.dev import QUIET_ENV
from tests.langgraph_server import ROOT, free_port


def test_dev_serves_api_and_ui_on_the_ports_it_prints() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy_port = taken.getsockname()[1]
        env = {
            **os.environ,
            **QUIET_ENV,
            "AGENT_MODEL": "offline",
            "PORT": str(busy_port),
            "UI_PORT": str(free_port()),
        }
        process = subprocess.Popen(
            [sys.executable, "scripts/dev.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            assert process.stdout is not None
            lines: list[str] = []
            deadline = time.monotonic() + 90
            while not any("Ctrl-C" in line for line in lines) and time.monotonic() < deadline:
                lines.append(process.stdout.readline())
            output = "".join(lines)
            api = re.search(r"Agent API:\s+(http://\S+)", output)
            ui = re.search(r"Chat UI:\s+(http://\S+)", output)
            assert api and ui, output

            assert api.group(1) != f"http://127.0.0.1:{busy_port}"
            assert httpx.get(f"{api.group(1)}/ok", timeout=10).json()["ok"] is True
            assert '<div id="root">' in _get_when_up(f"{ui.group(1)}/")
            config = _get_when_up(f"{ui.group(1)}/src/config.ts")
            assert f'"VITE_LANGGRAPH_API_URL": "{api.group(1)}"' in config

            # The plain SSE example it prints works as printed.
            curl = re.search(r"Plain SSE:\s+(curl .+)", output)
            assert curl, output
            streamed = subprocess.run(
                shlex.split(curl.group(1)), capture_output=True, text=True, timeout=60, check=True
            ).stdout
            assert '"type": "tool_result"' in streamed and "北京：晴" in streamed
            assert streamed.rstrip().endswith("data: [DONE]")
        finally:
            os.killpg(process.pid, signal.SIGINT)
            assert process.wait(timeout=30) == 0


def _get_when_up(url: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, timeout=5).text
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
