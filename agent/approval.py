"""Human in the loop: a person approves, edits or rejects a tool call before it runs.

Opt-in per run (``Context.approve_tools``). The pause is LangChain's human-in-the-loop request,
the shape agent-chat-ui's inbox renders and its ``Command(resume={"decisions": [...]})``
answers, so one server feature serves every client::

    {"action_requests": [{"name": "get_weather", "args": {"city": "北京"}, "description": "..."}],
     "review_configs": [{"action_name": "get_weather",
                         "allowed_decisions": ["approve", "edit", "reject"]}]}

Decisions are ``{"type": "approve"}``, ``{"type": "edit", "edited_action": {"name", "args"}}``
or ``{"type": "reject", "message"?}``, one per action, in order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from langchain_core.messages import AIMessage, ToolCall, ToolMessage

from agent.context import ALL_TOOLS
from agent.history import declined_result

ALLOWED = ["approve", "edit", "reject"]

Request: TypeAlias = dict[str, list[dict[str, Any]]]


class DecisionError(ValueError):
    """Decisions that do not answer the request; the text says what to fix. The server refuses
    them before a resume is queued (HTTP 422), so a run only meets them when driven directly."""


def needs_approval(name: str, approve_tools: Collection[str]) -> bool:
    return ALL_TOOLS in approve_tools or name in approve_tools


def approval_request(calls: Sequence[ToolCall], descriptions: Mapping[str, str]) -> Request:
    return {
        "action_requests": [
            {
                "name": call["name"],
                "args": call["args"],
                "description": descriptions.get(call["name"], call["name"]),
            }
            for call in calls
        ],
        "review_configs": [
            {"action_name": call["name"], "allowed_decisions": list(ALLOWED)} for call in calls
        ],
    }


def check_decisions(resume: object, request: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The decisions in ``resume`` (``{"decisions": [...]}``), one valid one per action, in
    order; else :class:`DecisionError` saying what is wrong."""
    actions = request.get("action_requests") or []
    decisions = resume.get("decisions") if isinstance(resume, dict) else None
    if not isinstance(decisions, list):
        raise DecisionError('resume with {"decisions": [...]}: one decision per action')
    if len(decisions) != len(actions):
        raise DecisionError(
            f"{len(actions)} action(s) wait for a decision, but {len(decisions)} were given"
        )
    for index, (decision, action) in enumerate(zip(decisions, actions, strict=True)):
        where = f"decisions[{index}]"
        kind = decision.get("type") if isinstance(decision, dict) else None
        if kind not in ALLOWED:
            raise DecisionError(f'{where} must be {{"type": one of {", ".join(ALLOWED)}}}')
        if kind == "edit":
            edited = decision.get("edited_action")
            if not isinstance(edited, dict) or not isinstance(edited.get("args"), dict):
                raise DecisionError(
                    f'{where}: an edit needs "edited_action": {{"name", "args": {{}}}}'
                )
            if edited.get("name", action["name"]) != action["name"]:
                raise DecisionError(f"{where}: an edit keeps the tool, {action['name']!r}")
        if kind == "reject" and not isinstance(decision.get("message", ""), str):
            raise DecisionError(f"{where}: a reject's message must be a string")
    return decisions


@dataclass
class ReviewedCalls:
    """What the decisions make of a step's calls."""

    run: list[ToolCall] = field(default_factory=list)
    """The calls to run, edited ones with their new arguments."""
    declined: list[ToolMessage] = field(default_factory=list)
    """A result for each rejected call: the tool does not run."""
    edited: bool = False


def apply_decisions(
    calls: Sequence[ToolCall], reviewed: Sequence[ToolCall], decisions: Sequence[dict[str, Any]]
) -> ReviewedCalls:
    """``reviewed`` are the calls of ``calls`` that needed a decision, in the request's order."""
    by_id = {call["id"]: decision for call, decision in zip(reviewed, decisions, strict=True)}
    outcome = ReviewedCalls()
    for call in calls:
        decision = by_id.get(call["id"], {"type": "approve"})
        if decision["type"] == "reject":
            outcome.declined.append(
                declined_result(call["id"] or "", call["name"], decision.get("message") or "")
            )
        elif decision["type"] == "edit":
            outcome.run.append({**call, "args": decision["edited_action"]["args"]})
            outcome.edited = True
        else:
            outcome.run.append(call)
    return outcome


def with_edits(message: AIMessage, run: Sequence[ToolCall]) -> AIMessage:
    """The assistant message as stored: edited calls carry their new arguments (same id), so
    the history shows what ran."""
    edited = {call["id"]: call for call in run}
    calls = [edited.get(call["id"], call) for call in message.tool_calls]
    return message.model_copy(update={"tool_calls": calls})
