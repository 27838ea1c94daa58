"""Law packs: one TOML file per law and version, read and checked before anything may use them.

A pack is ``packs/<id>@<version>.toml`` with exactly these keys (DESIGN.md, "Law packs"):

- ``id`` (``EU-AI-ACT-50``) and ``version`` (1, 2, …): both also spelled in the file's name.
- ``title``: the law's name as a reader knows it.
- ``jurisdiction``: where it is law, ISO 3166-1 alpha-2 (``SE``) or ISO 3166-2 (``US-NY``) codes, or
  ``EU`` for the member states.
- ``status``: ``ENACTED`` (may ground a verdict) or ``PROPOSED`` (shown as such, grounds nothing).
- ``inForceFrom`` / ``inForceUntil``: TOML dates. ``inForceFrom`` is the first day the law applies
  (required of an ENACTED pack); ``inForceUntil``, when the law ends, is the first day it no longer
  applies.
- ``appliesTo``: which facts decide whether it applies, and at which instant. ``ASSET``: the asset's
  territories, at publication; ``CONSENT``: the person's jurisdiction, at signing; ``NOTICE``: the
  platform's and the sighting's jurisdiction, at the notice's ``sentAt``.
- ``grounds``: the verdict codes it grounds, each with its article (``[[grounds]] code, article``).
- ``source``: the public addresses the pack's facts were taken from.
- ``unconfirmed`` (optional): what in the pack the sources did not confirm (a date, a scope, an
  article number).

Packs are versioned, never edited in place: a change is a new file ``<id>@<n+1>.toml`` with its own
dates. So the versions of a law are numbered 1..n with none missing, and its ENACTED versions follow one
another in time: each starts after the one before it started, and not before that one's
``inForceUntil``. A version without ``inForceUntil`` is in force until the next ENACTED version starts.

Each pack's SHA-256 (of the file's bytes) is kept with it, for the log to record when packs are loaded.
Any fault stops the load with ``InvalidPack`` naming the file, the field and the reason.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pycountry

PACKS_DIR = Path(__file__).with_name("packs")

ENACTED = "ENACTED"
PROPOSED = "PROPOSED"
STATUSES = (ENACTED, PROPOSED)
ASSET = "ASSET"
CONSENT = "CONSENT"
NOTICE = "NOTICE"
APPLIES_TO = (ASSET, CONSENT, NOTICE)
EU = "EU"

# a pack is a few hundred bytes of text; anything near this is not one
MAX_PACK_BYTES = 64 * 1024
MAX_TEXT = 2000

_ID = r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*"
_ID_RE = re.compile(rf"^{_ID}$")
_FILE_RE = re.compile(rf"^(?P<id>{_ID})@(?P<version>[1-9][0-9]*)\.toml$")
_CODE_RE = re.compile(r"^[A-Z][A-Z_]*[A-Z]$")
_REQUIRED = ("id", "version", "title", "jurisdiction", "status", "appliesTo", "grounds", "source")
_OPTIONAL = ("inForceFrom", "inForceUntil", "unconfirmed")
_GROUND_KEYS = ("code", "article", "category", "ordered", "responseHours")
# a notice's category a grounding may be limited to (TakedownNotice.category)
NOTICE_CATEGORIES = ("INTIMATE", "OTHER")
# a law's clock for a notice: from an hour to a year, like a notice's own responseHours
MAX_RESPONSE_HOURS = 8760


class InvalidPack(Exception):
    """A law pack that cannot be used: which file, which field, and why."""

    def __init__(self, file: str, field: str | None, reason: str) -> None:
        super().__init__(f"{file}: {field}: {reason}" if field else f"{file}: {reason}")
        self.file = file
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Grounding:
    """A verdict code the law grounds, and the article that says so.

    A grounding of a notice's code may be limited to notices of one ``category`` (``INTIMATE``) or to
    takedowns an authority ``ordered``, and may set the notice's clock (``responseHours``) when the notice
    gives none (DESIGN.md, "Law packs": the notice clocks).
    """

    code: str
    article: str
    category: str | None = None
    ordered: bool | None = None
    response_hours: int | None = None


@dataclass(frozen=True)
class LawPack:
    """One version of one law, as its file says, with the file's name and SHA-256."""

    id: str
    version: int
    title: str
    jurisdictions: tuple[str, ...]
    status: str
    in_force_from: date | None
    in_force_until: date | None
    applies_to: tuple[str, ...]
    grounds: tuple[Grounding, ...]
    sources: tuple[str, ...]
    unconfirmed: str | None
    file: str
    sha256: str

    @property
    def key(self) -> str:
        """``<id>@<version>``: the name the log and the file give this version."""
        return f"{self.id}@{self.version}"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(grounding.code for grounding in self.grounds)


