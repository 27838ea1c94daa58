"""How an import re-creates face templates: an exported enrolment names the capture and the sha256 of its
file, never the template (no export carries one). The import finds that file, by its sha256, among the
files of a folder (`likeness import FILE --files DIR`) and computes the template again, exactly as the API
did (likeness.media.faces): an enrolment whose file is not there, or no longer shows exactly one face, is
refused on its line and nothing of it is written (docs/faces.md, "Export and import"). The photographs the
package ships for its demo world (likeness.demo.photos) are always among the files looked in, so the demo
world imports anywhere.

The same folder gives back the files Likeness signed (`likeness export FILE --files DIR` writes them there):
an exported signed publication names its signed file by the asset's sha256, never carries its bytes, and an
import finds them by that sha256 and keeps them beside the asset again (graph.signed_files). Not found, the
publication is imported all the same: its signedFile facts hold, and GET /signed/{id} answers 404.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from likeness.demo.photos import astronaut, grace_hopper
from likeness.errors import Refused
from likeness.events.contract import Event
from likeness.media.hashing import MAX_FILE_BYTES, hash_file


@dataclass
class EnrolmentFiles:
    """The files an import's enrolments are computed from, by sha256 (read once, on first need)."""

    paths: tuple[Path, ...]
    _by_sha256: dict[str, Path] | None = field(default=None, repr=False)

    @classmethod
    def in_folder(cls, folder: Path) -> EnrolmentFiles:
        """The files of a folder (not its subfolders), and the demo's photographs."""
        return cls.of(sorted(path for path in folder.iterdir() if path.is_file()))

    @classmethod
    def of(cls, paths: Iterable[Path]) -> EnrolmentFiles:
        """These files, and the demo's photographs."""
        return cls((*paths, *shipped_photos()))

    def _index(self) -> dict[str, Path]:
        if self._by_sha256 is None:
            self._by_sha256 = {}
            for path in self.paths:
                if path.stat().st_size <= MAX_FILE_BYTES:
                    self._by_sha256.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
        return self._by_sha256

    def with_template(self, event: Event) -> Event:
        """The enrolment with its template computed from its capture's file; Refused (naming `file`) when
        the file is not among these or does not show exactly one face."""
        sha256 = event.input["sha256"]
        path = self._index().get(sha256)
        if path is None:
            raise Refused(
                "NO_TEMPLATE",
                "file",
                f"the enrolment of {event.input['personId']!r} from capture {event.input['captureId']!r} "
                f"needs the capture's file (sha256 {sha256}) to compute her face template again; it is not "
                "among the files given (likeness import FILE --files DIR)",
            )
        scan = hash_file(path).faces
        if scan.found != 1 or len(scan.faces) != 1:
            raise Refused(
                "SEVERAL_FACES" if scan.found else "NO_FACE",
                "file",
                f"{path.name} shows {scan.found} faces; an enrolment is computed from a file showing one",
            )
        return replace(event, template=tuple(scan.faces[0].vector))

    def with_signed_file(self, event: Event) -> Event:
        """A signed publication with its signed file's bytes, when the file is among these; as it is when
        not."""
        path = self._index().get(event.input["sha256"])
        return event if path is None else replace(event, signed_bytes=path.read_bytes())


def shipped_photos() -> tuple[Path, ...]:
    """The demo world's photographs, from the packages that ship them (none when they are not installed)."""
    found: list[Path] = []
    for photo in (grace_hopper, astronaut):
        try:
            found.append(photo())
        except FileNotFoundError:
            continue
    return tuple(found)
