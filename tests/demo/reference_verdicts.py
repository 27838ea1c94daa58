"""The verdicts a world file should produce, computed in memory by the rules module (no Neo4j).

A reference for tests: what ``likeness.rules`` says about every asset and twin of a small world,
so a world's stated story (the demo docstring, the synthetic generator's planted codes) can be
checked against the rules themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from likeness.laws.grounding import NoticeOccasion, clock, representation_required
from likeness.laws.packs import load_packs
from likeness.rules import (
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
    Verdict,
    verdicts_for_asset,
    verdicts_for_sighting,
    verdicts_for_twin,
)

MAX_PHASH_DISTANCE = 8
# the laws the world is judged under (the notice clocks, a consent's need of representation): the shipped
BOOK = load_packs()


def _at(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _set(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def _consent(
    fields: dict[str, Any], revoked_at: datetime | None, jurisdiction: str | None = None
) -> ConsentFacts:
    terms = fields.get("compensation")
    signed_at = datetime.fromisoformat(fields["signedAt"])
    return ConsentFacts(
        id=fields["id"],
        purpose=fields["purpose"],
        person_id=fields["personId"],
        grantee_id=fields["granteeId"],
        signed_by_id=fields["signedById"],
        signed_at=datetime.fromisoformat(fields["signedAt"]),
        valid_from=datetime.fromisoformat(fields["validFrom"]),
        valid_until=_at(fields.get("validUntil")),
        twin_ids=frozenset(fields.get("twinIds", ())),
        guardian_id=fields.get("guardianId"),
        negotiated_by_id=fields.get("negotiatedById"),
        media_types=_set(fields.get("mediaTypes")),
        channels=_set(fields.get("channels")),
        territories=_set(fields.get("territories")),
        prohibited_content=frozenset(fields.get("prohibitedContent", ())),
        description=fields.get("description"),
        compensation=None
        if terms is None
        else CompensationFacts(Decimal(terms["amount"]), terms["currency"], terms["basis"]),
        sublicensable=fields.get("sublicensable", False),
        takedown_days=fields.get("takedownDays", 30),
        revoked_at=revoked_at,
        representation=fields.get("representation"),
        replaces_in_person_work=fields.get("replacesInPersonWork"),
        representation_required=representation_required(BOOK, jurisdiction, signed_at) is not None,
    )


def _distance(sighting: dict[str, Any], shown: dict[str, Any]) -> int | None:
    """How far a sighting is from an asset or capture: 0 for the same sha256, else the phash distance
    when within MAX_PHASH_DISTANCE, else None."""
    if "sha256" in sighting and sighting["sha256"] == shown["sha256"]:
        return 0
    if "phash" in sighting and "phash" in shown:
        found = (int(sighting["phash"], 16) ^ int(shown["phash"], 16)).bit_count()
        return found if found <= MAX_PHASH_DISTANCE else None
    return None


def _faces(recorded: dict[str, Any]) -> tuple[FaceMatchFacts, ...]:
    """The enrolled persons' faces a sighting's or an asset's file shows, as its line records them."""
    return tuple(
        FaceMatchFacts(
            person_id=m["personId"],
            capture_id=m["captureId"],
            distance=float(m["distance"]),
            threshold=float(m["threshold"]),
            model=m["model"],
            box=(m["box"][0], m["box"][1], m["box"][2], m["box"][3]),
            frame_time=float(m["frameTime"]),
        )
        for m in sorted(recorded.get("faceMatches", ()), key=lambda m: m["personId"])
    )


def _matches(sighting: dict[str, Any], asset: dict[str, Any]) -> bool:
    return _distance(sighting, asset) is not None