def read_pack(path: Path, *, codes: Collection[str] | None = None) -> LawPack:
    """The pack in `path`, checked field by field; `codes`, when given, are the verdict codes a pack may
    ground (any other is refused)."""
    file = path.name
    named = _FILE_RE.match(file)
    if named is None:
        raise InvalidPack(
            file, None, "a pack's file is named <ID>@<version>.toml, such as EU-AI-ACT-50@1.toml"
        )
    try:
        if not path.is_file():
            raise InvalidPack(file, None, "not a file")
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise InvalidPack(file, None, f"{size} bytes; a pack holds at most {MAX_PACK_BYTES}")
        data = path.read_bytes()
    except OSError as error:
        raise InvalidPack(file, None, f"cannot be read ({error.strerror})") from None
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidPack(file, None, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidPack(file, None, f"not valid TOML ({error})") from None
    pack = _parse(file, document, codes)
    if pack.id != named["id"]:
        raise InvalidPack(file, "id", f"{pack.id!r} differs from the file's name (expected {named['id']!r})")
    if pack.version != int(named["version"]):
        raise InvalidPack(
            file, "version", f"{pack.version} differs from the file's name (expected {named['version']})"
        )
    return replace(pack, sha256=hashlib.sha256(data).hexdigest())


def load_packs(directory: Path = PACKS_DIR, *, codes: Collection[str] | None = None) -> LawBook:
    """Every pack in `directory` (the shipped ones by default), checked one by one and as a set."""
    if not directory.is_dir():
        raise InvalidPack(str(directory), None, "no such folder of law packs")
    packs = [read_pack(path, codes=codes) for path in sorted(directory.glob("*.toml"))]
    return LawBook(packs)


class LawBook:
    """The loaded packs: every version of every law, checked to follow one another in time."""

    def __init__(self, packs: Iterable[LawPack]) -> None:
        by_id: dict[str, list[LawPack]] = {}
        for pack in packs:
            by_id.setdefault(pack.id, []).append(pack)
        for versions in by_id.values():
            versions.sort(key=lambda pack: pack.version)
            _check_versions(versions)
        self._by_id = {law_id: tuple(versions) for law_id, versions in sorted(by_id.items())}

    @property
    def packs(self) -> tuple[LawPack, ...]:
        return tuple(pack for versions in self._by_id.values() for pack in versions)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def hashes(self) -> dict[str, str]:
        """``<id>@<version>`` → SHA-256 of its file: what the log records when the packs are loaded."""
        return {pack.key: pack.sha256 for pack in self.packs}

    def versions(self, law_id: str) -> tuple[LawPack, ...]:
        return self._by_id.get(law_id, ())

    def enacted_at(self, law_id: str, day: date) -> LawPack | None:
        """The ENACTED version of `law_id` in force on `day`, if any."""
        enacted = [pack for pack in self.versions(law_id) if pack.status == ENACTED]
        for index, pack in enumerate(enacted):
            following = enacted[index + 1].in_force_from if index + 1 < len(enacted) else None
            ends = [end for end in (pack.in_force_until, following) if end is not None]
            starts = pack.in_force_from  # always set on an ENACTED pack (checked when read)
            if starts is not None and starts <= day and (not ends or day < min(ends)):
                return pack
        return None

    def in_force(self, day: date) -> tuple[LawPack, ...]:
        """The ENACTED laws in force on `day`, one version each."""
        found = (self.enacted_at(law_id, day) for law_id in self._by_id)
        return tuple(pack for pack in found if pack is not None)

    def proposed(self, day: date) -> tuple[LawPack, ...]:
        """The latest PROPOSED version of each law with no ENACTED version in force on `day`."""
        found: list[LawPack] = []
        for law_id, versions in self._by_id.items():
            if self.enacted_at(law_id, day) is not None:
                continue
            proposals = [pack for pack in versions if pack.status == PROPOSED]
            if proposals:
                found.append(proposals[-1])
        return tuple(found)


def _check_versions(versions: list[LawPack]) -> None:
    """Versions 1..n, none missing; ENACTED ones follow one another in time without overlapping."""
    for expected, pack in enumerate(versions, start=1):
        if pack.version < expected:
            raise InvalidPack(pack.file, "version", f"{pack.key} is given twice")
        if pack.version != expected:
            raise InvalidPack(
                pack.file,
                "version",
                f"version {expected} of {pack.id} is missing: a law's versions are numbered 1, 2, … and "
                "none is ever removed",
            )
    previous: LawPack | None = None
    for pack in versions:
        # an ENACTED pack always has inForceFrom (checked when read)
        if pack.status != ENACTED or pack.in_force_from is None:
            continue
        if previous is not None and previous.in_force_from is not None:
            if pack.in_force_from <= previous.in_force_from:
                raise InvalidPack(
                    pack.file,
                    "inForceFrom",
                    f"{pack.in_force_from} is not after {previous.key}'s inForceFrom "
                    f"({previous.in_force_from}): a new version starts after the one it follows; a "
                    "version is never edited in place",
                )
            if previous.in_force_until is not None and pack.in_force_from < previous.in_force_until:
                raise InvalidPack(
                    pack.file,
                    "inForceFrom",
                    f"{pack.in_force_from} overlaps {previous.key}, in force until {previous.in_force_until}",
                )
        previous = pack


def _parse(file: str, document: dict[str, Any], codes: Collection[str] | None) -> LawPack:
    for key in document:
        if key not in _REQUIRED and key not in _OPTIONAL:
            raise InvalidPack(file, key, f"unknown field; a pack has {', '.join(_REQUIRED + _OPTIONAL)}")
    for key in _REQUIRED:
        if key not in document:
            raise InvalidPack(file, key, "missing")

    law_id = document["id"]
    if not isinstance(law_id, str) or not _ID_RE.match(law_id):
        raise InvalidPack(
            file, "id", f"{law_id!r} is not an id such as EU-AI-ACT-50 (capitals, digits, hyphens)"
        )
    version = document["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidPack(file, "version", f"{version!r} is not a whole number from 1")
    status = document["status"]
    if status not in STATUSES:
        raise InvalidPack(file, "status", f"{status!r} is not one of {', '.join(STATUSES)}")

    in_force_from = _day(file, "inForceFrom", document.get("inForceFrom"))
    in_force_until = _day(file, "inForceUntil", document.get("inForceUntil"))
    if status == ENACTED and in_force_from is None:
        raise InvalidPack(file, "inForceFrom", "missing; an ENACTED law says from which day it applies")
    if in_force_until is not None:
        if in_force_from is None:
            raise InvalidPack(file, "inForceUntil", "given without inForceFrom")
        if in_force_until <= in_force_from:
            raise InvalidPack(
                file, "inForceUntil", f"{in_force_until} is not after inForceFrom ({in_force_from})"
            )

    grounds = _list(file, "grounds", document["grounds"])
    groundings: list[Grounding] = []
    for index, entry in enumerate(grounds):
        field = f"grounds[{index}]"
        if not isinstance(entry, dict):
            raise InvalidPack(file, field, "expected a table with code and article ([[grounds]])")
        for key in entry:
            if key not in _GROUND_KEYS:
                raise InvalidPack(
                    file,
                    f"{field}.{key}",
                    f"unknown field; a grounding has {', '.join(_GROUND_KEYS)}",
                )
        code = entry.get("code")
        if not isinstance(code, str) or not _CODE_RE.match(code):
            raise InvalidPack(
                file, f"{field}.code", f"{code!r} is not a verdict code such as MISSING_AI_LABEL"
            )
        if codes is not None and code not in codes:
            raise InvalidPack(file, f"{field}.code", f"{code!r} is not a verdict code of the rules")
        if code in (grounding.code for grounding in groundings):
            raise InvalidPack(file, f"{field}.code", f"{code!r} is grounded twice; give it one article")
        groundings.append(_grounding(file, field, code, entry))

    applies_to = _list(file, "appliesTo", document["appliesTo"])
    for index, value in enumerate(applies_to):
        if value not in APPLIES_TO:
            raise InvalidPack(file, f"appliesTo[{index}]", f"{value!r} is not one of {', '.join(APPLIES_TO)}")

    jurisdictions = _list(file, "jurisdiction", document["jurisdiction"])
    for index, value in enumerate(jurisdictions):
        if not _is_jurisdiction(value):
            raise InvalidPack(
                file,
                f"jurisdiction[{index}]",
                f"{value!r} is not EU, an ISO 3166-1 alpha-2 code (SE) or an ISO 3166-2 code (US-NY)",
            )

    sources = _list(file, "source", document["source"])
    for index, value in enumerate(sources):
        parts = urlsplit(value) if isinstance(value, str) else None
        if (
            parts is None
            or parts.scheme not in ("https", "http")
            or not parts.netloc
            or len(value) > MAX_TEXT
        ):
            raise InvalidPack(file, f"source[{index}]", f"{value!r} is not the http(s) address of a source")

    unconfirmed = document.get("unconfirmed")
    return LawPack(
        id=law_id,
        version=version,
        title=_text(file, "title", document["title"]),
        jurisdictions=tuple(jurisdictions),
        status=status,
        in_force_from=in_force_from,
        in_force_until=in_force_until,
        applies_to=tuple(applies_to),
        grounds=tuple(groundings),
        sources=tuple(sources),
        unconfirmed=None if unconfirmed is None else _text(file, "unconfirmed", unconfirmed),
        file=file,
        sha256="",
    )


def _grounding(file: str, field: str, code: str, entry: dict[str, Any]) -> Grounding:
    article = _text(file, f"{field}.article", entry.get("article"))
    category = entry.get("category")
    if category is not None and category not in NOTICE_CATEGORIES:
        raise InvalidPack(
            file, f"{field}.category", f"{category!r} is not one of {', '.join(NOTICE_CATEGORIES)}"
        )
    ordered = entry.get("ordered")
    if ordered is not None and not isinstance(ordered, bool):
        raise InvalidPack(file, f"{field}.ordered", f"{ordered!r} is not true or false")
    hours = entry.get("responseHours")
    if hours is not None and (
        isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_RESPONSE_HOURS
    ):
        raise InvalidPack(
            file,
            f"{field}.responseHours",
            f"{hours!r} is not a whole number of hours from 1 to {MAX_RESPONSE_HOURS}",
        )
    return Grounding(code, article, category=category, ordered=ordered, response_hours=hours)


def _day(file: str, field: str, value: Any) -> date | None:
    if value is None:
        return None
    # tomllib reads 2026-08-02 as a date, 2026-08-02T00:00:00 as a datetime (a subclass of date)
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidPack(
            file, field, f"{value!r} is not a TOML date such as 2026-08-02 (no quotes, no time)"
        )
    return value


def _list(file: str, field: str, value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise InvalidPack(file, field, "expected a non-empty list")
    seen: list[Any] = []
    for index, item in enumerate(value):
        if item in seen:
            raise InvalidPack(file, f"{field}[{index}]", f"{item!r} is listed twice")
        seen.append(item)
    return value


def _text(file: str, field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise InvalidPack(file, field, f"expected text of 1 to {MAX_TEXT} characters")
    return value


def _is_jurisdiction(value: Any) -> bool:
    if not isinstance(value, str) or value != value.upper():
        return False
    if value == EU:
        return True
    if "-" in value:
        return len(value) <= 6 and pycountry.subdivisions.get(code=value) is not None
    return len(value) == 2 and pycountry.countries.get(alpha_2=value) is not None
