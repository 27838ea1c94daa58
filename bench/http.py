"""A small keep-alive HTTP/1.1 client for GraphQL POSTs on loopback.

The benchmark measures the API, not an HTTP client: this one costs a few microseconds a request
(httpx costs more than the answers it would be timing), so the client competes as little as possible
with the server for this machine's two cores.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson


class HttpError(RuntimeError):
    """The server answered something other than 200."""


class GraphQLClient:
    """One connection; requests on it are sequential (open several for concurrency)."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self._head = (
            f"POST /graphql HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\nConnection: keep-alive\r\n"
        ).encode()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> tuple[int, bytes]:
        """Send one operation; the status and the raw body."""
        body = orjson.dumps({"query": query, "variables": variables or {}})
        reader, writer = await self._connect()
        writer.write(self._head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            self.close()
            raise HttpError("the server closed the connection")
        status = int(status_line.split()[1])
        length, chunked, closing = 0, False, False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                closing = True
        if chunked:
            parts = []
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await reader.readline()
                    break
                parts.append(await reader.readexactly(size))
                await reader.readline()
            payload = b"".join(parts)
        else:
            payload = await reader.readexactly(length)
        if closing:
            self.close()
        return status, payload

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """Run an operation that must succeed; its `data`. A connection the server closed before
        answering (seen on a loaded machine when a cold first request ran past uvicorn's 5 s keep-alive)
        is asked again once, on a new connection."""
        try:
            status, payload = await self.post(query, variables)
        except HttpError:
            self.close()
            status, payload = await self.post(query, variables)
        answer = orjson.loads(payload)
        if status != 200 or answer.get("errors"):
            raise HttpError(f"HTTP {status}: {payload[:300]!r}")
        return answer["data"]

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
