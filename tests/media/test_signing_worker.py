"""Signing in a file worker answers the signed file whole, however large, under the event loop uvicorn
serves with (uvloop makes the pipe's descriptor non-blocking: a reply larger than the pipe holds was read
while the worker still wrote it, and failed with EAGAIN)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from likeness.media.credentials import read_content_credentials
from likeness.media.signing import Publication, checked_keys
from likeness.media.workers import FileWorkers

uvloop = pytest.importorskip("uvloop", reason="uvicorn serves with uvloop where it is installed")


def noise_jpeg(width: int = 1920, height: int = 1080) -> bytes:
    """A JPEG of random pixels: ~1.9 MB at 1920 × 1080, far more than a pipe holds at once."""
    pixels = np.random.default_rng(7).integers(0, 256, (height, width, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_large_file_signed_in_a_worker_comes_back_whole_under_uvloop(c2pa_fixtures: Path) -> None:
    keys = checked_keys(
        (c2pa_fixtures / "es256_certs.pem").read_bytes(), (c2pa_fixtures / "es256_private.key").read_bytes()
    )
    data = noise_jpeg()
    assert len(data) > 1024 * 1024

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 256 * 1024):
            yield data[start : start + 256 * 1024]

    async def sign_three() -> list[bytes]:
        workers = FileWorkers(workers=1, waiting=0)
        await workers.start()
        publication = Publication("asset-large", ("consent-1",), 7, ("vendor-1",))
        signed = []
        for _ in range(3):
            done = await workers.sign(
                chunks(),
                filename="large.jpg",
                deadline=None,
                mime_type="image/jpeg",
                publication=publication,
                keys=keys,
            )
            signed.append(done.signed.data)
        return signed

    for signed in uvloop.run(sign_three()):
        assert len(signed) > len(data)
        credentials = read_content_credentials(signed, "image/jpeg")
        assert credentials is not None and credentials.validation_state == "valid"
