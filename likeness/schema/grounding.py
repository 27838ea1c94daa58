"""The laws a verdict names: each ``ID@version`` a stored verdict keeps, as the pack says it."""

from __future__ import annotations

import functools
from datetime import date
from enum import Enum

import strawberry

from likeness.laws import book
from likeness.laws.grounding import LawRef, named


@strawberry.enum(
    description="Whether a law is in force (ENACTED) or only proposed (PROPOSED: grounds nothing)."
)
class LawStatus(Enum):
    ENACTED = "ENACTED"
    PROPOSED = "PROPOSED"


@strawberry.type(
    description="A law (one version of its pack) that grounds a verdict, or that it would break."
)
class LawGrounding:
    id: strawberry.ID
    version: int
    title: str
    article: str = strawberry.field(description="The article that grounds this verdict's code.")
    jurisdiction: str = strawberry.field(description="Where it is law: EU, an ISO 3166-1 or 3166-2 code.")
    jurisdictions: list[str]
    status: LawStatus
    in_force_from: date | None
    in_force_until: date | None = strawberry.field(
        description="The first day it no longer applies (none: still in force)."
    )

    @classmethod
    def of(cls, law: LawRef) -> LawGrounding:
        return cls(
            id=strawberry.ID(law.id),
            version=law.version,
            title=law.title,
            article=law.article,
            jurisdiction=law.jurisdiction,
            jurisdictions=list(law.jurisdictions),
            status=LawStatus(law.status),
            in_force_from=law.in_force_from,
            in_force_until=law.in_force_until,
        )


@functools.lru_cache(maxsize=1024)
def groundings(keys: tuple[str, ...], code: str) -> tuple[LawGrounding, ...]:
    """The answer's laws for a verdict's ``ID@version`` keys and code (a page repeats few distinct sets)."""
    if not keys:
        return ()
    return tuple(LawGrounding.of(law) for law in named(book.current(), keys, code))
