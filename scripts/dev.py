"""`make dev`: langgraph dev on port 2024 (or a free one) and, if present, the Vite dev server.

Written by hand because the CLI silently moves off a taken port; we pick the port ourselves so
the frontend is pointed at the one the server actually got.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIET_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    "LANGSMITH_TRACING": "false",
}


def pick_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else any free port."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def wait_ok(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"langgraph dev exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/ok", timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"langgraph dev did not answer on {url} within {timeout:.0f}s")


def main() -> None:
    api_port = pick_port(int(os.environ.get("PORT", "2024")))
    api_url = f"http://127.0.0.1:{api_port}"
    env = {**os.environ, **QUIET_ENV}
    processes = [
        subprocess.Popen(
            [
                str(ROOT / ".venv/bin/langgraph"),
                "dev",
                "--no-browser",
                "--host",
                "127.0.0.1",
                "--port",
                str(api_port),
                "--n-jobs-per-worker",
                os.environ.get("N_JOBS", "10"),
            ],
            cwd=ROOT,
            env=env,
        )
    ]
    wait_ok(api_url, processes[0])
    lines = [
        f"  Agent API:  {api_url}  (graph 'agent'; docs at {api_url}/docs)",
        "  Plain SSE:  curl -N -G --data-urlencode"
        f' "query=北京天气如何？" {api_url}/api/chat/stream',
        f"  WebSocket:  {api_url.replace('http://', 'ws://')}/ws/chat",
    ]
    if (ROOT / "frontend/package.json").exists():
        ui_port = pick_port(int(os.environ.get("UI_PORT", "5173")))
        processes.append(
            subprocess.Popen(
                [
                    "npm",
                    "run",
                    "dev",
                    "--",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(ui_port),
                    "--strictPort",
                ],
                cwd=ROOT / "frontend",
                env={**env, "VITE_LANGGRAPH_API_URL": api_url},
            )
        )
        lines.insert(0, f"  Chat UI:    http://127.0.0.1:{ui_port}")
    print("\nReady:\n" + "\n".join(lines) + "\nCtrl-C stops everything.\n", flush=True)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
