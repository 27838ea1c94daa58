"""usageHistory (a brand's own uses and expiring consents), compensation (a person's terms and pay),
checkUsage (a brand's pre-flight) and liability (who carries an asset's breaches)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from likeness import rules
from likeness.access import policy
from likeness.errors import InvalidInput
from likeness.events import fields
from likeness.graph.history import compensation_facts, expiring_consents, published_by
from likeness.graph.worlds import asset_worlds, twin_worlds
from likeness.laws import book
from likeness.laws.requirements import (
    CONSENT_REQUIREMENTS,
    PlannedPerson,
    PlannedUse,
    PlanRequirements,
    plan_requirements,
    requirements_of,
)
from likeness.resolvers.common import as_of_arg, instant_arg, page_size, range_args
from likeness.resolvers.context import Context
from likeness.resolvers.provenance import asset_world, resolve_asset
from likeness.resolvers.records import Node, UseCheckRecord
from likeness.rules.facts import TwinUseCheck, TwinWorld, UseRequest, Verdict
from likeness.rules.use import use_code


@dataclass(frozen=True)
class PublishedUse:
    """One of an organization's own assets, the consents it ran under and the verdicts against it."""

    asset: Node
    consent_ids: tuple[str, ...]
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True)
class PlannedUseCheck:
    """A brand's pre-flight: the consent check per twin, and what the laws in force require of the use."""

    check: UseCheckRecord
    laws: PlanRequirements


@dataclass(frozen=True)
class OwnUses:
    """An organization's own assets in a period, and its consents expiring soon."""

    organization_id: str
    uses: list[PublishedUse]
    expiring_consents: list[Node]


@dataclass(frozen=True)
class ConsentPay:
    """One consent of a person: the uses under it and the payments recorded for it in a period."""

    consent: Node
    uses: int
    payments: list[Node]
    # the payments in the agreed currency (all of them when the terms name none)
    paid_total: Decimal
    currency: str | None


async def usage_history(
    context: Context,
    organization_id: str,
    start: datetime | None,
    end: datetime | None,
    as_of: datetime | None,
    expiring_within_days: int,
    first: int,
) -> OwnUses:
    """The organization's own assets published in the period with their coverage and verdicts as of
    `as_of`, and its consents expiring within the days given."""
    policy.authorize_acting_as(context.principal, "organizationId", organization_id)
    moment = as_of_arg(as_of)
    begin, finish = range_args(start, end)
    if not 0 <= expiring_within_days <= 3650:
        raise InvalidInput("expiringWithinDays", expiring_within_days, "expected 0 to 3650 days")
    nodes = await published_by(
        context.graph,
        organization_id=organization_id,
        start=begin,
        end=finish,
        as_of=moment,
        limit=page_size(first),
        scope=context.scope,
    )

    async def work(tx: Any) -> Any:
        return await asset_worlds(tx, [node["id"] for node in nodes])

    worlds = await context.graph.read(work) if nodes else {}
    uses = []
    for node in nodes:
        world = worlds.get(node["id"])
        covered = rules.coverage(world, moment) if world else None
        uses.append(
            PublishedUse(
                asset=node,
                consent_ids=covered.consent_ids if covered else (),
                verdicts=rules.verdicts_for_asset(world, moment) if world else (),
            )
        )
    expiring = await expiring_consents(
        context.graph,
        organization_id=organization_id,
        as_of=moment,
        until=rules.days_after(moment, expiring_within_days),
        scope=context.scope,
    )
    return OwnUses(organization_id=organization_id, uses=uses, expiring_consents=expiring)


def _agreed_currency(consent: Node) -> str | None:
    """The currency of a consent's agreed compensation ('' when unnamed), None when its terms name none."""
    if consent.get("compensationAmount") is None:
        return None
    return consent.get("compensationCurrency") or ""


