"""usageHistory (a brand's own uses and expiring consents), compensation (a person's terms and pay),
checkUsage (a brand's pre-flight) and liability (who carries an asset's breaches)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import strawberry

from likeness import rules
from likeness.access import policy
from likeness.errors import InvalidInput
from likeness.graph.history import compensation_facts, expiring_consents, published_by
from likeness.graph.worlds import asset_worlds, twin_worlds
from likeness.events import fields
from likeness.resolvers.common import instant_arg, page_size, range_args
from likeness.resolvers.provenance import asset_world, resolve_asset
from likeness.rules.facts import UseRequest
from likeness.schema.convert import from_node
from likeness.schema.enums import Channel, LiabilityRole, MediaType  # noqa: F401
from likeness.schema.nodes import Asset, Consent, Payment
from likeness.schema.results import (
    AssetUse,
    ConsentCompensation,
    LiableParty,
    TwinUseCheck,
    UsageCheck,
    UsageHistory,
)
from likeness.schema.verdicts import Verdict


def _id(value: str | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(value)


async def usage_history(
    context: Any, organization_id: str, start: datetime | None, end: datetime | None, as_of: datetime | None,
    expiring_within_days: int, first: int,
) -> UsageHistory:
    policy.authorize_acting_as(context.principal, "organizationId", organization_id)
    moment = instant_arg("asOf", as_of)
    begin, finish = range_args(start, end)
    if not 0 <= expiring_within_days <= 3650:
        raise InvalidInput("expiringWithinDays", expiring_within_days, "expected 0 to 3650 days")
    nodes = await published_by(context.graph, organization_id=organization_id, start=begin, end=finish,
                               as_of=moment, limit=page_size(first), scope=context.scope)

    async def work(tx: Any) -> Any:
        return await asset_worlds(tx, [node["id"] for node in nodes])

    worlds = await context.graph.read(work) if nodes else {}
    uses = []
    for node in nodes:
        world = worlds.get(node["id"])
        covered = rules.coverage(world, moment) if world else None
        uses.append(AssetUse(
            asset=from_node(Asset, node),
            consent_ids=[strawberry.ID(k) for k in covered.consent_ids] if covered else [],
            verdicts=[Verdict.of(v) for v in (rules.verdicts_for_asset(world, moment) if world else ())],
        ))
    expiring = await expiring_consents(context.graph, organization_id=organization_id, as_of=moment,
                                       until=moment + timedelta(days=expiring_within_days), scope=context.scope)
    return UsageHistory(
        organization_id=strawberry.ID(organization_id), assets=uses,
        expiring_consents=[from_node(Consent, node) for node in expiring],
    )


async def compensation(
    context: Any, person_id: str, start: datetime | None, end: datetime | None, as_of: datetime | None
) -> list[ConsentCompensation]:
    moment = instant_arg("asOf", as_of)
    begin, finish = range_args(start, end)
    answers = []
    for item in await compensation_facts(context.graph, person_id=person_id, start=begin, end=finish, as_of=moment,
                                         scope=context.scope):
        consent = from_node(Consent, item["consent"])
        agreed = Consent.compensation_of(item["consent"])
        currency = agreed.currency if agreed else None
        paid = sum((Decimal(p["amount"]) for p in item["payments"]
                    if currency is None or p["currency"] == currency), Decimal(0))
        answers.append(ConsentCompensation(
            consent=consent, agreed=agreed, uses=item["uses"],
            payments=[from_node(Payment, p) for p in item["payments"]], paid_total=paid,
            currency=currency or (item["payments"][0]["currency"] if item["payments"] else None),
        ))
    return answers


async def check_usage(
    context: Any, twin_ids: list[str], publisher_id: str, media_type: str, channel: str, territories: list[str],
    content_tags: list[str] | None, at: datetime | None, sublicensed_from_id: str | None, as_of: datetime | None,
) -> UsageCheck:
    policy.authorize_acting_as(context.principal, "publisherId", publisher_id)
    moment = instant_arg("at", at)
    known_by = instant_arg("asOf", as_of)
    if not twin_ids:
        raise InvalidInput("twinIds", twin_ids, "expected at least one twin")
    request = UseRequest(
        twin_ids=frozenset(twin_ids), publisher_id=publisher_id, media_type=media_type, channel=channel,
        territories=frozenset(fields.many(fields.country, non_empty=True)("territories", territories)),
        at=moment, content_tags=frozenset(content_tags or ()), sublicensed_from_id=sublicensed_from_id,
    )

    async def work(tx: Any) -> Any:
        return await twin_worlds(tx, sorted(twin_ids))

    worlds = await context.graph.read(work)
    visible = await context.visible_ids(twin_ids)
    # a twin the caller may not see is answered like one that does not exist
    missing = [twin_id for twin_id in twin_ids if twin_id not in worlds or twin_id not in visible]
    if missing:
        raise InvalidInput("twinIds", missing[0], "no twin with that id")
    known = {}
    for twin_id, world in worlds.items():
        filtered = rules.twin_facts_as_of(world, known_by)
        if filtered is None:
            raise InvalidInput("twinIds", twin_id, f"that twin was not built by asOf ({known_by.isoformat()})")
        known[twin_id] = filtered
    result = rules.check_use(request, known)
    return UsageCheck(
        permitted=result.permitted, code=result.code,
        twins=[TwinUseCheck(
            twin_id=strawberry.ID(t.twin_id), person_id=_id(t.person_id), permitted=t.permitted,
            consent_id=_id(t.consent_id),
            failed_clauses=list(t.failed_clauses), code=t.code,
        ) for t in result.twins],
    )


async def liability(context: Any, asset_id: str, as_of: datetime | None) -> list[LiableParty]:
    moment = instant_arg("asOf", as_of)
    found = await resolve_asset(context, asset_id, None)
    world = await asset_world(context, found) if found else None
    if world is None:
        return []
    parties = []
    for verdict in rules.verdicts_for_asset(world, moment):
        for party in verdict.liable:
            parties.append(LiableParty(
                party_id=strawberry.ID(party.party_id), role=LiabilityRole(party.role), code=verdict.code,
                evidence=list(verdict.evidence), explanation=verdict.explanation,
            ))
    return parties
