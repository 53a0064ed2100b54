"""``/api/chat/stream`` on a real ``langgraph dev``, read as a plain SSE client reads it."""

from __future__ import annotations

import json

import httpx
from websockets.asyncio.client import connect

from harness.server import Server
from harness.sse import DONE, aevents
from tests.direct.conftest import (
    FAST,
    SLOW_TOOL,
    active_streams,
    answer,
    checked_events,
    read_sse,
    receive_until,
    types,
    wait_no_active_streams,
    ws_url,
)


async def test_tool_question_streams_call_progress_result_tokens_then_done(server: Server) -> None:
    response = await read_sse(server, query="分析用户数据", context=FAST)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    streamed = checked_events(response)
    assert streamed[-1] == DONE and types(streamed).count(DONE) == 1
    kinds = types(streamed)
    call = streamed[kinds.index("tool_call")]
    assert call["name"] == "analyze_dataset" and call["args"]
    progress = [e for e in streamed if e != DONE and e["type"] == "progress"]
    assert len(progress) >= 5 and progress[-1]["progress"] == 100
    assert {p["tool"] for p in progress} == {"analyze_dataset"}
    assert {p["tool_call_id"] for p in progress} == {call["id"]}
    result = streamed[kinds.index("tool_result")]
    assert result["id"] == call["id"] and result["status"] == "success" and result["content"]
    # The order a plain client renders in: call, its progress, its result, then the answer.
    first_progress = kinds.index("progress")
    last_progress = len(kinds) - 1 - kinds[::-1].index("progress")
    assert kinds.index("tool_call") < first_progress < last_progress < kinds.index("tool_result")
    assert len(answer(streamed[kinds.index("tool_result") :])) > 5 and "error" not in kinds
    assert "BlockingError" not in server.log_text()  # the detector is on; nothing blocked


async def test_chinese_arrives_unescaped(server: Server) -> None:
    response = await read_sse(server, query="北京天气如何？", context=FAST)

    assert "北京：晴，25°C" in response.text and "\\u" not in response.text
    assert "北京：晴" in answer(checked_events(response))


async def test_post_with_history_streams_an_answer(server: Server) -> None:
    body = {
        "messages": [
            {"role": "user", "content": "北京天气如何？"},
            {"role": "assistant", "content": "北京：晴，25°C"},
        ],
        "query": "count to 5",
        "context": {"offline_token_delay": 0},
    }
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(f"{server.url}/api/chat/stream", json=body)

    streamed = checked_events(response)
    assert "1 2 3 4 5" in answer(streamed) and streamed[-1] == DONE


async def test_client_disconnect_mid_tool_cancels_the_run(server: Server) -> None:
    async with (
        httpx.AsyncClient(timeout=60) as http,
        http.stream(
            "GET",
            f"{server.url}/api/chat/stream",
            params={"query": "分析用户数据", "context": json.dumps(SLOW_TOOL)},
        ) as response,
    ):
        arriving = aevents(response)  # held: a dropped iterator would close the connection
        async for event in arriving:
            if event["type"] == "progress":
                break
        assert await active_streams(server) == 1
    # Leaving the block closed the connection mid-tool, 10 s before the tool would finish.

    await wait_no_active_streams(server)
    assert "direct SSE client went away" in server.log_text()


async def test_failing_model_yields_error_then_done(server: Server) -> None:
    context = json.dumps({"model": "openai:gpt-4o-mini", "model_max_retries": 0})

    streamed = checked_events(await read_sse(server, query="hello", context=context))

    assert types(streamed) == ["error", DONE]
    message = streamed[0]["message"]
    assert "OPENAI_API_KEY" in message and "Traceback" not in message and "File " not in message


async def test_bad_input_is_refused_with_422_and_nothing_runs(server: Server) -> None:
    url = f"{server.url}/api/chat/stream"
    async with httpx.AsyncClient(timeout=30) as http:
        refused = [
            (await http.get(url), "query must be a string"),
            (await http.get(url, params={"query": "   "}), "query is empty"),
            (await http.post(url, json={"query": "x" * 32_001}), "the limit is 32000"),
            (await http.get(url, params={"query": "hi", "context": "{"}), "not valid JSON"),
            (
                await http.get(url, params={"query": "hi", "context": '{"tool_step_delay": -1}'}),
                "tool_step_delay must be a number from 0 to 60",
            ),
            (await http.get(url, params={"query": "hi", "context": '{"x": 1}'}), "unknown setting"),
            (
                await http.post(url, json={"query": "hi", "messages": [{"role": "system"}]}),
                "messages[0] has no content",
            ),
            (
                await http.post(
                    url, json={"query": "hi", "messages": [{"role": "system", "content": "x"}]}
                ),
                'messages[0] must be a "user" or "assistant" message',
            ),
            (await http.post(url, content=b"not json"), "the body (expected"),
        ]
        for response, expected in refused:
            assert response.status_code == 422, response.text
            assert expected in response.json()["detail"]
        assert await active_streams(server) == 0

        after = await http.get(url, params={"query": "count to 3", "context": FAST})
    streamed = checked_events(after)
    assert answer(streamed) == "1 2 3" and streamed[-1] == DONE


async def test_concurrent_direct_streams_are_capped_with_a_clear_503(tight_server: Server) -> None:
    url = f"{tight_server.url}/api/chat/stream"
    params = {"query": "分析用户数据", "context": json.dumps(SLOW_TOOL)}
    async with httpx.AsyncClient(timeout=60) as http:
        async with http.stream("GET", url, params=params) as running:
            arriving = aevents(running)  # held: a dropped iterator would close the connection
            async for _ in arriving:
                break
            busy = await http.get(url, params={"query": "count to 3"})
            async with connect(ws_url(tight_server)) as ws:
                await ws.send(json.dumps({"content": "count to 3"}))
                socket_busy = await receive_until(ws, "error")

        assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
        assert "maximum of 1 direct answers" in busy.json()["detail"]
        assert "maximum of 1 direct answers" in socket_busy[-1]["message"]
        await wait_no_active_streams(tight_server)
        after = await http.get(url, params={"query": "count to 3", "context": FAST})
    assert answer(checked_events(after)) == "1 2 3"
