"""The face search through Neo4j's vector index at 10k, 100k and 1M templates (issue 22, deliverable 7).

    python -m bench.face_index --work-dir DIR [--sizes 10000,100000,1000000] [--queries 200]

One local Neo4j in `DIR/face-index` (emptied first unless `--reuse`; nothing else of DIR is touched;
never the project's data), the vector index `face_template_vectors` created exactly as the app's
migration does (128 dimensions, euclidean) before any template is written, so every write maintains it
as the app's writes will. For each size in
`--sizes`, in order, the same database grows to that many `FaceTemplate {id, personId, vector}` nodes
(one UNWIND of `--batch` rows per transaction, the vector a plain list of floats as a parameter); then,
once `db.awaitIndexes` returns and the index is ONLINE, `--queries` lookups of each kind, interleaved
after `--warmup` untimed ones, one at a time through the app's `Graph.query` (one auto-commit read):

    CALL db.index.vector.queryNodes('face_template_vectors', $k, $vector) YIELD node, score
    RETURN node.id, node.personId, score                                           (k = 10)

- *planted*: a stored template plus Gaussian noise, scaled back to the template's length, about
  `--noise` (0.4: the far end of one person's photographs on the fixtures, 0.33–0.43) away from it:
  the template should be the top hit;
- *random*: a fresh random vector (a face of nobody enrolled).

The templates are random Gaussian vectors scaled to `--length` (1.4: dlib's descriptors of the eight
faces in the fixtures have lengths 1.36–1.52, not 1). Real descriptors are not uniform on that sphere:
they crowd into one region (different people 0.7–1.0 apart, where random vectors of length 1.4 are
about 2 apart), so the random load is a harder case for the index's graph but an easier one for the
threshold (no stranger comes near 0.6).

Two variants are timed beside the app's lookup: *rescored* (each answer's distance computed again from
its stored vector with `vector.similarity.euclidean`) and *wide* (k = `--wide-k`, 100, rescored, the
nearest `--k` kept), on planted and random faces.

Afterwards, not timed: numpy's exact nearest neighbours (brute force over all templates) give each
kind's recall; every answer's score is turned into a distance (Neo4j's euclidean score is
1 / (1 + d²), so d = sqrt(1/score - 1)) and compared with numpy's distance to that template. Per size
it records the load time, the store's and the index's size on disk after a clean stop, the heap and
page cache, the JVM heap in use, the server's resident memory, the first lookups after a restart and
the load average around each phase. After the last size it tries what the app's code relies on
(`--no-behaviour` skips it): a deleted template is gone from the index for the next transaction; what
one transaction sees of its own deletes and writes; a WHERE after queryNodes filters the k answers
afterwards; a vector of the wrong length is written without error and never indexed.

The figures go to `--out` (bench/results/face-index.json by default) with the machine, its load and the
commit. Neo4j's vector index lives in Lucene files outside the page cache: it is read through the
operating system's file cache (memory-mapped), so it needs free memory beyond the heap and page cache.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, LiteralString

import numpy as np
import numpy.typing as npt
import orjson

from bench.machine import ROOT, load, machine, rss_kib, shown_path, versions
from bench.servers import free_port
from bench.timing import percentile
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.local_neo4j import LocalNeo4j

DIMENSIONS = 128
INDEX = "face_template_vectors"
FOLDER = "face-index"
# a clean stop with a million templates waits for the vector index's Lucene merges (more than 15 min
# once, at load 5-8); cut short, the server is killed (its store stays consistent: recovery on start)
STOP_SECONDS = 900.0

# exactly the lead's migration (likeness/graph/migrations): the name and the config
CREATE_INDEX: LiteralString = """
    CREATE VECTOR INDEX face_template_vectors IF NOT EXISTS FOR (t:FaceTemplate) ON t.vector
    OPTIONS {indexConfig: {`vector.dimensions`: 128, `vector.similarity_function`: 'euclidean'}}
"""
# the same with settings of the index changed (`--index-option`: a comparison; not the app's config)
CREATE_INDEX_CONFIGURED: LiteralString = """
    CREATE VECTOR INDEX face_template_vectors IF NOT EXISTS FOR (t:FaceTemplate) ON t.vector
    OPTIONS {indexConfig: $config}
"""
CREATE_ID_CONSTRAINT: LiteralString = """
    CREATE CONSTRAINT face_template_id IF NOT EXISTS FOR (t:FaceTemplate) REQUIRE t.id IS UNIQUE
