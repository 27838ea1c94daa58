"""Conditional GET of a GraphQL query: the ETag of an answer that is a function of what it covers, and the
304 that answers a request whose If-None-Match names it.

The ETag is a strong hash of the document's SHA-256, the operation's name, the variables (canonical JSON),
the caller (its name, role, party and the persons it represents today, as its visibility reads them), the
graph's last change (graph.log.last_change: the last log entry that recorded a change, and the rewrites no
entry records) and the process's epoch (the code, the law book and the limits it answers with). Which
answers get one is likeness.execution.pinned's to say; the caller is authenticated before any of this.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from starlette.responses import Response

from likeness.access.log import sha256_of
from likeness.access.principals import Principal
from likeness.graph.driver import Graph
from likeness.graph.log import last_change

# an answer with an ETag: the client may keep it, and asks again every time (a 304 when unchanged)
REVALIDATE = "private, no-cache"
# any other GET answer: not kept
NO_STORE = "no-store"

_PACKAGE = Path(__file__).resolve().parent.parent


def process_epoch(*parts: str) -> str:
    """What else an answer depends on, fixed while the process runs: the package's code (its Python sources,
    so that two workers of one release agree and a new release differs) and `parts` (the law book's
    digest, the limits)."""
    digest = hashlib.sha256(_code_digest().encode())
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()


@functools.cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(_PACKAGE).as_posix().encode())
        digest.update(hashlib.sha256(source.read_bytes()).digest())
    return digest.hexdigest()


async def etag_of(
    graph: Graph,
    *,
    epoch: str,
    document_sha256: str,
    operation_name: str | None,
    variables: Mapping[str, Any],
    principal: Principal,
) -> str:
    """The ETag of a pinned answer as the graph stands now (one small read of the log's head). Read before
    the operation runs: a write landing in between changes the next ETag, never hides behind this one."""
    changed, rewrites = await last_change(graph)
    covered = {
        "epoch": epoch,
        "document": document_sha256,
        "operation": operation_name,
        "variables": dict(variables),
        "caller": [principal.name, principal.role, principal.party_id, list(principal.represents)],
        "changed": changed,
        "rewrites": rewrites,
    }
    return f'"{sha256_of(covered)[:40]}"'


def names(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (a weak comparison, RFC 9110 13.1.2), or is `*`."""
    if not if_none_match:
        return False
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in _tags(if_none_match))


def _tags(header: str) -> Iterable[str]:
    return (tag.strip() for tag in header.split(","))


def not_modified(etag: str) -> Response:
    """The 304: the ETag again, no body."""
    return Response(status_code=304, headers={"ETag": etag, "Cache-Control": REVALIDATE})
