"""What a result was measured on: the machine, its load at the time, the software versions."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "likeness",
    "neo4j",
    "neo4j-rust-ext",
    "strawberry-graphql",
    "graphql-core",
    "starlette",
    "uvicorn",
    "orjson",
)
ROOT = Path(__file__).resolve().parent.parent


def shown_path(path: Path | str) -> str:
    """A folder as a result records it: relative to the checkout when inside it, else under the placeholder
    `DIR` (a result is read on other machines, where this one's absolute folders mean nothing)."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(ROOT):
        return str(resolved.relative_to(ROOT)) or "."
    return "DIR/" + resolved.name


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages, rounded."""
    return [round(value, 2) for value in os.getloadavg()]


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "likeness")),
    }


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": _memory_gib(),
        "platform": platform.platform(),
        "load_at_start": load(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": _git(),
    }


def rss_kib(pid: int) -> dict[str, int]:
    """A process's resident memory now and at its peak (VmRSS, VmHWM), in KiB; empty once it is gone."""
    found: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    except OSError:
        pass
    return found


def children(pid: int) -> list[int]:
    """The direct children of a process (uvicorn's workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]
