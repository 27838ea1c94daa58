"""A case file as one self-contained HTML page: inline CSS (allowed by its hash, nothing else is), system
fonts, the provenance graph as inline SVG, no script and no reference to anything outside the file."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import datetime
from html import escape
from typing import Any

from likeness.graph.manifests import LostManifest
from likeness.laws import book
from likeness.laws.grounding import named
from likeness.reports.case import AssetSection, Case, ConsentReview, FaceEvidence, SightingSection
from likeness.reports.drawing import Mark, provenance_svg
from likeness.resolvers.evidence import FactLog
from likeness.rules.codes import CODES, UNDECLARED_LIKENESS, UNREGISTERED_LIKENESS
from likeness.rules.facts import Verdict

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
       margin: 0 auto; max-width: 78rem; padding: 1.5rem 2rem 3rem; color: #1d1d1f; background: #fff;
       line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid #1d1d1f; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
code, .hash { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
              font-size: .85em; }
.hash { word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .4rem 0; }
dl.facts dt { font-weight: 600; color: #444; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #c9c9c9; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f1f1f1; }
figure.graph { margin: .5rem 0; padding: .5rem; border: 1px solid #ddd; overflow-x: auto; }
figure.graph svg { max-width: 100%; height: auto; }
.verdict { border-left: 5px solid #b3261e; padding: .3rem .8rem; margin: .8rem 0; background: #fdf3f2; }
.verdict h4 { margin: .2rem 0; font-size: 1rem; }
.permitted { border-left: 5px solid #1e7b34; padding: .3rem .8rem; background: #f0f8f1; }
.passed { color: #1e6b30; font-weight: 600; }
.failed { color: #b3261e; font-weight: 600; }
.note { color: #555; font-size: .9rem; }
.consent { border: 1px solid #ddd; padding: .2rem .9rem .6rem; margin: .8rem 0; }
.face { display: flex; gap: 1rem; align-items: flex-start; border: 1px solid #ddd; padding: .5rem .9rem;
        margin: .8rem 0; }
.face figure { margin: 0; }
.face figcaption { font-size: .8rem; color: #555; max-width: 12rem; }
.face dl.facts { margin: 0; }
.verdict svg.face-frame { vertical-align: middle; margin-right: .6rem; }
header { border-bottom: 1px solid #ddd; padding-bottom: .8rem; }
nav a { margin-right: 1rem; }
@media print { figure.graph { overflow: visible; } a { color: inherit; } }
"""

STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
# nothing loads, nothing runs: the one inline style is allowed by its hash, images only as data: URIs
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; img-src data:; base-uri 'none'; form-action 'none'"
)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return escape(value.isoformat())
    if isinstance(value, list | tuple):
        return escape(", ".join(str(item) for item in value)) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape(str(value))


def _dated(value: Any, as_of: datetime) -> str:
    """An instant, marked when it lies after the case's instant (a fact the verdicts do not count yet)."""
    if isinstance(value, datetime) and value > as_of:
        return f'{_text(value)} <span class="note">(after the as-of instant: not counted)</span>'
    return _text(value)


def _code(value: Any) -> str:
    return f"<code>{escape(str(value))}</code>"


def _hash(value: Any) -> str:
    return "—" if value is None else f'<span class="hash">{escape(str(value))}</span>'


