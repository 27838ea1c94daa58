"""What a test needs from outside the repository — the shared C2PA fixtures beside the clone, Chromium,
Node and npm, the playwright package — and what happens when it is missing.

Under `CI=true` the test fails: a CI machine is set up to have everything, and a skip there would turn a
broken setup (or a regression hiding behind one) into a green run. Elsewhere — a user's fresh clone with
no `../shared` beside it — the test skips with one line naming what is missing and how to get it.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

# CI checks the shared folder out beside the clone: <root>/../shared/fixtures/c2pa
C2PA_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "c2pa"
# ... and the face photographs: <root>/../shared/fixtures/faces (SOURCES.md there)
FACES_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "faces"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def missing(what: str, *, module_level: bool = False) -> NoReturn:
    """Fail (under CI=true) or skip the test because `what` is missing; `what` says how to get it."""
    if in_ci():
        pytest.fail(f"missing {what} (CI=true: a CI machine must have it)", pytrace=False)
    pytest.skip(f"missing {what}", allow_module_level=module_level)


def c2pa_fixtures() -> Path:
    """The shared C2PA sample files and the test-only signing chain."""
    if not (C2PA_FIXTURES / "C.jpg").is_file():
        missing(f"the shared C2PA fixtures: {C2PA_FIXTURES} (../shared/fixtures/c2pa beside the clone)")
    return C2PA_FIXTURES


def faces_fixtures() -> Path:
    """The shared photographs of faces (public figures, from the face_recognition project's tests)."""
    if not (FACES_FIXTURES / "obama.jpg").is_file():
        missing(f"the shared face fixtures: {FACES_FIXTURES} (../shared/fixtures/faces beside the clone)")
    return FACES_FIXTURES


def module(name: str, how: str) -> ModuleType:
    """The module `name`, imported; for a test module's top level."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"the {name} module: {how}", module_level=True)
