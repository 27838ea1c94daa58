"""The ASGI app: Starlette with strawberry at /graphql (our GraphiQL page for a browser), one Neo4j driver,
and the operations around them (likeness.ops: request ids, limits, logs, metrics, probes).

How an answer's status is chosen (GraphQL over HTTP, docs/operations.md): a request that fails before
execution (the document does not parse or validate, a variable does not coerce) answers 400 without
`data` to a client accepting application/graphql-response+json, and 200 without `data` to one accepting
application/json; a request that executed answers 200 with its data and errors; Neo4j unreachable
anywhere in the request answers 503; an unexpected error is masked and its traceback logged once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import quote

import orjson
from cross_web import HTTPException
from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    VariableDefinitionNode,
)
from graphql import parse as parse_document
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.unset import UNSET

from likeness import logs
from likeness.access import log
from likeness.access.principals import NOBODY, Principal, principal_for
from likeness.access.roles import LOGGED_READERS
from likeness.alerts.broker import Broker
from likeness.alerts.clock import Clock
from likeness.alerts.delivery import WebhookWorkers
from likeness.config import Settings, get_settings
from likeness.errors import Busy
from likeness.events.fields import parse_instant
from likeness.execution.build import build_schema
from likeness.execution.context import context_for
from likeness.execution.limits import Limits
from likeness.execution.persisted import (
    NOT_FOUND_BODY,
    NOT_FOUND_CODE,
    Persisted,
    PersistedQueries,
    PersistedQueryNotFound,
    PersistedQueryRefused,
    requested_sha256,
)
from likeness.execution.pinned import PinnedReads, the_operation
from likeness.graph.connection import open_graph_for_serving
from likeness.graph.driver import Graph, is_unavailable
from likeness.graph.signed_files import signed_file
from likeness.ingest.warmup import warm_up
from likeness.media.signing import signing_keys
from likeness.media.workers import FileWorkers
from likeness.ops import (
    GRAPHQL_RESPONSE,
    RETRY_AFTER,
    UNAVAILABLE_MESSAGE,
    Exchange,
    FailedAuthentications,
    OpsMiddleware,
    Warmer,
    client_address,
    error_entry,
    error_response,
    exchange_of,
    internal_error_entry,
    log_internal_error,
    ops_routes,
    quiet_strawberry_errors,
)
from likeness.reports.drawing import GraphvizMissing
from likeness.reports.filing import generate_case
from likeness.reports.page import CONTENT_SECURITY_POLICY as CASE_FILE_POLICY
from likeness.resolvers.context import Context
from likeness.resolvers.faces import FaceSearches
from likeness.verdicts.regrounding import load_book, reground
from likeness.web.conditional import NO_STORE, REVALIDATE, etag_of, names, not_modified, process_epoch
from likeness.web.page import explorer_page, graphiql_page, static_mount

# how deep a request's JSON may nest: GraphQL inputs here nest a few levels, and deeper structures only
# cost (orjson itself stops at 1,024)
MAX_JSON_DEPTH = 64
# documents longer than this are not kept in the operation-name cache
_CACHED_DOCUMENT_CHARS = 16_384
# documents of more tokens than this are not parsed to name their operation ('unparsable'): the schema
# refuses them unparsed too (LIKENESS_MAX_TOKENS, likeness.execution.limits): parsing one would only cost time
_NAMED_DOCUMENT_TOKENS = 10_000

auth_logger = logging.getLogger("likeness.auth")
logger = logging.getLogger(__name__)

_REFUSAL_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class _RefusingSchema:
    """The schema as a WebSocket operation sees it: a document the limits refuse before it runs (too many
    tokens, too deep, too costly: a GraphQLError raised by execution.limits) is answered as the protocol's
    `error` message, as over HTTP, instead of ending the operation unexplained."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)

    async def stream(self, *args: Any, **kwargs: Any) -> AsyncGenerator[Any, None]:
        try:
            source = await self._schema.stream(*args, **kwargs)
        except GraphQLError as refused:
            return _refusal(refused)
        return _refused_first(source)


async def _refusal(refused: GraphQLError) -> AsyncGenerator[Any, None]:
    yield PreExecutionError(data=None, errors=[refused])


