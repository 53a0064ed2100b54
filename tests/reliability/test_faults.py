"""Provider faults through a real server, and a tool that raises: nothing is lost, the thread
stays usable.

Every provider fault runs concurrently once (a module fixture: retries and timeouts make them
seconds each) and each test checks its own scenario: a readable ``error`` part with no key and
no stack trace, no retry once tokens went out (a retry would stream them twice), the question
kept on the thread, and a follow-up that streams a normal tool answer matching the saved state.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph_sdk import get_client

from agent import progress
from agent.graph import builder
from agent.progress import Phase
from harness.server import Server
from tests.reliability.accounting import (
    Streamed,
    problems,
    saved_messages,
    stream_turn,
    wait_not_busy,
    wait_terminal,
)
from tests.reliability.provider import HEAD, KEY, Provider

CONTEXT = {"tool_step_delay": 0.01}
READABLE = {
    "429": "The model provider is rate limiting (HTTP 429), still after 1 retry.",
    "500": "The model provider failed (HTTP 500) after 1 retry.",
    "timeout": "The model provider did not answer in time.",
    "garbled": "The model provider sent a malformed response.",
    "drop": "The connection to the model provider dropped in the middle of the answer.",
    # No retry once tokens went out, so the text claims none (for "timeout" neither: the
    # client cannot tell the two apart).
    "stall": "The model provider did not answer in time.",
    "truncated": "The model provider's answer was cut off before it finished.",
}
MID_ANSWER = {"garbled", "drop", "stall", "truncated"}


@dataclass
class Outcome:
    question: str
    failed: Streamed
    status: str
    thread_status: str
    follow_up: Streamed
    follow_up_status: str
    saved: list[dict[str, Any]]


async def _scenario(url: str, fault: str) -> Outcome:
    client = get_client(url=url, api_key=None)
    thread_id = (await client.threads.create())["thread_id"]
    question = f"Tell me something [fault:{fault}]"
    failed = await stream_turn(client, thread_id, question, CONTEXT)
    status = await wait_terminal(client, thread_id, failed.run_id)
    thread_status = await wait_not_busy(client, thread_id)
    follow_up = await stream_turn(client, thread_id, f"Weather in Beijing? ({fault})", CONTEXT)
    follow_up_status = await wait_terminal(client, thread_id, follow_up.run_id)
    saved = await saved_messages(client, thread_id)
    await client.aclose()
    return Outcome(question, failed, status, thread_status, follow_up, follow_up_status, saved)


@pytest.fixture(scope="module")
def outcomes(agent_server: Server) -> dict[str, Outcome | BaseException]:
    async def all_faults() -> list[Outcome | BaseException]:
        runs = (_scenario(agent_server.url, fault) for fault in READABLE)
        return await asyncio.gather(*runs, return_exceptions=True)

    return dict(zip(READABLE, asyncio.run(all_faults()), strict=True))


def outcome_of(outcomes: dict[str, Outcome | BaseException], fault: str) -> Outcome:
    outcome = outcomes[fault]
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


@pytest.mark.parametrize(
    "fault",
    sorted(READABLE),
)
def test_provider_fault_is_a_clean_error_and_the_thread_goes_on(
    fault: str,
    outcomes: dict[str, Outcome | BaseException],
    provider: Provider,
    agent_server: Server,
) -> None:
    outcome = outcome_of(outcomes, fault)

    errors = outcome.failed.errors
    assert outcome.status == "error" and len(errors) == 1, (outcome.status, errors)
    message = errors[0]["message"]
    assert message.startswith(READABLE[fault]) and message.endswith("Please try again.")
    assert errors[0]["error"] == "ModelProviderError"
    assert "Traceback" not in message and 'File "' not in message
    assert KEY not in str(outcome.failed) and KEY not in agent_server.log_text()
    if fault in MID_ANSWER:
        assert outcome.failed.answer() == "".join(HEAD).strip(), "tokens went out first"
        assert provider.calls(fault) == 1, "a retry after tokens went out would repeat them"
    else:
        assert provider.calls(fault) == 2, "one retry (AGENT_MODEL_MAX_RETRIES=1)"
    assert outcome.thread_status == "error"

    # Nothing is lost: the question stays, the half answer is not saved as if whole, and the
    # model sees the question again on the next turn, whose answer streams as saved.
    follow_up = outcome.follow_up
    assert outcome.follow_up_status == "success" and not follow_up.errors
    assert follow_up.progress == 2, "the weather tool ran and reported"
    # An English question: the tool answers in English, though the model asked for 北京.
    assert follow_up.answer() == "The tool says: Beijing: sunny, 25°C. Anything else?"
    assert problems(follow_up, outcome.saved, outcome.follow_up_status) == []
    assert [m["type"] for m in outcome.saved] == ["human", "human", "ai", "tool", "ai"]
    assert outcome.saved[0]["content"] == outcome.question
    sent = next(r for r in provider.requests if r["messages"][-1]["content"].endswith(f"({fault})"))
    assert next(m["content"] for m in sent["messages"] if m["role"] == "user") == outcome.question


# A tool that raises. None of the agent's tools can raise today (their results are pure
# functions of a string), so the real graph runs here in-process, with a checkpointer as the
# server would give it, and its weather tool fails after its first progress step.


@pytest.fixture
def failing_weather(monkeypatch: pytest.MonkeyPatch) -> None:
    real_emit = progress.emit

    def emit(tool: str, step: Phase, call_id: str | None = None, *rest: Any) -> None:
        if step.progress > 0:
            raise RuntimeError("weather service unreachable")
        real_emit(tool, step, call_id, *rest)

    monkeypatch.setattr(progress, "emit", emit)


async def ask(graph: Any, thread: str, text: str) -> list[Any]:
    parts = graph.astream(
        {"messages": [HumanMessage(text)]},
        {"configurable": {"thread_id": thread}},
        context={"model": "offline", "offline_token_delay": 0, "tool_step_delay": 0},
        stream_mode=["updates", "custom"],
        version="v2",
    )
    return [part async for part in parts]


@pytest.mark.unit
@pytest.mark.usefixtures("failing_weather")
async def test_a_raising_tool_becomes_an_error_result_the_model_answers() -> None:
    graph = builder.compile(checkpointer=InMemorySaver())

    parts = await ask(graph, "t", "北京天气如何？")

    results = [
        m
        for p in parts
        if p["type"] == "updates"
        for m in (p["data"].get("tools") or {}).get("messages", [])
    ]
    assert [m.status for m in results] == ["error"]
    assert "weather service unreachable" in results[0].content
    state = (await graph.aget_state({"configurable": {"thread_id": "t"}})).values["messages"]
    assert "weather service unreachable" in state[-1].content
    # The thread goes on.
    follow_up = await ask(graph, "t", "count to 3")
    assert [next(iter(p["data"])) for p in follow_up if p["type"] == "updates"] == ["agent"]
