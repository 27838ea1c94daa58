"""W3C PROV: `provenance { prov(format) }` in each serialization, read back with the `prov` package
itself and compared with the document built; PROV-N, which `prov` cannot read, is compared with prov's
own serialization of the document read back from PROV-JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from prov.model import ProvDocument

from likeness.access.principals import OPERATOR
from likeness.execution.context import context_for
from likeness.reports.chain import asset_chain
from likeness.reports.prov import asset_prov, read_turtle
from likeness.resolvers.provenance import provenance
from tests.reports.conftest import KNOCKOFF, WITH_DOCUMENT

PROV = """query Prov($id: ID!, $format: ProvFormat!) {
  provenance(assetId: $id, asOf: "2026-12-01T00:00:00Z") { prov(format: $format) }
}"""
AS_OF = "2026-12-01T00:00:00+00:00"


async def _built(graph: Any, asset_id: str) -> ProvDocument:
    """The document the builder makes from the admin's provenance answer (what the API serializes)."""
    context = context_for(graph=graph, principal=OPERATOR)
    found = await provenance(context, asset_id, None, datetime.fromisoformat(AS_OF))
    assert found is not None
    chain = await asset_chain(context, found)
    return asset_prov(chain, asset_id)


async def _prov(api: Any, asset_id: str, form: str) -> str:
    data = await api(PROV, {"id": asset_id, "format": form})
    return str(data["provenance"]["prov"])


@pytest.mark.parametrize("asset_id", [KNOCKOFF, WITH_DOCUMENT])
async def test_prov_json_and_turtle_read_back_as_the_document_built(
    api: Any, demo: Any, asset_id: str
) -> None:
    built = await _built(demo, asset_id)
    from_json = ProvDocument.deserialize(content=await _prov(api, asset_id, "PROV_JSON"), format="json")
    from_turtle = read_turtle(await _prov(api, asset_id, "PROV_O_TURTLE"))
    assert from_json == built
    assert from_turtle == built
    # and the document is not empty: it holds the chain
    assert len(built.get_records()) > 10


@pytest.mark.parametrize("asset_id", [KNOCKOFF, WITH_DOCUMENT])
async def test_prov_n_is_what_prov_writes_for_the_document_read_back(
    api: Any, demo: Any, asset_id: str
) -> None:
    provn = await _prov(api, asset_id, "PROV_N")
    read_back = ProvDocument.deserialize(content=await _prov(api, asset_id, "PROV_JSON"), format="json")
    # statement order carries no meaning in PROV (ProvDocument's own equality compares record sets), and
    # PROV-JSON groups records by kind: the same statements, each once
    assert sorted(provn.splitlines()) == sorted(read_back.get_provn().splitlines())
    assert len(provn.splitlines()) > 10
    assert provn.startswith("document") and provn.rstrip().endswith("endDocument")


async def test_the_knockoff_names_its_chain_in_prov_terms(api: Any, demo: Any) -> None:
    document = json.loads(await _prov(api, KNOCKOFF, "PROV_JSON"))
    assert "lk:asset-maren-liv-knockoff" in document["entity"]
    assert "lk:twin-liv-deepfold" in document["entity"]
    assert document["agent"]["lk:person-liv-aberg"]["prov:type"]["$"] == "prov:Person"
    assert "lkact:publication.asset-maren-liv-knockoff" in document["activity"]
    assert "lkact:build.twin-liv-deepfold" in document["activity"]
    generated = {(r["prov:entity"], r["prov:activity"]) for r in document["wasGeneratedBy"].values()}
    assert ("lk:asset-maren-liv-knockoff", "lkact:publication.asset-maren-liv-knockoff") in generated
    derived = {(r["prov:generatedEntity"], r["prov:usedEntity"]) for r in document["wasDerivedFrom"].values()}
    assert ("lk:asset-maren-liv-knockoff", "lk:twin-liv-deepfold") in derived
    attributed = {(r["prov:entity"], r["prov:agent"]) for r in document["wasAttributedTo"].values()}
    assert ("lk:asset-maren-liv-knockoff", "lk:brand-maren") in attributed
    assert ("lk:twin-liv-deepfold", "lk:vendor-deepfold") in attributed
    # Deepfold built the twin Maren commissioned
    delegations = {(r["prov:delegate"], r["prov:responsible"]) for r in document["actedOnBehalfOf"].values()}
    assert ("lk:vendor-deepfold", "lk:brand-maren") in delegations


async def test_consent_documents_carry_their_sha256_and_their_grantor(api: Any, demo: Any) -> None:
    document = json.loads(await _prov(api, WITH_DOCUMENT, "PROV_JSON"))
    consents = {
        key: value
        for key, value in document["entity"].items()
        if value["prov:type"]["$"] == "likeness:ConsentDocument"
    }
    assert consents, document["entity"].keys()
    shas = {value.get("likeness:documentSha256") for value in consents.values()}
    assert "1032806762fc7d00fc17f9f690bc3450c0aba00e91914ece0bb846a986d95511" in shas
    attributed = {(r["prov:entity"], r["prov:agent"]) for r in document["wasAttributedTo"].values()}
    assert ("lk:consent-liv-use-2025", "lk:person-liv-aberg") in attributed
    used = {(r["prov:activity"], r["prov:entity"]) for r in document["used"].values()}
    assert ("lkact:publication.asset-aw25-liv-shop", "lk:twin-liv-v1") in used


async def test_a_brand_gets_prov_only_for_what_it_may_see(api: Any, demo: Any) -> None:
    from likeness.access import keys

    other = (await keys.create(demo, role="BRAND", party_id="brand-nordhem")).secret
    data = await api(PROV, {"id": KNOCKOFF, "format": "PROV_JSON"}, token=other)
    assert data["provenance"] is None
    own = (await keys.create(demo, role="BRAND", party_id="brand-maren")).secret
    document = json.loads(
        (await api(PROV, {"id": KNOCKOFF, "format": "PROV_JSON"}, token=own))["provenance"]["prov"]
    )
    assert "lk:asset-maren-liv-knockoff" in document["entity"]
