"""Sustained load on `provenance` from its own process: concurrent keep-alive clients on loopback,
bounded by a duration and a request count. Prints one JSON summary on stdout.

    python -m bench.sustained --port P --token T --ids FILE \
        [--clients 16] [--seconds 20] [--max-requests 20000]

With `--raw URI` the same clients ask the hand-written provenance Cypher (bench.questions) through the
Python driver instead of the API: the ceiling the API's throughput is compared with (credentials from
NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE, never on the command line).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson

from bench.http import GraphQLClient
from bench.machine import load
from bench.questions import AS_OF_TEXT, PROVENANCE_GQL, raw_provenance
from bench.timing import summary
from likeness.config import Settings
from likeness.graph.driver import Graph

# one client's question: asks about one asset and answers None, or the error to show
Ask = Callable[[str], Awaitable[str | None]]
# opens one client: its question, and what closes it
Client = Callable[[], tuple[Ask, Callable[[], None]]]


async def closed_loop(
    open_client: Client, ids: list[str], clients: int, seconds: float, max_requests: int, **labels: Any
) -> dict[str, Any]:
    """`clients` clients asking about the ids in turn, each its next question as soon as it has an answer,
    until `seconds` or `max_requests` run out: the latency summary, errors and load average around it."""
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal issued
        ask, close = open_client()
        try:
            while issued < max_requests and time.perf_counter() < deadline:
                asset_id = ids[issued % len(ids)]
                issued += 1
                t0 = time.perf_counter()
                problem = await ask(asset_id)
                if problem is None:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors.append(problem)
        finally:
            close()

    before = load()
    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - started
    result = summary(latencies, wall, errors=len(errors))
    result.update(
        labels,
        clients=clients,
        seconds=round(wall, 2),
        bound_seconds=seconds,
        bound_requests=max_requests,
        first_errors=errors[:5],
        load={"before": before, "after": load()},
    )
    return result


def http_client(port: int, token: str, document: str, variables: dict[str, Any]) -> Client:
    """Clients on keep-alive connections to a GraphQL server on loopback, asking `document` with the
    asset's id as `$id` (beside `variables`); an answer with errors counts as an error."""

    def open_client() -> tuple[Ask, Callable[[], None]]:
        connection = GraphQLClient("127.0.0.1", port, token)

        async def ask(asset_id: str) -> str | None:
            try:
                status, body = await connection.post(document, {"id": asset_id, **variables})
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                connection.close()
                return repr(error)[:160]
            if status != 200 or orjson.loads(body).get("errors"):
                return f"HTTP {status}: {body[:160]!r}"
            return None

        return ask, connection.close

    return open_client


async def drive(
    port: int, token: str, ids: list[str], clients: int, seconds: float, max_requests: int
) -> dict:
    """The API's provenance under sustained load."""
    asking = http_client(port, token, PROVENANCE_GQL, {"asOf": AS_OF_TEXT})
    return await closed_loop(asking, ids, clients, seconds, max_requests, mode="api")


async def drive_raw(uri: str, ids: list[str], clients: int, seconds: float, max_requests: int) -> dict:
    """The same load as `drive`, each client asking the hand-written Cypher through one shared driver
    (the driver's pool, as the API's process has it), answers shaped as the paired comparison shapes them."""
    settings = Settings(
        neo4j_uri=uri,
        neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
        neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
        neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )
    graph = Graph.connect(uri, settings)

    async def ask(asset_id: str) -> str | None:
        try:
            return None if await raw_provenance(graph, asset_id) is not None else f"no asset {asset_id}"
        except Exception as error:  # noqa: BLE001 - counted and shown, as the API side's errors
            return repr(error)[:160]

    try:
        await graph.driver.verify_connectivity()
        for asset_id in ids[: clients * 2]:  # warm the pool and the query plan, as the API is warm
            await raw_provenance(graph, asset_id)
        return await closed_loop(lambda: (ask, lambda: None), ids, clients, seconds, max_requests, mode="raw")
    finally:
        await graph.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, help="the API's port (the API load)")
    parser.add_argument("--token", help="the API's bearer token (the API load)")
    parser.add_argument("--raw", metavar="URI", help="ask Neo4j at this Bolt URI the raw Cypher instead")
    parser.add_argument("--ids", type=Path, required=True, help="a file of asset ids, one a line")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args(argv)
    ids = args.ids.read_text().split()
    if args.raw:
        result = asyncio.run(drive_raw(args.raw, ids, args.clients, args.seconds, args.max_requests))
    elif args.port is None or args.token is None:
        parser.error("give --port and --token (the API load), or --raw URI (the raw Cypher load)")
    else:
        result = asyncio.run(drive(args.port, args.token, ids, args.clients, args.seconds, args.max_requests))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
