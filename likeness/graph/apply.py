"""Apply a batch of events in one write transaction: resolve references, keep idempotency, write.

The checks that need the graph (does this id exist, is it the right kind, was this id recorded
with other content) run here, inside the same transaction as the writes, so nothing is ever
half-written and a concurrent writer cannot slip between check and write.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, LiteralString, cast

import orjson
from neo4j import AsyncManagedTransaction

from likeness.config import get_settings
from likeness.errors import Conflict, InvalidInput, LikenessError, Refused, UnknownReference
from likeness.events.contract import KEYED_APART, OP_ORDER, SPECS, Event, differing_fields
from likeness.events.fields import parse_instant
from likeness.graph.driver import run
from likeness.graph.faces import TEMPLATE_DIMENSIONS, enrolment_facts
from likeness.graph.manifests import link_ingredients
from likeness.graph.writes import write_events
from likeness.laws import book
from likeness.laws.grounding import NoticeOccasion, clock, covers
from likeness.laws.packs import EU

# Events that change an existing node keep their input in a property of that node (their specs' `kept_in`).
_CHANGE_PROPERTY = {op: spec.kept_in for op, spec in SPECS.items() if spec.kept_in is not None}

# inputs travel only for the ids whose content a check reads (the events' own keys and a few
# references, `_INPUT_REFERENCES`); every other reference needs only its labels
_LOOKUP: LiteralString = """
    UNWIND $ids AS id
    MATCH (n:Entity {id: id})
    WITH n, id IN $withInput AS full
    RETURN n.id AS id, labels(n) AS labels, CASE WHEN full THEN n.input END AS input,
           CASE WHEN full THEN [property IN $changeProperties | n[property]] END AS changes
"""

# the referenced nodes whose input `_check_against_referenced` reads, per event kind
_INPUT_REFERENCES = {
    "grantConsent": ("twinIds",),
    "revokeConsent": ("consentId",),
    "withdrawAsset": ("assetId",),
    "buildTwin": ("supersedesId",),
    # the platform's jurisdiction decides the notice's clock and whether EU DSA art. 16 applies
    "sendTakedownNotice": ("sightingId", "platformId"),
    "recordNoticeResponse": ("noticeId",),
    # a face match's capture must depict its person
    "publishAsset": ("faceMatches.captureId",),
    "reportSighting": ("faceMatches.captureId",),
}
_INDEX = re.compile(r"\[\d+\]")


def _field_of(path: str) -> str:
    """A reference's field without its list indices: `faceMatches[1].captureId` is `faceMatches.captureId`."""
    return _INDEX.sub("", path)


_LOOKUP_REPRESENTATIONS: LiteralString = """
    UNWIND $keys AS k
    MATCH (:Entity {id: k.agencyId})-[r:REPRESENTS {since: k.since}]->(:Entity {id: k.personId})
    RETURN k.key AS key, r.input AS input
"""

_LOOKUP_TEMPLATES: LiteralString = """
    UNWIND $keys AS k
    MATCH (t:FaceTemplate {id: k.key})
    RETURN k.key AS key, t.input AS input
"""

_LOOKUP_RESPONSES: LiteralString = """
    UNWIND $keys AS k
    MATCH (:Entity {id: k.noticeId})-[r:ANSWERED]->()
    WHERE r.respondedAt = datetime(k.respondedAt)
    RETURN k.key AS key, r.input AS input
"""


@dataclass
class Known:
    labels: frozenset[str]
    input: dict[str, Any] | None
    # event kind -> input, for events that changed this node (revocation, withdrawal)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class BatchOutcome:
    applied: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    rejected: list[tuple[int, LikenessError]] = field(default_factory=list)
    # the accepted events, for whoever must react to them (verdicts, the log)
    accepted: list[Event] = field(default_factory=list)


