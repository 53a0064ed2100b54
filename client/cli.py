"""``agent-stream``: watch a run from the terminal, or pipe its events as JSON lines.

Exit codes: 0 done, 1 error (one line on stderr), 130 cancelled with Ctrl-C (the run is
cancelled on the server).
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from client.events import Done, Error
from client.render import JsonRenderer, Renderer, RichRenderer
from client.stream import DEFAULT_ASSISTANT, DEFAULT_MODES, DEFAULT_URL, RunStream

MODES = {"messages-tuple", "updates", "custom"}
ALIASES = {"messages": "messages-tuple"}
CANCELLED = 130

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


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


async def run_once(message: str, renderer: Renderer, options: dict[str, Any]) -> tuple[int, str]:
    """Stream one run into the renderer; returns the exit code and the thread id."""
    failed, succeeded, thread_id = False, False, options.get("thread_id") or ""
    async with RunStream(message, **options) as events:
        async for event in events:
            renderer.handle(event)
            if isinstance(event, Error):
                failed = True
            elif isinstance(event, Done):
                thread_id = event.thread_id
                succeeded = event.status == "success"
    return (0 if succeeded and not failed else 1), thread_id


def _turn(message: str, renderer: Renderer, err: Console, options: dict[str, Any]) -> int:
    try:
        code, options["thread_id"] = asyncio.run(run_once(message, renderer, options))
    except KeyboardInterrupt:
        renderer.close()
        err.print("cancelled", style="yellow")
        return CANCELLED
    finally:
        renderer.close()
    return code


def _interactive(renderer: Renderer, err: Console, options: dict[str, Any]) -> int:
    """A prompt loop on one thread; an empty line, Ctrl-D or Ctrl-C at the prompt ends it."""
    while True:
        try:
            message = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            err.print()
            return 0
        if not message:
            return 0
        _turn(message, renderer, err, options)


@app.command()
def main(
    message: Annotated[
        str | None, typer.Argument(help="What to ask; leave out for a prompt loop.")
    ] = None,
    url: Annotated[str, typer.Option(envvar="LANGGRAPH_API_URL", help="Server URL.")] = DEFAULT_URL,
    assistant: Annotated[str, typer.Option(help="Assistant id or graph name.")] = DEFAULT_ASSISTANT,
    thread: Annotated[
        str | None, typer.Option(help="Continue this thread (printed at the end of a run).")
    ] = None,
    mode: Annotated[
        list[str] | None,
        typer.Option(help="Stream mode (repeatable): messages, updates, custom. Default: all."),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(envvar="LANGGRAPH_API_KEY", show_default=False, help="Server API key."),
    ] = None,
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per event on stdout.")
    ] = False,
    context: Annotated[
        str | None,
        typer.Option(help="Run context as JSON, e.g. '{\"tool_step_delay\": 0.1}'."),
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
            "context": parse_context(context),
            "api_key": api_key,
        }
    except BadInput as exc:
        err.print(f"error: {exc}", style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    renderer: Renderer = (
        JsonRenderer(sys.stdout, err) if json_lines else RichRenderer(Console(soft_wrap=True), err)
    )
    if message is None:
        raise typer.Exit(_interactive(renderer, err, options))
    raise typer.Exit(_turn(message, renderer, err, options))
