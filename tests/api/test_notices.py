"""Takedown notices and the sighting verdicts through the API: UNREGISTERED_USE and NOTICE_UNANSWERED at
their boundary instants, the notices query, idempotency and refusals."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import orjson

from likeness.access import keys
from likeness.ingest.bulk import export_to, import_lines
from tests.factories import asset, base_world, capture, org, person, send

CAPTURE_PHASH = "00ff00ff00ff00ff"
NEAR = "00ff00ff00ff00f0"  # 4 bits from the capture
FAR = "ff00ff00ff00ff00"
SIGHTED = "2026-01-10T12:00:00Z"
SENT = "2026-01-11T09:00:00Z"
DUE = "2026-01-14T09:00:00Z"  # SENT + 72 hours
MICRO = timedelta(microseconds=1)

NOTICE = """mutation($input: TakedownNoticeInput!) { sendTakedownNotice(input: $input) {
  id sentAt responseHours dueAt basis sighting { id } platform { id } sentBy { ... on Person { id } } } }"""
RESPONSE = """mutation($input: NoticeResponseInput!) { recordNoticeResponse(input: $input) {
  id responses { respondedAt outcome note } } }"""
VERDICTS = """query($id: ID!, $asOf: DateTime) { sighting(id: $id) {
  verdicts(asOf: $asOf) { code subjectId liable { partyId role } evidence explanation } } }"""
NOTICES = """query($platformId: ID, $personId: ID, $status: NoticeStatus, $asOf: DateTime, $first: Int!,
  $after: String) {
  notices(platformId: $platformId, personId: $personId, status: $status, asOf: $asOf, first: $first,
          after: $after) {
    totalCount countsByStatus { status count } pageInfo { hasNextPage endCursor }
    edges { status node { id status(asOf: $asOf) } } } }"""


def at(text: str, delta: timedelta = timedelta()) -> str:
    return (datetime.fromisoformat(text) + delta).isoformat()


def notice(nid: str = "notice-1", **extra: Any) -> dict[str, Any]:
    return {
        "id": nid,
        "sightingId": "sighting-1",
        "platformId": "platform-gram",
        "sentById": "person-ada",
        "sentAt": SENT,
        "basis": "NO FAKES Act notice: unauthorized digital replica",
        **extra,
    }


def sighting(sid: str = "sighting-1", phash: str = NEAR, **extra: Any) -> dict[str, Any]:
    return {
        "id": sid,
        "url": f"https://gram.example/p/{sid}",
        "observedAt": SIGHTED,
        "phash": phash,
        "platformId": "platform-gram",
        **extra,
    }


async def world(api: Any, *, captured_at: str = "2025-01-10T10:00:00Z") -> None:
    """The base world, a capture of Ada with a phash, and a sighting near it on platform-gram."""
    await base_world(api)
    await send(
        api,
        "recordCapture",
        {**capture("capture-ada-phash", n=7), "phash": CAPTURE_PHASH, "capturedAt": captured_at},
    )
    await send(api, "reportSighting", sighting())


async def verdicts(api: Any, as_of: str, sid: str = "sighting-1") -> list[dict[str, Any]]:
    return (await api(VERDICTS, {"id": sid, "asOf": as_of}))["sighting"]["verdicts"]


async def codes(api: Any, as_of: str, sid: str = "sighting-1") -> list[str]:
    return [verdict["code"] for verdict in await verdicts(api, as_of, sid)]


async def test_a_sighting_near_a_capture_and_no_asset_is_an_unregistered_use(api: Any) -> None:
    await world(api)
    assert await codes(api, at(SIGHTED, -MICRO)) == []
    (verdict,) = await verdicts(api, SIGHTED)
    assert verdict["code"] == "UNREGISTERED_USE"
    assert verdict["liable"] == []  # the publisher is unknown
    assert verdict["evidence"] == ["sighting-1", "RESEMBLES", "capture-ada-phash", "DEPICTS", "person-ada"]
    assert "person-ada" in verdict["explanation"] and "4 bits" in verdict["explanation"]
    found = await api('{ sighting(id: "sighting-1") { captures { nodes { id } } } }')
    assert found["sighting"]["captures"]["nodes"] == [{"id": "capture-ada-phash"}]


async def test_a_far_sighting_is_no_unregistered_use(api: Any) -> None:
    await world(api)
    await send(api, "reportSighting", sighting("sighting-far", FAR))
    assert await codes(api, "2026-06-01T00:00:00Z", "sighting-far") == []


async def test_an_asset_published_later_ends_the_unregistered_use_at_its_publication(api: Any) -> None:
    await world(api)
    published = "2026-02-01T00:00:00Z"
    await send(api, "publishAsset", asset("asset-late", phash=CAPTURE_PHASH, publishedAt=published))
    assert await codes(api, at(published, -MICRO)) == ["UNREGISTERED_USE"]
    # from then on the sighting shows a registered asset and inherits its verdicts (Ada's consent has
    # expired by then)
    found = await verdicts(api, published)
    assert [(v["code"], v["subjectId"]) for v in found] == [("EXPIRED", "asset-late")]
    found = await api('{ sighting(id: "sighting-1") { assets { nodes { id } } } }')
    assert found["sighting"]["assets"]["nodes"] == [{"id": "asset-late"}]


async def test_a_sighting_inherits_the_verdicts_of_the_asset_it_matches(api: Any) -> None:
    await world(api)
    await send(api, "publishAsset", asset("asset-unlabelled", phash=CAPTURE_PHASH, aiLabel=False))
    found = await verdicts(api, "2026-01-12T00:00:00Z")
    assert [(v["code"], v["subjectId"]) for v in found] == [("MISSING_AI_LABEL", "asset-unlabelled")]
    # as of an instant before the sighting was observed, it is not known yet
    assert await verdicts(api, at(SIGHTED, -MICRO)) == []


async def test_a_capture_recorded_after_the_sighting_starts_the_unregistered_use_at_its_instant(
    api: Any,
) -> None:
    captured = "2026-01-20T00:00:00Z"
    await world(api, captured_at=captured)
    assert await codes(api, at(captured, -MICRO)) == []
    assert await codes(api, captured) == ["UNREGISTERED_USE"]


async def test_notice_unanswered_holds_from_the_window_close_until_the_removal(api: Any) -> None:
    await world(api)
    sent = (await api(NOTICE, {"input": notice()}))["sendTakedownNotice"]
    assert sent["responseHours"] == 72 and sent["dueAt"] == "2026-01-14T09:00:00+00:00"
    assert sent["sighting"] == {"id": "sighting-1"} and sent["platform"] == {"id": "platform-gram"}
    assert sent["sentBy"] == {"id": "person-ada"}
    removed = "2026-02-01T10:00:00Z"
    await api(RESPONSE, {"input": {"noticeId": "notice-1", "respondedAt": removed, "outcome": "REMOVED"}})
    assert await codes(api, at(DUE, -MICRO)) == ["UNREGISTERED_USE"]
    due = await verdicts(api, DUE)
    assert [v["code"] for v in due] == ["NOTICE_UNANSWERED", "UNREGISTERED_USE"]
    unanswered, unregistered = due
    assert unanswered["liable"] == [{"partyId": "platform-gram", "role": "PRIMARY"}]
    assert unanswered["evidence"] == ["sighting-1", "ABOUT", "notice-1", "TO", "platform-gram"]
    # the platform is secondarily liable for the unregistered use from the unanswered instant on
    assert unregistered["liable"] == [{"partyId": "platform-gram", "role": "SECONDARY"}]
    before = await verdicts(api, at(DUE, -MICRO))
    assert before[0]["liable"] == []
    assert await codes(api, at(removed, -MICRO)) == ["NOTICE_UNANSWERED", "UNREGISTERED_USE"]
    after = await verdicts(api, removed)
    assert [v["code"] for v in after] == ["UNREGISTERED_USE"]
    assert after[0]["liable"] == [{"partyId": "platform-gram", "role": "SECONDARY"}]


async def test_a_removal_at_exactly_the_deadline_is_in_time(api: Any) -> None:
    await world(api)
    await api(NOTICE, {"input": notice()})
    await api(RESPONSE, {"input": {"noticeId": "notice-1", "respondedAt": DUE, "outcome": "REMOVED"}})
    for moment in (at(DUE, -MICRO), DUE, "2027-01-01T00:00:00Z"):
        found = await verdicts(api, moment)
        assert [v["code"] for v in found] == ["UNREGISTERED_USE"], moment
        assert found[0]["liable"] == [], moment


async def test_a_refusal_or_counter_notice_does_not_end_the_unanswered_notice(api: Any) -> None:
    await world(api)
    await api(NOTICE, {"input": notice(responseHours=24)})
    refused = "2026-01-11T12:00:00Z"
    await api(RESPONSE, {"input": {"noticeId": "notice-1", "respondedAt": refused, "outcome": "REFUSED"}})
    await api(
        RESPONSE,
        {
            "input": {
                "noticeId": "notice-1",
                "respondedAt": "2026-01-15T00:00:00Z",
                "outcome": "COUNTER_NOTICE",
            }
        },
    )
    due = at(SENT, timedelta(hours=24))
    assert await codes(api, at(due, -MICRO)) == ["UNREGISTERED_USE"]
    for moment in (due, "2026-01-15T00:00:00Z", "2030-01-01T00:00:00Z"):
        assert await codes(api, moment) == ["NOTICE_UNANSWERED", "UNREGISTERED_USE"], moment
    (unanswered, _) = await verdicts(api, "2030-01-01T00:00:00Z")
    assert "REFUSED" in unanswered["explanation"] and "COUNTER_NOTICE" in unanswered["explanation"]


async def test_a_notice_about_a_sighting_without_platform_goes_to_any_platform(api: Any) -> None:
    await world(api)
    await send(api, "registerOrganization", {"id": "platform-other", "name": "Other", "kind": "PLATFORM"})
    await send(api, "reportSighting", {**sighting("sighting-loose"), "platformId": None})
    data = notice("notice-loose", sightingId="sighting-loose", platformId="platform-other")
    await api(NOTICE, {"input": data})
    found = await verdicts(api, "2026-06-01T00:00:00Z", "sighting-loose")
    assert [(v["code"], v["liable"]) for v in found] == [
        ("NOTICE_UNANSWERED", [{"partyId": "platform-other", "role": "PRIMARY"}]),
        ("UNREGISTERED_USE", [{"partyId": "platform-other", "role": "SECONDARY"}]),
    ]


async def test_a_notice_to_another_platform_than_the_sightings_is_refused_with_nothing_written(
    api: Any, graph: Any
) -> None:
    await world(api)
    await send(api, "registerOrganization", {"id": "platform-other", "name": "Other", "kind": "PLATFORM"})
    (error,) = await api.errors(NOTICE, {"input": notice(platformId="platform-other")})
    assert error["extensions"]["code"] == "BAD_INPUT" and error["extensions"]["field"] == "platformId"
    assert "platform-gram" in error["message"]
    rows = await graph.query(
        "MATCH (n:TakedownNotice) RETURN count(n) AS n UNION ALL "
        "MATCH (e:LogEntry {operation: 'sendTakedownNotice'}) RETURN count(e) AS n"
    )
    assert [row["n"] for row in rows] == [0, 0]


async def test_bad_notice_inputs_are_refused_naming_the_field(api: Any) -> None:
    await world(api)
    for data, field in [
        (notice(responseHours=0), "responseHours"),
        (notice(responseHours=8761), "responseHours"),
        (notice(sentAt="2026-01-09T00:00:00Z"), "sentAt"),  # before the sighting was observed
        (notice(sightingId="capture-ada-phash"), "sightingId"),
        (notice(platformId="brand-nordhem"), "platformId"),
    ]:
        (error,) = await api.errors(NOTICE, {"input": data})
        assert error["extensions"]["field"] == field, (data, error)
    await api(NOTICE, {"input": notice()})
    (error,) = await api.errors(
        RESPONSE,
        {"input": {"noticeId": "notice-1", "respondedAt": "2026-01-10T00:00:00Z", "outcome": "REMOVED"}},
    )
    assert error["extensions"]["code"] == "BAD_INPUT" and error["extensions"]["field"] == "respondedAt"


async def test_notices_and_responses_are_idempotent_and_conflicts_name_the_fields(
    api: Any, graph: Any
) -> None:
    await world(api)
    first = await api(NOTICE, {"input": notice()})
    assert await api(NOTICE, {"input": notice()}) == first
    (error,) = await api.errors(NOTICE, {"input": notice(responseHours=48, basis="other")})
    assert error["extensions"]["code"] == "CONFLICT"
    assert "basis" in error["message"] and "responseHours" in error["message"]
    response = {"noticeId": "notice-1", "respondedAt": "2026-01-12T00:00:00Z", "outcome": "REFUSED"}
    once = await api(RESPONSE, {"input": response})
    assert await api(RESPONSE, {"input": response}) == once
    assert len(once["recordNoticeResponse"]["responses"]) == 1
    (error,) = await api.errors(RESPONSE, {"input": {**response, "outcome": "REMOVED"}})
    assert error["extensions"]["code"] == "CONFLICT" and "outcome" in error["message"]
    rows = await graph.query("MATCH ()-[r:ANSWERED]->() RETURN r.outcome AS outcome")
    assert rows == [{"outcome": "REFUSED"}]


async def test_the_notices_query_pages_filters_and_counts_by_status(api: Any) -> None:
    await world(api)
    await send(api, "registerPerson", {"id": "person-bo", "name": "Bo"})
    await send(
        api,
        "recordCapture",
        {
            **capture("capture-bo", persons=["person-bo"], n=8),
            "phash": FAR,
            "capturedAt": "2025-01-01T00:00:00Z",
        },
    )
    await send(api, "reportSighting", sighting("sighting-bo", FAR))
    await api(NOTICE, {"input": notice("notice-a")})  # left unanswered
    await api(NOTICE, {"input": notice("notice-b", sentAt="2026-01-12T00:00:00Z")})  # removed in time
    await api(NOTICE, {"input": notice("notice-c", sentAt="2026-01-13T00:00:00Z")})  # refused
    await api(NOTICE, {"input": notice("notice-d", sightingId="sighting-bo", sentAt="2026-01-20T00:00:00Z")})
    await api(
        RESPONSE,
        {"input": {"noticeId": "notice-b", "respondedAt": "2026-01-13T00:00:00Z", "outcome": "REMOVED"}},
    )
    await api(
        RESPONSE,
        {"input": {"noticeId": "notice-c", "respondedAt": "2026-01-14T00:00:00Z", "outcome": "REFUSED"}},
    )

    async def ask(**args: Any) -> Any:
        return (await api(NOTICES, {"first": 100, **args}))["notices"]

    found = await ask(asOf="2026-01-15T00:00:00Z")
    statuses = {edge["node"]["id"]: edge["status"] for edge in found["edges"]}
    assert statuses == {"notice-a": "OVERDUE", "notice-b": "REMOVED", "notice-c": "ANSWERED"}
    assert all(edge["node"]["status"] == edge["status"] for edge in found["edges"])
    assert found["countsByStatus"] == [
        {"status": "OPEN", "count": 0},
        {"status": "ANSWERED", "count": 1},
        {"status": "REMOVED", "count": 1},
        {"status": "OVERDUE", "count": 1},
    ]
    later = await ask(asOf="2026-02-01T00:00:00Z")
    assert {edge["node"]["id"]: edge["status"] for edge in later["edges"]} == {
        "notice-a": "OVERDUE",
        "notice-b": "REMOVED",
        "notice-c": "OVERDUE",  # refused, and its window has closed
        "notice-d": "OVERDUE",
    }
    early = await ask(asOf="2026-01-12T00:00:00Z", status="OPEN")
    assert [edge["node"]["id"] for edge in early["edges"]] == ["notice-a", "notice-b"]
    assert early["totalCount"] == 2
    by_person = await ask(asOf="2026-02-01T00:00:00Z", personId="person-bo")
    assert [edge["node"]["id"] for edge in by_person["edges"]] == ["notice-d"]
    assert (await ask(asOf="2026-02-01T00:00:00Z", platformId="platform-none"))["totalCount"] == 0
    seen: list[str] = []
    after = None
    while True:
        page = await ask(asOf="2026-02-01T00:00:00Z", first=3, after=after)
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["totalCount"] == 4
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["notice-a", "notice-b", "notice-c", "notice-d"]


async def test_the_audit_counts_and_filters_the_sighting_verdicts(api: Any) -> None:
    await world(api)
    await api(NOTICE, {"input": notice()})
    found = await api(
        """query($asOf: DateTime) { audit(asOf: $asOf, filter: {personId: "person-ada",
        codes: ["UNREGISTERED_USE", "NOTICE_UNANSWERED"]}) {
        totalCount countsByCode { code count } edges { node { code subjectId holdsFrom } } } }""",
        {"asOf": "2026-03-01T00:00:00Z"},
    )
    assert found["audit"]["countsByCode"] == [
        {"code": "NOTICE_UNANSWERED", "count": 1},
        {"code": "UNREGISTERED_USE", "count": 1},
    ]
    by_party = await api(
        """{ audit(asOf: "2026-03-01T00:00:00Z", filter: {partyId: "platform-gram"}) {
        edges { node { code } } } }"""
    )
    assert sorted(edge["node"]["code"] for edge in by_party["audit"]["edges"]) == [
        "NOTICE_UNANSWERED",
        "UNREGISTERED_USE",
    ]


async def test_a_person_sees_the_unregistered_use_of_her_likeness_and_another_brand_does_not(
    api: Any, graph: Any
) -> None:
    await world(api)
    await send(api, "registerOrganization", {"id": "brand-other", "name": "Other", "kind": "BRAND"})
    await api(NOTICE, {"input": notice()})
    ada = (await keys.create(graph, role="PERSON", party_id="person-ada")).secret
    other = (await keys.create(graph, role="BRAND", party_id="brand-other")).secret
    query = """{ sighting(id: "sighting-1") { id verdicts(asOf: "2026-03-01T00:00:00Z") { code } }
      takedownNotice(id: "notice-1") { id status(asOf: "2026-03-01T00:00:00Z") }
      notices(asOf: "2026-03-01T00:00:00Z") { totalCount }
      audit(asOf: "2026-03-01T00:00:00Z") { countsByCode { code count } } }"""
    seen = await api(query, token=ada)
    assert [v["code"] for v in seen["sighting"]["verdicts"]] == ["NOTICE_UNANSWERED", "UNREGISTERED_USE"]
    assert seen["takedownNotice"] == {"id": "notice-1", "status": "OVERDUE"}
    assert seen["notices"]["totalCount"] == 1
    assert {c["code"] for c in seen["audit"]["countsByCode"]} >= {"NOTICE_UNANSWERED", "UNREGISTERED_USE"}
    hidden = await api(query, token=other)
    assert hidden["sighting"] is None and hidden["takedownNotice"] is None
    assert hidden["notices"]["totalCount"] == 0
    assert hidden["audit"]["countsByCode"] == []


async def test_who_may_send_notices_and_record_answers(api: Any, graph: Any) -> None:
    await world(api)
    await send(api, "registerPerson", {"id": "person-bo", "name": "Bo"})
    ada = (await keys.create(graph, role="PERSON", party_id="person-ada")).secret
    investigator = (await keys.create(graph, role="INVESTIGATOR")).secret
    brand = (await keys.create(graph, role="BRAND", party_id="brand-nordhem")).secret
    (error,) = await api.errors(NOTICE, {"input": notice(sentById="person-bo")}, token=ada)
    assert error["extensions"]["code"] == "FORBIDDEN" and error["extensions"]["field"] == "sentById"
    (error,) = await api.errors(NOTICE, {"input": notice()}, token=brand)
    assert error["extensions"]["code"] == "FORBIDDEN"
    await api(NOTICE, {"input": notice()}, token=ada)
    await api(NOTICE, {"input": notice("notice-2", sentById="brand-nordhem")}, token=investigator)
    response = {"noticeId": "notice-1", "respondedAt": "2026-01-12T00:00:00Z", "outcome": "REMOVED"}
    (error,) = await api.errors(RESPONSE, {"input": response}, token=ada)
    assert error["extensions"]["code"] == "FORBIDDEN"
    await api(RESPONSE, {"input": response}, token=investigator)


def line(op: str, data: dict[str, Any]) -> str:
    return orjson.dumps({"op": op, "input": data}).decode()


BULK = [
    line("registerPerson", person()),
    line("registerOrganization", org("studio-north", "STUDIO")),
    line("registerOrganization", org("platform-gram", "PLATFORM")),
    line("registerOrganization", org("platform-other", "PLATFORM")),
    line("recordCapture", {**capture("capture-ada-phash", n=7), "phash": CAPTURE_PHASH}),
    line("reportSighting", sighting()),
    line("reportSighting", {k: v for k, v in sighting("sighting-loose").items() if k != "platformId"}),
    # the answers come before their notices' ids sort, and in another order than they happened
    line("sendTakedownNotice", notice("notice-b", responseHours=24)),
    line("sendTakedownNotice", notice("notice-a", sightingId="sighting-loose", platformId="platform-other")),
    line(
        "recordNoticeResponse",
        {"noticeId": "notice-b", "respondedAt": "2026-02-01T00:00:00Z", "outcome": "REMOVED"},
    ),
    line(
        "recordNoticeResponse",
        {
            "noticeId": "notice-b",
            "respondedAt": "2026-01-11T10:00:00Z",
            "outcome": "REFUSED",
            "note": "fair use",
        },
    ),
    line(
        "recordNoticeResponse",
        {"noticeId": "notice-a", "respondedAt": "2026-01-20T00:00:00Z", "outcome": "COUNTER_NOTICE"},
    ),
]


async def export_text(graph: Any) -> str:
    out = io.StringIO()
    await export_to(graph, out)
    return out.getvalue()


async def test_jsonl_export_import_export_is_byte_identical_with_notices_and_answers(graph: Any) -> None:
    summary = await import_lines(graph, BULK, batch_size=4)
    assert summary.rejected == [] and summary.applied == len(BULK)
    first = await export_text(graph)
    exported = [orjson.loads(entry) for entry in first.splitlines()]
    assert [e["op"] for e in exported][-5:] == [
        "sendTakedownNotice",
        "sendTakedownNotice",
        "recordNoticeResponse",
        "recordNoticeResponse",
        "recordNoticeResponse",
    ]
    assert exported[-2]["input"]["note"] == "fair use"
    verdicts = await graph.query(
        "MATCH (v:Verdict) RETURN v.subjectId AS s, v.code AS c, v.start AS t ORDER BY s, c, t"
    )
    assert {row["c"] for row in verdicts} == {"UNREGISTERED_USE", "NOTICE_UNANSWERED"}
    for batch_size in (1, 500):
        async with graph.driver.session(database=graph.database) as session:
            await (await session.run("MATCH (n) DETACH DELETE n")).consume()
        again = await import_lines(graph, first.splitlines(), batch_size=batch_size)
        assert again.rejected == [] and again.applied == len(BULK)
        assert await export_text(graph) == first
        assert (
            await graph.query(
                "MATCH (v:Verdict) RETURN v.subjectId AS s, v.code AS c, v.start AS t ORDER BY s, c, t"
            )
            == verdicts
        )
    # a re-import changes nothing; a conflicting answer is refused by line
    conflicting = line(
        "recordNoticeResponse",
        {"noticeId": "notice-b", "respondedAt": "2026-02-01T00:00:00Z", "outcome": "REFUSED"},
    )
    summary = await import_lines(graph, [*first.splitlines(), conflicting])
    assert summary.unchanged == len(BULK) and [number for number, _ in summary.rejected] == [len(BULK) + 1]
    assert "outcome" in summary.rejected[0][1]
