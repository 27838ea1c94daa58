"""Files made in the test: pictures with low-frequency content (phash is stable on them), encoded images,
short videos, and files signed with the test-only ES256 chain of the shared C2PA fixtures."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import av
import c2pa
import numpy as np
from av.video.stream import VideoStream
from PIL import Image, ImageDraw

from tests.needs import c2pa_fixtures

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def scene(kind: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """One of three clearly different pictures: smooth gradients and one large shape each."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    flat = np.zeros_like(x)
    if kind == 0:
        channels = [x * 255 // (width - 1), flat + 128, 255 - x * 255 // (width - 1)]
    elif kind == 1:
        channels = [y * 255 // (height - 1), 255 - y * 255 // (height - 1), flat + 60]
    else:
        channels = [flat + 30, (x + y) * 255 // (width + height - 2), flat + 200]
    picture = Image.fromarray(np.stack(channels, -1).astype("uint8"))
    draw = ImageDraw.Draw(picture)
    if kind == 0:
        draw.ellipse([width * 5 // 8, height // 4, width * 15 // 16, height * 2 // 3], fill=(250, 250, 40))
    elif kind == 1:
        draw.rectangle([width // 16, height // 12, width * 7 // 16, height * 5 // 6], fill=(20, 20, 20))
    else:
        draw.polygon([(width // 2, 10), (width - 10, height - 10), (10, height - 10)], fill=(240, 240, 240))
    return picture


def encoded(picture: Image.Image, format: str, **options: Any) -> bytes:
    out = io.BytesIO()
    picture.save(out, format, **options)
    return out.getvalue()


def video(
    scenes: Sequence[tuple[Image.Image, int]],
    *,
    container: str = "mp4",
    codec: str = "libx264",
    rate: int = 10,
    rotation: int | None = None,
) -> bytes:
    """A video of each (picture, frame count) in turn, encoded by PyAV."""
    out = io.BytesIO()
    first = scenes[0][0]
    with av.open(out, "w", format=container) as muxer:
        stream = muxer.add_stream(codec, rate=rate)
        assert isinstance(stream, VideoStream)
        stream.width, stream.height = first.size
        stream.pix_fmt = "yuv420p"
        if rotation is not None:
            stream.set_display_rotation(rotation)
        for picture, frames in scenes:
            for _ in range(frames):
                for packet in stream.encode(av.VideoFrame.from_image(picture)):
                    muxer.mux(packet)
        for packet in stream.encode():
            muxer.mux(packet)
    return out.getvalue()


def c2pa_fixture(name: str) -> Path:
    """One file of the shared C2PA fixtures (the test skips, or fails under CI, without them)."""
    return c2pa_fixtures() / name


def signed(
    data: bytes,
    mime_type: str,
    *,
    actions: Sequence[dict[str, Any]],
    title: str = "twin-render.png",
    ingredients: Sequence[tuple[dict[str, Any], bytes]] = (),
    embedded: Sequence[tuple[str, bytes]] = (),
    remote_url: str | None = None,
) -> bytes:
    """`data` with a C2PA manifest signed by the test-only ES256 chain of the shared fixtures.

    `ingredients`: (ingredient JSON, the ingredient file's bytes) added from the file; `embedded`:
    (resource identifier, bytes) for ingredients that embed their data; `remote_url`: the manifest is
    not embedded, the file only points to it at that address."""
    certificates = c2pa_fixture("es256_certs.pem").read_bytes()
    key = c2pa_fixture("es256_private.key").read_bytes()
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, certificates, key, None))
    manifest: dict[str, Any] = {
        "claim_generator_info": [{"name": "likeness-tests", "version": "1.0"}],
        "title": title,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": list(actions)}}],
    }
    if embedded:
        manifest["ingredients"] = [
            {
                "title": identifier,
                "format": "image/jpeg",
                "relationship": "inputTo",
                "data": {"format": "image/jpeg", "identifier": identifier},
            }
            for identifier, _ in embedded
        ]
    out = io.BytesIO()
    with signer, c2pa.Builder(manifest) as builder:
        for identifier, resource in embedded:
            builder.add_resource(identifier, io.BytesIO(resource))
        if remote_url is not None:
            builder.set_no_embed()
            builder.set_remote_url(remote_url)
        for ingredient, ingredient_bytes in ingredients:
            builder.add_ingredient(
                ingredient, ingredient.get("format", "image/jpeg"), io.BytesIO(ingredient_bytes)
            )
        builder.sign(signer, mime_type, io.BytesIO(data), out)
    return out.getvalue()


def es256_intermediate_pem() -> str:
    """The intermediate CA of the test-only chain (the PEM's second certificate), as a trust anchor."""
    pem = c2pa_fixture("es256_certs.pem").read_text(encoding="ascii")
    return "-----BEGIN" + pem.split("-----BEGIN")[2]


def signed_jpeg_render(kind: int = 0) -> bytes:
    """A JPEG render signed with the test-only chain, declaring trainedAlgorithmicMedia."""
    created = {"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}
    return signed(
        encoded(scene(kind), "JPEG", quality=90), "image/jpeg", actions=[created], title="render.jpg"
    )


def stripped_copy(data: bytes) -> bytes:
    """The picture re-encoded by Pillow: no metadata, so no manifest, as a platform's upload pipeline does."""
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def tampered_copy(data: bytes) -> bytes:
    """A signed JPEG with one bit of its image data flipped, not of its manifest: in the scan's last blocks,
    just before the end-of-image marker, so that the picture barely changes and still matches by phash."""
    flipped = bytearray(data)
    assert flipped[-2:] == b"\xff\xd9" and 0xFF not in (flipped[-10], flipped[-10] ^ 0x01)
    flipped[-10] ^= 0x01
    return bytes(flipped)
