"""The peer in the benchmark: @neo4j/graphql on Apollo Server, over the same database, asked the
shared questions beside Likeness.

The engine a user would pick instead of Likeness is a Node project of its own (bench/peer/: its
package.json and committed package-lock.json pin @neo4j/graphql, @apollo/server, graphql and
neo4j-driver; server.mjs serves bench/peer/typeDefs.graphql, the graph Likeness writes). `prepare`
installs it with `npm ci` into data/peer/ (gitignored; LIKENESS_PEER_DIR moves it) and fetches APOC
core, which @neo4j/graphql needs, with Maven into the same folder; the benchmark's own Neo4j (only
that one: the tests' and the dev server never get it) loads it as a plugin (`with_plugins`). The
peer's queries match nodes by label and id, so the benchmark's Neo4j gets an index on `id` for each
label the peer reads (`add_indexes`); Likeness's own unique `:Entity(id)` constraint serves Likeness.

Each shared question is asked of both, request by request, in alternating order (so neither side
always finds the pages the other just read), the answers of every request normalized and compared:

- provenance: an asset's chain (asset, twins, captures, persons, vendors, publisher, campaign,
  consents); verdicts are Likeness's own, so neither document asks for them;
- usage: a person's uses (assets rendering any twin of the person), the first 50 by publishedAt
  with the total;
- asset page: an organization's first 1,000 assets by publishedAt with five fields and the
  publisher's name, with the total (Likeness: the `Organization.assets` connection; skipped with a
  note while the schema lacks it);
- sustained provenance: 16 keep-alive clients from a second process, each side in turn
  (`python -m bench.peer load …`).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, LiteralString

import orjson

from bench.http import GraphQLClient, HttpError
from bench.machine import ROOT, load, rss_kib
from bench.questions import AS_OF_TEXT, USAGE_PAGE, Inputs
from bench.servers import Neo4jSpec, free_port, stop_group
from bench.sustained import closed_loop, http_client
from bench.timing import percentile, sample, summary
from likeness.graph.driver import Graph

SOURCE = ROOT / "bench" / "peer"
PROJECT_FILES = ("package.json", "package-lock.json", "server.mjs", "typeDefs.graphql")
PINNED = ("@neo4j/graphql", "@apollo/server", "graphql", "neo4j-driver")
LAUNCHER_POM = ROOT / "scripts" / "neo4j-launcher" / "pom.xml"
NODE_MAJOR = 20
ASSET_PAGE = 1_000
NEEDS_CONNECTION = "needs Organization.assets connection (first, orderBy, totalCount, nodes)"

# the labels the peer matches by id (bench/peer/typeDefs.graphql)
PEER_ID_INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX peer_asset_id IF NOT EXISTS FOR (n:Asset) ON (n.id)",
    "CREATE INDEX peer_person_id IF NOT EXISTS FOR (n:Person) ON (n.id)",
    "CREATE INDEX peer_organization_id IF NOT EXISTS FOR (n:Organization) ON (n.id)",
    "CREATE INDEX peer_twin_id IF NOT EXISTS FOR (n:Twin) ON (n.id)",
    "CREATE INDEX peer_capture_id IF NOT EXISTS FOR (n:Capture) ON (n.id)",
    "CREATE INDEX peer_consent_id IF NOT EXISTS FOR (n:Consent) ON (n.id)",
    "CREATE INDEX peer_campaign_id IF NOT EXISTS FOR (n:Campaign) ON (n.id)",
    "CREATE INDEX peer_sighting_id IF NOT EXISTS FOR (n:Sighting) ON (n.id)",
    "CREATE INDEX peer_payment_id IF NOT EXISTS FOR (n:Payment) ON (n.id)",
    "CREATE INDEX peer_notice_id IF NOT EXISTS FOR (n:TakedownNotice) ON (n.id)",
)

# ---- the shared questions: each side's document -------------------------------------------------

LIKENESS_PROVENANCE = """
query Provenance($id: ID!, $asOf: DateTime) {
  provenance(assetId: $id, asOf: $asOf) {
    asset { id publishedAt channel territories }
    twins { id version } captures { id kind } persons { id name } vendors { id name }
    publisher { id name } campaign { id name } consents { id purpose validUntil revokedAt }
  }
}"""

PEER_PROVENANCE = """
query Provenance($id: ID!) {
  assets(where: {id: {eq: $id}}) {
    id publishedAt channel territories
    twins {
      id version
      captures { id kind } person { id name } vendor { id name }
      consents { id purpose validUntil revokedAt }
    }
    publisher { id name }
    campaign { id name }
  }
}"""

LIKENESS_USAGE = """
query Usage($person: ID!, $asOf: DateTime, $first: Int!) {
  likenessUsage(personId: $person, asOf: $asOf, first: $first) {
    totalCount
    edges { node { id publishedAt channel publisher { id name } } }
    pageInfo { hasNextPage }
  }
}"""

PEER_USAGE = """
query Usage($person: ID!, $first: Int!) {
  assetsConnection(
    first: $first
    where: {twins: {some: {person: {some: {id: {eq: $person}}}}}}
    sort: [{publishedAt: ASC}, {id: ASC}]
  ) {
    totalCount
    edges { node { id publishedAt channel publisher { id name } } }
    pageInfo { hasNextPage }
  }
}"""

LIKENESS_ASSET_PAGE = """
query Page($id: ID!, $first: Int!) {
  organization(id: $id) {
    assets(first: $first, orderBy: {field: PUBLISHED_AT, direction: ASC}) {
      totalCount
      nodes { id sha256 channel mediaType publishedAt publisher { name } }
    }
  }
}"""

PEER_ASSET_PAGE = """
query Page($id: ID!, $first: Int!) {
  organizations(where: {id: {eq: $id}}) {
    assetsConnection(first: $first, sort: [{node: {publishedAt: ASC}}, {node: {id: ASC}}]) {
      totalCount
      edges { node { id sha256 channel mediaType publishedAt publisher { name } } }
    }
  }
}"""

# the peer's page checked against hand-written Cypher too (it runs even while Likeness lacks the connection)
ASSET_PAGE_CYPHER: LiteralString = """
    MATCH (o:Entity {id: $id}) WHERE o:Organization
    CALL (o) { MATCH (o)<-[:PUBLISHED_BY]-(a:Asset) RETURN count(a) AS total }
    CALL (o) {
      MATCH (o)<-[:PUBLISHED_BY]-(a:Asset)
      WITH a ORDER BY a.publishedAt, a.id LIMIT $first
      RETURN collect(a {.id, .sha256, .channel, .mediaType, publishedAt: toString(a.publishedAt),
                        publisher: COLLECT { MATCH (a)-[:PUBLISHED_BY]->(p) RETURN p {.name} }}) AS page
    }
    RETURN total, page
