"""The ASGI app: Starlette with strawberry at /graphql (our GraphiQL page for a browser), one Neo4j driver."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from likeness.access import log
from likeness.access.principals import NOBODY, principal_for
from likeness.access.roles import LOGGED_READERS
from likeness.config import Settings, get_settings
from likeness.graph.connection import open_graph
from likeness.graph.driver import Graph
from likeness.resolvers.context import Context
from likeness.schema.root import schema
from likeness.web.page import graphiql_page, static_mount


class LikenessGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Any, response: Any) -> Context:
        principal = getattr(request.state, "principal", None) or NOBODY
        return Context(graph=request.app.state.graph, principal=principal, request=request)

    async def execute_single(  # type: ignore[override]
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Answer one operation; a regulator's or investigator's query is then appended to the log."""
        result = await super().execute_single(
            request=request,
            request_adapter=request_adapter,
            sub_response=sub_response,
            context=context,
            root_value=root_value,
            request_data=request_data,
        )
        if context.principal.role in LOGGED_READERS:
            operation = log.query_operation(request_data.query or "", request_data.operation_name)
            # mutations log themselves in their writing transaction
            if operation is not None:
                await log.append_now(
                    context.graph,
                    principal=context.principal.name,
                    operation=operation,
                    variables=request_data.variables or {},
                    document=request_data.query or "",
                )
        return result


def _unauthorized(reason: str) -> Response:
    return JSONResponse(
        {"errors": [{"message": reason, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="likeness"'},
    )


def create_app(settings: Settings | None = None, graph: Graph | None = None) -> Starlette:
    """The app; pass `graph` to share an already open driver (tests), else it opens its own."""
    settings = settings or get_settings()
    graphql = LikenessGraphQL(schema, graphql_ide=None)

    async def endpoint(request: Request) -> Response:
        # only the GraphiQL page itself goes without credentials: a GET carrying a query never does
        wants_ide = (
            request.method == "GET"
            and "query" not in request.query_params
            and "text/html" in request.headers.get("accept", "")
        )
        if wants_ide:
            return graphiql_page()
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _unauthorized("missing credentials: send 'Authorization: Bearer <token>'")
        principal = await principal_for(token.strip(), settings=settings, graph=request.app.state.graph)
        if principal is None:
            return _unauthorized("unknown or revoked credentials")
        request.state.principal = principal
        try:
            response: Response = await graphql.run(request)
        except HTTPException as error:
            return PlainTextResponse(error.reason, status_code=error.status_code)
        return response

    async def root(request: Request) -> Response:
        return RedirectResponse("/graphql")

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = graph is None
        app.state.graph = graph if graph is not None else await open_graph(settings)
        try:
            yield
        finally:
            if own:
                await app.state.graph.close()

    app = Starlette(
        routes=[
            Route("/", root),
            Route("/health", health),
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            static_mount(),
        ],
        lifespan=lifespan,
    )
    if graph is not None:
        app.state.graph = graph
    return app
