"""Content Credentials out: a published file signed with a C2PA manifest that binds it to its record.

The manifest (written by c2pa-python's Builder) says what the record knows of the file, with ids only:

- `c2pa.actions.v2`: one `c2pa.created` action, its digital source type IPTC's `trainedAlgorithmicMedia`
  (an image of a twin: synthetic media from a model trained on the person's captures) and the twin's
  vendor as the software agent that generated it;
- `cawg.training-mining`: whether the file may be used to train or feed AI models, or be mined: the
  strictest `aiTraining` term of the consents it runs under (`notAllowed` where one states none);
- `org.likeness.record`: the asset's id, the ids of the consents the publication runs under and the
  sequence number of the log entry that records it (likeness.access.log).

The signing keys are the organisation's own, configured and never made up: LIKENESS_C2PA_SIGNER_CERT (a PEM
chain, the signing certificate first) and LIKENESS_C2PA_SIGNER_KEY (its PEM private key: ES256 on P-256, or
Ed25519). docs/credentials.md says how a certificate gets on the C2PA trust list.

The C2PA SDK is imported by the functions that sign: the API's process loads it only when keys are set.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from likeness.errors import InvalidInput, Refused
from likeness.events.contract import SIGNED_MIME_TYPES

if TYPE_CHECKING:
    from likeness.config import Settings

CERT_SETTING = "LIKENESS_C2PA_SIGNER_CERT"
KEY_SETTING = "LIKENESS_C2PA_SIGNER_KEY"
# the label of Likeness's own assertion (a reverse domain name, as C2PA asks of assertions of one's own)
RECORD_ASSERTION = "org.likeness.record"
TRAINING_ASSERTION = "cawg.training-mining"
# IPTC's digital source type (likeness.media.credentials reads it back as declaring AI generation)
CREATED_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
# the uses cawg.training-mining names, each allowed, notAllowed or constrained
TRAINING_USES = ("cawg.ai_training", "cawg.ai_generative_training", "cawg.ai_inference", "cawg.data_mining")
GENERATOR = "Likeness"


# an 8×8 PNG: the keys are tried on it once at start, so a key the SDK refuses is said then, not at a publish
_PROBE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000080000000808020000004b6d29dc0000001449444154789c633c9162c480"
    "0d3061151db412001661016e20407bda0000000049454e44ae426082"
)


@dataclass(frozen=True)
class SigningKeys:
    """The signer's certificate chain and private key (PEM), and the algorithm the key signs with."""

    cert_pem: bytes = field(repr=False)
    key_pem: bytes = field(repr=False)
    algorithm: str  # es256 or ed25519, as the SDK names them
    subject: str  # the signing certificate's subject, for messages and logs


@dataclass(frozen=True)
class Publication:
    """What the manifest of a published file states."""

    asset_id: str
    consent_ids: tuple[str, ...]
    log_seq: int
    vendor_ids: tuple[str, ...]
    # every cawg.training-mining use: allowed, notAllowed or constrained
    training_use: str = "notAllowed"


@dataclass(frozen=True)
class SignedBytes:
    """A file with its manifest embedded, and the SHA-256 of the manifest store written into it."""

    data: bytes = field(repr=False)
    manifest_sha256: str


def signing_keys(settings: Settings) -> SigningKeys | None:
    """The configured signing keys, checked once (None when neither setting is set). Raises InvalidInput
    naming the setting when only one is set, a file is missing or not PEM, the key is of another kind than
    ES256 or Ed25519, it is not the certificate's, or the SDK refuses to sign with them."""
    cert_path, key_path = settings.likeness_c2pa_signer_cert, settings.likeness_c2pa_signer_key
    if cert_path is None and key_path is None:
        return None
    if cert_path is None or key_path is None:
        unset = CERT_SETTING if cert_path is None else KEY_SETTING
        raise InvalidInput(unset, None, f"{CERT_SETTING} and {KEY_SETTING} are set together or not at all")
    cert_pem, key_pem = _read(CERT_SETTING, cert_path), _read(KEY_SETTING, key_path)
    return checked_keys(cert_pem, key_pem)


