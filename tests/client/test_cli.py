"""``agent-stream`` as a user runs it: a real process against the real server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from asyncio.subprocess import DEVNULL, PIPE
from dataclasses import dataclass
from pathlib import Path

import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from agent.history import CANCELLED_TEXT
from client.stream import saved_answer
from harness.server import ROOT, Server, free_port
from tests.client.conftest import FAST, saved_messages

AGENT_STREAM = str(Path(sys.executable).parent / "agent-stream")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("LANGGRAPH_API")}


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def _default_sigint() -> None:
    """In the child: Ctrl-C interrupts, as from a terminal, even if this runner ignores SIGINT
    (an ignored signal stays ignored across exec, and Python then leaves it so)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


async def start(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        AGENT_STREAM, *args, stdin=DEVNULL, stdout=PIPE, stderr=PIPE, cwd=ROOT, env=ENV,
        preexec_fn=_default_sigint,
    )  # fmt: skip


async def finish(process: asyncio.subprocess.Process) -> Finished:
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return Finished(process.returncode, out.decode(), err.decode())


async def cli(*args: str) -> Finished:
    return await finish(await start(*args))


async def test_json_lines(server: Server, sdk: LangGraphClient) -> None:
    done = await cli(
        "--url", server.url, "--json", "--api-key", "sk-secret-4242",
        "--context", json.dumps(FAST), "北京天气如何？",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "sk-secret-4242" not in done.stdout + done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    types = [event["type"] for event in events]
    assert types[-1] == "done" and events[-1]["status"] == "success"
    assert {"token", "tool_call", "tool_result", "progress", "step"} <= set(types)
    assert next(e for e in events if e["type"] == "tool_call")["args"] == {"city": "北京"}
    answer = saved_answer(await saved_messages(sdk, events[-1]["thread_id"]))
    assert "".join(e["content"] for e in events if e["type"] == "token") == answer


async def test_human_output_and_thread_reuse(server: Server, sdk: LangGraphClient) -> None:
    first = await cli("--url", server.url, "--context", json.dumps(FAST), "北京天气如何？")
    assert first.returncode == 0, first.stderr
    assert "[agent] calls get_weather(city=北京)" in first.stdout
    assert "[tools] 北京：晴，25°C" in first.stdout
    thread_id = first.stdout.split("thread ")[-1].strip()
    assert saved_answer(await saved_messages(sdk, thread_id)) in first.stdout

    second = await cli("--url", server.url, "--thread", thread_id, "--mode", "messages", "hello")
    assert second.returncode == 0, second.stderr
    assert [m["type"] for m in await saved_messages(sdk, thread_id)].count("human") == 2
    assert saved_answer(await saved_messages(sdk, thread_id)) in second.stdout


async def test_ctrl_c_cancels_the_server_run(server: Server, sdk: LangGraphClient) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as under `nohup` or some CI runners
    try:
        process = await start(
            "--url", server.url, "--thread", thread_id, "--json",
            "--context", json.dumps({"tool_step_delay": 0.5}), "分析用户数据",
        )  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, ignored)
    assert process.stdout is not None
    while json.loads(await asyncio.wait_for(process.stdout.readline(), 30))["type"] != "progress":
        pass
    process.send_signal(signal.SIGINT)
    done = await finish(process)

    assert done.returncode == 130
    assert "cancelled" in done.stderr and "Traceback" not in done.stderr
    assert all(json.loads(line)["type"] != "done" for line in done.stdout.splitlines())
    [run] = await sdk.runs.list(thread_id)
    await sdk.runs.join(thread_id, run["run_id"])
    assert (await sdk.runs.get(thread_id, run["run_id"]))["status"] == "interrupted"
    # No progress after the cancel: the tool never reached its end, nor returned.
    saved = await saved_messages(sdk, thread_id)
    assert [m["type"] for m in saved] == ["human", "ai", "tool"]
    assert saved[-1]["content"] == CANCELLED_TEXT
    progress = [
        part.data["progress"]
        async for part in sdk.runs.join_stream(thread_id, run["run_id"], last_event_id="0")
        if part.event == "custom"
    ]
    assert progress and max(progress) < 100


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--url", "http://127.0.0.1:{free}"], "Cannot reach the LangGraph server"),
        (["--assistant", "nope"], "Invalid assistant: 'nope'"),
        (["--thread", "not-a-uuid"], "Invalid thread ID"),
        (["--thread", "00000000-0000-0000-0000-000000000000"], "not found"),
        (["--mode", "values"], "unknown --mode 'values'"),
        (["--context", "{oops"], "--context is not valid JSON"),
    ],
)
async def test_bad_input_is_one_line(server: Server, args: list[str], expected: str) -> None:
    args = [arg.replace("{free}", str(free_port())) for arg in args]
    threads_before = await _count_threads(server)
    done = await cli("--url", server.url, *args, "hello")
    assert done.returncode == 1
    assert await _count_threads(server) == threads_before, "a failed start leaves no thread"
    assert done.stderr.strip().count("\n") == 0 and expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


async def _count_threads(server: Server) -> int:
    return await get_client(url=server.url).threads.count()
