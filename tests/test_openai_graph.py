"""The graph with the real ChatOpenAI, the OpenAI HTTP API mocked by respx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
import respx
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_openai import ChatOpenAI

from agent import prompts
from agent.graph import graph
from agent.models import ModelProviderError
from contract.parts import PartTranslator
from contract.typed import ToolCall
from tests.fake_openai import DroppedStream, FakeOpenAI, Turn, error, sse, stream_chunks

pytestmark = pytest.mark.unit  # no server, no browser: `make unit`

KEY = "sk-test-0123456789abcdefSECRET"
BASE = "https://api.openai.com/v1"
FAST = {"model": "openai:gpt-4o-mini", "model_max_retries": 2, "tool_step_delay": 0.0}


@pytest.fixture(autouse=True)
def openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture
def mock_api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def use(router: respx.MockRouter, *turns: Any) -> FakeOpenAI:
    fake = FakeOpenAI(list(turns))
    router.post("/chat/completions").mock(side_effect=fake)
    return fake


async def run(text: str, context: dict[str, Any] | None = None, **kw: Any) -> list[tuple[str, Any]]:
    parts = graph.astream(
        {"messages": [HumanMessage(text)]},
        context={**FAST, **(context or {})},
        stream_mode=["messages", "updates", "custom"],
        **kw,
    )
    return [part async for part in parts]


def tokens(parts: list[tuple[str, Any]], node: str = "agent") -> list[str]:
    return [
        chunk.content
        for mode, (chunk, meta) in (p for p in parts if p[0] == "messages")
        if meta["langgraph_node"] == node and chunk.content
    ]


async def test_streams_text_token_by_token(mock_api: respx.MockRouter) -> None:
    fake = use(mock_api, Turn(text="Streaming makes waiting feel shorter."))

    parts = await run("why stream?")

    assert tokens(parts) == ["Streaming", " makes", " waiting", " feel", " shorter."]
    assert [next(iter(c)) for m, c in parts if m == "updates"] == ["agent"]
    request = fake.requests[0]
    assert request["stream"] is True
    assert request["messages"][0]["role"] == "system"
    assert {t["function"]["name"] for t in request["tools"]} == {
        "get_weather",
        "analyze_dataset",
        "generate_report",
    }


async def test_tool_round_trip_in_multi_mode(mock_api: respx.MockRouter) -> None:
    fake = use(
        mock_api,
        Turn(tool_calls=[("call_w1", "get_weather", {"city": "北京"})]),
        Turn(text="北京 今天 晴，25°C。"),
    )

    parts = await run("北京天气如何？")

    nodes = [next(iter(c)) for m, c in parts if m == "updates"]
    assert nodes == ["agent", "tools", "agent"]
    chunks = [c for m, (c, meta) in (p for p in parts if p[0] == "messages")]
    call_chunks = [tc for c in chunks for tc in getattr(c, "tool_call_chunks", [])]
    assert call_chunks[0]["name"] == "get_weather" and call_chunks[0]["id"] == "call_w1"
    assert all(tc["name"] is None for tc in call_chunks[1:]) and len(call_chunks) > 2
    assert "".join(tc["args"] or "" for tc in call_chunks) == '{"city": "北京"}'
    progress = [c for m, c in parts if m == "custom"]
    assert [(p["tool"], p["progress"]) for p in progress] == [
        ("get_weather", 0),
        ("get_weather", 100),
    ]
    assert {p["tool_call_id"] for p in progress} == {"call_w1"}
    assert "".join(tokens(parts)) == "北京 今天 晴，25°C。"
    second = fake.requests[1]["messages"]
    assert second[-1] == {"content": "北京：晴，25°C", "role": "tool", "tool_call_id": "call_w1"}


async def test_long_tool_reports_progress_to_100(mock_api: respx.MockRouter) -> None:
    use(
        mock_api,
        Turn(tool_calls=[("call_a1", "analyze_dataset", {"name": "sales"})]),
        Turn(text="Done."),
    )

    parts = await run("analyze the sales dataset")

    progress = [c for m, c in parts if m == "custom"]
    values = [p["progress"] for p in progress]
    assert len(progress) >= 5 and values == sorted(values) and values[-1] == 100
    assert {p["tool"] for p in progress} == {"analyze_dataset"}
    assert all(p["name"] == "progress" and p["phase"] for p in progress)


async def test_unanswered_tool_call_is_repaired_before_the_model(
    mock_api: respx.MockRouter,
) -> None:
    fake = use(mock_api, Turn(text="Sure."))
    stopped = AIMessage(
        "", tool_calls=[{"name": "analyze_dataset", "args": {"name": "x"}, "id": "c9"}]
    )

    result = await graph.ainvoke(
        {"messages": [HumanMessage("analyze x"), stopped, HumanMessage("never mind")]},
        context=FAST,
    )

    assert result["messages"][-1].content == "Sure."
    sent = fake.requests[0]["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "tool", "user"]
    assert sent[3]["tool_call_id"] == "c9" and "Cancelled" in sent[3]["content"]
    assert len(result["messages"]) == 4, "the stored thread keeps what the user saw"


async def test_the_fake_rejects_a_broken_history_like_openai(mock_api: respx.MockRouter) -> None:
    use(mock_api, Turn(text="unused"))
    stopped = AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "x"}, "id": "c1"}])
    orphan = ToolMessage("late", tool_call_id="c0")

    model = ChatOpenAI(model="gpt-4o-mini", max_retries=0)
    with pytest.raises(openai.BadRequestError, match="tool_call_ids did not have response"):
        await model.ainvoke([HumanMessage("hi"), stopped, HumanMessage("again")])
    with pytest.raises(openai.BadRequestError, match="must be a response to a preceeding"):
        await model.ainvoke([HumanMessage("hi"), orphan])


async def test_rate_limit_is_retried(mock_api: respx.MockRouter) -> None:
    fake = use(
        mock_api,
        lambda _: error(429, "Rate limit reached", **{"retry-after-ms": "1"}),
        Turn(text="Fine now."),
    )

    parts = await run("hello")

    assert "".join(tokens(parts)) == "Fine now."
    assert len(fake.requests) == 2


async def test_repeated_server_errors_end_with_a_clean_error(mock_api: respx.MockRouter) -> None:
    failure = lambda _: error(500, f"upstream exploded, key {KEY}", **{"retry-after-ms": "1"})  # noqa: E731
    fake = use(mock_api, failure, failure, failure, Turn(text="never reached"))

    with pytest.raises(ModelProviderError) as caught:
        await run("hello")

    message = str(caught.value)
    assert message.startswith("The model provider failed (HTTP 500) after 2 retries.")
    assert KEY not in message and "Traceback" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert len(fake.requests) == 3


async def test_auth_error_never_echoes_the_key(mock_api: respx.MockRouter) -> None:
    use(mock_api, lambda _: error(401, f"Incorrect API key provided: {KEY}."))

    with pytest.raises(ModelProviderError) as caught:
        await run("hello")

    assert "refused the API key" in str(caught.value)
    assert KEY not in str(caught.value)


async def test_malformed_stream_chunk_is_reported(mock_api: respx.MockRouter) -> None:
    body = sse([stream_chunks(Turn(text="Hi"))[0], "{not json"])
    headers = {"content-type": "text/event-stream"}
    use(mock_api, lambda _: httpx.Response(200, headers=headers, content=body))

    with pytest.raises(ModelProviderError, match="malformed response"):
        await run("hello")


async def test_connection_dropped_mid_stream_is_reported(mock_api: respx.MockRouter) -> None:
    head = sse(stream_chunks(Turn(text="Half an"))[:2]).removesuffix(b"data: [DONE]\n\n")
    headers = {"content-type": "text/event-stream"}
    use(mock_api, lambda _: httpx.Response(200, headers=headers, stream=DroppedStream(head)))

    with pytest.raises(ModelProviderError, match="connection to the model provider dropped"):
        await run("hello")


async def test_openai_base_url_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://llm.internal:8000/v1")
    with respx.mock(base_url="http://llm.internal:8000/v1") as router:
        fake = use(router, Turn(text="Local model here."))
        parts = await run("hi", context={"model": "openai:my-local-model"})

    assert "".join(tokens(parts)) == "Local model here."
    assert fake.requests[0]["model"] == "my-local-model"


async def test_a_run_near_the_recursion_limit_answers_instead_of_failing(
    mock_api: respx.MockRouter,
) -> None:
    """A model that keeps calling tools: the run ends with a plain answer, not an error."""
    calls = [Turn(tool_calls=[(f"call_{i}", "get_weather", {"city": "北京"})]) for i in range(10)]
    use(mock_api, *calls)

    parts = await run("北京天气如何？", config={"recursion_limit": 6})

    updates = [c for m, c in parts if m == "updates"]
    assert [next(iter(u)) for u in updates] == ["agent", "tools", "agent", "tools", "agent"]
    last = updates[-1]["agent"]["messages"][-1]
    assert isinstance(last, AIMessage) and not last.tool_calls
    assert last.content == prompts.OUT_OF_STEPS
    # A client shows the calls that ran, not the one the step limit dropped after its chunks.
    translator = PartTranslator(("messages-tuple", "updates", "custom"))
    shown = [event for mode, data in parts for event in translator.translate(mode, data)]
    assert [event.id for event in shown if isinstance(event, ToolCall)] == ["call_0", "call_1"]


async def test_attachments_reach_openai_in_its_own_format(mock_api: respx.MockRouter) -> None:
    """agent-chat-ui's LangChain JS blocks (camelCase ``mimeType``) would reach OpenAI as they
    are and be refused: the model node sends every attachment in LangChain v1's shape, which
    ChatOpenAI converts to ``image_url`` and ``file`` blocks."""
    import base64

    from tests.test_attachments import pdf, png

    image, document = (base64.b64encode(data).decode() for data in (png(8, 6), pdf(2)))
    fake = use(mock_api, Turn(text="a chart and a report"))
    content: list[str | dict[str, Any]] = [
        {"type": "text", "text": "what are these?"},
        {"type": "image", "mimeType": "image/png", "data": image, "metadata": {"name": "c.png"}},
        {"type": "file", "mimeType": "application/pdf", "data": document,
         "metadata": {"filename": "r.pdf"}},
    ]  # fmt: skip
    parts = graph.astream(
        {"messages": [HumanMessage(content)]}, context=FAST, stream_mode=["messages"]
    )
    assert [part async for part in parts]
    sent = fake.requests[0]["messages"][-1]["content"]
    assert sent[0] == {"type": "text", "text": "what are these?"}
    assert sent[1] == {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{image}"}}
    assert sent[2]["type"] == "file"
    assert sent[2]["file"]["file_data"] == f"data:application/pdf;base64,{document}"
    assert sent[2]["file"].get("filename") == "r.pdf"