def reference_verdicts(events: Iterable[dict[str, Any]], as_of: datetime) -> dict[str, tuple[Verdict, ...]]:
    """Every asset's and twin's verdicts as of ``as_of``, by subject id (clean subjects map to ``()``)."""
    by_op: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by_op[event["op"]].append(event["input"])
    persons = {
        p["id"]: PersonFacts(
            p["id"],
            date.fromisoformat(p["birthDate"]) if "birthDate" in p else None,
            jurisdiction=p.get("jurisdiction"),
        )
        for p in by_op["registerPerson"]
    }
    depicts = {c["id"]: frozenset(c["personIds"]) for c in by_op["recordCapture"]}
    revoked = {r["consentId"]: datetime.fromisoformat(r["revokedAt"]) for r in by_op["revokeConsent"]}
    consents_of: dict[str, list[ConsentFacts]] = defaultdict(list)
    for fields in by_op["grantConsent"]:
        if fields["purpose"] != "MATCHING":  # it permits matching her face, nothing the rules judge
            person = persons[fields["personId"]]
            consents_of[fields["personId"]].append(
                _consent(fields, revoked.get(fields["id"]), person.jurisdiction)
            )
    twins: dict[str, TwinWorld] = {}
    for t in by_op["buildTwin"]:
        facts = TwinFacts(
            id=t["id"],
            person_id=t["personId"],
            vendor_id=t["vendorId"],
            built_at=datetime.fromisoformat(t["builtAt"]),
            capture_ids=frozenset(t["captureIds"]),
            capture_depicts={c: depicts[c] for c in t["captureIds"]},
            commissioned_by_id=t.get("commissionedById"),
        )
        twins[t["id"]] = TwinWorld(facts, persons[t["personId"]], tuple(consents_of[t["personId"]]))
    campaign_brand = {c["id"]: c["brandId"] for c in by_op["createCampaign"]}
    withdrawn = {w["assetId"]: datetime.fromisoformat(w["withdrawnAt"]) for w in by_op["withdrawAsset"]}
    verdicts: dict[str, tuple[Verdict, ...]] = {
        twin_id: verdicts_for_twin(world, as_of) for twin_id, world in twins.items()
    }
    for a in by_op["publishAsset"]:
        asset = AssetFacts(
            id=a["id"],
            publisher_id=a["publisherId"],
            twin_ids=frozenset(a["twinIds"]),
            media_type=a["mediaType"],
            channel=a["channel"],
            territories=frozenset(a["territories"]),
            published_at=datetime.fromisoformat(a["publishedAt"]),
            ai_label=a["aiLabel"],
            machine_readable_mark=a["machineReadableMark"],
            content_tags=frozenset(a.get("contentTags", ())),
            sublicensed_from_id=a.get("sublicensedFromId"),
            campaign_id=a.get("campaignId"),
            campaign_brand_id=campaign_brand.get(a.get("campaignId", "")),
            withdrawn_at=withdrawn.get(a["id"]),
        )
        sightings = tuple(
            SightingFacts(s["id"], datetime.fromisoformat(s["observedAt"]), s.get("platformId"))
            for s in by_op["reportSighting"]
            if _matches(s, a)
        )
        world = AssetWorld(asset, {t: twins[t] for t in a["twinIds"]}, sightings, _faces(a))
        verdicts[a["id"]] = verdicts_for_asset(world, as_of)
    return verdicts


def reference_sighting_verdicts(
    events: Iterable[dict[str, Any]], as_of: datetime
) -> dict[str, tuple[Verdict, ...]]:
    """Every sighting's own verdicts as of ``as_of`` (UNREGISTERED_USE, UNREGISTERED_LIKENESS,
    NOTICE_UNANSWERED), by id."""
    by_op: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by_op[event["op"]].append(event["input"])
    answers: dict[str, list[NoticeResponseFacts]] = defaultdict(list)
    for r in by_op["recordNoticeResponse"]:
        answers[r["noticeId"]].append(
            NoticeResponseFacts(datetime.fromisoformat(r["respondedAt"]), r["outcome"], r.get("note"))
        )
    places = {o["id"]: o["jurisdiction"] for o in by_op["registerOrganization"] if "jurisdiction" in o}

    def hours(n: dict[str, Any]) -> int:
        """The notice's own hours, else the law's clock for it (graph.apply does the same)."""
        if "responseHours" in n:
            return int(n["responseHours"])
        where = frozenset([places[n["platformId"]]]) if n["platformId"] in places else frozenset()
        sent = datetime.fromisoformat(n["sentAt"])
        return clock(BOOK, NoticeOccasion(where, sent, n.get("category"), n.get("ordered", False))).hours

    found: dict[str, tuple[Verdict, ...]] = {}
    for s in by_op["reportSighting"]:
        resembles = tuple(
            ResemblanceFacts(c["id"], frozenset(c["personIds"]), datetime.fromisoformat(c["capturedAt"]), d)
            for c in by_op["recordCapture"]
            if (d := _distance(s, c)) is not None
        )
        matches = tuple(
            MatchFacts(a["id"], datetime.fromisoformat(a["publishedAt"]), d)
            for a in by_op["publishAsset"]
            if (d := _distance(s, a)) is not None
        )
        notices = tuple(
            NoticeFacts(
                id=n["id"],
                platform_id=n["platformId"],
                sent_by_id=n["sentById"],
                sent_at=datetime.fromisoformat(n["sentAt"]),
                response_hours=hours(n),
                basis=n.get("basis"),
                responses=tuple(sorted(answers[n["id"]], key=lambda r: r.responded_at)),
            )
            for n in by_op["sendTakedownNotice"]
            if n["sightingId"] == s["id"]
        )
        world = SightingWorld(
            SightingFacts(s["id"], datetime.fromisoformat(s["observedAt"]), s.get("platformId")),
            s["url"],
            resembles,
            matches,
            notices,
            _faces(s),
        )
        found[s["id"]] = verdicts_for_sighting(world, as_of)
    return found


def codes(verdicts: tuple[Verdict, ...]) -> set[str]:
    return {verdict.code for verdict in verdicts}