"""

# what `Organization.assets` takes, asked of Likeness before the asset page
FIELD_ARGS = """
query Args { __type(name: "Organization") { fields { name args { name } } } }"""

# ---- normalized answers: the same shape from either side ----------------------------------------


def _instant(value: str | None) -> str | None:
    """An instant in one spelling (either side may write milliseconds or an offset)."""
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()


def _pairs(nodes: Any, *names: str) -> list[tuple[Any, ...]]:
    """Distinct tuples of the named fields, sorted; a single node or null reads as a list."""
    if nodes is None:
        return []
    if isinstance(nodes, dict):
        nodes = [nodes]
    return sorted({tuple(node[name] for name in names) for node in nodes})


def _consents(nodes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted(
        {(c["id"], c["purpose"], _instant(c["validUntil"]), _instant(c["revokedAt"])) for c in nodes}
    )


def likeness_provenance(data: dict[str, Any]) -> dict[str, Any] | None:
    found = data["provenance"]
    if found is None:
        return None
    asset = found["asset"]
    return {
        "asset": (
            asset["id"],
            _instant(asset["publishedAt"]),
            asset["channel"],
            sorted(asset["territories"]),
        ),
        "twins": _pairs(found["twins"], "id", "version"),
        "captures": _pairs(found["captures"], "id", "kind"),
        "persons": _pairs(found["persons"], "id", "name"),
        "vendors": _pairs(found["vendors"], "id", "name"),
        "publisher": _pairs(found["publisher"], "id", "name"),
        "campaign": _pairs(found["campaign"], "id", "name"),
        "consents": _consents(found["consents"]),
    }


def peer_provenance(data: dict[str, Any]) -> dict[str, Any] | None:
    if not data["assets"]:
        return None
    asset = data["assets"][0]
    twins = asset["twins"]
    return {
        "asset": (
            asset["id"],
            _instant(asset["publishedAt"]),
            asset["channel"],
            sorted(asset["territories"]),
        ),
        "twins": _pairs(twins, "id", "version"),
        "captures": _pairs([c for t in twins for c in t["captures"]], "id", "kind"),
        "persons": _pairs([p for t in twins for p in t["person"]], "id", "name"),
        "vendors": _pairs([v for t in twins for v in t["vendor"]], "id", "name"),
        "publisher": _pairs(asset["publisher"], "id", "name"),
        "campaign": _pairs(asset["campaign"], "id", "name"),
        "consents": _consents([c for t in twins for c in t["consents"]]),
    }


def _use(node: dict[str, Any]) -> tuple[Any, ...]:
    publisher = node["publisher"]
    publishers = _pairs(publisher, "id", "name")
    return (node["id"], _instant(node["publishedAt"]), node["channel"], tuple(publishers))


def likeness_usage(data: dict[str, Any]) -> dict[str, Any]:
    found = data["likenessUsage"]
    return {
        "total": found["totalCount"],
        "page": [_use(edge["node"]) for edge in found["edges"]],
        "more": found["pageInfo"]["hasNextPage"],
    }


def peer_usage(data: dict[str, Any]) -> dict[str, Any]:
    found = data["assetsConnection"]
    return {
        "total": found["totalCount"],
        "page": [_use(edge["node"]) for edge in found["edges"]],
        "more": found["pageInfo"]["hasNextPage"],
    }


def _page(nodes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    rows = [
        (
            _instant(n["publishedAt"]),
            n["id"],
            n["sha256"],
            n["channel"],
            n["mediaType"],
            tuple(
                sorted(
                    p["name"]
                    for p in ([n["publisher"]] if isinstance(n["publisher"], dict) else n["publisher"] or [])
                )
            ),
        )
        for n in nodes
    ]
    # by publishedAt, ties by id: either side may break a tie its own way
    return sorted(rows)


def likeness_asset_page(data: dict[str, Any]) -> dict[str, Any] | None:
    found = data["organization"]
    if found is None:
        return None
    return {"total": found["assets"]["totalCount"], "page": _page(found["assets"]["nodes"])}


def peer_asset_page(data: dict[str, Any]) -> dict[str, Any] | None:
    if not data["organizations"]:
        return None
    found = data["organizations"][0]["assetsConnection"]
    return {"total": found["totalCount"], "page": _page([edge["node"] for edge in found["edges"]])}


async def cypher_asset_page(graph: Graph, organization: str, first: int) -> dict[str, Any] | None:
    rows = await graph.query(ASSET_PAGE_CYPHER, id=organization, first=first)
    if not rows:
        return None
    return {"total": rows[0]["total"], "page": _page(rows[0]["page"])}


def has_asset_connection(data: dict[str, Any]) -> bool:
    """Whether Likeness's Organization.assets takes the connection's arguments."""
    for item in (data.get("__type") or {}).get("fields") or []:
        if item["name"] == "assets":
            names = {arg["name"] for arg in item["args"]}
            return {"first", "orderBy"} <= names
    return False


# ---- installing the peer and APOC ----------------------------------------------------------------


class PeerUnavailable(RuntimeError):
    """The peer cannot run here; the message says what is missing and what to do."""


@dataclass(frozen=True)
class Installed:
    home: Path
    plugins_dir: Path
    node: str
    node_version: str
    versions: dict[str, str]


def peer_home() -> Path:
    return Path(os.environ.get("LIKENESS_PEER_DIR") or ROOT / "data" / "peer")


def neo4j_version() -> str:
    """The Neo4j version the project runs (the launcher's pom): APOC core must be the same one."""
    found = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", LAUNCHER_POM.read_text())
    if found is None:
        raise PeerUnavailable(f"no <neo4j.version> in {LAUNCHER_POM}")
    return found.group(1).strip()


def apoc_coordinates(version: str) -> str:
    return f"org.neo4j.procedure:apoc-core:{version}:jar:core"


def tools() -> tuple[str, str, str]:
    """node, npm and node's version; PeerUnavailable when either is missing or node is too old."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise PeerUnavailable(
            f"the peer needs Node {NODE_MAJOR}+ and npm on PATH ({'node' if node is None else 'npm'} "
            "is missing); install them (apt-get install nodejs npm) or run without the peer (--no-peer)"
        )
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    major = int(version.lstrip("v").split(".")[0] or 0) if version else 0
    if major < NODE_MAJOR:
        raise PeerUnavailable(f"the peer needs Node {NODE_MAJOR}+, found {version or 'none'} at {node}")
    return node, npm, version


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    """One install at a time in a folder (two benchmark runs may start together)."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _install(command: list[str], cwd: Path, failure: str) -> None:
    """Run one install step; PeerUnavailable with `failure` and the step's last lines when it fails."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stdout + done.stderr).strip().splitlines()
        raise PeerUnavailable(f"{failure}: " + " | ".join(detail[-3:]))


def prepare(log: Callable[[str], None] = print, home: Path | None = None) -> Installed:
    """The peer's node_modules (`npm ci` from the committed lock, again whenever the lock changes) and
    APOC core's jar (Maven), both under `home` (data/peer)."""
    node, npm, node_version = tools()
    home = home or peer_home()
    with _locked(home):
        for name in PROJECT_FILES:
            shutil.copyfile(SOURCE / name, home / name)
        lock = (SOURCE / "package-lock.json").read_bytes()
        digest = hashlib.sha256(lock + (SOURCE / "package.json").read_bytes()).hexdigest()
        marker = home / "installed.sha256"
        if (
            not (home / "node_modules").is_dir()
            or not marker.exists()
            or marker.read_text().strip() != digest
        ):
            log(f"installing the peer (npm ci) into {home} …")
            marker.unlink(missing_ok=True)
            # scripts stay off: no package the peer needs builds anything at install
            _install(
                [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
                home,
                "npm ci failed for the peer (is the npm registry reachable?)",
            )
            marker.write_text(digest + "\n")
        plugins = home / "plugins"
        version = neo4j_version()
        jar = plugins / f"apoc-core-{version}-core.jar"
        if not jar.is_file():
            log(f"fetching APOC core {version} ({apoc_coordinates(version)}) with Maven …")
            mvn = shutil.which("mvn")
            if mvn is None:
                raise PeerUnavailable("the peer needs APOC core, fetched with Maven: install maven")
            plugins.mkdir(parents=True, exist_ok=True)
            for old in plugins.glob("apoc-core-*.jar"):
                old.unlink()
            copy = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy"
            failure = f"Maven could not fetch {apoc_coordinates(version)}"
            _install(
                [
                    mvn,
                    "-q",
                    "-B",
                    copy,
                    f"-Dartifact={apoc_coordinates(version)}",
                    f"-DoutputDirectory={plugins}",
                ],
                home,
                failure,
            )
            if not jar.is_file():
                raise PeerUnavailable(f"{failure}: no {jar.name} in {plugins}")
    locked = orjson.loads(lock)["packages"]
    versions = {name: locked[f"node_modules/{name}"]["version"] for name in PINNED}
    versions["apoc-core"] = version
    return Installed(home=home, plugins_dir=plugins, node=node, node_version=node_version, versions=versions)


def with_plugins(spec: Neo4jSpec, installed: Installed) -> Neo4jSpec:
    """The benchmark's Neo4j with APOC core loaded and its procedures allowed."""
    return replace(
        spec,
        plugins_dir=installed.plugins_dir,
        extra_config=(("dbms.security.procedures.unrestricted", "apoc.*"),),
    )


async def add_indexes(graph: Graph) -> None:
    """An index on `id` for each label the peer matches (the benchmark's Neo4j only)."""
    async with graph.driver.session(database=graph.database) as session:
        for statement in PEER_ID_INDEXES:
            await (await session.run(statement)).consume()
        await (await session.run("CALL db.awaitIndexes(300)")).consume()


# ---- the peer's process -------------------------------------------------------------------------


@dataclass
class Peer:
    """server.mjs under node, on loopback, over the given Bolt URI."""

    installed: Installed
    uri: str
    spec: Neo4jSpec
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def start(self, log_dir: Path, timeout: float = 120.0) -> None:
        env = {
            **os.environ,
            "NEO4J_URI": self.uri,
            "NEO4J_USER": self.spec.user,
            "NEO4J_PASSWORD": self.spec.password,
            "NEO4J_DATABASE": self.spec.database,
            "PORT": str(self.port),
            # as a deployment runs it (Apollo's production defaults)
            "NODE_ENV": "production",
        }
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / "peer.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [self.installed.node, str(self.installed.home / "server.mjs")],
            cwd=self.installed.home,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_path.read_text(errors="replace")
            if "peer ready" in text:
                return
            if self.process.poll() is not None:
                self.process = None
                raise PeerUnavailable(f"the peer exited: {text.strip()[-400:]} (see {self.log_path})")
            time.sleep(0.2)
        self.stop()
        raise PeerUnavailable(f"the peer did not answer within {timeout:.0f}s; see {self.log_path}")

    def memory(self) -> dict[str, Any]:
        if self.process is None:
            return {}
        found = rss_kib(self.process.pid)
        return {
            "rss_mib": round(found.get("VmRSS", 0) / 1024, 1),
            "peak_rss_mib": round(found.get("VmHWM", 0) / 1024, 1),
        }

    def stop(self) -> None:
        stop_group(self.process)
        self.process = None


# ---- asking both ---------------------------------------------------------------------------------

Ask = Callable[[int], Awaitable[Any]]


async def paired(likeness: Ask, peer: Ask, *, requests: int, warmup: int) -> dict[str, Any]:
    """Both sides, request by request, the order alternating; every answer compared."""
    for index in range(warmup):
        await likeness(index)
        await peer(index)
    before = load()
    times: dict[str, list[float]] = {"likeness": [], "peer": []}
    mismatches: list[dict[str, Any]] = []
    answered = {"likeness": 0, "peer": 0}
    for index in range(requests):
        i = warmup + index
        answers: dict[str, Any] = {}
        order = (("likeness", likeness), ("peer", peer))
        for name, ask in order if index % 2 == 0 else order[::-1]:
            t0 = time.perf_counter()
            answers[name] = await ask(i)
            times[name].append(time.perf_counter() - t0)
            answered[name] += answers[name] is not None
        if answers["likeness"] != answers["peer"]:
            mismatches.append({"input": i, **answers})
    likeness_p50, peer_p50 = percentile(times["likeness"], 0.5), percentile(times["peer"], 0.5)
    return {
        "likeness": summary(times["likeness"], sum(times["likeness"])),
        "peer": summary(times["peer"], sum(times["peer"])),
        "ratio_p50": round(likeness_p50 / peer_p50, 2),
        "ratio_p99": round(percentile(times["likeness"], 0.99) / percentile(times["peer"], 0.99), 2),
        "checked": requests,
        "answered": answered,
        "mismatches": len(mismatches),
        "first_mismatch": orjson.loads(orjson.dumps(mismatches[0], default=str)) if mismatches else None,
        "load": {"before": before, "after": load()},
    }


async def _ask(client: GraphQLClient, document: str, variables: dict[str, Any]) -> Any:
    """One operation's data. A keep-alive connection left idle while the other side answered a slow
    question may have been closed by its server (uvicorn and Node both close after 5 s): asked again
    once, on a new connection."""
    try:
        return await client.data(document, variables)
    except (HttpError, ConnectionError, asyncio.IncompleteReadError) as error:
        if isinstance(error, HttpError) and "closed the connection" not in str(error):
            raise
        client.close()
        return await client.data(document, variables)


async def biggest_publisher(graph: Graph) -> tuple[str, int]:
    """The organization that published the most assets, and how many."""
    row = (
        await graph.query(
            "MATCH (o:Organization)<-[:PUBLISHED_BY]-(a:Asset) "
            "RETURN o.id AS id, count(a) AS assets ORDER BY assets DESC, id LIMIT 1"
        )
    )[0]
    return row["id"], row["assets"]


async def compare(
    *,
    installed: Installed,
    uri: str,
    spec: Neo4jSpec,
    graph: Graph,
    likeness_port: int,
    likeness_token: str,
    inputs: Inputs,
    requests: int,
    warmup: int,
    page_requests: int,
    clients: int,
    seconds: float,
    max_requests: int,
    work_dir: Path,
    seed: int,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Every shared question of Likeness (already serving on `likeness_port`) and of the peer
    (started here), on the same database."""
    await add_indexes(graph)
    peer = Peer(installed=installed, uri=uri, spec=spec)
    log("starting the peer (@neo4j/graphql on Apollo) …")
    peer.start(log_dir=work_dir)
    client = GraphQLClient("127.0.0.1", peer.port, "")
    # a connection of its own: one left idle while the peer started is closed by the server
    likeness = GraphQLClient("127.0.0.1", likeness_port, likeness_token)
    found: dict[str, Any] = {
        "versions": {"node": installed.node_version, **installed.versions},
        "indexes": [statement.split()[2] for statement in PEER_ID_INDEXES],
    }
    try:
        log("peer: provenance …")
        ids = inputs.asset_ids

        async def l_provenance(i: int) -> Any:
            return likeness_provenance(
                await _ask(likeness, LIKENESS_PROVENANCE, {"id": ids[i], "asOf": AS_OF_TEXT})
            )

        async def p_provenance(i: int) -> Any:
            return peer_provenance(await _ask(client, PEER_PROVENANCE, {"id": ids[i]}))

        found["provenance"] = await paired(l_provenance, p_provenance, requests=requests, warmup=warmup)

        log("peer: a person's usages …")
        person = inputs.star_person

        async def l_usage(i: int) -> Any:
            return likeness_usage(
                await _ask(
                    likeness, LIKENESS_USAGE, {"person": person, "asOf": AS_OF_TEXT, "first": USAGE_PAGE}
                )
            )

        async def p_usage(i: int) -> Any:
            return peer_usage(await _ask(client, PEER_USAGE, {"person": person, "first": USAGE_PAGE}))

        usage_requests = max(10, requests // 4)
        found["usage"] = await paired(l_usage, p_usage, requests=usage_requests, warmup=min(warmup, 5))
        found["usage"].update(person=person, uses=inputs.star_uses)

        organization, published = await biggest_publisher(graph)
        variables = {"id": organization, "first": ASSET_PAGE}
        peer_page = peer_asset_page(await _ask(client, PEER_ASSET_PAGE, variables))
        page: dict[str, Any] = {
            "organization": organization,
            "organization_assets": published,
            "page_size": min(ASSET_PAGE, published),
            "peer_equals_cypher": peer_page == await cypher_asset_page(graph, organization, ASSET_PAGE),
            "peer_rows": None if peer_page is None else len(peer_page["page"]),
        }
        if has_asset_connection(await likeness.data(FIELD_ARGS)):
            log(f"peer: a page of {min(ASSET_PAGE, published)} assets …")

            async def l_page(i: int) -> Any:
                return likeness_asset_page(await _ask(likeness, LIKENESS_ASSET_PAGE, variables))

            async def p_page(i: int) -> Any:
                return peer_asset_page(await _ask(client, PEER_ASSET_PAGE, variables))

            page.update(await paired(l_page, p_page, requests=page_requests, warmup=2))
            # the floor both sides stand on: the same page by hand-written Cypher through the Python
            # driver, right after (no HTTP, no GraphQL)
            page["cypher"], _ = await sample(
                lambda i: cypher_asset_page(graph, organization, ASSET_PAGE), requests=page_requests, warmup=2
            )
        else:
            log(f"peer: the asset page is skipped: Likeness {NEEDS_CONNECTION}; the peer's alone …")
            page["skipped"] = NEEDS_CONNECTION
            # the peer's side alone, for the record (no ratio without Likeness's)
            page["peer_alone"], _ = await sample(
                lambda i: _ask(client, PEER_ASSET_PAGE, variables), requests=page_requests, warmup=0
            )
        found["asset_page"] = page

        log(f"peer: sustained provenance, {clients} clients, {seconds} s each side …")
        ids_file = work_dir / "peer-sustained-ids.txt"
        rng = random.Random(seed + 2)
        ids_file.write_text("\n".join(rng.choice(ids) for _ in range(5000)))
        sustained: dict[str, Any] = {}
        for side, port, token in (("likeness", likeness_port, likeness_token), ("peer", peer.port, "")):
            sustained[side] = await _sustained(
                side, port, token, ids_file, clients=clients, seconds=seconds, max_requests=max_requests
            )
        rates = [sustained[side].get("throughput_rps") for side in ("likeness", "peer")]
        if all(isinstance(rate, int | float) and rate > 0 for rate in rates):
            sustained["ratio_rps"] = round(rates[0] / rates[1], 2)
            sustained["ratio_p50"] = round(sustained["likeness"]["p50_ms"] / sustained["peer"]["p50_ms"], 2)
        found["sustained"] = sustained
        found["peer_memory"] = peer.memory()
    finally:
        client.close()
        likeness.close()
        peer.stop()
    return found


async def _sustained(
    side: str, port: int, token: str, ids_file: Path, *, clients: int, seconds: float, max_requests: int
) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.peer",
        "load",
        "--side",
        side,
        "--port",
        str(port),
        f"--token={token}",  # a token may begin with "-", which argparse would take for an option
        "--ids",
        str(ids_file),
        "--clients",
        str(clients),
        "--seconds",
        str(seconds),
        "--max-requests",
        str(max_requests),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await process.communicate()
    if process.returncode != 0:
        return {"error": stderr.decode()[-500:]}
    return orjson.loads(stdout)


# ---- sustained load, from its own process --------------------------------------------------------


async def drive(
    side: str, port: int, token: str, ids: list[str], clients: int, seconds: float, max_requests: int
) -> dict[str, Any]:
    """`clients` keep-alive connections asking for provenance chains (the side's shared document)."""
    if side == "likeness":
        document, extra = LIKENESS_PROVENANCE, {"asOf": AS_OF_TEXT}
    else:
        document, extra = PEER_PROVENANCE, {}
    asking = http_client(port, token, document, extra)
    return await closed_loop(asking, ids, clients, seconds, max_requests, side=side)


# ---- the report ----------------------------------------------------------------------------------


def _ratio(item: dict[str, Any], key: str = "ratio_p50") -> float | None:
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, int | float) else None


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 14's targets against the peer (ratios within this run)."""
    found = result.get("peer") or {}
    if not found or "error" in found:
        return []
    rows: list[dict[str, Any]] = []
    for key, name, limit in (
        ("provenance", "provenance p50, Likeness / peer", 0.8),
        ("usage", "a person's usages p50, Likeness / peer", 0.8),
        ("asset_page", "page of 1,000 assets p50, Likeness / peer", 0.5),
    ):
        ratio = _ratio(found.get(key) or {})
        rows.append(
            {
                "target": name,
                "goal": f"<= {limit}x",
                "measured": ratio,
                "unit": "x",
                "met": None if ratio is None else ratio <= limit,
            }
        )
    ratio = _ratio(found.get("sustained") or {}, "ratio_rps")
    rows.append(
        {
            "target": "sustained provenance req/s, Likeness / peer",
            "goal": ">= 1.5x",
            "measured": ratio,
            "unit": "x",
            "met": None if ratio is None else ratio >= 1.5,
        }
    )
    return rows


def markdown_lines(result: dict[str, Any]) -> list[str]:
    """The report's section on the peer (empty when the run had none)."""
    found = result.get("peer")
    if not found:
        return []
    if "error" in found:
        return ["", "## The peer", "", f"Not run: {found['error']}"]
    versions = found.get("versions", {})
    lines = [
        "",
        (
            f"## The peer: @neo4j/graphql {versions.get('@neo4j/graphql')} on Apollo Server "
            f"{versions.get('@apollo/server')} (same database, interleaved)"
        ),
        "",
        (
            f"Node {versions.get('node')}, graphql {versions.get('graphql')}, neo4j-driver "
            f"{versions.get('neo4j-driver')}, APOC core {versions.get('apoc-core')}; an index on `id` for "
            f"each label the peer reads. Both sides over HTTP on loopback, the order alternating request "
            f"by request; every answer normalized and compared (verdicts are Likeness's own and asked of "
            f"neither)."
        ),
        "",
        "| question | Likeness p50 | Likeness p99 | Likeness req/s | peer p50 | peer p99 | peer req/s "
        "| ratio p50 | answers equal | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    usage = found.get("usage") or {}
    page = found.get("asset_page") or {}
    for key, name in (
        ("provenance", "provenance chain (random assets)"),
        ("usage", f"a person's usages: first 50 + total ({usage.get('uses')} uses)"),
        (
            "asset_page",
            f"an organization's assets: first {page.get('page_size')} of "
            f"{page.get('organization_assets')}, five fields + publisher",
        ),
    ):
        item = found.get(key) or {}
        if "skipped" in item:
            alone = item.get("peer_alone") or {}
            lines.append(
                f"| {name} | skipped: {item['skipped']} | | | {alone.get('p50_ms', '—')} ms | "
                f"{alone.get('p99_ms', '—')} ms | {alone.get('throughput_rps', '—')} | | peer = Cypher: "
                f"{item.get('peer_equals_cypher')} | |"
            )
            continue
        if "likeness" not in item:
            continue
        mine, theirs = item["likeness"], item["peer"]
        lines.append(
            f"| {name} | {mine['p50_ms']} ms | {mine['p99_ms']} ms | {mine['throughput_rps']} | "
            f"{theirs['p50_ms']} ms | {theirs['p99_ms']} ms | {theirs['throughput_rps']} | "
            f"{item['ratio_p50']}× | {item['checked'] - item['mismatches']}/{item['checked']} | "
            f"{item['load']['before'][0]} → {item['load']['after'][0]} |"
        )
    floor = page.get("cypher") or {}
    if "p50_ms" in floor:
        lines.append(
            "| the same page by hand-written Cypher (`ASSET_PAGE_CYPHER`) through the Python driver, "
            f"right after | {floor['p50_ms']} ms | {floor['p99_ms']} ms | {floor['throughput_rps']} "
            "| | | | | | |"
        )
    sustained = found.get("sustained") or {}
    for side in ("likeness", "peer"):
        item = sustained.get(side) or {}
        if "throughput_rps" in item:
            lines.append(
                f"| sustained provenance, {item['clients']} clients ({item['seconds']} s): {side} | "
                + (
                    f"{item['p50_ms']} ms | {item['p99_ms']} ms | {item['throughput_rps']} | | | | | "
                    if side == "likeness"
                    else f" | | | {item['p50_ms']} ms | {item['p99_ms']} ms | {item['throughput_rps']} | | "
                )
                + f"{item['errors']} errors | {item['load']['before'][0]} → {item['load']['after'][0]} |"
            )
        elif "error" in item:
            lines.append(f"| sustained provenance: {side} | failed: {item['error'][-120:]} | | | | | | | | |")
    if "ratio_rps" in sustained:
        lines += ["", f"Sustained provenance, Likeness / peer: **{sustained['ratio_rps']}×** the req/s."]
    memory = found.get("peer_memory") or {}
    if memory:
        lines += ["", f"Peer process memory: peak RSS {memory.get('peak_rss_mib')} MiB."]
    return lines


# ---- command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "install", help="npm ci the peer and fetch APOC core (data/peer, or LIKENESS_PEER_DIR)"
    )
    go = commands.add_parser("load", help="sustained provenance load on one side; one JSON summary on stdout")
    go.add_argument("--side", choices=("likeness", "peer"), required=True)
    go.add_argument("--port", type=int, required=True)
    go.add_argument("--token", default="")
    go.add_argument("--ids", type=Path, required=True, help="a file of asset ids, one a line")
    go.add_argument("--clients", type=int, default=16)
    go.add_argument("--seconds", type=float, default=20.0)
    go.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args(argv)
    if args.command == "install":
        installed = prepare(log=lambda message: print(message, file=sys.stderr, flush=True))
        print(orjson.dumps({"home": str(installed.home), **installed.versions}).decode())
        return
    ids = args.ids.read_text().split()
    result = asyncio.run(
        drive(args.side, args.port, args.token, ids, args.clients, args.seconds, args.max_requests)
    )
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
