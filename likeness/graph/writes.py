"""The Cypher that records each kind of event: one UNWIND statement per kind and batch.

Rows arrive validated and with every reference resolved (graph.apply), so statements MATCH what
they point to. Instants are stored as Neo4j DateTime, dates as Date, and each node keeps its
canonical input (`input`, JSON) for idempotency checks and export.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, LiteralString

import orjson
from neo4j import AsyncManagedTransaction

from likeness.events.contract import ORGANIZATION_KINDS, Event
from likeness.graph.driver import run
from likeness.graph.phash import band_properties
from likeness.graph.signed_files import signed_file_rows, store_signed_files


def canonical_json(data: dict[str, Any]) -> str:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def typed(data: dict[str, Any]) -> dict[str, Any]:
    """The input's values as Neo4j will store them (compensation flat, phash bands split out).

    Instants and dates stay ISO strings here and become DateTime/Date in the Cypher (`_TIMES`):
    packing the driver's temporal types costs more than the rest of a bulk load together."""
    props: dict[str, Any] = {}
    for name, value in data.items():
        if name == "compensation":
            props["compensationAmount"] = value["amount"]
            props["compensationCurrency"] = value["currency"]
            props["compensationBasis"] = value["basis"]
        elif name == "phash":
            props["phash"] = value
            props.update(band_properties(value))
        elif name == "signedFile":
            # what the file was signed from and under, as JSON (its bytes: graph.signed_files)
            props[name] = canonical_json(value)
        elif name in ("contentCredentials", "faceMatches"):
            # a Manifest node of its own (manifest_row), SHOWS_FACE_OF relationships (face_rows)
            continue
        else:
            props[name] = value
    return props


def node_row(event: Event, ordinal: int) -> dict[str, Any]:
    props = typed(event.input) | event.derived
    if event.op == "publishAsset":
        props["declaredMachineReadableMark"] = event.input["machineReadableMark"]
        props["machineReadableMark"] = machine_readable_mark(event.input)
    row = {"id": event.key, "ord": ordinal, "input": canonical_json(event.input), "props": props}
    if event.template is not None:  # an enrolment's face template: a property of its node, never an input
        row["vector"] = list(event.template)
    return row


def machine_readable_mark(data: dict[str, Any]) -> bool:
    """Whether an asset carries a machine-readable AI mark: when it was published with its file, whether
    the file's Content Credentials are VALID and declare AI generation (what the publisher declared is kept
    beside it as declaredMachineReadableMark); without a file, what the publisher declared."""
    credentials = data.get("contentCredentials")
    if credentials is None:
        return bool(data["machineReadableMark"])
    return credentials["validationState"] == "VALID" and bool(credentials["declaresAiGeneration"])


def manifest_row(event: Event) -> dict[str, Any] | None:
    """The Manifest node of an event's Content Credentials; None when the file carried no manifest."""
    credentials = event.input.get("contentCredentials")
    if credentials is None or credentials["validationState"] == "NONE":
        return None
    manifest = {
        name: credentials.get(name)
        for name in (
            "validationState",
            "trusted",
            "failures",
            "manifestLabel",
            "claimGenerator",
            "signer",
            "signerOrganization",
            "digitalSourceTypes",
            "declaresAiGeneration",
        )
    }
    # how many ingredients the manifest names (graph.manifests ties them to assets and captures)
    manifest["ingredientCount"] = len(credentials.get("ingredients", []))
    return {"id": event.key, "manifest": manifest, "signedAt": credentials.get("signedAt")}


def face_rows(event: Event) -> list[dict[str, Any]]:
    """The SHOWS_FACE_OF relationships of an event's face matches: one per person shown, never a vector."""
    return [{"id": event.key, **match} for match in event.input.get("faceMatches", [])]