async def _load_known(
    tx: AsyncManagedTransaction, events: Sequence[Event]
) -> tuple[dict[str, Known], dict[tuple[str, str], Any]]:
    ids: set[str] = set()
    with_input: set[str] = set()
    rep_keys: list[dict[str, Any]] = []
    response_keys: list[dict[str, Any]] = []
    template_keys: list[dict[str, Any]] = []
    for event in events:
        ids.update(ref for _, ref, _ in event.references)
        read = _INPUT_REFERENCES.get(event.op, ())
        with_input.update(ref for name, ref, _ in event.references if _field_of(name) in read)
        if event.op == "recordRepresentation":
            rep_keys.append(
                {
                    "key": event.key,
                    "agencyId": event.input["agencyId"],
                    "personId": event.input["personId"],
                    "since": date.fromisoformat(event.input["since"]),
                }
            )
        elif event.op == "enrollLikeness":
            template_keys.append({"key": event.key})
        elif event.op == "recordNoticeResponse":
            response_keys.append(
                {
                    "key": event.key,
                    "noticeId": event.input["noticeId"],
                    "respondedAt": event.input["respondedAt"],
                }
            )
        else:
            ids.add(event.key)
            with_input.add(event.key)
    known: dict[str, Known] = {}
    properties = list(_CHANGE_PROPERTY.values())
    for row in await run(
        tx, _LOOKUP, ids=sorted(ids), withInput=sorted(with_input), changeProperties=properties
    ):
        kept = zip(_CHANGE_PROPERTY, row["changes"] or [], strict=False)
        changes = {op: orjson.loads(value) for op, value in kept if value is not None}
        known[row["id"]] = Known(
            labels=frozenset(row["labels"]),
            input=orjson.loads(row["input"]) if row["input"] else None,
            changes=changes,
        )
    # events keyed apart (KEYED_APART: relationships, face templates) already recorded, by (op, key)
    relationships: dict[tuple[str, str], Any] = {}
    lookups: tuple[tuple[str, LiteralString, list[dict[str, Any]]], ...] = (
        ("recordRepresentation", _LOOKUP_REPRESENTATIONS, rep_keys),
        ("recordNoticeResponse", _LOOKUP_RESPONSES, response_keys),
        ("enrollLikeness", _LOOKUP_TEMPLATES, template_keys),
    )
    for op, cypher, keys in lookups:
        if keys:
            for row in await run(tx, cypher, keys=keys):
                relationships[(op, row["key"])] = orjson.loads(row["input"])
    return known, relationships


def _check_references(event: Event, known: dict[str, Known]) -> None:
    for field_name, ref, labels in event.references:
        node = known.get(ref)
        if node is None:
            raise UnknownReference(
                f"{field_name}: no {' or '.join(labels)} with id {ref!r}", field=field_name
            )
        if not node.labels & set(labels):
            kinds = sorted(node.labels - {"Entity", "Organization"}) or sorted(node.labels - {"Entity"})
            raise UnknownReference(
                f"{field_name}: {ref!r} is a {'/'.join(kinds)}, expected a {' or '.join(labels)}",
                field=field_name,
            )
    _check_against_referenced(event, known)


