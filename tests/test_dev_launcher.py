"""`make dev`'s launcher, in parts: the servers an earlier launcher left running (it stops its
own and nothing else), and the server output it copies."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness.dev import _Output
from harness.leftovers import AlreadyRunning, record, stop_leftovers
from harness.server import pick_port

pytestmark = pytest.mark.unit

MARKERS = {"langgraph dev": "fake-langgraph"}


@contextmanager
def sleeper(*argv: str, session: bool = True) -> Iterator[subprocess.Popen[bytes]]:
    """A process that waits, with ``argv`` in its command line."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", *argv], start_new_session=session
    )
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def test_a_recorded_server_still_running_is_stopped_and_named(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    with sleeper("fake-langgraph", "dev") as server:
        record(pids, launcher=2**22 + 1, servers={"langgraph dev": server.pid})
        said = stop_leftovers(pids, MARKERS)
        assert server.wait(timeout=15) is not None
    assert said == [
        f"make dev: stopped langgraph dev (pid {server.pid}), left running by an earlier make dev"
    ]
    assert not pids.exists()


def test_a_pid_given_to_another_program_is_left_alone(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    with sleeper("something-else") as stranger:
        record(pids, launcher=2**22 + 1, servers={"langgraph dev": stranger.pid})
        assert stop_leftovers(pids, MARKERS) == []
        assert stranger.poll() is None


def test_a_launcher_still_running_here_is_not_second_guessed(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    with sleeper("harness.dev", session=False) as launcher, sleeper("fake-langgraph") as server:
        record(pids, launcher=launcher.pid, servers={"langgraph dev": server.pid})
        with pytest.raises(AlreadyRunning, match=f"pid {launcher.pid}"):
            stop_leftovers(pids, MARKERS)
        assert server.poll() is None


def test_the_reloaders_change_notices_are_not_copied(capfd: pytest.CaptureFixture[str]) -> None:
    lines = [
        b"2026-12-06T11:31:35Z [info     ] 1 change detected [watchfiles.main]\n",
        b"2026-12-06T11:31:45Z [info     ] 3 changes detected [watchfiles.main]\n",
        b"2026-12-06T11:31:46Z [info     ] Background run succeeded [langgraph_api.worker]\n",
    ]
    _Output()._copy(io.BytesIO(b"".join(lines)))
    assert capfd.readouterr().out.splitlines() == [lines[2].decode().rstrip()]


def test_a_port_whose_last_connections_wait_to_close_is_free() -> None:
    """The server end that closes first stays in TIME_WAIT for a minute, as after a restart.
    The listener has ``SO_REUSEADDR``, as Node's and uvicorn's have."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):
            served, _ = listener.accept()
            served.close()
    assert pick_port(port) == port


def test_a_port_a_server_listens_on_is_taken() -> None:
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert pick_port(port) != port
