"""Who a request's bearer credential says the caller is."""

from __future__ import annotations

import hmac

from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.resolvers.context import Principal

ROLES = ("ADMIN", "REGULATOR", "INVESTIGATOR", "BRAND", "VENDOR", "PERSON", "AGENCY")


async def principal_for(token: str, *, settings: Settings, graph: Graph) -> Principal | None:
    """The principal a bearer token stands for, or None for an unknown token."""
    admin = settings.likeness_admin_token
    if admin and hmac.compare_digest(token.encode(), admin.encode()):
        return Principal(role="ADMIN", label="bootstrap admin")
    return None
