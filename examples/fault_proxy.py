"""A fault injector between client and server: cuts streaming responses, refuses streams.

Written by hand (a few lines of asyncio) because it must cut a response at a chosen byte,
which no off-the-shelf HTTP mock does against a real server. It forces ``Connection: close``
so that each TCP connection carries exactly one request it can judge.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

REFUSAL = b'{"detail": "streaming is switched off by the proxy"}'


@dataclass
class FaultProxy:
    upstream_port: int
    cuts: list[int] = field(default_factory=list)
    """For each next streaming response: close both sides after this many bytes of it."""
    refuse_streams: bool = False
    dropped: int = 0
    refused: int = 0
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def __aenter__(self) -> FaultProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            head = await client_r.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            client_w.close()
            return
        request_line = head.split(b"\r\n", 1)[0]
        is_stream = b"/stream" in request_line.split(b" ")[1]
        if is_stream and self.refuse_streams:
            self.refused += 1
            client_w.write(
                b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(REFUSAL), REFUSAL)
            )
            await client_w.drain()
            client_w.close()
            return
        limit = self.cuts.pop(0) if is_stream and self.cuts else None
        lines = [
            line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")
        ]
        head = b"\r\n".join([*lines[:1], b"Connection: close", *lines[1:]])
        server_r, server_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        server_w.write(head)
        upload = asyncio.create_task(self._pipe(client_r, server_w, None))
        cut = await self._pipe(server_r, client_w, limit)
        upload.cancel()
        if cut:
            self.dropped += 1
            client_w.transport.abort()
        for writer in (server_w, client_w):
            with contextlib.suppress(Exception):
                writer.close()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, limit: int | None
    ) -> bool:
        """Copy until EOF, or until ``limit`` bytes went through (then True: cut)."""
        sent = 0
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(4096):
                if limit is not None and sent + len(data) >= limit:
                    writer.write(data[: limit - sent])
                    await writer.drain()
                    return True
                writer.write(data)
                await writer.drain()
                sent += len(data)
        return False