async def _refused_first(source: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
    first = True
    try:
        async for result in source:
            first = False
            yield result
    except GraphQLError as refused:
        if not first:
            raise
        yield PreExecutionError(data=None, errors=[refused])


class _TransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = cast(Any, _RefusingSchema(self.schema))


class LikenessGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = _TransportWS  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the documents clients persisted by hash in this process (likeness.execution.persisted)
        self.persisted = PersistedQueries()

    def should_render_graphql_ide(self, request: Any) -> bool:
        """Never: the endpoint serves the GraphiQL page itself, and a GET naming its document by hash alone
        (no `query`) is an operation."""
        return False

    async def get_context(self, request: Any, response: Any) -> Context:
        principal = getattr(request.state, "principal", None) or NOBODY
        state = request.app.state
        return context_for(
            state.graph,
            principal,
            request,
            files=state.files,
            faces=state.faces,
            broker=getattr(state, "broker", None),
            signer=state.signer,
        )

    async def on_ws_connect(self, context: Context) -> Any:
        """A WebSocket (graphql-transport-ws) is authenticated by the bearer token in connection_init's
        payload (`{"Authorization": "Bearer <token>"}`, the way a browser can send it): unknown, revoked or
        missing, the socket is closed with 4403 before any operation runs."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization") or ""
        scheme, _, token = str(header).partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ConnectionRejectionError(
                {"message": "send connection_init {Authorization: 'Bearer <token>'}"}
            )
        state = context.request.app.state
        principal = await principal_for(token.strip(), settings=state.settings, graph=state.graph)
        if principal is None:
            raise ConnectionRejectionError({"message": "unknown or revoked credentials"})
        context.principal = principal
        return UNSET

    def parse_json(self, data: str | bytes) -> Any:
        """The request's JSON (a POST body, or GET's `variables`), refused with a 400 that says why."""
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            if "depth" in str(error):
                raise HTTPException(
                    400, f"the request's JSON nests deeper than {MAX_JSON_DEPTH} levels"
                ) from error
            raise HTTPException(400, f"the request body is not valid JSON ({error})") from error
        if _nests_deeper_than(value, MAX_JSON_DEPTH):
            raise HTTPException(400, f"the request's JSON nests deeper than {MAX_JSON_DEPTH} levels")
        return value

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData):
            if not isinstance(data.operation_name, str | None):
                raise HTTPException(
                    400, "The GraphQL operation's `operationName` must be a string or null, if provided."
                )
            found = self.persisted_document(data.query, data.extensions)
            if found is not None:
                data.query = found.query
        return data

    def persisted_document(self, query: Any, extensions: Any) -> Persisted | None:
        """The document a request names by hash (Apollo's persisted queries), checked; None when it names
        none. An unknown hash sent alone raises PersistedQueryNotFound (the endpoint answers it)."""
        try:
            return self.persisted.resolve(query, extensions)
        except PersistedQueryRefused as refused:
            raise HTTPException(400, str(refused)) from refused

    async def parse_multipart(self, request: Any) -> dict[str, Any]:
        """A GraphQL multipart request's operation with its files in their variables. Strawberry's own
        answers a 500 to `operations` or `map` that is no JSON object or a path through a missing key,
        and quietly ignores a path naming no variable; here each is a 400 saying which."""
        try:
            form = await request.get_form_data()
        except ValueError as error:
            raise HTTPException(400, "multipart body: unable to parse it") from error
        operations = self._multipart_object(form.form, "operations")
        files_map = self._multipart_object(form.form, "map")
        for part, paths in files_map.items():
            if part not in form.files:
                raise HTTPException(400, f"multipart body: `map` names the part {part!r}, which is not sent")
            if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
                raise HTTPException(
                    400, f'multipart body: `map`\'s {part!r} must be a list of paths like "variables.file"'
                )
            for path in paths:
                _place_file(operations, path, form.files[part])
        return operations

    def _multipart_object(self, form: Any, name: str) -> dict[str, Any]:
        raw = form.get(name)
        if not isinstance(raw, str | bytes):
            raise HTTPException(400, f"multipart body: no `{name}` field")
        try:
            value = self.parse_json(raw)
        except HTTPException as refused:
            raise HTTPException(400, f"multipart body: `{name}`: {refused.reason}") from refused
        if not isinstance(value, dict):
            # the spec's batched operations (a list) are not supported, as in JSON requests
            raise HTTPException(400, f"multipart body: `{name}` must be a JSON object")
        return value

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
        exchange = exchange_of(request)
        exchange.operation = operation_of(request_data.query, request_data.operation_name)
        # until the document validated, its root fields may not be the schema's
        exchange.metric_operation = "invalid" if request_data.query else "-"
        try:
            result = await super().execute_single(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=context,
                root_value=root_value,
                request_data=request_data,
            )
        except HTTPException as refused:
            if isinstance(refused.__cause__, InvalidOperationTypeError) and request_adapter.method == "GET":
                raise HTTPException(405, "mutations are accepted only over POST") from refused
            raise
        if not isinstance(result, PreExecutionError):
            exchange.metric_operation = metric_operation_of(request_data.query, request_data.operation_name)
            sha256 = requested_sha256(request_data.extensions)
            if sha256 is not None and request_data.query:
                # it parsed and validated: the persisted document is kept (again, when it was already)
                self.persisted.keep(Persisted(query=request_data.query, sha256=sha256))
        await log_query(
            context.graph,
            context.principal,
            request_data.query,
            request_data.operation_name,
            request_data.variables,
        )
        return result

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        return shaped_result(exchange_of(request), result)

    def encode_json(self, data: object) -> str | bytes:
        """The answer as compact JSON (UTF-8) by orjson, ~10x faster than the standard library on large
        answers; anything orjson refuses (an integer past 64 bits) by the standard library, as before."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return super().encode_json(data)


def _place_file(operations: dict[str, Any], path: str, file: Any) -> None:
    """Put `file` where `path` ('variables.file', 'variables.files.0') points: a null the operation's
    variables hold, as the multipart spec's placeholder; any other path is refused naming it."""
    keys = path.split(".")
    holder: Any = operations
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        if depth == 0 and key != "variables":
            break
        if isinstance(holder, dict) and key in holder:
            slot: Any = key
        elif isinstance(holder, list) and key.isdigit() and int(key) < len(holder):
            slot = int(key)
        else:
            break
        if last:
            if holder[slot] is not None:
                break
            holder[slot] = file
            return
        holder = holder[slot]
    raise HTTPException(
        400, f"multipart body: `map` names {path!r}, which is no null variable of the operation"
    )


async def log_query(
    graph: Graph,
    principal: Principal,
    query: str | None,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> None:
    """Append a regulator's or investigator's query to the log (executed, or answered 304); a mutation logs
    itself in its writing transaction, and other callers' reads are not logged."""
    if principal.role not in LOGGED_READERS:
        return
    operation = log.query_operation(query or "", operation_name)
    if operation is not None:
        await log.append_now(
            graph,
            principal=principal.name,
            operation=operation,
            variables=await loggable(variables or {}),
            document=query or "",
        )


async def loggable(value: Any) -> Any:
    """Variables as the log keeps them: a file uploaded with the query (a GraphQL multipart request) as
    its name, size and sha256, so that the entry says which file was traced without holding it."""
    if isinstance(value, dict):
        return {key: await loggable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [await loggable(item) for item in value]
    if isinstance(value, UploadFile):
        await value.seek(0)
        data = await value.read()
        return {"upload": value.filename, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return value


def shaped_result(exchange: Exchange, result: ExecutionResult) -> GraphQLHTTPResponse:
    """The body of a GraphQL answer, its status noted on the exchange: domain errors as they are, request
    errors coded and without `data`, Neo4j unreachable as one SERVICE_UNAVAILABLE, anything else masked."""
    errors = result.errors or []
    if not errors:
        return _body(result, data=True)
    unavailable = next((error for error in errors if _says_unavailable(error)), None)
    if unavailable is not None:
        logger.warning(
            "request %s answered SERVICE_UNAVAILABLE: %s", exchange.request_id, _causes(unavailable)
        )
        exchange.outcome, exchange.graphql_status = "unavailable", 503
        exchange.error_codes.append("SERVICE_UNAVAILABLE")
        return {"errors": [error_entry("SERVICE_UNAVAILABLE", UNAVAILABLE_MESSAGE)]}
    timed_out = _server_side(exchange, errors)
    if timed_out is not None:
        return _body(result, data=False, errors=timed_out)
    if result.data is None and all(error.path is None for error in errors):
        # failed before execution: nothing ran, so no `data`
        codes = [
            code for code in (_request_error_code(error, result) for error in errors) if code is not None
        ]
        if len(codes) < len(errors):
            exchange.outcome, exchange.graphql_status = "internal", 500
            return {"errors": [_masked(exchange, errors)]}
        exchange.outcome = "bad_request"
        exchange.graphql_status = 400 if exchange.media_type == GRAPHQL_RESPONSE else 200
        exchange.error_codes.extend(codes)
        coded: list[Any] = [
            {**error.formatted, "extensions": {**(error.extensions or {}), "code": code}}
            for error, code in zip(errors, codes, strict=True)
        ]
        return _body(result, data=False, errors=coded)
    domain = [error for error in errors if _domain_code(error) is not None]
    unexpected = [error for error in errors if _domain_code(error) is None]
    exchange.error_codes.extend(str(_domain_code(error)) for error in domain)
    shown: list[Any] = [error.formatted for error in domain]
    if unexpected:
        exchange.outcome = "internal"
        shown.append(_masked(exchange, unexpected))
    else:
        exchange.outcome = "error"
    return _body(result, data=True, errors=shown)


# errors that say the server could not answer (in time, or at all now), not that the request was wrong:
# 504 for an operation stopped at its deadline, 503 for a file the workers did not admit (whatever the media
# type, as for Neo4j unreachable), counted as a timeout or as busy, never as the client's error
_SERVER_SIDE_CODES = {"QUERY_TIMEOUT": 504, Busy.code: 503}


def _server_side(exchange: Exchange, errors: list[GraphQLError]) -> list[Any] | None:
    """The errors of an operation stopped at its deadline or refused BUSY, its status noted; None for any
    other."""
    codes = [_domain_code(error) for error in errors]
    statuses = [_SERVER_SIDE_CODES[code] for code in codes if code in _SERVER_SIDE_CODES]
    if not statuses:
        return None
    exchange.outcome = "timeout" if "QUERY_TIMEOUT" in codes else "busy"
    exchange.graphql_status = max(statuses)
    exchange.error_codes.extend(code for code in codes if code is not None)
    return [error.formatted for error in errors]


def _body(result: ExecutionResult, *, data: bool, errors: list[Any] | None = None) -> GraphQLHTTPResponse:
    body: GraphQLHTTPResponse = {}
    if data:
        body["data"] = result.data
    if errors:
        body["errors"] = errors
    if result.extensions:
        body["extensions"] = result.extensions
    return body


def _domain_code(error: GraphQLError) -> str | None:
    """The code a LikenessError carries (set by the schema's DomainErrors extension), if any."""
    code = (error.extensions or {}).get("code")
    return code if isinstance(code, str) else None


def _causes(error: GraphQLError) -> str:
    """What made an operation's error say Neo4j is unreachable: each exception of its chain, by type and
    message (an operator's first clue: a lost connection, a refused one, a socket error)."""
    found: list[str] = []
    current: BaseException | None = error.original_error or error
    while current is not None and len(found) < 8:
        found.append(f"{type(current).__name__}: {str(current)[:200]}")
        current = current.__cause__ or current.__context__
    return " <- ".join(found)


def _says_unavailable(error: GraphQLError) -> bool:
    original = error.original_error
    return _domain_code(error) == "SERVICE_UNAVAILABLE" or (original is not None and is_unavailable(original))


def _request_error_code(error: GraphQLError, result: ExecutionResult) -> str | None:
    """The code of an error raised before execution by the request itself; None for one of ours."""
    original = error.original_error
    if isinstance(result, PreExecutionError):
        if isinstance(error, GraphQLSyntaxError):
            return "GRAPHQL_PARSE_FAILED"
        # a limit the schema holds documents to (likeness.execution.limits) names its own code
        if _domain_code(error) is not None:
            return _domain_code(error)
        # an exception that is not a GraphQL error came from the server's own code
        return "GRAPHQL_VALIDATION_FAILED" if original is None or isinstance(original, GraphQLError) else None
    if _domain_code(error) is not None:
        return _domain_code(error)
    # graphql-core refuses a variable's value at its definition (a scalar's own ValueError included)
    if any(isinstance(node, VariableDefinitionNode) for node in error.nodes or ()):
        return "BAD_INPUT"
    return "BAD_REQUEST" if original is None or isinstance(original, GraphQLError) else None


def _masked(exchange: Exchange, errors: list[GraphQLError]) -> dict[str, Any]:
    """One INTERNAL_ERROR for the client; each distinct cause logged once, with its traceback."""
    logged: set[int] = set()
    for error in errors:
        cause = error.original_error
        if cause is not None and id(cause) in logged:
            continue
        if cause is not None:
            logged.add(id(cause))
        where = ".".join(str(key) for key in error.path) if error.path else "the request"
        log_internal_error(exchange, cause, f"{error.message} (at {where})")
    return internal_error_entry(exchange)


def operation_of(query: str | None, operation_name: str | None) -> str:
    """How logs and metrics name an operation: its name, else its type and root fields
    ('query audit,similarAssets'); 'unparsable' and 'unknown' when the document says neither."""
    if not query:
        return "-"
    if len(query) > _CACHED_DOCUMENT_CHARS:
        return _operation_named(query, operation_name)
    return _cached_operation_named(query, operation_name)


def _operation_named(query: str, operation_name: str | None) -> str:
    try:
        document = parse_document(query, no_location=True, max_tokens=_NAMED_DOCUMENT_TOKENS)
    except GraphQLError:
        return "unparsable"
    operations = [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]
    chosen = [
        op for op in operations if operation_name is None or (op.name and op.name.value == operation_name)
    ]
    if len(chosen) != 1:
        return "unknown"
    operation = chosen[0]
    if operation.name is not None:
        return operation.name.value
    fields = sorted(
        {
            selection.name.value
            for selection in operation.selection_set.selections
            if isinstance(selection, FieldNode)
        }
    )
    return f"{operation.operation.value} {','.join(fields)}"[:100]


_cached_operation_named = functools.lru_cache(maxsize=256)(_operation_named)


def metric_operation_of(query: str | None, operation_name: str | None) -> str:
    """How the metrics name a validated operation: its type and its first root field (by name), with '+'
    when it has others ('query audit+'). Only the schema's root fields reach it, never a client's name,
    so the labels are a small fixed set."""
    named = (
        _root_fields(query or "", operation_name) if query and len(query) <= _CACHED_DOCUMENT_CHARS else None
    )
    if named is None:
        return "unknown"
    kind, fields = named
    return f"{kind} {fields[0]}{'+' if len(fields) > 1 else ''}" if fields else kind


@functools.lru_cache(maxsize=256)
def _root_fields(query: str, operation_name: str | None) -> tuple[str, tuple[str, ...]] | None:
    try:
        document = parse_document(query, no_location=True, max_tokens=_NAMED_DOCUMENT_TOKENS)
    except GraphQLError:
        return None
    operation = the_operation(document, operation_name)
    if operation is None:
        return None
    fields = {
        selection.name.value
        for selection in operation.selection_set.selections
        if isinstance(selection, FieldNode)
    }
    return operation.operation.value, tuple(sorted(fields))


def _nests_deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (walked without recursion)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _unauthorized(exchange: Exchange, reason: str) -> Response:
    return error_response(
        exchange, 401, "UNAUTHENTICATED", reason, headers={"WWW-Authenticate": 'Bearer realm="likeness"'}
    )


def _failed_authentications(request: Request) -> FailedAuthentications:
    failures: FailedAuthentications | None = getattr(request.app.state, "failed_authentications", None)
    if failures is None:
        failures = request.app.state.failed_authentications = FailedAuthentications()
    return failures


def _throttled(request: Request, exchange: Exchange) -> Response | None:
    """The 429 for a client address that failed to authenticate too often of late (its credential is
    not looked up); None when it may try."""
    address = client_address(request)
    wait = _failed_authentications(request).retry_after(address)
    if wait is None:
        return None
    return error_response(
        exchange,
        429,
        "TOO_MANY_FAILED_AUTHENTICATIONS",
        f"too many failed authentications from {address}; try again in {wait} s",
        headers={"Retry-After": str(wait)},
        retryAfterSeconds=wait,
    )


def _failed_authentication(request: Request, exchange: Exchange) -> None:
    address = client_address(request)
    _failed_authentications(request).failed(address)
    auth_logger.warning(
        "failed authentication from %s (request %s): unknown or revoked credentials",
        address,
        exchange.request_id,
        extra={"requestId": exchange.request_id, "client": address},
    )


async def _authenticated(request: Request, exchange: Exchange, settings: Settings) -> Any:
    """The caller's principal from its bearer credential, or the 401 answering a request without one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorized(exchange, "missing credentials: send 'Authorization: Bearer <token>'")
    throttled = _throttled(request, exchange)
    if throttled is not None:
        return throttled
    # reads API keys from Neo4j: unreachable, it raises, and the middleware answers 503
    principal = await principal_for(token.strip(), settings=settings, graph=request.app.state.graph)
    if principal is None:
        _failed_authentication(request, exchange)
        return _unauthorized(exchange, "unknown or revoked credentials")
    exchange.role = principal.role
    request.state.principal = principal
    return principal


# a case file may be kept and shown anywhere: it loads nothing, runs nothing, and is framed by no one
CASE_FILE_HEADERS = {
    "Content-Security-Policy": f"{CASE_FILE_POLICY}; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


async def _caller(request: Request, settings: Settings, operation: str) -> tuple[Exchange, Any] | Response:
    """The exchange of a GET endpoint outside GraphQL (named `operation` in its log line) and its caller's
    principal, or the 401 (or 429) answering it."""
    exchange = exchange_of(request)
    exchange.operation = operation
    found = await _authenticated(request, exchange, settings)
    return found if isinstance(found, Response) else (exchange, found)


async def case_file_response(request: Request, settings: Settings) -> Response:
    """GET /cases/{id}.html[?asOf=…]: the case file of an asset or sighting for the caller, logged; 404 for
    whatever the caller may not see, as the API hides it."""
    caller = await _caller(request, settings, "case")
    if isinstance(caller, Response):
        return caller
    exchange, found = caller
    subject = request.path_params["subject"]
    as_of_text = request.query_params.get("asOf")
    try:
        moment = parse_instant(as_of_text) if as_of_text is not None else datetime.now(UTC)
    except ValueError as error:
        return error_response(
            exchange,
            400,
            "BAD_INPUT",
            f"asOf: expected an ISO 8601 instant with an offset ({error})",
            field="asOf",
        )
    context = context_for(request.app.state.graph, found, request)
    try:
        made = await generate_case(context, subject, moment)
    except GraphvizMissing as missing:
        log_internal_error(exchange, missing, str(missing))
        return error_response(exchange, 500, "GRAPHVIZ_MISSING", str(missing))
    if made is None:
        return error_response(
            exchange,
            404,
            "NOT_FOUND",
            f"no asset or sighting {subject!r} on record as of {moment.isoformat()}",
        )
    return Response(made.data, media_type="text/html; charset=utf-8", headers=CASE_FILE_HEADERS)


async def signed_file_response(request: Request, settings: Settings) -> Response:
    """GET /signed/{assetId}: the file Likeness signed for the asset (publishAsset with sign: true), to a
    caller who may see the asset; 404 for one it may not see, as the API hides it, and where no signed
    file is kept here."""
    caller = await _caller(request, settings, "signedFile")
    if isinstance(caller, Response):
        return caller
    exchange, found = caller
    asset_id = request.path_params["asset"]
    context = context_for(request.app.state.graph, found, request)
    kept = (
        await signed_file(context.graph, asset_id)
        if asset_id in await context.visible_ids([asset_id])
        else None
    )
    if kept is None:
        return error_response(
            exchange, 404, "NOT_FOUND", f"no signed file of an asset {asset_id!r} you may see"
        )
    headers = {
        "Content-Disposition": f'attachment; filename="{kept.file_name(quote(asset_id, safe=""))}"',
        "ETag": f'"{kept.sha256}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    return Response(kept.data, media_type=kept.mime_type, headers=headers)


async def _conditional_get(
    request: Request, graphql: LikenessGraphQL, principal: Principal, pinned: PinnedReads, epoch: str
) -> str | Response | None:
    """For a GET whose answer is pinned (likeness.execution.pinned): its ETag, or the 304 when the request's
    If-None-Match names it (the query is logged as if it ran, for a caller whose queries are); None for
    any other GET, which strawberry answers (and refuses) as before."""
    params = graphql.parse_query_params(request.query_params)  # type: ignore[arg-type]
    query, variables = params.get("query"), params.get("variables")
    operation_name = params.get("operationName")
    if not isinstance(variables, dict | None) or not isinstance(operation_name, str | None):
        return None
    found = graphql.persisted_document(query, params.get("extensions"))
    if found is None:
        if not isinstance(query, str) or not query:
            return None
        found = Persisted(query=query, sha256=hashlib.sha256(query.encode()).hexdigest())
    values = cast(dict[str, Any], variables or {})
    if not pinned.pinned(found.query, operation_name, values):
        return None
    graph: Graph = request.app.state.graph
    etag = await etag_of(
        graph,
        epoch=epoch,
        document_sha256=found.sha256,
        operation_name=operation_name,
        variables=values,
        principal=principal,
    )
    if not names(request.headers.get("if-none-match"), etag):
        return etag
    exchange = exchange_of(request)
    exchange.operation = operation_of(found.query, operation_name)
    exchange.metric_operation = metric_operation_of(found.query, operation_name)
    await log_query(graph, principal, found.query, operation_name, values)
    return not_modified(etag)


def _refused(exchange: Exchange, refused: HTTPException) -> Response:
    """strawberry's refusal of the request (bad JSON, parameters, method) in the error envelope."""
    headers = {"Allow": "POST"} if refused.status_code == 405 else None
    code = _REFUSAL_CODES.get(refused.status_code, "BAD_REQUEST")
    return error_response(exchange, refused.status_code, code, refused.reason, headers=headers)


def warmer_of_app(app: Starlette) -> Warmer:
    """The app's warm-up (made on first use: an app sharing a test's driver runs no lifespan)."""
    warmer: Warmer | None = getattr(app.state, "warmer", None)
    if warmer is None or warmer.graph is not app.state.graph:
        settings: Settings = app.state.settings
        warmer = app.state.warmer = Warmer(app.state.graph, warm_up if settings.likeness_warm_up else _warm)
    return warmer


async def _warm(graph: Graph) -> None:
    """No warm-up (LIKENESS_WARM_UP=0): the graph counts as warm once Neo4j answers."""
    graph.cold = False


def warmer_of(request: Request) -> Warmer:
    return warmer_of_app(request.app)


def _warm_when_migrated(app: Starlette) -> asyncio.Task[None]:
    """Warm up as soon as the schema is in place, so that the first readiness probe finds it done."""

    async def warm() -> None:
        migrating: asyncio.Task[None] | None = getattr(app.state, "migrating", None)
        if migrating is not None:
            await migrating
        # the stored verdicts grounded with the packs loaded, before the API says it is ready
        try:
            await reground(app.state.graph, app.state.laws)
        except Exception:
            logger.exception("grounding the stored verdicts with the loaded law packs failed")
        running = warmer_of_app(app).start()
        if running is not None:
            with contextlib.suppress(Exception):
                await running

    return asyncio.create_task(warm())


def _router_refusals() -> dict[Any, Any]:
    """The router's and static files' refusals (no such path, method not allowed) in the error envelope,
    where Starlette answers plain text."""

    async def refused(request: Request, error: Exception) -> Response:
        status = getattr(error, "status_code", 500)
        exchange = exchange_of(request)
        if status == 404:
            return error_response(exchange, 404, "NOT_FOUND", f"no such path: {request.url.path}")
        if status == 405:
            allowed = (getattr(error, "headers", None) or {}).get("Allow", "")
            return error_response(
                exchange,
                405,
                "METHOD_NOT_ALLOWED",
                f"{request.method} is not allowed here" + (f" (allowed: {allowed})" if allowed else ""),
                headers={"Allow": allowed} if allowed else None,
            )
        detail = str(getattr(error, "detail", "") or "the request was refused")
        return error_response(exchange, status, _REFUSAL_CODES.get(status, "BAD_REQUEST"), detail)

    return {StarletteHTTPException: refused}


def create_app(settings: Settings | None = None, graph: Graph | None = None) -> Starlette:
    """The app; pass `graph` to share an already open driver (tests), else it opens its own."""
    settings = settings or get_settings()
    logs.configure(settings.likeness_log_format, settings.likeness_log_level)
    # a bad law pack stops the start here, naming its file, field and reason
    laws = load_book(settings)
    quiet_strawberry_errors()
    limits = Limits.of(settings)
    schema = build_schema(fast=settings.likeness_fastexec, limits=limits)
    # conditional GET (web.conditional): which answers are pinned, and what else they depend on
    pinned = PinnedReads(schema._schema)  # noqa: SLF001
    epoch = process_epoch(orjson.dumps(laws.hashes(), option=orjson.OPT_SORT_KEYS).decode(), repr(limits))
    # files arrive as GraphQL multipart requests (docs/api.md, Uploads). They cannot be forged across sites:
    # every request must carry an Authorization header, which a form cannot send and a page of another
    # origin cannot add without a CORS preflight this API never grants (credentials are never cookies)
    graphql = LikenessGraphQL(
        schema,
        graphql_ide=None,
        multipart_uploads_enabled=True,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
    )

    async def endpoint(request: Request) -> Response:
        exchange = exchange_of(request)
        # only the GraphiQL page itself goes without credentials: a GET carrying a query never does
        wants_ide = (
            request.method == "GET"
            and "query" not in request.query_params
            and "extensions" not in request.query_params
            and "text/html" in request.headers.get("accept", "")
        )
        if wants_ide:
            return graphiql_page()
        principal = await _authenticated(request, exchange, settings)
        if isinstance(principal, Response):
            return principal
        if request.method == "POST":
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media not in ("application/json", "multipart/form-data"):
                return error_response(
                    exchange,
                    415,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "send the request as application/json, or as multipart/form-data with files "
                    f"(got {media or 'no Content-Type'})",
                )
        elif "query" not in request.query_params and "extensions" not in request.query_params:
            return error_response(
                exchange, 400, "BAD_REQUEST", "no GraphQL query: pass ?query=… or POST JSON"
            )
        etag: str | None = None
        try:
            if request.method == "GET":
                conditional = await _conditional_get(request, graphql, principal, pinned, epoch)
                if isinstance(conditional, Response):
                    return conditional
                etag = conditional
            response: Response = await graphql.run(request)
        except HTTPException as refused:
            return _refused(exchange, refused)
        except PersistedQueryNotFound:
            # as Apollo clients expect it: 200, whatever the media type; they send the document again
            exchange.error_codes.append(NOT_FOUND_CODE)
            not_found = Response(orjson.dumps(NOT_FOUND_BODY), media_type=exchange.media_type)
            if request.method == "GET":
                not_found.headers["Cache-Control"] = NO_STORE
            return not_found
        except StarletteHTTPException as refused:
            # the multipart parser's refusal (a malformed body, a form field over its size)
            return _refused(exchange, HTTPException(refused.status_code, f"multipart body: {refused.detail}"))
        if exchange.graphql_status is not None:
            response.status_code = exchange.graphql_status
        if exchange.graphql_status == 503:
            response.headers["Retry-After"] = RETRY_AFTER
        if Busy.code in exchange.error_codes:  # the file workers admitted no more (likeness.media.workers)
            response.headers["Retry-After"] = str(Busy.RETRY_AFTER_SECONDS)
        response.headers["content-type"] = exchange.media_type
        if request.method == "GET":
            # an ETag only on an answer that ran to its end (domain errors included): never on a refusal,
            # a timeout or Neo4j unreachable
            answered = response.status_code == 200 and exchange.outcome in (None, "ok", "error")
            if etag is not None and answered:
                response.headers["ETag"] = etag
                response.headers["Cache-Control"] = REVALIDATE
            else:
                response.headers["Cache-Control"] = NO_STORE
        return response

    async def root(request: Request) -> Response:
        return RedirectResponse("/graphql")

    async def case_file(request: Request) -> Response:
        return await case_file_response(request, settings)

    async def explore(request: Request) -> Response:
        return explorer_page()

    async def signed(request: Request) -> Response:
        return await signed_file_response(request, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = graph is None
        if graph is None:
            app.state.graph, app.state.migrating = await open_graph_for_serving(settings)
        if getattr(app.state, "broker", None) is None:
            app.state.broker = Broker(app.state.graph.background(), settings.likeness_alert_poll_seconds)
        warming = _warm_when_migrated(app)
        # deadlines passing with no write: the clock (one process at a time holds its lease)
        clock = Clock(app.state.graph.background(), settings.likeness_clock_seconds)
        clock.start()
        # webhooks: the fan-out and the sender run beside the requests (likeness.alerts.delivery)
        webhooks = WebhookWorkers(app.state.graph.background(), settings)
        webhooks.start(after=getattr(app.state, "migrating", None))
        try:
            yield
        finally:
            await webhooks.stop()
            await clock.stop()
            await app.state.broker.stop()
            warming.cancel()
            warmer_of_app(app).stop()
            migrating: asyncio.Task[None] | None = getattr(app.state, "migrating", None)
            if migrating is not None:
                migrating.cancel()
            if own:
                await app.state.graph.close()

    app = Starlette(
        routes=[
            Route("/", root),
            *ops_routes(ready_timeout=settings.likeness_ready_timeout, warmer_of=warmer_of),
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            # subscriptions: graphql-transport-ws, authenticated in connection_init (on_ws_connect)
            WebSocketRoute("/graphql", graphql),
            Route("/cases/{subject}.html", case_file, methods=["GET"]),
            Route("/signed/{asset}", signed, methods=["GET"]),
            Route("/explore", explore, methods=["GET"]),
            static_mount(),
        ],
        exception_handlers=_router_refusals(),
        middleware=[
            Middleware(
                OpsMiddleware,
                max_body_bytes=settings.likeness_max_body_bytes,
                upload_max_bytes=settings.likeness_upload_max_bytes,
            )
        ],
        lifespan=lifespan,
    )
    if graph is not None:
        app.state.graph = graph
        app.state.broker = Broker(graph.background(), settings.likeness_alert_poll_seconds)
    app.state.files = FileWorkers.of(settings)
    # the signing keys are checked now: set but unusable, the app is not made (a clear error at start)
    app.state.signer = signing_keys(settings)
    if app.state.signer is not None:
        logger.info(
            "publishAsset(sign: true) signs as %s (%s)", app.state.signer.subject, app.state.signer.algorithm
        )
    app.state.faces = FaceSearches.of(settings)
    app.state.settings = settings
    app.state.laws = laws
    return app
