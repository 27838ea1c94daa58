"""What every resolver reads from `info.context`: the graph, the caller, per-request loaders, and the
operation's bounds.

Every loader reads through the caller's visibility scope, so whatever a resolver reaches through
them (a root lookup, a relationship field at any depth) is already filtered inside the Cypher.

What a resolver needs of its operation is declared here and made elsewhere: `Loaders` makes the batching,
caching loaders and `Bounds` counts the objects entering the answer and marks a root field's own database
work. likeness.execution builds both for each request (strawberry's DataLoader, counting every load against
the operation's object cap and stopped at its deadline) and hands them to the Context it makes
(`likeness.execution.context.context_for`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from likeness.access.principals import Principal
from likeness.alerts.broker import Broker
from likeness.errors import Conflict, LikenessError
from likeness.events.contract import Event
from likeness.graph.driver import Graph
from likeness.graph.face_matches import face_matches_of, face_matches_on
from likeness.graph.lists import NeighbourPage, PageRequest, neighbour_pages
from likeness.graph.manifests import LostManifest, credentials_of, lost_manifests
from likeness.graph.notices import notice_responses
from likeness.graph.reads import Node, neighbours, nodes_by_id, visible_ids
from likeness.graph.visibility import Scope
from likeness.media.signing import SigningKeys
from likeness.media.workers import FileWorkers
from likeness.resolvers.faces import FaceSearches

__all__ = [
    "Bounds",
    "Context",
    "FaceSearches",
    "FileWorkers",
    "Loader",
    "Loaders",
    "Principal",
    "SigningKeys",
    "objects_in",
]

V = TypeVar("V")


class Loader(Protocol[V]):
    """One per-request loader: loads of one kind batched into one read and cached for the request."""

    def load(self, key: str) -> Awaitable[V]: ...

    def load_many(self, keys: Iterable[str]) -> Awaitable[list[V]]: ...

    def prime_many(self, data: Mapping[str, V]) -> None:
        """Cache answers read along with something else, as if loaded (a key already cached keeps its own)."""
        ...

    def clear_all(self) -> None:
        """Forget what was loaded (a write may have changed it)."""
        ...


class Loaders(Protocol):
    """Makes a request's loaders (likeness.execution.context)."""

    def batched(self, load: Callable[[list[str]], Awaitable[list[V]]], empty: Callable[[], V]) -> Loader[V]:
        """A loader answering keys with `load` (one call per batch, its answers in the keys' order), `empty`
        once the operation was stopped."""
        ...


class Bounds(Protocol):
    """What a resolver does with its operation's bounds (likeness.execution.bounds holds them)."""

    def admit(self, count: int) -> None:
        """Count objects entering the answer through a list no page size bounds (past the cap, the
        operation is stopped)."""
        ...

    def reading(self) -> AbstractContextManager[None]:
        """Mark a root field's own database work (not through the loaders): cancelled when the operation is
        stopped, where it then fails its field with the stop's code."""
        ...

    @property
    def deadline(self) -> float | None:
        """The instant (time.monotonic()) the operation must be done by; None: no deadline."""
        ...

    def timed_out(self) -> Exception:
        """The error a field fails with when work of its own (a file's) ran past the deadline."""
        ...


def objects_in(value: Any) -> int:
    """How many objects a load answered: a page's rows, a list's items, one node, or none. A nested page
    is counted like a list: its `first` bounds one page, but pages nested in pages multiply as they arrive
    (the static estimate prices them; the count stops what the estimate was told to let through)."""
    if isinstance(value, NeighbourPage):
        return value.size
    if isinstance(value, list):
        return len(value)
    return 0 if value is None else 1


_NO_PAGE = NeighbourPage(total=0, rows=[])


