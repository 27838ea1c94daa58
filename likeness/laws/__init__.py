"""Laws as data: one versioned pack per law (``packs/<ID>@<version>.toml``), validated when loaded.

Nothing here grounds a verdict yet; see ``likeness.laws.packs`` for the pack's fields and the rules a
set of packs must keep.
"""

from likeness.laws.packs import (
    APPLIES_TO,
    PACKS_DIR,
    STATUSES,
    Grounding,
    InvalidPack,
    LawBook,
    LawPack,
    load_packs,
    read_pack,
)

__all__ = [
    "APPLIES_TO",
    "PACKS_DIR",
    "STATUSES",
    "Grounding",
    "InvalidPack",
    "LawBook",
    "LawPack",
    "load_packs",
    "read_pack",
]
