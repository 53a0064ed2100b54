"""``langgraph dev`` on a port we pick, for `make dev`, the tests and the bench.

The CLI silently moves off a taken port, so a client pointed at the port it asked for talks to
nothing, or to another server: the port is chosen here and passed to it. For tests and the bench
it runs in a temporary directory with a copy of ``langgraph.json`` whose paths are absolute, so
its ``.langgraph_api`` state and log stay out of the project, concurrent servers do not share
state, and a developer's ``.env`` (which may hold a real key) is not loaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from server.dev_runtime.jobs import JOBS_PER_WORKER as JOBS_PER_WORKER

ROOT = Path(__file__).resolve().parent.parent
LANGGRAPH = Path(sys.executable).with_name("langgraph")
QUIET_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    "LANGSMITH_TRACING": "false",
}
"""No analytics, version check or tracing: nothing leaves the machine."""


def free_port() -> int:
    return pick_port(0)


def pick_port(preferred: int) -> int:
    """``preferred`` if nothing listens on it, else any free port. ``SO_REUSEADDR``, as the
    servers themselves bind: connections of a server just stopped, left in TIME_WAIT, do not
    make its port look taken (a quick restart of `make dev` would move off 5173)."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def command(port: int, *, config: Path | None = None, reload: bool, n_jobs: int) -> list[str]:
    """The ``langgraph dev`` command line: loopback only, no browser, ``n_jobs`` runs at once."""
    return [
        str(LANGGRAPH),
        "dev",
        *(["--config", str(config)] if config else []),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-browser",
        *([] if reload else ["--no-reload"]),
        "--n-jobs-per-worker",
        str(n_jobs),
    ]


def wait_answering(
    url: str, process: subprocess.Popen[bytes], name: str = "langgraph dev", timeout: float = 60
) -> None:
    """Polls ``url`` until it answers 200; raises if ``process`` exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{name} did not answer on {url} within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stops a child started in a session of its own, with everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):  # stragglers of the group, if any
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def descendants(pid: int) -> set[int]:
    """Every process ``pid`` started, and they started, that is still there (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        found.update(new := children.get(todo.pop(), []))
        todo += new
    return found


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


@contextmanager
def langgraph_dev(
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    directory: Path | None = None,
    n_jobs: int = JOBS_PER_WORKER,
    project: Path | None = None,
    log_requests: bool = False,
) -> Iterator[Server]:
    """Start the server with the offline model (unless ``env`` says otherwise) and stop it after.

    ``directory`` (default: a fresh temporary one) holds its config, state and ``server.log``;
    pass the same one twice to restart on the same state. ``project``: serve that checkout as
    it is (its own ``langgraph.json``, run from there) instead of this one. ``log_requests``:
    the access log on (``--server-log-level INFO``), as a deployment logs."""
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
        config = None if project else _config(directory)
        with log.open("ab") as out:  # appended: one log covers every start on a directory
            process = subprocess.Popen(
                [
                    *command(port, config=config, reload=False, n_jobs=n_jobs),
                    *(["--server-log-level", "INFO"] if log_requests else []),
                ],
                cwd=project or directory,
                env=child_env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(url=f"http://127.0.0.1:{port}", port=port, log=log, process=process)
        try:
            try:
                wait_answering(f"{server.url}/ok", process, timeout=timeout)
            except (RuntimeError, TimeoutError) as exc:
                raise RuntimeError(f"{exc}:\n{server.log_text()[-3000:]}") from None
            yield server
        finally:
            stop(process)
