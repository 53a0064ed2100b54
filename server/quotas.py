"""The per-user cap on runs (``Limits.active_runs_per_user``), so that no user starves the
others: counted from the caller's busy threads in the server's store, which every replica shares."""

from __future__ import annotations

import os

from langgraph_sdk import get_client

RETRY_AFTER_SECONDS = 5


async def refuse_run(active_runs: int | None, thread_id: object) -> str | None:
    """Why a new run must wait, or None. A run on a thread the user already keeps busy adds no
    concurrency (the thread's multitask strategy decides), so it is not counted."""
    if active_runs is None:
        return None
    client = get_client()  # in-process, with the caller's permissions: their threads only
    try:
        busy = await client.threads.search(status="busy", limit=active_runs + 1)
    finally:
        await client.aclose()
    others = [t for t in busy if str(t["thread_id"]) != str(thread_id)]
    if len(others) < active_runs:
        return None
    return (
        f"You already have {active_runs} runs in progress, the most one user may have "
        f"at once. Wait for one to finish or cancel it, then try again."
    )


def is_distributed() -> bool:
    """Whether this server shares its work with other replicas (a Postgres-backed runtime)."""
    return not os.environ.get("MIGRATIONS_PATH", "").startswith("__inmem")
