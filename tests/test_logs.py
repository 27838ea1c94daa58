"""Logs as operations read them: one JSON object per line when asked, with the extra fields and the
traceback."""

from __future__ import annotations

import json
import logging

import pytest

from likeness import logs


def test_json_lines_carry_message_extra_fields_and_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("json", "INFO")
    logger = logging.getLogger("likeness.test")
    try:
        raise ValueError("the cause")
    except ValueError:
        logger.exception("request failed", extra={"requestId": "req-1", "role": "BRAND"})
    logger.debug("not shown at INFO")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    (line,) = lines
    assert (line["level"], line["logger"], line["message"]) == ("ERROR", "likeness.test", "request failed")
    assert (line["requestId"], line["role"]) == ("req-1", "BRAND")
    assert "ValueError: the cause" in line["traceback"]


def test_configuring_twice_keeps_one_handler_of_ours_and_leaves_others() -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    logs.configure("text", "WARNING")
    logs.configure("json", "WARNING")
    ours = [handler for handler in root.handlers if isinstance(handler.formatter, logs.JsonLines)]
    assert len(ours) == 1
    assert len(root.handlers) <= before + 1