# Per node label, the clause that types its instants and dates (they arrive as ISO strings).
_PERSON_T: LiteralString = " SET n.birthDate = date(row.props.birthDate)"
_CAPTURE_T: LiteralString = " SET n.capturedAt = datetime(row.props.capturedAt)"
_TWIN_T: LiteralString = " SET n.builtAt = datetime(row.props.builtAt)"
_CONSENT_T: LiteralString = (
    " SET n.signedAt = datetime(row.props.signedAt), n.validFrom = datetime(row.props.validFrom),"
    " n.validUntil = datetime(row.props.validUntil)"
)
_CAMPAIGN_T: LiteralString = (
    " SET n.startsAt = datetime(row.props.startsAt), n.endsAt = datetime(row.props.endsAt)"
)
_ASSET_T: LiteralString = " SET n.publishedAt = datetime(row.props.publishedAt)"
_SIGHTING_T: LiteralString = " SET n.observedAt = datetime(row.props.observedAt)"
_PAYMENT_T: LiteralString = " SET n.paidAt = datetime(row.props.paidAt)"
# a notice's response window closes at dueAt, kept so that "overdue as of T" is a comparison; its hours were
# given unless the server set them by law (graph.apply: responseHours, responseHoursGiven false and clockLaw
# derived beside its input)
_NOTICE_T: LiteralString = (
    " SET n.sentAt = datetime(row.props.sentAt),"
    " n.dueAt = datetime(row.props.sentAt) + duration({hours: row.props.responseHours}),"
    " n.responseHoursGiven = coalesce(row.props.responseHoursGiven, true)"
)

# The per-person use index (graph.usage): one USED_IN from each person an asset's twins replicate to the
# asset, carrying what likenessUsage sorts and filters on, so that a person's uses are read in order from
# the range index `used_in_person` (migrations) instead of gathered and sorted. Written with the asset,
# which is the only write that changes a person's uses (RENDERS, REPLICA_OF and publishedAt never change
# once recorded); `migrations` builds it for assets recorded before it existed.
USES: LiteralString = """
        CALL (n) {
          MATCH (n)-[:RENDERS]->(:Twin)-[:REPLICA_OF]->(p:Person)
          WITH DISTINCT p
          CREATE (p)-[:USED_IN {personId: p.id, publishedAt: n.publishedAt, assetId: n.id}]->(n)
        }
"""

# an organization's labels are those of its kind
_ORGANIZATIONS: dict[str, LiteralString] = {
    "BRAND": "UNWIND $rows AS row CREATE (n:Entity:Organization:Brand {id: row.id}) "
    "SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()",
    "VENDOR": "UNWIND $rows AS row CREATE (n:Entity:Organization:Vendor {id: row.id}) "
    "SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()",
    "AGENCY": "UNWIND $rows AS row CREATE (n:Entity:Organization:Agency {id: row.id}) "
    "SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()",
    "STUDIO": "UNWIND $rows AS row CREATE (n:Entity:Organization:Studio {id: row.id}) "
    "SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()",
    "PLATFORM": "UNWIND $rows AS row CREATE (n:Entity:Organization:Platform {id: row.id}) "
    "SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()",
}

