"""What the security tests share: two users' keys, the inputs they send, small helpers."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Awaitable, Iterator
from typing import Any

import httpx
from langgraph_sdk.errors import NotFoundError

ALICE, BOB = "ka-0123456789abcdef", "kb-fedcba9876543210"
HELLO = {"messages": [{"role": "user", "content": "count to 3"}]}
FAST = {"offline_token_delay": 0}
SLOW = {"offline_token_delay": 0, "tool_step_delay": 5}
"""分析用户数据 then takes 25 s: long enough to hold a run while the test looks."""
SECRET = "s" * 40


async def status_of(attempt: Awaitable[Any]) -> int:
    """The HTTP status an SDK call failed with (some raise typed errors, some httpx's)."""
    try:
        await attempt
    except NotFoundError:
        return 404
    except httpx.HTTPStatusError as error:
        return error.response.status_code
    return 200


@contextlib.contextmanager
def listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP port on loopback that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.setblocking(False)
    accepted: list[object] = []
    try:
        yield sock.getsockname()[1], accepted
    finally:
        with contextlib.suppress(BlockingIOError):
            accepted.append(sock.accept())
        sock.close()
