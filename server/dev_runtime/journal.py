"""The shapes of ``langgraph dev``'s stores, so that a flush writes what changed, not each
store whole.

Upstream pickles every store whole: the runs and threads, every checkpoint and every write of
every thread. On a server that had served 600 runs, the flush that ends each run cost ~75 ms
of CPU (the flush thread holding the GIL in turns), and it grew with every run. A run changes
a few entries of each, so each store is seen as entries, and a flush appends the ones that
changed to the store's journal:
- :data:`FLAT`: a dict whose values are replaced, never changed (the checkpoint blobs);
- :class:`Nested`: dicts of dicts whose leaves are replaced (the checkpoints: thread,
  namespace, id; the writes: (thread, namespace, id), (task, index));
- :data:`ROWS`: the ops store, lists of rows (runs, threads, ...) each with its id, rows
  appended or removed and their fields set.

A record is ``(kind, added, removed)``; :func:`replay` applies a journal's records, in order,
to the store its file was loaded into.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Hashable, Iterable
from typing import Any, Protocol
from uuid import UUID

logger = logging.getLogger(__name__)

Entries = dict[Any, Any]
"""Keys: a flat store's own, a path of keys, or (list, id)."""


class Unshaped(Exception):
    """The store holds something its shape does not know: write it whole."""


class Shape(Protocol):
    kind: str
    depth: int
    """How deep ``flusher.snapshot`` copies the store before :meth:`entries` reads it."""
    by_identity: bool
    """Entries are the same when they are the same object (else: when equal)."""

    def entries(self, snapshot: dict[Any, Any]) -> Entries: ...

    def written(self, entry: Any) -> Any:
        """What the journal holds for an entry."""
        ...

    def appendable(self, written: Entries, current: Entries) -> bool:
        """Whether the records rebuild ``current`` from ``written`` (rows keep their order)."""
        ...


class _Flat:
    kind = "flat"
    depth = 1
    by_identity = True

    def entries(self, snapshot: dict[Any, Any]) -> Entries:
        return snapshot

    def written(self, entry: Any) -> Any:
        return entry

    def appendable(self, written: Entries, current: Entries) -> bool:
        return True


class Nested(_Flat):
    """``depth`` levels of dicts; an entry is the path of keys to a leaf."""

    kind = "nested"

    def __init__(self, depth: int) -> None:
        self.depth = depth

    def entries(self, snapshot: dict[Any, Any]) -> Entries:
        found: Entries = {}
        level: list[tuple[tuple[Any, ...], Any]] = [((), snapshot)]
        for _ in range(self.depth - 1):
            level = [((*path, k), v) for path, d in level for k, v in d.items()]
        for path, leaves in level:
            for key, leaf in leaves.items():
                found[(*path, key)] = leaf
        return found


ROW_IDS = {
    "runs": ("run_id",),
    "threads": ("thread_id",),
    "assistants": ("assistant_id",),
    "assistant_versions": ("assistant_id", "version"),
    "crons": ("cron_id",),
}
"""The ops store's lists (langgraph-runtime-inmem 0.36.7 ``database.GlobalStore``) and the
fields that name a row of each."""


class _Rows:
    """Entries ``(list, id) -> the row's (field, value) pairs``, compared by equality: the
    server sets rows' fields in place. It sets a field's own only with others of the row
    (``set_joint_status``: ``thread["metadata"]["graph_id"]`` with the thread's status), so a
    changed row is written as a copy two levels deep."""

    kind = "rows"
    depth = 2
    by_identity = False

    def entries(self, snapshot: dict[Any, Any]) -> Entries:
        found: Entries = {}
        for name, rows in snapshot.items():
            if name not in ROW_IDS or type(rows) is not list:
                raise Unshaped(name)
            fields = ROW_IDS[name]
            try:
                for row in rows:
                    found[_row_key(name, row, fields)] = tuple(row.items())
            except (KeyError, TypeError, AttributeError) as exc:
                raise Unshaped(name) from exc
        return found

    def written(self, entry: Any) -> Any:
        return {key: _copy(value) for key, value in entry}

    def appendable(self, written: Entries, current: Entries) -> bool:
        """Replayed, a new row goes to the end of its list and a row keeps its place."""
        kept = [key for key in written if key in current]
        return _by_list(current) == _by_list(kept + [key for key in current if key not in written])


