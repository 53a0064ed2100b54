"""Human in the loop from the client library and the CLI: the pause as a typed event, scripted
decisions, the paused exit code, and the terminal prompt driven through a pty."""

from __future__ import annotations

import json
import sys

import pexpect
from langgraph_sdk.client import LangGraphClient

from client import Done, Interrupt, ToolResult, astream
from harness.server import ROOT, Server
from tests.client.conftest import FAST, saved_messages
from tests.client.test_cli import AGENT_STREAM, ENV, cli
from tests.docs_shell import run_shell

APPROVE = {**FAST, "approve_tools": ["get_weather"]}
PAUSED = 3


async def test_the_library_pauses_and_resumes_with_decisions(
    server: Server, sdk: LangGraphClient
) -> None:
    first = [e async for e in astream("北京天气如何？", url=server.url, context=APPROVE)]
    [pause] = [e for e in first if isinstance(e, Interrupt)]
    done = first[-1]
    assert isinstance(done, Done) and done.paused and done.status == "success"
    assert [(a.name, a.args) for a in pause.actions] == [("get_weather", {"city": "北京"})]
    assert pause.actions[0].allowed == ("approve", "edit", "reject")
    assert not [e for e in first if isinstance(e, ToolResult)]

    edit = {"type": "edit", "edited_action": {"name": "get_weather", "args": {"city": "上海"}}}
    after = [
        e
        async for e in astream(
            url=server.url, thread_id=done.thread_id, resume=[edit], context=APPROVE
        )
    ]

    assert [e.content for e in after if isinstance(e, ToolResult)] == ["上海：多云，22°C"]
    end = after[-1]
    assert isinstance(end, Done) and not end.paused and "上海" in end.answer
    assert [m["type"] for m in await saved_messages(sdk, done.thread_id)][-1] == "ai"


async def test_the_pause_is_reported_whatever_the_modes(server: Server) -> None:
    events = [
        e
        async for e in astream(
            "北京天气如何？", url=server.url, context=APPROVE, modes=["messages-tuple"]
        )
    ]
    assert [type(e).__name__ for e in events][-2:] == ["Interrupt", "Done"]


async def test_the_cli_pauses_with_exit_3_then_resumes_from_a_script(server: Server) -> None:
    paused = await cli("--url", server.url, "--json", "--approve-tools", "get_weather",
                       "--context", json.dumps(FAST), "北京天气如何？")  # fmt: skip
    events = [json.loads(line) for line in paused.stdout.splitlines()]
    [pause] = [e for e in events if e["type"] == "interrupt"]
    thread_id = events[-1]["thread_id"]
    resumed = await cli("--url", server.url, "--thread", thread_id, "--json",
                        "--decisions", '[{"type": "reject", "message": "no"}]')  # fmt: skip

    assert paused.returncode == PAUSED
    assert pause["actions"][0]["name"] == "get_weather"
    assert events[-1]["type"] == "done" and events[-1]["paused"] is True
    hint = paused.stderr.split("Resume with: ")[1].strip()
    assert hint.startswith(".venv/bin/agent-stream ") and f"--thread {thread_id}" in hint
    assert resumed.returncode == 0, resumed.stderr
    results = [json.loads(line) for line in resumed.stdout.splitlines()]
    assert "declined" in next(e for e in results if e["type"] == "tool_result")["content"]


async def test_the_paused_hint_runs_as_printed(server: Server) -> None:
    """The hint names the CLI by the path it was run by, and the server it was run against."""
    paused = await cli("--url", server.url, "--approve-tools", "get_weather",
                       "--context", json.dumps(FAST), "北京天气如何？")  # fmt: skip
    assert paused.returncode == PAUSED
    assert paused.stdout.rstrip().splitlines()[-2:][0] == "run paused"
    hint = paused.stderr.split("Resume with: ")[1].strip()
    resumed = run_shell(hint, ROOT)
    assert resumed.returncode == 0, resumed.stderr
    assert "北京：晴，25°C" in resumed.stdout


async def test_the_cli_applies_scripted_decisions_when_the_run_pauses(server: Server) -> None:
    done = await cli("--url", server.url, "--approve-tools", "*",
                     "--context", json.dumps(FAST),
                     "--decisions", '[{"type": "approve"}]', "北京天气如何？")  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "waiting for a decision on get_weather(city=北京)" in done.stdout
    assert "北京：晴，25°C" in done.stdout


async def test_bad_decisions_are_one_line(server: Server) -> None:
    for decisions, message in [
        ("approve", "--decisions is not valid JSON"),
        ('{"type": "approve"}', "--decisions must be a JSON list"),
    ]:
        bad = await cli("--url", server.url, "--thread", "t", "--decisions", decisions)
        assert bad.returncode == 1 and message in bad.stderr
        assert bad.stderr.strip().count("\n") == 0
    refused = await cli("--url", server.url, "--decisions", "[]")
    assert refused.returncode == 1 and "add --thread" in refused.stderr


def _at_terminal(server: Server) -> pexpect.spawn:
    """The CLI in a pty, asking a person about each get_weather call."""
    child = pexpect.spawn(
        AGENT_STREAM,
        ["--url", server.url, "--approve-tools", "get_weather",
         "--context", json.dumps(FAST), "北京天气如何？"],
        cwd=str(ROOT), env=ENV, encoding="utf-8", timeout=60,
    )  # fmt: skip
    child.logfile_read = sys.stdout
    return child


def _ends(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert isinstance(child.exitstatus, int)
    return child.exitstatus


def test_a_person_decides_at_the_terminal(server: Server) -> None:
    """Through a pty: the CLI asks for each action; editing takes JSON arguments. The run is
    not shown as ended before the question, and the edited call shows before its result."""
    child = _at_terminal(server)
    child.expect("approve, edit or reject")
    assert "run paused" not in child.before and "thread " not in child.before
    child.sendline("e")
    child.expect("arguments as JSON")
    child.sendline('{"city": "广州"}')
    child.expect("广州：雷阵雨，29°C")
    assert "calls get_weather(city=广州)" in child.before
    assert _ends(child) == 0


def test_yes_approves(server: Server) -> None:
    for answer in ("yes", "y"):
        child = _at_terminal(server)
        child.expect("approve, edit or reject")
        child.sendline(answer)
        child.expect("北京：晴，25°C")
        assert _ends(child) == 0


def test_the_reason_prompt_shows_no_empty_default(server: Server) -> None:
    child = _at_terminal(server)
    child.expect("approve, edit or reject")
    child.sendline("reject")
    child.expect("reason \\(optional\\)(.*?):")
    assert child.match.group(1).strip() == ""
    child.sendline("")
    child.expect("declined")
    assert _ends(child) == 0