_CREATE: dict[str, LiteralString] = {
    "registerPerson": "UNWIND $rows AS row CREATE (n:Entity:Person {id: row.id}) "
    "SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()" + _PERSON_T,
    "recordCapture": """
        UNWIND $rows AS row
        CREATE (n:Entity:Capture {id: row.id})
        SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()"""
    + _CAPTURE_T
    + """
        WITH n, row
        CALL (n, row) {
          UNWIND row.props.personIds AS personId
          MATCH (p:Entity {id: personId})
          CREATE (n)-[:DEPICTS]->(p)
        }
        CALL (n, row) {
          MATCH (c:Entity {id: row.props.capturedById})
          CREATE (n)-[:CAPTURED_BY]->(c)
        }
    """,
    "buildTwin": """
        UNWIND $rows AS row
        CREATE (n:Entity:Twin {id: row.id})
        SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()"""
    + _TWIN_T
    + """
        WITH n, row
        MATCH (p:Entity {id: row.props.personId}), (v:Entity {id: row.props.vendorId})
        CREATE (n)-[:REPLICA_OF]->(p), (n)-[:BUILT_BY]->(v)
        WITH n, row
        CALL (n, row) {
          UNWIND row.props.captureIds AS captureId
          MATCH (c:Entity {id: captureId})
          CREATE (n)-[:TRAINED_ON]->(c)
        }
        CALL (n, row) {
          MATCH (b:Entity {id: row.props.commissionedById})
          CREATE (n)-[:COMMISSIONED_BY]->(b)
        }
    """,
    "grantConsent": """
        UNWIND $rows AS row
        CREATE (n:Entity:Consent {id: row.id})
        SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()"""
    + _CONSENT_T
    + """
        WITH n, row
        MATCH (p:Entity {id: row.props.personId}), (s:Entity {id: row.props.signedById})
        CREATE (p)-[:GRANTED]->(n), (n)-[:SIGNED_BY]->(s)
        WITH n, row
        CALL (n, row) {
          MATCH (g:Entity {id: row.props.granteeId})
          CREATE (n)-[:TO]->(g)
        }
        CALL (n, row) {
          UNWIND coalesce(row.props.twinIds, []) AS twinId
          MATCH (t:Entity {id: twinId})
          CREATE (n)-[:COVERS]->(t)
        }
        CALL (n, row) {
          MATCH (guardian:Entity {id: row.props.guardianId})
          CREATE (n)-[:GUARDIAN]->(guardian)
        }
        CALL (n, row) {
          MATCH (agency:Entity {id: row.props.negotiatedById})
          CREATE (n)-[:NEGOTIATED_BY]->(agency)
        }
    """,
    "createCampaign": """
        UNWIND $rows AS row
        MATCH (b:Entity {id: row.props.brandId})
        CREATE (b)-[:RUNS]->(n:Entity:Campaign {id: row.id})
        SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()"""
    + _CAMPAIGN_T
    + """
    """,
    "publishAsset": """
        UNWIND $rows AS row
        MATCH (publisher:Entity {id: row.props.publisherId})
        CREATE (n:Entity:Asset {id: row.id})-[:PUBLISHED_BY]->(publisher)
        SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()"""
    + _ASSET_T
    + """
        WITH n, row
        CALL (n, row) {
          UNWIND row.props.twinIds AS twinId
          MATCH (t:Entity {id: twinId})
          CREATE (n)-[:RENDERS]->(t)
        }"""
    + USES
    + """
        CALL (n, row) {
          MATCH (c:Entity {id: row.props.campaignId})
          CREATE (n)-[:IN_CAMPAIGN]->(c)
        }
        CALL (n, row) {
          MATCH (o:Entity {id: row.props.sublicensedFromId})
          CREATE (n)-[:SUBLICENSED_FROM]->(o)
        }
    """,
    "reportSighting": """
        UNWIND $rows AS row
        CREATE (n:Entity:Sighting {id: row.id})
        SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()"""
    + _SIGHTING_T
    + """
        WITH n, row
        CALL (n, row) {
          MATCH (p:Entity {id: row.props.platformId})
          CREATE (n)-[:SEEN_ON]->(p)
        }
    """,
    "recordPayment": """
        UNWIND $rows AS row
        MATCH (k:Entity {id: row.props.consentId})
        CREATE (n:Entity:Payment {id: row.id})-[:UNDER]->(k)
        SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()"""
    + _PAYMENT_T
    + """
    """,
    "sendTakedownNotice": """
        UNWIND $rows AS row
        MATCH (s:Entity {id: row.props.sightingId}), (p:Entity {id: row.props.platformId}),
              (by:Entity {id: row.props.sentById})
        CREATE (n:Entity:TakedownNotice {id: row.id})-[:ABOUT]->(s), (n)-[:TO]->(p), (n)-[:SENT_BY]->(by)
        SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime()"""
    + _NOTICE_T
    + """
    """,
}

_SUPERSEDES: LiteralString = """
    UNWIND $rows AS row
    MATCH (n:Entity {id: row.id}), (old:Entity {id: row.props.supersedesId})
    CREATE (n)-[:SUPERSEDES]->(old)
"""

_REPRESENT: LiteralString = """
    UNWIND $rows AS row
    MATCH (a:Entity {id: row.agencyId}), (p:Entity {id: row.personId})
    CREATE (a)-[r:REPRESENTS]->(p)
    SET r.since = date(row.since), r.until = date(row.until), r.input = row.input, r.ord = row.ord,
        r.recordedAt = datetime()
"""

