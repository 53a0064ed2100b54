"""The docs' shell commands, run as printed: from a checkout whose `make dev` recorded its URL
in ``.langgraph_url`` (a mirror of this one, so a developer's own file is left alone)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from client.stream import URL_FILE
from harness.server import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(page: Path, fence: str = "sh") -> list[str]:
    return re.findall(rf"```{fence}\n(.*?)```", page.read_text(), re.DOTALL)


def checkout_with_url(directory: Path, url: str) -> Path:
    """``directory`` laid out as this checkout (links), with ``url`` recorded as make dev's."""
    directory.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name != URL_FILE:
            (directory / entry.name).symlink_to(entry)
    (directory / URL_FILE).write_text(url + "\n")
    return directory


def run_shell(script: str, cwd: Path, timeout: float = 110) -> subprocess.CompletedProcess[str]:
    """``bash -euo pipefail``, with no server address of the caller's environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANGGRAPH_", "LANGSMITH_"))}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