def _check_against_referenced(event: Event, known: dict[str, Known]) -> None:
    """Rules between an input and the nodes it refers to."""
    data = event.input
    if event.op == "grantConsent":
        for twin_id in data.get("twinIds", []):
            twin = known[twin_id].input or {}
            if twin.get("personId") != data["personId"]:
                raise InvalidInput(
                    "twinIds",
                    twin_id,
                    f"that twin replicates {twin.get('personId')!r}, not {data['personId']!r}",
                )
    elif event.op == "revokeConsent":
        consent = known[data["consentId"]].input or {}
        if parse_instant(data["revokedAt"]) < parse_instant(consent["signedAt"]):
            raise InvalidInput(
                "revokedAt", data["revokedAt"], f"is before the consent was signed ({consent['signedAt']})"
            )
    elif event.op == "withdrawAsset":
        asset = known[data["assetId"]].input or {}
        if parse_instant(data["withdrawnAt"]) < parse_instant(asset["publishedAt"]):
            raise InvalidInput(
                "withdrawnAt",
                data["withdrawnAt"],
                f"is before the asset was published ({asset['publishedAt']})",
            )
    elif event.op == "sendTakedownNotice":
        sighting = known[data["sightingId"]].input or {}
        seen_on = sighting.get("platformId")
        if seen_on is not None and seen_on != data["platformId"]:
            raise InvalidInput(
                "platformId",
                data["platformId"],
                f"sighting {data['sightingId']!r} was seen on {seen_on!r}; "
                "a notice about it goes to that platform",
            )
        if parse_instant(data["sentAt"]) < parse_instant(sighting["observedAt"]):
            raise InvalidInput(
                "sentAt", data["sentAt"], f"is before the sighting was observed ({sighting['observedAt']})"
            )
        _check_dsa_notice(data, _platform_jurisdiction(event, known))
    elif event.op == "recordNoticeResponse":
        notice = known[data["noticeId"]].input or {}
        if parse_instant(data["respondedAt"]) < parse_instant(notice["sentAt"]):
            raise InvalidInput(
                "respondedAt", data["respondedAt"], f"is before the notice was sent ({notice['sentAt']})"
            )
    elif event.op in ("publishAsset", "reportSighting"):
        for index, match in enumerate(data.get("faceMatches", [])):
            capture = known[match["captureId"]].input or {}
            if match["personId"] not in capture.get("personIds", []):
                raise InvalidInput(
                    f"faceMatches[{index}].captureId",
                    match["captureId"],
                    f"that capture does not depict {match['personId']!r}: a match's capture is one of the "
                    "person's own",
                )
    elif event.op == "buildTwin" and "supersedesId" in data:
        old = known[data["supersedesId"]].input or {}
        if old.get("personId") != data["personId"]:
            raise InvalidInput(
                "supersedesId", data["supersedesId"], "a twin supersedes only a twin of the same person"
            )


# what EU DSA art. 16(2) asks of a notice, in the article's order: the reasons (our `basis`), the exact
# location, the notifier's name and email, and her statement of good faith
DSA_NOTICE_FIELDS = (
    ("basis", "a sufficiently substantiated explanation of why the content is unlawful (art. 16(2)(a))"),
    ("exactLocation", "the exact electronic location of the content, such as its URL (art. 16(2)(b))"),
    ("notifierName", "the notifier's name (art. 16(2)(c))"),
    ("notifierEmail", "the notifier's email address (art. 16(2)(c))"),
    (
        "goodFaith",
        "the notifier's statement of good faith that the notice is accurate and complete (art. 16(2)(d))",
    ),
)
# a notice recorded before clocks by law kept the 72 hours it was given by default in its input
LEGACY_DEFAULT_HOURS = 72


def _platform_jurisdiction(event: Event, known: dict[str, Known]) -> str | None:
    platform = known[event.input["platformId"]].input or {}
    return platform.get("jurisdiction")


def _check_dsa_notice(data: dict[str, Any], jurisdiction: str | None) -> None:
    """A notice to a platform established in the EU carries what EU DSA art. 16(2) requires of one."""
    if jurisdiction is None or not covers(EU, jurisdiction):
        return
    for name, what in DSA_NOTICE_FIELDS:
        if data.get(name) is None:
            raise Refused(
                "DSA_NOTICE_INCOMPLETE",
                name,
                f"a notice to a platform in the EU ({jurisdiction}) gives {what}, as EU DSA art. 16 requires",
            )
    if data["goodFaith"] is not True:
        raise Refused(
            "DSA_NOTICE_INCOMPLETE",
            "goodFaith",
            f"a notice to a platform in the EU ({jurisdiction}) states the notifier's good faith (true), as "
            "EU DSA art. 16(2)(d) requires",
        )


def _with_clock(event: Event, known: dict[str, Known]) -> Event:
    """A notice that gives no responseHours, with the law's clock for it derived beside its input (DESIGN "Law
    packs": the shortest a law in force on the day it is sent sets for such a notice to a platform of its
    jurisdiction, else 72 h): `responseHours`, `responseHoursGiven: false` and `clockLaw` (the law's
    id@version, absent for 72 h). Its input stays the client's, so the same notice again is unchanged and
    an export and import give the clock of the packs in use (verdicts.regrounding re-clocks on a change)."""
    if event.op != "sendTakedownNotice" or "responseHours" in event.input:
        return event
    data = event.input
    jurisdiction = _platform_jurisdiction(event, known)
    occasion = NoticeOccasion(
        jurisdictions=frozenset({jurisdiction}) if jurisdiction else frozenset(),
        at=parse_instant(data["sentAt"]),
        category=data.get("category"),
        ordered=bool(data.get("ordered")),
    )
    found = clock(book.current(), occasion)
    derived: dict[str, Any] = {"responseHours": found.hours, "responseHoursGiven": False}
    if found.law is not None:
        derived["clockLaw"] = found.law.key
    return replace(event, derived=derived)


