"""The shell commands the README and docs/ print work as printed where port 2024 is taken:
they reach the server through the URL `make dev` recorded, and the CLI through its path."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness.server import ROOT, Server, free_port
from tests.docs_shell import PAGES, blocks, checkout_with_url, run_shell

HARD_WIRED = re.compile(r"(127\.0\.0\.1|localhost):2024")
BARE_CLI = re.compile(r"(^|[\s;|&(])agent-stream\b")


@pytest.mark.unit
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_command_names_a_port_or_a_cli_it_cannot_know(page: Path) -> None:
    for block in blocks(page):
        assert not HARD_WIRED.search(block), f"{page.name}: use $(cat .langgraph_url):\n{block}"
        assert not BARE_CLI.search(block), f"{page.name}: use .venv/bin/agent-stream:\n{block}"
    for block in blocks(page, "python"):
        assert not HARD_WIRED.search(block), f"{page.name}: read .langgraph_url:\n{block}"


def _library_snippet(checkout: Path) -> subprocess.CompletedProcess[str]:
    """docs/client-and-cli.md's library example, as printed, run in ``checkout``."""
    [snippet] = blocks(ROOT / "docs" / "client-and-cli.md", "python")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANGGRAPH_", "LANGSMITH_"))}
    return subprocess.run(
        [sys.executable, "-c", snippet],
        cwd=checkout, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_library_snippet_works_as_printed(server: Server, tmp_path: Path) -> None:
    done = _library_snippet(checkout_with_url(tmp_path, server.url))
    assert done.returncode == 0, done.stderr
    assert "[agent] calls analyze_data" in done.stdout and "100%" in done.stdout
    assert "\nsuccess (thread " in done.stdout


@pytest.mark.unit
def test_the_library_snippet_says_why_it_failed(tmp_path: Path) -> None:
    """Where nothing serves the recorded URL, it prints the error (it used to print nothing)."""
    done = _library_snippet(checkout_with_url(tmp_path, f"http://127.0.0.1:{free_port()}"))
    assert done.returncode == 0, done.stderr
    assert "error: Cannot reach the LangGraph server" in done.stdout


def _command(page: str, starts: str) -> str:
    found = [line for b in blocks(ROOT / "docs" / page) for line in b.splitlines()]
    return next(line for line in found if line.startswith(starts))


def test_the_direct_routes_curl_line_works_as_printed(server: Server, tmp_path: Path) -> None:
    done = run_shell(_command("direct-routes.md", "curl"), checkout_with_url(tmp_path, server.url))
    assert done.returncode == 0, done.stderr
    assert '"北京：晴，25°C"' in done.stdout and done.stdout.rstrip().endswith("data: [DONE]")


def test_the_approval_curl_lines_work_as_printed(server: Server, tmp_path: Path) -> None:
    checkout = checkout_with_url(tmp_path, server.url)
    paused = run_shell(_command("approval.md", "curl -N"), checkout)
    assert paused.returncode == 0, paused.stderr
    events = [json.loads(line[6:]) for line in paused.stdout.splitlines() if line[6:7] == "{"]
    interrupt = next(e for e in events if e["type"] == "interrupt")

    resume = _command("approval.md", "curl -X POST").replace("<thread_id>", interrupt["thread_id"])
    resumed = run_shell(resume, checkout)
    assert resumed.returncode == 0, resumed.stderr
    assert "北京：晴，25°C" in json.loads(resumed.stdout)["messages"][-1]["content"]
