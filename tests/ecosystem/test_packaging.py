"""The image installs what the tests ran with, and a fresh clone without ``.env`` still works."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from harness.server import LANGGRAPH, QUIET_ENV, ROOT, langgraph_dev

CLI_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AGENT_"))},
    **QUIET_ENV,
}


def pinned(package: str) -> str:
    text = (ROOT / "constraints.txt").read_text()
    found = re.search(rf"^{re.escape(package)}==(\S+)$", text, re.MULTILINE)
    assert found, f"{package} is not pinned in constraints.txt"
    return found.group(1)


def dockerfile(project: Path, target: Path) -> str:
    subprocess.run(
        [str(LANGGRAPH), "dockerfile", "-c", "langgraph.json", str(target)],
        cwd=project,
        env=CLI_ENV,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return target.read_text()


def fresh_clone(directory: Path) -> Path:
    """The tracked files of this checkout (as edited), without .env or anything ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    clone = directory / "streaming-agent"
    for name in filter(None, listed.split("\0")):
        if (source := ROOT / name).is_file() and not name.startswith("frontend/"):
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    assert not (clone / ".env").exists()
    return clone


@pytest.mark.unit
def test_the_image_is_pinned_and_installs_with_the_project_constraints(tmp_path: Path) -> None:
    text = dockerfile(ROOT, tmp_path / "Dockerfile")
    lines = text.splitlines()

    assert lines[0] == f"FROM langchain/langgraph-api:{pinned('langgraph-api')}-py3.11"
    copy = lines.index("COPY constraints.txt /api/constraints.txt")
    install = next(i for i, line in enumerate(lines) if "-c /api/constraints.txt -e ." in line)
    assert copy < install
    values = dict(
        re.fullmatch(r"ENV (\w+)='(.*)'", line).groups()  # type: ignore[union-attr]
        for line in lines
        if line.startswith("ENV ")
    )
    graphs = json.loads(values["LANGSERVE_GRAPHS"])  # each ENV value is intact JSON
    assert graphs["agent"]["path"].endswith("/agent/graph.py:graph")
    assert "get_weather" in graphs["agent"]["description"]
    assert json.loads(values["LANGGRAPH_HTTP"])["app"].endswith("server.app:app")
    assert json.loads(values["LANGGRAPH_AUTH"])["path"] == "server.auth:auth"


def test_a_fresh_clone_without_env_file_generates_and_serves(tmp_path: Path) -> None:
    clone = fresh_clone(tmp_path)

    assert dockerfile(clone, tmp_path / "Dockerfile").startswith("FROM langchain/langgraph-api:")

    with langgraph_dev(directory=tmp_path / "state", project=clone) as server:
        assistants = httpx.post(f"{server.url}/assistants/search", json={}, timeout=10).json()
    assert [a["graph_id"] for a in assistants] == ["agent"]
    assert ".env" not in {p.name for p in clone.iterdir()}
