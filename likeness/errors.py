"""Errors a user can cause, each naming the field, the value and what would be accepted."""

from __future__ import annotations


class LikenessError(Exception):
    """Base of every error the API reports to its caller."""

    code = "BAD_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(LikenessError):
    """A value of the wrong shape: a bad hash, an unknown enum, a missing field."""

    code = "BAD_INPUT"

    def __init__(self, field: str, value: object, reason: str) -> None:
        shown = repr(value) if not isinstance(value, str) or len(value) < 80 else repr(value[:77] + "...")
        super().__init__(f"{field}: {reason} (got {shown})", field=field)


class UnknownReference(LikenessError):
    """An id that must name an existing node does not (or names the wrong kind of node)."""

    code = "NOT_FOUND"


class Conflict(LikenessError):
    """The same id again with different content."""

    code = "CONFLICT"

    def __init__(self, key: str, fields: list[str]) -> None:
        if fields:
            message = (
                f"id {key!r} already exists with different {', '.join(fields)}; "
                "the same id must always carry the same input"
            )
        else:
            message = "an id of this write was recorded by another writer at the same moment; send it again"
        super().__init__(message, field=fields[0] if fields else None)
        self.fields = fields


class NotFound(LikenessError):
    code = "NOT_FOUND"


class Forbidden(LikenessError):
    code = "FORBIDDEN"


class Refused(LikenessError):
    """A well-formed request the facts refuse, with a code of its own saying why (NO_MATCHING_CONSENT,
    FILE_NOT_CAPTURE, NO_FACE, SEVERAL_FACES, FACE_NOT_HERS, RATE_LIMITED, …) and a message saying what
    would be accepted."""

    def __init__(self, code: str, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message, field=field)
        self.code = code


class Busy(LikenessError):
    """The server admits no more work of this kind right now; the same request later may be answered. The
    HTTP answer carries `Retry-After: RETRY_AFTER_SECONDS`."""

    code = "BUSY"
    RETRY_AFTER_SECONDS = 2

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field)


class GraphUnavailable(LikenessError):
    """The database cannot be reached; the message says which one and what to check."""

    code = "SERVICE_UNAVAILABLE"
