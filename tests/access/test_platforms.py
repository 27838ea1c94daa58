"""Platforms as users: a platform reads exactly the notices addressed to it and the sightings on it (or that
those notices are about), nothing of another platform's, and records its own answers to its own notices."""

from __future__ import annotations

from typing import Any

from likeness.access import keys
from likeness.errors import InvalidInput
from tests.access import world
from tests.factories import mutation

P = ("PLATFORM", "platform-p")
Q = ("PLATFORM", "platform-q")

# every node a platform could reach from its notices and sightings, each relationship field asked
SIGHTING = """id url platform { id } assets(first: 10) { totalCount nodes { id } }
    captures(first: 10) { totalCount nodes { id } } notices(first: 10) { totalCount nodes { id } }
    faceMatches { person { id } } verdicts(asOf: "2026-01-01T00:00:00Z") { code subjectId }"""
NOTICE = (
    """id platform { id } sentBy { __typename ... on Organization { id } ... on Person { id } }
    responses { outcome } sighting { """
    + SIGHTING
    + " }"
)

EVERYTHING = (
    """{
  notices(asOf: "2026-01-01T00:00:00Z") { totalCount edges { status node { """
    + NOTICE
    + """ } } }
  s1: sighting(id: "s-1") { """
    + SIGHTING
    + """ }
  s2: sighting(id: "s-2") { id }
  s3: sighting(id: "s-3") { """
    + SIGHTING
    + """ }
  sq: sighting(id: "s-q") { """
    + SIGHTING
    + """ }
  n1: takedownNotice(id: "n-1") { id }
  n2: takedownNotice(id: "n-2") { id }
  nq: takedownNotice(id: "n-q") { id }
  asset(id: "asset-a1") { id }
  person(id: "person-ada") { id }
  consent(id: "k-ada-a") { id }
  twin(id: "twin-ada") { id }
  capture(id: "cap-bea-p") { id }
  campaign(id: "camp-a") { id }
  payment(id: "pay-a") { id }
  organization(id: "brand-a") { id name assets(first: 10) { totalCount } campaigns(first: 10) { totalCount } }
  usage: likenessUsage(personId: "person-ada", first: 100) { totalCount }
  audit(asOf: "2026-01-01T00:00:00Z", first: 100) { totalCount edges { node { code subjectId } } }
  compensation(personId: "person-ada") { consent { id } }
  similarAssets(phash: "f0f0f0f0f0f0f0f0", maxDistance: 8) { asset { id } }
  provenance(assetId: "asset-a1") { asset { id } }
  liability(assetId: "asset-a1") { partyId }
  verdictHistory(assetId: "asset-a1") { code }
  trace(phash: "f0f0f0f0f0f0f0f0", maxDistance: 16) {
    matches { kind } bestMatch { kind } provenance { asset { id } }
  }
  viewer { role partyId }
}"""
)


