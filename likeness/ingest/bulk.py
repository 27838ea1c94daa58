"""Bulk import and export in JSON Lines: one `{"op": …, "input": …}` event per line.

Import validates every line exactly as the API does, writes in batches (one transaction each, events
grouped into UNWIND statements), and reports what was applied, unchanged and rejected, by line.
Export writes the events that rebuild the graph (read by graph.export as one consistent cut, even while
the graph is written), in an order that depends only on what is recorded (not on when, in which batches
or in which order it was): importing that file into an empty database and exporting again gives the same
file, byte for byte.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from likeness.access.principals import OPERATOR, Principal
from likeness.errors import InvalidInput, LikenessError
from likeness.events.contract import Event, parse_event
from likeness.graph.driver import Graph
from likeness.graph.export import exported_inputs
from likeness.graph.signed_files import every_signed_file
from likeness.ingest.enrolments import EnrolmentFiles
from likeness.ingest.record import record
from likeness.matching.sightings import KnownSightings

logger = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    applied: int = 0
    unchanged: int = 0
    # (line number, reason)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.applied + self.unchanged + len(self.rejected)


def parse_line(line: str) -> Event:
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise InvalidInput("line", line.strip()[:60], f"not valid JSON ({error})") from None
    if not isinstance(record, dict) or set(record) != {"op", "input"}:
        raise InvalidInput("line", line.strip()[:60], 'expected {"op": "<mutation name>", "input": {...}}')
    return parse_event(record["op"], record["input"])


def numbered_events(
    lines: Iterable[str], summary: ImportSummary, files: EnrolmentFiles | None = None
) -> Iterator[tuple[int, Event]]:
    """The events of a JSON Lines stream with their line numbers; bad lines go to the summary. An
    enrolment gets its face template from its capture's file among `files`, a signed publication its signed
    file's bytes when they are there (ingest.enrolments)."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event = parse_line(line)
            if event.op == "enrollLikeness":
                files = files or EnrolmentFiles.of(())
                event = files.with_template(event)
            elif files is not None and event.op == "publishAsset" and "signedFile" in event.input:
                event = files.with_signed_file(event)
            yield number, event
        except LikenessError as error:
            summary.rejected.append((number, error.message))


def _batches(items: Iterator[tuple[int, Event]], size: int) -> Iterator[list[tuple[int, Event]]]:
    batch: list[tuple[int, Event]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_END = object()


async def _ahead(items: Iterator[Any], depth: int = 2) -> AsyncIterator[Any]:
    """The items of an iterator, produced by a thread of their own up to `depth` items ahead: reading,
    parsing and checking batch N+1 runs while batch N's transaction waits on the database. An error in
    the iterator is raised here, in order; leaving early stops the thread."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[Any, BaseException | None]) -> bool:
        """Hand an entry over unless the consumer has left; False when it has."""
        while not stop.is_set():
            try:
                ready.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((_END, None))
        except BaseException as error:  # handed to the consumer, raised there
            put((_END, error))

    worker = threading.Thread(target=produce, name="import-reader", daemon=True)
    worker.start()
    loop = asyncio.get_running_loop()
    try:
        while True:
            item, error = await loop.run_in_executor(None, ready.get)
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        await loop.run_in_executor(None, worker.join)


async def import_lines(
    graph: Graph,
    lines: Iterable[str],
    *,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    source: str = "stream",
    principal: Principal = OPERATOR,
    files: EnrolmentFiles | None = None,
) -> ImportSummary:
    """Apply a stream of event lines; each batch is one transaction (all of it or none of it). `files`:
    where enrolments find their captures' files (ingest.enrolments)."""
    summary = ImportSummary()
    sightings = KnownSightings()
    async for batch in _ahead(_batches(numbered_events(lines, summary, files), batch_size)):
        numbers = [number for number, _ in batch]

        def stored(count: int, numbers: list[int] = numbers) -> None:
            if progress is not None:
                progress(numbers[count - 1])

        outcome = await record(
            graph,
            principal,
            [event for _, event in batch],
            source=f"{source}:{numbers[0]}-{numbers[-1]}",
            first_ordinal=numbers[0],
            known_sightings=sightings,
            stored=stored,
        )
        summary.applied += len(outcome.applied)
        summary.unchanged += len(outcome.unchanged)
        summary.rejected.extend((numbers[index], error.message) for index, error in outcome.rejected)
        if progress is not None:
            progress(numbers[-1])
    summary.rejected.sort()
    logger.info(
        "imported %s: %d applied, %d unchanged, %d rejected",
        source,
        summary.applied,
        summary.unchanged,
        len(summary.rejected),
    )
    return summary


async def import_file(graph: Graph, path: Path, **options: Any) -> ImportSummary:
    with path.open(encoding="utf-8") as lines:
        return await import_lines(graph, lines, source=path.name, **options)


def _supersession_order(inputs: list[str]) -> list[str]:
    """The twins in their given order, except that a superseded twin comes before the twin superseding
    it: each twin is preceded by whatever of its supersession chain is not placed yet, oldest first."""
    supersedes: dict[str, tuple[str | None, str]] = {}
    for text in inputs:
        data = orjson.loads(text)
        supersedes[data["id"]] = (data.get("supersedesId"), text)
    placed: set[str] = set()
    ordered: list[str] = []
    for twin_id in supersedes:
        chain: list[str] = []
        current: str | None = twin_id
        # a cycle cannot be recorded (a twin supersedes one recorded before it); stop at one anyway
        while current in supersedes and current not in placed and current not in chain:
            chain.append(current)
            current = supersedes[current][0]
        for older in reversed(chain):
            placed.add(older)
            ordered.append(supersedes[older][1])
    return ordered


async def export_signed_files(graph: Graph, folder: Path) -> int:
    """Write every signed file kept here into `folder` as SHA256.EXT (an import given the folder keeps them
    beside their assets again: ingest.enrolments); returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    async for kept in every_signed_file(graph):
        (folder / kept.file_name(kept.sha256)).write_bytes(kept.data)
        count += 1
    return count


async def export_to(graph: Graph, out: IO[str]) -> int:
    """Write every event that rebuilds the graph, as one consistent cut of it (graph.export), even while
    it is written; returns the number of lines. Each kind's events come in an order that depends only on
    what is recorded, twins after the twins they supersede (`_supersession_order`)."""
    count = 0
    twins: list[str] = []
    async for op, text in exported_inputs(graph):
        if op == "buildTwin":
            twins.append(text)
            continue
        if twins:
            count += _write_twins(out, twins)
            twins = []
        out.write(f'{{"op":"{op}","input":{text}}}\n')
        count += 1
    return count + _write_twins(out, twins)


def _write_twins(out: IO[str], inputs: list[str]) -> int:
    ordered = _supersession_order(inputs)
    for text in ordered:
        out.write(f'{{"op":"buildTwin","input":{text}}}\n')
    return len(ordered)
