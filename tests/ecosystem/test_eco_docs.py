"""docs/ecosystem.md's ``sh`` blocks, run as printed against a live server, in one shell, from
a checkout whose `make dev` recorded the server's URL."""

from __future__ import annotations

import json
from pathlib import Path

from harness.server import ROOT, Server
from tests.docs_shell import blocks, checkout_with_url, run_shell

PAGE = ROOT / "docs" / "ecosystem.md"


def test_the_shell_commands_work_as_printed(server: Server, tmp_path: Path) -> None:
    commands = blocks(PAGE)
    separator = "=== next block ==="
    script = f"\necho '{separator}'\n".join(commands)

    done = run_shell(script, checkout_with_url(tmp_path / "checkout", server.url))

    assert done.returncode == 0, done.stderr
    outputs = [o.strip() for o in done.stdout.split(separator)]
    assert len(outputs) == len(commands) == 6
    mcp_example, mcp_curl, card, a2a_send, remote, paused = outputs
    assert "tool agent: " in mcp_example and "answer: " in mcp_example
    assert "北京：晴，25°C" in mcp_example
    call = json.loads(mcp_curl)["result"]
    assert not call.get("isError") and "数据集「用户数据」" in call["content"][0]["text"]
    skills = [skill["id"] for skill in json.loads(card)["skills"]]
    assert {"get_weather", "analyze_dataset", "generate_report"} <= set(skills)
    task = json.loads(a2a_send)["result"]
    assert task["status"]["state"] == "completed"
    assert "北京：晴，25°C" in task["artifacts"][0]["parts"][0]["text"]
    printed = blocks(PAGE, "text")[-1].splitlines()
    assert remote.splitlines()[0] == printed[0]
    assert remote.splitlines()[-1] == printed[-1]
    assert paused == "['human', 'ai', 'tool', 'human', 'ai']"
