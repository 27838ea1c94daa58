"""Sustained load on `provenance` from its own process: concurrent keep-alive clients on loopback,
bounded by a duration and a request count. Prints one JSON summary on stdout.

    python -m bench.sustained --port P --token T --ids FILE \
        [--clients 16] [--seconds 20] [--max-requests 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import orjson

from bench.http import GraphQLClient
from bench.machine import load
from bench.questions import AS_OF_TEXT, PROVENANCE_GQL
from bench.timing import summary


async def drive(
    port: int, token: str, ids: list[str], clients: int, seconds: float, max_requests: int
) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal issued
        connection = GraphQLClient("127.0.0.1", port, token)
        try:
            while issued < max_requests and time.perf_counter() < deadline:
                asset_id = ids[issued % len(ids)]
                issued += 1
                t0 = time.perf_counter()
                try:
                    status, body = await connection.post(PROVENANCE_GQL, {"id": asset_id, "asOf": AS_OF_TEXT})
                    if status != 200 or b'"errors"' in body[:20]:
                        errors.append(f"HTTP {status}: {body[:120]!r}")
                    else:
                        latencies.append(time.perf_counter() - t0)
                except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                    errors.append(repr(error)[:120])
                    connection.close()
        finally:
            connection.close()

    before = load()
    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - started
    result = summary(latencies, wall, errors=len(errors))
    result.update(
        clients=clients,
        seconds=round(wall, 2),
        bound_seconds=seconds,
        bound_requests=max_requests,
        first_errors=errors[:5],
        load={"before": before, "after": load()},
    )
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--ids", type=Path, required=True, help="a file of asset ids, one a line")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args(argv)
    ids = args.ids.read_text().split()
    result = asyncio.run(drive(args.port, args.token, ids, args.clients, args.seconds, args.max_requests))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
