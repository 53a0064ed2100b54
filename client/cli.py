"""``agent-stream``: watch a run from the terminal, or pipe its events as JSON lines;
``agent-stream threads ...`` lists, renames and deletes threads (:mod:`client.thread_commands`).

Exit codes: 0 done, 1 error (one line on stderr), 3 paused: a tool call waits for a decision
nobody gave (resume with ``--thread ID --decisions JSON``), 130 cancelled with Ctrl-C (the run
is cancelled on the server).
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from client.attachments import AttachmentError, attachment_block
from client.clients import run_sync
from client.decisions import (
    BadDecisions,
    Decider,
    Decisions,
    at_terminal,
    never,
    parse_decisions,
    scripted,
)
from client.options import ApiKey, Url
from client.render import JsonRenderer, Renderer, RichRenderer
from client.stream import DEFAULT_ASSISTANT, DEFAULT_MODES, RunStream
from client.thread_commands import threads_app
from contract.typed import Done, Error, Interrupt

MODES = {"messages-tuple", "updates", "custom"}
ALIASES = {"messages": "messages-tuple"}
PAUSED = 3
EXIT_INTERRUPTED = 130

ask_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


def app() -> None:
    """The entry point: ``threads`` first manages threads; anything else is a question (to ask
    the word "threads" itself, put ``--`` before it)."""
    if sys.argv[1:2] == ["threads"]:
        threads_app(args=sys.argv[2:], prog_name=f"{Path(sys.argv[0]).name} threads")
    else:
        ask_app()


class BadInput(Exception):
    """A user error, reported as one line."""


def parse_modes(modes: list[str] | None) -> list[str]:
    chosen = [ALIASES.get(mode, mode) for mode in modes or DEFAULT_MODES]
    if unknown := [mode for mode in chosen if mode not in MODES]:
        raise BadInput(f"unknown --mode {unknown[0]!r}; choose from messages, updates, custom")
    return list(dict.fromkeys(chosen))


def parse_context(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        context = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadInput(f"--context is not valid JSON: {exc.msg}") from None
    if not isinstance(context, dict):
        raise BadInput("--context must be a JSON object")
    return context


@dataclass(frozen=True)
class RunOutcome:
    code: int
    thread_id: str
    pause: Interrupt | None = None


async def run_once(
    message: str | None, renderer: Renderer, options: dict[str, Any], resume: Decisions | None
) -> RunOutcome:
    """Stream one run (or a resume) into the renderer."""
    failed, succeeded, thread_id = False, False, options.get("thread_id") or ""
    pause: Interrupt | None = None
    async with RunStream(message, resume=resume, **options) as events:
        async for event in events:
            options["thread_id"] = events.thread_id  # for the "cancelled" line on Ctrl-C
            renderer.handle(event)
            if isinstance(event, Error):
                failed = True
            elif isinstance(event, Interrupt):
                pause = event
            elif isinstance(event, Done):
                thread_id = event.thread_id
                succeeded = event.status == "success"
    code = 0 if succeeded and not failed else 1
    return RunOutcome(code, thread_id, pause if code == 0 else None)


def _turn(
    message: str | None,
    renderer: Renderer,
    err: Console,
    options: dict[str, Any],
    decide: Decider,
    resume: Decisions | None = None,
) -> int:
    """One question (or a resume), then as many decisions as the run asks for."""
    try:
        outcome = run_sync(run_once(message, renderer, options, resume))
        options["thread_id"] = outcome.thread_id
        options.pop("attachments", None)  # sent with the question; decisions carry none
        while outcome.pause is not None:
            renderer.close()
            if (decisions := decide(outcome.pause)) is None:
                renderer.paused(outcome.thread_id)
                url = f" --url {shlex.quote(options['url'])}" if options.get("url") else ""
                err.print(
                    f"paused: waiting for a decision. Resume with: {invoked_as()}{url} --thread "
                    f'{outcome.thread_id} --decisions \'[{{"type": "approve"}}]\'',
                    style="yellow",
                    markup=False,
                    highlight=False,
                )
                return PAUSED
            outcome = run_sync(run_once(None, renderer, options, decisions))
    except KeyboardInterrupt:
        renderer.close()
        where = f" (thread {options['thread_id']})" if options.get("thread_id") else ""
        err.print(f"cancelled{where}", style="yellow", markup=False, highlight=False)
        return EXIT_INTERRUPTED
    finally:
        renderer.close()
    return outcome.code


def invoked_as() -> str:
    """This command as the user can type it again: the path it was run by (relative when
    under the current directory), since a bare ``agent-stream`` works only in an active venv."""
    path = Path(sys.argv[0])
    if path.name != "agent-stream":  # e.g. ``python -m client.cli``
        path = Path(sys.executable).with_name("agent-stream")
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())
    return shlex.quote(str(path))


def _interactive(renderer: Renderer, err: Console, options: dict[str, Any], decide: Decider) -> int:
    """A prompt loop on one thread; an empty line, Ctrl-D or Ctrl-C at the prompt ends it."""
    while True:
        try:
            message = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            err.print()
            return 0
        if not message:
            return 0
        _turn(message, renderer, err, options, decide)


@ask_app.command()
def main(
    message: Annotated[
        str | None, typer.Argument(help="What to ask; leave out for a prompt loop.")
    ] = None,
    url: Url = None,
    assistant: Annotated[str, typer.Option(help="Assistant id or graph name.")] = DEFAULT_ASSISTANT,
    thread: Annotated[
        str | None, typer.Option(help="Continue this thread (printed at the end of a run).")
    ] = None,
    mode: Annotated[
        list[str] | None,
        typer.Option(help="Stream mode (repeatable): messages, updates, custom. Default: all."),
    ] = None,
    api_key: ApiKey = None,
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per event on stdout.")
    ] = False,
    context: Annotated[
        str | None,
        typer.Option(help="Run context as JSON, e.g. '{\"tool_step_delay\": 0.1}'."),
    ] = None,
    approve_tools: Annotated[
        list[str] | None,
        typer.Option(help="Tool whose calls wait for your decision (repeatable; * for all)."),
    ] = None,
    decisions: Annotated[
        str | None,
        typer.Option(
            help='Decisions for a pause, as JSON, e.g. \'[{"type": "approve"}]\'; '
            "without a message, resumes --thread."
        ),
    ] = None,
    attach: Annotated[
        list[Path] | None,
        typer.Option(help="An image (PNG, JPEG, WebP, GIF) or PDF to send (repeatable)."),
    ] = None,
) -> None:
    """Send MESSAGE to an assistant on a LangGraph server and watch the run live."""
    err = Console(stderr=True, soft_wrap=True)
    try:
        options: dict[str, Any] = {
            "url": url,
            "assistant": assistant,
            "thread_id": thread,
            "modes": parse_modes(mode),
            "context": with_approvals(parse_context(context), approve_tools),
            "api_key": api_key,
        }
        given = parse_decisions(decisions) if decisions is not None else None
        if given is not None and message is None and not thread:
            raise BadInput("--decisions without a message resumes a paused thread: add --thread")
        if attach:
            if message is None:
                raise BadInput("--attach goes with a message: add what to ask about the files")
            for path in attach:
                attachment_block(path)  # a file that cannot be sent fails here, in one line
            options["attachments"] = attach
    except (BadInput, BadDecisions, AttachmentError) as exc:
        err.print(f"error: {exc}", style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    renderer: Renderer = (
        JsonRenderer(sys.stdout, err) if json_lines else RichRenderer(Console(soft_wrap=True), err)
    )
    decide: Decider = never if json_lines or not sys.stdin.isatty() else at_terminal(err)
    if given is not None and message is None:
        raise typer.Exit(_turn(None, renderer, err, options, decide, resume=given))
    if given is not None:
        decide = scripted(given)
    if message is None:
        raise typer.Exit(_interactive(renderer, err, options, decide))
    raise typer.Exit(_turn(message, renderer, err, options, decide))


def with_approvals(
    context: dict[str, Any] | None, tools: list[str] | None
) -> dict[str, Any] | None:
    """``--approve-tools`` (repeatable, or comma-separated) into the run's context."""
    names = [name.strip() for raw in tools or [] for name in raw.split(",") if name.strip()]
    if not names:
        return context
    return {**(context or {}), "approve_tools": names}
