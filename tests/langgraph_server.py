"""A real ``langgraph dev`` server on a free port, for tests and benchmarks.

It runs in a temporary directory with a copy of ``langgraph.json`` whose graph path is absolute,
so its ``.langgraph_api`` state and log stay out of the project, concurrent servers do not
share state, and a developer's ``.env`` (which may hold a real key) is not loaded.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from scripts.dev import QUIET_ENV

ROOT = Path(__file__).resolve().parent.parent
LANGGRAPH = ROOT / ".venv" / "bin" / "langgraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _config(directory: Path) -> Path:
    config = json.loads((ROOT / "langgraph.json").read_text())
    config["dependencies"] = [str(ROOT)]
    config["graphs"] = {
        graph_id: {**spec, "path": str(ROOT / spec["path"].removeprefix("./"))}
        for graph_id, spec in config["graphs"].items()
    }
    config.pop("env", None)
    path = directory / "langgraph.json"
    path.write_text(json.dumps(config))
    return path


def is_loopback(url: str) -> bool:
    """Load and torture scripts may only target this machine."""
    host = httpx.URL(url).host
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def langgraph_dev(
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    directory: Path | None = None,
    n_jobs: int = 10,
) -> Iterator[Server]:
    """Start the server with the offline model (unless ``env`` says otherwise) and stop it after.

    ``directory`` (default: a fresh temporary one) holds its config, state and ``server.log``;
    pass the same one twice to restart on the same state. ``n_jobs`` runs execute at once."""
    with contextlib.ExitStack() as stack:
        if directory is None:
            directory = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="langgraph-dev-"))
            )
        directory.mkdir(parents=True, exist_ok=True)
        port = free_port()
        log = directory / "server.log"
        child_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AGENT_"))},
            **QUIET_ENV,
            "AGENT_MODEL": "offline",
            **(env or {}),
        }
        command = [
            str(LANGGRAPH),
            "dev",
            "--config",
            str(_config(directory)),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-browser",
            "--no-reload",
            "--n-jobs-per-worker",
            str(n_jobs),
        ]
        with log.open("ab") as out:  # appended: one log covers every start on a directory
            process = subprocess.Popen(
                command,
                cwd=directory,
                env=child_env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(url=f"http://127.0.0.1:{port}", port=port, log=log, process=process)
        try:
            _wait_ready(server, timeout)
            yield server
        finally:
            _stop(process)


def _wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"langgraph dev exited early:\n{server.log_text()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/ok", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"langgraph dev not ready in {timeout}s:\n{server.log_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
