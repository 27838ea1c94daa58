"""Loading the world twice: through `likeness import` (validated, verdicts computed) and as a raw
UNWIND load of the same nodes and relationships with no rules, for the ratio between the two.

The raw load is the best plain Cypher for the same graph: nodes of each label in batches of 10,000
(`UNWIND … CREATE … SET n = row.props`), then each relationship type by id through the `Entity(id)`
uniqueness index, then the two changes (withdrawals, revocations). It stores the same properties the
import stores, its canonical `input` JSON included, and links sightings to assets within Hamming
distance 8 from an in-memory band index. It does not validate, look up what exists, keep ordinals
or compute verdicts: that difference is what the ratio measures.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, LiteralString

import orjson

from bench import world
from bench.machine import load
from likeness.events.vocabulary import OrganizationKind, words
from likeness.graph.driver import Graph
from likeness.graph.writes import typed
from likeness.ingest.bulk import import_file

RAW_BATCH = 10_000
MATCH_DISTANCE = 8
_INSTANTS = {
    "capturedAt",
    "builtAt",
    "signedAt",
    "validFrom",
    "validUntil",
    "startsAt",
    "endsAt",
    "publishedAt",
    "observedAt",
    "paidAt",
    "revokedAt",
    "withdrawnAt",
}
_DATES = {"birthDate", "since", "until"}
_KIND_LABEL = {kind: kind.title() for kind in words(OrganizationKind)}  # BRAND: Brand, …
_NODE_LABEL = {
    "registerPerson": "Person",
    "recordCapture": "Capture",
    "buildTwin": "Twin",
    "grantConsent": "Consent",
    "createCampaign": "Campaign",
    "publishAsset": "Asset",
    "reportSighting": "Sighting",
    "recordPayment": "Payment",
}


def generate(path: Path, *, assets: int, seed: int, violations: float) -> dict[str, Any]:
    """Write the world file (events, one a line), or reuse the one an earlier run wrote for the same size,
    seed, share and generator: its facts are kept beside it, written once the file is complete."""
    facts_path = path.with_name(path.name + ".facts.json")
    key = {
        "assets": assets,
        "seed": seed,
        "violations": violations,
        "generator": hashlib.sha256(Path(world.__file__).read_bytes()).hexdigest(),
    }
    if path.exists() and facts_path.exists():
        kept = orjson.loads(facts_path.read_bytes())
        if kept.get("key") == key and kept.get("facts", {}).get("bytes") == path.stat().st_size:
            return {**kept["facts"], "reused": True}
    facts_path.unlink(missing_ok=True)
    started = time.perf_counter()
    events = world.write_world(path, assets=assets, seed=seed, violation_share=violations)
    facts = {
        "events": events,
        "bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 2),
    }
    facts_path.write_bytes(orjson.dumps({"key": key, "facts": facts}))
    return facts


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _props(data: dict[str, Any]) -> dict[str, Any]:
    """The input's values as the import stores them (graph.writes.typed: flat compensation, phash
    bands), with instants and dates typed here rather than in the Cypher."""
    props = typed(data)
    for name in _INSTANTS & props.keys():
        props[name] = _instant(props[name])
    for name in _DATES & props.keys():
        props[name] = date.fromisoformat(props[name])
    return props


def _rows(
    path: Path,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Node rows by label, relationship rows by type, and the two kinds of change, from the world file."""
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    changes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_sha: dict[str, list[str]] = defaultdict(list)
    by_band: list[dict[int, list[tuple[str, int]]]] = [defaultdict(list) for _ in range(4)]
    sightings: list[dict[str, Any]] = []
    twin_person: dict[str, str] = {}

    def rel(kind: str, start: str, end: str | None, **props: Any) -> None:
        if end is not None:
            rels[kind].append({"from": start, "to": end, **props})

    with path.open("rb") as lines:
        for line in lines:
            event = orjson.loads(line)
            op, data = event["op"], event["input"]
            text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
            if op == "registerOrganization":
                nodes[_KIND_LABEL[data["kind"]]].append(
                    {"id": data["id"], "props": {**_props(data), "input": text}}
                )
                continue
            if op == "recordRepresentation":
                rel(
                    "REPRESENTS",
                    data["agencyId"],
                    data["personId"],
                    since=date.fromisoformat(data["since"]),
                    until=date.fromisoformat(data["until"]) if data.get("until") else None,
                    input=text,
                )
                continue
            if op == "withdrawAsset":
                changes["withdrawAsset"].append(
                    {"id": data["assetId"], "at": _instant(data["withdrawnAt"]), "input": text}
                )
                continue
            if op == "revokeConsent":
                changes["revokeConsent"].append(
                    {
                        "id": data["consentId"],
                        "at": _instant(data["revokedAt"]),
                        "reason": data.get("reason"),
                        "input": text,
                    }
                )
                continue
            key = data["id"]
            nodes[_NODE_LABEL[op]].append({"id": key, "props": {**_props(data), "input": text}})
            if op == "recordCapture":
                for person in data["personIds"]:
                    rel("DEPICTS", key, person)
                rel("CAPTURED_BY", key, data.get("capturedById"))
            elif op == "buildTwin":
                rel("REPLICA_OF", key, data["personId"])
                twin_person[key] = data["personId"]
                rel("BUILT_BY", key, data["vendorId"])
                for capture in data["captureIds"]:
                    rel("TRAINED_ON", key, capture)
                rel("COMMISSIONED_BY", key, data.get("commissionedById"))
                rel("SUPERSEDES", key, data.get("supersedesId"))
            elif op == "grantConsent":
                rel("GRANTED", data["personId"], key)
                rel("TO", key, data["granteeId"])
                rel("SIGNED_BY", key, data["signedById"])
                for twin in data.get("twinIds", []):
                    rel("COVERS", key, twin)
                rel("GUARDIAN", key, data.get("guardianId"))
                rel("NEGOTIATED_BY", key, data.get("negotiatedById"))
            elif op == "createCampaign":
                rel("RUNS", data["brandId"], key)
            elif op == "publishAsset":
                rel("PUBLISHED_BY", key, data["publisherId"])
                for twin in data["twinIds"]:
                    rel("RENDERS", key, twin)
                # the per-person use index likenessUsage reads (likeness.graph.writes.USES)
                for person in sorted({twin_person[twin] for twin in data["twinIds"] if twin in twin_person}):
                    rels["USED_IN"].append(
                        {
                            "from": person,
                            "to": key,
                            "personId": person,
                            "publishedAt": _instant(data["publishedAt"]),
                            "assetId": key,
                        }
                    )
                rel("IN_CAMPAIGN", key, data.get("campaignId"))
                rel("SUBLICENSED_FROM", key, data.get("sublicensedFromId"))
                by_sha[data["sha256"]].append(key)
                if data.get("phash"):
                    number = int(data["phash"], 16)
                    for band in range(4):
                        by_band[band][(number >> (16 * (3 - band))) & 0xFFFF].append((key, number))
            elif op == "reportSighting":
                rel("SEEN_ON", key, data.get("platformId"))
                sightings.append(data)
            elif op == "recordPayment":
                rel("UNDER", key, data["consentId"])
    for sighting in sightings:
        rels["MATCHES"].extend(
            {"from": sighting["id"], "to": asset, "distance": found}
            for asset, found in _matches(sighting, by_sha, by_band)
        )
    return nodes, rels, changes