"""
AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes($seconds)"
INDEX_STATE: LiteralString = """
    SHOW INDEXES YIELD name, type, state, populationPercent, indexProvider, options
    WHERE name = $name
    RETURN name, type, state, populationPercent, indexProvider, options
"""

# the templates as a plain list property (what the app's write does) ...
WRITE_LIST: LiteralString = """
    UNWIND $rows AS row
    CREATE (t:FaceTemplate {id: row.id, personId: row.personId, vector: row.vector})
"""
# ... or through the procedure, which checks the vector and stores it as 32-bit floats
WRITE_FLOAT32: LiteralString = """
    UNWIND $rows AS row
    CREATE (t:FaceTemplate {id: row.id, personId: row.personId})
    WITH t, row
    CALL db.create.setNodeVectorProperty(t, 'vector', row.vector)
"""
COUNT: LiteralString = "MATCH (t:FaceTemplate) RETURN count(t) AS count"
DROP_EXTRA: LiteralString = (
    "MATCH (t:FaceTemplate) WHERE NOT t.id STARTS WITH 'face-template-0' DETACH DELETE t"
)
MISSING: LiteralString = """
    UNWIND $ids AS id
    OPTIONAL MATCH (t:FaceTemplate {id: id})
    WITH id WHERE t IS NULL
    RETURN id
"""

LOOKUP: LiteralString = """
    CALL db.index.vector.queryNodes('face_template_vectors', $k, $vector) YIELD node, score
    RETURN node.id AS id, node.personId AS personId, score
"""

# the same, each answer's distance computed again from its stored vector (exact, 64-bit floats)
LOOKUP_RESCORED: LiteralString = """
    CALL db.index.vector.queryNodes('face_template_vectors', $k, $vector) YIELD node, score
    RETURN node.id AS id, node.personId AS personId, score,
           vector.similarity.euclidean(node.vector, $vector) AS exact
"""

# a wider search (k = `--wide-k`), each answer's distance computed again, the nearest `--k` kept
LOOKUP_WIDE: LiteralString = """
    CALL db.index.vector.queryNodes('face_template_vectors', $k, $vector) YIELD node
    WITH node, vector.similarity.euclidean(node.vector, $vector) AS exact
    ORDER BY exact DESC LIMIT $limit
    RETURN node.id AS id, node.personId AS personId, exact AS score
"""

SETTINGS: LiteralString = """
    SHOW SETTINGS YIELD name, value WHERE name IN $names RETURN name, value
"""
SETTING_NAMES = [
    "server.memory.heap.max_size",
    "server.memory.pagecache.size",
]
HEAP_IN_USE: LiteralString = """
    CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes
    RETURN attributes.HeapMemoryUsage.value.properties AS heap
"""
VERSION: LiteralString = """
    CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition
"""

# behaviour the app relies on (run once, after the last size)
DELETE_TEMPLATE: LiteralString = "MATCH (t:FaceTemplate {id: $id}) DETACH DELETE t"
LOOKUP_FOR_PERSON: LiteralString = """
    CALL db.index.vector.queryNodes('face_template_vectors', $k, $vector) YIELD node, score
    WHERE node.personId = $personId
    RETURN node.id AS id, node.personId AS personId, score
"""
WRITE_ONE: LiteralString = """
    CREATE (t:FaceTemplate {id: $id, personId: $personId, vector: $vector})
"""


def _random_faces(rng: np.random.Generator, count: int, length: float) -> npt.NDArray[np.float32]:
    """Random Gaussian vectors scaled to `length`, as 32-bit floats (what the index keeps)."""
    drawn = rng.standard_normal((count, DIMENSIONS))
    return (length * drawn / np.linalg.norm(drawn, axis=1, keepdims=True)).astype(np.float32)


def _template_id(number: int) -> str:
    return f"face-template-{number:07d}"


def _number(template_id: str) -> int:
    return int(template_id.rsplit("-", 1)[1])


def _person_id(number: int) -> str:
    # two templates a person (a person enrols a few photographs)
    return f"person-{number // 2:07d}"


def _distance(score: float) -> float:
    """Neo4j's euclidean similarity score 1 / (1 + d²) as the distance d."""
    return math.sqrt(max(0.0, 1.0 / score - 1.0))


