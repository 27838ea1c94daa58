"""A case file's contents, gathered for one caller as of one instant: for an asset, its provenance, its
verdicts and those of its twins, each consent with its clauses checked, its Content Credentials, the faces
of enrolled persons its file shows, and the log entries that recorded every fact shown; for a sighting, the
sighting itself, its faces, its own verdicts, and each asset it matches with all of the above.

Everything is read through the resolvers with the caller's context, so a case file shows exactly what
the caller may see through the API, and a subject the caller may not see is None, as the API answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from likeness.graph.manifests import LostManifest
from likeness.reports.chain import ChainGraph, Node, asset_chain
from likeness.resolvers import evidence
from likeness.resolvers import face_matches as face_matches_resolver
from likeness.resolvers import provenance as provenance_resolver
from likeness.resolvers import sightings as sightings_resolver
from likeness.resolvers.context import Context
from likeness.resolvers.records import FaceMatchRecord
from likeness.rules.asof import facts_as_of
from likeness.rules.clauses import CLAUSE_ORDER, build_failures, use_failures
from likeness.rules.facts import AssetWorld, ConsentFacts, Verdict
from likeness.rules.use import use_of

# the clauses a USE consent is checked against before the ones of rules.clauses (DESIGN rule 1 and 2)
_USE_CANDIDACY = ("purpose", "person", "twin", "grantee")
_BUILD_CLAUSES = ("signatory", "guardian", "terms", "revoked", "window")


@dataclass(frozen=True)
class ClauseCheck:
    clause: str
    passed: bool


@dataclass(frozen=True)
class ConsentReview:
    """One consent and how it fares against the use (or build) it was examined for."""

    consent: Node
    # what the clauses were checked against, in words
    against: str
    checks: tuple[ClauseCheck, ...] = ()


@dataclass(frozen=True)
class FaceEvidence:
    """A face of an enrolled person in the subject's file: the match (box, distance, threshold, model; never
    a template), and the nearest enrolled capture when the reader may see it."""

    match: FaceMatchRecord
    capture: Node | None


@dataclass
class AssetSection:
    asset: Node
    graph: ChainGraph
    verdicts: tuple[Verdict, ...]
    # the verdicts holding on the asset's twins (a TAINTED_TWIN's build violation), by twin id
    twin_verdicts: dict[str, tuple[Verdict, ...]]
    consents: list[ConsentReview]
    manifests: list[dict[str, Any]]
    faces: list[FaceEvidence] = field(default_factory=list)


@dataclass
class SightingSection:
    sighting: Node
    platform: Node | None
    verdicts: tuple[Verdict, ...]
    manifests: list[dict[str, Any]]
    faces: list[FaceEvidence] = field(default_factory=list)
    # the VALID manifests of matched assets that the sighting's file no longer carries
    lost: list[LostManifest] = field(default_factory=list)


@dataclass
class Case:
    subject_id: str
    subject_kind: str  # "asset" or "sighting"
    as_of: datetime
    generated_at: datetime
    generated_by: str
    assets: list[AssetSection] = field(default_factory=list)
    sighting: SightingSection | None = None
    log: evidence.FactLog = field(default_factory=evidence.FactLog)


async def sighting_verdicts(context: Context, sighting_id: str, as_of: datetime) -> tuple[Verdict, ...]:
    """The sighting's own verdicts (UNREGISTERED_USE, NOTICE_UNANSWERED) as of `as_of`, as the caller may
    see them; the verdicts it inherits from the assets it matches are in those assets' sections."""
    found = await sightings_resolver.sighting_verdicts(context, sighting_id, as_of)
    return tuple(verdict for verdict in found if verdict.subject_id == sighting_id)


async def face_evidence(context: Context, subject_id: str) -> list[FaceEvidence]:
    """The faces of enrolled persons the sighting's or asset's file shows, as the caller may see the matches
    (docs/faces.md, Who sees a match), each with its nearest enrolled capture if the caller may see it."""
    matches = await face_matches_resolver.on_subject(context, subject_id)
    captures = await context.nodes().load_many([match.capture_id for match in matches])
    return [
        FaceEvidence(match, capture if capture is not None and "Capture" in capture["_labels"] else None)
        for match, capture in zip(matches, captures, strict=True)
    ]


def _consent_facts(world: AssetWorld | None, consent_id: str) -> tuple[ConsentFacts, str] | None:
    """The consent's facts as known at the case's instant, and the twin of the asset it concerns."""
    if world is None:
        return None
    for twin_id, twin_world in sorted(world.twins.items()):
        for consent in twin_world.consents:
            if consent.id == consent_id:
                return consent, twin_id
    return None


