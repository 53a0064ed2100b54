"""What A2A clients see: an agent card that lists the tools as skills, and tool progress.

langgraph-api serves A2A at ``/a2a/{assistant_id}`` and builds the card from the assistant: its
name, its description (``langgraph.json``) and one skill that repeats the description. The
middleware here adds a skill per tool, with examples, so a client can tell what the agent does
before sending anything.

A2A's ``message/stream`` reads only the ``messages`` and ``values`` stream modes, so the tools'
``custom`` progress events never reach it. On A2A runs (their metadata has ``a2a``) each progress
step is also pushed on the ``messages`` stream, not the state, as a short agent message, which
A2A passes on as a ``working`` status update; other clients' runs are unchanged.
Workaround for langgraph-api 0.16.7 (``api/a2a.py``); delete the relay when its A2A streams
carry ``custom`` events (``tests/ecosystem/test_a2a.py`` checks the progress either way).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.tools import BaseTool
from langgraph.config import get_config
from langgraph.graph.message import push_message
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CARD_PATHS = ("/.well-known/agent-card.json", "/.well-known/agent.json")
EXAMPLES = {
    "get_weather": ["北京天气如何？", "What's the weather in Paris?"],
    "analyze_dataset": ["分析用户数据", "Analyze the sales dataset"],
    "generate_report": ["生成一份运营报告", "Write a report on Q3 sales"],
}


def tool_skills(tools: Sequence[BaseTool]) -> list[dict[str, Any]]:
    return [
        {
            "id": tool.name,
            "name": tool.name.replace("_", " ").capitalize(),
            "description": tool.description,
            "tags": ["tool", "progress"],
            "examples": EXAMPLES.get(tool.name, []),
        }
        for tool in tools
    ]


def relay_progress(event: Mapping[str, Any]) -> None:
    """On an A2A run, send a progress event as an agent message on the ``messages`` stream."""
    metadata = get_config().get("metadata") or {}
    if "a2a" not in metadata:
        return
    text = f"{event['tool']}: {event.get('message') or event['phase']} ({event['progress']}%)"
    push_message(AIMessage(content=text, id=f"progress-{uuid.uuid4()}"), state_key=None)


class AgentCardSkills:
    """ASGI middleware: agent cards get one skill per tool after langgraph-api's own."""

    def __init__(self, app: ASGIApp, tools: Sequence[BaseTool]) -> None:
        self.app = app
        self.skills = tool_skills(tools)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].endswith(CARD_PATHS)
        ):
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                if start["status"] == 200:
                    body = _with_skills(body, self.skills)
                    MutableHeaders(scope=start)["content-length"] = str(len(body))
                await send(start)
                await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, hold)


def _with_skills(body: bytes, skills: list[dict[str, Any]]) -> bytes:
    try:
        card = json.loads(body)
    except ValueError:
        return body
    if not isinstance(card, dict) or not isinstance(card.get("skills"), list):
        return body
    card["skills"] += skills
    return json.dumps(card, ensure_ascii=False).encode()