def _du(path: Path) -> int:
    """Bytes of the files under path (0 when it is absent)."""
    if path.is_file():
        return path.stat().st_size
    if not path.exists():
        return 0
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def _mib(size: int) -> float:
    return round(size / 1024 / 1024, 1)


@dataclass
class Store:
    """The bench's Neo4j on disk: the database's folder and its vector index's folders."""

    home: Path

    @property
    def database(self) -> Path:
        return self.home / "neo4j" / "data" / "databases" / "neo4j"

    @property
    def transactions(self) -> Path:
        return self.home / "neo4j" / "data" / "transactions" / "neo4j"

    def sizes(self) -> dict[str, Any]:
        indexes = self.database / "schema" / "index"
        providers = {entry.name: _mib(_du(entry)) for entry in sorted(indexes.glob("*")) if entry.is_dir()}
        arrays = sum(_du(path) for path in self.database.glob("neostore.propertystore.db.arrays*"))
        return {
            "database_mib": _mib(_du(self.database)),
            "property_arrays_mib": _mib(arrays),
            "index_folders_mib": providers,
            "transaction_logs_mib": _mib(_du(self.transactions)),
        }

    def server_memory(self) -> dict[str, Any]:
        try:
            pid = int((self.home / "neo4j.pid").read_text().strip())
        except (OSError, ValueError):
            return {}
        found = rss_kib(pid)
        return {
            "rss_mib": round(found.get("VmRSS", 0) / 1024, 1),
            "peak_rss_mib": round(found.get("VmHWM", 0) / 1024, 1),
        }


@dataclass
class Lookups:
    """The timed lookups of one kind at one size, and what they answered."""

    kind: str
    statement: LiteralString
    k: int
    planted_faces: bool  # a face near a stored template (else a random one)
    column: str = "score"  # the answer's similarity: Neo4j's score, or the exact one computed again
    limit: int = 10
    queries: list[npt.NDArray[np.float32]] = field(default_factory=lambda: [])
    planted: list[int] = field(default_factory=lambda: [])
    seconds: list[float] = field(default_factory=lambda: [])
    answers: list[list[dict[str, Any]]] = field(default_factory=lambda: [])

    def latency(self) -> dict[str, Any]:
        ms = [value * 1000 for value in self.seconds]
        return {
            "k": self.k,
            "queries": len(ms),
            "p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(percentile(ms, 0.95), 2),
            "p99_ms": round(percentile(ms, 0.99), 2),
            "max_ms": round(max(ms), 2),
            "mean_ms": round(statistics.fmean(ms), 2),
        }


def _exact_top(
    templates: npt.NDArray[np.float32], queries: npt.NDArray[np.float32], k: int, chunk: int = 16
) -> npt.NDArray[np.int64]:
    """The exact k nearest templates of each query (brute force), nearest first."""
    found: list[npt.NDArray[np.int64]] = []
    squared = np.einsum("ij,ij->i", templates, templates)
    for first in range(0, len(queries), chunk):
        block = queries[first : first + chunk]
        # |t - q|² = |t|² - 2 t·q + |q|²; |q|² is the same along a column, so it is left out
        distances = squared[:, None] - 2.0 * (templates @ block.T)
        nearest = np.argpartition(distances, k, axis=0)[:k]
        order = np.take_along_axis(distances, nearest, axis=0).argsort(axis=0)
        found.extend(np.take_along_axis(nearest, order, axis=0).T.astype(np.int64))
    return np.array(found)


def _distance_errors(
    templates: npt.NDArray[np.float32], lookups: Lookups, *, top_only: bool
) -> dict[str, Any]:
    """How far each answer's distance (from its similarity column) is from numpy's."""
    differences: list[float] = []
    for query, rows in zip(lookups.queries, lookups.answers, strict=True):
        for row in rows[:1] if top_only else rows:
            template = templates[_number(row["id"])].astype(np.float64)
            numpy_distance = float(np.linalg.norm(query.astype(np.float64) - template))
            differences.append(abs(_distance(row[lookups.column]) - numpy_distance))
    return {
        "rows_checked": len(differences),
        "max_abs_difference": float(f"{max(differences):.3g}"),
        "mean_abs_difference": float(f"{statistics.fmean(differences):.3g}"),
    }


