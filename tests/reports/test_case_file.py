"""Case files: what one shows (verdicts with their anchors, consents clause by clause, hashes, Content
Credentials, the log entries behind each fact), that making one is logged with its sha256, and that
`likeness case verify` tells a copy from a tampered one; and GET /cases/{id}.html, authorized like the API."""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from likeness.access import keys, log
from likeness.access.principals import OPERATOR, Principal
from likeness.cli import app as cli
from likeness.demo import DEMO_WORLD
from likeness.execution.context import context_for
from likeness.reports.case import gather_case
from likeness.reports.filing import generate_case
from likeness.resolvers import provenance
from likeness.rules.codes import CODES
from tests.conftest import ADMIN_TOKEN
from tests.factories import asset, send
from tests.reports.conftest import KNOCKOFF, WITH_DOCUMENT

AS_OF = datetime.fromisoformat("2026-12-01T00:00:00+00:00")
CASE_ENTRIES = "MATCH (e:LogEntry {operation: 'case'}) RETURN properties(e) AS e ORDER BY e.seq"


async def _case_entries(graph: Any) -> list[dict[str, Any]]:
    return [row["e"] for row in await graph.query(CASE_ENTRIES)]


async def _verdict_codes(graph: Any, asset_id: str) -> set[str]:
    found = await provenance.provenance(context_for(graph=graph, principal=OPERATOR), asset_id, None, AS_OF)
    assert found is not None
    return {verdict.code for verdict in found.verdicts}


async def _html(graph: Any, subject: str) -> str:
    made = await generate_case(context_for(graph=graph, principal=OPERATOR), subject, AS_OF)
    assert made is not None
    return made.html


async def test_the_knockoffs_case_shows_every_verdict_with_its_explanation_and_anchor(demo: Any) -> None:
    html = await _html(demo, KNOCKOFF)
    codes = await _verdict_codes(demo, KNOCKOFF)
    assert codes == {"NO_CONSENT", "TAINTED_TWIN"}
    for code in codes:
        assert f'id="verdict-{KNOCKOFF}-{code}"' in html
        assert escape(CODES[code].anchor) in html
    # the tainted twin's own build violation, with its anchor
    assert 'id="verdict-twin-liv-deepfold-UNCONSENTED_BUILD"' in html
    assert escape(CODES["UNCONSENTED_BUILD"].anchor) in html
    assert "2026-12-01T00:00:00+00:00" in html  # the as-of instant
    assert "f3e9eeb76b577848cbe86d808af2622af8a912ac5be88605f08113e188fb52c4" in html  # the asset's sha256
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/", "")
    assert "<svg" in html and 'class="node asset subject"' in html


async def test_consents_show_each_clause_passed_or_failed(demo: Any) -> None:
    html = await _html(demo, WITH_DOCUMENT)
    block = re.search(r'<div class="consent" id="consent-consent-liv-use-2025">(.*?)</div>', html, re.DOTALL)
    assert block is not None
    text = block.group(1)
    # the document's sha256 is shown with the consent
    assert "1032806762fc7d00fc17f9f690bc3450c0aba00e91914ece0bb846a986d95511" in text
    rows = dict(re.findall(r"<tr><td><code>(\w+)</code></td><td><span class=\"(passed|failed)\"", text))
    assert set(rows) >= {"purpose", "person", "twin", "grantee", "signatory", "territory", "window"}
    assert set(rows.values()) <= {"passed", "failed"}


async def test_a_failed_clause_is_marked_failed(demo: Any) -> None:
    # an asset whose verdict names a failed clause shows that clause failed on the consent it names
    context = context_for(graph=demo, principal=OPERATOR)
    found = await provenance.provenance(context, "asset-ss26-liv-tokyo", None, AS_OF)
    assert found is not None
    failing = [v for v in found.verdicts if v.failed_clauses and v.consent_ids]
    assert failing, [v.code for v in found.verdicts]
    verdict = failing[0]
    html = await _html(demo, "asset-ss26-liv-tokyo")
    consent = verdict.consent_ids[0]
    block = re.search(rf'<div class="consent" id="consent-{consent}">(.*?)</div>', html, re.DOTALL)
    assert block is not None
    rows = dict(
        re.findall(r"<tr><td><code>(\w+)</code></td><td><span class=\"(passed|failed)\"", block.group(1))
    )
    for clause in verdict.failed_clauses:
        assert rows[clause] == "failed"
    assert "passed" in rows.values()


