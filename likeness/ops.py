"""Operating the API: request ids, the request body limit, one log line and the metrics per request,
the error envelope for failures outside GraphQL, and the liveness, readiness and metrics endpoints.

`OpsMiddleware` wraps the whole app. Each request gets an `Exchange` (in its ASGI scope) that the
endpoints fill in as they learn things (the caller's role, the operation, the outcome); when the
request ends the middleware logs it and counts it. An exception that escapes an endpoint becomes an
answer here: 503 when Neo4j cannot be reached (no driver text reaches the client), 413 for a body over
the limit, else a masked 500 whose traceback is logged once with the request id. docs/operations.md
describes all of it for whoever runs the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import uuid
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from time import monotonic, perf_counter
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from likeness.errors import GraphUnavailable
from likeness.graph.driver import Graph, is_unavailable

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("likeness.requests")

REQUEST_ID_HEADER = "X-Request-Id"
# on every answer, unless the endpoint chose its own: no answer is sniffed into another type, and no page
# of the API tells another site where its visitor came from (the explorer's routes name nodes)
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
# an incoming request id is kept when it looks like one (uuids, hex, trace ids); anything else is replaced
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,99}")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

UNAVAILABLE_MESSAGE = "the database is unavailable; try again shortly"
# seconds a client is asked to wait after a 503
RETRY_AFTER = "2"

# routes whose requests are logged at DEBUG: probes and scrapes would drown the API's own lines
_QUIET_ROUTES = {"/healthz", "/health", "/readyz", "/metrics", "/static"}
_ROUTES = {"/graphql", "/", "/healthz", "/health", "/readyz", "/metrics"}

# operation labels come from the schema's root fields (a bounded set); past this many distinct ones all the
# same, the rest count as "other"
MAX_OPERATION_LABELS = 200
_operation_labels: set[str] = set()

REQUESTS = Counter(
    "likeness_requests",
    "HTTP requests answered, by route, GraphQL operation and outcome",
    ["route", "operation", "outcome"],
)
REQUEST_SECONDS = Histogram(
    "likeness_request_duration_seconds",
    "Time to answer an HTTP request, by route, GraphQL operation and outcome",
    ["route", "operation", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0),
)
ERRORS = Counter(
    "likeness_errors",
    "Errors answered to clients, by GraphQL operation and error code",
    ["operation", "code"],
)
IN_FLIGHT = Gauge("likeness_requests_in_flight", "HTTP requests being answered now")
NEO4J_UP = Gauge("likeness_neo4j_up", "Whether the last readiness probe found Neo4j answering (1) or not (0)")


@dataclass
class Exchange:
    """One request as operations see it; the endpoints fill in what they learn."""

    request_id: str
    method: str
    path: str
    # the media type the client accepts for GraphQL answers and error envelopes
    media_type: str = JSON
    role: str = "-"
    # how the log line names the operation (a GraphQL operation's own name, which the client chooses)
    operation: str = "-"
    # how the metrics name it: set by the server only (a GraphQL operation's type and root fields, once
    # they validated against the schema), so a client cannot mint labels; None: `operation`, which the
    # routes other than /graphql set themselves
    metric_operation: str | None = None
    # set by whoever knows better than the status code (e.g. "error" for a 200 carrying domain errors)
    outcome: str | None = None
    # the status the GraphQL view chose for its answer (None: strawberry's own)
    graphql_status: int | None = None
    # the status sent
    status: int | None = None
    error_codes: list[str] = field(default_factory=list)

    @property
    def route(self) -> str:
        if self.path in _ROUTES:
            return self.path
        if self.path.startswith("/cases/"):
            return "/cases"
        return "/static" if self.path.startswith("/static/") else "other"


def exchange_of(connection: HTTPConnection) -> Exchange:
    """The request's exchange (the middleware always made one)."""
    exchange: Exchange = connection.scope["likeness.exchange"]
    return exchange


