"""Memory stays bounded through the probes of issue 11 (one of them once drove the API to 17 GB)."""

from __future__ import annotations

import threading
from typing import Any

from tests.limits.conftest import ALIASES, DEEP, NORMAL, SIX_PAIRS, rss_mb

GROWTH_MB = 200


class PeakRss:
    """The highest resident memory of this process (which serves the app) while the block runs."""

    def __init__(self) -> None:
        self.peak = rss_mb()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.01):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


async def test_resident_memory_stays_bounded_through_the_probes(demo: Any, serve: Any) -> None:
    refusing = serve()  # every limit as shipped
    running = serve(max_depth=0, max_cost=0, query_timeout=0)  # only the object cap stops the fan-out
    async with refusing.client() as first, running.client() as second:
        assert (await first.ask(NORMAL)).code is None  # warm: the app's own memory counted before
        assert (await second.ask(NORMAL)).code is None
        before = rss_mb()
        codes: list[str | None] = []
        with PeakRss() as memory:
            for _ in range(3):
                for probe in (DEEP, SIX_PAIRS, ALIASES):
                    codes.append((await first.ask(probe)).code)
                codes.append((await second.ask(SIX_PAIRS)).code)
    assert set(codes) == {"QUERY_TOO_DEEP", "TOO_MANY_TOKENS", "RESPONSE_TOO_LARGE"}, codes
    assert memory.peak - before < GROWTH_MB, f"grew {memory.peak - before:.0f} MB (from {before:.0f} MB)"