async def test_each_fact_is_tied_to_the_log_entry_that_recorded_it(api: Any, demo: Any) -> None:
    await send(
        api,
        "publishAsset",
        asset("asset-late", 4242, publisherId="brand-maren", twinIds=["twin-liv-deepfold"]),
    )
    html = await _html(demo, "asset-late")
    rows = await demo.query("MATCH (e:LogEntry) RETURN properties(e) AS e ORDER BY e.seq")
    entries = {(row["e"]["operation"], row["e"]["target"]): row["e"] for row in rows}
    published = entries["publishAsset", "asset-late"]
    [imported] = [entry for (operation, _), entry in entries.items() if operation == "import"]
    # the asset, published on its own, is tied by id; the demo's facts by their import batch
    assert published["hash"] in html and imported["hash"] in html
    # the case file's own entry is not among them (it was appended after the file was made)
    assert entries["case", "asset-late"]["hash"] not in html
    assert "by id: its variablesHash is the SHA-256 of the input kept on the node" in html
    # the demo's build of twin-liv-deepfold: its ordinal is its line number (no demo line is blank)
    lines = Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines()
    [ordinal] = [
        number
        for number, line in enumerate(lines, start=1)
        if '"op": "buildTwin"' in line and '"id": "twin-liv-deepfold"' in line
    ]
    assert f"by import batch: its ordinal {ordinal} lies in the line range logged" in html
    assert published["prevHash"] in html


async def test_content_credentials_are_shown_when_a_manifest_is_there(demo: Any) -> None:
    assert "Content Credentials manifest 1" not in await _html(demo, KNOCKOFF)
    async with demo.driver.session(database=demo.database) as session:
        await (
            await session.run(
                """MATCH (a:Asset {id: $asset}), (c:Capture {id: 'capture-liv-photo-01'})
           CREATE (a)-[:HAS_MANIFEST]->(m:Manifest {validationState: 'Invalid', signer: 'Deepfold Labs',
             claimGenerator: 'deepfold-render/2.1', digitalSourceTypes: ['trainedAlgorithmicMedia'],
             declaresAiGeneration: true, signedAt: datetime('2025-06-11T09:00:00Z'),
             failures: ['assertion.dataHash.mismatch']})
           CREATE (m)-[:INGREDIENT {sha256: c.sha256}]->(c)""",
                asset=KNOCKOFF,
            )
        ).consume()
    html = await _html(demo, KNOCKOFF)
    assert "Content Credentials manifest 1 of asset-maren-liv-knockoff" in html
    for shown in (
        "validationState",
        "Invalid",
        "deepfold-render/2.1",
        "trainedAlgorithmicMedia",
        "assertion.dataHash.mismatch",
        "2025-06-11T09:00:00+00:00",
    ):
        assert shown in html
    assert "<code>capture-liv-photo-01</code></td><td>Entity, Capture" in html


async def test_a_sightings_case_shows_the_sighting_and_the_asset_it_matches(demo: Any) -> None:
    html = await _html(demo, "sighting-knockoff-blog")
    assert "https://modefynd.example/2025/07/maren-drop" in html
    assert "2025-07-03T19:20:00+00:00" in html
    assert f'<section id="asset-{KNOCKOFF}">' in html
    assert 'class="node asset matched"' in html
    for code in await _verdict_codes(demo, KNOCKOFF):
        assert f'id="verdict-{KNOCKOFF}-{code}"' in html
    assert "No verdict holds on the sighting itself." in html