def _answer(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


async def test_a_platform_reads_exactly_its_notices_and_the_sightings_on_it(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    data = _answer(await api.post(EVERYTHING, token=tenants[P]))
    assert data["viewer"] == {"role": "PLATFORM", "partyId": "platform-p"}
    # its two notices, with their answers and the sightings they are about; n-q, to Platform Q, is not there
    notices = {edge["node"]["id"]: edge for edge in data["notices"]["edges"]}
    assert sorted(notices) == ["n-1", "n-2"] and data["notices"]["totalCount"] == 2
    assert notices["n-1"]["status"] == "REMOVED" and notices["n-1"]["node"]["responses"] == [
        {"outcome": "REMOVED"}
    ]
    assert notices["n-2"]["status"] == "OVERDUE" and notices["n-2"]["node"]["responses"] == []
    # the notifier: an organization is the public directory, a person (Ada) is not the platform's to see
    assert notices["n-1"]["node"]["sentBy"] == {"__typename": "Organization", "id": "agency-b"}
    assert notices["n-2"]["node"]["sentBy"] is None
    # the sightings on it, but not what they match, resemble or show; and only its own notices about them
    for key in ("s1", "s3"):
        sighting = data[key]
        assert sighting["platform"] == {"id": "platform-p"}
        assert sighting["assets"] == {"totalCount": 0, "nodes": []}
        assert sighting["captures"] == {"totalCount": 0, "nodes": []}
        assert sighting["faceMatches"] == []
        assert {verdict["subjectId"] for verdict in sighting["verdicts"]} <= {sighting["id"]}
    assert [v["code"] for v in data["s1"]["verdicts"]] == ["NOTICE_UNANSWERED"]
    assert data["s1"]["notices"]["nodes"] == [{"id": "n-2"}]
    # nothing of Platform Q's, nor of a sighting not on it
    assert data["s2"] is None and data["sq"] is None and data["nq"] is None
    assert data["n1"] == {"id": "n-1"} and data["n2"] == {"id": "n-2"}
    # nothing else of the graph: the directory's organization, without its assets or campaigns
    for key in ("asset", "person", "consent", "twin", "capture", "campaign", "payment", "provenance"):
        assert data[key] is None, key
    assert data["organization"] == {
        "id": "brand-a",
        "name": "Brand A",
        "assets": {"totalCount": 0},
        "campaigns": {"totalCount": 0},
    }
    assert data["usage"] == {"totalCount": 0}
    assert data["compensation"] == [] and data["similarAssets"] == [] and data["liability"] == []
    assert data["verdictHistory"] == []
    assert data["trace"] == {"matches": [], "bestMatch": None, "provenance": None}
    # the audit: the verdicts on its own sightings only
    assert data["audit"]["edges"], "the NOTICE_UNANSWERED on s-1 is the platform's to see"
    assert {edge["node"]["subjectId"] for edge in data["audit"]["edges"]} <= {"s-1", "s-3"}
    assert data["audit"]["totalCount"] == len(data["audit"]["edges"])


async def test_another_platform_sees_none_of_the_first_ones(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    data = _answer(await api.post(EVERYTHING, token=tenants[Q]))
    assert [edge["node"]["id"] for edge in data["notices"]["edges"]] == ["n-q"]
    assert data["notices"]["edges"][0]["node"]["sentBy"] == {"__typename": "Organization", "id": "studio-s"}
    assert data["sq"]["platform"] == {"id": "platform-q"}
    assert data["sq"]["notices"]["nodes"] == [{"id": "n-q"}]
    for key in ("s1", "s2", "s3", "n1", "n2"):
        assert data[key] is None, key
    assert {edge["node"]["subjectId"] for edge in data["audit"]["edges"]} <= {"s-q"}


async def test_a_notice_about_a_sighting_on_no_platform_shows_it_to_the_platform_it_went_to_only(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    """s-2 was seen on no platform (a notice about a sighting seen on one goes to that one); the studio
    sends Platform Q a notice about it: Q now sees s-2, but not the asset it matches; P sees neither."""
    notice = {
        "id": "n-4",
        "sightingId": "s-2",
        "platformId": "platform-q",
        "sentById": "studio-s",
        "sentAt": "2025-05-01T00:00:00Z",
    }
    await api(mutation("sendTakedownNotice"), {"input": notice})
    query = """{
      sighting(id: "s-2") { id assets(first: 10) { totalCount } notices(first: 10) { nodes { id } } }
      takedownNotice(id: "n-4") { id sighting { id } }
    }"""
    assert _answer(await api.post(query, token=tenants[Q])) == {
        "sighting": {"id": "s-2", "assets": {"totalCount": 0}, "notices": {"nodes": [{"id": "n-4"}]}},
        "takedownNotice": {"id": "n-4", "sighting": {"id": "s-2"}},
    }
    assert _answer(await api.post(query, token=tenants[P])) == {"sighting": None, "takedownNotice": None}
    # what the sighting matches is there for those who see it (Brand B's asset), not for the platform
    admin = _answer(await api.post(query))
    assert admin["sighting"]["assets"]["totalCount"] == 1


RESPONSE = """mutation($input: NoticeResponseInput!) {
  recordNoticeResponse(input: $input) {
    id status(asOf: "2026-01-01T00:00:00Z") responses { outcome note }
  }
}"""


async def test_a_platform_answers_its_own_notice_once_and_another_ones_never(
    api: Any, graph: Any, tenants: dict[tuple[str, str], str]
) -> None:
    answer = {
        "noticeId": "n-2",
        "respondedAt": "2025-04-03T00:00:00Z",
        "outcome": "REFUSED",
        "note": "a licence",
    }
    first = _answer(await api.post(RESPONSE, {"input": answer}, token=tenants[P]))["recordNoticeResponse"]
    assert first["id"] == "n-2" and first["responses"] == [{"outcome": "REFUSED", "note": "a licence"}]
    # the same answer again changes nothing
    again = _answer(await api.post(RESPONSE, {"input": answer}, token=tenants[P]))["recordNoticeResponse"]
    assert again == first
    answered = "MATCH (:TakedownNotice {id: 'n-2'})-[r:ANSWERED]->() RETURN count(r) AS n"
    assert (await graph.query(answered))[0]["n"] == 1
    # Platform Q may not answer P's notice, nor P Q's: FORBIDDEN naming noticeId, and nothing is written
    for tenant, notice_id in ((Q, "n-2"), (P, "n-q")):
        other = {"noticeId": notice_id, "respondedAt": "2025-04-04T00:00:00Z", "outcome": "REMOVED"}
        errors = await api.errors(RESPONSE, {"input": other}, token=tenants[tenant])
        assert errors[0]["extensions"] == {"code": "FORBIDDEN", "field": "noticeId"}, errors
        assert notice_id in errors[0]["message"]
    assert (await graph.query(answered))[0]["n"] == 1
    unanswered = "MATCH (:TakedownNotice {id: 'n-q'})-[r:ANSWERED]->() RETURN count(r) AS n"
    assert (await graph.query(unanswered))[0]["n"] == 0
    # an investigator still records any platform's answer
    by_investigator = {"noticeId": "n-q", "respondedAt": "2025-04-05T00:00:00Z", "outcome": "REMOVED"}
    found = _answer(await api.post(RESPONSE, {"input": by_investigator}, token=tenants[("INVESTIGATOR", "")]))
    assert found["recordNoticeResponse"]["responses"] == [{"outcome": "REMOVED", "note": None}]


async def test_a_platform_records_nothing_else(
    api: Any, graph: Any, tenants: dict[tuple[str, str], str]
) -> None:
    before = (await graph.query("MATCH (n) WHERE NOT n:ApiKey RETURN count(n) AS n"))[0]["n"]
    refused = [
        (
            "reportSighting",
            {
                "id": "s-x",
                "url": "https://p.example/x",
                "observedAt": "2025-06-01T00:00:00Z",
                "phash": world.P2,
                "platformId": "platform-p",
            },
        ),
        (
            "sendTakedownNotice",
            {
                "id": "n-x",
                "sightingId": "s-1",
                "platformId": "platform-p",
                "sentById": "platform-p",
                "sentAt": "2025-06-01T00:00:00Z",
            },
        ),
        ("createCampaign", {"id": "camp-x", "brandId": "platform-p", "name": "Ours"}),
        ("registerOrganization", {"id": "org-x", "name": "X", "kind": "PLATFORM"}),
        ("withdrawAsset", {"assetId": "asset-a1", "withdrawnAt": "2025-06-01T00:00:00Z"}),
    ]
    for op, data in refused:
        errors = await api.errors(mutation(op), {"input": data}, token=tenants[P])
        assert errors[0]["extensions"]["code"] == "FORBIDDEN", (op, errors)
        assert op in errors[0]["message"]
    assert (await graph.query("MATCH (n) WHERE NOT n:ApiKey RETURN count(n) AS n"))[0]["n"] == before


async def test_the_questions_about_an_organizations_own_uses_are_refused_to_a_platform(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    for query, field in (
        ('{ usageHistory(organizationId: "platform-p") { assets { consentIds } } }', "organizationId"),
        (
            """{ checkUsage(twinIds: ["twin-ada"], publisherId: "platform-p", mediaType: IMAGE,
                 channel: INSTAGRAM, territories: ["SE"]) { permitted } }""",
            "publisherId",
        ),
    ):
        errors = await api.errors(query, token=tenants[P])
        assert errors[0]["extensions"] == {"code": "FORBIDDEN", "field": field}, errors
        assert "PLATFORM" in errors[0]["message"]


async def test_a_platform_key_needs_a_platform(
    api: Any, graph: Any, tenants: dict[tuple[str, str], str]
) -> None:
    made = await keys.create(graph, role="platform", party_id="platform-q", label="Q trust & safety")
    assert (made.key.role, made.key.party_id) == ("PLATFORM", "platform-q")
    for party in ("brand-a", "person-ada", "platform-nowhere", None):
        try:
            await keys.create(graph, role="PLATFORM", party_id=party)
        except InvalidInput as refused:
            assert refused.field == "partyId"
        else:
            raise AssertionError(f"a PLATFORM key for {party!r} was made")


async def test_a_platforms_case_file_of_its_sighting_holds_no_asset(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    headers = {"Authorization": f"Bearer {tenants[P]}"}
    own = await api.client.get("/cases/s-1.html", params={"asOf": "2026-01-01T00:00:00Z"}, headers=headers)
    assert own.status_code == 200, own.text
    assert "s-1" in own.text and "NOTICE_UNANSWERED" in own.text
    # s-1 matches three assets of Brands A and B, rendering Ada's twin: none of it is in the platform's file
    # (the verdict's explanation names who sent the notice, by id: a reference, not a disclosure)
    for hidden in ("asset-a1", "asset-b1", "asset-b3", "twin-ada", "k-ada-a", "cap-ada", "camp-a"):
        assert hidden not in own.text, hidden
    for other in ("s-2", "s-q", "asset-a1"):
        answer = await api.client.get(f"/cases/{other}.html", headers=headers)
        assert answer.status_code == 404, other


ALERTS = "{ alerts(first: 500) { items { type subjectId } } }"


async def test_a_platform_hears_of_the_notices_sent_to_it_and_of_no_other(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    """NOTICE_SENT reaches the platform a notice goes to; two notices about one sighting on no platform, to
    P and to Q: each platform hears of its own only (though both see the sighting)."""
    base = {"sentById": "studio-s", "sentAt": "2025-05-01T00:00:00Z"}
    for notice_id, sighting, platform in (
        ("n-4", "s-2", "platform-q"),
        ("n-5", "s-2", "platform-p"),
        ("n-6", "s-1", "platform-p"),
    ):
        notice = {"id": notice_id, "sightingId": sighting, "platformId": platform, **base}
        await api(mutation("sendTakedownNotice"), {"input": notice})
    heard = {}
    for tenant in (P, Q):
        items = (await api(ALERTS, token=tenants[tenant]))["alerts"]["items"]
        heard[tenant] = {(item["type"], item["subjectId"]) for item in items}
        assert {item["subjectId"] for item in items} <= world.SEES[tenant] | {"s-2", "n-4", "n-5", "n-6"}
    assert {("NOTICE_SENT", "n-5"), ("NOTICE_SENT", "n-6")} <= heard[P]
    assert ("NOTICE_SENT", "n-4") in heard[Q]
    assert not {subject for _, subject in heard[P]} & {"n-4", "n-q", "s-q"}
    assert not {subject for _, subject in heard[Q]} & {"n-5", "n-6", "n-1", "n-2", "s-1", "s-3"}