def checked_keys(cert_pem: bytes, key_pem: bytes) -> SigningKeys:
    """Signing keys from PEM bytes, checked as `signing_keys` says."""
    try:
        chain = x509.load_pem_x509_certificates(cert_pem)
    except ValueError as error:
        raise InvalidInput(
            CERT_SETTING, None, f"is not a PEM chain of X.509 certificates ({error})"
        ) from None
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as error:
        raise InvalidInput(KEY_SETTING, None, f"is not an unencrypted PEM private key ({error})") from None
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        algorithm = "es256"
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        algorithm = "ed25519"
    else:
        raise InvalidInput(KEY_SETTING, None, "is neither an ES256 (EC P-256) nor an Ed25519 key")
    own = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    leaf = (
        chain[0]
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    if own != leaf:
        raise InvalidInput(KEY_SETTING, None, f"is not the key of the first certificate of {CERT_SETTING}")
    keys = SigningKeys(cert_pem, key_pem, algorithm, chain[0].subject.rfc4514_string())
    import c2pa

    try:
        sign(_PROBE_PNG, "image/png", Publication("probe", (), 0, ()), keys)
    except c2pa.C2paError as error:
        raise InvalidInput(
            CERT_SETTING, keys.subject, f"the C2PA SDK refuses to sign with it ({error})"
        ) from None
    return keys


def _read(setting: str, path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(setting, str(path), f"cannot be read ({error.strerror or error})") from None


def manifest_definition(publication: Publication) -> dict[str, Any]:
    """The manifest the Builder signs for one publication (ids only: no personal data)."""
    agent = {"name": ", ".join(publication.vendor_ids)} if publication.vendor_ids else None
    created: dict[str, Any] = {"action": "c2pa.created", "digitalSourceType": CREATED_SOURCE_TYPE}
    if agent is not None:
        created["softwareAgent"] = agent
    return {
        "claim_generator_info": [{"name": GENERATOR}],
        "title": publication.asset_id,
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [created]}},
            {
                "label": TRAINING_ASSERTION,
                "data": {"entries": {use: {"use": publication.training_use} for use in TRAINING_USES}},
            },
            {
                "label": RECORD_ASSERTION,
                "data": {
                    "assetId": publication.asset_id,
                    "consentIds": list(publication.consent_ids),
                    "logSeq": publication.log_seq,
                },
            },
        ],
    }


def unsupported(mime_type: str) -> Refused | None:
    """The refusal of a file of a type no manifest is embedded into here; None for one it is."""
    if mime_type in SIGNED_MIME_TYPES:
        return None
    return Refused(
        "SIGNING_UNSUPPORTED",
        "sign",
        f"a manifest is embedded in JPEG, PNG, WebP, MP4 and MOV files, not in {mime_type}",
    )


def sign(data: bytes, mime_type: str, publication: Publication, keys: SigningKeys) -> SignedBytes:
    """`data` with a signed manifest for `publication` embedded (any manifest it had is replaced). Raises
    Refused SIGNING_UNSUPPORTED naming `sign` for a format no manifest is written into here."""
    import c2pa

    if (refusal := unsupported(mime_type)) is not None:
        raise refusal
    info = c2pa.C2paSignerInfo(
        alg=keys.algorithm.encode(), sign_cert=keys.cert_pem, private_key=keys.key_pem, ta_url=None
    )
    # no thumbnail: the file is its own picture (one would add ~300 KB and 60 ms to a small JPEG)
    context = c2pa.Context(settings=c2pa.Settings.from_dict({"builder": {"thumbnail": {"enabled": False}}}))
    definition = json.dumps(manifest_definition(publication))
    out = io.BytesIO()
    with context, c2pa.Signer.from_info(info) as signer, c2pa.Builder(definition, context) as builder:
        manifest = builder.sign(signer, mime_type, io.BytesIO(data), out)
    return SignedBytes(out.getvalue(), hashlib.sha256(manifest).hexdigest())