def _facts(pairs: Iterable[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{escape(name)}</dt><dd>{value}</dd>" for name, value in pairs)
    return f'<dl class="facts">{rows}</dl>'


def _table(headings: list[str], rows: list[list[str]], caption: str = "") -> str:
    head = "".join(f"<th>{escape(heading)}</th>" for heading in headings)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    shown = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{shown}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# the verdicts whose evidence is a face in the subject's file
_FACE_CODES = frozenset({UNREGISTERED_LIKENESS, UNDECLARED_LIKENESS})
# the thumbnail's longer side, in CSS pixels
_THUMBNAIL = 160


def _frame(subject: Any, box: tuple[int, int, int, int]) -> tuple[int, int, bool]:
    """The picture's frame in its own pixels and whether its size is known: the subject's recorded width and
    height, else the smallest square holding the box (the picture itself is not kept)."""
    width, height = subject.get("width"), subject.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return width, height, True
    side = max(box[2], box[3], 1)
    return side, side, False


def _face_frame(subject: Any, face: FaceEvidence, scale: int = _THUMBNAIL) -> str:
    """The face's box drawn in place on a thumbnail-sized frame of the picture's proportions, as inline SVG
    (presentation attributes only: the page's policy allows no style attribute)."""
    left, top, right, bottom = face.match.box
    width, height, _ = _frame(subject, face.match.box)
    ratio = scale / max(width, height)
    stroke = 1 / ratio  # one CSS pixel, in the picture's pixels
    person = escape(str(face.match.person.get("name") or face.match.person["id"]))
    shown = f"box [{left}, {top}, {right}, {bottom}] of a {width} × {height} frame"
    return (
        f'<svg class="face-frame" width="{max(1, round(width * ratio))}" '
        f'height="{max(1, round(height * ratio))}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="The face of {person} in {shown}">'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f1f1f1" stroke="#777777" '
        f'stroke-width="{stroke:.3g}"/>'
        f'<rect class="face-box" x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        f'fill="#b3261e" fill-opacity="0.15" stroke="#b3261e" stroke-width="{2 * stroke:.3g}"/></svg>'
    )


def _face_id(subject_id: str, face: FaceEvidence) -> str:
    return f"face-{escape(subject_id)}-{escape(str(face.match.person['id']))}"


def _closeness(face: FaceEvidence) -> str:
    match = face.match
    return f"distance {match.distance:.3f} ≤ threshold {match.threshold:g} ({escape(match.model)})"


def _face(subject: Any, face: FaceEvidence) -> str:
    match = face.match
    left, top, right, bottom = match.box
    width, height, known = _frame(subject, match.box)
    person = match.person
    capture = face.capture
    pairs = [
        ("Person", f"{_text(person.get('name'))} {_code(person['id'])}"),
        ("Distance", escape(f"{match.distance:.3f}")),
        ("Threshold", escape(f"{match.threshold:g}") + ' <span class="note">(a match at most this)</span>'),
        ("Model", _code(match.model)),
        (
            "Face box",
            escape(f"[{left}, {top}, {right}, {bottom}]") + ' <span class="note">(left, top, right, '
            "bottom; pixels of the upright picture)</span>",
        ),
        (
            "Found in",
            escape(f"the frame {match.frame_time:g} s into the video")
            if match.frame_time
            else "a still image",
        ),
        (
            "Nearest enrolled capture",
            f"{_code(capture['id'])} SHA-256 {_hash(capture.get('sha256'))}"
            if capture is not None
            else f'{_code(match.capture_id)} <span class="note">(not visible to the reader)</span>',
        ),
    ]
    frame = (
        f"The picture is {width} × {height} pixels."
        if known
        else "The picture's size is not recorded: the frame is the smallest square holding the box."
    )
    return (
        f'<div class="face" id="{_face_id(str(subject["id"]), face)}"><figure>{_face_frame(subject, face)}'
        f"<figcaption>{escape(frame)}</figcaption></figure>{_facts(pairs)}</div>"
    )


def _faces(subject: Any, faces: list[FaceEvidence]) -> str:
    """The "Face evidence" of a sighting or asset: each enrolled person's face its file shows."""
    if not faces:
        return ""
    kind = "sighting" if "Sighting" in subject["_labels"] else "asset"
    return (
        f'<h3>Face evidence</h3><p class="note">The file this {kind} was recorded with shows the face of '
        f"{'an enrolled person' if len(faces) == 1 else f'{len(faces)} enrolled persons'}: each box is drawn "
        "where the face was found. The picture is not kept, and no face template is ever shown: only how far "
        "the face lies from the person's nearest enrolled template (Euclidean distance between face "
        "descriptors), and the threshold a match must not exceed.</p>"
        + "".join(_face(subject, face) for face in faces)
    )


def _face_row(subject: Any, verdict: Verdict, faces: list[FaceEvidence]) -> list[tuple[str, str]]:
    """The verdict's face evidence: the face of the person it names, drawn small, with its distance."""
    if verdict.code not in _FACE_CODES:
        return []
    named = [face for face in faces if str(face.match.person["id"]) in verdict.evidence]
    if not named:
        return []
    shown = "<br>".join(
        f"{_face_frame(subject, face, 64)}{_closeness(face)}: "
        f'<a href="#{_face_id(str(subject["id"]), face)}">the face evidence</a>'
        for face in named
    )
    return [("Face evidence", shown)]


def _laws(keys: tuple[str, ...], code: str, nothing: str) -> str:
    """The laws a verdict names (likeness.laws): id, where, since when, and the article."""
    laws = named(book.current(), keys, code)
    if not laws:
        return escape(nothing)
    return "<br>".join(
        f"{_code(law.id)} ({escape(' '.join(law.jurisdictions))}"
        f"{', in force from ' + law.in_force_from.isoformat() if law.in_force_from else ', proposed'}): "
        f"{escape(law.article)}"
        for law in laws
    )


def _verdict(verdict: Verdict, subject: Any = None, faces: list[FaceEvidence] | None = None) -> str:
    """A verdict with its parties, clauses, explanation, anchor and evidence; a face verdict also draws the
    face of the person it names (`subject` the sighting or asset whose `faces` they are)."""
    rule = CODES.get(verdict.code)
    liable = ", ".join(f"{_code(party.party_id)} ({party.role.lower()})" for party in verdict.liable) or "—"
    pairs = [
        ("Subject", _code(verdict.subject_id)),
        ("Liable", liable),
        ("Consents examined", ", ".join(_code(k) for k in verdict.consent_ids) or "—"),
        ("Failed clauses", ", ".join(_code(c) for c in verdict.failed_clauses) or "—"),
        ("Explanation", _text(verdict.explanation)),
        ("Legal anchor", _text(rule.anchor if rule else None)),
        ("Laws in force it breaks", _laws(verdict.laws, verdict.code, "none in force when it happened")),
        ("Proposed laws it would break", _laws(verdict.would_break, verdict.code, "—")),
        ("Evidence path", " → ".join(_code(step) for step in verdict.evidence) or "—"),
    ]
    if subject is not None and faces:
        pairs += _face_row(subject, verdict, faces)
    summary = f" — {escape(rule.summary)}" if rule else ""
    return (
        f'<div class="verdict" id="verdict-{escape(verdict.subject_id)}-{escape(verdict.code)}">'
        f"<h4>{_code(verdict.code)}{summary}</h4>{_facts(pairs)}</div>"
    )


def _verdicts(
    verdicts: tuple[Verdict, ...], nothing: str, subject: Any = None, faces: list[FaceEvidence] | None = None
) -> str:
    if not verdicts:
        return f'<p class="permitted">{escape(nothing)}</p>'
    return "".join(_verdict(verdict, subject, faces) for verdict in verdicts)


def _consent(review: ConsentReview, as_of: datetime) -> str:
    consent = review.consent
    pairs = [
        (name, _text(consent.get(key)))
        for name, key in (
            ("Purpose", "purpose"),
            ("Signed at", "signedAt"),
            ("Valid from", "validFrom"),
            ("Valid until", "validUntil"),
            ("Media types", "mediaTypes"),
            ("Channels", "channels"),
            ("Territories", "territories"),
            ("Prohibited content", "prohibitedContent"),
            ("Description", "description"),
        )
    ]
    pairs.append(("Revoked at", _dated(consent.get("revokedAt"), as_of)))
    pairs.append(("Document SHA-256", _hash(consent.get("documentSha256"))))
    rows = [
        [
            _code(check.clause),
            '<span class="passed">✓ passed</span>'
            if check.passed
            else '<span class="failed">✗ failed</span>',
        ]
        for check in review.checks
    ]
    clauses = _table(["Clause", "Result"], rows) if rows else ""
    return (
        f'<div class="consent" id="consent-{escape(str(consent["id"]))}">'
        f"<h4>Consent {_code(consent['id'])}</h4>"
        f'{_facts(pairs)}<p class="note">Clauses checked against {escape(review.against)}.</p>{clauses}</div>'
    )


def _trust(properties: dict[str, Any]) -> str:
    """A manifest's trust state in words (docs/credentials.md, Trust)."""
    failures = ", ".join(_code(code) for code in properties.get("failures") or ()) or "none given"
    if properties.get("validationState") == "VALID" and properties.get("trusted"):
        return (
            '<p class="trust"><span class="passed">Trusted</span>: valid, and signed under the trust '
            "anchors configured when the file was recorded (LIKENESS_C2PA_TRUST_ANCHORS).</p>"
        )
    if properties.get("validationState") == "VALID":
        return (
            '<p class="trust"><span class="passed">Valid</span> but untrusted signer: the manifest is intact '
            "and well signed, but its signer chains to none of the configured trust anchors "
            f"(status codes: {failures}).</p>"
        )
    return (
        '<p class="trust"><span class="failed">Invalid</span>: the file or its manifest was tampered with '
        f"or is broken (failure codes: {failures}).</p>"
    )


def _manifests(manifests: list[dict[str, Any]], of: str) -> str:
    if not manifests:
        return ""
    parts = []
    for index, manifest in enumerate(manifests, start=1):
        parts.append(_trust(manifest["properties"]))
        rows = [[_code(name), _text(value)] for name, value in sorted(manifest["properties"].items())]
        parts.append(_table(["Property", "Value"], rows, f"Content Credentials manifest {index} of {of}"))
        ingredients = [
            [_code(item["id"]), _text(item["labels"]), _text(item["properties"].get("sha256"))]
            for item in manifest["ingredients"]
        ]
        if ingredients:
            parts.append(_table(["Ingredient", "Labels", "SHA-256 in the manifest"], ingredients))
    return "".join(parts)


def _hashes(section: AssetSection) -> str:
    rows = []
    for node_id, node in sorted(section.graph.nodes.items()):
        sha = node.get("sha256") or node.get("documentSha256")
        if sha is None and node.get("phash") is None:
            continue
        kind = next(
            (label for label in ("Asset", "Capture", "Consent", "Sighting") if label in node["_labels"]), ""
        )
        rows.append([_code(node_id), escape(kind), _hash(sha), _hash(node.get("phash"))])
    table = _table(["Node", "Kind", "SHA-256", "Perceptual hash"], rows)
    credentials = _manifests(section.manifests, str(section.asset["id"]))
    if not credentials:
        credentials = '<p class="note">No Content Credentials manifest is recorded for this asset.</p>'
    return table + credentials


_NO_ASSET_VERDICT = "No verdict holds against this asset: it is permitted."


def _asset(section: AssetSection, subject: bool, as_of: datetime) -> str:
    asset = section.asset
    asset_id = str(asset["id"])
    publisher = section.graph.targets(asset_id, "PUBLISHED_BY")
    marks = [Mark(asset_id, "subject" if subject else "matched")] + [Mark(p, "publisher") for p in publisher]
    pairs = [
        (name, _text(asset.get(key)))
        for name, key in (
            ("Published at", "publishedAt"),
            ("Media type", "mediaType"),
            ("Channel", "channel"),
            ("Territories", "territories"),
            ("Content tags", "contentTags"),
            ("Visible AI label", "aiLabel"),
            ("Machine-readable mark", "machineReadableMark"),
        )
    ]
    pairs.insert(0, ("Publisher", ", ".join(_code(p) for p in publisher) or "—"))
    pairs.insert(2, ("Withdrawn at", _dated(asset.get("withdrawnAt"), as_of)))
    twin_verdicts = "".join(
        f"<p>Twin {_code(twin)}:</p>{_verdicts(held, 'No verdict.')}"
        for twin, held in section.twin_verdicts.items()
    )
    consents = "".join(_consent(review, as_of) for review in section.consents) or (
        '<p class="note">No consent that the reader may see names this asset\'s twins.</p>'
    )
    return (
        f'<section id="asset-{escape(asset_id)}"><h2>Asset {_code(asset_id)}</h2>{_facts(pairs)}'
        f'<h3>Provenance graph</h3><figure class="graph">{provenance_svg(section.graph, marks)}</figure>'
        f"{_faces(asset, section.faces)}<h3>Verdicts on the asset</h3>"
        f"{_verdicts(section.verdicts, _NO_ASSET_VERDICT, asset, section.faces)}"
        + (f"<h3>Verdicts on its twins</h3>{twin_verdicts}" if twin_verdicts else "")
        + f"<h3>Consents and their clauses</h3>{consents}"
        f"<h3>Hashes and Content Credentials</h3>{_hashes(section)}</section>"
    )


_NO_SIGHTING_VERDICT = "No verdict holds on the sighting itself."


def _sighting(section: SightingSection) -> str:
    sighting = section.sighting
    pairs = [
        ("URL", _text(sighting.get("url"))),
        ("Platform", _code(section.platform["id"]) if section.platform else "—"),
        ("Observed at", _text(sighting.get("observedAt"))),
        ("SHA-256", _hash(sighting.get("sha256"))),
        ("Perceptual hash", _hash(sighting.get("phash"))),
    ]
    credentials = _manifests(section.manifests, str(sighting["id"])) or (
        '<p class="note">No Content Credentials manifest is recorded for this sighting.</p>'
    )
    credentials += "".join(_lost(lost) for lost in section.lost)
    return (
        f'<section id="sighting"><h2>Sighting {_code(sighting["id"])}</h2>{_facts(pairs)}'
        f"{_faces(sighting, section.faces)}"
        f"<h3>Verdicts on the sighting</h3>"
        f"{_verdicts(section.verdicts, _NO_SIGHTING_VERDICT, sighting, section.faces)}"
        f"<h3>Content Credentials</h3>{credentials}</section>"
    )


def _lost(lost: LostManifest) -> str:
    """The sentence saying a sighting's copy lost the manifest of an asset it matches."""
    signer = " of ".join(_code(name) for name in (lost.signer, lost.signer_organization) if name) or (
        "a signer the manifest does not name"
    )
    trusted = "a trusted signer" if lost.trusted else "a signer outside the configured trust anchors"
    return (
        f'<p class="stripped"><span class="failed">Credentials stripped</span>: the matched asset '
        f'<a href="#asset-{escape(lost.asset_id)}">{_code(lost.asset_id)}</a> carried Content Credentials '
        f"signed by {signer} ({trusted}); this copy carries none: removed downstream.</p>"
    )


def _record(log: FactLog) -> str:
    rows = []
    for entry in log.entries:
        facts = "<br>".join(
            f'{_code(fact.node_id)} {escape(fact.fact)} <span class="note">({escape(fact.link)})</span>'
            for fact in log.facts_of(int(entry["seq"]))
        )
        rows.append(
            [
                escape(str(entry["seq"])),
                _text(entry.get("at")),
                _text(entry.get("principal")),
                _code(entry.get("operation")),
                _text(entry.get("target")),
                facts,
                _hash(entry.get("variablesHash")),
                _hash(entry.get("prevHash") or "(first entry)"),
                _hash(entry.get("hash")),
            ]
        )
    missing = [fact for fact in log.facts if fact.entry is None]
    note = ""
    if missing:
        listed = ", ".join(f"{_code(fact.node_id)} {escape(fact.fact)}" for fact in missing)
        note = f'<p class="note">No log entry was found for: {listed}.</p>'
    return (
        _table(
            [
                "Seq",
                "At",
                "Principal",
                "Operation",
                "Target",
                "Facts it recorded",
                "variablesHash",
                "prevHash",
                "hash",
            ],
            rows,
        )
        + note
    )


def render_case(case: Case) -> str:
    """The case file's HTML."""
    title = f"Case file: {case.subject_kind} {case.subject_id} as of {case.as_of.isoformat()}"
    header = _facts(
        [
            ("Subject", f"{escape(case.subject_kind)} {_code(case.subject_id)}"),
            ("As of", _text(case.as_of)),
            ("Generated at", _text(case.generated_at)),
            ("Generated by", _text(case.generated_by)),
        ]
    )
    sections = [_sighting(case.sighting)] if case.sighting is not None else []
    sections += [_asset(section, case.subject_kind == "asset", case.as_of) for section in case.assets]
    if case.sighting is not None and not case.assets:
        sections.append('<p class="note">The sighting matches no registered asset the reader may see.</p>')
    nav = "".join(
        f'<a href="#asset-{escape(str(section.asset["id"]))}">Asset {escape(str(section.asset["id"]))}</a>'
        for section in case.assets
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Case file: {escape(case.subject_kind)} {_code(case.subject_id)}</h1>{header}"
        '<p class="note">Everything below is the record as it stood at the as-of instant, as the reader '
        "was allowed to see it. Generating this file appended an entry holding its SHA-256 to the "
        "tamper-evident log: check a copy with <code>likeness case verify FILE</code>.</p>"
        f'<nav>{nav}<a href="#record">The record</a></nav></header>'
        + "".join(sections)
        + '<section id="record"><h2>The record: log entries behind these facts</h2>'
        '<p class="note">Each entry hashes the one before it (prevHash → hash); a change to any entry breaks '
        "the chain from there on.</p>" + _record(case.log) + "</section></body></html>\n"
    )
