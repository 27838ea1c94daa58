"""API keys: created for one role (and, for tenants, one party), shown once, stored only as a SHA-256."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from likeness.access.roles import ROLES, TENANT_LABEL
from likeness.errors import InvalidInput, NotFound
from likeness.graph import keys as stored
from likeness.graph.driver import Graph

logger = logging.getLogger(__name__)

KEY_PREFIX = "lk_"


@dataclass(frozen=True)
class ApiKey:
    id: str
    role: str
    party_id: str | None
    label: str
    created_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class NewKey:
    """A freshly created key: `secret` is the bearer token, shown this once and never stored."""

    key: ApiKey
    secret: str


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def _check_party(graph: Graph, role: str, party_id: str | None) -> None:
    if role not in ROLES:
        raise InvalidInput("role", role, f"expected one of {', '.join(ROLES)}")
    if role not in TENANT_LABEL:
        if party_id is not None:
            raise InvalidInput(
                "partyId", party_id, f"a {role} key acts for no party; leave --org/--person out"
            )
        return
    option = "--person" if role == "PERSON" else "--org"
    if not party_id:
        raise InvalidInput(
            "partyId", party_id, f"a {role} key needs the {TENANT_LABEL[role]} it acts as ({option} ID)"
        )
    labels = await stored.party_labels(graph, party_id=party_id)
    if labels is None:
        raise InvalidInput("partyId", party_id, f"no {TENANT_LABEL[role]} with that id; register it first")
    if TENANT_LABEL[role] not in labels:
        kinds = "/".join(sorted(set(labels) - {"Entity", "Organization"})) or "/".join(
            sorted(set(labels) - {"Entity"})
        )
        raise InvalidInput(
            "partyId", party_id, f"that id names a {kinds}, a {role} key needs a {TENANT_LABEL[role]}"
        )


async def create(graph: Graph, *, role: str, party_id: str | None = None, label: str = "") -> NewKey:
    """Create a key for a role (tenants: the party it acts as, which must exist with the right kind)."""
    role = role.upper()
    await _check_party(graph, role, party_id)
    key_id = "key-" + secrets.token_hex(6)
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    created_at = datetime.now(UTC)
    await stored.create_key(
        graph,
        key_id=key_id,
        key_hash=hash_key(secret),
        role=role,
        party_id=party_id,
        label=label,
        created_at=created_at,
    )
    logger.info("created API key %s for %s%s", key_id, role, f" acting as {party_id}" if party_id else "")
    return NewKey(
        key=ApiKey(id=key_id, role=role, party_id=party_id, label=label, created_at=created_at), secret=secret
    )


async def list_(graph: Graph) -> list[ApiKey]:
    """Every key ever created, revoked ones included, oldest first."""
    return [
        ApiKey(
            id=row["id"],
            role=row["role"],
            party_id=row["partyId"],
            label=row["label"] or "",
            created_at=row["createdAt"],
            revoked_at=row["revokedAt"],
        )
        for row in await stored.list_keys(graph)
    ]


async def revoke(graph: Graph, *, key_id: str) -> datetime:
    """Revoke a key from now on (revoking twice keeps the first instant); answers the revocation instant."""
    revoked_at = await stored.revoke_key(graph, key_id=key_id, at=datetime.now(UTC))
    if revoked_at is None:
        raise NotFound(f"no API key with id {key_id!r}; `likeness keys list` shows them", field="keyId")
    logger.info("API key %s revoked as of %s", key_id, revoked_at.isoformat())
    return revoked_at


async def find_active(graph: Graph, *, key: str) -> ApiKey | None:
    """The unrevoked key this bearer token is, or None."""
    row = await stored.get_active_by_hash(graph, key_hash=hash_key(key))
    if row is None:
        return None
    return ApiKey(id=row["id"], role=row["role"], party_id=row["partyId"], label=row["label"] or "")