def _row_key(name: str, row: dict[str, Any], fields: tuple[str, ...]) -> tuple[Any, ...]:
    """A UUID stands as its int: ``UUID.__hash__`` is Python code, and every flush hashes
    every row's key."""
    if len(fields) == 1:
        value = row[fields[0]]
        return (name, value.int if type(value) is UUID else value)
    return (name, *(v.int if type(v) is UUID else v for v in (row[f] for f in fields)))


def _by_list(keys: Iterable[Any]) -> dict[Any, list[Any]]:
    lists: dict[Any, list[Any]] = {}
    for key in keys:
        lists.setdefault(key[0], []).append(key)
    return lists


FLAT = _Flat()
ROWS = _Rows()


def _copy(value: Any) -> Any:
    return value.copy() if type(value) in (dict, list) else value


def diff(shape: Shape, written: Entries, current: Entries) -> tuple[Entries, list[Any]]:
    """The entries to append (as the journal holds them), and the keys removed."""
    missing = object()
    if shape.by_identity:
        changed = [key for key, value in current.items() if written.get(key, missing) is not value]
    else:
        changed = [key for key, value in current.items() if written.get(key, missing) != value]
    added = {key: shape.written(current[key]) for key in changed}
    return added, [key for key in written if key not in current]


class Replayer:
    """Applies a journal's records, in order, to the store its file was loaded into."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lists: dict[str, dict[Hashable, Any]] | None = None

    def apply(self, record: tuple[Any, ...]) -> None:
        if len(record) == 2:  # written before records said their kind: flat
            record = ("flat", *record)
        kind, added, removed = record
        if kind == "rows":
            self._rows(added, removed)
        elif kind == "nested":
            self._nested(added, removed)
        else:
            for key in removed:
                self.store.pop(key, None)
            self.store.update(added)

    def finish(self) -> None:
        for name, rows in (self._lists or {}).items():
            self.store[name] = list(rows.values())

    def _nested(self, added: Entries, removed: list[Any]) -> None:
        for path in removed:
            parents = [self.store]
            for key in path[:-1]:
                if (child := parents[-1].get(key)) is None:
                    break
                parents.append(child)
            else:
                parents[-1].pop(path[-1], None)
                for key, parent in zip(reversed(path[:-1]), reversed(parents[:-1]), strict=True):
                    if parent.get(key) == {}:  # emptied: gone, as upstream deletes it
                        del parent[key]
        for path, leaf in added.items():
            container = self.store
            for key in path[:-1]:
                container = container[key]  # the store's default factories build the levels
            container[path[-1]] = leaf

    def _rows(self, added: Entries, removed: list[Any]) -> None:
        if self._lists is None:
            self._lists = {
                name: {_row_key(name, row, ROW_IDS[name]): row for row in rows}
                for name, rows in self.store.items()
                if name in ROW_IDS
            }
        for key in removed:
            self._lists.get(key[0], {}).pop(key, None)
        for key, row in added.items():
            self._lists.setdefault(key[0], {})[key] = row


def journal_of(filename: str) -> str:
    return f"{filename}.journal"


def replay(store: Any, path: str) -> bool:
    """Applies a journal to a loaded store; False when there is none. A record cut short by a
    kill ends the replay: what it held was never reported as saved."""
    try:
        file = open(path, "rb")
    except FileNotFoundError:
        return False
    replayer = Replayer(store)
    with file:
        while True:
            try:
                record = pickle.load(file)
            except EOFError:
                break
            except Exception as exc:
                logger.warning("%s ends in a record cut short (%s): the rest is skipped", path, exc)
                break
            replayer.apply(record)
    replayer.finish()
    return True


def replaying_on_load(store: Any) -> None:
    """Upstream loads a store right after registering it; its journal follows the file (a
    journal without a file is a server killed before its first fold)."""
    upstream = store.load
    if getattr(upstream, "replays_journal", False):
        return

    def load() -> None:
        try:
            upstream()
            found = True
        except FileNotFoundError:
            found = False
        if not replay(store, journal_of(store.filename)) and not found:
            raise FileNotFoundError(store.filename)

    load.replays_journal = True  # type: ignore[attr-defined]
    store.load = load
