"""Who may write what: each tenant writes only as itself; regulators never write.

| role | may record |
|---|---|
| ADMIN | everything (and only an admin registers persons and organizations) |
| PERSON | her own consents (grant, revoke) and her representation by an agency |
| BRAND | its campaigns, assets it publishes (in its own campaigns), their withdrawal,
|       | payments under consents granted to it |
| VENDOR | captures it made, twins it built, assets it publishes, their withdrawal,
|        | payments under consents granted to it |
| INVESTIGATOR | sightings of images found in the wild; takedown notices about them (for any
|              | sender) and the platforms' answers |
| PERSON | also takedown notices she sends herself |
| PLATFORM | its own answers to the notices addressed to it |
| REGULATOR, AGENCY | nothing |

Each operation's spec names its owner (`likeness.events.contract.SPECS`, `Owner`): the roles that may
make it, the input field that must name the writer itself, and the recorded node that must be its own.

Checks that need only the input run before the transaction (`authorize_write`); checks that need
a recorded node (whose consent is revoked, whose asset withdrawn) run inside the writing
transaction (`authorize_in_transaction`), so nothing can change between check and write.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from likeness.access.principals import Principal
from likeness.access.roles import READS_AS_PLATFORM, TENANT_LABEL
from likeness.errors import Forbidden
from likeness.events.contract import SPECS, Event
from likeness.graph.reads import recorded_inputs
from likeness.graph.visibility import Scope, params, visible_to


def _writer(principal: Principal) -> str:
    return f"a {principal.role} credential acting as {principal.party_id!r}"


def authorize_write(principal: Principal, event: Event) -> None:
    """Refuse (FORBIDDEN) a write the caller's role may never make, or one made as another party."""
    authorize_input(principal, event.op, event.input)


def authorize_input(principal: Principal, op: str, data: dict[str, Any]) -> None:
    """authorize_write, on a mutation's input as sent: so that a file sent with a write the caller may not
    make is refused before it is read."""
    if principal.role == "ADMIN":
        return
    owner = SPECS[op].owner
    if principal.role not in owner.roles:
        who = " or ".join(sorted({*owner.roles, "ADMIN"}))
        raise Forbidden(f"{op}: a {principal.role} credential may not record this; {who} may")
    field = owner.as_itself
    if field is None or principal.role not in TENANT_LABEL:
        return
    value = data.get(field)
    if value != principal.party_id:
        raise Forbidden(
            f"{field}: {_writer(principal)} records only as itself; expected {principal.party_id!r} "
            f"(got {value!r})",
            field=field,
        )


async def authorize_in_transaction(principal: Principal, tx: AsyncManagedTransaction, event: Event) -> None:
    """Refuse (FORBIDDEN) a tenant's write about a recorded node that is not its own (admins, and the
    investigators who record platforms' answers for them, write about any)."""
    owns = SPECS[event.op].owner.owns
    if principal.role not in TENANT_LABEL or owns is None:
        return
    field, owner_field = owns
    ref = event.input.get(field)
    if ref is None:
        return
    recorded = (await recorded_inputs(tx, [ref])).get(ref)
    # an unknown id is left to the write, which names it as a missing reference
    if recorded is not None and recorded.get(owner_field) != principal.party_id:
        raise Forbidden(
            f"{field}: {ref!r} is not {principal.party_id!r}'s own "
            f"({owner_field} is not {principal.party_id!r}); "
            f"{_writer(principal)} may not use it",
            field=field,
        )


def visibility_filter(principal: Principal, label: str | None, var: str) -> tuple[str, dict[str, Any]]:
    """A Cypher predicate over node variable `var` and its parameters: true for what the caller may see.

    For callers who see everything the predicate is `true` (and costs nothing). Place it in a WHERE
    clause and pass the parameters with the query, e.g.

        predicate, extra = visibility_filter(context.principal, "Asset", "a")
        cypher = "MATCH (a:Asset) WHERE a.publishedAt >= $from AND " + predicate + " RETURN a"
        await graph.query(cypher, **{"from": start}, **extra)

    `label` is the node's label (Asset, Twin, Consent, Person, …) or None for a node of any label.
    """
    scope = principal.scope
    if scope is None:
        return "true", {}
    return visible_to(scope, label, var), params(scope)


def authorize_acting_as(principal: Principal, field: str, party_id: str) -> None:
    """Refuse (FORBIDDEN) a brand or vendor asking a question as another organization, and a platform
    asking either question at all.

    For usageHistory and checkUsage: a brand reads its own history and pre-flights its own uses.
    Persons and agencies may ask about any organization; what they get back is filtered to what
    they may see (their own likeness). A platform publishes nothing and reads no asset or consent:
    both questions are about what it may not see.
    """
    if principal.role in READS_AS_PLATFORM:
        raise Forbidden(
            f"{field}: a {principal.role} credential reads only the takedown notices addressed to it and "
            "the sightings on it (notices, takedownNotice, sighting); it may not ask this",
            field=field,
        )
    if principal.role in ("BRAND", "VENDOR") and party_id != principal.party_id:
        raise Forbidden(
            f"{field}: {_writer(principal)} asks only as itself; "
            f"expected {principal.party_id!r} (got {party_id!r})",
            field=field,
        )


__all__ = [
    "Scope",
    "authorize_acting_as",
    "authorize_in_transaction",
    "authorize_write",
    "visibility_filter",
]
