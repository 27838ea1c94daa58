"""What-if variants of the API, measured beside the real one and labelled as such in the results.

`default_execution_schema` is the shipped schema — its types and its extensions (DomainErrors, the
document caches) — executed by graphql-core's general machinery alone, as strawberry does by default,
without the direct completion of plain fields (likeness.schema.fastexec) that ships. It measures what
that execution buys, and answers as the reference the shipped execution must match byte for byte.

    uvicorn --factory bench.variants:default_execution_app
"""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette

import likeness.app
from likeness.schema import root


def default_execution_schema() -> strawberry.Schema:
    """The shipped schema with strawberry's default execution context (graphql-core's general path)."""
    return strawberry.Schema(
        query=root.Query,
        mutation=root.Mutation,
        types=[root.Verdict],
        extensions=list(root.schema.extensions),
    )


def default_execution_app() -> Starlette:
    likeness.app.schema = default_execution_schema()  # this process only: the variant under test
    return likeness.app.create_app()
