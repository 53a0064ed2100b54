"""The agent behind a real ``langgraph dev``, driven with the real SDK."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from agent.history import CANCELLED_TEXT
from harness.server import Server, langgraph_dev

MODES: list[Any] = ["messages-tuple", "updates", "custom"]


def user(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


async def stream(client: LangGraphClient, thread_id: str, text: str, **kw: Any) -> list[Any]:
    parts = client.runs.stream(thread_id, "agent", input=user(text), stream_mode=MODES, **kw)
    return [part async for part in parts]


async def test_a_new_threads_first_run_logs_no_warning(server: Server) -> None:
    """Neither way of starting a thread (created with its run, or just before it) leaves a
    warning in the server log: a run check that read a thread before it existed logged a 404."""
    client = get_client(url=server.url)
    start = len(server.log_text())

    await stream(client, str(uuid.uuid4()), "北京天气如何？", if_not_exists="create")
    await stream(client, (await client.threads.create())["thread_id"], "count to 3")
    marker = str(uuid.uuid4())  # a 404 of our own, logged after everything before it
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        assert (await http.get(f"/threads/{marker}")).status_code == 404

    logged = re.sub(r"\x1b\[[0-9;]*m", "", await _log_until(server, start, marker))
    assert not [line for line in logged.splitlines() if re.search(r"\[(warning|error)", line)]


async def _log_until(server: Server, start: int, marker: str, within: float = 30) -> str:
    """The server log from ``start`` up to the line that holds ``marker``, once it is written."""
    for _ in range(int(within / 0.05)):
        log = server.log_text()[start:]
        if marker in log:
            return log[: log.rfind("\n", 0, log.index(marker))]
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{marker} not logged within {within} s")


async def test_streams_tokens_steps_and_progress(server: Server) -> None:
    client = get_client(url=server.url)
    thread = await client.threads.create()

    parts = await stream(
        client, thread["thread_id"], "分析用户数据", context={"tool_step_delay": 0.05}
    )

    assert parts[0].event == "metadata"
    assert not [p for p in parts if p.event == "error"]
    steps = [next(iter(p.data)) for p in parts if p.event == "updates"]
    assert steps == ["agent", "tools", "agent"]
    progress = [p.data for p in parts if p.event == "custom"]
    assert len(progress) >= 5 and progress[-1]["progress"] == 100
    assert {p["tool"] for p in progress} == {"analyze_dataset"}
    messages = [p.data for p in parts if p.event == "messages"]
    nodes = {meta["langgraph_node"] for _, meta in messages}
    assert nodes == {"agent", "tools"}
    call_chunks = [tc for chunk, _ in messages for tc in chunk.get("tool_call_chunks") or []]
    assert call_chunks[0]["name"] == "analyze_dataset"
    answer = "".join(
        chunk["content"]
        for chunk, meta in messages
        if meta["langgraph_node"] == "agent" and meta["langgraph_step"] == 3
    )
    state = await client.threads.get_state(thread["thread_id"])
    assert answer and state["values"]["messages"][-1]["content"] == answer


async def test_cancel_mid_tool_then_follow_up(server: Server) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    seen: list[dict[str, Any]] = []
    run_id = ""

    async for part in client.runs.stream(
        thread_id,
        "agent",
        input=user("分析用户数据"),
        stream_mode=MODES,
        context={"tool_step_delay": 1.0},
    ):
        if part.event == "metadata":
            run_id = part.data["run_id"]
        if part.event == "custom":
            seen.append(part.data)
            if len(seen) == 2:
                await client.runs.cancel(thread_id, run_id, action="interrupt")

    run = await client.runs.get(thread_id, run_id)
    assert run["status"] == "interrupted"
    assert len(seen) <= 3 and all(p["progress"] < 100 for p in seen)
    stopped = (await client.threads.get_state(thread_id))["values"]["messages"]
    # The call stays, answered as cancelled right after it: a valid history for any client.
    assert [m["type"] for m in stopped] == ["human", "ai", "tool"]
    assert stopped[1]["tool_calls"][0]["name"] == "analyze_dataset"
    assert stopped[2]["tool_call_id"] == stopped[1]["tool_calls"][0]["id"]
    assert stopped[2]["content"] == CANCELLED_TEXT and stopped[2]["status"] == "error"

    parts = await stream(client, thread_id, "北京天气如何？", context={"tool_step_delay": 0.05})

    assert not [p.data for p in parts if p.event == "error"]
    progress_tools = {p.data["tool"] for p in parts if p.event == "custom"}
    assert progress_tools == {"get_weather"}, "the cancelled tool must not report again"
    after = (await client.threads.get_state(thread_id))["values"]["messages"]
    assert after[: len(stopped)] == stopped, "what the user saw is kept"
    assert "北京：晴，25°C" in after[-1]["content"]
    runs = await client.runs.list(thread_id)
    assert sorted(r["status"] for r in runs) == ["interrupted", "success"]


async def test_cors_allows_local_frontends_only(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:

        async def preflight(origin: str) -> httpx.Response:
            headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}
            return await http.options("/threads", headers=headers)

        for origin in ("http://localhost:5173", "http://127.0.0.1:4173", "http://localhost:41999"):
            response = await preflight(origin)
            assert response.headers["access-control-allow-origin"] == origin
            assert "POST" in response.headers["access-control-allow-methods"]
        assert (
            "access-control-allow-origin" not in (await preflight("https://evil.example")).headers
        )
        created = await http.post("/threads", json={}, headers={"Origin": "http://localhost:5173"})
        assert "content-location" in created.headers["access-control-expose-headers"]


def test_cors_can_be_widened_with_cors_config() -> None:
    config = {
        "allow_origins": ["https://chat.example.com"],
        "allow_methods": ["*"],
        "allow_headers": ["*"],
        "expose_headers": ["content-location"],
    }
    with langgraph_dev(env={"CORS_CONFIG": json.dumps(config)}) as server:
        headers = {"Origin": "https://chat.example.com", "Access-Control-Request-Method": "POST"}
        response = httpx.options(f"{server.url}/threads", headers=headers)

    assert response.headers["access-control-allow-origin"] == "https://chat.example.com"


async def test_provider_failure_is_a_clean_error_without_the_key() -> None:
    key = "sk-live-DO-NOT-LEAK-0123456789"
    env = {
        "AGENT_MODEL": "openai:gpt-4o-mini",
        "OPENAI_API_KEY": key,
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        "AGENT_MODEL_MAX_RETRIES": "1",
    }
    with langgraph_dev(env=env) as server:
        client = get_client(url=server.url)
        thread_id = (await client.threads.create())["thread_id"]

        parts = await stream(client, thread_id, "hello")

        errors = [p.data for p in parts if p.event == "error"]
        assert errors == [
            {
                "error": "ModelProviderError",
                "message": "Could not reach the model provider, after 1 retry. Please try again.",
            }
        ]
        assert key not in str(parts) and key not in server.log_text()
        assert "BlockingError" not in server.log_text()


@pytest.mark.unit
@pytest.mark.parametrize("value", ["abc", "-1"])
def test_bad_env_setting_is_reported_clearly(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from agent.context import Context

    monkeypatch.setenv("AGENT_TOOL_STEP_DELAY", value)
    with pytest.raises(ValueError, match="AGENT_TOOL_STEP_DELAY must"):
        Context()