@dataclass
class Context:
    """One request's (or one command's) view of the graph as its caller: the caller, its loaders, its
    operation's bounds. Made by likeness.execution.context.context_for."""

    graph: Graph
    principal: Principal
    loaders: Loaders
    bounds: Bounds
    request: Any = None
    # the app's worker processes for files sent with the request (likeness.media.workers); None: no app
    # gave any, and a file is hashed by a pool of one of its own
    files: FileWorkers | None = None
    # the app's face searches (likeness.resolvers.faces): the match distance and each key's rate (outside
    # an app, the defaults, with a count of this context's own)
    faces: FaceSearches = field(default_factory=FaceSearches)
    # the app's follower of the alerts outbox (likeness.alerts.broker); None outside an app: no subscription
    broker: Broker | None = None
    # the organisation's C2PA signing keys (likeness.media.signing); None: none configured, nothing signed
    signer: SigningKeys | None = None
    # a WebSocket's connection_init payload (where its bearer token travels: likeness.app.on_ws_connect)
    connection_params: Any = None
    _made: dict[str, Loader[Any]] = field(default_factory=dict)  # the loaders made so far, by kind
    _pages: dict[PageRequest, Loader[NeighbourPage]] = field(default_factory=dict)
    _now: datetime | None = None
    # what the connection fields' selections need (likeness.schema.connections.selected), per field
    selections: dict[Any, Any] = field(default_factory=dict)

    @property
    def scope(self) -> Scope | None:
        """The caller's visibility scope for graph reads (None: the whole graph)."""
        return self.principal.scope

    def nodes(self) -> Loader[Node | None]:
        """Nodes by id; None for an id that names nothing the caller may see."""
        if "nodes" not in self._made:

            async def load(ids: list[str]) -> list[Node | None]:
                found = await nodes_by_id(self.graph, ids, scope=self.scope)
                return [found.get(node_id) for node_id in ids]

            self._made["nodes"] = self.loaders.batched(load, lambda: None)
        return self._made["nodes"]

    def related(self, relation: str) -> Loader[list[Node]]:
        """A node's neighbours along a relationship, only those the caller may see."""
        if relation not in self._made:

            async def load(ids: list[str]) -> list[list[Node]]:
                found = await neighbours(self.graph, relation, ids, scope=self.scope)
                return [found.get(node_id, []) for node_id in ids]

            self._made[relation] = self.loaders.batched(load, list)
        return self._made[relation]

    def now(self) -> datetime:
        """The operation's "now": one instant for all its fields (so that their loads share batches)."""
        if self._now is None:
            self._now = datetime.now(UTC)
        return self._now

    def pages(self, request: PageRequest) -> Loader[NeighbourPage]:
        """Pages of a list for its parents, all asking the same page (relation, order, filter, cursor, size
        and properties): one round trip for every parent of a selection level."""
        if request not in self._pages:

            async def load(ids: list[str]) -> list[NeighbourPage]:
                found = await neighbour_pages(self.graph, request, ids, scope=self.scope)
                return [found.get(node_id, _NO_PAGE) for node_id in ids]

            self._pages[request] = self.loaders.batched(load, lambda: _NO_PAGE)
        return self._pages[request]

    def notice_answers(self) -> Loader[list[dict[str, Any]]]:
        """The answers recorded to notices, by notice id, oldest first (ask only for notices the caller
        has been shown: an answer is part of its notice)."""
        if "noticeAnswers" not in self._made:

            async def load(ids: list[str]) -> list[list[dict[str, Any]]]:
                found = await notice_responses(self.graph, ids)
                return [found.get(notice_id, []) for notice_id in ids]

            self._made["noticeAnswers"] = self.loaders.batched(load, list)
        return self._made["noticeAnswers"]

    def credentials(self) -> Loader[dict[str, Any] | None]:
        """The Content Credentials an asset or sighting was recorded with (graph.manifests), or None. Asked
        only for a node the caller was shown, so nothing to filter but the ingredients' links (whose
        nodes are read through `nodes()`)."""
        if "credentials" not in self._made:

            async def load(ids: list[str]) -> list[dict[str, Any] | None]:
                found = await credentials_of(self.graph, ids)
                return [found.get(node_id) for node_id in ids]

            self._made["credentials"] = self.loaders.batched(load, lambda: None)
        return self._made["credentials"]

    def lost_manifests(self) -> Loader[list[LostManifest]]:
        """By sighting id, the VALID manifests of the assets it matches (those the caller may see) that the
        sighting's file no longer carries (graph.manifests): empty unless its file carries none."""
        if "lostManifests" not in self._made:

            async def load(ids: list[str]) -> list[list[LostManifest]]:
                found = await lost_manifests(self.graph, ids, scope=self.scope)
                return [found.get(sighting_id, []) for sighting_id in ids]

            self._made["lostManifests"] = self.loaders.batched(load, list)
        return self._made["lostManifests"]

    def face_matches(self) -> Loader[list[dict[str, Any]]]:
        """The face matches on sightings or assets the caller was shown, by subject id, only those it may
        see (graph.visibility.face_match_visible)."""
        if "faceMatches" not in self._made:

            async def load(ids: list[str]) -> list[list[dict[str, Any]]]:
                found = await face_matches_on(self.graph, ids, scope=self.scope)
                return [found.get(subject_id, []) for subject_id in ids]

            self._made["faceMatches"] = self.loaders.batched(load, list)
        return self._made["faceMatches"]

    def person_face_matches(self) -> Loader[list[tuple[Node, dict[str, Any]]]]:
        """The sightings and assets showing a person's face with their matches, by person id, only those
        the caller may see, most recent first."""
        if "personFaceMatches" not in self._made:

            async def load(ids: list[str]) -> list[list[tuple[Node, dict[str, Any]]]]:
                found = await face_matches_of(self.graph, ids, scope=self.scope)
                return [found.get(person_id, []) for person_id in ids]

            self._made["personFaceMatches"] = self.loaders.batched(load, list)
        return self._made["personFaceMatches"]

    def reading(self) -> AbstractContextManager[None]:
        """Mark a root field's own database work (not through the loaders): cancelled when the operation is
        stopped, where it then fails its field with the stop's code."""
        return self.bounds.reading()

    async def visible_ids(self, ids: list[str]) -> set[str]:
        """Which of these node ids the caller may see (one batched query; none for all-seeing roles)."""
        return await visible_ids(self.graph, sorted(set(ids)), scope=self.scope)

    async def shown_error(self, error: LikenessError, event: Event) -> LikenessError:
        """The refusal as the caller may read it: a conflict over a node it may not see names no fields."""
        if isinstance(error, Conflict) and self.scope is not None and not await self.visible_ids([event.key]):
            hidden = Conflict(event.key, [])
            hidden.message = f"id {event.key!r} is already in use; choose another id"
            return hidden
        return error