def _accuracy(templates: npt.NDArray[np.float32], lookups: Lookups) -> dict[str, Any]:
    """One kind's answers against the exact ones (numpy, brute force), and its distances against numpy's."""
    found: dict[str, Any] = {}
    if lookups.planted_faces:
        top = [_number(rows[0]["id"]) if rows else -1 for rows in lookups.answers]
        hits = sum(a == b for a, b in zip(top, lookups.planted, strict=True))
        exact = _exact_top(templates, np.array(lookups.queries), 1)[:, 0]
        exact_hits = sum(int(a) == b for a, b in zip(exact, lookups.planted, strict=True))
        distances = [
            float(np.linalg.norm(query.astype(np.float64) - templates[number].astype(np.float64)))
            for query, number in zip(lookups.queries, lookups.planted, strict=True)
        ]
        found.update(
            top_hit_is_the_planted_template=round(hits / len(top), 4),
            exact_nearest_is_the_planted_template=round(exact_hits / len(top), 4),
            planted_distance={
                "min": round(min(distances), 3),
                "median": round(statistics.median(distances), 3),
                "max": round(max(distances), 3),
            },
            top_hit_distance_error=_distance_errors(templates, lookups, top_only=True),
        )
    else:
        wanted = min(lookups.limit, lookups.k)
        exact = _exact_top(templates, np.array(lookups.queries), wanted)
        overlaps: list[float] = []
        top1 = 0
        for rows, truth in zip(lookups.answers, exact, strict=True):
            answered = [_number(row["id"]) for row in rows]
            overlaps.append(len(set(answered) & {int(n) for n in truth}) / wanted)
            top1 += bool(answered) and answered[0] == int(truth[0])
        nearest = [_distance(rows[0][lookups.column]) for rows in lookups.answers if rows]
        found.update(
            recall_of_the_exact_nearest=round(statistics.fmean(overlaps), 4),
            recall_counted_over=wanted,
            top_hit_is_the_exact_nearest=round(top1 / len(lookups.answers), 4),
            nearest_distance_median=round(statistics.median(nearest), 3),
        )
    found["distance_error_all_rows"] = _distance_errors(templates, lookups, top_only=False)
    found["rows_per_answer"] = sorted({len(rows) for rows in lookups.answers})
    return found


async def _write_templates(
    graph: Graph, templates: npt.NDArray[np.float32], have: int, total: int, *, batch: int, float32: bool
) -> float:
    """Add templates `have`..`total` in transactions of `batch` rows; the seconds it took."""
    statement = WRITE_FLOAT32 if float32 else WRITE_LIST
    started = time.perf_counter()
    last_report = started
    for first in range(have, total, batch):
        rows = [
            {"id": _template_id(number), "personId": _person_id(number), "vector": vector}
            for number, vector in zip(
                range(first, min(first + batch, total)),
                templates[first : min(first + batch, total)].tolist(),
                strict=True,
            )
        ]

        async def work(tx: Any, rows: list[dict[str, Any]] = rows) -> None:
            await (await tx.run(statement, rows=rows)).consume()

        await graph.write(work)
        now = time.perf_counter()
        if now - last_report > 30:
            done = min(first + batch, total)
            print(f"    {done:>9} templates, {now - started:.0f} s, load {load()}", flush=True)
            last_report = now
    return time.perf_counter() - started


async def _write_missing(graph: Graph, templates: npt.NDArray[np.float32], have: int) -> None:
    """Write again the templates among the first `have` + 1 that a previous run's checks deleted."""
    wanted = range(min(have + 1, len(templates)))
    missing = await graph.query(MISSING, ids=[_template_id(n) for n in wanted])
    for row in missing:
        number = _number(row["id"])
        await _write_templates(graph, templates, number, number + 1, batch=1, float32=False)
    if missing:
        print(f"  wrote again {len(missing)} template(s) a previous run deleted", flush=True)


async def _await_online(graph: Graph) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    await graph.query(AWAIT_INDEXES, seconds=3600)
    rows = await graph.query(INDEX_STATE, name=INDEX)
    if not rows or rows[0]["state"] != "ONLINE":
        raise SystemExit(f"the vector index is not online: {rows}")
    return time.perf_counter() - started, rows[0]


async def _lookup(
    graph: Graph, lookups: Lookups, vector: npt.NDArray[np.float32]
) -> tuple[float, list[dict[str, Any]]]:
    started = time.perf_counter()
    rows = await graph.query(lookups.statement, k=lookups.k, limit=lookups.limit, vector=vector.tolist())
    return time.perf_counter() - started, rows


