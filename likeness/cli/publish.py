"""`likeness publish INPUT FILE [--sign --out SIGNED]`: publishAsset with its file, from the command line, as
the operator: the same checks, the same single transaction and log entry as the API's; with --sign the file
is signed with Content Credentials (likeness.media.signing) and the signed copy written to --out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from likeness.access.principals import OPERATOR
from likeness.cli.common import CommandFailed, console, with_graph
from likeness.config import get_settings
from likeness.graph.driver import Graph
from likeness.media.signing import CERT_SETTING, KEY_SETTING, signing_keys

publish_app = typer.Typer()


class LocalFile:
    """A file on disk read the way an upload is (resolvers.uploads): async `read`, `seek`, `filename`."""

    def __init__(self, path: Path) -> None:
        self.filename = path.name
        self._file = path.open("rb")

    async def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    async def seek(self, offset: int) -> int:
        return self._file.seek(offset)

    def close(self) -> None:
        self._file.close()


def _input(text: str) -> dict[str, Any]:
    """The AssetInput: a JSON object, given inline or as the path of a file holding one."""
    source = text if text.lstrip().startswith("{") else None
    if source is None:
        path = Path(text)
        if not path.is_file():
            raise CommandFailed(f"INPUT: no such file {text!r} (give the AssetInput as JSON, or a JSON file)")
        source = path.read_text(encoding="utf-8")
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        raise CommandFailed(f"INPUT: not JSON ({error})") from None
    if not isinstance(data, dict):
        raise CommandFailed("INPUT: expected a JSON object (an AssetInput)")
    return data


@publish_app.command("publish")
def publish_command(
    asset_input: str = typer.Argument(
        ..., metavar="INPUT", help="The AssetInput as JSON, or a JSON file (sha256 and phash read from FILE)."
    ),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The published file."),
    sign: bool = typer.Option(
        False, "--sign", help=f"Sign the file with Content Credentials ({CERT_SETTING}, {KEY_SETTING})."
    ),
    out: Path | None = typer.Option(None, "--out", dir_okay=False, help="With --sign: where to write it."),
) -> None:
    """Publish an asset with its file; with --sign, sign it and write the signed file to --out."""
    if sign and out is None:
        raise CommandFailed("say where to write the signed file: --sign --out FILE")
    if out is not None and not sign:
        raise CommandFailed("--out writes the signed file: add --sign")
    keys = signing_keys(get_settings())
    if sign and keys is None:
        raise CommandFailed(
            f"signing needs the organisation's C2PA certificate and key: set {CERT_SETTING} and "
            f"{KEY_SETTING} (PEM files; docs/credentials.md). Nothing was published"
        )
    data = _input(asset_input)
    # imported here: the API's resolvers (and the media libraries under them) load only when publishing
    from likeness.execution.context import context_for
    from likeness.graph.signed_files import signed_file
    from likeness.media.workers import FileWorkers
    from likeness.resolvers.mutations import answer

    async def work(graph: Graph) -> tuple[dict[str, Any], bytes | None]:
        context = context_for(graph, OPERATOR, files=FileWorkers(workers=1, waiting=0), signer=keys)
        upload = LocalFile(file)
        try:
            found = await answer(context, "publishAsset", data, upload, sign=sign)
        finally:
            upload.close()
        if found is None:
            raise CommandFailed("the asset was recorded, but could not be read back")
        kept = await signed_file(graph, str(found["id"])) if sign else None
        return dict(found), None if kept is None else kept.data

    found, signed = with_graph(work)
    if out is not None and signed is not None:
        out.write_bytes(signed)
    facts = json.loads(found["signedFile"]) if found.get("signedFile") else None
    said = f"published {found['id']} (sha256 {found['sha256']})"
    if facts is not None:
        said += (
            f"; signed under {', '.join(facts['consentIds'])} as log entry {facts['logSeq']}, manifest "
            f"sha256 {facts['manifestSha256']}; wrote {out}"
        )
    console.print(said, markup=False, soft_wrap=True)
    typer.echo(json.dumps({"id": found["id"], "sha256": found["sha256"], "signedFile": facts}))