# the C2PA status code of a valid signature whose signer chains to no configured anchor
UNTRUSTED_SIGNER = "signingCredential.untrusted"


def _as_compared(data: dict[str, Any]) -> dict[str, Any]:
    """An input as its repeat is compared: whether a file's manifest was trusted (`trusted`, and the SDK's
    `signingCredential.untrusted` among its failures) is the reader's judgement under the anchors configured
    when it was read, not a fact of the file, so the same file sent again under other anchors is the same
    event (and keeps what was first recorded)."""
    credentials = data.get("contentCredentials")
    if not isinstance(credentials, dict):
        return data
    judged = cast(dict[str, Any], credentials)
    facts = {name: value for name, value in judged.items() if name != "trusted"}
    if isinstance(facts.get("failures"), list):
        facts["failures"] = [code for code in facts["failures"] if code != UNTRUSTED_SIGNER]
    return {**data, "contentCredentials": facts}


def _ignored(event: Event, previous: dict[str, Any]) -> tuple[str, ...]:
    """The fields the same event again may carry otherwise and still be unchanged: those the server stamps,
    and the hours of a notice recorded before clocks by law (its input kept the default 72) sent again
    without them."""
    stamped = SPECS[event.op].stamped
    if (
        event.op == "sendTakedownNotice"
        and "responseHours" not in event.input
        and previous.get("responseHours") == LEGACY_DEFAULT_HOURS
    ):
        return (*stamped, "responseHours")
    return stamped


def _previous(
    event: Event, known: dict[str, Known], relationships: dict[tuple[str, str], Any]
) -> dict[str, Any] | None:
    """What the graph already holds under this event's key, or None."""
    if event.op in KEYED_APART:
        return relationships.get((event.op, event.key))
    node = known.get(event.key)
    if node is None:
        return None
    if event.op in _CHANGE_PROPERTY:
        return node.changes.get(event.op)
    if node.input is None or not node.labels & set(event.labels):
        raise Conflict(event.key, ["id (already used by another kind of node)"])
    return node.input


def _remember(event: Event, known: dict[str, Known], relationships: dict[tuple[str, str], Any]) -> None:
    if event.op in KEYED_APART:
        relationships[(event.op, event.key)] = event.input
    elif event.op in _CHANGE_PROPERTY:
        known[event.key].changes[event.op] = event.input
    else:
        known[event.key] = Known(labels=frozenset(("Entity", *event.labels)), input=event.input)


async def apply_events(
    tx: AsyncManagedTransaction,
    events: Sequence[Event],
    *,
    first_ordinal: int = 0,
    stored: Callable[[int], None] | None = None,
) -> BatchOutcome:
    """Check and write a batch in file order semantics; rejected events leave no trace.

    `stored` hears how many of the batch's events are written so far (a progress bar that moves within a
    long batch). Sightings are matched to what they show above graph (likeness.matching)."""
    known, relationships = await _load_known(tx, events)
    outcome = BatchOutcome()
    accepted: dict[str, list[tuple[int, Event]]] = defaultdict(list)
    for index, event in enumerate(events):
        try:
            _check_references(event, known)
            previous = _previous(event, known, relationships)
            if previous is not None:
                conflicting = differing_fields(
                    _as_compared(previous), _as_compared(event.input), stamped=_ignored(event, previous)
                )
                if conflicting:
                    raise Conflict(event.key, conflicting)
                outcome.unchanged.append(index)
                continue
        except LikenessError as error:
            outcome.rejected.append((index, error))
            continue
        event = _with_clock(event, known)
        _remember(event, known, relationships)
        accepted[event.op].append((first_ordinal + index, event))
        outcome.applied.append(index)
        outcome.accepted.append(event)
    written = len(outcome.unchanged) + len(outcome.rejected)
    for op in OP_ORDER:
        if op == "enrollLikeness" and accepted.get(op):
            # checked against the graph as written so far (a consent granted earlier in the batch counts),
            # one at a time (a face enrolled earlier in the batch counts)
            accepted[op] = await _enrol(tx, accepted[op], outcome, first_ordinal)
        if accepted.get(op):
            await write_events(tx, op, accepted[op])
            written += len(accepted[op])
            if stored is not None:
                stored(written)
    await link_ingredients(
        tx, [event for label in ("Capture", "Asset", "Sighting") for _, event in _recorded(accepted, label)]
    )
    return outcome


