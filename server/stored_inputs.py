"""Every write that stores what a caller sent is bounded, not only a run's input.

langgraph-api 0.16.7 stores metadata (threads, assistants, runs, crons), store items, state
updates, decisions and assistants' settings as they come: a 40 MB ``edit.args`` in a resume was
accepted (the text stored three times, the server's memory 329 → 954 MB from one request), and
so were 5 MB of metadata or a 3 MB message sent through ``POST /threads/{id}/state``. This
middleware reads each write's JSON before the server does and refuses, with nothing stored:

- a body over ``AGENT_MAX_BODY_BYTES`` (413);
- ``metadata`` over ``AGENT_MAX_METADATA_BYTES`` of JSON, anywhere it is stored (422);
- a store item's ``value``, or a ``config``, over ``AGENT_MAX_STORED_VALUE_BYTES`` (422; a
  ``context``, of runs and assistants alike, is checked setting by setting);
- decisions (``command.resume``) over twice the message cap, and messages written into a
  thread by ``command.update`` (either form) or ``POST /threads/{id}/state`` that the run
  checks refuse (422);
- a ``recursion_limit`` over ``AGENT_MAX_RECURSION_LIMIT`` (422);
- a thread's name (``metadata.title`` of a thread, or of a run that may create its thread) that
  is empty, over ``AGENT_MAX_TITLE_CHARS`` or not one line of text (422);
- a ``webhook`` the server must not call (:func:`server.webhooks.check_webhook`, 422).

Messages written through ``POST /threads/{id}/state`` get the server's time
(``additional_kwargs.sent_at``), as a run's messages do in :mod:`server.admission`.

A cron update is first checked for ownership (another user's cron answers 404, as a read of it
would): langgraph-api 0.16.7's ``patch_cron`` resolves a webhook's host before ``Crons.update``
applies the owner filter, so anyone could make the server look up a name through another
user's cron id.

One read and one parse of the body serve every check, before langgraph-api's own. A refusal
answers outside langgraph-api's CORS layer, so it carries the CORS header itself: a web page
(whose origin :mod:`server.guard` has already allowed) can read why, e.g. a rename's 422.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from agent.times import now, stamp_raw
from server.asgi import ask_as_caller, read_body, replay
from server.run_checks import check_messages
from server.settings import settings
from server.validation import InputError, check_title
from server.webhooks import check_webhook

_WRITES = frozenset({"POST", "PUT", "PATCH"})
_STORED = re.compile(r"^/(threads|assistants|runs|store)(/|$)")
_STATE = re.compile(r"^/threads/[^/]+/state$")
_CRON = re.compile(r"^/runs/crons/[^/]+/?$")
_NAMES_THREADS = re.compile(r"^/(threads|runs)(/|$)")


class StoredInputCaps:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.limits = settings().limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] not in _WRITES or not _STORED.match(path):
            return await self.app(scope, receive, send)
        if scope["method"] == "PATCH" and _CRON.match(path):
            start, answer = await ask_as_caller(self.app, scope, "GET")
            if start.get("status") != 200:
                await send(start)
                return await send({"type": "http.response.body", "body": answer})
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limits.write_bytes:
            return await _refuse(scope, receive, send, 413, self._too_large())
        body = await read_body(receive)
        if len(body) > self.limits.write_bytes:
            return await _refuse(scope, receive, send, 413, self._too_large())
        try:
            payload = json.loads(body) if body else None
        except (ValueError, RecursionError):
            payload = None  # the server's own validation answers malformed JSON
        try:
            for item in payload if isinstance(payload, list) else [payload]:
                if isinstance(item, dict):
                    self._check(item, path)
                    if isinstance(item.get("params"), dict):  # the newer protocol's commands
                        self._check(item["params"], path)
        except InputError as exc:
            return await _refuse(scope, receive, send, 422, str(exc))
        if _STATE.match(path) and isinstance(payload, dict) and _stamp_state(payload):
            body = json.dumps(payload).encode()
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
            scope = {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        await self.app(scope, replay(body, receive), send)

    def _too_large(self) -> str:
        return f"the request is over {self.limits.write_bytes} bytes (AGENT_MAX_BODY_BYTES)"

    def _check(self, item: dict[str, Any], path: str) -> None:
        limits = self.limits
        check_webhook(item.get("webhook"))
        metadata = item.get("metadata")
        _bounded(metadata, "metadata", limits.metadata_bytes)
        if isinstance(metadata, dict) and "title" in metadata and _NAMES_THREADS.match(path):
            check_title(metadata["title"], limits.title_chars)
        _bounded(item.get("config"), "config", limits.value_bytes)
        if path.startswith("/store"):
            _bounded(item.get("value"), "value", limits.value_bytes)
        config = item.get("config")
        limit = config.get("recursion_limit") if isinstance(config, dict) else None
        if isinstance(limit, int) and limit > limits.recursion_limit:
            raise InputError(
                f"config.recursion_limit is {limit}; the limit is {limits.recursion_limit}"
            )
        command = item.get("command")
        if isinstance(command, dict):
            _bounded(command.get("resume"), "command.resume", 2 * limits.message_chars)
            for field, messages in _update_messages(command.get("update")):
                check_messages(messages, f"command.update.{field}", limits)
        values = item.get("values")
        if _STATE.match(path) and isinstance(values, dict) and values.get("messages"):
            check_messages(values["messages"], "values.messages", limits)


def _stamp_state(payload: dict[str, Any]) -> bool:
    """Messages written through ``POST /threads/{id}/state`` carry the server's time, as a run's
    do (:mod:`agent.times`), not one the client chose; True if any were."""
    values = payload.get("values")
    if not isinstance(values, dict) or not values.get("messages"):
        return False
    raw = values["messages"]
    at = now()
    values["messages"] = [stamp_raw(m, at) for m in (raw if isinstance(raw, list) else [raw])]
    return True


def _update_messages(update: object) -> list[tuple[str, object]]:
    """``messages`` in ``command.update``, as an object or as ``[[key, value], ...]``."""
    if isinstance(update, dict):
        return [("messages", update["messages"])] if update.get("messages") else []
    if isinstance(update, list):
        return [
            ("messages", pair[1])
            for pair in update
            if isinstance(pair, list | tuple)
            and len(pair) == 2
            and pair[0] == "messages"
            and pair[1]
        ]
    return []


def _bounded(value: object, name: str, limit: int) -> None:
    if value is None:
        return
    size = len(json.dumps(value, ensure_ascii=False))
    if size > limit:
        raise InputError(f"{name} is {size} characters of JSON; the limit is {limit}")


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    origin = dict(scope["headers"]).get(b"origin")
    headers = (
        {"Access-Control-Allow-Origin": origin.decode("latin-1"), "Vary": "Origin"}
        if origin is not None
        else None
    )
    await JSONResponse({"detail": detail}, status, headers)(scope, receive, send)
