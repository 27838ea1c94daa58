"""Open the graph a process uses: NEO4J_URI when set, else the project's own local Neo4j."""

from __future__ import annotations

from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.graph.migrations import migrate
from likeness.local_neo4j import LocalNeo4j


def local_server(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(
        data_dir=settings.likeness_data_dir,
        port=settings.likeness_neo4j_port,
        heap=settings.likeness_neo4j_heap,
        pagecache=settings.likeness_neo4j_pagecache,
    )


async def open_graph(settings: Settings, *, start_local: bool = True) -> Graph:
    """Connect (starting the local server if no NEO4J_URI is set) and migrate the schema."""
    uri = settings.neo4j_uri
    if uri is None:
        server = local_server(settings)
        if start_local:
            server.start()
        uri = server.uri
    graph = Graph.connect(uri, settings)
    await graph.driver.verify_connectivity()
    await migrate(graph)
    return graph
