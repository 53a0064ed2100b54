"""How a run's events are serialized and published, one per token, in langgraph-api 0.16.7's
``stream._consume_inline`` (``langgraph dev`` never sets ``FF_ASYNC_PUBLISH_QUEUE``).

Upstream serializes every event in the thread pool (a thread hop per token), times each publish
and records each event's size for metrics ``langgraph dev`` drops (``metrics-tier``), and
``Runs.Stream.publish`` imports its codec and builds the run's topic again for every event.
Here small events are serialized on the loop, the metrics are left out only while the reporter
would drop them, and the topic is built once per run. Events of the large modes keep the hop;
errors are handled as upstream handles them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing, suppress
from typing import Any

SMALL_EVENTS = frozenset({"messages", "custom", "metadata", "tools", "lifecycle"})
"""Stream modes whose events are small by construction: a token, a progress report, a tool's
start or end. ``values``, ``updates``, ``checkpoints`` and ``tasks`` can hold the whole state."""


def apply() -> None:
    from langgraph_api import metrics_otlp, stream
    from langgraph_api.serde import json_dumpb
    from langgraph_api.utils.stream_codec import STREAM_CODEC
    from langgraph_runtime_inmem.inmem_stream import Message, get_stream_manager

    upstream = stream._consume_inline
    metrics = (metrics_otlp.LATENCY_STREAM_PUBLISH, metrics_otlp.HISTOGRAM_STREAM_DATA_SIZE)

    async def consume_inline(
        events: AsyncIterator[Any],
        run_id: Any,
        resumable: bool,
        stream_modes: set[str],
        *,
        thread_id: Any,
        reporter: Any,
    ) -> None:
        if any(reporter._should_emit(metric) for metric in metrics):
            await upstream(
                events, run_id, resumable, stream_modes, thread_id=thread_id, reporter=reporter
            )
            return
        topic = f"run:{run_id}:stream".encode()  # ``Runs.Stream.publish``'s, for every event
        manager = get_stream_manager()
        async with aclosing(events):  # type: ignore[type-var]
            try:
                async for mode, payload in events:
                    kind = mode.split("|", 1)[0]
                    if kind in SMALL_EVENTS:
                        data = json_dumpb(payload)
                    else:
                        data = await stream.run_in_executor(None, json_dumpb, payload)
                    message = Message(topic=topic, data=STREAM_CODEC.encode(mode, data))
                    keep = resumable and kind in stream_modes
                    await manager.put(run_id, thread_id, message, keep)
            except Exception as e:
                if isinstance(e, ExceptionGroup):
                    e = e.exceptions[0]
                if isinstance(e, stream.StreamPublishException):  # upstream's handling, as is
                    with suppress(Exception):
                        await stream.Runs.Stream.publish(
                            run_id,
                            "error",
                            await stream.run_in_executor(None, json_dumpb, e),
                            thread_id=thread_id,
                        )
                    await stream.logger.aerror(
                        "Suppressing stream consume exception",
                        run_id=str(run_id),
                        thread_id=str(thread_id),
                        error_type=type(e).__name__,
                        error=str(e),
                    )
                    reporter.inc_counter(metrics_otlp.COUNTER_STREAMING_DATA_LOSS)
                    return
                raise e

    stream._consume_inline = consume_inline
