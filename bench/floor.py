"""The floor: the graph streamed in-process, with the three modes at once, as the direct
routes and the server run it; every other path is divided by it. Also the direct routes' own
code without HTTP, which splits a route's cost into its Python and its transport."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessageChunk, HumanMessage
from langgraph.types import StreamMode

from agent.context import Context
from agent.graph import graph
from agent.state import Conversation
from bench.measure import CONTEXT, Clock, Sample, question
from server.direct.events import answer_events

MODES: list[StreamMode] = ["messages", "updates", "custom"]
RUN_CONTEXT = Context(**CONTEXT)


def user_input(text: str) -> Conversation:
    return {"messages": [HumanMessage(text)]}


async def stream_answer(size: int) -> Sample:
    """Time to first token and to the last one, with the three modes at once."""
    clock = Clock(size)
    async for part in graph.astream(
        user_input(question(size)), context=RUN_CONTEXT, stream_mode=MODES, version="v2"
    ):
        if part["type"] == "messages":
            chunk, meta = part["data"]
            if meta.get("langgraph_node") == "agent" and isinstance(chunk, AIMessageChunk):
                if text := chunk.text:
                    clock.token(text)
    return clock.sample()


async def route_code(size: int) -> Sample:
    """What ``/api/chat/stream`` runs per answer (event translation, JSON), minus HTTP."""
    clock = Clock(size)
    async for event in answer_events(user_input(question(size))["messages"], RUN_CONTEXT):
        json.dumps(event, ensure_ascii=False)
        if event["type"] == "token":
            clock.token(event["content"])
        elif event["type"] == "error":
            clock.fail(event["message"])
    return clock.sample()
