"""The served agent as a subgraph of a local graph (``RemoteGraph``), progress passing through."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.pregel.remote import RemoteGraph
from langgraph_sdk.errors import AuthenticationError

from examples.remote_subgraph import build, events
from harness.server import ROOT, Server
from tests.ecosystem.eco import ALICE, keyed_server


@pytest.fixture(scope="module")
def keyed() -> Iterator[Server]:
    with keyed_server() as server:
        yield server


async def collect(graph: Any, question: str) -> list[tuple[tuple[str, ...], str, Any]]:
    return [event async for event in events(graph, question)]


async def test_progress_tokens_and_the_answer_pass_through_the_outer_graph(server: Server) -> None:
    graph = build(server.url, step_delay=0.01)

    seen = await collect(graph, "分析用户数据")

    progress = [(ns, data) for ns, mode, data in seen if mode == "custom"]
    assert [data["progress"] for _, data in progress] == [0, 20, 40, 60, 80, 100]
    assert all(ns[0].startswith("agent:") for ns, _ in progress)
    answer_at = [
        i
        for i, (_, mode, data) in enumerate(seen)
        if mode == "messages" and data[1]["langgraph_node"] == "agent" and data[0].get("content")
    ]
    answer = "".join(seen[i][2][0]["content"] for i in answer_at)
    assert "数据集「用户数据」" in answer
    last_progress = max(i for i, (_, mode, _) in enumerate(seen) if mode == "custom")
    assert last_progress < answer_at[0], "progress arrives while the tool runs, before the answer"
    updates = [data for ns, mode, data in seen if mode == "updates" and not ns]
    assert [next(iter(u)) for u in updates] == ["agent", "note_tools"]
    assert updates[1]["note_tools"]["tools_used"] == ["analyze_dataset"]
    assert updates[0]["agent"]["messages"][-1]["content"] == answer


async def test_the_remote_run_carries_the_api_key(keyed: Server) -> None:
    graph = build(keyed.url, api_key=ALICE, step_delay=0)
    seen = await collect(graph, "北京天气如何？")
    assert any(mode == "custom" and data["tool"] == "get_weather" for _, mode, data in seen)

    with pytest.raises(AuthenticationError, match="An API key is required"):
        await collect(build(keyed.url), "北京天气如何？")


def test_the_example_runs_as_printed(server: Server) -> None:
    env = {**os.environ, "LANGGRAPH_API_URL": server.url}
    env.pop("LANGGRAPH_API_KEY", None)
    command = [sys.executable, "-m", "examples.remote_subgraph", "--step-delay", "0.01"]

    done = subprocess.run(
        [*command, "北京天气如何？"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert "[agent] get_weather   0%  正在查询北京" in done.stdout
    assert "北京：晴，25°C" in done.stdout
    assert "[outer] tools used: get_weather" in done.stdout


async def test_the_parents_context_does_not_reach_the_remote_run_its_config_does(
    server: Server,
) -> None:
    """As docs/ecosystem.md says: a node gets no ``context`` from RemoteGraph, and settings
    reach the remote run as ``configurable`` keys of the node's own config."""

    def outer(remote: RemoteGraph) -> Any:
        builder = StateGraph(MessagesState)
        builder.add_node("agent", remote)
        builder.add_edge(START, "agent")
        return builder.compile()

    approve = {"approve_tools": ["get_weather"], "tool_step_delay": 0}
    question = {"messages": [{"role": "user", "content": "北京天气如何？"}]}
    plain = RemoteGraph("agent", url=server.url, api_key=None)
    answered = await outer(plain).ainvoke(question, context=approve)
    configured = RemoteGraph(
        "agent", url=server.url, api_key=None, config={"configurable": approve}
    )
    paused = [chunk async for chunk in outer(configured).astream(question, subgraphs=True)]

    assert "北京：晴，25°C" in answered["messages"][-1].content, "the approval was not asked"
    assert any("__interrupt__" in str(chunk) for chunk in paused), "the approval was asked"
