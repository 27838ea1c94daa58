"""Load the facts the rules read (likeness.rules.facts) for a set of assets, twins or sightings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import run
from likeness.graph.projection import instant as _instant
from likeness.rules.facts import (
    AssetFacts,
    AssetWorld,
    CompensationFacts,
    ConsentFacts,
    FaceMatchFacts,
    MatchFacts,
    NoticeFacts,
    NoticeResponseFacts,
    PersonFacts,
    ResemblanceFacts,
    SightingFacts,
    SightingWorld,
    TwinFacts,
    TwinWorld,
)

# Instants travel as ISO strings: hydrating the driver's temporal types costs far more than parsing.
_ASSETS: LiteralString = """
    UNWIND $ids AS id
    MATCH (a:Entity {id: id}) WHERE a:Asset
    OPTIONAL MATCH (a)-[:IN_CAMPAIGN]->(:Campaign)<-[:RUNS]-(brand)
    RETURN a {.id, .publisherId, .twinIds, .mediaType, .channel, .territories, .aiLabel,
              .machineReadableMark, .contentTags, .sublicensedFromId, .campaignId,
              publishedAt: toString(a.publishedAt), withdrawnAt: toString(a.withdrawnAt)} AS asset,
           brand.id AS brandId,
           COLLECT { MATCH (s:Sighting)-[:MATCHES]->(a)
                     RETURN {id: s.id, observedAt: toString(s.observedAt),
                             platformId: s.platformId} } AS sightings,
           COLLECT { MATCH (a)-[f:SHOWS_FACE_OF]->(p:Person)
                     RETURN f {personId: p.id, .captureId, .distance, .threshold, .model, .box,
                               .frameTime} } AS faces
"""

_TWINS: LiteralString = """
    UNWIND $ids AS id
    MATCH (t:Entity {id: id})-[:REPLICA_OF]->(p:Person)
    RETURN t {.id, .vendorId, .captureIds, .commissionedById, builtAt: toString(t.builtAt)} AS twin,
           p.id AS personId, toString(p.birthDate) AS birthDate, p.jurisdiction AS jurisdiction,
           COLLECT { MATCH (t)-[:TRAINED_ON]->(c:Capture)
                     RETURN {id: c.id, personIds: c.personIds} } AS captures,
           COLLECT { MATCH (p)-[:GRANTED]->(k:Consent) WHERE k.purpose <> 'MATCHING'
                     RETURN k {.id, .purpose, .personId, .granteeId, .signedById, .twinIds, .guardianId,
                               .negotiatedById, .mediaTypes, .channels, .territories, .prohibitedContent,
                               .description, .sublicensable, .takedownDays, .compensationAmount,
                               .compensationCurrency, .compensationBasis,
                               signedAt: toString(k.signedAt), validFrom: toString(k.validFrom),
                               validUntil: toString(k.validUntil),
                               revokedAt: toString(k.revokedAt)} } AS consents