# a match within 8 bits agrees within 2 bits on some 16-bit band (pigeonhole): probe 0, 1 and 2 flips
_BAND_MASKS = sorted(
    {(1 << i) | (1 << j) for i in range(16) for j in range(16)} | {1 << i for i in range(16)} | {0}
)


def _matches(
    sighting: dict[str, Any], by_sha: dict[str, list[str]], by_band: list[dict[int, list[tuple[str, int]]]]
) -> Iterator[tuple[str, int]]:
    """The assets a sighting shows: the same file, or a perceptual hash within distance 8."""
    found = {asset: 0 for asset in by_sha.get(sighting.get("sha256") or "", [])}
    if sighting.get("phash"):
        number = int(sighting["phash"], 16)
        for band in range(4):
            value = (number >> (16 * (3 - band))) & 0xFFFF
            for mask in _BAND_MASKS:
                for asset, phash in by_band[band].get(value ^ mask, ()):
                    distance = (phash ^ number).bit_count()
                    if asset not in found and distance <= MATCH_DISTANCE:
                        found[asset] = distance
    return iter(sorted(found.items()))


_CREATE_NODES: dict[str, LiteralString] = {
    label: "UNWIND $rows AS row CREATE (n:Entity:" + label + ") SET n = row.props"  # type: ignore[misc]
    for label in ("Person", "Capture", "Twin", "Consent", "Campaign", "Asset", "Sighting", "Payment")
}
_CREATE_NODES.update(
    {
        label: "UNWIND $rows AS row CREATE (n:Entity:Organization:" + label + ") SET n = row.props"  # type: ignore[misc]
        for label in _KIND_LABEL.values()
    }
)
_REL_TYPES = (
    "REPRESENTS",
    "DEPICTS",
    "CAPTURED_BY",
    "REPLICA_OF",
    "BUILT_BY",
    "TRAINED_ON",
    "COMMISSIONED_BY",
    "SUPERSEDES",
    "GRANTED",
    "TO",
    "SIGNED_BY",
    "COVERS",
    "GUARDIAN",
    "NEGOTIATED_BY",
    "RUNS",
    "PUBLISHED_BY",
    "RENDERS",
    "IN_CAMPAIGN",
    "SUBLICENSED_FROM",
    "SEEN_ON",
    "UNDER",
    "MATCHES",
    "USED_IN",
)
_CREATE_RELS: dict[str, LiteralString] = {
    kind: "UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to}) "  # type: ignore[misc]
    "CREATE (a)-[r:" + kind + "]->(b) SET r = row { .* , from: null, to: null }"
    for kind in _REL_TYPES
}
_CHANGES: dict[str, LiteralString] = {
    "withdrawAsset": "UNWIND $rows AS row MATCH (a:Entity {id: row.id}) "
    "SET a.withdrawnAt = row.at, a.withdrawal = row.input",
    "revokeConsent": "UNWIND $rows AS row MATCH (k:Entity {id: row.id}) "
    "SET k.revokedAt = row.at, k.revocationReason = row.reason, k.revocation = row.input",
}