def _planted_query(
    rng: np.random.Generator, templates: npt.NDArray[np.float32], count: int, noise: float
) -> tuple[int, npt.NDArray[np.float32]]:
    """A stored template's number and a face near it: the template plus noise of about `noise`, scaled
    back to the template's length."""
    number = int(rng.integers(count))
    template = templates[number].astype(np.float64)
    drawn = rng.standard_normal(DIMENSIONS)
    near = template + noise * drawn / np.linalg.norm(drawn)
    return number, (near * np.linalg.norm(template) / np.linalg.norm(near)).astype(np.float32)


def _kinds(options: argparse.Namespace) -> list[Lookups]:
    """The lookups timed at each size: the app's (k = 10) on planted and random faces, and two variants
    that compute each answer's distance again from its stored vector (the same k; a wider k, the best
    `--k` kept)."""
    k, wide = options.k, options.wide_k
    return [
        Lookups("planted", LOOKUP, k, planted_faces=True),
        Lookups("random", LOOKUP, k, planted_faces=False),
        Lookups("planted_rescored", LOOKUP_RESCORED, k, planted_faces=True, column="exact"),
        Lookups("planted_wide", LOOKUP_WIDE, wide, planted_faces=True, limit=k),
        Lookups("random_wide", LOOKUP_WIDE, wide, planted_faces=False, limit=k),
    ]


async def _measure(
    graph: Graph,
    templates: npt.NDArray[np.float32],
    count: int,
    rng: np.random.Generator,
    options: argparse.Namespace,
) -> tuple[list[Lookups], dict[str, Any]]:
    """The warm-up, then each kind's lookups, the kinds interleaved, timed one at a time."""
    kinds = _kinds(options)

    def face(lookups: Lookups) -> tuple[int, npt.NDArray[np.float32]]:
        if lookups.planted_faces:
            return _planted_query(rng, templates, count, options.noise)
        return -1, _random_faces(rng, 1, options.length)[0]

    for _ in range(options.warmup):
        for lookups in kinds:
            await _lookup(graph, lookups, face(lookups)[1])
    before = load()
    started = time.perf_counter()
    for _ in range(options.queries):
        for lookups in kinds:
            number, query = face(lookups)
            seconds, rows = await _lookup(graph, lookups, query)
            lookups.queries.append(query)
            lookups.planted.append(number)
            lookups.seconds.append(seconds)
            lookups.answers.append(rows)
    timing = {"wall_s": round(time.perf_counter() - started, 1), "load_before": before, "load_after": load()}
    return kinds, timing


async def _memory(graph: Graph, store: Store) -> dict[str, Any]:
    settings = {row["name"]: row["value"] for row in await graph.query(SETTINGS, names=SETTING_NAMES)}
    found: dict[str, Any] = {"settings": settings, "server": store.server_memory()}
    try:
        rows = await graph.query(HEAP_IN_USE)
        heap = rows[0]["heap"] if rows else None
        if heap:
            found["jvm_heap_used_mib"] = _mib(int(heap["used"]))
            found["jvm_heap_committed_mib"] = _mib(int(heap["committed"]))
            found["jvm_heap_max_mib"] = _mib(int(heap["max"]))
    except Exception as error:  # noqa: BLE001 - a figure to report, not one to stop for
        found["jvm_heap_error"] = str(error)[:200]
    return found