"""


def face_facts(faces: list[dict[str, Any]]) -> tuple[FaceMatchFacts, ...]:
    """The SHOWS_FACE_OF relationships of a sighting or an asset as the rules read them, by person."""
    return tuple(
        sorted(
            (
                FaceMatchFacts(
                    person_id=f["personId"],
                    capture_id=f["captureId"],
                    distance=float(f["distance"]),
                    threshold=float(f["threshold"]),
                    model=f["model"],
                    box=(int(f["box"][0]), int(f["box"][1]), int(f["box"][2]), int(f["box"][3])),
                    frame_time=float(f["frameTime"]),
                )
                for f in faces
            ),
            key=lambda face: face.person_id,
        )
    )


def _maybe_instant(value: str | None) -> datetime | None:
    return None if value is None else _instant(value)


def _set(values: list[str] | None) -> frozenset[str]:
    return frozenset(values or ())


def _optional_set(values: list[str] | None) -> frozenset[str] | None:
    return frozenset(values) if values else None


def consent_facts(k: dict[str, Any]) -> ConsentFacts:
    compensation = None
    if k.get("compensationAmount") is not None:
        compensation = CompensationFacts(
            amount=Decimal(k["compensationAmount"]),
            currency=k["compensationCurrency"],
            basis=k["compensationBasis"],
        )
    return ConsentFacts(
        id=k["id"],
        purpose=k["purpose"],
        person_id=k["personId"],
        grantee_id=k["granteeId"],
        signed_by_id=k["signedById"],
        signed_at=_instant(k["signedAt"]),
        valid_from=_instant(k["validFrom"]),
        valid_until=_maybe_instant(k.get("validUntil")),
        twin_ids=_set(k.get("twinIds")),
        guardian_id=k.get("guardianId"),
        negotiated_by_id=k.get("negotiatedById"),
        media_types=_optional_set(k.get("mediaTypes")),
        channels=_optional_set(k.get("channels")),
        territories=_optional_set(k.get("territories")),
        prohibited_content=_set(k.get("prohibitedContent")),
        description=k.get("description"),
        compensation=compensation,
        sublicensable=bool(k.get("sublicensable")),
        takedown_days=int(k.get("takedownDays", 30)),
        revoked_at=_maybe_instant(k.get("revokedAt")),
    )


def _twin_world(row: dict[str, Any]) -> TwinWorld:
    t = row["twin"]
    birth = date.fromisoformat(row["birthDate"]) if row["birthDate"] else None
    twin = TwinFacts(
        id=t["id"],
        person_id=row["personId"],
        vendor_id=t["vendorId"],
        built_at=_instant(t["builtAt"]),
        capture_ids=_set(t.get("captureIds")),
        capture_depicts={c["id"]: frozenset(c["personIds"] or ()) for c in row["captures"]},
        commissioned_by_id=t.get("commissionedById"),
    )
    consents = tuple(sorted((consent_facts(k) for k in row["consents"]), key=lambda c: c.id))
    return TwinWorld(
        twin=twin,
        person=PersonFacts(id=row["personId"], birth_date=birth, jurisdiction=row.get("jurisdiction")),
        consents=consents,
    )


async def twin_worlds(tx: AsyncManagedTransaction, twin_ids: list[str]) -> dict[str, TwinWorld]:
    if not twin_ids:
        return {}
    rows = await run(tx, _TWINS, ids=twin_ids)
    return {row["twin"]["id"]: _twin_world(row) for row in rows}


def _asset_facts(row: dict[str, Any]) -> AssetFacts:
    a = row["asset"]
    published = _instant(a["publishedAt"])
    return AssetFacts(
        id=a["id"],
        publisher_id=a["publisherId"],
        twin_ids=_set(a.get("twinIds")),
        media_type=a["mediaType"],
        channel=a["channel"],
        territories=_set(a.get("territories")),
        published_at=published,
        ai_label=a["aiLabel"],
        machine_readable_mark=a["machineReadableMark"],
        content_tags=_set(a.get("contentTags")),
        sublicensed_from_id=a.get("sublicensedFromId"),
        campaign_id=a.get("campaignId"),
        campaign_brand_id=row["brandId"],
        withdrawn_at=_maybe_instant(a.get("withdrawnAt")),
    )


async def asset_worlds(tx: AsyncManagedTransaction, asset_ids: list[str]) -> dict[str, AssetWorld]:
    """The world around each asset (missing ids are simply absent)."""
    if not asset_ids:
        return {}
    rows = await run(tx, _ASSETS, ids=asset_ids)
    assets = [(_asset_facts(row), row["sightings"], face_facts(row["faces"])) for row in rows]
    twins = await twin_worlds(tx, sorted({twin for asset, _, _ in assets for twin in asset.twin_ids}))
    worlds = {}
    for asset, sightings, faces in assets:
        worlds[asset.id] = AssetWorld(
            asset=asset,
            twins={twin_id: twins[twin_id] for twin_id in asset.twin_ids if twin_id in twins},
            sightings=tuple(
                sorted(
                    (
                        SightingFacts(
                            id=s["id"], observed_at=_instant(s["observedAt"]), platform_id=s["platformId"]
                        )
                        for s in sightings
                    ),
                    key=lambda s: s.id,
                )
            ),
            faces=faces,
        )
    return worlds


_SIGHTINGS: LiteralString = """
    UNWIND $ids AS id
    MATCH (s:Entity {id: id}) WHERE s:Sighting
    RETURN s {.id, .url, .platformId, observedAt: toString(s.observedAt)} AS sighting,
           COLLECT { MATCH (s)-[m:RESEMBLES]->(c:Capture)
                     RETURN {id: c.id, personIds: c.personIds, capturedAt: toString(c.capturedAt),
                             distance: m.distance} } AS resembles,
           COLLECT { MATCH (s)-[m:MATCHES]->(a:Asset)
                     RETURN {id: a.id, publishedAt: toString(a.publishedAt),
                             distance: m.distance} } AS matches,
           COLLECT { MATCH (n:TakedownNotice)-[:ABOUT]->(s)
                     RETURN n {.id, .platformId, .sentById, .responseHours, .basis,
                               sentAt: toString(n.sentAt),
                               responses: COLLECT { MATCH (n)-[r:ANSWERED]->()
                                                    RETURN {respondedAt: toString(r.respondedAt),
                                                            outcome: r.outcome, note: r.note} }} } AS notices,
           COLLECT { MATCH (s)-[:MATCHES]->(:Asset)-[:RENDERS]->(:Twin)-[:REPLICA_OF]->(p:Person)
                     RETURN DISTINCT p.id } AS assetPersons,
           COLLECT { MATCH (s)-[f:SHOWS_FACE_OF]->(p:Person)
                     RETURN f {personId: p.id, .captureId, .distance, .threshold, .model, .box,
                               .frameTime} } AS faces
