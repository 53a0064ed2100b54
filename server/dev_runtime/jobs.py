"""How many runs ``langgraph dev`` runs at once when nobody said.

``langgraph dev`` (langgraph-api 0.16.7 ``cli.run_server``) sets ``N_JOBS_PER_WORKER`` to 1
unless ``--n-jobs-per-worker`` is given: one user's long run (a slow model, a long tool) held
every other user's "hi" for 16-50 s. The project's launchers pass 50 (chosen from the bench's
``jobs`` section: at 50 concurrent streams, p95 first token 2.7 s with 10 jobs, 0.7 s with
50); a plain ``langgraph dev`` gets the same here. ``AGENT_JOBS_PER_WORKER`` sets it either
way (1 included), before the queue starts.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)

JOBS_PER_WORKER = 50
"""Runs at once. ``make bench``'s jobs section puts 50 runs-API streams on 10 and on 50: with
10, 40 of them wait in line, with 50 none does, for ~10% more peak memory; and one user's long
run no longer holds the only free slot."""
LANGGRAPH_DEV_DEFAULT = 1


def apply() -> None:
    from langgraph_api import config

    chosen = os.environ.get("AGENT_JOBS_PER_WORKER", "").strip()
    if chosen:
        jobs = max(1, int(chosen))
    elif config.N_JOBS_PER_WORKER == LANGGRAPH_DEV_DEFAULT:
        jobs = JOBS_PER_WORKER
    else:
        return  # --n-jobs-per-worker N, as given
    if jobs != config.N_JOBS_PER_WORKER:
        logger.info("Runs at once: %d (was %d)", jobs, config.N_JOBS_PER_WORKER)
    config.N_JOBS_PER_WORKER = jobs
    os.environ["N_JOBS_PER_WORKER"] = str(jobs)  # what the per-user quota is read from
