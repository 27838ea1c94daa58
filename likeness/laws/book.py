"""The law book in use: loaded once at start (``install``), the shipped packs when nothing installed one.

The app installs the book it loaded from ``LIKENESS_LAW_PACKS_DIR`` (or the package's packs) before it
serves, so a bad pack stops the start; tests and tools that install nothing get the shipped packs.
"""

from __future__ import annotations

from pathlib import Path

from likeness.laws.packs import PACKS_DIR, LawBook, load_packs

__all__ = ["PACKS_DIR", "current", "install", "load"]

_installed: LawBook | None = None


def install(book: LawBook) -> LawBook:
    """Make `book` the one every grounding reads from now on."""
    global _installed
    _installed = book
    return book


def load(directory: Path | None = None) -> LawBook:
    """Read and check every pack in `directory` (the shipped ones when None) and install them."""
    return install(load_packs(directory or PACKS_DIR))


def current() -> LawBook:
    """The installed book; the shipped packs when none was installed."""
    return _installed if _installed is not None else load()
