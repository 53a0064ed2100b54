"""Per-user limits, so that no user can starve the others (applied when API keys are on).

Without keys everyone is one local user, and a per-user limit would only be a global one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from langgraph_sdk import get_client

from agent.context import env_number

_DEFAULT_JOBS = 10


@dataclass(frozen=True, kw_only=True)
class Quotas:
    enabled: bool
    active_runs: int
    """Runs one user may have pending or running at once, on different threads."""
    retry_after: int = 5

    @classmethod
    def from_env(cls, enabled: bool) -> Quotas:
        # Half of the server's concurrent runs by default, so one user never takes them all.
        jobs = env_number("N_JOBS_PER_WORKER", _DEFAULT_JOBS, 1)
        return cls(
            enabled=enabled,
            active_runs=env_number("AGENT_MAX_ACTIVE_RUNS_PER_USER", max(1, jobs // 2), 1),
        )

    async def refuse_run(self, thread_id: object) -> str | None:
        """Why a new run must wait, or None. A run on a thread the user already keeps busy
        adds no concurrency (the thread's multitask strategy decides), so it is not counted."""
        if not self.enabled:
            return None
        client = get_client()  # in-process, with the caller's permissions: their threads only
        try:
            busy = await client.threads.search(status="busy", limit=self.active_runs + 1)
        finally:
            await client.aclose()
        others = [t for t in busy if str(t["thread_id"]) != str(thread_id)]
        if len(others) < self.active_runs:
            return None
        return (
            f"You already have {self.active_runs} runs in progress, the most one user may have "
            f"at once. Wait for one to finish or cancel it, then try again."
        )


def is_distributed() -> bool:
    """Whether this server shares its work with other replicas (a Postgres-backed runtime)."""
    return not os.environ.get("MIGRATIONS_PATH", "").startswith("__inmem")