async def test_an_unregistered_sightings_case_shows_its_own_verdicts_as_of_its_instant(demo: Any) -> None:
    sighting = "sighting-pictagram-ines"
    context = context_for(graph=demo, principal=OPERATOR)
    overdue = await generate_case(context, sighting, datetime.fromisoformat("2026-04-10T00:00:00+00:00"))
    assert overdue is not None
    for code in ("UNREGISTERED_USE", "NOTICE_UNANSWERED"):
        assert f'id="verdict-{sighting}-{code}"' in overdue.html
    assert "No verdict holds on the sighting itself." not in overdue.html
    # the platform removed the copy on 2026-04-20: the notice no longer goes unanswered after that
    removed = await generate_case(context, sighting, datetime.fromisoformat("2026-05-01T00:00:00+00:00"))
    assert removed is not None
    assert f'id="verdict-{sighting}-UNREGISTERED_USE"' in removed.html
    assert f'id="verdict-{sighting}-NOTICE_UNANSWERED"' not in removed.html


async def _cli(cli_env: CliRunner, *args: str) -> Any:
    """Run `likeness …` as a user would, in a thread (the command runs its own event loop)."""
    return await asyncio.to_thread(cli_env.invoke, cli, list(args))


async def _make(cli_env: CliRunner, subject: str, out: Path) -> Any:
    return await _cli(cli_env, "case", subject, "--as-of", AS_OF.isoformat(), "--out", str(out))


