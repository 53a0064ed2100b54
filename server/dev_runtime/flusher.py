"""Writing ``langgraph dev``'s stores to disk without holding every other user's stream.

The checkpoint blobs hold every version of every channel (140 MB pickled, for the soak's
200-turn thread and 20 users), and upstream pickled all of it in one C call (the GIL held
throughout, 100-340 ms in which no token was sent) every 10 s, and here at every run's end. So:
- a store whose shape is known (``journal.py``: the ops store, the checkpoints, writes and
  blobs) is journaled: a flush appends the entries added, changed and removed since the last
  one to ``<file>.journal`` (one run's), replayed after the file at start-up and folded into
  it when it outgrows the file and at shutdown;
- every write pickles a copy of the store's dicts and lists, as deep as the server changes them
  in place (each copied in one C call, which no request can interleave), into a sink whose
  ``write`` is Python code: the pickler calls it every few hundred kB, and the interpreter can
  hand the GIL to the event loop each time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import pickle
import threading
import weakref
from collections import defaultdict
from typing import Any

from server.dev_runtime.journal import (
    Entries,
    Shape,
    Unshaped,
    diff,
    journal_of,
    replaying_on_load,
)

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 10.0
"""Upstream's flush interval, kept for changes made outside runs (threads, store items)."""
ATTEMPTS = 3
"""A store's objects that are not copied can still change while pickled; the next try passes."""
JOURNAL_MIN_BYTES = 8 * 2**20
"""A journal is folded into its file once it is larger than the file and than this."""
_COPIED = (dict, defaultdict, list)
SNAPSHOT_DEPTH = 3
"""How deep the server changes its stores in place: a store's dict, its lists or dicts (the
runs, the threads; the checkpoints of a thread), and each of their items (a run's status, a
namespace's checkpoints). Deeper values are replaced, never changed (a thread's metadata,
values), so they are shared. On a server that had served 600 runs, copying every level of the
runs and threads took 7.7 ms of their 35 ms flush, three levels 0.2 ms."""


