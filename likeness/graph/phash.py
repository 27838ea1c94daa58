"""Perceptual-hash arithmetic for near-duplicate search: multi-index hashing over bands of the hash.

Split a 64-bit hash into m bands. Two hashes within Hamming distance d agree to within floor(d / m)
bits on at least one band (pigeonhole), so the candidates are the assets whose band value lies within
that radius of the query's on some band; the exact distance is then checked on each candidate.

Every asset stores two layouts, each band in an indexed property:

- **narrow**, four 16-bit bands (`phashB0`–`phashB3`): for large distances (9–16), where the wide
  layout's probes would explode;
- **wide**, three bands of 21, 21 and 22 bits (`phashW0`–`phashW2`): for distance ≤ 8, radius 2 per
  band, ~700 probes. Over a million hashes a probe of a wide band matches ~0.5 assets against the
  narrow band's ~15, so a search reads ~330 candidates rather than ~8,400.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

MAX_SEARCH_DISTANCE = 16
HASH_BITS = 64


@dataclass(frozen=True)
class Layout:
    prefix: str  # property names: prefix + band index
    widths: tuple[int, ...]  # band widths in bits, most significant first

    @property
    def properties(self) -> list[str]:
        return [f"{self.prefix}{index}" for index in range(len(self.widths))]

    def bands(self, phash: str) -> list[int]:
        """The band values of a 16-hex-digit hash, most significant first."""
        value = int(phash, 16)
        out = []
        shift = HASH_BITS
        for width in self.widths:
            shift -= width
            out.append((value >> shift) & ((1 << width) - 1))
        return out

    def candidates(self, phash: str, max_distance: int) -> list[list[int]]:
        """For each band, the values a hash within max_distance must match on at least one band."""
        radius = max_distance // len(self.widths)
        return [
            [band ^ mask for mask in _flip_masks(width, radius)]
            for band, width in zip(self.bands(phash), self.widths, strict=True)
        ]


NARROW = Layout("phashB", (16, 16, 16, 16))
WIDE = Layout("phashW", (21, 21, 22))
LAYOUTS = (NARROW, WIDE)


def layout_for(max_distance: int) -> Layout:
    """The layout with the fewer probes plus expected candidates at this distance."""
    return WIDE if max_distance <= 8 else NARROW


def band_properties(phash: str) -> dict[str, int]:
    """Every band of every layout, as the asset stores them."""
    return {
        name: value
        for layout in LAYOUTS
        for name, value in zip(layout.properties, layout.bands(phash), strict=True)
    }


def distance(left: str, right: str) -> int:
    return (int(left, 16) ^ int(right, 16)).bit_count()


@lru_cache(maxsize=32)
def _flip_masks(width: int, radius: int) -> tuple[int, ...]:
    masks = [0]
    for flips in range(1, radius + 1):
        for bits in combinations(range(width), flips):
            masks.append(sum(1 << bit for bit in bits))
    return tuple(masks)