async def test_the_cli_makes_a_case_file_and_verifies_an_untampered_copy(
    cli_env: CliRunner, demo: Any, tmp_path: Path
) -> None:
    before = await _case_entries(demo)
    out = tmp_path / "case.html"
    made = await _make(cli_env, KNOCKOFF, out)
    assert made.exit_code == 0, made.output
    after = await _case_entries(demo)
    assert len(after) == len(before) + 1
    entry = after[-1]
    assert entry["documentHash"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert (entry["target"], entry["principal"]) == (KNOCKOFF, "ADMIN cli")
    assert await log.first_broken_seq(demo) is None

    copy = tmp_path / "handed-over.html"
    copy.write_bytes(out.read_bytes())
    verified = await _cli(cli_env, "case", "verify", str(copy))
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith("VERIFIED") and f"entry {entry['seq']}" in verified.output
    # verifying logs nothing
    assert len(await _case_entries(demo)) == len(after)


async def test_case_verify_refuses_a_tampered_copy_and_a_tampered_log(
    cli_env: CliRunner, demo: Any, tmp_path: Path
) -> None:
    out = tmp_path / "case.html"
    assert (await _make(cli_env, KNOCKOFF, out)).exit_code == 0
    tampered = tmp_path / "tampered.html"
    tampered.write_bytes(out.read_bytes().replace(b"NO_CONSENT", b"NO_CONSENX", 1))
    refused = await _cli(cli_env, "case", "verify", str(tampered))
    assert refused.exit_code == 1
    assert "NOT VERIFIED" in refused.output and "was ever logged" in refused.output

    entry = (await _case_entries(demo))[-1]
    async with demo.driver.session(database=demo.database) as session:
        await (
            await session.run(
                "MATCH (e:LogEntry {seq: $seq}) SET e.principal = 'BRAND:someone-else'", seq=entry["seq"]
            )
        ).consume()
    broken = await _cli(cli_env, "case", "verify", str(out))
    assert broken.exit_code == 1
    assert "NOT VERIFIED" in broken.output and f"broken at entry {entry['seq']}" in broken.output


async def test_the_cli_says_what_is_missing(cli_env: CliRunner, demo: Any, tmp_path: Path) -> None:
    unknown = await _make(cli_env, "asset-nowhere", tmp_path / "x.html")
    assert unknown.exit_code == 1 and "no asset or sighting 'asset-nowhere'" in unknown.output
    assert not (tmp_path / "x.html").exists()
    early = await _cli(
        cli_env, "case", KNOCKOFF, "--as-of", "2025-01-01T00:00:00Z", "--out", str(tmp_path / "y")
    )
    assert early.exit_code == 1 and "as of 2025-01-01T00:00:00+00:00" in early.output
    missing = await _cli(cli_env, "case", "verify", str(tmp_path / "none.html"))
    assert missing.exit_code == 1 and "no such file" in missing.output


async def test_the_cli_prints_prov(cli_env: CliRunner, demo: Any, tmp_path: Path) -> None:
    printed = await _cli(cli_env, "prov", KNOCKOFF, "--format", "provn")
    assert printed.exit_code == 0, printed.output
    assert printed.output.startswith("document") and "lk:asset-maren-liv-knockoff" in printed.output
    out = tmp_path / "prov.ttl"
    written = await _cli(cli_env, "prov", KNOCKOFF, "--format", "turtle", "--out", str(out))
    assert written.exit_code == 0, written.output
    assert "lk:asset-maren-liv-knockoff a prov:Entity" in out.read_text(encoding="utf-8")
    bad = await _cli(cli_env, "prov", KNOCKOFF, "--format", "xml")
    assert bad.exit_code == 1 and "expected one of json, provn, turtle" in bad.output


async def test_the_http_route_serves_the_case_file_to_whoever_may_see_it(api: Any, demo: Any) -> None:
    maren = (await keys.create(demo, role="BRAND", party_id="brand-maren")).secret
    nordhem = (await keys.create(demo, role="BRAND", party_id="brand-nordhem")).secret
    before = len(await _case_entries(demo))
    url = f"/cases/{KNOCKOFF}.html"

    answer = await api.client.get(
        url, params={"asOf": AS_OF.isoformat()}, headers={"Authorization": f"Bearer {maren}"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    policy = answer.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert "unsafe-inline" not in policy and "script-src" not in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    entries = await _case_entries(demo)
    assert len(entries) == before + 1
    assert entries[-1]["documentHash"] == hashlib.sha256(answer.content).hexdigest()
    assert entries[-1]["principal"].startswith("BRAND:brand-maren key:")

    hidden = await api.client.get(url, headers={"Authorization": f"Bearer {nordhem}"})
    nowhere = await api.client.get(
        "/cases/asset-nowhere.html", headers={"Authorization": f"Bearer {nordhem}"}
    )
    assert hidden.status_code == nowhere.status_code == 404
    # hidden exactly as a missing asset is: the same answer but for the id
    assert hidden.json()["errors"][0]["extensions"] == nowhere.json()["errors"][0]["extensions"]
    assert (await api.client.get(url)).status_code == 401
    assert (await api.client.get(url, headers={"Authorization": "Bearer nope"})).status_code == 401
    bad = await api.client.get(
        url, params={"asOf": "yesterday"}, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["extensions"]["field"] == "asOf"
    # refusals log nothing
    assert len(await _case_entries(demo)) == before + 1
    # a brand sees no sighting of an asset it may not see
    sighting = await api.client.get(
        "/cases/sighting-knockoff-blog.html", headers={"Authorization": f"Bearer {nordhem}"}
    )
    assert sighting.status_code == 404


async def test_a_brands_case_file_holds_only_what_the_brand_may_see(demo: Any) -> None:
    maren = Principal(role="BRAND", party_id="brand-maren", credential="test")
    context = context_for(graph=demo, principal=maren)
    assets = [node["id"] for node in await context.related("organization.assets").load("brand-maren")]
    assert assets
    narrower = 0
    for asset_id in assets:
        own = await gather_case(context_for(graph=demo, principal=maren), asset_id, AS_OF, AS_OF)
        full = await gather_case(context_for(graph=demo, principal=OPERATOR), asset_id, AS_OF, AS_OF)
        assert own is not None and full is not None
        shown = set(own.assets[0].graph.nodes) | {fact.node_id for fact in own.log.facts}
        shown |= {review.consent["id"] for review in own.assets[0].consents}
        # everything shown is something the brand's own queries answer
        assert await context_for(graph=demo, principal=maren).visible_ids(sorted(shown)) == shown
        assert shown <= set(full.assets[0].graph.nodes) | {fact.node_id for fact in full.log.facts}
        narrower += shown != set(full.assets[0].graph.nodes) | {fact.node_id for fact in full.log.facts}
    # and the filter is not idle: some of Maren's cases hold less than the operator's
    assert narrower > 0
