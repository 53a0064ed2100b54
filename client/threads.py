"""The caller's threads, as the web app's sidebar has them: pages of the server's list
(``GET /app/threads``: titles and statuses in one request, search by title on the server),
rename (the thread's ``metadata.title``) and delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from client.clients import shared_client
from client.stream import default_url

PAGE_SIZE = 20


@dataclass(frozen=True)
class ThreadInfo:
    id: str
    title: str
    """The name given by a rename, else the first question."""
    renamed: bool
    status: str
    """new, running, waiting (for a decision), done, stopped or failed."""
    created_at: str
    updated_at: str
    """ISO 8601, as the server stores it."""


@dataclass(frozen=True)
class ThreadPage:
    threads: list[ThreadInfo]
    has_more: bool


async def list_threads(
    *,
    search: str = "",
    limit: int = PAGE_SIZE,
    offset: int = 0,
    url: str | None = None,
    api_key: str | None = None,
) -> ThreadPage:
    """One page of threads, newest updated first; ``search`` keeps those whose title holds it
    (case-insensitive, literally)."""
    client = shared_client(url or default_url(), api_key)
    params: dict[str, str | int] = {"limit": limit, "offset": offset}
    if search:
        params["q"] = search
    answer: dict[str, Any] = await client.http.get("/app/threads", params=params)
    return ThreadPage(
        [
            ThreadInfo(
                id=item["id"],
                title=item["title"],
                renamed=item["renamed"],
                status=item["status"],
                created_at=item["created_at"],
                updated_at=item["updated_at"],
            )
            for item in answer["threads"]
        ],
        bool(answer["has_more"]),
    )


async def rename_thread(
    thread_id: str, title: str, *, url: str | None = None, api_key: str | None = None
) -> None:
    """The server refuses (422) a title that is empty, too long or not one line."""
    client = shared_client(url or default_url(), api_key)
    await client.threads.update(thread_id, metadata={"title": title})


async def delete_thread(
    thread_id: str, *, url: str | None = None, api_key: str | None = None
) -> None:
    client = shared_client(url or default_url(), api_key)
    await client.threads.delete(thread_id)
