"""``agent-stream threads list|rename|delete``: the caller's threads from the terminal, as the
web app's sidebar shows them. Errors are one line on stderr and exit code 1."""

from __future__ import annotations

import json
import sys
from collections.abc import Coroutine
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from client.clients import run_sync
from client.errors import describe
from client.options import ApiKey, Url
from client.stream import default_url
from client.threads import PAGE_SIZE, delete_thread, list_threads, rename_thread

T = TypeVar("T")

threads_app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="List, search, rename and delete your threads.",
)


def _call(work: Coroutine[Any, Any, T], url: str | None) -> T:
    """Runs ``work``; a failure becomes one line on stderr and exit code 1."""
    try:
        return run_sync(work)
    except Exception as exc:  # every failure is reported the same way: one line
        _fail(describe(exc, url or default_url()))


def _fail(message: str) -> NoReturn:
    Console(stderr=True, soft_wrap=True).print(
        f"error: {message}", style="red", markup=False, highlight=False
    )
    raise typer.Exit(1)


def _local_time(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


@threads_app.command("list")
def list_command(
    search: Annotated[
        str, typer.Option("--search", "-s", help="Only threads whose title holds this.")
    ] = "",
    limit: Annotated[int, typer.Option(min=1, max=100, help="Threads per page.")] = PAGE_SIZE,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many (the next page).")] = 0,
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per thread on stdout.")
    ] = False,
    url: Url = None,
    api_key: ApiKey = None,
) -> None:
    """Your threads, newest updated first, with their status."""
    page = _call(
        list_threads(search=search, limit=limit, offset=offset, url=url, api_key=api_key), url
    )
    if json_lines:
        for thread in page.threads:
            sys.stdout.write(json.dumps(asdict(thread), ensure_ascii=False) + "\n")
        return
    out = Console(soft_wrap=True)
    if not page.threads:
        out.print("No threads" + (" with that in their title." if search else "."), markup=False)
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("thread", overflow="fold", min_width=36)  # whole: commands take it
    table.add_column("title", overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("updated", no_wrap=True)
    for thread in page.threads:
        title = f"{thread.title} (renamed)" if thread.renamed else thread.title
        table.add_row(thread.id, title, thread.status, _local_time(thread.updated_at))
    out.print(table)
    if page.has_more:
        more = f"--offset {offset + limit}" + (f" --limit {limit}" if limit != PAGE_SIZE else "")
        out.print(f"more: add {more}", style="dim", markup=False, highlight=False)


@threads_app.command("rename")
def rename_command(
    thread_id: Annotated[str, typer.Argument(metavar="ID", help="The thread to rename.")],
    title: Annotated[str, typer.Argument(help="Its new title (one line).")],
    url: Url = None,
    api_key: ApiKey = None,
) -> None:
    """Give a thread a title (instead of its first question)."""
    _call(rename_thread(thread_id, title.strip(), url=url, api_key=api_key), url)
    Console().print(f"renamed {thread_id}", markup=False, highlight=False)


@threads_app.command("delete")
def delete_command(
    thread_id: Annotated[str, typer.Argument(metavar="ID", help="The thread to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    url: Url = None,
    api_key: ApiKey = None,
) -> None:
    """Delete a thread and its runs, after asking (unless --yes)."""
    if not yes:
        if not sys.stdin.isatty():
            _fail("not at a terminal to confirm: add --yes to delete")
        if not typer.confirm(f"Delete thread {thread_id}?", default=False):
            Console(stderr=True).print("kept", markup=False, highlight=False)
            raise typer.Exit(1)
    _call(delete_thread(thread_id, url=url, api_key=api_key), url)
    Console().print(f"deleted {thread_id}", markup=False, highlight=False)
