"""The mutations' GraphQL input types, made from the operations' specs (likeness.events.contract.SPECS):
the field names, types, nullability, defaults, descriptions and order are the spec's, written nowhere else."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from likeness.events.contract import NESTED_INPUTS, SPECS
from likeness.events.spec import FieldSpec
from likeness.schema import enums

_SCALARS: dict[str, Any] = {
    "ID": strawberry.ID,
    "String": str,
    "Int": int,
    "Boolean": bool,
    "Date": date,
    "DateTime": datetime,
    "Decimal": Decimal,
}


def _python_type(graphql: str, nested: dict[str, type]) -> Any:
    """The Python annotation strawberry reads as this GraphQL type (non-null; `[X!]` a list of X)."""
    if graphql.startswith("["):
        return list[_python_type(graphql.removeprefix("[").removesuffix("!]"), nested)]
    if graphql in _SCALARS:
        return _SCALARS[graphql]
    if graphql in nested:
        return nested[graphql]
    found = getattr(enums, graphql, None)
    if found is None:
        raise LookupError(f"{graphql}: not a scalar, enum or input type the schema knows")
    return found


def input_type(
    name: str, fields: dict[str, FieldSpec], order: tuple[str, ...], nested: dict[str, type]
) -> type:
    """A strawberry input type with these fields, in this order; its attributes are the contract's
    (camelCase) names, so that `schema.convert.plain_input` gives back the contract's input."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations, "__module__": __name__}
    for field_name in order:
        spec = fields[field_name]
        kind = _python_type(spec.graphql, nested)
        if not spec.nullable:
            annotations[field_name] = kind
            if spec.description is not None:
                namespace[field_name] = strawberry.field(description=spec.description)
            continue
        annotations[field_name] = kind | None
        default = spec.default if spec.shows_default else None
        namespace[field_name] = strawberry.field(default=default, description=spec.description)
    return strawberry.input(type(name, (), namespace))


def _build() -> dict[str, type]:
    built: dict[str, type] = {}
    for name, fields in NESTED_INPUTS.items():
        built[name] = input_type(name, fields, tuple(fields), built)
    for spec in SPECS.values():
        built[spec.input_type] = input_type(spec.input_type, spec.fields, spec.graphql_fields, built)
    return built


# GraphQL input type name -> its strawberry class
INPUTS: dict[str, type] = _build()
