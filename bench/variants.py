"""What-if variants of the API, measured beside the real one and labelled as such in the results.

`default_execution_schema` is the shipped schema — its types and its extensions (DomainErrors, the
document caches) — executed by graphql-core's general machinery alone, as strawberry does by default,
without the direct completion of plain fields (likeness.execution.fastexec) that ships. It measures what
that execution buys, and answers as the reference the shipped execution must match byte for byte.

    uvicorn --factory bench.variants:default_execution_app
"""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette

import likeness.app
from likeness.config import get_settings
from likeness.execution import build


def default_execution_schema() -> strawberry.Schema:
    """The shipped schema with strawberry's default execution context (graphql-core's general path)."""
    return build.build_schema(fast=False)


def default_execution_app() -> Starlette:
    return likeness.app.create_app(get_settings().model_copy(update={"likeness_fastexec": False}))
