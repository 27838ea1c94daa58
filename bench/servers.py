"""The processes a run needs: dedicated Neo4j servers (or NEO4J_URI) and the API under uvicorn."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.machine import ROOT, children, rss_kib
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.graph.migrations import migrate
from likeness.local_neo4j import LocalNeo4j


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Neo4jSpec:
    """Where a run's Neo4j lives: an existing server (uri) or a local one started in data_dir."""

    uri: str | None
    data_dir: Path
    heap: str
    pagecache: str
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"
    # a local server only: plugin jars (APOC core, for the peer: bench.peer.with_plugins) and settings
    plugins_dir: Path | None = None
    extra_config: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # a local server starts with authentication on and this password (set at every start)
        if self.uri is None and not self.password:
            object.__setattr__(self, "password", secrets.token_urlsafe(24))

    def settings(self, uri: str) -> Settings:
        return Settings(
            neo4j_uri=uri, neo4j_user=self.user, neo4j_password=self.password, neo4j_database=self.database
        )


@contextmanager
def neo4j(spec: Neo4jSpec, name: str) -> Iterator[str]:
    """A Bolt URI to use: the given server, or a local one in `data_dir/name` on a free port, stopped
    after."""
    if spec.uri is not None:
        yield spec.uri
        return
    server = LocalNeo4j(
        data_dir=spec.data_dir / name,
        port=free_port(),
        heap=spec.heap,
        pagecache=spec.pagecache,
        password_given=spec.password,
        plugins_dir=spec.plugins_dir,
        extra_config=spec.extra_config,
    )
    server.start(timeout=300)
    try:
        yield server.uri
    finally:
        server.stop()


async def open_bench_graph(spec: Neo4jSpec, uri: str) -> Graph:
    graph = Graph.connect(uri, spec.settings(uri))
    await graph.driver.verify_connectivity()
    await migrate(graph)
    return graph


async def wipe(graph: Graph) -> None:
    """Empty the database (constraints and indexes stay)."""
    async with graph.driver.session(database=graph.database) as session:
        await (
            await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        ).consume()


async def server_facts(graph: Graph) -> dict[str, Any]:
    """The Neo4j version and the settings that matter for speed."""
    facts: dict[str, Any] = {}
    rows = await graph.query(
        "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition"
    )
    if rows:
        facts.update(version=rows[0]["version"], edition=rows[0]["edition"])
    try:
        settings = await graph.query(
            "SHOW SETTINGS YIELD name, value WHERE name IN $names RETURN name, value",
            names=[
                "server.memory.pagecache.size",
                "server.memory.heap.max_size",
                "db.tx_log.preallocate",
                "server.bolt.thread_pool_max_size",
                "dbms.cypher.planner",
                "server.cypher.parallel.worker_limit",
            ],
        )
        facts["settings"] = {row["name"]: row["value"] for row in settings}
    except Exception as error:  # noqa: BLE001 - older servers answer SHOW SETTINGS differently
        facts["settings_error"] = str(error)[:200]
    return facts


@dataclass
class Api:
    """The API served by uvicorn in a subprocess, on loopback, with a fresh admin token."""

    uri: str
    spec: Neo4jSpec
    workers: int = 1
    factory: str = "likeness.app:create_app"
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def start(self, log_dir: Path, timeout: float = 300.0) -> None:
        env = {
            **os.environ,
            "NEO4J_URI": self.uri,
            "NEO4J_USER": self.spec.user,
            "NEO4J_PASSWORD": self.spec.password,
            "NEO4J_DATABASE": self.spec.database,
            "LIKENESS_ADMIN_TOKEN": self.token,
        }
        self.log_path = log_dir / f"api-{self.factory.split(':')[-1]}-{self.workers}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                self.factory,
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the API exited with code {self.process.returncode}; see {self.log_path}")
            try:
                # ready, not only alive: the API plans every statement it runs after it starts (about 45 s
                # here); a question asked meanwhile waits behind hundreds of plannings (~4x slower)
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the API did not answer within {timeout:.0f}s; see {self.log_path}")

    def pids(self) -> list[int]:
        """The uvicorn process and its workers."""
        if self.process is None:
            return []
        return [self.process.pid, *children(self.process.pid)]

    def memory(self) -> dict[str, Any]:
        """Resident memory of the API processes: now and peak, per process and summed, in MiB."""
        per = {pid: rss_kib(pid) for pid in self.pids()}
        return {
            "processes": len(per),
            "rss_mib": round(sum(m.get("VmRSS", 0) for m in per.values()) / 1024, 1),
            "peak_rss_mib": round(sum(m.get("VmHWM", 0) for m in per.values()) / 1024, 1),
            "peak_rss_mib_largest_process": round(
                max((m.get("VmHWM", 0) for m in per.values()), default=0) / 1024, 1
            ),
        }

    def stop(self) -> None:
        stop_group(self.process)
        self.process = None


def stop_group(process: subprocess.Popen[bytes] | None, timeout: float = 20.0) -> None:
    """Stop a process started in a session of its own, and its children: SIGTERM to the group, SIGKILL
    after `timeout` seconds."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
