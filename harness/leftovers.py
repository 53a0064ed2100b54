"""What an earlier `make dev` left running when it could not stop its servers itself.

Both servers run in sessions of their own (so a signal reaches everything they start), which
also means they outlive a launcher killed with SIGKILL. The launcher records its own PID and
its servers' in ``PID_FILE``; the next one stops what is still running from that record,
and says so. A PID the system has since given to another program is left alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Mapping
from pathlib import Path

PID_FILE = ".make-dev.pids"
GRACE_SECONDS = 10.0


class AlreadyRunning(RuntimeError):
    """Another `make dev` is still running here."""


def _command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def _ours(pid: int, marker: str, *, leader: bool = True) -> bool:
    """Still the process we started: alive, running ``marker``, and (a server) leading its own
    session."""
    with contextlib.suppress(OSError):
        return (
            _alive(pid) and (not leader or os.getsid(pid) == pid) and marker in _command_line(pid)
        )
    return False


def record(path: Path, launcher: int, servers: Mapping[str, int]) -> None:
    """``servers``: each server's name and PID (the leader of its session)."""
    path.write_text(json.dumps({"launcher": launcher, "servers": dict(servers)}))


def stop_leftovers(path: Path, markers: Mapping[str, str]) -> list[str]:
    """Stops the servers an earlier launcher recorded and left running; one line per server
    stopped. ``markers``: a text each server's command line holds, by name. Raises
    :class:`AlreadyRunning` when that launcher is still alive."""
    try:
        recorded = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    launcher = int(recorded.get("launcher", 0))
    if launcher and launcher != os.getpid() and _ours(launcher, "harness.dev", leader=False):
        raise AlreadyRunning(f"make dev is already running here (pid {launcher}); stop it first")
    said = []
    for name, pid in recorded.get("servers", {}).items():
        if not _ours(int(pid), markers.get(name, name)):
            continue
        _stop_group(int(pid))
        said.append(f"make dev: stopped {name} (pid {pid}), left running by an earlier make dev")
    path.unlink(missing_ok=True)
    return said


def _stop_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
