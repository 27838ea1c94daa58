"""What-if variants of the API, measured beside the real one and labelled as such in the results.

`document_cache_app` is the shipped app with strawberry's ParserCache and ValidationCache enabled:
a one-line change to `likeness.schema.root.schema` (not made by the benchmark). Every request now
parses and validates its GraphQL document again; a provenance document costs ~10 ms of that on this
machine, and a client sends the same few documents over and over.

`fast_app` adds the prototype execution of plain fields (bench.fastexec) to that.

    uvicorn --factory bench.variants:document_cache_app
"""

from __future__ import annotations

from starlette.applications import Starlette
from strawberry.extensions import ParserCache, ValidationCache

import likeness.app
from bench.fastexec import FastExecutionContext
from likeness.schema import root


def variant_schema(*, fast: bool) -> root.strawberry.Schema:
    """The shipped schema with documents cached and, if `fast`, the prototype execution context."""
    return root.strawberry.Schema(
        query=root.Query, mutation=root.Mutation, types=[root.Verdict],
        extensions=[*root.schema.extensions, lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)],
        execution_context_class=FastExecutionContext if fast else None,
    )


def document_cache_app() -> Starlette:
    likeness.app.schema = variant_schema(fast=False)  # this process only: the variant under test
    return likeness.app.create_app()


def fast_app() -> Starlette:
    likeness.app.schema = variant_schema(fast=True)  # this process only: the variant under test
    return likeness.app.create_app()
