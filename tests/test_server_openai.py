"""The agent behind a real ``langgraph dev`` with the real ChatOpenAI, against a local
OpenAI-compatible server (as vLLM or Ollama would be, via ``OPENAI_BASE_URL``).

What only this shows: the provider path works inside the dev server with its blocking-call
detector on, the key stays out of the log, and after a stop mid-tool the next request is one
OpenAI accepts.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from langgraph_sdk import get_client

from harness.server import Server, langgraph_dev
from tests.fake_openai import Turn, completion, problem, sse, stream_chunks

KEY = "sk-local-compatible-0123456789"


def reply(body: dict[str, Any]) -> Turn:
    """The model: answers a tool result in text, else calls the tool the question names."""
    last = body["messages"][-1]
    if last["role"] == "tool":
        return Turn(text=f"Result: {last['content']}")
    question = last["content"]
    if "分析" in question:
        return Turn(tool_calls=[("call_a", "analyze_dataset", {"name": "用户数据"})])
    return Turn(tool_calls=[("call_w", "get_weather", {"city": "北京"})])


class CompatibleServer(http.server.BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]]

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.bodies.append(body)
        reason = problem(body)
        if self.path != "/v1/chat/completions" or self.headers["Authorization"] != f"Bearer {KEY}":
            reason = reason or f"unexpected {self.path} or key"
        if reason is not None:
            payload = json.dumps({"error": {"message": reason}}).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
        elif body.get("stream"):
            payload = sse(stream_chunks(reply(body)))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
        else:
            payload = json.dumps(completion(reply(body))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def compatible() -> Iterator[tuple[Server, list[dict[str, Any]]]]:
    bodies: list[dict[str, Any]] = []
    handler = type("Handler", (CompatibleServer,), {"bodies": bodies})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    env = {
        "AGENT_MODEL": "openai:gpt-4o-mini",
        "OPENAI_API_KEY": KEY,
        "OPENAI_BASE_URL": f"http://127.0.0.1:{httpd.server_address[1]}/v1",
    }
    try:
        with langgraph_dev(env=env) as server:
            yield server, bodies
    finally:
        httpd.shutdown()
        httpd.server_close()


def user(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


async def test_tool_run_through_the_openai_client(
    compatible: tuple[Server, list[dict[str, Any]]],
) -> None:
    server, _ = compatible
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]

    parts = [
        part
        async for part in client.runs.stream(
            thread_id,
            "agent",
            input=user("北京天气如何？"),
            stream_mode=["messages-tuple", "updates", "custom"],
            context={"tool_step_delay": 0.05},
        )
    ]

    assert not [p.data for p in parts if p.event == "error"]
    steps = [next(iter(p.data)) for p in parts if p.event == "updates"]
    assert steps == ["agent", "tools", "agent"]
    assert [p.data["progress"] for p in parts if p.event == "custom"] == [0, 100]
    tokens = [
        chunk["content"]
        for chunk, meta in (p.data for p in parts if p.event == "messages")
        if meta["langgraph_node"] == "agent" and chunk["content"]
    ]
    assert "".join(tokens) == "Result: 北京：晴，25°C" and len(tokens) > 1
    log = server.log_text()
    assert "BlockingError" not in log and KEY not in log


async def test_stop_mid_tool_then_the_next_request_is_valid_for_openai(
    compatible: tuple[Server, list[dict[str, Any]]],
) -> None:
    server, bodies = compatible
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    run_id = ""
    async for part in client.runs.stream(
        thread_id,
        "agent",
        input=user("分析用户数据"),
        stream_mode=["custom"],
        context={"tool_step_delay": 1.0},
    ):
        if part.event == "metadata":
            run_id = part.data["run_id"]
        if part.event == "custom":
            await client.runs.cancel(thread_id, run_id)
    assert (await client.runs.get(thread_id, run_id))["status"] == "interrupted"
    sent_before = len(bodies)

    run = await client.runs.wait(thread_id, "agent", input=user("北京天气如何？"))

    assert "Result: 北京：晴，25°C" in json.dumps(run, ensure_ascii=False)
    follow_up = bodies[sent_before]["messages"]
    assert [m["role"] for m in follow_up] == ["system", "user", "assistant", "tool", "user"]
    assert follow_up[3]["tool_call_id"] == "call_a" and "Cancelled" in follow_up[3]["content"]
