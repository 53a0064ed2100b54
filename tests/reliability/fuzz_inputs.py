"""Hypothesis strategies for what clients may send: JSON of any shape, near-miss settings,
near-miss chat messages and run requests.

Delay settings stay tiny or invalid, never large: a valid but huge delay makes a run as long as
asked for, which is a hang by request rather than a bug (see the report on unbounded settings).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
"""Any text a client can encode (lone surrogates cannot be sent as UTF-8)."""

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=10,
)

QUESTIONS = st.sampled_from(
    ["北京天气如何？", "分析用户数据", "生成运营报告", "Weather in Paris?", "count to 30"]
)
QUERY = QUESTIONS | TEXT | st.just(" \t\n") | st.just("x" * 32_001) | st.just("\x00")

WRONG = st.booleans() | st.none() | TEXT | st.lists(st.integers(), max_size=2) | st.integers(-5, -1)
DELAY = st.floats(0, 0.002) | WRONG
SETTINGS = {
    "model": st.sampled_from(["offline", "openai:gpt-4o-mini", "", "nonsense", "x:y"]) | WRONG,
    "offline_token_delay": DELAY,
    "tool_step_delay": DELAY,
    "model_max_retries": st.integers(0, 2) | WRONG,
    "model_timeout": st.floats(0.05, 2) | WRONG,
    "system_prompt": TEXT | WRONG,
}
CONTEXT = (
    st.fixed_dictionaries({}, optional=SETTINGS) | st.dictionaries(TEXT, LEAVES, max_size=3) | JSON
)
CONTEXT_PARAM = CONTEXT.map(json.dumps) | TEXT
"""``?context=``: JSON text, or any text at all."""

ROLE = st.sampled_from(["user", "assistant", "system", "tool", "human", "ai", ""]) | LEAVES
"""Hashable roles only: an unhashable one is a known 500, pinned in ``test_fuzz``."""
HISTORY = st.lists(
    st.fixed_dictionaries({}, optional={"role": ROLE, "content": QUERY | JSON}), max_size=4
)
CHAT_BODY = (
    st.fixed_dictionaries({}, optional={"query": QUERY | JSON, "messages": HISTORY | JSON})
    .flatmap(lambda body: CONTEXT.map(lambda context: {**body, "context": context}) | st.just(body))
    .map(json.dumps)
    | JSON.map(json.dumps)
    | st.binary(max_size=64).map(lambda raw: raw.decode("latin-1"))
)
"""A ``POST /api/chat/stream`` body, as text."""

SOCKET_FRAME = (
    st.fixed_dictionaries(
        {"type": st.sampled_from(["user", "cancel", "ping", "pong", "", "USER"]) | JSON},
        optional={"content": QUERY | JSON, "context": CONTEXT},
    ).map(json.dumps)
    | st.fixed_dictionaries({"content": QUERY | JSON}).map(json.dumps)
    | JSON.map(json.dumps)
    | TEXT
)

RUN_MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "role": ROLE,
        "type": ROLE,
        "content": QUERY | JSON,
        "tool_call_id": TEXT,
        "tool_calls": JSON,
        "id": TEXT,
    },
)
RUN_INPUT = st.fixed_dictionaries({"messages": st.lists(RUN_MESSAGE, max_size=3)}) | JSON
STREAM_MODE = st.sampled_from(
    ["values", "updates", "messages-tuple", "custom", "debug", "events", "nonsense"]
)


@st.composite
def run_request(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """``("stream" | "wait", body)`` for ``POST /threads/{id}/runs/...``."""
    body: dict[str, Any] = {"assistant_id": draw(st.just("agent") | TEXT)}
    body["input"] = draw(RUN_INPUT | st.none())
    if draw(st.booleans()):
        body["context"] = draw(CONTEXT)
    if draw(st.booleans()):
        body["stream_mode"] = draw(STREAM_MODE | st.lists(STREAM_MODE, max_size=3))
    if draw(st.booleans()):
        body[draw(TEXT)] = draw(JSON)
    return draw(st.sampled_from(["stream", "wait"])), body