class _Sink:
    """A file the pickler writes to in pieces, each a chance for the GIL to change hands."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self._digest = hashlib.blake2b(digest_size=16)

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self._digest.update(chunk)
        return len(chunk)

    def digest(self) -> bytes:
        return self._digest.digest()


def snapshot(value: Any, depth: int = SNAPSHOT_DEPTH) -> Any:
    """``value`` with its dicts and lists copied ``depth`` levels down, and the rest shared."""
    if depth <= 1:
        return value.copy()
    if type(value) is list:
        return [
            snapshot(item, depth - 1) if type(item) in _COPIED else item for item in value.copy()
        ]
    copy = value.copy()
    for key, item in copy.items():
        if type(item) in _COPIED:
            copy[key] = snapshot(item, depth - 1)  # an existing key: the copy keeps its size
    return copy


def _pickled(value: Any) -> _Sink:
    sink = _Sink()
    pickle.Pickler(sink, protocol=5).dump(value)
    return sink


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
        self._journaled: dict[str, tuple[Shape, Entries | None]] = {}
        """A journaled store's shape, and its entries as its file and journal hold them (None:
        not known yet, the next flush writes it whole)."""
        self._waiters: list[tuple[int, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        """Each :meth:`flush` waiting, by the request it waits for: a future its loop resolves.
        Waiting in a pool thread, 50 runs ending at once held the default pool's threads (6
        here) ahead of what the server sends there (a large event's serialization)."""

    def register(self, store: Any) -> None:
        """Takes a store on, before upstream loads it (its journal is replayed after)."""
        replaying_on_load(store)
        with self._cond:
            self._stores[store.filename] = weakref.ref(store)
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="dev-flush", daemon=True)
                self._thread.start()

    def journaled(self, store: Any, shape: Shape, *, loaded: bool = True) -> None:
        """From now on ``store``'s flushes append what changed to its journal. ``loaded``: it
        holds what its file and journal hold; else it is loaded later (its journal replayed
        then), and the first flush writes it whole."""
        if not loaded:
            replaying_on_load(store)
        with self._cond:
            if store.filename not in self._journaled:
                held = _entries(store, shape) if loaded else None
                self._journaled[store.filename] = (shape, held)

    async def flush(self) -> None:
        """Returns once everything changed before the call is on disk."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        with self._cond:
            if self._thread is None:
                return
            self._requested += 1
            self._waiters.append((self._requested, loop, done))
            self._cond.notify_all()
        await done

    def stop(self) -> None:
        """The last flush, journals folded into their files, then the thread ends."""
        with self._cond:
            thread, self._thread = self._thread, None
            self._stopping = True
            self._cond.notify_all()
        if thread is not None:
            thread.join()
        with self._cond:
            waiting, self._waiters = self._waiters, []
        _wake(waiting)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(
                    lambda: self._requested > self._done or self._stopping, INTERVAL_SECONDS
                )
                wanted, stopping = self._requested, self._stopping
                stores = [ref() for ref in self._stores.values()]
            outgrown = []
            for store in stores:
                if store is None:
                    continue
                if store.filename in self._journaled and not stopping:
                    if self._append(store):
                        outgrown.append(store)
                else:
                    self._write(store)
            with self._cond:
                self._done = max(self._done, wanted)
                served = [w for w in self._waiters if w[0] <= self._done]
                self._waiters = [w for w in self._waiters if w[0] > self._done]
            _wake(served)
            if stopping:
                return
            for store in outgrown:  # after the waiting runs are told: folding takes a while
                self._write(store)

    def _append(self, store: Any) -> bool:
        """True when the journal has outgrown the file and should be folded into it."""
        shape, written = self._journaled[store.filename]
        if written is None or not os.path.exists(store.filename):
            self._write(store)  # upstream loads a journal only after its file
            return False
        try:
            current = _entries(store, shape)
        except (Unshaped, RuntimeError):  # RuntimeError: changed size while copied
            self._write(store)
            return False
        added, removed = diff(shape, written, current)
        if not added and not removed:
            return False
        if not shape.appendable(written, current):
            self._write(store)
            return False
        try:
            record = _pickled((shape.kind, added, removed))
        except Exception:  # a value changed while pickled: written whole, with retries
            self._write(store)
            return False
        path = journal_of(store.filename)
        try:
            with open(path, "ab") as file:
                file.writelines(record.parts)
                size = file.tell()
        except OSError:
            logger.exception("Could not append to %s", path)
            return False
        self._journaled[store.filename] = (shape, current)
        return size > max(JOURNAL_MIN_BYTES, _size(store.filename))

    def _write(self, store: Any) -> None:
        """What ``PersistentDict.sync`` writes, unless the file holds it already: upstream
        rewrote every store every 10 s, and each write made ``langgraph dev``'s reloader log
        a change."""
        shape = self._journaled.get(store.filename, (None, None))[0]
        depth = max(SNAPSHOT_DEPTH, shape.depth if shape else 0)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                copy = snapshot(dict(store), depth)
                sink = _pickled(copy)
                break
            except RuntimeError as exc:  # changed size while pickled: the server wrote to it
                if attempt == ATTEMPTS:
                    logger.warning("Could not write %s this time: %s", store.filename, exc)
                    return
            except Exception:
                logger.exception("Could not write %s", store.filename)
                return
        journal = journal_of(store.filename)
        digest = sink.digest()
        if self._written.get(store.filename) != digest:
            temporary = f"{store.filename}.tmp"
            try:
                with open(temporary, "wb") as file:
                    file.writelines(sink.parts)
                os.replace(temporary, store.filename)
            except OSError:
                logger.exception("Could not write %s", store.filename)
                return
            self._written[store.filename] = digest
        if os.path.exists(journal):
            os.remove(journal)  # after the file holds it all: a replay of it changes nothing
        if shape is not None:
            try:
                self._journaled[store.filename] = (shape, shape.entries(copy))
            except Unshaped:
                self._journaled[store.filename] = (shape, None)


def _wake(waiters: list[tuple[int, asyncio.AbstractEventLoop, asyncio.Future[None]]]) -> None:
    for _, loop, done in waiters:
        with contextlib.suppress(RuntimeError):  # its loop has closed: no one waits
            loop.call_soon_threadsafe(_resolve, done)


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():  # else cancelled: its caller stopped waiting
        done.set_result(None)


def _entries(store: Any, shape: Shape) -> Entries:
    """``store``'s entries, from a copy as deep as its shape needs (``dict(store)`` and each
    level's copy are one C call each, which no request can interleave)."""
    copy = dict(store)
    return shape.entries(snapshot(copy, shape.depth) if shape.depth > 1 else copy)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


FLUSHER = Flusher()