async def _behaviour(graph: Graph, templates: npt.NDArray[np.float32], count: int, k: int) -> dict[str, Any]:
    """What the app's code relies on, tried on the grown database."""
    found: dict[str, Any] = {}
    number = count // 3
    target = _template_id(number)
    vector = templates[number].tolist()

    # 1. a deleted template is gone from the index for the next transaction (a new session)
    # k = 100: at a million, k = 10 did not always find even the template's own vector (the findings)
    before = await graph.query(LOOKUP, k=100, vector=vector)

    async def delete(tx: Any) -> None:
        await (await tx.run(DELETE_TEMPLATE, id=target)).consume()

    await graph.write(delete)
    after = await graph.query(LOOKUP, k=100, vector=vector)
    found["delete_then_new_transaction"] = {
        "top_hit_before_is_it": bool(before and before[0]["id"] == target),
        "top_score_before": before[0]["score"] if before else None,
        "deleted_still_answered_after": any(row["id"] == target for row in after),
        "rows_after": len(after),
    }

    # 2. the same transaction: delete, then look up before the commit (the transaction is rolled back)
    second = count // 3 + 1
    second_id = _template_id(second)

    async def delete_and_look(tx: Any) -> dict[str, Any]:
        await (await tx.run(DELETE_TEMPLATE, id=second_id)).consume()
        try:
            rows = await (await tx.run(LOOKUP, k=100, vector=templates[second].tolist())).data()
        except Exception as error:  # noqa: BLE001 - what the server answers is the finding
            return {"error": f"{type(error).__name__}: {error}"[:300]}
        return {
            "rows": len(rows),
            "deleted_node_answered": any(row["id"] == second_id for row in rows),
            "answered_with_null_id": sum(row["id"] is None for row in rows),
        }

    async with graph.driver.session(database=graph.database) as session:
        transaction = await session.begin_transaction()
        try:
            found["delete_and_lookup_in_one_transaction"] = await delete_and_look(transaction)
        finally:
            await transaction.rollback()
    restored = await graph.query(LOOKUP, k=100, vector=templates[second].tolist())
    found["delete_and_lookup_in_one_transaction"]["after_rollback_top_hit_is_it"] = bool(
        restored and restored[0]["id"] == second_id
    )

    # 3. a write in a transaction, then a lookup in the same transaction (uncommitted writes)
    length = float(np.linalg.norm(templates[0]))
    fresh = _random_faces(np.random.default_rng(99), 1, length)[0].tolist()

    async def write_and_look(tx: Any) -> dict[str, Any]:
        await (
            await tx.run(WRITE_ONE, id="face-template-fresh", personId="person-fresh", vector=fresh)
        ).consume()
        rows = await (await tx.run(LOOKUP, k=1, vector=fresh)).data()
        return {"uncommitted_template_answered": bool(rows and rows[0]["id"] == "face-template-fresh")}

    async with graph.driver.session(database=graph.database) as session:
        transaction = await session.begin_transaction()
        try:
            found["write_and_lookup_in_one_transaction"] = await write_and_look(transaction)
        finally:
            await transaction.rollback()

    # 4. WHERE after queryNodes: the k nearest first, filtered after (a person outside them: no row)
    probe = _random_faces(np.random.default_rng(7), 1, length)[0]
    nearest = await graph.query(LOOKUP, k=k, vector=probe.tolist())
    answered = {row["personId"] for row in nearest}
    outsider = next(_person_id(n) for n in range(0, count, 2) if _person_id(n) not in answered)
    filtered = await graph.query(LOOKUP_FOR_PERSON, k=k, vector=probe.tolist(), personId=outsider)
    widened = await graph.query(LOOKUP_FOR_PERSON, k=count, vector=probe.tolist(), personId=outsider)
    found["where_after_query_nodes"] = {
        "rows_for_a_person_outside_the_k_nearest": len(filtered),
        "rows_with_k_equal_to_all_templates": len(widened),
    }

    # 5. a vector of the wrong length: the write succeeds, the index leaves it out
    short = fresh[:127]

    async def write_short(tx: Any) -> None:
        await (
            await tx.run(WRITE_ONE, id="face-template-short", personId="person-short", vector=short)
        ).consume()

    try:
        await graph.write(write_short)
        rows = await graph.query(LOOKUP, k=1, vector=[*short, 0.0])
        found["vector_of_127_floats"] = {
            "write": "accepted",
            "answered_by_the_index": bool(rows and rows[0]["id"] == "face-template-short"),
        }
    except Exception as error:  # noqa: BLE001 - what the server answers is the finding
        found["vector_of_127_floats"] = {"write": f"refused: {error}"[:300]}
    try:
        await graph.query(LOOKUP, k=1, vector=short)
        found["query_of_127_floats"] = "answered"
    except Exception as error:  # noqa: BLE001 - what the server answers is the finding
        found["query_of_127_floats"] = f"refused: {type(error).__name__}: {error}"[:300]
    return found


async def _command(graph: Graph, cypher: LiteralString, **params: Any) -> None:
    """A schema command, in a session opened for writing."""
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run(cypher, params)).consume()


def _index_config(options: list[str]) -> dict[str, Any]:
    """The app's index settings with `--index-option NAME=VALUE`s over them."""
    config: dict[str, Any] = {"vector.dimensions": DIMENSIONS, "vector.similarity_function": "euclidean"}
    for option in options:
        name, _, text = (part.strip() for part in option.partition("="))
        value: Any = text
        if text in ("true", "false"):
            value = text == "true"
        elif text.isdigit():
            value = int(text)
        config[name] = value
    return config


