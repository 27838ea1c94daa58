"""The import reads and parses ahead in a thread of its own (ingest.bulk._ahead): in order, errors
raised where they occur, and the thread stopped when the import leaves early."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from likeness.ingest.bulk import _ahead  # pyright: ignore[reportPrivateUsage]


async def test_items_arrive_in_order_and_all_of_them() -> None:
    assert [item async for item in _ahead(iter(range(100)), depth=2)] == list(range(100))


async def test_an_error_of_the_reader_is_raised_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("line 3: not valid JSON")

    seen: list[int] = []
    with pytest.raises(ValueError, match="line 3"):
        async for item in _ahead(items()):
            seen.append(item)
    assert seen == [1, 2]


async def test_leaving_early_stops_the_reader() -> None:
    produced: list[int] = []

    def items() -> Iterator[int]:
        for number in range(10_000):
            produced.append(number)
            yield number

    before = {thread.ident for thread in threading.enumerate()}
    stream = _ahead(items(), depth=2)
    async for item in stream:
        if item == 3:
            break
    await stream.aclose()
    # the reader ran at most its depth (and the item in hand) beyond what was taken, then stopped
    assert len(produced) <= 4 + 2 + 1
    assert not [t for t in threading.enumerate() if t.name == "import-reader" and t.ident not in before]
