"""docs/ecosystem.md's ``sh`` blocks, run as printed against a live server, in one shell."""

from __future__ import annotations

import json
import os
import re
import subprocess

from harness.server import ROOT, Server

PAGE = ROOT / "docs" / "ecosystem.md"
DOC_URL = "http://127.0.0.1:2024"


def blocks(fence: str) -> list[str]:
    return re.findall(rf"```{fence}\n(.*?)```", PAGE.read_text(), re.DOTALL)


def test_the_shell_commands_work_as_printed(server: Server) -> None:
    commands = blocks("sh")
    separator = "=== next block ==="
    script = f"\necho '{separator}'\n".join(commands).replace(DOC_URL, server.url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANGGRAPH_", "LANGSMITH_"))}

    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env={**env, "LANGGRAPH_API_URL": server.url},
        capture_output=True,
        text=True,
        timeout=110,
    )

    assert done.returncode == 0, done.stderr
    outputs = [o.strip() for o in done.stdout.split(separator)]
    assert len(outputs) == len(commands) == 5
    mcp_example, mcp_curl, card, a2a_send, remote = outputs
    assert "tool agent: " in mcp_example and "answer: " in mcp_example
    assert "北京：晴，25°C" in mcp_example
    call = json.loads(mcp_curl)["result"]
    assert not call.get("isError") and "Dataset '用户数据'" in call["content"][0]["text"]
    skills = [skill["id"] for skill in json.loads(card)["skills"]]
    assert {"get_weather", "analyze_dataset", "generate_report"} <= set(skills)
    task = json.loads(a2a_send)["result"]
    assert task["status"]["state"] == "completed"
    assert "北京：晴，25°C" in task["artifacts"][0]["parts"][0]["text"]
    printed = blocks("text")[-1].splitlines()
    assert remote.splitlines()[0] == printed[0]
    assert remote.splitlines()[-1] == printed[-1]