def _review(consent: Node, world: AssetWorld | None) -> ConsentReview:
    consent_id = str(consent["id"])
    found = _consent_facts(world, consent_id)
    if world is None or found is None:
        return ConsentReview(consent, "not signed by the case's instant: no clause is checked")
    facts, twin_id = found
    twin_world = world.twins[twin_id]
    if facts.purpose == "BUILD":
        failed = set(build_failures(facts, twin_world.twin, twin_world.person))
        return ConsentReview(
            consent,
            f"the build of twin {twin_id} at {twin_world.twin.built_at.isoformat()}",
            tuple(ClauseCheck(clause, clause not in failed) for clause in _BUILD_CLAUSES),
        )
    use = use_of(world.asset)
    failed = set(use_failures(facts, use, twin_world.person))
    candidacy = {
        "purpose": facts.purpose == "USE",
        "person": facts.person_id == twin_world.twin.person_id,
        "twin": twin_id in facts.twin_ids,
        "grantee": facts.grantee_id in (use.publisher_id, use.sublicensed_from_id),
    }
    checks = [ClauseCheck(clause, candidacy[clause]) for clause in _USE_CANDIDACY]
    checks += [ClauseCheck(clause, clause not in failed) for clause in CLAUSE_ORDER]
    return ConsentReview(
        consent,
        f"the use of twin {twin_id} by asset {world.asset.id} at its publication "
        f"({world.asset.published_at.isoformat()})",
        tuple(checks),
    )


async def _asset_section(context: Context, asset_id: str, as_of: datetime) -> AssetSection | None:
    chain = await provenance_resolver.provenance(context, asset_id, None, as_of)
    if chain is None:
        return None
    verdicts = chain.verdicts
    graph = await asset_chain(context, chain)
    twins = [str(node["id"]) for node in graph.of_label("Twin")]
    twin_verdicts = await evidence.held_verdicts(context, twins, as_of)
    world = await provenance_resolver.asset_world(context, asset_id)
    known = facts_as_of(world, as_of) if world is not None else None
    # the consents examined: those naming the asset's twins, and those its verdicts name, as far as the
    # caller may see them (a verdict may name a consent granted to someone else)
    named = {consent_id for verdict in verdicts for consent_id in verdict.consent_ids}
    named |= {consent_id for held in twin_verdicts.values() for v in held for consent_id in v.consent_ids}
    extra = [node_id for node_id in sorted(named) if node_id not in graph.nodes]
    for node in await context.nodes().load_many(extra):
        if node is not None and "Consent" in node["_labels"]:
            graph.add(node)
    consents = [_review(node, known) for node in graph.of_label("Consent")]
    manifests = (await evidence.manifests(context, [asset_id])).get(asset_id, [])
    return AssetSection(
        asset=chain.asset,
        graph=graph,
        verdicts=verdicts,
        twin_verdicts={twin: held for twin, held in sorted(twin_verdicts.items()) if held},
        consents=consents,
        manifests=manifests,
        faces=await face_evidence(context, asset_id),
    )


async def gather_case(context: Context, subject_id: str, as_of: datetime, now: datetime) -> Case | None:
    """The case file's contents for an asset or a sighting id, as the caller may see them as of `as_of`;
    None when the caller may see no such asset or sighting (or it was not published or observed by then)."""
    subject = await context.nodes().load(subject_id)
    if subject is None:
        return None
    case = Case(subject_id, "", as_of, now, context.principal.name)
    if "Asset" in subject["_labels"]:
        case.subject_kind = "asset"
        section = await _asset_section(context, subject_id, as_of)
        if section is None:
            return None
        case.assets.append(section)
    elif "Sighting" in subject["_labels"]:
        if subject["observedAt"] > as_of:
            return None
        case.subject_kind = "sighting"
        platform = await context.related("sighting.platform").load(subject_id)
        case.sighting = SightingSection(
            sighting=subject,
            platform=platform[0] if platform else None,
            verdicts=await sighting_verdicts(context, subject_id, as_of),
            manifests=(await evidence.manifests(context, [subject_id])).get(subject_id, []),
            faces=await face_evidence(context, subject_id),
            lost=await sightings_resolver.lost_manifests(context, subject_id),
        )
        for asset in await context.related("sighting.assets").load(subject_id):
            section = await _asset_section(context, str(asset["id"]), as_of)
            if section is not None:
                case.assets.append(section)
    else:
        return None
    shown = {subject_id}
    for section in case.assets:
        shown |= set(section.graph.nodes)
    if case.sighting is not None and case.sighting.platform is not None:
        shown.add(str(case.sighting.platform["id"]))
    # the enrolled captures a face is nearest to: the face evidence shows them
    faces = [face for section in case.assets for face in section.faces]
    faces += case.sighting.faces if case.sighting is not None else []
    shown |= {str(face.capture["id"]) for face in faces if face.capture is not None}
    case.log = await evidence.logged_facts(context, sorted(shown))
    return case
