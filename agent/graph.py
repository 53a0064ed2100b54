"""The agent: a model node ``agent`` and a tool node ``tools``, looping until the model answers.

The node names are a contract: stream consumers filter on ``metadata["langgraph_node"]``.
No checkpointer is compiled in; the LangGraph server supplies one.
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import (
    AIMessage,
    SystemMessage,
)
from langchain_core.runnables.config import merge_configs
from langgraph.config import get_config
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolCallTransformer, tools_condition
from langgraph.runtime import Runtime
from langgraph.stream import CustomTransformer

from agent import prompts
from agent.attachments import standard_attachments
from agent.context import Context
from agent.history import repair_tool_history
from agent.models import (
    check_complete,
    load_model,
    log_default_model,
    to_model_error,
)
from agent.state import Conversation, State
from agent.stops import ShownAnswer, StopSafeGraph
from agent.times import stamped
from agent.tools import TOOLS
from agent.tools_node import tools_node

STEPS_TO_ANSWER = 2
"""A tool step and the model's answer after it. LangGraph ends a run with a recursion error
when its step count passes the limit, even with nothing left to run, so a tool call needs one
remaining step more than that."""


def _step_limit(answer: AIMessage, state: State) -> dict[str, Any]:
    """The model's turn (stamped with when it was written, :mod:`agent.times`), unless it calls
    tools with no steps left to run them and answer: then the run ends with an answer saying
    so, instead of a recursion-limit error."""
    if answer.tool_calls and state["remaining_steps"] <= STEPS_TO_ANSWER:
        answer = AIMessage(id=answer.id, content=prompts.OUT_OF_STEPS)
    return {"messages": [stamped(answer)]}


async def call_model(state: State, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """The model's turn. Async only: a stop cancels it mid-answer, and the text shown so far is
    kept (:class:`agent.stops.ShownAnswer`)."""
    context = runtime.context or Context()
    model = load_model(context).bind_tools(TOOLS)
    history = standard_attachments(repair_tool_history(state["messages"]))
    messages = [SystemMessage(context.system_prompt), *history]
    shown = ShownAnswer()
    try:
        answer = await model.ainvoke(messages, merge_configs(get_config(), {"callbacks": [shown]}))
    except asyncio.CancelledError:
        shown.keep_if_cut()
        raise
    except Exception as exc:
        if error := to_model_error(exc, context.model_max_retries):
            raise error from None
        raise
    check_complete(answer, context)
    return _step_limit(_with_reviews(answer, context), state)


def _with_reviews(answer: AIMessage, context: Context) -> AIMessage:
    """Calls made under review keep that with them (``response_metadata.approve_tools``): a
    replay or fork from the paused checkpoint reviews them again, whatever its context."""
    if not answer.tool_calls or not context.approve_tools:
        return answer
    metadata = {**answer.response_metadata, "approve_tools": list(context.approve_tools)}
    return answer.model_copy(update={"response_metadata": metadata})


def stream_transformers() -> list[Any]:
    """Lets the newer stream protocol (``useStream`` of ``@langchain/react``) carry custom
    progress events and tool lifecycles; ``runs.stream`` needs nothing."""
    return [CustomTransformer, ToolCallTransformer]


builder = StateGraph(
    State, context_schema=Context, input_schema=Conversation, output_schema=Conversation
)
builder.add_node("agent", call_model)
builder.add_node("tools", tools_node)
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", tools_condition, ["tools", END])
builder.add_edge("tools", "agent")

# The same compiled graph, as a class that settles its thread when a run is stopped.
graph = StopSafeGraph.of(builder.compile(name="agent"))

log_default_model()
