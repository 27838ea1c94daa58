"""Open the graph a process uses: NEO4J_URI when set, else the project's own local Neo4j."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from neo4j.exceptions import AuthError, ServiceUnavailable

from likeness.config import Settings
from likeness.errors import GraphUnavailable
from likeness.graph.driver import Graph
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


def with_graph(settings: Settings, work: Callable[[Graph], Awaitable[T]]) -> T:
    """Run one unit of work on a freshly opened graph (for commands: one event loop, closed after)."""

    async def main() -> T:
        graph = await open_graph(settings)
        try:
            return await work(graph)
        finally:
            await graph.close()

    return asyncio.run(main())