def _sizes(text: str) -> list[int]:
    sizes = [int(part.replace("_", "")) for part in text.split(",")]
    if sizes != sorted(sizes) or sizes[0] < 1:
        raise SystemExit("--sizes: counts in increasing order (the database only grows)")
    return sizes


async def _connect(server: LocalNeo4j) -> Graph:
    user, password = server.auth
    graph = Graph.connect(
        server.uri, Settings(neo4j_uri=server.uri, neo4j_user=user, neo4j_password=password)
    )
    await graph.driver.verify_connectivity()
    return graph


async def _restart(
    server: LocalNeo4j, store: Store, templates: npt.NDArray[np.float32], k: int, stop_seconds: float
) -> tuple[Graph, dict[str, Any], dict[str, Any]]:
    """Stop the server (a clean stop checkpoints: the store's size on disk is then whole), measure the
    store, start it again and time the first lookups against the cold index."""
    server.stop(timeout=stop_seconds)
    sizes = store.sizes()
    started = time.perf_counter()
    server.start(timeout=600)
    graph = await _connect(server)
    await _await_online(graph)
    start_s = time.perf_counter() - started
    probe = _random_faces(np.random.default_rng(5), 3, float(np.linalg.norm(templates[0])))
    lookups = Lookups("after_restart", LOOKUP, k, planted_faces=False)
    first = [round((await _lookup(graph, lookups, vector))[0] * 1000, 1) for vector in probe]
    return graph, sizes, {"start_s": round(start_s, 1), "first_three_lookups_ms": first}


async def run(options: argparse.Namespace) -> dict[str, Any]:
    sizes = _sizes(options.sizes)
    home = options.work_dir / FOLDER
    if home.exists() and not options.reuse:
        shutil.rmtree(home)
    options.work_dir.mkdir(parents=True, exist_ok=True)
    store = Store(home)
    settings = tuple(tuple(text.split("=", 1)) for text in options.neo4j_setting)
    server = LocalNeo4j(
        data_dir=home,
        port=free_port(),
        heap=options.heap,
        pagecache=options.pagecache,
        extra_config=tuple((name.strip(), value.strip()) for name, value in settings),
    )
    rng = np.random.default_rng(options.seed)
    print(f"generating {sizes[-1]} random vectors of length {options.length}", flush=True)
    templates = _random_faces(rng, sizes[-1], options.length)
    result: dict[str, Any] = {
        "bench": "face_index",
        "machine": machine(),
        "versions": versions(),
        "work_dir": shown_path(options.work_dir),
        "options": {
            "sizes": sizes,
            "queries_per_kind": options.queries,
            "warmup_per_kind": options.warmup,
            "k": options.k,
            "wide_k": options.wide_k,
            "noise": options.noise,
            "length": options.length,
            "batch": options.batch,
            "vector_property": "float32 (db.create.setNodeVectorProperty)"
            if options.float32
            else "list of floats (plain property)",
            "index_options": options.index_option,
            "heap": options.heap,
            "pagecache": options.pagecache,
            "neo4j_settings": dict(server.extra_config),
            "seed": options.seed,
        },
        "templates": f"random Gaussian vectors scaled to length {options.length} (128 dimensions)",
        "lookup": " ".join(LOOKUP.split()),
        "sizes": [],
    }
    server.start(timeout=300)
    graph = await _connect(server)
    try:
        result["neo4j"] = (await graph.query(VERSION))[0]
        await _command(graph, CREATE_ID_CONSTRAINT)
        if options.index_option:
            await _command(graph, CREATE_INDEX_CONFIGURED, config=_index_config(options.index_option))
        else:
            await _command(graph, CREATE_INDEX)
        _, index = await _await_online(graph)
        result["index"] = {key: index[key] for key in ("type", "indexProvider", "options")}
        # --reuse: the templates a previous run wrote (the same seed and length draw the same vectors);
        # the behaviour checks' extra template goes, the one they deleted is written again
        await _command(graph, DROP_EXTRA)
        have = (await graph.query(COUNT))[0]["count"]
        if have > sizes[0]:
            raise SystemExit(f"--reuse: the database holds {have} templates, more than {sizes[0]}")
        if have:
            await _write_missing(graph, templates, have)
            have = (await graph.query(COUNT))[0]["count"]
        for count in sizes:
            print(f"{count} templates: writing {count - have} (load {load()})", flush=True)
            load_before = load()
            write_s = await _write_templates(
                graph, templates, have, count, batch=options.batch, float32=options.float32
            )
            online_s, _ = await _await_online(graph)
            stored = (await graph.query(COUNT))[0]["count"]
            if stored != count:
                raise SystemExit(f"expected {count} templates, the database holds {stored}")
            loading = {
                "added": count - have,
                "write_s": round(write_s, 1),
                "templates_per_s": round((count - have) / write_s),
                "await_index_online_s": round(online_s, 2),
                "load_before": load_before,
                "load_after": load(),
            }
            have = count
            print(f"  written in {write_s:.1f} s, index online {online_s:.2f} s later", flush=True)
            kinds, timing = await _measure(graph, templates, count, rng, options)
            entry: dict[str, Any] = {
                "templates": count,
                "loading": loading,
                "lookup": {lookups.kind: lookups.latency() for lookups in kinds} | timing,
                "accuracy": {lookups.kind: _accuracy(templates[:count], lookups) for lookups in kinds},
                "memory": await _memory(graph, store),
            }
            result["sizes"].append(entry)
            for lookups in kinds:
                print(
                    f"  {lookups.kind:>16}: p50 {entry['lookup'][lookups.kind]['p50_ms']} ms, p95 "
                    f"{entry['lookup'][lookups.kind]['p95_ms']} ms; "
                    f"{orjson.dumps(entry['accuracy'][lookups.kind]).decode()}",
                    flush=True,
                )
            print(
                f"  load {timing['load_before']} → {timing['load_after']}; memory {entry['memory']}",
                flush=True,
            )
            if options.behaviour and count == sizes[-1]:
                result["behaviour"] = await _behaviour(graph, templates, have, options.k)
                print(f"behaviour: {orjson.dumps(result['behaviour']).decode()}", flush=True)
            await graph.close()
            graph, entry["store"], entry["restart"] = await _restart(
                server, store, templates, options.k, options.stop_seconds
            )
            print(f"  store {entry['store']}, restart {entry['restart']}", flush=True)
    finally:
        await graph.close()
        server.stop(timeout=options.stop_seconds)
    first = result["sizes"][0]["lookup"]["random"]["p50_ms"]
    result["growth_random_p50_vs_first"] = [
        (entry["templates"], round(entry["lookup"]["random"]["p50_ms"] / first, 2))
        for entry in result["sizes"]
    ]
    result["load_at_end"] = load()
    return result


