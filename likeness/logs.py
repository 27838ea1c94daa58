"""Logging: the standard `logging` module, one logger per module (`logging.getLogger(__name__)`).

`configure()` sets the root handler once per process: readable lines by default, one JSON object per
line when LIKENESS_LOG_FORMAT=json (for a log shipper), at LIKENESS_LOG_LEVEL (default INFO).
Fields passed with `extra={...}` travel into the JSON object.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

# what every LogRecord carries; anything else on a record came from `extra=`
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the `extra` fields, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure` installs (and replaces on a second call; others' handlers stay)."""


def configure(log_format: str = "text", level: str = "INFO") -> None:
    """Send the project's logs to stderr in the chosen format, at `level`."""
    handler = _OurHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
