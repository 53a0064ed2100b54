"""A thread event stream's root tokens, wrapped for the wire in one step.

langgraph-api 0.16.7 ``event_streaming/session.py``: a token on its way to a page's thread
event stream goes through ``_handle_source_event`` (two context variables set and reset),
``_dispatch_source_event``, ``_handle_normalized_event`` and ``_create_event`` to be wrapped,
then ``_push_event`` and ``_send_json``, which serializes the wrapped event only for
``ThreadRunManager``'s ``send`` (``event_streaming/service.py``) to parse it back into the dict
it was. For a root ``messages`` event, which none of those steps changes beyond the wrapping,
this builds the same envelope (same ``seq``, ``event_id``, key order and timestamp rule) in one
function, buffers it for replay as upstream does, and hands the dict itself to the stream.
Every other event, and a token whose shape differs in any way, takes upstream's path.
"""

from __future__ import annotations

import inspect
import time
from typing import Any

_DELIVER = "deliver"
"""The attribute a thread manager's ``send`` carries: the same delivery, given the dict."""


def apply() -> None:
    import orjson
    from langgraph_api import metrics_otlp
    from langgraph_api.event_streaming import service, session

    from server.dev_runtime.stream_costs import tokens_unwanted, trim_replay_buffer

    Manager, Session = service.ThreadRunManager, session.EventStreamingSession
    make_send, ingest = Manager._make_send, Session.ingest_source_event

    def _make_send(self: Any) -> Any:
        send = make_send(self)

        async def deliver(event: dict[str, Any]) -> None:  # upstream's ``send``, minus the parse
            self._seq = max(self._seq, event.get("seq", self._seq))
            sink = self._send_event
            if sink is None:
                self._queued_events.append(event)
            elif inspect.iscoroutinefunction(sink):
                await sink(event)
            else:
                sink(event)

        setattr(send, _DELIVER, deliver)
        return send

    async def push(self: Any, event: dict[str, Any]) -> None:
        """``_push_event`` for an event that is JSON by construction (it was just parsed)."""
        trim_replay_buffer(self)
        self._buffer.append(event)
        reporter = metrics_otlp.get_otlp_metrics_reporter()
        reporter.inc_counter(
            metrics_otlp.COUNTER_PROTOCOL_V2_EVENT_EMITTED, attributes={"method": "messages"}
        )
        reporter.record_gauge(metrics_otlp.GAUGE_PROTOCOL_V2_BUFFER_SIZE, float(len(self._buffer)))
        for subscription in self.subscriptions.values():
            if subscription.active and self._matches_subscription(subscription, event):
                deliver = getattr(self._send, _DELIVER, None)
                if deliver is None or self._transport_broken:
                    await self._send_json(event)
                else:
                    try:
                        await deliver(event)
                    except Exception:
                        self._transport_broken = True  # as upstream's ``_send_json`` marks it
                return

    async def ingest_source_event(self: Any, event: tuple[bytes, bytes, Any]) -> None:
        name, message, stream_id = event
        if name != b"messages" or not stream_id or tokens_unwanted(self):
            await ingest(self, event)
            return
        data = orjson.loads(message)
        params = data.get("params") if isinstance(data, dict) else None
        if (
            not isinstance(params, dict)
            or data.get("type") != "event"
            or data.get("method") != "messages"
            or params.get("namespace")
        ):
            await ingest(self, event)
            return
        source_id = stream_id.decode("utf-8")
        index = self._stream_id_counts.get(source_id, 0)
        self._stream_id_counts[source_id] = index + 1
        self._next_seq += 1
        timestamp = params.get("timestamp")
        wrapped: dict[str, Any] = {
            "namespace": [],
            "timestamp": timestamp if isinstance(timestamp, int) else int(time.time() * 1000),
            "data": params.get("data"),
        }
        node = params.get("node")
        if isinstance(node, str) and node:
            wrapped["node"] = node
        await push(
            self,
            {
                "type": "event",
                "event_id": source_id if index == 0 else f"{source_id}.{index}",
                "seq": self._next_seq,
                "method": "messages",
                "params": wrapped,
            },
        )

    Manager._make_send = _make_send
    Session.ingest_source_event = ingest_source_event
