"""Who a request's bearer credential says the caller is: the bootstrap admin token, an API key, or a JWT."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace
from typing import Any

import jwt

from likeness.access import keys
from likeness.access.roles import READS_AS_PLATFORM, READS_PERSONAL, ROLES, SEES_EVERYTHING, TENANT_LABEL
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.graph.visibility import Scope, represented_by


@dataclass(frozen=True)
class Principal:
    role: str
    # the organization or person a tenant acts as
    party_id: str | None = None
    label: str = ""
    # how the caller proved it: "bootstrap", "key:<key id>" or "jwt:<subject>"
    credential: str = ""
    # an agency's people, represented today (looked up when the request is authenticated)
    represents: tuple[str, ...] = ()

    @property
    def sees_everything(self) -> bool:
        return self.role in SEES_EVERYTHING

    @property
    def scope(self) -> Scope | None:
        """The visibility scope of every read this caller makes; None means the whole graph."""
        if self.sees_everything:
            return None
        # a tenant without a party (never issued, but never trusted either) sees nothing: ids are never empty
        return Scope(
            party_id=self.party_id or "", selves=self.represents, platform=self.role in READS_AS_PLATFORM
        )

    def sees_face_matches_of(self, person_id: str) -> bool:
        """Whether this caller may see that a file not recorded (a trace) shows the face of this person: the
        rule of graph.visibility.face_match_visible (admins, regulators and investigators; the person
        herself; the agency representing her today)."""
        scope = self.scope
        return scope is None or scope.answers_for(person_id)

    def reads_personal(self, person_id: str) -> bool:
        """Whether this caller may read the person's personal fields (birthDate): the person herself,
        the agency representing her today, regulators and admins."""
        if self.role in READS_PERSONAL:
            return True
        if self.role == "PERSON":
            return self.party_id == person_id
        return self.role == "AGENCY" and person_id in self.represents

    @property
    def name(self) -> str:
        """How the log names this caller: role, party and credential, e.g. 'BRAND:brand-a key:key-3f…'."""
        who = f"{self.role}:{self.party_id}" if self.party_id else self.role
        return f"{who} {self.credential}".strip()


# whoever runs the `likeness` command on the server (imports, the demo): an admin, logged as 'ADMIN cli'
OPERATOR = Principal(role="ADMIN", label="operator", credential="cli")
# the caller of a request that executes nothing (the GraphiQL page): sees nothing, writes nothing
NOBODY = Principal(role="NOBODY", credential="none")


def _looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("eyJ")


def _from_claims(claims: dict[str, Any]) -> Principal | None:
    role, party_id = claims.get("role"), claims.get("partyId")
    if role not in ROLES:
        return None
    if role in TENANT_LABEL:
        if not isinstance(party_id, str) or not party_id:
            return None
    elif party_id is not None:
        return None
    subject = claims.get("sub")
    return Principal(
        role=role,
        party_id=party_id,
        label=str(claims.get("label", "")),
        credential=f"jwt:{subject}" if subject else "jwt",
    )


def principal_from_jwt(token: str, secret: str) -> Principal | None:
    """The principal an HS256-signed JWT carries in its `role` and `partyId` claims, or None."""
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["role"]})
    except jwt.InvalidTokenError:
        return None
    return _from_claims(claims)


async def principal_for(token: str, *, settings: Settings, graph: Graph) -> Principal | None:
    """The principal a bearer token stands for, or None for an unknown, revoked or invalid token."""
    admin = settings.likeness_admin_token
    if admin and hmac.compare_digest(token.encode(), admin.encode()):
        return Principal(role="ADMIN", label="bootstrap admin", credential="bootstrap")
    principal: Principal | None
    if _looks_like_jwt(token):
        secret = settings.likeness_jwt_secret
        principal = principal_from_jwt(token, secret) if secret else None
    else:
        found = await keys.find_active(graph, key=token)
        principal = (
            None
            if found is None
            else Principal(
                role=found.role, party_id=found.party_id, label=found.label, credential=f"key:{found.id}"
            )
        )
    if principal is not None and principal.role == "AGENCY" and principal.party_id:
        principal = replace(principal, represents=await represented_by(graph, principal.party_id))
    return principal
