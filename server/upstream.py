"""Workarounds for upstream bugs, each naming the version it was seen in and when to delete it.

langgraph-api 0.16.7: ``POST /store/items/search`` without ``namespace_prefix`` raises a
``KeyError`` before any auth handler runs (``api/store.py`` ``search_items``), so a request of
``{}`` answers 500. Delete :class:`RequireStoreNamespace` once that body gets a 422 upstream
(``tests/test_security.py`` checks the 422 either way).

langgraph-api 0.16.7: ``run.start`` over ``/threads/{id}/commands`` (every ``useStream`` of
``@langchain/react``) turns its input into ``Command(resume=<input>)`` whenever the thread has a
pending interrupt or its last run was interrupted (``event_streaming/service.py``
``_create_or_resume_run``), so a new message on a paused or stopped thread becomes a malformed
decision. :func:`new_message_not_resume` puts it back as the input, as the runs API would have
it. Delete when ``run.start`` keeps its input (``tests/test_protocols.py`` checks either way).

langgraph-api 0.16.7 with langgraph-runtime-inmem 0.36.7: ``@langchain/react``'s WebSocket
transport opens ``/threads/<new id>/stream/events`` before its first ``run.start``; the stream's
auth check (``Threads.Stream.check_thread_stream_auth``) finds no thread under the owner filter
and the socket closes with 1011. :class:`OpenNewThreadStreams` creates the thread first, as the
caller (so it is theirs; another user's thread stays 404 to them). Delete when a stream may open
before its thread exists (``tests/test_thread_streams.py`` checks either way). It creates no
thread this process saw deleted: a page still showing it (the one that deleted it, or another
tab) reconnects its stream when the delete closes it, and would bring the thread back empty. A
thread is noted from the moment its delete arrives (the page's streams reopen at that moment,
as its chat unmounts), and a delete waits for a creation of the same thread under way.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import OrderedDict
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.asgi import ask_as_caller, peek_json
from server.identity import Unauthorized, identify

_SEARCH = "/store/items/search"
_THREAD_STREAM = re.compile(
    r"/threads/([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})/stream/events"
)
_CALLER = {b"x-api-key", b"authorization", b"x-agent-ticket", b"origin"}
"""The headers that say who the caller is, forwarded to the in-process thread creation."""
_V2 = "__event_streaming_v2"
"""``EVENT_STREAMING_V2_CONFIG_KEY``: the server marks the config of every run.start with it."""


class RequireStoreNamespace:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != _SEARCH
            or scope["method"] != "POST"
            or not _authenticated(scope)  # LangGraph's auth answers 401 first
        ):
            return await self.app(scope, receive, send)
        payload, replay = await peek_json(receive)
        if isinstance(payload, dict) and "namespace_prefix" not in payload:
            detail = "Name a namespace_prefix: it must start with your user id."
            return await JSONResponse({"detail": detail}, 422)(scope, replay, send)
        await self.app(scope, replay, send)


def _authenticated(scope: Scope) -> bool:
    try:
        identify(dict(scope["headers"]), scope["path"])
    except Unauthorized:
        return False
    return True


def new_message_not_resume(kwargs: dict[str, Any]) -> None:
    """A ``run.start`` whose new message the server made a resume gets it back as its input.

    ``input.respond`` resumes are keyed by interrupt ids, which are hashes, never ``messages``.
    """
    config = kwargs.get("config")
    configurable = config.get("configurable") if isinstance(config, dict) else None
    command = kwargs.get("command")
    if not (isinstance(configurable, dict) and configurable.get(_V2)):
        return
    if not isinstance(command, dict) or set(command) != {"resume"}:
        return
    resume = command["resume"]
    if isinstance(resume, dict) and set(resume) == {"messages"} and kwargs.get("input") is None:
        kwargs["input"] = resume
        kwargs["command"] = None


_THREAD = re.compile(r"/threads/([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})")
_DELETED_KEPT = 10_000
"""Deleted thread ids remembered, newest kept: a page reconnects within seconds."""


class OpenNewThreadStreams:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.deleted: OrderedDict[str, None] = OrderedDict()
        self.creating: dict[str, asyncio.Task[None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] == "http"
            and scope.get("method") == "DELETE"
            and (deleting := _THREAD.fullmatch(path))
        ):
            return await self._delete(deleting[1].lower(), scope, receive, send)
        found = _THREAD_STREAM.fullmatch(path) if "path" in scope else None
        opening = scope["type"] == "websocket" or scope.get("method") == "POST"
        thread_id = found[1].lower() if found else ""
        if found and opening and thread_id not in self.deleted and _authenticated(scope):
            await asyncio.shield(self._creation(scope, found[1], thread_id))
        await self.app(scope, receive, send)

    def _creation(self, scope: Scope, raw_id: str, thread_id: str) -> asyncio.Task[None]:
        """The creation of the thread under way, else a new one: the streams a page opens at
        once share one, and a delete waits for the only one there is."""
        if (creating := self.creating.get(thread_id)) is None:
            creating = asyncio.ensure_future(self._create_thread(scope, raw_id))
            self.creating[thread_id] = creating
            creating.add_done_callback(lambda _: self.creating.pop(thread_id, None))
        return creating

    async def _delete(self, thread_id: str, scope: Scope, receive: Receive, send: Send) -> None:
        """Read first, as the caller: langgraph-runtime-inmem 0.36.7 ``Threads.delete`` raises
        ``UnboundLocalError`` (500) for a thread that does not exist, where a read answers 404.
        Then noted as deleted before it is (a stream opening meanwhile must not bring it back),
        after any creation of it under way; forgotten again if the server does not delete it."""
        start, answer = await ask_as_caller(self.app, scope, "GET")
        if start.get("status") != 200:
            await send(start)
            return await send({"type": "http.response.body", "body": answer})
        self.deleted[thread_id] = None
        while len(self.deleted) > _DELETED_KEPT:
            self.deleted.popitem(last=False)
        if creating := self.creating.get(thread_id):
            await asyncio.wait([creating])

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and not 200 <= message["status"] < 300:
                self.deleted.pop(thread_id, None)
            await send(message)

        await self.app(scope, receive, sending)

    async def _create_thread(self, scope: Scope, thread_id: str) -> None:
        """``POST /threads`` in-process with the caller's credentials; an existing thread,
        theirs or not, is left as it is (``if_exists: do_nothing``)."""
        body = json.dumps({"thread_id": thread_id, "if_exists": "do_nothing"}).encode()
        headers = [(k, v) for k, v in scope["headers"] if k.lower() in _CALLER]
        inner = {
            **{k: scope[k] for k in ("asgi", "client", "server", "root_path", "app") if k in scope},
            "type": "http",
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/threads",
            "raw_path": b"/threads",
            "query_string": b"",
            "state": dict(scope.get("state", {})),
            "headers": [
                *headers,
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
        sent = asyncio.Event()

        async def request() -> Message:
            if not sent.is_set():
                sent.set()
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the client stays connected until the reply is out
            return {"type": "http.disconnect"}

        async def ignore(_message: Message) -> None:
            return None

        await self.app(inner, request, ignore)
