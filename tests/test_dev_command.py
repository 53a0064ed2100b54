"""`make dev`'s launcher (``python -m harness.dev``): it moves off a taken port, points the UI,
the CLI and the examples at the API it started, prints its banner after the servers' logs, and
any of SIGINT, SIGTERM or SIGHUP stops everything it started."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from client.stream import URL_FILE
from harness.dev import END_OF_BANNER, RULE
from harness.server import QUIET_ENV, ROOT, descendants, free_port

AGENT_STREAM = str(Path(sys.executable).with_name("agent-stream"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Dev:
    process: subprocess.Popen[str]
    before: str
    """Everything printed before the banner."""
    banner: str
    busy_port: int
    directory: Path
    started: set[int]
    """The processes it started, seen at the banner."""

    def url(self, label: str) -> str:
        found = re.search(rf"{label}:\s+(http://\S+)", self.banner)
        assert found, self.banner
        return found.group(1)


@contextmanager
def dev(directory: Path) -> Iterator[Dev]:
    """The launcher in ``directory`` with port 2024's stand-in taken, up to its banner."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy_port = taken.getsockname()[1]
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("LANGGRAPH_API")},
            **QUIET_ENV,
            "AGENT_MODEL": "offline",
            "PORT": str(busy_port),
            "UI_PORT": str(free_port()),
        }
        started: set[int] = set()
        process = subprocess.Popen(
            [sys.executable, "-m", "harness.dev"],
            cwd=directory,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            assert process.stdout is not None
            lines: list[str] = []
            deadline = time.monotonic() + 90
            while END_OF_BANNER not in "".join(lines[-3:]) and time.monotonic() < deadline:
                if not (line := process.stdout.readline()):
                    break
                lines.append(ANSI.sub("", line))
            output = "".join(lines)
            assert END_OF_BANNER in output, output[-3000:]
            start = output.rindex("Ready\n")
            # Read on, or the servers would block on a full pipe.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            started = descendants(process.pid)
            yield Dev(process, output[:start], output[start:], busy_port, directory, started)
        finally:
            for pid in running(started | descendants(process.pid)):  # on a failure only
                os.kill(pid, signal.SIGKILL)
            if process.poll() is None:
                process.kill()
            process.wait()


def running(pids: set[int]) -> set[int]:
    """Those still running (a zombie waiting for a reaper has stopped)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def stop_and_check(running_dev: Dev, signum: signal.Signals) -> None:
    """``signum`` to the launcher alone: it stops both servers and all they started."""
    started = running_dev.started
    api, ui = running_dev.url("Agent API"), running_dev.url("Chat UI")
    assert len(started) >= 4, started  # langgraph dev and its worker; npm and vite

    running_dev.process.send_signal(signum)

    assert running_dev.process.wait(timeout=60) == 0
    deadline = time.monotonic() + 20
    while running(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(started), f"still running after {signum.name}: {running(started)}"
    for url in (api, ui):
        with pytest.raises(httpx.ConnectError):
            httpx.get(url, timeout=5)
    assert not (running_dev.directory / URL_FILE).exists()


def test_dev_serves_api_and_ui_on_the_ports_it_prints_and_records(tmp_path: Path) -> None:
    with dev(tmp_path) as running_dev:
        api, ui = running_dev.url("Agent API"), running_dev.url("Chat UI")
        assert api != f"http://127.0.0.1:{running_dev.busy_port}"
        assert httpx.get(f"{api}/ok", timeout=10).json()["ok"] is True
        assert '<div id="root">' in httpx.get(f"{ui}/", timeout=30).text
        config = httpx.get(f"{ui}/src/config.ts", timeout=30).text
        assert f'"VITE_LANGGRAPH_API_URL": "{api}"' in config

        # The banner comes after both servers' start-up logs, framed.
        assert f"API: {api}" in running_dev.before and f"Local:   {ui}/" in running_dev.before
        assert running_dev.before.rstrip().endswith(RULE)

        # The CLI and the examples find the API through the recorded URL: no --url.
        assert (tmp_path / URL_FILE).read_text().strip() == api
        env = {k: v for k, v in os.environ.items() if not k.startswith("LANGGRAPH_API")}
        for args in (
            [AGENT_STREAM, "count to 3"],
            [sys.executable, str(ROOT / "examples" / "messages_only.py"), "count to 3"],
        ):
            done = subprocess.run(
                args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
            )
            assert done.returncode == 0 and "1 2 3" in done.stdout, done.stderr

        # The plain SSE example it prints works as printed.
        curl = re.search(r"Plain SSE:\s+(curl .+)", running_dev.banner)
        assert curl, running_dev.banner
        streamed = subprocess.run(
            shlex.split(curl.group(1)), capture_output=True, text=True, timeout=60, check=True
        ).stdout
        assert '"type": "tool_result"' in streamed and "北京：晴" in streamed
        assert streamed.rstrip().endswith("data: [DONE]")

        stop_and_check(running_dev, signal.SIGINT)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_any_signal_stops_everything_it_started(tmp_path: Path, signum: signal.Signals) -> None:
    with dev(tmp_path) as running_dev:
        stop_and_check(running_dev, signum)


def test_servers_a_killed_launcher_left_are_stopped_by_the_next(tmp_path: Path) -> None:
    with dev(tmp_path) as first:
        first.process.kill()  # SIGKILL: the launcher cannot stop its servers
        first.process.wait()
        assert running(first.started), "its servers outlive it, in sessions of their own"
        with dev(tmp_path) as second:
            assert not running(first.started)
            for name in ("langgraph dev", "the Vite dev server"):
                assert f"stopped {name} (pid" in second.before, second.before[-2000:]
            stop_and_check(second, signal.SIGTERM)
        assert not (tmp_path / ".make-dev.pids").exists()
