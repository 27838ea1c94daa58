"""publishAsset(input, file, sign: true): the published file leaves signed, bound to its record.

The manifest names the log entry that records the publication, so the file is signed inside the write's
own transaction, once it has the writers' turn (likeness.ingest.record's `prepare`): the log's next sequence
number is then known, and so are the consents the use runs under, read from the graph as it stands. The
signing itself runs in a file worker (likeness.media.workers), bounded and stopped like hashing. The asset
records the signed file's sha256, phash and Content Credentials; its bytes are kept beside it
(graph.signed_files) and served at GET /signed/{assetId}.

Sent again, the same publication with the same file is unchanged (the file is not signed twice): the asset
keeps the sha256 of the file the brand sent (`signedFile.sourceSha256`), which a repeat is compared by.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import orjson
from neo4j import AsyncManagedTransaction

from likeness import rules
from likeness.errors import Conflict, Refused
from likeness.events import fields
from likeness.events.contract import Event, parse_event
from likeness.events.vocabulary import AiTraining
from likeness.graph.reads import Node
from likeness.graph.signed_files import ai_training_terms, stored_input
from likeness.graph.worlds import twin_worlds
from likeness.ingest.record import Prepare
from likeness.media.signing import Publication, unsupported
from likeness.resolvers import uploads
from likeness.resolvers.context import Context, FileWorkers
from likeness.rules.facts import TwinWorld, UseRequest

logger = logging.getLogger(__name__)

OP = "publishAsset"
# what a signed publication records of its file, taken from the first when it is sent again
_FROM_SIGNING = ("sha256", "phash", "contentCredentials", "signedFile", "faceMatches")


def signing_refusal(context: Context, mime_type: str | None) -> Refused | None:
    """Why this publication cannot be signed here, before anything is written; None when it can (or, with
    no `mime_type` yet, when nothing but the file's format may still refuse it)."""
    if context.signer is None:
        return Refused(
            "SIGNING_UNAVAILABLE",
            "sign",
            "no signing keys are configured on this server (LIKENESS_C2PA_SIGNER_CERT and "
            "LIKENESS_C2PA_SIGNER_KEY; docs/credentials.md); publish without `sign` or ask its operator",
        )
    return None if mime_type is None else unsupported(mime_type)


def signer_of(context: Context, filed: uploads.Filed, upload: Any) -> Prepare:
    """The `prepare` of record() that signs the file of one publication in its write transaction."""
    keys = context.signer
    if keys is None or filed.mime_type is None:
        raise RuntimeError("signer_of is called once signing_refusal found nothing to refuse")
    source_sha256 = str(filed.data["sha256"])
    mime_type = filed.mime_type

    async def prepare(tx: AsyncManagedTransaction, seq: int, events: list[Event]) -> list[Event]:
        (event,) = events
        stored = await stored_input(tx, event.key)
        if stored is not None:
            return [_sent_again(event, stored, source_sha256)]
        worlds = await twin_worlds(tx, sorted(event.input["twinIds"]))
        if len(worlds) != len(event.input["twinIds"]):
            return [event]  # the unknown twin is refused by graph.apply, naming it
        consent_ids = _consents_of(event, worlds, context)
        publication = Publication(
            asset_id=event.key,
            consent_ids=consent_ids,
            log_seq=seq,
            vendor_ids=tuple(sorted({world.twin.vendor_id for world in worlds.values()})),
            training_use=training_use(await ai_training_terms(tx, list(consent_ids))),
        )
        files = context.files or FileWorkers(workers=1, waiting=0)
        await upload.seek(0)
        try:
            signed = await files.sign(
                uploads.chunks_of(upload),
                filename=filed.filename,
                deadline=context.bounds.deadline,
                mime_type=mime_type,
                publication=publication,
                keys=keys,
            )
        except TimeoutError:
            raise context.bounds.timed_out() from None
        hashes = signed.hashes
        completed = dict(event.input)
        completed.update(sha256=hashes.sha256, phash=hashes.phash)
        credentials = uploads.recorded_credentials(hashes.content_credentials)
        if credentials is not None:
            completed["contentCredentials"] = credentials
        completed["signedFile"] = {
            "sourceSha256": source_sha256,
            "manifestSha256": signed.signed.manifest_sha256,
            "mimeType": mime_type,
            "size": len(signed.signed.data),
            "consentIds": list(publication.consent_ids),
            "logSeq": seq,
        }
        return [replace(parse_event(OP, completed), signed_bytes=signed.signed.data)]

    return prepare


def training_use(terms: list[str | None]) -> str:
    """What cawg.training-mining says of a file published under consents with these aiTraining terms: the
    strictest of them (a consent that states none allows none)."""
    if not terms or any(term in (None, AiTraining.NOT_ALLOWED) for term in terms):
        return "notAllowed"
    if AiTraining.CONSTRAINED in terms:
        return "constrained"
    return "allowed"


def log_signed(found: Node | None) -> None:
    """Say in the server's log which manifest a published asset's signed file carries (its sha256) and
    which log entry recorded it: the manifest can be matched to the record without the file."""
    if found is None or not found.get("signedFile"):
        return
    facts = orjson.loads(found["signedFile"])
    logger.info(
        "asset %s is published signed: file sha256 %s, manifest sha256 %s, consents %s, log entry %d",
        found["id"],
        found["sha256"],
        facts["manifestSha256"],
        ", ".join(facts["consentIds"]) or "-",
        facts["logSeq"],
    )


def _consents_of(event: Event, worlds: dict[str, TwinWorld], context: Context) -> tuple[str, ...]:
    """The consents this use runs under, one per twin, as the rules choose them now; refused NOT_PERMITTED
    naming `sign` when a twin's use is permitted by none (Likeness signs only what a consent permits)."""
    data = event.input
    now = context.now()
    known = {twin_id: rules.twin_facts_as_of(world, now) for twin_id, world in worlds.items()}
    request = UseRequest(
        twin_ids=frozenset(data["twinIds"]),
        publisher_id=data["publisherId"],
        media_type=data["mediaType"],
        channel=data["channel"],
        territories=frozenset(data["territories"]),
        at=fields.parse_instant(data["publishedAt"]),
        content_tags=frozenset(data.get("contentTags") or ()),
        sublicensed_from_id=data.get("sublicensedFromId"),
    )
    check = rules.check_use(
        request, {twin_id: world for twin_id, world in known.items() if world is not None}
    )
    failing = [twin for twin in check.twins if not twin.permitted]
    if failing:
        first = failing[0]
        raise Refused(
            "NOT_PERMITTED",
            "sign",
            f"the use of twin {first.twin_id!r} is permitted by no consent ({first.code}); Likeness signs "
            "only a publication a consent permits (checkUsage says which clauses fail). Publish it without "
            "`sign` to record it as it is",
        )
    return tuple(sorted({twin.consent_id for twin in check.twins if twin.consent_id is not None}))


def _sent_again(event: Event, stored: str, source_sha256: str) -> Event:
    """A publication sent again with `sign: true`: as first recorded when its file is the one first signed
    (graph.apply then finds it unchanged, or names the fields the caller changed); refused CONFLICT naming
    `sign` when the asset was first recorded unsigned."""
    first: dict[str, Any] = orjson.loads(stored)
    signed = first.get("signedFile")
    if signed is None:
        raise Conflict(event.key, ["sign"])
    if signed["sourceSha256"] != source_sha256:
        return event  # a different file: graph.apply names sha256 (and whatever else differs)
    again = {name: value for name, value in event.input.items() if name not in _FROM_SIGNING}
    again.update({name: first[name] for name in _FROM_SIGNING if name in first})
    return parse_event(OP, again)
