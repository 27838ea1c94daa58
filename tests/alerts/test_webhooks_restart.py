"""At least once across a crash: the API, a real process, killed with SIGKILL between the alert's commit
and its delivery, delivers it after it is started again, under the same `webhook-id`.

The API runs as `uvicorn likeness.app:create_app --factory` against the test Neo4j, as `likeness serve`
runs it; the first test's revocation is committed by that process, through its API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from likeness.config import Settings
from likeness.graph.driver import Graph
from tests.alerts.conftest import REVOKE, ago, published_world, register, until, write_alert
from tests.alerts.receiver import Receiver, receiving
from tests.conftest import ADMIN_TOKEN, Api
from tests.ops.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
# a try may hang for this long; the claim of a process killed mid-try runs out this plus 10 s after
TIMEOUT_SECONDS = 3


@contextmanager
def api_process(settings: Settings, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The API as a process of its own on a free port, ready (with its base URL); killed (if still alive)
    on exit."""
    assert settings.neo4j_uri is not None
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "LIKENESS_ADMIN_TOKEN": ADMIN_TOKEN,
        "LIKENESS_WARM_UP": "0",
        # as every test's settings: a busy machine must not turn a slow first write into a QUERY_TIMEOUT
        "LIKENESS_QUERY_TIMEOUT": "120",
        "LIKENESS_WEBHOOK_ALLOW_PRIVATE": "1",
        "LIKENESS_WEBHOOK_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
        "LIKENESS_WEBHOOK_BACKOFF_SECONDS": "0.2",
        "LIKENESS_WEBHOOK_POLL_SECONDS": "0.1",
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "likeness.app:create_app", "--factory", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"the API exited: {log.read_text()[-2000:]}"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"the API was not ready in 120 s: {log.read_text()[-2000:]}"
            time.sleep(0.2)
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _kill_hard(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


async def test_killed_mid_send_it_delivers_after_the_restart_under_the_same_webhook_id(
    hooks_api: Api, graph: Graph, settings: Settings, receiver: Receiver, tmp_path: Path
) -> None:
    brands = await published_world(hooks_api, graph)
    made = await register(hooks_api, brands["brand-nordhem"], "hook-n", receiver.url(), ["CONSENT_REVOKED"])
    receiver.released.clear()  # the receiver takes the request and holds it: the try is in flight
    log = tmp_path / "api.log"
    with api_process(settings, log) as (first, base):
        # the revocation committed by the API process itself
        revocation = {"input": {"consentId": "consent-long", "revokedAt": ago(days=1)}}
        answer = httpx.post(
            f"{base}/graphql",
            json={"query": REVOKE, "variables": revocation},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            timeout=60,
        )
        assert answer.json() == {"data": {"revokeConsent": {"id": "consent-long"}}}, answer.text
        [held] = await until(lambda: receiver.at("/hook"), what="the first try")
        _kill_hard(first)
    # the try was never answered, nothing recorded it: the delivery is pending, claimed by the dead process
    [pending] = await graph.query(
        "MATCH (d:Delivery) RETURN d.id AS id, d.status AS status, d.attemptLog AS attempts, "
        "d.leaseHolder IS NOT NULL AS claimed"
    )
    assert pending == {"id": held.webhook_id, "status": "PENDING", "attempts": [], "claimed": True}
    receiver.released.set()
    with api_process(settings, log):
        requests = await until(
            lambda: len(receiver.at("/hook")) >= 2 and receiver.at("/hook"), seconds=90, what="the resend"
        )
        assert [request.webhook_id for request in requests] == [held.webhook_id] * 2
        delivered = requests[1].verified(made["secret"])
        assert (delivered["type"], delivered["subjectId"]) == ("CONSENT_REVOKED", "consent-long")
        assert delivered == requests[0].verified(made["secret"])
        await until(
            lambda: graph.query("MATCH (d:Delivery {status: 'DELIVERED'}) RETURN d.id AS id"),
            what="DELIVERED",
        )


async def test_unreachable_at_commit_and_killed_it_delivers_once_the_receiver_listens(
    hooks_api: Api, brands: dict[str, str], graph: Graph, settings: Settings, tmp_path: Path
) -> None:
    port = free_port()  # nothing listens there yet
    made = await register(
        hooks_api, brands["brand-a"], "hook-a", f"http://127.0.0.1:{port}/hook", ["CONSENT_REVOKED"]
    )
    log = tmp_path / "api.log"
    with api_process(settings, log) as (first, _):
        alert_id = await write_alert(graph, "CONSENT_REVOKED", ["brand-a"])
        tried = await until(
            lambda: graph.query(
                "MATCH (d:Delivery) WHERE size(d.attemptLog) > 0 RETURN d.id AS id, d.status AS status"
            ),
            what="a failed try",
        )
        _kill_hard(first)
    assert tried[0]["status"] == "PENDING"
    with receiving(port) as receiver, api_process(settings, log):
        [request] = await until(
            lambda: receiver.at("/hook"), seconds=90, what="the delivery after the restart"
        )
        assert request.webhook_id == tried[0]["id"]
        assert request.verified(made["secret"])["id"] == alert_id
