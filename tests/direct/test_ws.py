"""``/ws/chat`` on a real ``langgraph dev``, driven with a plain WebSocket client."""

from __future__ import annotations

import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from harness.server import Server
from tests.direct.conftest import (
    SLOW_TOOL,
    answer,
    receive,
    receive_until,
    wait_no_active_streams,
    ws_url,
)

FAST = {"tool_step_delay": 0.02, "offline_token_delay": 0}


async def ask(ws: ClientConnection, content: str, **message: Any) -> None:
    await ws.send(json.dumps({"type": "user", "content": content, **message}, ensure_ascii=False))


async def test_two_questions_on_one_socket(ws: ClientConnection) -> None:
    await ask(ws, "北京天气如何？", context=FAST)
    first = await receive_until(ws, "done")
    # The spec's bare form, without a type.
    await ws.send(json.dumps({"content": "count to 5", "context": FAST}))
    second = await receive_until(ws, "done")

    kinds = [m["type"] for m in first]
    assert kinds.index("tool_call") < kinds.index("tool_result") < kinds.index("done")
    assert "北京：晴，25°C" in answer(first)
    assert answer(second) == "1 2 3 4 5"


async def test_cancel_mid_tool_stops_the_answer_and_the_next_question_works(
    server: Server, ws: ClientConnection
) -> None:
    await ask(ws, "分析用户数据", context=SLOW_TOOL)
    await receive_until(ws, "progress")

    await ws.send(json.dumps({"type": "cancel"}))
    after_cancel = await receive_until(ws, "cancelled")
    await wait_no_active_streams(server)  # the tool had 10 s to go

    assert not [m for m in after_cancel if m["type"] in {"token", "tool_result", "done"}]
    # The history now ends in a tool call with no result; the next answer needs it repaired
    # (the offline model refuses a broken history as OpenAI does).
    await ask(ws, "北京天气如何？", context=FAST)
    follow_up = await receive_until(ws, "done")
    assert "error" not in [m["type"] for m in follow_up]
    assert "北京：晴" in answer(follow_up)


async def test_cancel_mid_answer_stops_the_tokens(ws: ClientConnection) -> None:
    await ask(ws, "count to 3000", context={"offline_token_delay": 0.01})
    streamed = await receive_until(ws, "token")
    while len(streamed) < 20:
        streamed.append(await receive(ws))

    await ws.send(json.dumps({"type": "cancel"}))
    tail = await receive_until(ws, "cancelled")
    await ws.send(json.dumps({"type": "ping"}))

    assert (await receive(ws))["type"] == "pong"  # nothing of the cancelled answer came after
    text = answer(streamed + tail)
    assert text.startswith("1 2 3") and not text.endswith("3000")


async def test_bad_messages_get_an_error_and_the_socket_stays_usable(ws: ClientConnection) -> None:
    await ws.send("{not json")
    assert (await receive(ws))["type"] == "error"
    await ws.send(b'{"type": "ping"}')  # a binary frame
    assert (await receive(ws))["type"] == "pong"
    await ws.send(b"\xff\xfe")
    assert (await receive(ws))["type"] == "error"
    await ws.send(json.dumps({"type": "shout"}))
    assert "unknown message type 'shout'" in (await receive(ws))["message"]
    await ask(ws, "   ")
    assert "empty" in (await receive(ws))["message"]
    await ask(ws, "x" * 32_001)
    assert "the limit is 32000" in (await receive(ws))["message"]
    await ask(ws, "hi", context={"tool_step_delay": "slow"})
    assert "tool_step_delay" in (await receive(ws))["message"]

    await ask(ws, "count to 3", context={"offline_token_delay": 0.2})
    first = await receive(ws)
    await ask(ws, "count to 5")
    busy = await receive_until(ws, "error")
    rest = await receive_until(ws, "done")
    assert "still streaming" in busy[-1]["message"]
    assert answer([first, *busy, *rest]) == "1 2 3"


async def test_idle_socket_gets_keep_alive_pings(tight_server: Server) -> None:
    async with connect(ws_url(tight_server)) as ws:
        assert (await receive(ws))["type"] == "ping"
        await ask(ws, "count to 3", context=FAST)
        assert answer(await receive_until(ws, "done")) == "1 2 3"
