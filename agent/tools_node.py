"""The ``tools`` node: runs the model's calls, after a person's review where the run asks for
one (:mod:`agent.approval`).

The review pauses the run with ``interrupt()`` before any call starts; when the run resumes, the
node starts again and ``interrupt()`` returns the decisions. Calls that need no review wait for
the others' decisions and then run with them, so nothing runs twice.

The tools see a state of the question and the calls to run (edited ones with their new
arguments): the question is what they take their language from (:mod:`agent.language`).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, ToolMessage
from langgraph.config import get_config
from langgraph.prebuilt import ToolNode
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agent.approval import (
    apply_decisions,
    approval_request,
    check_decisions,
    needs_approval,
    with_edits,
)
from agent.context import Context
from agent.history import unanswered_calls
from agent.language import last_question
from agent.state import State
from agent.times import stamp_all
from agent.tools import TOOLS, tool_error_message

_run = ToolNode(TOOLS, handle_tool_errors=tool_error_message)
_DESCRIPTIONS = {tool.name: tool.description for tool in TOOLS}


class ToolsStep:
    """One tools step: the calls to run and what to store besides their results."""

    def __init__(self, state: State, context: Context) -> None:
        messages = state["messages"]
        self.message, self.calls = unanswered_calls(messages)
        asked = last_question(messages)
        self.question = [] if asked is None else [messages[asked]]
        self.stored: list[AnyMessage] = []  # the call message as edited, declined results
        made_under = self.message.response_metadata.get("approve_tools") if self.message else None
        approve = [*context.approve_tools, *(made_under if isinstance(made_under, list) else [])]
        reviewed = [c for c in self.calls if needs_approval(c["name"], approve)]
        if self.message is None or not reviewed:
            return
        request = approval_request(reviewed, _DESCRIPTIONS)
        decisions = check_decisions(interrupt(request), request)  # the server checked them
        outcome = apply_decisions(self.calls, reviewed, decisions)
        self.calls = outcome.run
        if outcome.edited:
            self.stored.append(with_edits(self.message, outcome.run))
        self.stored.extend(outcome.declined)

    def as_input(self) -> dict[str, Any]:
        return {"messages": [*self.question, AIMessage(content="", tool_calls=self.calls)]}

    def update(self, results: list[ToolMessage]) -> dict[str, Any]:
        """The step's messages, results in the order of the calls they answer, stamped with
        when they were produced (:mod:`agent.times`)."""
        order = {c["id"]: i for i, c in enumerate(self.message.tool_calls if self.message else [])}
        answers = stamp_all([m for m in self.stored if isinstance(m, ToolMessage)] + results)
        answers.sort(key=lambda answer: order.get(answer.tool_call_id, len(order)))
        edited = [m for m in self.stored if not isinstance(m, ToolMessage)]
        return {"messages": [*edited, *answers]}


async def tools_node(state: State, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Async only, like the tools: a stop cancels a tool at its next await."""
    step = ToolsStep(state, runtime.context or Context())
    results = (await _run.ainvoke(step.as_input(), get_config()))["messages"] if step.calls else []
    return step.update(results)