async def raw_load(graph: Graph, path: Path, *, events: int, assets: int) -> dict[str, Any]:
    """Load the world's nodes and relationships with plain batched UNWIND statements; timed end to end."""
    before = load()
    started = time.perf_counter()
    nodes, rels, changes = _rows(path)
    parsed = time.perf_counter() - started

    async def write(cypher: LiteralString, rows: list[dict[str, Any]]) -> None:
        for offset in range(0, len(rows), RAW_BATCH):
            batch = rows[offset : offset + RAW_BATCH]

            async def work(tx: Any, batch: list[dict[str, Any]] = batch) -> None:
                await (await tx.run(cypher, rows=batch)).consume()

            await graph.write(work)

    for label, rows in nodes.items():
        await write(_CREATE_NODES[label], rows)
    for kind in _REL_TYPES:
        await write(_CREATE_RELS[kind], rels.get(kind, []))
    for op, rows in changes.items():
        await write(_CHANGES[op], rows)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "parse_seconds": round(parsed, 2),
        "events_per_s": round(events / seconds, 1),
        "assets_per_s": round(assets / seconds, 1),
        "nodes": sum(len(rows) for rows in nodes.values()),
        "relationships": sum(len(rows) for rows in rels.values()),
        "batch": RAW_BATCH,
        "load": {"before": before, "after": load()},
    }


async def likeness_import(
    graph: Graph, path: Path, *, events: int, assets: int, batch_size: int, log: Any = None
) -> dict[str, Any]:
    """The `likeness import` code path (likeness.ingest.bulk.import_file): validated, verdicts stored.
    With `log`, a progress line every 5% of the file (a million-asset import takes an hour)."""
    before = load()
    started = time.perf_counter()
    step = max(events // 20, 1)
    reported = [0]

    def progress(line: int) -> None:
        if log is not None and line - reported[0] >= step:
            reported[0] = line
            elapsed = time.perf_counter() - started
            log(
                f"  {line:,} of {events:,} lines, {elapsed:.0f} s, {line / elapsed:.0f} events/s, "
                f"load {load()[0]}"
            )

    summary = await import_file(graph, path, batch_size=batch_size, progress=progress)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "events_per_s": round(events / seconds, 1),
        "assets_per_s": round(assets / seconds, 1),
        "applied": summary.applied,
        "unchanged": summary.unchanged,
        "rejected": len(summary.rejected),
        "first_rejections": summary.rejected[:5],
        "batch": batch_size,
        "load": {"before": before, "after": load()},
    }


_LABEL_COUNTS: LiteralString = """
    MATCH (n:Entity)
    UNWIND labels(n) AS label
    RETURN label, count(*) AS count ORDER BY label
"""
# between the domain's nodes only: not the alerts' (FOR), which a raw load writes none of
_REL_COUNTS: LiteralString = (
    "MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS type, count(*) AS count ORDER BY type"
)
_VERDICT_COUNT: LiteralString = "MATCH (v:Verdict) RETURN count(v) AS count"


async def graph_counts(graph: Graph) -> dict[str, Any]:
    """Nodes by label and relationships by type (the domain graph), and the stored verdict spans."""
    labels = Counter({row["label"]: row["count"] for row in await graph.query(_LABEL_COUNTS)})
    rels = Counter({row["type"]: row["count"] for row in await graph.query(_REL_COUNTS)})
    verdicts = (await graph.query(_VERDICT_COUNT))[0]["count"]
    return {
        "labels": dict(sorted(labels.items())),
        "relationships": dict(sorted(rels.items())),
        "verdict_spans": verdicts,
    }
