"""Sending webhooks: the API's two background loops, the fan-out and the sender, and the retry schedule.

The fan-out (likeness.alerts.webhooks.fan_out) turns new alerts into deliveries; the sender claims the due
ones (a lease of each delivery's own, so that two replicas never send one at the same time) and POSTs the
alert as JSON, signed per the Standard Webhooks specification with the webhook's secret: headers
`webhook-id` (the delivery's id, the same on every attempt and replay), `webhook-timestamp` (the
attempt's, in seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).

Delivery is at least once: a 2xx answer marks the delivery DELIVERED; anything else (another status, a
redirect — never followed —, a refused target, a connection error, no answer within
LIKENESS_WEBHOOK_TIMEOUT_SECONDS) is an attempt recorded with its time, status code and a short error,
and the delivery is tried again after a wait doubling each time:

    wait after the n-th failed try = min(base × 2^(n-1), 1 hour), less a random 0–10 %

with base LIKENESS_WEBHOOK_BACKOFF_SECONDS (5 s): 5, 10, 20, 40, 80, 160, 320 s. The time of the next try is
stored on the delivery, so a restart continues the schedule. After LIKENESS_WEBHOOK_MAX_ATTEMPTS tries (8)
the delivery is FAILED (about 10.5 minutes after the first try with the defaults); `replayAlert` queues it
again. A process killed while sending leaves its claim to run out (the timeout and a margin), and another
process, or the same one restarted, sends the delivery again under the same id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from time import perf_counter
from typing import Any

import httpx
import orjson
from prometheus_client import Counter, Histogram
from standardwebhooks import Webhook as Signer

from likeness.alerts import broker, guard
from likeness.alerts.webhooks import attempt_text, fan_out
from likeness.config import Settings
from likeness.errors import LikenessError
from likeness.graph import webhooks as stored
from likeness.graph.driver import Graph
from likeness.graph.reads import plain

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600.0
JITTER = 0.10
# a claim outlives the attempt's timeout by this much (time to record the outcome)
CLAIM_MARGIN_SECONDS = 10.0
# sends in flight at once, per process; more are claimed once half of them are done
CONCURRENT_SENDS = 32
# the most bytes of an answer's body read (and dropped) to keep its connection for the next send
ANSWER_BYTES_READ = 64 * 1024
# the most characters of an error kept on an attempt
ERROR_CHARS = 200

ATTEMPTS = Counter(
    "likeness_webhook_attempts_total",
    "Webhook delivery attempts, by outcome: delivered (2xx), retrying (failed, tried again later), failed "
    "(failed, no tries left)",
    ["outcome"],
)
ATTEMPT_SECONDS = Histogram(
    "likeness_webhook_attempt_seconds",
    "How long one webhook delivery attempt took (resolving the host, connecting, sending, the answer's "
    "status), by outcome",
    ["outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def backoff_seconds(failed_tries: int, base: float, *, jitter: float | None = None) -> float:
    """How long to wait after the n-th failed try: base × 2^(n-1), at most an hour, less up to 10 %."""
    wait = min(base * 2 ** max(failed_tries - 1, 0), MAX_BACKOFF_SECONDS)
    share = random.uniform(0.0, JITTER) if jitter is None else jitter
    return wait * (1.0 - share)


def payload(alert: dict[str, Any]) -> bytes:
    """The body of a webhook: the alert's fields as JSON (camelCase, instants in ISO 8601)."""
    fields = {name: plain(alert.get(name)) for name in _PAYLOAD_FIELDS}
    return orjson.dumps(fields)


_PAYLOAD_FIELDS = ("id", "seq", "type", "at", "subjectId", "subjectKind", "code", "deadline", "summary")


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def post_signed(
    client: httpx.AsyncClient,
    *,
    url: str,
    secret: str,
    message_id: str,
    body: bytes,
    allow_private: bool,
    timeout: float,
) -> Outcome:
    """POST the body to the webhook's URL, signed, at the address the guard checked just now; the answer's
    status or why there was none."""
    try:
        async with asyncio.timeout(timeout):
            target = await guard.resolve(url, allow_private=allow_private)
            sent_at = datetime.now(UTC)
            headers = {
                "host": target.host_header,
                "content-type": "application/json",
                "user-agent": "likeness-webhooks",
                "webhook-id": message_id,
                "webhook-timestamp": str(int(sent_at.timestamp())),
                "webhook-signature": Signer(secret).sign(message_id, sent_at, body),
            }
            extensions = {"sni_hostname": target.host} if url.lower().startswith("https:") else {}
            request = client.build_request(
                "POST", target.pinned_url, content=body, headers=headers, extensions=extensions
            )
            response = await client.send(request, stream=True)
            try:
                # the status says all; a short body is read (and dropped) so that the connection is kept
                # for the next send, a long one is not: the connection is closed instead
                kept = 0
                async for chunk in response.aiter_raw():
                    kept += len(chunk)
                    if kept > ANSWER_BYTES_READ:
                        break
            finally:
                await response.aclose()
    except LikenessError as refused:
        return Outcome(None, refused.message[:ERROR_CHARS])
    except TimeoutError:
        return Outcome(None, f"no answer within {timeout:g} s")
    except httpx.HTTPError as error:
        return Outcome(None, f"{type(error).__name__}: {error}"[:ERROR_CHARS] or type(error).__name__)
    if 200 <= response.status_code < 300:
        return Outcome(response.status_code, None)
    return Outcome(response.status_code, f"answered HTTP {response.status_code}")