def request_id_from(incoming: str | None) -> str:
    """The client's X-Request-Id when it looks like an id, else a fresh one."""
    if incoming is not None and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def negotiated_media_type(accept: str) -> str:
    """application/graphql-response+json when the client accepts it at least as much as application/json,
    else application/json (also for a missing or wildcard Accept)."""
    weights: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        weights[media] = max(weights.get(media, 0.0), quality)
    graphql = weights.get(GRAPHQL_RESPONSE, 0.0)
    json = max(weights.get(JSON, 0.0), weights.get("application/*", 0.0), weights.get("*/*", 0.0))
    return GRAPHQL_RESPONSE if graphql > 0 and graphql >= json else JSON


def operation_label(operation: str) -> str:
    """The metrics label of an operation: its name, until MAX_OPERATION_LABELS distinct ones are seen."""
    if operation in _operation_labels:
        return operation
    if len(_operation_labels) >= MAX_OPERATION_LABELS:
        return "other"
    _operation_labels.add(operation)
    return operation


def error_entry(code: str, message: str, **extensions: Any) -> dict[str, Any]:
    """One error of the envelope: the message and its code (plus any other extensions)."""
    return {"message": message, "extensions": {"code": code, **extensions}}


def error_response(
    exchange: Exchange,
    status: int,
    code: str,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """A failure outside GraphQL execution, as the same envelope GraphQL errors use."""
    exchange.error_codes.append(code)
    return JSONResponse(
        {"errors": [error_entry(code, message, **extensions)]},
        status_code=status,
        headers=headers,
        media_type=exchange.media_type,
    )


def unavailable_response(exchange: Exchange) -> Response:
    return error_response(
        exchange, 503, "SERVICE_UNAVAILABLE", UNAVAILABLE_MESSAGE, headers={"Retry-After": RETRY_AFTER}
    )


def internal_error_entry(exchange: Exchange) -> dict[str, Any]:
    """What the client learns of an unexpected error: that it happened, and the id to report."""
    exchange.error_codes.append("INTERNAL_ERROR")
    return error_entry(
        "INTERNAL_ERROR", f"internal error (request {exchange.request_id})", requestId=exchange.request_id
    )


def log_internal_error(exchange: Exchange, error: BaseException | None, detail: str) -> None:
    """The one log record of an unexpected error: with its traceback when there is an exception."""
    logger.error(
        "internal error (request %s): %s",
        exchange.request_id,
        detail,
        exc_info=(type(error), error, error.__traceback__) if error is not None else None,
        extra={"requestId": exchange.request_id},
    )


# Failed authentications (a credential looked up and not found, or revoked): past this many from one
# client address within the window, that address's credentials are not looked up at all (each lookup is a
# Neo4j read) and it is answered 429 with Retry-After until the window has passed (docs/operations.md)
AUTH_FAILURES_ALLOWED = 10
AUTH_FAILURE_WINDOW = 60.0
# the addresses remembered at most (the oldest forgotten first): the memory a flood of addresses can take
_AUTH_ADDRESSES_KEPT = 10_000


class FailedAuthentications:
    """Recent failed authentications by client address, to throttle guessing."""

    def __init__(
        self,
        *,
        allowed: int = AUTH_FAILURES_ALLOWED,
        window: float = AUTH_FAILURE_WINDOW,
        clock: Callable[[], float] = monotonic,
    ) -> None:
        self.allowed = allowed
        self.window = window
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, address: str) -> deque[float]:
        failures = self._failures.get(address)
        if failures is None:
            return deque()
        horizon = self._clock() - self.window
        while failures and failures[0] <= horizon:
            failures.popleft()
        if not failures:
            del self._failures[address]
        return failures

    def retry_after(self, address: str) -> int | None:
        """Whole seconds until `address` may try again; None when it may now."""
        failures = self._recent(address)
        if len(failures) < self.allowed:
            return None
        return max(1, math.ceil(failures[-self.allowed] + self.window - self._clock()))

    def failed(self, address: str) -> None:
        failures = self._failures.setdefault(address, deque())
        failures.append(self._clock())
        self._failures.move_to_end(address)
        while len(failures) > self.allowed:
            failures.popleft()
        while len(self._failures) > _AUTH_ADDRESSES_KEPT:
            self._failures.popitem(last=False)


def client_address(connection: HTTPConnection) -> str:
    """The peer's address (behind a proxy, the proxy's unless uvicorn is told to trust its headers:
    docs/operations.md)."""
    return connection.client.host if connection.client is not None else "-"


