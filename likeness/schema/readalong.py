"""The marks a node type leaves for the execution (likeness.execution.fastexec): answers read along.

A field whose resolver loads a neighbour may name, in its strawberry metadata under READ_ALONG, the
attribute where a page that listed its parent left the answer already read (likeness.schema.nodes).
Such a field, without arguments, is plain to the fast execution: its answer is that attribute's value,
unless the value is NOT_READ, and then the general path calls the resolver (which loads it) as for any
field.
"""

from __future__ import annotations

from typing import Any

READ_ALONG = "likeness.read-along"


class _NotRead:
    def __repr__(self) -> str:
        return "NOT_READ"


NOT_READ: Any = _NotRead()