# revoking a MATCHING consent erases every face template of the person in the same transaction
_REVOKE: LiteralString = """
    UNWIND $rows AS row
    MATCH (k:Entity {id: row.id})
    SET k.revokedAt = datetime(row.props.revokedAt), k.revocationReason = row.props.reason,
        k.revocation = row.input, k.revocationOrd = row.ord, k.revocationRecordedAt = datetime()
    WITH k
    CALL (k) {
      MATCH (t:FaceTemplate {personId: k.personId})
      WHERE k.purpose = 'MATCHING'
      DETACH DELETE t
    }
"""

# a face template: the vector only here, in the node the vector index reads (graph.faces)
_ENROL: LiteralString = """
    UNWIND $rows AS row
    MATCH (p:Entity {id: row.props.personId}), (c:Entity {id: row.props.captureId})
    CREATE (t:FaceTemplate {id: row.id})-[:OF]->(p), (t)-[:FROM]->(c)
    SET t += row.props, t.input = row.input, t.ord = row.ord, t.recordedAt = datetime(),
        t.enrolledAt = datetime(row.props.enrolledAt), t.vector = row.vector
"""

_WITHDRAW: LiteralString = """
    UNWIND $rows AS row
    MATCH (a:Entity {id: row.id})
    SET a.withdrawnAt = datetime(row.props.withdrawnAt), a.withdrawal = row.input, a.withdrawalOrd = row.ord,
        a.withdrawalRecordedAt = datetime()
"""

# a platform's answer to a notice: on the notice's TO platform, one per instant
_ANSWER: LiteralString = """
    UNWIND $rows AS row
    MATCH (n:Entity {id: row.props.noticeId})-[:TO]->(p)
    CREATE (n)-[r:ANSWERED]->(p)
    SET r.respondedAt = datetime(row.props.respondedAt), r.outcome = row.props.outcome,
        r.note = row.props.note, r.input = row.input, r.ord = row.ord, r.recordedAt = datetime()
"""

_RESEMBLES: LiteralString = """
    UNWIND $pairs AS pair
    MATCH (s:Entity {id: pair.sightingId}), (c:Entity {id: pair.captureId})
    MERGE (s)-[m:RESEMBLES]->(c)
    SET m.distance = pair.distance
"""

# (Asset|Sighting)-[:HAS_MANIFEST]->(Manifest): the Content Credentials of the file it was recorded with
_MANIFESTS: LiteralString = """
    UNWIND $rows AS row
    MATCH (n:Entity {id: row.id})
    CREATE (n)-[:HAS_MANIFEST]->(m:Manifest)
    SET m += row.manifest, m.signedAt = datetime(row.signedAt)
"""

# (Sighting|Asset)-[:SHOWS_FACE_OF]->(Person): a face in the file it was recorded with is that of an enrolled
# person (the nearest face of hers, its box and distance, the nearest enrolled capture, model and threshold)
_SHOWS_FACE_OF: LiteralString = """
    UNWIND $rows AS row
    MATCH (n:Entity {id: row.id}), (p:Entity {id: row.personId})
    CREATE (n)-[:SHOWS_FACE_OF {distance: row.distance, box: row.box, captureId: row.captureId,
                                frameTime: row.frameTime, model: row.model, threshold: row.threshold}]->(p)
"""

_MATCH_SIGHTINGS: LiteralString = """
    UNWIND $pairs AS pair
    MATCH (s:Entity {id: pair.sightingId}), (a:Entity {id: pair.assetId})
    MERGE (s)-[m:MATCHES]->(a)
    SET m.distance = pair.distance
"""


Writer = Callable[[AsyncManagedTransaction, list[dict[str, Any]]], Awaitable[None]]


