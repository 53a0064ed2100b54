"""The served agent as one node of a local graph, through LangGraph's ``RemoteGraph``.

The outer graph runs the remote agent, then a local step that notes which tools it used.
Streamed with ``subgraphs=True``, the remote agent's tokens, node updates and tool progress
(``custom`` events) reach the outer stream as they happen, tagged with the namespace of the
node that ran them.

    python -m examples.remote_subgraph "分析用户数据"
    python -m examples.remote_subgraph --url http://127.0.0.1:2024 --step-delay 0.1 "北京天气如何？"

``--url`` defaults to ``LANGGRAPH_API_URL``, else the URL `make dev` wrote to ``.langgraph_url``,
else http://127.0.0.1:2024; with API keys on, set
``LANGGRAPH_API_KEY``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import AsyncIterator
from typing import Annotated, Any

from langchain_core.messages import AnyMessage, HumanMessage, ToolMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.graph.state import CompiledStateGraph
from langgraph.pregel.remote import RemoteGraph
from typing_extensions import TypedDict

from client.stream import default_url

MODES: list[Any] = ["custom", "messages", "updates"]


class Outer(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    tools_used: list[str]


def note_tools(state: Outer) -> Outer:
    """A local step after the remote one: the tools the remote agent called this turn."""
    turn: list[AnyMessage] = []
    for message in reversed(state["messages"]):
        if isinstance(message, HumanMessage):
            break
        turn.append(message)
    return {"tools_used": [m.name or "" for m in reversed(turn) if isinstance(m, ToolMessage)]}


def build(
    url: str, api_key: str | None = None, step_delay: float | None = None
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The outer graph; ``step_delay`` is sent as the remote run's ``tool_step_delay``."""
    settings = {} if step_delay is None else {"tool_step_delay": step_delay}
    # api_key=None stops the SDK from sending LANGSMITH_API_KEY & co. to this server.
    remote = RemoteGraph(
        "agent", url=url, api_key=api_key, name="agent", config={"configurable": settings}
    )
    builder = StateGraph(Outer)
    builder.add_node("agent", remote)
    builder.add_node("note_tools", note_tools)
    builder.add_edge(START, "agent")
    builder.add_edge("agent", "note_tools")
    builder.add_edge("note_tools", END)
    return builder.compile(name="outer")


async def events(graph: Any, question: str) -> AsyncIterator[tuple[tuple[str, ...], str, Any]]:
    """The outer stream: ``(namespace, mode, data)``; the remote agent's events have a
    namespace starting with ``agent:``."""
    async for namespace, mode, data in graph.astream(
        {"messages": [HumanMessage(question)]}, stream_mode=MODES, subgraphs=True
    ):
        yield namespace, mode, data


async def main(question: str, url: str, api_key: str | None, step_delay: float | None) -> None:
    graph = build(url, api_key, step_delay)
    async for namespace, mode, data in events(graph, question):
        where = "/".join(part.split(":")[0] for part in namespace) or "outer"
        if mode == "custom":
            print(f"[{where}] {data['tool']} {data['progress']:3d}%  {data.get('message', '')}")
        elif mode == "messages":
            chunk, metadata = data
            if metadata.get("langgraph_node") == "agent" and chunk.get("content"):
                print(chunk["content"], end="", flush=True)
        elif mode == "updates" and "note_tools" in data:
            print(f"\n[{where}] tools used: {', '.join(data['note_tools']['tools_used']) or '-'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("question", nargs="?", default="分析用户数据")
    parser.add_argument("--url", default=default_url())
    parser.add_argument("--step-delay", type=float, default=None, help="seconds per tool step")
    args = parser.parse_args()
    key = os.environ.get("LANGGRAPH_API_KEY") or None
    asyncio.run(main(args.question, args.url, key, args.step_delay))
