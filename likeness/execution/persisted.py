"""Persisted queries: Apollo's automatic persisted queries protocol (version 1).

A request names its document by SHA-256 in `extensions.persistedQuery.sha256Hash` (over GET, `extensions` is
a JSON query parameter). Sent with the document, the hash is checked and the document kept once it parsed and
validated; sent alone, the kept document runs, and an unknown hash answers PERSISTED_QUERY_NOT_FOUND, upon
which the client sends the document again with its hash. The store is this process's own, bounded, least
recently used first out: a client must always be ready to resend (that is the protocol).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

# what an Apollo client reads to resend the document: this message and code, with HTTP 200
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
NOT_FOUND_CODE = "PERSISTED_QUERY_NOT_FOUND"
NOT_FOUND_BODY = {"errors": [{"message": NOT_FOUND_MESSAGE, "extensions": {"code": NOT_FOUND_CODE}}]}
# documents kept per process; each is bounded by the document limits (it is kept only once it validated)
CAPACITY = 1_000
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class PersistedQueryRefused(ValueError):
    """A persistedQuery extension the protocol refuses (a 400): the message names the field."""


class PersistedQueryNotFound(LookupError):
    """A hash sent alone that this process does not know: the client sends the document with it."""


@dataclass(frozen=True)
class Persisted:
    """A request's document as the protocol resolves it: the text to run and its SHA-256."""

    query: str
    sha256: str


class PersistedQueries:
    """The documents this process knows by SHA-256, the least recently used dropped past `capacity`."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._documents: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._documents)

    def get(self, sha256: str) -> str | None:
        document = self._documents.get(sha256)
        if document is not None:
            self._documents.move_to_end(sha256)
        return document

    def keep(self, persisted: Persisted) -> None:
        """Keep a document (call once it parsed and validated: garbage never fills the store)."""
        self._documents[persisted.sha256] = persisted.query
        self._documents.move_to_end(persisted.sha256)
        while len(self._documents) > self.capacity:
            self._documents.popitem(last=False)

    def resolve(self, query: Any, extensions: Any) -> Persisted | None:
        """The document a request names by its persistedQuery extension; None when it has none. Raises
        PersistedQueryRefused for a malformed extension or a hash that is not the document's, and
        PersistedQueryNotFound for a hash sent alone that is not kept here."""
        sha256 = requested_sha256(extensions)
        if sha256 is None:
            return None
        if isinstance(query, str) and query:
            actual = hashlib.sha256(query.encode()).hexdigest()
            if actual != sha256:
                raise PersistedQueryRefused(
                    f"extensions.persistedQuery.sha256Hash: {sha256} is not the SHA-256 of the query sent "
                    f"({actual}): hash the document's UTF-8 bytes exactly as sent"
                )
            return Persisted(query=query, sha256=sha256)
        kept = self.get(sha256)
        if kept is None:
            raise PersistedQueryNotFound(sha256)
        return Persisted(query=kept, sha256=sha256)


def requested_sha256(extensions: Any) -> str | None:
    """The hash a request's extensions name (checked: version 1, 64 lower-case hex digits); None when they
    name none."""
    if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict):
        raise PersistedQueryRefused(
            'extensions.persistedQuery: expected an object {"version": 1, "sha256Hash": "<hex>"}'
        )
    version = persisted.get("version")
    if version != 1 or isinstance(version, bool):
        raise PersistedQueryRefused(
            f"extensions.persistedQuery.version: {version!r} is not supported; expected 1"
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
        raise PersistedQueryRefused(
            f"extensions.persistedQuery.sha256Hash: {sha256!r} is no SHA-256; "
            "expected 64 lower-case hexadecimal digits"
        )
    return sha256
