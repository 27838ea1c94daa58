"""The API's house runs one way: the schema calls the resolvers, and no resolver knows the schema."""

from __future__ import annotations

import ast
from pathlib import Path

import likeness.resolvers

RESOLVERS = Path(likeness.resolvers.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, at any depth of its code (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def is_schema(module: str) -> bool:
    return module == "likeness.schema" or module.startswith("likeness.schema.")


def test_no_resolver_imports_the_schema() -> None:
    offending = {
        path.name: sorted(name for name in imported_modules(path) if is_schema(name))
        for path in sorted(RESOLVERS.glob("*.py"))
    }
    assert {name: modules for name, modules in offending.items() if modules} == {}
    assert len(offending) >= 9  # the resolvers were found
