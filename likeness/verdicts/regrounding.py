"""Laws changed: ground again exactly the stored verdicts the changed packs can touch.

A pack changes when a version is added (a new law, or a law's new version with its own dates), when its
file's bytes differ from those the stored verdicts were grounded with, or when it is gone. What such a
pack can touch: the verdicts whose code it grounds (grounding never changes a code, only the laws named),
those naming it, and — when it sets a notice clock — the notices sent without ``responseHours``, whose
clock is the law's (re-clocked here; their sightings' verdicts follow). Everything else is left exactly
as stored; a full re-evaluation (``likeness reevaluate``) gives the same state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from neo4j import AsyncManagedTransaction

from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.graph.law_packs import (
    any_verdict,
    law_clocked_notices,
    reclock,
    record_packs,
    recorded_packs,
    touched_subjects,
)
from likeness.graph.log import mark_rewritten
from likeness.laws import book as law_book
from likeness.laws.grounding import NoticeOccasion, clock
from likeness.laws.packs import LawBook, load_packs
from likeness.rules.codes import CODES
from likeness.verdicts.refresh import store_verdicts

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Regrounded:
    """What a change of packs did: the packs that changed, and the subjects and notices it reached."""

    changed: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    subjects: dict[str, list[str]] = field(default_factory=dict)
    reclocked: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.subjects.values())


def load_book(settings: Settings) -> LawBook:
    """Read and check the packs (LIKENESS_LAW_PACKS_DIR, else the shipped ones), every grounded code one
    of the rules', install them and log each pack's hash; a bad pack raises InvalidPack naming its file,
    field and reason, which stops the start."""
    loaded = law_book.install(
        load_packs(
            settings.likeness_law_packs_dir or law_book.PACKS_DIR,
            codes=CODES,
        )
    )
    for pack in loaded.packs:
        logger.info(
            "law pack %s loaded: %s, %s, in force from %s, sha256 %s",
            pack.key,
            pack.status,
            " ".join(pack.jurisdictions),
            pack.in_force_from or "-",
            pack.sha256,
        )
    return loaded


def changed_packs(book: LawBook, recorded: dict[str, str]) -> tuple[list[str], list[str]]:
    """The loaded packs new or changed since `recorded`, and the recorded ones no longer loaded."""
    loaded = book.hashes()
    changed = sorted(key for key, sha in loaded.items() if recorded.get(key) != sha)
    gone = sorted(key for key in recorded if key not in loaded)
    return changed, gone


async def _reclock(graph: Graph, book: LawBook) -> tuple[list[str], list[str]]:
    """Set again the clock of every notice whose clock is the law's; answers the notices whose clock
    changed and the sightings they are about."""
    rows = []
    for notice in await law_clocked_notices(graph):
        sent = datetime.fromisoformat(notice["sentAt"])
        places = frozenset([notice["jurisdiction"]]) if notice["jurisdiction"] else frozenset()
        found = clock(book, NoticeOccasion(places, sent, notice["category"], bool(notice["ordered"])))
        law = found.law.key if found.law is not None else None
        if found.hours != notice["hours"] or law != notice["law"]:
            rows.append({"id": notice["id"], "hours": found.hours, "law": law})
    return [row["id"] for row in rows], await reclock(graph, rows)


async def reground(
    graph: Graph,
    book: LawBook,
    *,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> Regrounded:
    """Ground again what the packs changed since the stored verdicts were grounded can touch, then
    record `book`'s packs as those they are grounded with. Run before anything writes verdicts with
    `book` (the API's start, an import): on a graph with no verdict yet it only records the packs.
    `book` is installed: what is grounded from now on is grounded with it."""
    law_book.install(book)
    recorded = await recorded_packs(graph)
    if not recorded and not await any_verdict(graph):
        await record_packs(graph, book.hashes())
        return Regrounded()
    changed, gone = changed_packs(book, recorded)
    if not changed and not gone:
        return Regrounded()
    by_key = {pack.key: pack for pack in book.packs}
    codes = sorted({code for key in changed for code in by_key[key].codes})
    # a pack that is gone may have set clocks or grounded any code: its verdicts name it
    clocks = bool(gone) or any(g.response_hours is not None for key in changed for g in by_key[key].grounds)
    subjects = await touched_subjects(graph, codes=codes, keys=changed + gone)
    reclocked: list[str] = []
    if clocks:
        reclocked, sightings = await _reclock(graph, book)
        subjects["SIGHTING"] = sorted(set(subjects.get("SIGHTING", [])) | set(sightings))
    work = (
        [("TWIN", sid) for sid in subjects.get("TWIN", [])]
        + [("ASSET", sid) for sid in subjects.get("ASSET", [])]
        + [("SIGHTING", sid) for sid in subjects.get("SIGHTING", [])]
    )
    logger.info(
        "law packs changed (%s%s): grounding again %d subjects with codes %s, %d notices re-clocked",
        ", ".join(changed) or "none new",
        f"; gone: {', '.join(gone)}" if gone else "",
        len(work),
        ", ".join(codes) or "none",
        len(reclocked),
    )
    for offset in range(0, len(work), batch_size):
        batch = work[offset : offset + batch_size]

        async def store(tx: AsyncManagedTransaction, batch: list[tuple[str, str]] = batch) -> int:
            # grounded again with no log entry: conditional GETs' ETags must change (graph.log)
            await mark_rewritten(tx)
            return await store_verdicts(
                tx,
                [sid for kind, sid in batch if kind == "TWIN"],
                [sid for kind, sid in batch if kind == "ASSET"],
                [sid for kind, sid in batch if kind == "SIGHTING"],
            )

        await graph.write(store)
        if progress is not None:
            progress(offset + len(batch), len(work))
    await record_packs(graph, book.hashes())
    return Regrounded(tuple(changed + gone), tuple(codes), subjects, tuple(reclocked))
