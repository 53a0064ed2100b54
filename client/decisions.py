"""Where the CLI's decisions on a paused run come from: a script (``--decisions``) or a person
at the terminal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.prompt import Prompt

from client.render import format_call
from contract.typed import Interrupt

Decisions = list[dict[str, Any]]
Decider = Callable[[Interrupt], Decisions | None]
"""The decisions for a pause, in order, or None when nobody can give them now."""
_CHOICES = {"a": "approve", "y": "approve", "e": "edit", "r": "reject", "n": "reject"}
"""Each decision, by the first letter a person may type for it (yes and no as well)."""


class BadDecisions(ValueError):
    """``--decisions`` that cannot be decisions; the text says why."""


def parse_decisions(raw: str) -> Decisions:
    """``[{"type": "approve"}, ...]`` (or ``{"decisions": [...]}``) as given to ``--decisions``."""
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadDecisions(f"--decisions is not valid JSON: {exc.msg}") from None
    if isinstance(parsed, dict) and "decisions" in parsed:
        parsed = parsed["decisions"]
    if not isinstance(parsed, list) or not all(isinstance(d, dict) for d in parsed):
        raise BadDecisions('--decisions must be a JSON list like [{"type": "approve"}]')
    return parsed


def scripted(decisions: Decisions) -> Decider:
    """The given decisions, for the first pause only: a later one waits for a person."""
    left = [decisions]
    return lambda _pause: left.pop() if left else None


def never(_pause: Interrupt) -> None:
    return None


def at_terminal(console: Console) -> Decider:
    """Ask for each action: approve, edit its arguments as JSON, or reject with a reason."""

    def decide(pause: Interrupt) -> Decisions:
        decisions: Decisions = []
        for action in pause.actions:
            console.print(f"[bold]{format_call(action.name, action.args)}[/] waits for you")
            if action.description:
                console.print(action.description, style="dim", markup=False, highlight=False)
            kind = _ask_kind(
                console, [k for k in dict.fromkeys(_CHOICES.values()) if k in action.allowed]
            )
            if kind == "edit":
                args = _ask_args(console, action.args)
                decisions.append(
                    {"type": "edit", "edited_action": {"name": action.name, "args": args}}
                )
            elif kind == "reject":
                reason = Prompt.ask(
                    "reason (optional)", console=console, default="", show_default=False
                )
                decisions.append({"type": "reject", "message": reason})
            else:
                decisions.append({"type": "approve"})
        return decisions

    return decide


def _ask_kind(console: Console, allowed: list[str]) -> str:
    question = ", ".join(allowed[:-1]) + f" or {allowed[-1]}?" if len(allowed) > 1 else allowed[0]
    while True:
        answer = Prompt.ask(question, console=console, default=allowed[0]).strip().lower()
        if (kind := _CHOICES.get(answer[:1])) in allowed:
            return kind
        console.print(f"type one of: {', '.join(allowed)}", style="red")


def _ask_args(console: Console, current: dict[str, Any]) -> dict[str, Any]:
    while True:
        raw = Prompt.ask(
            "arguments as JSON",
            console=console,
            default=json.dumps(current, ensure_ascii=False),
        )
        try:
            args = json.loads(raw)
        except json.JSONDecodeError as exc:
            console.print(f"not JSON: {exc.msg}", style="red")
            continue
        if isinstance(args, dict):
            return args
        console.print("the arguments must be a JSON object", style="red")
