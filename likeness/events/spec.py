"""What an operation's spec says: the one place that names a mutation's fields, who may make it, what it
writes and which stored verdicts it touches. `likeness.events.contract` holds the specs themselves.

Every other room reads these as data: the GraphQL inputs and mutation fields are generated from them
(`likeness.schema.inputs`, `likeness.schema.mutations`), the JSONL import parses by them, the access check
reads `owner` (`likeness.access.policy`), the verdict refresh reads `touches` (`likeness.verdicts.refresh`),
and tests check that every spec has exactly one write (`likeness.graph.writes.WRITES`) and is exported.
docs/adding-an-operation.md walks through adding one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from likeness.events import fields as f

# The seeds of a verdict refresh: an event names ids of these kinds (`EventSpec.touches`), and the refresh
# re-evaluates, in the writing transaction, the stored verdicts they can change (likeness.verdicts.refresh):
VERDICT_SEEDS: dict[str, str] = {
    "asset": "the asset's own verdicts",
    "twin": "the twin's, and those of the assets rendering it",
    "person": "those of the person's twins and of the assets rendering them",
    "consent": "those of the twins of the person who granted it, and of the assets rendering them",
    "sighting": "the sighting's own, and those of the assets it matches",
    "capture": "those of the sightings resembling the capture",
    "shown asset": "those of the sightings matching the asset",
    "notice": "those of the sighting the notice is about",
}


@dataclass(frozen=True)
class FieldSpec:
    parse: f.Parser
    # its GraphQL type without the outer nullability: a scalar (ID, String, Int, Boolean, Date, DateTime,
    # Decimal), an enum or input type of the schema by name, or a list of one ("[ID!]"); "" when the field
    # is never sent by a client (read from the file that comes with the mutation)
    graphql: str
    required: bool = False
    default: Any = None
    # the node labels an id in this field must carry (any of them)
    refers_to: tuple[str, ...] = ()
    description: str | None = None
    # required, but the file sent with the mutation supplies it: optional in the GraphQL input
    or_from_file: bool = False
    # whether the GraphQL input shows `default` as its default (else null: the contract fills it in)
    shows_default: bool = True
    # a list of objects: the fields of each, whose `refers_to` are checked like the input's own and named
    # by their path (`faceMatches[1].personId`)
    items: dict[str, FieldSpec] | None = None

    @property
    def in_api(self) -> bool:
        """Whether a client sends this field in the mutation's GraphQL input."""
        return bool(self.graphql)

    @property
    def nullable(self) -> bool:
        """Whether the GraphQL input may leave the field out."""
        return not self.required or self.or_from_file


@dataclass(frozen=True)
class Owner:
    """Who may make an event (an ADMIN always may; with no roles, only an ADMIN)."""

    roles: tuple[str, ...] = ()
    # the input field that must name a tenant writer itself
    as_itself: str | None = None
    # (the input field naming a recorded node, that node's input field that must name the writer)
    owns: tuple[str, str] | None = None


@dataclass(frozen=True)
class FileSpec:
    """The file a mutation takes beside its input (a GraphQL multipart upload, `file: Upload`)."""

    description: str
    required: bool = False
    # the mutation also takes `sign: Boolean! = false`: the file is signed with Content Credentials
    # (publishAsset; likeness.media.signing)
    signs: bool = False


@dataclass(frozen=True)
class EventSpec:
    op: str
    # the GraphQL input type of the mutation's `input` argument
    input_type: str
    # the input's fields: GraphQL shows the required ones first, each group in this order
    fields: dict[str, FieldSpec]
    # the input field naming the node this event creates or changes
    key: str
    owner: Owner
    # a node event creates a node with these labels; other events change an existing node
    labels: tuple[str, ...] = ()
    # a change event keeps its input in this property of the node it changes (idempotency, export)
    kept_in: str | None = None
    # (seed, input field): the stored verdicts an accepted event can change (VERDICT_SEEDS)
    touches: tuple[tuple[str, str], ...] = ()
    file: FileSpec | None = None
    # the GraphQL type answered when it is not the node named by `key` (read back after the write): a
    # relationship answered from the event's own input
    answers: str | None = None
    description: str | None = None
    # fields the server fills from its clock (never sent by a client): the same event again is unchanged
    # whatever instant they carry, and keeps the first
    stamped: tuple[str, ...] = ()

    @property
    def graphql_fields(self) -> tuple[str, ...]:
        """The fields of the GraphQL input, in its order: the required ones first."""
        shown = [name for name, spec in self.fields.items() if spec.in_api]
        return tuple(
            [name for name in shown if self.fields[name].required]
            + [name for name in shown if not self.fields[name].required]
        )

    @property
    def node_label(self) -> str | None:
        """The label of the node the mutation answers (None: it answers `answers` from its input)."""
        if self.answers is not None:
            return None
        return self.labels[0] if self.labels else self.fields[self.key].refers_to[0]
