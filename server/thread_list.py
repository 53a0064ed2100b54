"""``GET /app/threads``: one page of the caller's threads, titled and with their status, in one
request (the web app's sidebar asked ``runs.list`` once per listed thread).

Ownership is LangGraph's: the in-process client runs as the caller (keys on, a user sees only
their own threads; keys off, everyone is the one local user). The work is done here, in
process: a page is one thread search plus the newest run of each thread shown; a search by
title reads every thread's metadata (titles live there, :mod:`server.thread_titles`), and the
messages only of threads that have no recorded question (made before it was recorded, or by a
state update).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.thread_titles import UNTITLED, first_question, title_of
from server.validation import InputError

MAX_QUERY_CHARS = 200
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_OFFSET = 1_000_000
_SEARCH_BATCH = 1_000
_FIELDS: list[Any] = ["thread_id", "created_at", "updated_at", "metadata", "interrupts"]

ThreadStatus = Literal["new", "running", "waiting", "done", "stopped", "failed"]


@dataclass(frozen=True)
class ListQuery:
    q: str
    limit: int
    offset: int


def parse_query(params: Mapping[str, str]) -> ListQuery:
    """``q`` (a title substring), ``limit`` (1..100) and ``offset`` (≥ 0), or InputError."""
    q = params.get("q", "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise InputError(f"q is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}")
    return ListQuery(
        q,
        _integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        _integer(params, "offset", 0, 0, MAX_OFFSET),
    )


def _integer(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise InputError(f"{name} must be a whole number from {low} to {high}; got {raw[:20]!r}")
    return int(raw)


def thread_status(run_status: str | None, waiting: bool) -> ThreadStatus:
    """As the web app's ``threadStatus``: from the newest run, except that a pause for a
    decision ends its run (``success``; some runtimes say ``interrupted``) yet is ``waiting``."""
    active = run_status in ("pending", "running")
    if waiting and not active:
        return "waiting"
    if run_status is None:
        return "new"
    if active:
        return "running"
    if run_status == "interrupted":
        return "stopped"
    if run_status in ("error", "timeout"):
        return "failed"
    return "done"


def _waiting(thread: Mapping[str, Any]) -> bool:
    """The record's pending interrupts (null for a thread that never ran)."""
    pending: Mapping[str, list[Any]] = thread.get("interrupts") or {}
    return any(pending.values())


async def list_threads(request: Request) -> Response:
    """
    ---
    summary: One page of your threads for the web app's sidebar, newest updated first
    description: >
      Each thread with its title (the name given by a rename, else its first question), whether
      it was renamed, its status (new, running, waiting, done, stopped, failed) and times.
      q keeps the threads whose title holds it (case-insensitive, literal).
    parameters:
      - {name: q, in: query, schema: {type: string, maxLength: 200}}
      - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
      - {name: offset, in: query, schema: {type: integer, minimum: 0, default: 0}}
    responses:
      "200":
        description: "{threads: [{id, title, renamed, status, created_at, updated_at}], has_more}"
      "401": {description: No valid API key}
      "422": {description: A parameter out of range}
    """
    try:
        query = parse_query(request.query_params)
    except InputError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    # langgraph-api 0.16.7 sets the auth context only for its own routes (as in
    # server/direct/handoff.py); delete when custom routes get it too.
    from langgraph_api.utils import with_user

    async with with_user(request.user, request.auth):
        client = get_client()  # in-process
        try:
            page, has_more = await _page(client, query)
        finally:
            await client.aclose()
    return JSONResponse({"threads": page, "has_more": has_more})


async def _page(client: LangGraphClient, query: ListQuery) -> tuple[list[dict[str, Any]], bool]:
    if query.q:
        needle = query.q.casefold()
        titled = [
            item
            for item in await _titled(client, await _all_threads(client))
            if needle in item[1].casefold()
        ]
        window = titled[query.offset : query.offset + query.limit + 1]
    else:
        found = await client.threads.search(
            limit=query.limit + 1,
            offset=query.offset,
            sort_by="updated_at",
            sort_order="desc",
            select=_FIELDS,
        )
        window = await _titled(client, found)
    shown = window[: query.limit]
    runs = await asyncio.gather(*(_newest_run(client, thread) for thread, _, _ in shown))
    page = [
        {
            "id": str(thread["thread_id"]),
            "title": title,
            "renamed": renamed,
            "status": thread_status(run, _waiting(thread)),
            "created_at": thread["created_at"],
            "updated_at": thread["updated_at"],
        }
        for (thread, title, renamed), run in zip(shown, runs, strict=True)
    ]
    return page, len(window) > query.limit


async def _all_threads(client: LangGraphClient) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    while True:
        batch = await client.threads.search(
            limit=_SEARCH_BATCH,
            offset=len(found),
            sort_by="updated_at",
            sort_order="desc",
            select=_FIELDS,
        )
        found += batch
        if len(batch) < _SEARCH_BATCH:
            return found


async def _titled(
    client: LangGraphClient, threads: Sequence[Mapping[str, Any]]
) -> list[tuple[Mapping[str, Any], str, bool]]:
    """Each thread with its title and whether it was renamed; the messages are read only of
    threads whose metadata holds no title, all in one search."""
    titles = {str(t["thread_id"]): title_of(t.get("metadata") or {}) for t in threads}
    if missing := [thread_id for thread_id, (title, _) in titles.items() if title is None]:
        for record in await client.threads.search(
            ids=missing, limit=len(missing), select=["thread_id", "values"]
        ):
            values = record.get("values")
            messages = values.get("messages") if isinstance(values, dict) else None
            titles[str(record["thread_id"])] = (first_question(messages), False)
    titled = []
    for thread in threads:
        title, renamed = titles[str(thread["thread_id"])]
        titled.append((thread, title or UNTITLED, renamed))
    return titled


async def _newest_run(client: LangGraphClient, thread: Mapping[str, Any]) -> str | None:
    runs = await client.runs.list(str(thread["thread_id"]), limit=1, select=["status"])
    return str(runs[0]["status"]) if runs else None