"""


def _notice_facts(n: dict[str, Any]) -> NoticeFacts:
    return NoticeFacts(
        id=n["id"],
        platform_id=n["platformId"],
        sent_by_id=n["sentById"],
        sent_at=_instant(n["sentAt"]),
        response_hours=int(n["responseHours"]),
        basis=n.get("basis"),
        responses=tuple(
            sorted(
                (
                    NoticeResponseFacts(
                        responded_at=_instant(r["respondedAt"]), outcome=r["outcome"], note=r.get("note")
                    )
                    for r in n["responses"]
                ),
                key=lambda r: r.responded_at,
            )
        ),
    )


def _sighting_world(row: dict[str, Any]) -> SightingWorld:
    s = row["sighting"]
    return SightingWorld(
        sighting=SightingFacts(
            id=s["id"], observed_at=_instant(s["observedAt"]), platform_id=s["platformId"]
        ),
        url=s["url"],
        resembles=tuple(
            sorted(
                (
                    ResemblanceFacts(
                        capture_id=c["id"],
                        person_ids=frozenset(c["personIds"] or ()),
                        captured_at=_instant(c["capturedAt"]),
                        distance=int(c["distance"]),
                    )
                    for c in row["resembles"]
                ),
                key=lambda c: c.capture_id,
            )
        ),
        matches=tuple(
            sorted(
                (
                    MatchFacts(
                        asset_id=a["id"], published_at=_instant(a["publishedAt"]), distance=int(a["distance"])
                    )
                    for a in row["matches"]
                ),
                key=lambda a: a.asset_id,
            )
        ),
        notices=tuple(sorted((_notice_facts(n) for n in row["notices"]), key=lambda n: n.id)),
        faces=face_facts(row["faces"]),
    )


async def sighting_worlds(
    tx: AsyncManagedTransaction, sighting_ids: list[str]
) -> dict[str, tuple[SightingWorld, list[str]]]:
    """The world around each sighting, with the persons whose likeness it shows (through the captures it
    resembles, the twins of the assets it matches and the faces it shows), sorted. Missing ids are simply
    absent."""
    if not sighting_ids:
        return {}
    found = {}
    for row in await run(tx, _SIGHTINGS, ids=sighting_ids):
        world = _sighting_world(row)
        persons = {person for r in world.resembles for person in r.person_ids} | set(row["assetPersons"])
        persons |= {face.person_id for face in world.faces}
        found[world.sighting.id] = (world, sorted(persons))
    return found