class WebhookWorkers:
    """The fan-out and the sender of one process, as two asyncio tasks (started in the app's lifespan)."""

    def __init__(self, graph: Graph, settings: Settings) -> None:
        self.graph = graph
        self.holder = f"webhooks-{uuid.uuid4().hex}"
        self.poll = settings.likeness_webhook_poll_seconds
        self.timeout = settings.likeness_webhook_timeout_seconds
        self.max_attempts = max(settings.likeness_webhook_max_attempts, 1)
        self.backoff = settings.likeness_webhook_backoff_seconds
        self.allow_private = settings.likeness_webhook_allow_private
        # set by broker.nudge() after each commit of this process (alerts are written with the writes)
        self._fanout_wake = broker.waker()
        self._sender_wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._sending: set[asyncio.Task[None]] = set()
        # attempts made, waiting to be recorded (in one transaction for all that are waiting)
        self._made: list[dict[str, Any]] = []
        self._made_wake = asyncio.Event()
        self._client: httpx.AsyncClient | None = None

    def start(self, after: asyncio.Task[Any] | None = None) -> None:
        """Start both loops (after `after`, the schema's migration, when given)."""
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(self.timeout),
            limits=httpx.Limits(max_connections=CONCURRENT_SENDS, max_keepalive_connections=CONCURRENT_SENDS),
        )
        self._tasks = [
            asyncio.create_task(self._run(self._fanning_out, after), name="webhook-fanout"),
            asyncio.create_task(self._run(self._sending_due, after), name="webhook-sender"),
            asyncio.create_task(self._recording(), name="webhook-attempts"),
        ]
        _RUNNING.add(self)

    async def stop(self) -> None:
        """Stop both loops and the sends in flight (their claims run out; another process sends them)."""
        _RUNNING.discard(self)
        for task in [*self._tasks, *self._sending]:
            task.cancel()
        for task in [*self._tasks, *self._sending]:
            with contextlib.suppress(BaseException):
                await task
        self._tasks, self._sending = [], set()
        with contextlib.suppress(Exception):
            await self._record_made()  # what was answered is kept; the rest is sent again
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def wake(self) -> None:
        """Look for new alerts and due deliveries now rather than at the next tick."""
        self._fanout_wake.set()
        self._sender_wake.set()

    async def _run(self, loop: Any, after: asyncio.Task[Any] | None) -> None:
        if after is not None:
            with contextlib.suppress(BaseException):
                await asyncio.shield(after)
        await loop()

    async def _fanning_out(self) -> None:
        while True:
            try:
                done = await fan_out(self.graph, holder=self.holder)
            except Exception:
                logger.exception("webhook fan-out failed; trying again in %.1f s", self.poll)
                done = None
            if done is not None and done.deliveries:
                self._sender_wake.set()
            if done is not None and done.alerts:
                continue  # more may be waiting past this batch
            await _wait(self._fanout_wake, self.poll)

    async def _sending_due(self) -> None:
        while True:
            room = CONCURRENT_SENDS - len(self._sending)
            claimed: list[dict[str, Any]] = []
            # claims are made in batches: when half the sends in flight are done, or none is left
            if room >= CONCURRENT_SENDS // 2 or not self._sending:
                now = datetime.now(UTC)
                try:
                    claimed = await stored.claim_due(
                        self.graph,
                        holder=self.holder,
                        now=now,
                        until=now + timedelta(seconds=self.timeout + CLAIM_MARGIN_SECONDS),
                        limit=room,
                    )
                except Exception:
                    logger.exception("claiming webhook deliveries failed; trying again in %.1f s", self.poll)
            for delivery in claimed:
                task = asyncio.create_task(self._attempt(delivery))
                self._sending.add(task)
                task.add_done_callback(self._sent)
            if not claimed or len(self._sending) > CONCURRENT_SENDS // 2:
                await _wait(self._sender_wake, self.poll)  # a send finishing (or new work) wakes it

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        self._sender_wake.set()

    async def _attempt(self, delivery: dict[str, Any]) -> None:
        assert self._client is not None  # started
        started = perf_counter()
        at = datetime.now(UTC)
        outcome = await post_signed(
            self._client,
            url=delivery["url"],
            secret=delivery["secret"],
            message_id=delivery["id"],
            body=payload(delivery["alert"]),
            allow_private=self.allow_private,
            timeout=self.timeout,
        )
        tries = int(delivery["attempts"]) + 1
        if outcome.delivered:
            status, next_at, label = "DELIVERED", None, "delivered"
        elif tries >= self.max_attempts:
            status, next_at, label = "FAILED", None, "failed"
        else:
            wait = backoff_seconds(tries, self.backoff)
            status, next_at, label = "PENDING", datetime.now(UTC) + timedelta(seconds=wait), "retrying"
        ATTEMPTS.labels(outcome=label).inc()
        ATTEMPT_SECONDS.labels(outcome=label).observe(perf_counter() - started)
        self._made.append(
            {
                "id": delivery["id"],
                "attempt": attempt_text(at, outcome.status_code, outcome.error),
                "status": status,
                "nextAttemptAt": next_at,
            }
        )
        self._made_wake.set()

    async def _recording(self) -> None:
        while True:
            await self._made_wake.wait()
            self._made_wake.clear()
            try:
                await self._record_made()
            except Exception:
                # their claims run out and the deliveries are sent again: at least once
                logger.exception("recording webhook attempts failed")

    async def _record_made(self) -> None:
        made, self._made = self._made, []
        if made:
            await stored.record_attempts(self.graph, holder=self.holder, rows=made)


async def _wait(event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
    event.clear()


# the workers running in this process, woken after a local commit (`wake`)
_RUNNING: weakref.WeakSet[WebhookWorkers] = weakref.WeakSet()


def wake() -> None:
    """Wake this process's webhook workers (after a commit that wrote alerts or queued deliveries)."""
    for workers in list(_RUNNING):
        workers.wake()
