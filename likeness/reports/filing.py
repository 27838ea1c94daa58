"""Case files made and checked: generating one appends a `case` entry holding the file's SHA-256 to the
tamper-evident log; verifying a copy recomputes its SHA-256, finds that entry and walks the chain to the
head."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from likeness.access import log
from likeness.graph.driver import Graph
from likeness.reports.case import gather_case
from likeness.reports.page import render_case
from likeness.resolvers.context import Context
from likeness.resolvers.evidence import case_entries, record_case


@dataclass(frozen=True)
class CaseFile:
    html: str
    sha256: str
    # the log entry recording its generation
    entry: dict[str, Any]

    @property
    def data(self) -> bytes:
        """The file's bytes: exactly what its SHA-256 and its log entry were computed over."""
        return self.html.encode("utf-8")


async def generate_case(context: Context, subject_id: str, as_of: datetime) -> CaseFile | None:
    """The case file of an asset or a sighting for this caller as of `as_of`, logged; None when the caller
    may see no such subject (nothing is logged then)."""
    case = await gather_case(context, subject_id, as_of, datetime.now(UTC))
    if case is None:
        return None
    html = render_case(case)
    entry = await record_case(context, subject_id=subject_id, as_of=as_of, document=html)
    return CaseFile(html=html, sha256=hashlib.sha256(html.encode("utf-8")).hexdigest(), entry=entry)


@dataclass(frozen=True)
class CaseCheck:
    sha256: str
    # the log entry recording the file's generation (the first, if generated twice alike), or None
    entry: dict[str, Any] | None
    verification: log.Verification | None

    @property
    def verified(self) -> bool:
        return self.entry is not None and self.verification is not None and self.verification.broken is None


async def verify_case(graph: Graph, data: bytes) -> CaseCheck:
    """Whether these bytes are a case file the log recorded, with the chain intact from its entry to
    the head (the whole chain is walked: a break before the entry would let it be rewritten too)."""
    sha256 = hashlib.sha256(data).hexdigest()
    entries = await case_entries(graph, sha256)
    if not entries:
        return CaseCheck(sha256, None, None)
    return CaseCheck(sha256, entries[0], await log.verify(graph))
