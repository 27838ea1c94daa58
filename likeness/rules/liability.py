"""Who carries a breach: the liable parties of a verdict, primary first."""

from __future__ import annotations

from collections.abc import Iterable

from likeness.rules.facts import Liability, Role


def liable(primary: Iterable[str | None], secondary: Iterable[str | None] = ()) -> tuple[Liability, ...]:
    """Primary parties then secondary ones; unknown (None) and repeated parties dropped.

    A party that is primary is never also listed as secondary.
    """
    seen: set[str] = set()
    parties: list[Liability] = []
    groups: tuple[tuple[Role, Iterable[str | None]], ...] = (("PRIMARY", primary), ("SECONDARY", secondary))
    for role, ids in groups:
        for party_id in ids:
            if party_id is None or party_id in seen:
                continue
            seen.add(party_id)
            parties.append(Liability(party_id=party_id, role=role))
    return tuple(parties)
