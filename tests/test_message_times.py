"""When each stored message was sent (``additional_kwargs["sent_at"]``, agent/times.py): the
server's time, never a client's, and never sent to the model provider (issue 21)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import respx
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph_sdk.client import LangGraphClient

from agent.graph import graph
from server.direct.inputs import parse_request
from server.limits import Limits
from tests.fake_openai import FakeOpenAI, Turn

FORGED = "2001-01-01T00:00:00.000Z"
FAST = {"offline_token_delay": 0, "tool_step_delay": 0}


def recent(stamp: object, since: datetime) -> bool:
    """``stamp`` is an ISO time between ``since`` (less a second of clock rounding) and now."""
    assert isinstance(stamp, str), stamp
    at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return since - timedelta(seconds=1) <= at <= datetime.now(UTC)


@pytest.fixture
def mock_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[respx.MockRouter]:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-times")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with respx.mock(base_url="https://api.openai.com/v1", assert_all_called=False) as router:
        yield router


@pytest.mark.unit
async def test_answers_and_results_are_stamped_and_the_provider_never_sees_it(
    mock_api: respx.MockRouter,
) -> None:
    fake = FakeOpenAI(
        [Turn(tool_calls=[("call_1", "get_weather", {"city": "北京"})]), Turn(text="晴。")]
    )
    mock_api.post("/chat/completions").mock(side_effect=fake)
    since = datetime.now(UTC)
    question = HumanMessage("北京天气如何？", additional_kwargs={"sent_at": FORGED})
    context = {"model": "openai:gpt-4o-mini", "tool_step_delay": 0.0}
    state: Any = await graph.ainvoke({"messages": [question]}, context=context)

    messages = state["messages"]
    assert [type(m) for m in messages] == [HumanMessage, AIMessage, ToolMessage, AIMessage]
    for message in messages[1:]:
        assert recent(message.additional_kwargs["sent_at"], since), message
    assert len(fake.requests) == 2
    assert "sent_at" not in json.dumps(fake.requests), "the provider was sent the times"


@pytest.mark.unit
def test_a_direct_question_is_stamped_and_its_history_keeps_no_client_time() -> None:
    since = datetime.now(UTC)
    history = [
        {"role": "user", "content": "hi", "additional_kwargs": {"sent_at": FORGED}},
        {"role": "assistant", "content": "hello", "additional_kwargs": {"sent_at": FORGED}},
    ]
    request = parse_request("and now?", history, None, Limits())
    assert [m.additional_kwargs.get("sent_at") for m in request.messages[:2]] == [None, None]
    assert recent(request.messages[2].additional_kwargs["sent_at"], since)


async def test_the_server_overwrites_a_client_sent_time(sdk: LangGraphClient) -> None:
    since = datetime.now(UTC)
    thread = await sdk.threads.create()
    question = {"role": "user", "content": "hello", "additional_kwargs": {"sent_at": FORGED}}
    await sdk.runs.wait(thread["thread_id"], "agent", input={"messages": [question]}, context=FAST)
    state: Any = await sdk.threads.get_state(thread["thread_id"])
    stored = state["values"]["messages"]
    assert [m["type"] for m in stored] == ["human", "ai"]
    for message in stored:
        assert recent(message["additional_kwargs"]["sent_at"], since), message
    assert stored[0]["additional_kwargs"]["sent_at"] <= stored[1]["additional_kwargs"]["sent_at"]


async def test_a_question_sent_as_a_plain_string_is_stamped(sdk: LangGraphClient) -> None:
    since = datetime.now(UTC)
    thread = await sdk.threads.create()
    await sdk.runs.wait(thread["thread_id"], "agent", input={"messages": "hi"}, context=FAST)
    state: Any = await sdk.threads.get_state(thread["thread_id"])
    human = state["values"]["messages"][0]
    assert human["content"] == "hi"
    assert recent(human["additional_kwargs"]["sent_at"], since)


async def test_a_state_update_cannot_choose_its_messages_time(sdk: LangGraphClient) -> None:
    """``POST /threads/{id}/state`` writes messages without a run: they get the server's time."""
    since = datetime.now(UTC)
    thread_id = (await sdk.threads.create())["thread_id"]
    await sdk.runs.wait(thread_id, "agent", input={"messages": "hi"}, context=FAST)
    note = {"type": "ai", "content": "a note", "additional_kwargs": {"sent_at": FORGED}}
    await sdk.threads.update_state(thread_id, {"messages": [note]}, as_node="agent")
    state: Any = await sdk.threads.get_state(thread_id)
    written = state["values"]["messages"][-1]
    assert written["content"] == "a note"
    assert recent(written["additional_kwargs"]["sent_at"], since), written