def main() -> None:
    summary = (__doc__ or "").split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.face_index", description=summary)
    parser.add_argument(
        "--work-dir", type=Path, required=True, help="the bench's own Neo4j lives in DIR/face-index"
    )
    parser.add_argument("--sizes", default="10000,100000,1000000", help="template counts, increasing")
    parser.add_argument("--queries", type=int, default=200, help="timed lookups of each kind per size")
    parser.add_argument("--warmup", type=int, default=20, help="untimed lookups of each kind per size")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--wide-k", type=int, default=100, help="k of the wider, rescored variant")
    parser.add_argument(
        "--noise", type=float, default=0.4, help="distance of a planted face from its template"
    )
    parser.add_argument(
        "--length", type=float, default=1.4, help="length of every vector (dlib's on the fixtures: 1.36-1.52)"
    )
    parser.add_argument("--batch", type=int, default=10_000, help="templates per write transaction")
    parser.add_argument("--float32", action="store_true", help="write with db.create.setNodeVectorProperty")
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--pagecache", default="256m")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument(
        "--neo4j-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the bench's own Neo4j (repeatable)",
    )
    parser.add_argument("--no-behaviour", dest="behaviour", action="store_false")
    parser.add_argument(
        "--stop-seconds",
        type=float,
        default=STOP_SECONDS,
        help="how long a stop may wait for the index's merges before the server is killed",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the templates of a previous run in DIR/face-index (same --seed, --length) and grow them",
    )
    parser.add_argument(
        "--index-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the vector index instead of the app's (a comparison: "
        "vector.quantization.enabled=false, vector.hnsw.m=32, vector.hnsw.ef_construction=200)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "face-index.json")
    options = parser.parse_args()
    if os.path.realpath(options.work_dir).startswith(os.path.realpath(ROOT / "data")):
        raise SystemExit("--work-dir: a folder of the bench's own, not the project's data")
    result = asyncio.run(run(options))
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    print(f"written {shown_path(options.out)}")


if __name__ == "__main__":
    main()
