"""Async log calls write on the event loop, as the sync ones beside them do.

structlog 25.5.0's ``stdlib.BoundLogger.ainfo``/``adebug``/... (``_dispatch_to_sync``) send
every call to the loop's default thread pool, a disabled level included, and the caller waits
for a pool thread, for the GIL the loop holds, then for a turn of the loop. langgraph-api and
the in-memory runtime await three of them before a run's first token ("Creating thread",
"Starting background run", a debug line about ``BaseRemotePregel``) and more at its end. With
50 answers streaming, each took a loop that was busy with tokens: at 50 concurrent runs-API
streams, the first token's p95 was ~1.05 s with the hops and ~0.61 s without.

Here the same log call runs where it was awaited, with the caller's frame for structlog's
call-site fields, as structlog's own filtering loggers (``structlog._native``) do; the
handlers are the ones the sync calls (``logger.info``, most of upstream's) already run on the
loop.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def apply() -> None:
    import structlog.stdlib
    from structlog.contextvars import _ASYNC_CALLING_STACK

    async def dispatch_inline(
        self: Any, meth: Callable[..., Any], event: str, args: tuple[Any, ...], kw: dict[str, Any]
    ) -> None:
        caller = sys._getframe().f_back.f_back  # type: ignore[union-attr]  # ainfo's caller
        token = _ASYNC_CALLING_STACK.set(caller)  # type: ignore[arg-type]
        try:
            meth(event, *args, **kw)
        finally:
            _ASYNC_CALLING_STACK.reset(token)

    structlog.stdlib.BoundLogger._dispatch_to_sync = dispatch_inline  # type: ignore[method-assign]
