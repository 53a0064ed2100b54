"""`make dev`: ``langgraph dev`` and the Vite dev server on free ports, until anything stops it.

``python -m harness.dev``. Port 2024 (``PORT``) and 5173 (``UI_PORT``) when free, else free
ones; the UI is pointed at the API it got, and the API's URL is written to ``.langgraph_url`` in
the current directory, where ``agent-stream`` and the examples look for it, so nothing needs
``--url`` when 2024 is taken. Both servers run in sessions of their own, with their output
copied here; SIGINT, SIGTERM or SIGHUP to this process, or the end of its parent (`make`),
stops both with everything they started, and removes the file.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import IO

from client.stream import URL_FILE
from harness.leftovers import PID_FILE, AlreadyRunning, record, stop_leftovers
from harness.server import (
    JOBS_PER_WORKER,
    QUIET_ENV,
    ROOT,
    command,
    pick_port,
    stop,
    wait_answering,
)

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
QUIET = 0.5
"""Seconds without a line from either server before the banner, so it comes after their logs."""
QUIET_LIMIT = 5.0
RULE = "━" * 72
END_OF_BANNER = "Ctrl-C stops everything."
QUESTION = "北京天气如何？"
RELOADER_NOISE = re.compile(rb"\b\d+ changes? detected\b")
"""watchfiles logs every file written under the project, the server's own state included
(``.langgraph_api/``), before uvicorn's reloader decides to ignore it."""
MARKERS = {"langgraph dev": "langgraph", "the Vite dev server": "npm"}
"""A text in each server's command line: a recorded PID that no longer shows it is not ours."""


class _Stop(Exception):
    """A signal asked us to stop."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


class _Output:
    """Copies the servers' output to ours, line by line, and knows when the last line came."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = time.monotonic()

    def follow(self, stream: IO[bytes] | None) -> None:
        threading.Thread(target=self._copy, args=(stream,), daemon=True).start()

    def _copy(self, stream: IO[bytes] | None) -> None:
        assert stream is not None
        with contextlib.suppress(OSError, ValueError):  # our terminal may be gone
            for line in iter(stream.readline, b""):
                if RELOADER_NOISE.search(line):
                    continue
                with self._lock:
                    sys.stdout.buffer.write(line)
                    sys.stdout.flush()
                    self._last = time.monotonic()

    def settle(self) -> None:
        deadline = time.monotonic() + QUIET_LIMIT
        while time.monotonic() - self._last < QUIET and time.monotonic() < deadline:
            time.sleep(0.05)

    def print(self, text: str) -> None:
        with self._lock:
            print(text, flush=True)


def _start(
    args: list[str], cwd: Path, env: dict[str, str], output: _Output
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    output.follow(process.stdout)
    return process


def banner(api_url: str, ui_url: str | None, bold: bool) -> str:
    cli = Path(sys.executable).with_name("agent-stream")
    if cli.is_relative_to(Path.cwd()):
        cli = cli.relative_to(Path.cwd())
    lines = [
        *([f"  Chat UI:    {ui_url}"] if ui_url else []),
        f"  Agent API:  {api_url}  (graph 'agent'; docs at {api_url}/docs)",
        f'  CLI:        {cli} "{QUESTION}"   (finds the API in {URL_FILE})',
        f'  Plain SSE:  curl -N -G --data-urlencode "query={QUESTION}" {api_url}/api/chat/stream',
        f"  WebSocket:  {api_url.replace('http://', 'ws://')}/ws/chat",
    ]
    ready = "\033[1;32mReady\033[0m" if bold else "Ready"
    return "\n".join(["", RULE, ready, *lines, END_OF_BANNER, RULE, ""])


def main() -> int:
    for sig in SIGNALS:
        signal.signal(sig, _on_signal)
    output = _Output()
    children: dict[str, subprocess.Popen[bytes]] = {}
    url_file = Path(URL_FILE).resolve()
    pid_file = Path(PID_FILE).resolve()
    api_url = ""
    env = {**os.environ, **QUIET_ENV, **({"FORCE_COLOR": "1"} if sys.stdout.isatty() else {})}
    try:
        for line in stop_leftovers(pid_file, MARKERS):
            output.print(line)
        api_port = pick_port(int(os.environ.get("PORT", "2024")))
        api_url = f"http://127.0.0.1:{api_port}"
        n_jobs = int(os.environ.get("N_JOBS", str(JOBS_PER_WORKER)))
        api = _start(command(api_port, reload=True, n_jobs=n_jobs), ROOT, env, output)
        children["langgraph dev"] = api
        record(pid_file, os.getpid(), {name: child.pid for name, child in children.items()})
        wait_answering(f"{api_url}/ok", api)
        url_file.write_text(api_url + "\n")
        ui_url = None
        if (ROOT / "frontend/package.json").exists():
            ui_port = pick_port(int(os.environ.get("UI_PORT", "5173")))
            ui_url = f"http://127.0.0.1:{ui_port}"
            vite = ["npm", "run", "dev", "--", "--host", "127.0.0.1", "--port", str(ui_port),
                    "--strictPort"]  # fmt: skip
            ui_env = {**env, "VITE_LANGGRAPH_API_URL": api_url}
            children["the Vite dev server"] = _start(vite, ROOT / "frontend", ui_env, output)
            record(pid_file, os.getpid(), {name: child.pid for name, child in children.items()})
            wait_answering(ui_url, children["the Vite dev server"], "the Vite dev server")
        output.settle()
        output.print(banner(api_url, ui_url, sys.stdout.isatty()))
        parent = os.getppid()
        while all(c.poll() is None for c in children.values()) and os.getppid() == parent:
            time.sleep(0.3)
        for name, child in children.items():
            if child.poll() is not None:
                output.print(f"make dev: {name} exited with code {child.returncode}; stopping.")
                return 1
        return 0  # our parent is gone: nobody is left to stop us
    except _Stop:
        return 0
    except (AlreadyRunning, RuntimeError, TimeoutError) as exc:
        output.print(f"make dev: {exc}")
        return 1
    finally:
        for sig in SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        for child in children.values():
            stop(child)
        if children:
            pid_file.unlink(missing_ok=True)
        if api_url and url_file.is_file() and url_file.read_text().strip() == api_url:
            url_file.unlink()


if __name__ == "__main__":
    sys.exit(main())