def _statement(cypher: LiteralString) -> Writer:
    async def write(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> None:
        await run(tx, cypher, rows=rows)

    return write


async def _organizations(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> None:
    for kind in ORGANIZATION_KINDS:
        of_kind = [row for row in rows if row["props"]["kind"] == kind]
        if of_kind:
            await run(tx, _ORGANIZATIONS[kind], rows=of_kind)


async def _representations(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> None:
    await run(
        tx, _REPRESENT, rows=[{**row["props"], "input": row["input"], "ord": row["ord"]} for row in rows]
    )


async def _twins(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> None:
    await run(tx, _CREATE["buildTwin"], rows=rows)
    superseding = [row for row in rows if "supersedesId" in row["props"]]
    if superseding:
        await run(tx, _SUPERSEDES, rows=superseding)


# The one write of each operation (a test holds it to the operations' specs, likeness.events.contract)
WRITES: dict[str, Writer] = {
    **{op: _statement(cypher) for op, cypher in _CREATE.items()},
    "registerOrganization": _organizations,
    "recordRepresentation": _representations,
    "buildTwin": _twins,
    "revokeConsent": _statement(_REVOKE),
    "withdrawAsset": _statement(_WITHDRAW),
    "recordNoticeResponse": _statement(_ANSWER),
    "enrollLikeness": _statement(_ENROL),
}


async def write_events(tx: AsyncManagedTransaction, op: str, events: list[tuple[int, Event]]) -> None:
    """Record a batch of accepted events of one kind, with the Manifest nodes of their files and the faces
    those show."""
    await WRITES[op](tx, [node_row(event, ordinal) for ordinal, event in events])
    manifests = [row for row in map(manifest_row, (event for _, event in events)) if row is not None]
    if manifests:
        await run(tx, _MANIFESTS, rows=manifests)
    faces = [row for _, event in events for row in face_rows(event)]
    if faces:
        await run(tx, _SHOWS_FACE_OF, rows=faces)
    await store_signed_files(tx, signed_file_rows([event for _, event in events]))


async def link_sightings(tx: AsyncManagedTransaction, pairs: list[dict[str, Any]]) -> None:
    if pairs:
        await run(tx, _MATCH_SIGHTINGS, pairs=pairs)


async def link_resemblances(tx: AsyncManagedTransaction, pairs: list[dict[str, Any]]) -> None:
    """Sightings that resemble captures (same sha256 or phash within 8): the person a capture depicts is
    shown by the sighting."""
    if pairs:
        await run(tx, _RESEMBLES, pairs=pairs)


# How each op's writes are read back as its events, for an export (graph.export reads them as one cut),
# beside the writes so that an operation's Cypher is in one file. Each kind's events come in an order that
# depends only on what is recorded (never on when or in which batch it was): by the id the event is keyed
# on, representations by their canonical input, notice responses by their notice and instant. So an
# export, imported into an empty database in batches of any size and exported again, gives the same bytes.
EXPORTS: dict[str, LiteralString] = {
    "registerPerson": "MATCH (n:Person) RETURN n.input AS input ORDER BY n.id",
    "registerOrganization": "MATCH (n:Organization) RETURN n.input AS input ORDER BY n.id",
    "recordRepresentation": "MATCH ()-[r:REPRESENTS]->() RETURN r.input AS input ORDER BY r.input",
    "recordCapture": "MATCH (n:Capture) RETURN n.input AS input ORDER BY n.id",
    "buildTwin": "MATCH (n:Twin) RETURN n.input AS input ORDER BY n.id",
    "grantConsent": "MATCH (n:Consent) RETURN n.input AS input ORDER BY n.id",
    "createCampaign": "MATCH (n:Campaign) RETURN n.input AS input ORDER BY n.id",
    "publishAsset": "MATCH (n:Asset) RETURN n.input AS input ORDER BY n.id",
    "withdrawAsset": (
        "MATCH (n:Asset) WHERE n.withdrawal IS NOT NULL RETURN n.withdrawal AS input ORDER BY n.id"
    ),
    "revokeConsent": (
        "MATCH (n:Consent) WHERE n.revocation IS NOT NULL RETURN n.revocation AS input ORDER BY n.id"
    ),
    "reportSighting": "MATCH (n:Sighting) RETURN n.input AS input ORDER BY n.id",
    "recordPayment": "MATCH (n:Payment) RETURN n.input AS input ORDER BY n.id",
    "sendTakedownNotice": "MATCH (n:TakedownNotice) RETURN n.input AS input ORDER BY n.id",
    "recordNoticeResponse": (
        "MATCH (n:TakedownNotice)-[r:ANSWERED]->() RETURN r.input AS input ORDER BY n.id, r.respondedAt"
    ),
    # the enrolment, never the template: an import computes it again from the capture's file (docs/faces.md)
    "enrollLikeness": "MATCH (t:FaceTemplate) RETURN t.input AS input ORDER BY t.id",
}
