"""laws: the law packs in force at an instant, where; and the law ids and places questions name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from likeness.errors import InvalidInput
from likeness.events import fields
from likeness.laws.book import current
from likeness.laws.grounding import covers
from likeness.laws.packs import EU, LawPack
from likeness.resolvers.common import as_of_arg


def law_place(field: str, value: Any) -> str:
    """A place a law applies in: an ISO 3166-1 country (SE), an ISO 3166-2 subdivision (US-NY) or EU."""
    if isinstance(value, str) and value.upper() == EU:
        return EU
    try:
        return fields.jurisdiction(field, value)
    except InvalidInput:
        raise fields.refuse(
            field, value, "expected EU or an ISO 3166-1 or 3166-2 code such as SE, US or US-NY"
        ) from None


def law_ids(field: str, values: Sequence[str]) -> list[str]:
    """The law ids a question names, each one of the loaded book's (sorted, each once)."""
    known = current().ids
    for value in values:
        if value not in known:
            raise InvalidInput(field, value, f"expected one of the loaded laws: {', '.join(known)}")
    return sorted(set(values))


def laws(as_of: datetime | None, jurisdiction: str | None) -> list[LawPack]:
    """The laws at `as_of` (default now), by id: each ENACTED one in force that day (UTC), and the
    PROPOSED ones of laws with none in force; with a `jurisdiction`, only the laws whose own
    jurisdiction covers it (SE: the EU's laws too; US-NY: the United States' too)."""
    day = as_of_arg(as_of).astimezone(UTC).date()
    place = None if jurisdiction is None else law_place("jurisdiction", jurisdiction)
    book = current()
    found = [*book.in_force(day), *book.proposed(day)]
    if place is not None:
        found = [pack for pack in found if any(covers(own, place) for own in pack.jurisdictions)]
    return sorted(found, key=lambda pack: pack.id)