class BodyTooLarge(Exception):
    """The request body passed the limit (raised from `receive` while the body streams in)."""

    def __init__(self, limit: int, setting: str = "LIKENESS_MAX_BODY_BYTES") -> None:
        super().__init__(f"the request body is larger than {limit} bytes")
        self.limit = limit
        self.setting = setting  # the environment variable that sets the limit


UPLOAD_LIMIT_SETTING = "LIKENESS_UPLOAD_MAX_BYTES"


def is_upload(path: str, content_type: str) -> bool:
    """Whether a request is a GraphQL multipart request (files sent to /graphql), held to the upload limit."""
    return path == "/graphql" and content_type.split(";")[0].strip().lower() == "multipart/form-data"


class OpsMiddleware:
    """Request id, body limit, failures as envelopes, then one log line and the metrics per request."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, upload_max_bytes: int | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.upload_max_bytes = upload_max_bytes if upload_max_bytes is not None else max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        exchange = Exchange(
            request_id=request_id_from(headers.get("x-request-id")),
            method=scope["method"],
            path=scope["path"],
            media_type=negotiated_media_type(headers.get("accept", "")),
        )
        scope["likeness.exchange"] = exchange
        started = perf_counter()
        IN_FLIGHT.inc()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                headers = MutableHeaders(scope=message)
                headers.append(REQUEST_ID_HEADER, exchange.request_id)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        if is_upload(scope["path"], headers.get("content-type", "")):
            too_large = BodyTooLarge(self.upload_max_bytes, UPLOAD_LIMIT_SETTING)
        else:
            too_large = BodyTooLarge(self.max_body_bytes)
        try:
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > too_large.limit:
                raise too_large
            await self.app(scope, self._limited(receive, too_large), send_with_id)
        except Exception as error:
            if exchange.status is not None:
                # the answer has begun: nothing to replace it with; uvicorn closes the connection
                log_internal_error(exchange, error, "failed while sending the answer")
                raise
            await self._failure(exchange, error)(scope, receive, send_with_id)
        finally:
            IN_FLIGHT.dec()
            _finish(exchange, perf_counter() - started)

    def _limited(self, receive: Receive, too_large: BodyTooLarge) -> Receive:
        """`receive`, counting body bytes: `too_large` as soon as they pass its limit, before the rest is
        read (a 500 MB upload costs one chunk over the limit, not 500 MB of memory)."""
        received = 0
        limit = too_large.limit

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large
            return message

        return limited

    def _failure(self, exchange: Exchange, error: Exception) -> Response:
        if isinstance(error, BodyTooLarge):
            exchange.outcome = "too_large"
            return error_response(
                exchange,
                413,
                "PAYLOAD_TOO_LARGE",
                f"the request body is larger than the limit of {error.limit} bytes ({error.setting})",
                headers={"Connection": "close"},
                limitBytes=error.limit,
                limit=error.setting,
            )
        if is_unavailable(error):
            exchange.outcome = "unavailable"
            return unavailable_response(exchange)
        exchange.outcome = "internal"
        log_internal_error(exchange, error, f"{type(error).__name__} outside GraphQL execution")
        response = JSONResponse(
            {"errors": [internal_error_entry(exchange)]}, status_code=500, media_type=exchange.media_type
        )
        return response


_OUTCOMES = {401: "unauthenticated", 413: "too_large", 429: "throttled", 503: "unavailable", 504: "timeout"}


def _outcome_of(status: int) -> str:
    if status < 400:
        return "ok"
    return _OUTCOMES.get(status, "internal" if status >= 500 else "bad_request")


def _finish(exchange: Exchange, seconds: float) -> None:
    """Count the request and write its log line."""
    status = exchange.status or 500
    outcome = exchange.outcome or _outcome_of(status)
    operation = operation_label(
        exchange.metric_operation if exchange.metric_operation is not None else exchange.operation
    )
    REQUESTS.labels(route=exchange.route, operation=operation, outcome=outcome).inc()
    REQUEST_SECONDS.labels(route=exchange.route, operation=operation, outcome=outcome).observe(seconds)
    for code in exchange.error_codes:
        ERRORS.labels(operation=operation, code=code).inc()
    duration_ms = round(seconds * 1000, 1)
    level = logging.DEBUG if exchange.route in _QUIET_ROUTES else logging.INFO
    request_logger.log(
        level,
        "%s %s %d %s %.1f ms (request %s, role %s, operation %s)",
        exchange.method,
        exchange.path,
        status,
        outcome,
        duration_ms,
        exchange.request_id,
        exchange.role,
        exchange.operation,
        extra={
            "requestId": exchange.request_id,
            "method": exchange.method,
            "path": exchange.path,
            "status": status,
            "outcome": outcome,
            "durationMs": duration_ms,
            "role": exchange.role,
            "operation": exchange.operation,
        },
    )


class _DropRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


_DROP = _DropRecords()


def quiet_strawberry_errors() -> None:
    """Strawberry logs every GraphQL error with its traceback (domain and validation errors included);
    the app logs the unexpected ones itself, once, with the request id (likeness.app)."""
    logging.getLogger("strawberry.execution").addFilter(_DROP)


# how long /readyz waits for a warm-up under way before answering "warming" (probes give up after a few
# seconds; the warm-up goes on, and a later probe finds it done)
WARM_UP_WAIT = 5.0


class Warmer:
    """Readiness's warm-up (likeness.ingest.warmup): run against the current Neo4j once, and again
    whenever the graph may have met a new server (`graph.cold`: Neo4j was unreachable meanwhile)."""

    def __init__(self, graph: Graph, warm_up: Callable[[Graph], Coroutine[Any, Any, None]]) -> None:
        self.graph = graph
        self._warm_up = warm_up
        self._running: asyncio.Task[None] | None = None

    def start(self) -> asyncio.Task[None] | None:
        """Begin the warm-up unless the graph is warm or one is under way; the one under way, if any."""
        if self._running is not None and not self._running.done():
            return self._running
        if not self.graph.cold:
            return None
        self._running = asyncio.create_task(self._warm_up(self.graph))
        self._running.add_done_callback(_report_warm_up)
        return self._running

    async def wait(self, seconds: float) -> bool:
        """Whether the graph is warm, waiting up to `seconds` for a warm-up (started if need be)."""
        running = self.start()
        if running is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(seconds):
                    await asyncio.shield(running)
        return not self.graph.cold and (self._running is None or self._running.done())

    def stop(self) -> None:
        if self._running is not None:
            self._running.cancel()


def _report_warm_up(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None and not is_unavailable(error):
        logger.warning("warm-up failed: %s: %s", type(error).__name__, error, exc_info=error)


def ops_routes(*, ready_timeout: float, warmer_of: Callable[[Request], Warmer] | None = None) -> list[Route]:
    """/healthz (and /health): the process answers. /readyz: Neo4j answers, and every statement the API
    runs has been warmed against it (`warmer_of`). /metrics: Prometheus."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        graph: Graph = request.app.state.graph
        migrating: asyncio.Task[None] | None = getattr(request.app.state, "migrating", None)
        started = perf_counter()
        try:
            if migrating is not None and not migrating.done():
                # started while Neo4j was away: ready once it answered and the schema is in place
                raise GraphUnavailable("Neo4j has not answered since the API started")
            await graph.ping(ready_timeout)
            neo4j_ms = round((perf_counter() - started) * 1000, 1)
        except Exception as error:
            NEO4J_UP.set(0)
            if not (is_unavailable(error) or isinstance(error, TimeoutError)):
                logger.warning("readiness probe failed: %s: %s", type(error).__name__, error)
            return JSONResponse({"status": "unavailable", "neo4j": "down"}, status_code=503)
        NEO4J_UP.set(1)
        if warmer_of is not None and not await warmer_of(request).wait(WARM_UP_WAIT):
            return JSONResponse({"status": "warming", "neo4j": "up"}, status_code=503)
        return JSONResponse({"status": "ready", "neo4j": "up", "neo4jMs": neo4j_ms})

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    endpoints: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = [
        ("/healthz", healthz),
        ("/health", healthz),
        ("/readyz", readyz),
        ("/metrics", metrics),
    ]
    return [Route(path, endpoint, methods=["GET"]) for path, endpoint in endpoints]