async def compensation(
    context: Context, person_id: str, start: datetime | None, end: datetime | None, as_of: datetime | None
) -> list[ConsentPay]:
    """Per consent of the person: the uses and the payments recorded in the period, as of `as_of`."""
    moment = as_of_arg(as_of)
    begin, finish = range_args(start, end)
    answers = []
    for item in await compensation_facts(
        context.graph, person_id=person_id, start=begin, end=finish, as_of=moment, scope=context.scope
    ):
        currency = _agreed_currency(item["consent"])
        paid = sum(
            (Decimal(p["amount"]) for p in item["payments"] if currency is None or p["currency"] == currency),
            Decimal(0),
        )
        answers.append(
            ConsentPay(
                consent=item["consent"],
                uses=item["uses"],
                payments=item["payments"],
                paid_total=paid,
                currency=currency or (item["payments"][0]["currency"] if item["payments"] else None),
            )
        )
    return answers


async def check_usage(
    context: Context,
    twin_ids: list[str],
    publisher_id: str,
    media_type: str,
    channel: str,
    territories: list[str],
    content_tags: list[str] | None,
    at: datetime | None,
    sublicensed_from_id: str | None,
    as_of: datetime | None,
    ai_label: bool | None = None,
    machine_readable_mark: bool | None = None,
) -> PlannedUseCheck:
    """Whether the planned use would be permitted at `at`, by the facts known as of `as_of`, and what the
    laws in force at `at` require of it where it is planned and where its persons live."""
    policy.authorize_acting_as(context.principal, "publisherId", publisher_id)
    moment = instant_arg("at", at)
    known_by = as_of_arg(as_of)
    if not twin_ids:
        raise InvalidInput("twinIds", twin_ids, "expected at least one twin")
    request = UseRequest(
        twin_ids=frozenset(twin_ids),
        publisher_id=publisher_id,
        media_type=media_type,
        channel=channel,
        territories=frozenset(fields.many(fields.country, non_empty=True)("territories", territories)),
        at=moment,
        content_tags=frozenset(content_tags or ()),
        sublicensed_from_id=sublicensed_from_id,
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
            raise InvalidInput(
                "twinIds", twin_id, f"that twin was not built by asOf ({known_by.isoformat()})"
            )
        known[twin_id] = filtered
    check = rules.check_use(request, known)
    planned = PlannedUse(
        territories=request.territories,
        at=moment,
        ai_label=bool(ai_label),
        machine_readable_mark=bool(machine_readable_mark),
        persons=tuple(
            PlannedPerson(
                person_id=known[twin.twin_id].person.id,
                jurisdiction=known[twin.twin_id].person.jurisdiction,
                lacking=_consent_lacking(twin, known[twin.twin_id], moment),
            )
            for twin in check.twins
        ),
    )
    return PlannedUseCheck(check=check, laws=plan_requirements(book.current(), planned))


def _consent_lacking(check: TwinUseCheck, world: TwinWorld, at: datetime) -> frozenset[str]:
    """What of a written consent (the consent, its terms, her representation) one twin's check finds
    missing: the requirement of the code of each clause its closest consent fails, or of NO_CONSENT."""
    if check.permitted:
        return frozenset()
    consent = next((c for c in world.consents if c.id == check.consent_id), None)
    if consent is None:
        failed_codes = [check.code] if check.code is not None else []
    else:
        failed_codes = [use_code((clause,), consent, at) for clause in check.failed_clauses]
    return frozenset(requirements_of(failed_codes)) & CONSENT_REQUIREMENTS


async def liability(context: Context, asset_id: str, as_of: datetime | None) -> tuple[Verdict, ...]:
    """The verdicts holding against the asset as of `as_of`, each naming its liable parties."""
    moment = as_of_arg(as_of)
    found = await resolve_asset(context, asset_id, None)
    world = await asset_world(context, found) if found else None
    if world is None:
        return ()
    return rules.verdicts_for_asset(world, moment)
