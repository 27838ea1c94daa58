"""One registry per operation: every room that knows an operation knows it from its spec
(likeness.events.contract.SPECS), and these tests hold the rooms that cannot be generated to it."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry
from graphql import GraphQLInputObjectType, GraphQLNonNull, Undefined

from likeness.access.roles import ROLES
from likeness.events.contract import OP_ORDER, RELATIONSHIP_OPS, SPECS
from likeness.events.spec import VERDICT_SEEDS, FileSpec
from likeness.execution.build import schema
from likeness.graph.writes import WRITES
from likeness.schema import mutations
from likeness.verdicts.refresh import SIGHTING_SEEDS, SUBJECT_SEEDS


def test_every_operation_has_exactly_one_write_and_every_write_an_operation() -> None:
    assert sorted(WRITES) == sorted(SPECS)


def test_the_write_order_lists_every_operation_once() -> None:
    assert sorted(OP_ORDER) == sorted(SPECS)
    assert len(set(OP_ORDER)) == len(OP_ORDER)


def test_the_mutation_root_has_one_field_per_operation_in_the_specs_order() -> None:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    # then the mutations that record no event (likeness.schema.mutations.EXTRA_MUTATIONS: webhooks, …)
    assert list(mutation.fields)[: len(SPECS)] == list(SPECS)
    assert not set(list(mutation.fields)[len(SPECS) :]) & set(SPECS)


def test_each_mutation_takes_its_specs_input_and_its_file() -> None:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    for op, spec in SPECS.items():
        arguments = mutation.fields[op].args
        assert str(arguments["input"].type) == f"{spec.input_type}!", op
        if spec.file is None:
            assert list(arguments) == ["input"], op
        else:
            assert str(arguments["file"].type) == ("Upload!" if spec.file.required else "Upload"), op
            assert arguments["file"].description == spec.file.description


def test_each_input_type_has_the_specs_fields_types_and_nullability_in_order() -> None:
    for op, spec in SPECS.items():
        built = schema._schema.get_type(spec.input_type)
        assert isinstance(built, GraphQLInputObjectType), op
        assert list(built.fields) == list(spec.graphql_fields), op
        for name, field in built.fields.items():
            field_spec = spec.fields[name]
            expected = field_spec.graphql if field_spec.nullable else field_spec.graphql + "!"
            assert str(field.type) == expected, (op, name)
            assert isinstance(field.type, GraphQLNonNull) == (not field_spec.nullable), (op, name)
            assert field.description == field_spec.description, (op, name)


def test_fields_never_sent_by_a_client_are_not_in_the_inputs() -> None:
    for spec in SPECS.values():
        hidden = {name for name, field in spec.fields.items() if not field.in_api}
        built = schema._schema.get_type(spec.input_type)
        assert isinstance(built, GraphQLInputObjectType)
        assert not hidden & set(built.fields), spec.op
        # a field the file supplies is only meaningful for a mutation taking a file
        supplied = {name for name, field in spec.fields.items() if field.or_from_file}
        assert not supplied or spec.file is not None, spec.op


def test_owners_name_roles_and_input_fields_that_exist() -> None:
    for op, spec in SPECS.items():
        owner = spec.owner
        assert set(owner.roles) <= set(ROLES) - {"ADMIN"}, op
        if owner.as_itself is not None:
            assert owner.as_itself in spec.fields, op
        if owner.owns is not None:
            field, _ = owner.owns
            assert spec.fields[field].refers_to, op


def test_every_touch_names_an_input_field_and_a_seed_the_verdict_refresh_feeds() -> None:
    for op, spec in SPECS.items():
        for seed, field in spec.touches:
            assert seed in VERDICT_SEEDS, op
            assert field in spec.fields and spec.fields[field].required, (op, field)
    assert set(SUBJECT_SEEDS) | set(SIGHTING_SEEDS) == set(VERDICT_SEEDS)


def test_every_operation_answers_a_type_of_the_schema() -> None:
    for op, spec in SPECS.items():
        label = spec.node_label or spec.answers
        assert label is not None and schema._schema.get_type(label) is not None, op


def test_a_mutation_whose_spec_requires_a_file_takes_a_non_null_upload() -> None:
    spec = dataclasses.replace(SPECS["reportSighting"], file=FileSpec("The file.", required=True))

    @strawberry.type
    class Query:
        ok: bool = True

    namespace: dict[str, Any] = {
        spec.op: strawberry.mutation(resolver=mutations._resolver(spec), name=spec.op)
    }
    built = strawberry.Schema(query=Query, mutation=strawberry.type(type("Mutation", (), namespace)))
    field = built._schema.mutation_type.fields[spec.op]  # type: ignore[union-attr]
    assert str(field.args["file"].type) == "Upload!"
    assert field.args["file"].default_value is Undefined


def test_every_change_event_keeps_its_input_in_a_property_of_the_node_it_changes() -> None:
    for op, spec in SPECS.items():
        changes_a_node = not spec.labels and op not in RELATIONSHIP_OPS
        assert (spec.kept_in is not None) == changes_a_node, op
