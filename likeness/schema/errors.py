"""How errors a user can cause reach the client: the message, plus `code` and `field` in extensions."""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from likeness.errors import LikenessError


def _is_domain_error(error: GraphQLError) -> bool:
    return isinstance(error.original_error, LikenessError)


class DomainErrors(MaskErrors):
    """Turn a LikenessError raised anywhere in a resolver into a GraphQL error with its code and field;
    every other error is left as it is."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_domain_error)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        domain = error.original_error
        assert isinstance(domain, LikenessError)  # narrowed by _is_domain_error
        extensions: dict[str, object] = {"code": domain.code}
        if domain.field:
            extensions["field"] = domain.field
        return GraphQLError(
            domain.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=extensions,
        )
