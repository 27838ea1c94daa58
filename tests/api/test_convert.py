"""Graph nodes into GraphQL objects (likeness.schema.convert.from_node): what it makes is what the type's
own __init__ makes from the same properties, for every node type the schema answers with."""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from typing import Any

import pytest

from likeness.schema.convert import camel, from_node
from likeness.schema.nodes import Asset, Capture, Consent, Organization, Person, TakedownNotice, Twin
from likeness.schema.verdicts import Verdict

TYPES = [Asset, Capture, Consent, Organization, Person, TakedownNotice, Twin, Verdict]


def _enum_of(hint: Any) -> type[Enum] | None:
    for arg in (hint, *typing.get_args(hint)):
        if isinstance(arg, type) and issubclass(arg, Enum):
            return arg
        for inner in typing.get_args(arg):
            if isinstance(inner, type) and issubclass(inner, Enum):
                return inner
    return None


def _sample(cls: type, skip: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A node giving every second property of `cls` (offset `skip`: the others are missing), and the
    keyword arguments its __init__ takes for the same values (enums as members, missing ones None)."""
    hints = typing.get_type_hints(cls)
    node: dict[str, Any] = {"_labels": [cls.__name__], "notAField": 1}
    kwargs: dict[str, Any] = {}
    for index, fld in enumerate(f for f in dataclasses.fields(cls) if f.init):
        enum = _enum_of(hints[fld.name])
        listed = typing.get_origin(hints[fld.name]) is list or list in typing.get_args(hints[fld.name])
        if (index + skip) % 2:
            kwargs[fld.name] = None
            continue
        member = list(enum)[-1] if enum is not None else None
        value: Any = member.value if member is not None else f"value-{index}"
        node[camel(fld.name.lstrip("_"))] = [value] if listed and member is not None else value
        kwargs[fld.name] = ([member] if listed else member) if member is not None else value
    return node, kwargs


@pytest.mark.parametrize("cls", TYPES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("skip", [0, 1])
def test_from_node_makes_what_the_types_init_makes(cls: type, skip: int) -> None:
    node, kwargs = _sample(cls, skip)
    made = from_node(cls, node)
    assert type(made) is cls
    assert vars(made) == vars(cls(**kwargs))
    for fld in dataclasses.fields(cls):
        if not fld.init and fld.default is not dataclasses.MISSING:
            assert getattr(made, fld.name) is fld.default


def test_from_node_refuses_a_value_no_member_has() -> None:
    with pytest.raises(ValueError, match="NOT_A_CHANNEL"):
        from_node(Asset, {"id": "a", "channel": "NOT_A_CHANNEL"})
