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
that survives errors, flushes every 10 s as upstream does, and also when a run ends, before its
stream is told so; deletes in place, blobs, retry counters and stored stream events included.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import pickle
import threading
import weakref
from collections.abc import Callable
from typing import Any
from uuid import UUID

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 10.0
"""Upstream's flush interval, kept for changes made outside runs (threads, store items)."""
ATTEMPTS = 3
"""Pickling a dict the server changes meanwhile can fail; the next attempt usually passes."""


class Flusher:
    """Writes every registered store to disk, in one thread, on time and on request."""

    def __init__(self) -> None:
        self._stores: dict[str, weakref.ref[Any]] = {}
        self._cond = threading.Condition()
        self._requested = self._done = 0
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._written: dict[str, bytes] = {}
        """A digest of what each file holds, so an unchanged store is not written again."""

    def register(self, store: Any) -> None:
        with self._cond:
            self._stores[store.filename] = weakref.ref(store)
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="dev-flush", daemon=True)
                self._thread.start()

    async def flush(self) -> None:
        """Returns once everything changed before the call is on disk."""
        with self._cond:
            if self._thread is None:
                return
            self._requested += 1
            wanted = self._requested
            self._cond.notify_all()
        await asyncio.to_thread(self._wait_for, wanted)

    def stop(self) -> None:
        """The last flush, then the thread ends (the server's shutdown)."""
        with self._cond:
            thread, self._thread = self._thread, None
            self._stopping = True
            self._cond.notify_all()
        if thread is not None:
            thread.join()

    def _wait_for(self, wanted: int) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._done >= wanted or self._thread is None)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(
                    lambda: self._requested > self._done or self._stopping, INTERVAL_SECONDS
                )
                wanted, stopping = self._requested, self._stopping
                stores = [ref() for ref in self._stores.values()]
            for store in stores:
                if store is not None:
                    self._write(store)
            with self._cond:
                self._done = max(self._done, wanted)
                self._cond.notify_all()
            if stopping:
                return

    def _write(self, store: Any) -> None:
        """What ``PersistentDict.sync`` writes, unless the file holds it already: upstream
        rewrote every store every 10 s, and each write made ``langgraph dev``'s reloader log
        a change."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                data = pickle.dumps(dict(store), 2)
                break
            except RuntimeError as exc:  # changed size while pickled: the server wrote to it
                if attempt == ATTEMPTS:
                    logger.warning("Could not write %s this time: %s", store.filename, exc)
                    return
            except Exception:
                logger.exception("Could not write %s", store.filename)
                return
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if self._written.get(store.filename) == digest:
            return
        temporary = f"{store.filename}.tmp"
        try:
            with open(temporary, "wb") as file:
                file.write(data)
            os.replace(temporary, store.filename)
        except OSError:
            logger.exception("Could not write %s", store.filename)
            return
        self._written[store.filename] = digest


FLUSHER = Flusher()


def apply() -> None:
    from langgraph_runtime_inmem import _persistence, checkpoint, database, ops

    _take_over_flushing(_persistence, checkpoint, database)
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
    end): the run's checkpoints and its status reach the disk together."""

    async def set_joint_status(*args: Any, **kwargs: Any) -> Any:
        result = await upstream(*args, **kwargs)
        await FLUSHER.flush()
        return result

    return set_joint_status
