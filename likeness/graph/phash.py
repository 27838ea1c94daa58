"""Perceptual-hash arithmetic for near-duplicate search: multi-index hashing over four 16-bit bands.

Two 64-bit hashes within Hamming distance d agree to within floor(d / 4) bits on at least one of their
four 16-bit bands (pigeonhole), so the candidates are the assets whose band value lies within that
radius of the query's on some band; the exact distance is then checked on each candidate.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

BANDS = 4
BAND_BITS = 16
MAX_SEARCH_DISTANCE = 16


def bands(phash: str) -> list[int]:
    """The four 16-bit bands of a 16-hex-digit hash, most significant first."""
    value = int(phash, 16)
    return [(value >> (BAND_BITS * (BANDS - 1 - index))) & 0xFFFF for index in range(BANDS)]


def distance(left: str, right: str) -> int:
    return (int(left, 16) ^ int(right, 16)).bit_count()


@lru_cache(maxsize=8)
def _flip_masks(radius: int) -> tuple[int, ...]:
    masks = [0]
    for flips in range(1, radius + 1):
        for bits in combinations(range(BAND_BITS), flips):
            masks.append(sum(1 << bit for bit in bits))
    return tuple(masks)


def band_candidates(phash: str, max_distance: int) -> list[list[int]]:
    """For each band, the band values a hash within max_distance must match on at least one band."""
    radius = max_distance // BANDS
    masks = _flip_masks(radius)
    return [[band ^ mask for mask in masks] for band in bands(phash)]
