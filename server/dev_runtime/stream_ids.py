"""Stream event ids that name one event each, in order.

langgraph-runtime-inmem 0.36.7 ``inmem_stream._generate_ms_seq_id`` gives every event the id
``"<ms>-0"``: all the events of one millisecond share it. A stream resumed from an id
(``runs.join_stream`` with ``last_event_id``, the SDK's reconnection with ``Last-Event-ID``)
replays what ``StreamManager.restore_messages`` finds with a greater id, so the events that
shared the last one's millisecond and had not arrived yet are never sent. Here the sequence
counts up within a millisecond (the clock read never goes back), zero-padded so that ids still
compare as strings, which is how upstream compares and sorts them.
"""

from __future__ import annotations

from time import time as clock

_WIDTH = 6
"""Digits of the sequence: a million events in one millisecond before ids stop sorting."""

_last = [0, -1]
"""The millisecond and the sequence of the last id given."""


def next_id() -> str:
    """``<ms>-<seq>``, greater than every id given before in this process."""
    ms = int(clock() * 1000)
    if ms <= _last[0]:
        ms, seq = _last[0], _last[1] + 1
    else:
        seq = 0
    _last[0], _last[1] = ms, seq
    return f"{ms}-{seq:0{_WIDTH}d}"


def apply() -> None:
    from langgraph_runtime_inmem import inmem_stream

    inmem_stream._generate_ms_seq_id = next_id
