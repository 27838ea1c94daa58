"""A file worker never runs the API's main module again: multiprocessing runs the parent's __main__ in each
process it starts, and `likeness serve`'s imports the whole API, which cost every file ~0.9 s. A script
stands in for it here: imported anywhere but as the main program, it leaves a mark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import asyncio, io
from pathlib import Path

if __name__ != "__main__":
    Path(MARK).open("a").write(__name__ + "\\n")

async def hash_twice(data: bytes) -> list[str]:
    from likeness.media.workers import FileWorkers

    async def chunks():
        yield data

    workers = FileWorkers(workers=1, waiting=0)
    await workers.start()
    return [(await workers.hash(chunks(), filename="x.png", deadline=None)).sha256 for _ in range(2)]

if __name__ == "__main__":
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "PNG")
    print(" ".join(asyncio.run(hash_twice(out.getvalue()))))
"""


def test_a_worker_does_not_import_the_main_module_again(tmp_path: Path) -> None:
    mark = tmp_path / "imported"
    script = tmp_path / "serve_like.py"
    script.write_text(f"MARK = {str(mark)!r}\n" + SCRIPT, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.split()
    assert first == second and len(first) == 64
    assert not mark.exists(), mark.read_text(encoding="utf-8")
