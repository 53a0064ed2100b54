"""Threads that survive a crash of ``langgraph dev``, and memory given back when they go.

langgraph-runtime-inmem 0.36.7 keeps everything in dicts it pickles to ``.langgraph_api/``:
- ``checkpoint.Checkpointer(unpack_hook=...)`` (every state and history read) builds a new
  saver whose dicts re-read the whole pickle, and re-register the flush under the same file
  names; the saver then drops them for the shared ones, so the flush's weak references die and
  checkpoints reach the disk only at a clean shutdown. A read after a restart costs 100-240 ms.
- the flush thread dies on the first error (a dict that changed size while it was pickled);
- ``ops._delete_checkpoints_for_thread`` never deletes a thread's blobs, and replaces the
  persistent ``writes`` with a plain dict that is never saved again;
- the retry counter keeps every run id forever, and the stream manager every event of every
  resumable run.

Here: one cached saver per unpack hook, sharing the stores and reading no file; one flusher
(``flusher.py``) that survives errors, flushes every 10 s as upstream does, and also when a run
ends, before its stream is told so, appending what changed to each store's journal
(``journal.py``); deletes in place, blobs, retry counters and stored stream events included.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any
from uuid import UUID

from server.dev_runtime.flusher import FLUSHER
from server.dev_runtime.journal import FLAT, ROWS, Nested, journal_of, replay

DELIVER_SECONDS = 1.0
"""The longest a run's end waits for its streams to take its events before it is flushed."""


def apply() -> None:
    from langgraph_runtime_inmem import _persistence, checkpoint, database, ops

    _take_over_flushing(_persistence, checkpoint, database)
    FLUSHER.journaled(database.GLOBAL_STORE, ROWS, loaded=False)  # loaded when the server starts
    cached = _cached_checkpointer(checkpoint)
    checkpoint.Checkpointer = cached
    ops.Checkpointer = cached  # imported by name
    ops._delete_checkpoints_for_thread = _deleting_in_place(ops._delete_checkpoints_for_thread)
    ops.Threads.set_joint_status = staticmethod(_flushed_when_done(ops.Threads.set_joint_status))


def _take_over_flushing(persistence: Any, *modules: Any) -> None:
    """Stores registered before this ran (the store's, at import) move over to the flusher."""
    for ref in list(persistence._stores.values()):
        if (store := ref()) is not None:
            FLUSHER.register(store)
            replay(store, journal_of(store.filename))  # loaded already: what followed its file
    persistence.stop_flush_loop()
    persistence._stores.clear()
    for module in (persistence, *modules):
        module.register_persistent_dict = FLUSHER.register
        module.stop_flush_loop = FLUSHER.stop


def _cached_checkpointer(module: Any) -> Callable[..., Any]:
    upstream = module.Checkpointer
    savers: dict[Any, Any] = {}
    lock = threading.Lock()  # the runtime builds savers in worker threads

    def checkpointer(*args: Any, unpack_hook: Any = None, **kwargs: Any) -> Any:
        memory = upstream()
        if hasattr(memory.blobs, "filename"):  # not with LANGGRAPH_DISABLE_FILE_PERSISTENCE
            FLUSHER.journaled(memory.storage, Nested(3))  # thread, namespace, checkpoint id
            FLUSHER.journaled(memory.writes, Nested(2))  # (thread, namespace, id), (task, index)
            FLUSHER.journaled(memory.blobs, FLAT)
        if unpack_hook is None:
            return memory
        with lock:
            if (saver := savers.get(unpack_hook)) is None:
                # Built on plain dicts, read at call time: nothing loaded, nothing registered.
                persistence_off, module.DISABLE_FILE_PERSISTENCE = (
                    module.DISABLE_FILE_PERSISTENCE,
                    True,
                )
                try:
                    saver = savers[unpack_hook] = upstream(*args, unpack_hook=unpack_hook, **kwargs)
                finally:
                    module.DISABLE_FILE_PERSISTENCE = persistence_off
            saver.storage, saver.writes, saver.blobs = memory.storage, memory.writes, memory.blobs
        return saver

    return checkpointer


def _deleting_in_place(upstream: Callable[..., Any]) -> Callable[..., Any]:
    async def delete_checkpoints(
        thread_id: str | UUID, conn: Any, run_id: str | UUID | None = None
    ) -> None:
        from langgraph_api import config

        if config.USE_CUSTOM_CHECKPOINTER or run_id is not None:
            await upstream(thread_id, conn, run_id=run_id)
        else:
            from langgraph_runtime_inmem.checkpoint import Checkpointer

            Checkpointer().delete_thread(str(thread_id))  # storage, writes and blobs, in place
        _prune_retry_counter(conn)
        _forget_streams(thread_id, run_id)

    return delete_checkpoints


def _forget_streams(thread_id: str | UUID, run_id: str | UUID | None) -> None:
    """Every event of a resumable run stays in ``StreamManager.message_stores`` (for a late
    ``join``) until the server stops; a deleted thread's or run's go with it."""
    from langgraph_runtime_inmem.inmem_stream import get_stream_manager

    manager = get_stream_manager()
    thread = UUID(str(thread_id))
    if run_id is not None:
        run = UUID(str(run_id))
        for table in (manager.message_stores, manager.control_keys):
            table.get(thread, {}).pop(run, None)
        return
    for table in (manager.message_stores, manager.control_keys):
        table.pop(thread, None)
    for table in (manager.queues, manager.control_queues):  # a live subscriber keeps its own
        if not any(table.get(thread, {}).values()):
            table.pop(thread, None)


def _prune_retry_counter(conn: Any) -> None:
    live = {run["run_id"] for run in conn.store["runs"]}
    counter = conn.retry_counter
    for run_id in [r for r in counter._counters if r not in live]:
        del counter._counters[run_id]
        counter._locks.pop(run_id, None)


def _flushed_when_done(upstream: Callable[..., Any]) -> Callable[..., Any]:
    """``set_joint_status`` ends every run (success, error, interrupted, before its stream's
    end): its status is written once the run's streams have taken what it published, then
    the run's checkpoints and status reach the disk together.

    The order matters: ``Runs.Stream.join``, idle for 0.5 s (a stalled provider), reads the
    run's status and stops at a final one without taking what is still in its queue. Written
    first, the status of a run that failed then hid its ``error`` event from its own stream
    (docs/upstream.md, item 12)."""

    async def set_joint_status(*args: Any, **kwargs: Any) -> Any:
        given = dict(zip(("conn", "thread_id", "run_id"), args, strict=False)) | kwargs
        await _delivered(given.get("thread_id"), given.get("run_id"))
        result = await upstream(*args, **kwargs)
        await FLUSHER.flush()
        return result

    return set_joint_status


async def _delivered(thread_id: Any, run_id: Any) -> None:
    """Until the run's subscribers (its thread's event streams, ``join``s) have taken every
    event it published, for at most :data:`DELIVER_SECONDS`. A flush pickles every store with
    the GIL held in turns: started while a page was still being sent an answer's last tokens,
    it slowed them (on a server that had served 600 runs, a 5,000-token answer's last token
    came ~170 ms later in the web app)."""
    from langgraph_runtime_inmem.inmem_stream import get_stream_manager

    if thread_id is None or run_id is None:
        return
    queues = get_stream_manager().queues.get(UUID(str(thread_id)), {}).get(UUID(str(run_id)), [])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DELIVER_SECONDS
    # Polled: a queue tells no one when it is emptied.
    while any(not queue.empty() for queue in queues) and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.005)
