"""Open the graph a process uses: NEO4J_URI when set, else the project's own local Neo4j."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from neo4j.exceptions import AuthError, ServiceUnavailable

from likeness.config import Settings
from likeness.errors import GraphUnavailable
from likeness.graph.driver import Graph, is_unavailable
from likeness.graph.migrations import migrate
from likeness.local_neo4j import LocalNeo4j

logger = logging.getLogger(__name__)

T = TypeVar("T")


def local_server(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(
        data_dir=settings.likeness_data_dir,
        port=settings.likeness_neo4j_port,
        heap=settings.likeness_neo4j_heap,
        pagecache=settings.likeness_neo4j_pagecache,
        maven_repo=settings.likeness_maven_repo,
    )


def local_settings(settings: Settings, server: LocalNeo4j) -> Settings:
    """The settings with the local server's address and credentials."""
    user, password = server.auth
    return settings.model_copy(
        update={"neo4j_uri": server.uri, "neo4j_user": user, "neo4j_password": password}
    )


async def open_graph(settings: Settings, *, start_local: bool = True) -> Graph:
    """Connect (starting the local server if no NEO4J_URI is set and it was not stopped) and migrate."""
    if settings.neo4j_uri is not None:
        uri, hint = settings.neo4j_uri, "check NEO4J_URI"
    else:
        server = local_server(settings)
        if start_local:
            server.ensure_running()
        uri, hint = server.uri, "start it with `likeness neo4j start`"
        settings = local_settings(settings, server)
    graph = Graph.connect(uri, settings)
    try:
        await graph.driver.verify_connectivity()
    except AuthError as error:
        await graph.close()
        raise GraphUnavailable(
            f"Neo4j at {uri} refused the credentials (check NEO4J_USER/NEO4J_PASSWORD): {error.message}"
        ) from error
    except (ServiceUnavailable, OSError) as error:
        await graph.close()
        logger.debug("cannot reach Neo4j at %s: %s", uri, error)
        raise GraphUnavailable(f"cannot reach Neo4j at {uri} ({hint})") from error
    await migrate(graph)
    logger.info("connected to Neo4j at %s (database %s)", uri, settings.neo4j_database)
    return graph


# how often a process that started while Neo4j was away tries to reach it and migrate
MIGRATE_RETRY_SECONDS = 2.0


async def open_graph_for_serving(settings: Settings) -> tuple[Graph, asyncio.Task[None] | None]:
    """The graph for the API. Like `open_graph`, but a deployment (NEO4J_URI) whose Neo4j cannot be
    reached yet still starts: its graph answers SERVICE_UNAVAILABLE until Neo4j is up, and the task
    returned (None when already migrated) connects and migrates as soon as it can; the app is ready once
    it is done."""
    try:
        return await open_graph(settings), None
    except GraphUnavailable as error:
        if settings.neo4j_uri is None or isinstance(error.__cause__, AuthError):
            raise
        logger.warning("%s; serving SERVICE_UNAVAILABLE until it answers", error)
    graph = Graph.connect(settings.neo4j_uri, settings)
    return graph, asyncio.create_task(_migrate_when_reachable(graph, settings.neo4j_uri))


async def _migrate_when_reachable(graph: Graph, uri: str) -> None:
    while True:
        try:
            await migrate(graph)
        except Exception as error:
            if not is_unavailable(error):
                raise
            await asyncio.sleep(MIGRATE_RETRY_SECONDS)
            continue
        logger.info("connected to Neo4j at %s (database %s)", uri, graph.database)
        return


def with_graph(settings: Settings, work: Callable[[Graph], Awaitable[T]]) -> T:
    """Run one unit of work on a freshly opened graph (for commands: one event loop, closed after)."""

    async def main() -> T:
        graph = await open_graph(settings)
        try:
            return await work(graph)
        finally:
            await graph.close()

    return asyncio.run(main())
