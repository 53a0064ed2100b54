"""Labelled workarounds of upstream bugs in the server ``langgraph dev`` runs, applied at start-up.

Each module patches one cause, measured and described in docs/upstream.md. They apply only:
- in the in-memory runtime that ``langgraph dev`` serves (``LANGGRAPH_RUNTIME_EDITION=inmem``):
  the LangGraph Platform image runs the Postgres runtime, which none of this was measured on;
- under the exact versions in :data:`PINS`: on any other, one warning and nothing is patched,
  so an upgrade is re-checked (``tests/dev_runtime/test_pins.py`` fails when a pin moves);
- unless ``AGENT_DEV_PATCHES=off`` (the off switch, for comparing with upstream as it is);
  ``AGENT_DEV_PATCHES=-name,...`` leaves out single patches.

Installed packages are never edited: every patch replaces an attribute at start-up.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

logger = logging.getLogger(__name__)

PINS = {
    "langgraph": "1.2.24",
    "langgraph-api": "0.16.7",
    "langgraph-runtime-inmem": "0.36.7",
    "structlog": "25.5.0",
}
"""The versions every patch here was written and measured for."""

SWITCH = "AGENT_DEV_PATCHES"

APPLIED: list[str] = []
"""The patches applied in this process, in order (empty when off or skipped)."""


def mismatched_pins() -> dict[str, str]:
    """Each pinned package whose installed version differs, with what is installed."""
    found: dict[str, str] = {}
    for name, pinned in PINS.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            found[name] = installed
    return found


def _patches() -> dict[str, Callable[[], None]]:
    """Each patch by the name ``AGENT_DEV_PATCHES`` and the start-up log use."""
    # Imported here: each module imports the runtime it patches, which only exists in the server.
    from server.dev_runtime import (
        gc_pauses,
        history_reads,
        jobs,
        log_hops,
        persistence,
        publishing,
        queue_wake,
        quiet_queues,
        replay_gap,
        step_waits,
        stream_costs,
        stream_ids,
        thread_joins,
        token_lane,
    )

    return {
        "jobs-default": jobs.apply,
        "inline-async-logs": log_hops.apply,
        "queue-wake": queue_wake.apply,
        "inline-small-events": publishing.apply,
        "asgi-private-network": stream_costs.plain_asgi_private_network,
        "metrics-tier": stream_costs.metrics_tier,
        "replay-buffer": stream_costs.amortized_replay_buffer,
        "queue-puts": stream_costs.direct_queue_puts,
        "ordered-stream-ids": stream_ids.apply,
        "thread-stream-looks": thread_joins.apply,  # after queue-puts, whose puts it wraps
        "thread-stream-replay-gap": replay_gap.apply,
        "sse-send-scope": stream_costs.sse_sends_without_scope,
        "step-waits": step_waits.apply,
        "thread-stream-batches": stream_costs.batched_thread_streams,
        "token-free-streams": stream_costs.token_free_streams,
        "token-lane": token_lane.apply,  # after token-free-streams, whose check it keeps
        "token-free-queues": quiet_queues.apply,  # after thread-stream-looks and token-lane
        "durable-checkpoints": persistence.apply,
        "history-reads": history_reads.apply,
        "gc-freeze": gc_pauses.freeze_after_start,
        "read-gc-pause": gc_pauses.defer_during_reads,
    }


def _skipped() -> set[str] | None:
    """``AGENT_DEV_PATCHES``: unset (all), ``off`` (none, None here), or names to leave out, each
    with a minus (``-gc-freeze,-queue-wake``), to measure or rule out one patch at a time."""
    value = os.environ.get(SWITCH, "").strip().lower()
    if value in {"0", "off", "false", "no"}:
        return None
    return {name.strip().removeprefix("-") for name in value.split(",") if name.strip()}


def apply() -> None:
    """Apply every patch once, where it belongs; say which, or why none."""
    if APPLIED:
        return
    if (skipped := _skipped()) is None:
        logger.info("%s=off: langgraph dev runs unpatched", SWITCH)
        return
    if os.environ.get("LANGGRAPH_RUNTIME_EDITION") != "inmem":
        return  # not langgraph dev: LangGraph Platform and its other runtimes stay as shipped
    if moved := mismatched_pins():
        found = ", ".join(f"{name} {v} (written for {PINS[name]})" for name, v in moved.items())
        logger.warning(
            "Upstream workarounds in server/dev_runtime not applied: %s. Check each against "
            "docs/upstream.md, then update PINS.",
            found,
        )
        return
    for name, patch in _patches().items():
        if name not in skipped:
            patch()
            APPLIED.append(name)
    logger.info("Applied upstream workarounds (docs/upstream.md): %s", "; ".join(APPLIED))