async def _enrol(
    tx: AsyncManagedTransaction, events: list[tuple[int, Event]], outcome: BatchOutcome, first_ordinal: int
) -> list[tuple[int, Event]]:
    """Write the enrolments that hold against the graph, one at a time; the others become refusals of the
    batch (nothing of theirs written). Answers none left to write."""
    for ordinal, event in events:
        try:
            await _check_enrolment(tx, event)
        except LikenessError as error:
            index = ordinal - first_ordinal
            outcome.applied.remove(index)
            outcome.accepted.remove(event)
            outcome.rejected.append((index, error))
            outcome.rejected.sort(key=lambda item: item[0])
            continue
        await write_events(tx, "enrollLikeness", [(ordinal, event)])
    return []


async def _check_enrolment(tx: AsyncManagedTransaction, event: Event) -> None:
    """An enrolment holds when a MATCHING consent of hers is in force at enrolledAt, the capture is hers and
    the file is the capture's own, and the face is within the match distance of every template of hers."""
    data = event.input
    if event.template is None:
        raise Refused(
            "NO_TEMPLATE",
            "file",
            "an enrolment is recorded with the face template of the capture's file; none came with it "
            "(an import finds the file by its sha256 in the folder given with --files)",
        )
    if len(event.template) != TEMPLATE_DIMENSIONS:  # the vector index would silently leave it out
        raise Refused(
            "NO_TEMPLATE",
            "file",
            f"a face template has {TEMPLATE_DIMENSIONS} numbers, not {len(event.template)}",
        )
    at = parse_instant(data["enrolledAt"])
    facts = await enrolment_facts(
        tx, person_id=data["personId"], capture_id=data["captureId"], vector=event.template, at=at
    )
    if not facts.consented:
        raise Refused(
            "NO_MATCHING_CONSENT",
            "personId",
            f"{data['personId']!r} has no MATCHING consent in force at {data['enrolledAt']}; her face is "
            "enrolled only while one is (grantConsent with purpose MATCHING, signed by her or her guardian)",
        )
    if not facts.depicts:
        raise Refused(
            "CAPTURE_NOT_HERS",
            "captureId",
            f"capture {data['captureId']!r} does not depict {data['personId']!r}; "
            "enrol her from a capture of hers",
        )
    if facts.capture_sha256 != data["sha256"]:
        raise Refused(
            "FILE_NOT_CAPTURE",
            "file",
            f"the file's sha256 ({data['sha256']}) is not capture {data['captureId']!r}'s "
            f"({facts.capture_sha256}); send the capture's own file",
        )
    threshold = get_settings().likeness_face_match_distance
    far = [(capture, distance) for capture, distance in facts.others if distance > threshold]
    if far:
        capture, distance = far[-1]
        raise Refused(
            "FACE_NOT_HERS",
            "file",
            f"the face is {distance:.3f} from her template of capture {capture!r}, beyond the match distance "
            f"{threshold} (LIKENESS_FACE_MATCH_DISTANCE): it may not be the same person. Enrol a clearer "
            "photograph of her, or revoke and re-grant her MATCHING consent to start afresh",
        )


def _recorded(accepted: dict[str, list[tuple[int, Event]]], label: str) -> list[tuple[int, Event]]:
    """The accepted events that record a node with this label (by their specs' labels)."""
    return [item for op, items in accepted.items() if label in SPECS[op].labels for item in items]
