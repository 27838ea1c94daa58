"""The probe matrix: every tenant tries every query root field and every relationship path on every
other tenant's objects; any node it may not see, anywhere in any answer, is a leak.

A probe is one question whose answer is checked: a root lookup (null exactly when the node is not
the caller's to see), one relationship field of one node reached in an answer (only visible nodes,
birthDate only for those who may read it), or one search/report answer (provenance, likenessUsage,
similarAssets, audit, liability, checkUsage, usageHistory, compensation, laws). Where the caller may see
what it asks about, the answer must be a real one (no error, not null): an error is not "no leak".
Where it may not, the answer is null, empty or a coded refusal. A probe counts once its answer has
been checked; the report questions' counts of real answers are asserted against what the world
predicts. The test prints how many probes it ran and every leak it found.

A platform is a tenant here too: it sees its notices and the sightings on it (world.SEES), and the two
questions about an organization's own uses (checkUsage, usageHistory) are refused to it, FORBIDDEN.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLObjectType, GraphQLUnionType, Undefined, get_named_type, is_non_null_type

from likeness.execution.build import schema
from tests.access import world

NODE_TYPES = {
    "Person",
    "Organization",
    "Capture",
    "Twin",
    "Consent",
    "Campaign",
    "Asset",
    "Sighting",
    "Payment",
    "TakedownNotice",
}
ALL_SEEING = [("ADMIN", ""), ("REGULATOR", ""), ("INVESTIGATOR", "")]
AS_OF = "2026-01-01T00:00:00Z"


def _connection_of(target: Any) -> str | None:
    """The node type a connection lists (`AssetConnection` -> `Asset`), or None for any other type."""
    if (
        isinstance(target, GraphQLObjectType)
        and target.name.endswith("Connection")
        and "nodes" in target.fields
    ):
        return get_named_type(target.fields["nodes"].type).name
    return None


def _relations(type_name: str) -> list[tuple[str, list[str]]]:
    """The fields of a node type that lead to other nodes: (field, the node types it may answer); a
    connection's field answers the type of its nodes."""
    gql_type = schema._schema.get_type(type_name)
    assert isinstance(gql_type, GraphQLObjectType)
    found = []
    for name, fld in gql_type.fields.items():
        if any(is_non_null_type(arg.type) and arg.default_value is Undefined for arg in fld.args.values()):
            continue
        target = get_named_type(fld.type)
        listed = _connection_of(target)
        if listed is not None:
            members = [listed]
        elif isinstance(target, GraphQLUnionType):
            members = [member.name for member in target.types]
        else:
            members = [target.name]
        if set(members) <= NODE_TYPES:
            found.append((name, members))
    return found


def selection(type_name: str, depth: int) -> str:
    """Every relationship field of a node type, `depth` levels deep, each node with its id."""
    parts = ["__typename", "id"] + (["birthDate"] if type_name == "Person" else [])
    if depth > 0:
        for name, members in _relations(type_name):
            if _connection_of(get_named_type(_field(type_name, name).type)) is not None:
                # every item the caller may see, with the count of them
                parts.append(
                    f"{name}(first: 10) {{ totalCount pageInfo {{ hasNextPage }} "
                    f"nodes {{ {selection(members[0], depth - 1)} }} }}"
                )
            elif len(members) == 1:
                parts.append(f"{name} {{ {selection(members[0], depth - 1)} }}")
            else:
                inner = " ".join(f"... on {m} {{ {selection(m, depth - 1)} }}" for m in members)
                parts.append(f"{name} {{ __typename {inner} }}")
    return " ".join(parts)


def _field(type_name: str, name: str) -> Any:
    gql_type = schema._schema.get_type(type_name)
    assert isinstance(gql_type, GraphQLObjectType)
    return gql_type.fields[name]


@dataclass
class Matrix:
    api: Any
    keys: dict[tuple[str, str], str]
    probes: int = 0
    leaks: list[str] = field(default_factory=list)
    ran: dict[str, int] = field(default_factory=dict)
    # per kind: the real answers checked where the caller may see what it asked about
    answered: dict[str, int] = field(default_factory=dict)
    # the first answer of `laws` per question, which every other role must get too
    laws: dict[str, Any] = field(default_factory=dict)

    def count(self, kind: str, n: int = 1) -> None:
        self.probes += n
        self.ran[kind] = self.ran.get(kind, 0) + n

    def answer(self, tenant: tuple[str, str], where: str, body: Any, root: str) -> Any:
        """The answer the caller is owed: `root`'s value, or None (reported) on an error or a null."""
        found = (body.get("data") or {}).get(root)
        if body.get("errors") or found is None:
            self.leak(tenant, where, f"no answer where one is due: {body.get('errors') or 'null'}")
            return None
        self.answered[root] = self.answered.get(root, 0) + 1
        return found

    def refusal(
        self, tenant: tuple[str, str], where: str, body: Any, root: str, coded: dict[str, str]
    ) -> bool:
        """Whether the answer is a refusal with one of the `coded` codes naming its field (code -> field);
        anything else (an answer, an uncoded or unexpected error) is reported."""
        errors = body.get("errors") or []
        refused = [e.get("extensions") or {} for e in errors]
        if (body.get("data") or {}).get(root) is None and len(refused) == 1:
            code = refused[0].get("code")
            if code in coded and refused[0].get("field") == coded[code]:
                return True
        self.leak(tenant, where, f"answered instead of refused with {sorted(coded)}: {body}")
        return False

    def leak(self, tenant: tuple[str, str], where: str, what: str) -> None:
        self.leaks.append(f"{tenant[0]} {tenant[1]}: {where}: {what}")

    async def ask(self, tenant: tuple[str, str], query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.api.post(query, variables, token=self.keys[tenant])
        assert response.status_code == 200, response.text
        return response.json()

    def check_node(self, tenant: tuple[str, str], where: str, node: dict[str, Any]) -> None:
        """One node object in an answer: may the tenant see it, and its birthDate?"""
        node_id = node.get("id")
        if tenant in world.SEES and not world.sees(tenant, node_id):
            self.leak(tenant, where, f"{node['__typename']} {node_id}")
        if node.get("__typename") == "Person" and "birthDate" in node:
            may = tenant[0] in ("ADMIN", "REGULATOR") or node_id in world.READS_BIRTH_DATE.get(tenant, set())
            if (node["birthDate"] is not None) != may:
                self.leak(tenant, where + ".birthDate", f"{node_id} birthDate={node['birthDate']!r}")

    def walk(self, tenant: tuple[str, str], where: str, value: Any) -> None:
        """Check every node in an answer, counting each relationship field reached as a probe."""
        for path, node in _nodes(where, value):
            self.check_node(tenant, path, node)
            for name, _ in _relations(node["__typename"]):
                if name in node:
                    self.count("relationship field")
                listed = node.get(name)
                if (
                    isinstance(listed, dict)
                    and "totalCount" in listed
                    and not listed["pageInfo"]["hasNextPage"]
                ):
                    # a count of what the caller may not see leaks that it exists
                    if listed["totalCount"] != len(listed["nodes"]):
                        self.leak(
                            tenant,
                            f"{path}.{name}",
                            f"totalCount {listed['totalCount']} counts {len(listed['nodes'])} visible nodes",
                        )


def _nodes(where: str, value: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(value, list):
        for item in value:
            yield from _nodes(where, item)
    elif isinstance(value, dict):
        if value.get("__typename") in NODE_TYPES and "id" in value:
            yield where, value
        for key, inner in value.items():
            if isinstance(inner, dict | list):
                yield from _nodes(f"{where}.{key}", inner)


async def lookups_and_paths(m: Matrix, tenant: tuple[str, str]) -> None:
    """Every root lookup of every node of the world, with every relationship path two levels deep (a few
    nodes a query: the connections' selections are long)."""
    all_ids = sorted(world.KIND)
    for start in range(0, len(all_ids), 8):
        await _lookups(m, tenant, all_ids[start : start + 8])


async def _lookups(m: Matrix, tenant: tuple[str, str], ids: list[str]) -> None:
    params = ", ".join(f"$i{n}: ID!" for n in range(len(ids)))
    roots = " ".join(
        f"n{n}: {world.KIND[node_id]}(id: $i{n}) {{ {selection(_type_of(world.KIND[node_id]), 2)} }}"
        for n, node_id in enumerate(ids)
    )
    body = await m.ask(
        tenant, f"query({params}) {{ {roots} }}", {f"i{n}": node_id for n, node_id in enumerate(ids)}
    )
    assert not body.get("errors"), body["errors"]
    for n, node_id in enumerate(ids):
        found = body["data"][f"n{n}"]
        where = f"{world.KIND[node_id]}({node_id})"
        expected = tenant not in world.SEES or world.sees(tenant, node_id)
        m.count("root lookup")
        if found is not None and not expected:
            m.leak(tenant, where, "answered instead of null")
        if found is None and expected:
            m.leak(tenant, where, "null for a node the caller may see (over-filtered)")
        if found is not None:
            m.walk(tenant, where, found)


def _asks_as_itself(tenant: tuple[str, str], org_id: str) -> bool:
    """Whether the tenant may ask checkUsage or usageHistory about this organization: a brand or a vendor
    about itself only, a platform never, everyone else about anyone."""
    if tenant[0] == "PLATFORM":
        return False
    return tenant[0] not in ("BRAND", "VENDOR") or org_id == tenant[1]


def _type_of(root_field: str) -> str:
    return root_field[0].upper() + root_field[1:]


async def provenance(m: Matrix, tenant: tuple[str, str]) -> None:
    parts = " ".join(
        f"{name} {{ {selection(_type_of(type_name), 1)} }}"
        for name, type_name in [
            ("asset", "asset"),
            ("twins", "twin"),
            ("captures", "capture"),
            ("persons", "person"),
            ("vendors", "organization"),
            ("publisher", "organization"),
            ("sublicensedFrom", "organization"),
            ("campaign", "campaign"),
            ("consents", "consent"),
        ]
    )
    sha_of = {
        aid: data["sha256"] for op, data in world.EVENTS if op == "publishAsset" for aid in [data["id"]]
    }
    for asset_id in world.ASSETS:
        for how, args in [("assetId", {"assetId": asset_id}), ("sha256", {"sha256": sha_of[asset_id]})]:
            body = await m.ask(
                tenant,
                f"""query($assetId: ID, $sha256: String) {{
                provenance(assetId: $assetId, sha256: $sha256, asOf: "{AS_OF}") {{ {parts} }} }}""",
                args,
            )
            where = f"provenance({how} of {asset_id})"
            if tenant not in world.SEES or world.sees(tenant, asset_id):
                found = m.answer(tenant, where, body, "provenance")
                if found is None:
                    continue
                m.walk(tenant, where, found)
            elif body.get("errors") or body["data"]["provenance"] is not None:
                m.leak(tenant, where, f"answered instead of null: {body}")
                continue
            m.count("provenance")


async def likeness_usage(m: Matrix, tenant: tuple[str, str]) -> None:
    for person_id in world.PERSONS:
        body = await m.ask(
            tenant,
            """query($p: ID!) { likenessUsage(personId: $p, first: 1000) {
            totalCount edges { node { __typename id } } } }""",
            {"p": person_id},
        )
        usage = body["data"]["likenessUsage"]
        where = f"likenessUsage({person_id})"
        m.count("likenessUsage")
        m.walk(tenant, where, usage["edges"])
        if usage["totalCount"] != len(usage["edges"]):
            m.leak(
                tenant, where, f"totalCount {usage['totalCount']} counts {len(usage['edges'])} visible uses"
            )


async def similar_assets(m: Matrix, tenant: tuple[str, str]) -> None:
    for phash in (world.P1, world.P1_NEAR, world.P2):
        body = await m.ask(
            tenant,
            """query($h: String!) { similarAssets(phash: $h, maxDistance: 8) {
            distance asset { __typename id } } }""",
            {"h": phash},
        )
        m.count("similarAssets")
        m.walk(tenant, f"similarAssets({phash})", body["data"]["similarAssets"])


async def trace(m: Matrix, tenant: tuple[str, str]) -> None:
    """trace by hashes (a file traces the same way, by the hashes read from it): every asset's and capture's
    sha256 and the shared phashes, within the widest distance."""
    shas = [data["sha256"] for op, data in world.EVENTS if op in ("publishAsset", "recordCapture")]
    probes: list[dict[str, Any]] = [{"s": sha} for sha in shas]
    probes += [{"h": phash} for phash in (world.P1, world.P1_NEAR, world.P2)]
    for args in probes:
        body = await m.ask(
            tenant,
            f"""query($s: String, $h: String) {{ trace(sha256: $s, phash: $h, maxDistance: 16,
            asOf: "{AS_OF}") {{
            matches {{ kind asset {{ __typename id }} capture {{ __typename id }} }}
            bestMatch {{ asset {{ __typename id }} capture {{ __typename id }} }}
            provenance {{ asset {{ __typename id }} twins {{ __typename id }} captures {{ __typename id }}
                          persons {{ __typename id }} consents {{ __typename id }} }} }} }}""",
            args,
        )
        m.count("trace")
        m.walk(tenant, f"trace({args})", body["data"]["trace"])


AUDIT = """query($filter: AuditFilter) { audit(first: 1000, filter: $filter) { totalCount
    countsByCode { code count } countsByLaw { lawId count }
    edges { node { code subjectId liable { partyId } laws { id } } } } }"""


async def audit(m: Matrix, tenant: tuple[str, str]) -> None:
    report = await _audited(m, tenant, "audit", None)
    # by each law the market's verdicts are grounded in, and by each place, exactly what the counts say
    for law, count in report["laws"].items():
        found = await _audited(m, tenant, f"audit(laws: {law})", {"laws": [law]})
        if found["total"] != count:
            m.leak(tenant, f"audit(laws: {law})", f"lists {found['total']}, counted {count}")
    for place in ("EU", "SE", "US", "US-NY"):
        await _audited(m, tenant, f"audit(jurisdictions: {place})", {"jurisdictions": [place]})


async def _audited(
    m: Matrix, tenant: tuple[str, str], where: str, flt: dict[str, Any] | None
) -> dict[str, Any]:
    """One audit, checked: only verdicts the caller sees, counted as listed; its total and counts by law."""
    report = (await m.ask(tenant, AUDIT, {"filter": flt}))["data"]["audit"]
    m.count("audit")
    for edge in report["edges"]:
        verdict = edge["node"]
        liable = {party["partyId"] for party in verdict["liable"]}
        if tenant in world.SEES and not world.sees(tenant, verdict["subjectId"]) and tenant[1] not in liable:
            m.leak(tenant, where, f"{verdict['code']} on {verdict['subjectId']}")
    if report["totalCount"] != len(report["edges"]) or report["totalCount"] != sum(
        c["count"] for c in report["countsByCode"]
    ):
        m.leak(tenant, where, "counts include verdicts the caller does not see")
    laws = {row["lawId"]: row["count"] for row in report["countsByLaw"]}
    listed = Counter(law["id"] for edge in report["edges"] for law in edge["node"]["laws"])
    if laws != dict(listed):
        m.leak(tenant, where, f"counts by law {laws}, the verdicts listed name {dict(listed)}")
    return {"total": report["totalCount"], "laws": laws}


async def laws(m: Matrix, tenant: tuple[str, str]) -> None:
    """The laws are public: every role reads the same answer, whatever it may see of the graph."""
    for args in ({}, {"j": "SE"}, {"j": "US-NY"}):
        body = await m.ask(
            tenant,
            f"""query($j: String) {{ laws(asOf: "{AS_OF}", jurisdiction: $j) {{ id status }} }}""",
            args,
        )
        found = m.answer(tenant, f"laws({args})", body, "laws")
        if found is None:
            continue
        m.count("laws")
        expected = m.laws.setdefault(str(args), found)
        if not found or found != expected:
            m.leak(tenant, f"laws({args})", f"answered {found}, another role {expected}")


async def notices(m: Matrix, tenant: tuple[str, str]) -> None:
    for args in ({}, {"platformId": "platform-p"}, *({"personId": person} for person in world.PERSONS)):
        body = await m.ask(
            tenant,
            """query($platformId: ID, $personId: ID) { notices(platformId: $platformId, personId: $personId,
            asOf: "2026-01-01T00:00:00Z") { totalCount countsByStatus { status count }
            edges { node { __typename id sighting { __typename id } } } } }""",
            args,
        )
        found = body["data"]["notices"]
        where = f"notices({args})"
        m.count("notices")
        m.walk(tenant, where, found["edges"])
        if found["totalCount"] != len(found["edges"]) or found["totalCount"] != sum(
            c["count"] for c in found["countsByStatus"]
        ):
            m.leak(tenant, where, "counts include notices the caller does not see")


async def sighting_verdicts(m: Matrix, tenant: tuple[str, str]) -> None:
    for sighting_id in ("s-1", "s-2", "s-3", "s-q"):
        body = await m.ask(
            tenant,
            """query($s: ID!) { sighting(id: $s) {
            verdicts(asOf: "2026-01-01T00:00:00Z") { code subjectId } } }""",
            {"s": sighting_id},
        )
        m.count("sighting verdicts")
        found = body["data"]["sighting"]
        if found is None:
            continue
        for verdict in found["verdicts"]:
            subject = verdict["subjectId"]
            if tenant in world.SEES and not world.sees(tenant, subject):
                m.leak(tenant, f"sighting({sighting_id}).verdicts", f"{verdict['code']} on {subject}")


async def liability(m: Matrix, tenant: tuple[str, str]) -> None:
    for asset_id in world.ASSETS:
        body = await m.ask(
            tenant, "query($a: ID!) { liability(assetId: $a) { partyId code } }", {"a": asset_id}
        )
        where = f"liability({asset_id})"
        if tenant not in world.SEES or world.sees(tenant, asset_id):
            if m.answer(tenant, where, body, "liability") is None:
                continue
        elif body.get("errors") or body["data"]["liability"] != []:
            # an asset the caller may not see is answered like one that does not exist
            m.leak(tenant, where, f"answered instead of no liable party: {body}")
            continue
        m.count("liability")


async def check_usage(m: Matrix, tenant: tuple[str, str]) -> None:
    for twin_id in world.TWINS:
        for publisher in ("brand-a", "brand-b", "vendor-a"):
            body = await m.ask(
                tenant,
                """query($t: ID!, $p: ID!) { checkUsage(twinIds: [$t], publisherId: $p,
                mediaType: IMAGE, channel: INSTAGRAM, territories: ["SE"]) {
                permitted twins { twinId personId consentId } } }""",
                {"t": twin_id, "p": publisher},
            )
            where = f"checkUsage({twin_id} by {publisher})"
            if not _asks_as_itself(tenant, publisher):
                if not m.refusal(tenant, where, body, "checkUsage", {"FORBIDDEN": "publisherId"}):
                    continue
            elif tenant in world.SEES and not world.sees(tenant, twin_id):
                # a twin the caller may not see is refused like one that does not exist
                if not m.refusal(tenant, where, body, "checkUsage", {"BAD_INPUT": "twinIds"}):
                    continue
            else:
                found = m.answer(tenant, where, body, "checkUsage")
                if found is None:
                    continue
                for twin in found["twins"]:
                    for ref in (twin["personId"], twin["consentId"]):
                        if ref is not None and tenant in world.SEES and not world.sees(tenant, ref):
                            m.leak(tenant, where, f"names {ref}")
            m.count("checkUsage")


async def usage_history(m: Matrix, tenant: tuple[str, str]) -> None:
    for org_id in world.ORGANIZATIONS:
        body = await m.ask(
            tenant,
            """query($o: ID!) { usageHistory(organizationId: $o, expiringWithinDays: 3650) {
            assets { asset { __typename id } consentIds } expiringConsents { __typename id } } }""",
            {"o": org_id},
        )
        where = f"usageHistory({org_id})"
        if not _asks_as_itself(tenant, org_id):
            # a brand or vendor reads its own history only, a platform none; persons, agencies any, filtered
            if m.refusal(tenant, where, body, "usageHistory", {"FORBIDDEN": "organizationId"}):
                m.count("usageHistory")
            continue
        found = m.answer(tenant, where, body, "usageHistory")
        if found is None:
            continue
        m.count("usageHistory")
        m.walk(tenant, where, found)
        for use in found["assets"]:
            for ref in use["consentIds"]:
                if tenant in world.SEES and not world.sees(tenant, ref):
                    m.leak(tenant, where, f"names consent {ref}")


async def compensation(m: Matrix, tenant: tuple[str, str]) -> None:
    for person_id in world.PERSONS:
        body = await m.ask(
            tenant,
            """query($p: ID!) { compensation(personId: $p) {
            consent { __typename id } payments { __typename id } uses } }""",
            {"p": person_id},
        )
        # every caller gets an answer, filtered to the consents and payments it may see
        found = m.answer(tenant, f"compensation({person_id})", body, "compensation")
        if found is None:
            continue
        m.count("compensation")
        m.walk(tenant, f"compensation({person_id})", found)


async def search(m: Matrix, tenant: tuple[str, str]) -> None:
    """Every id, every name, every asset's sha256 and phash typed into search."""
    names = [pid.split("-")[1].title() for pid in world.PERSONS] + ["brand", "agency", "vendor"]
    hashes = [data[key] for op, data in world.EVENTS if op == "publishAsset" for key in ("sha256", "phash")]
    inner = " ".join(f"... on {kind} {{ id }}" for kind in sorted(NODE_TYPES))
    for text in [*sorted(world.KIND), *names, *hashes]:
        body = await m.ask(
            tenant,
            "query($t: String!) { search(text: $t, first: 100) { matchedBy node { __typename "
            + inner
            + " } } }",
            {"t": text},
        )
        assert not body.get("errors"), (tenant, text, body["errors"])
        hits = body["data"]["search"]
        m.count("search")
        m.walk(tenant, f"search({text})", hits)
        if text in world.KIND:
            expected = tenant not in world.SEES or world.sees(tenant, text)
            found = any(hit["matchedBy"] == "ID" and hit["node"]["id"] == text for hit in hits)
            if found != expected:
                m.leak(tenant, f"search({text})", "found" if found else "not found though visible")


async def verdict_history(m: Matrix, tenant: tuple[str, str]) -> None:
    for asset_id in world.ASSETS:
        body = await m.ask(
            tenant, "query($a: ID!) { verdictHistory(assetId: $a) { code subjectId } }", {"a": asset_id}
        )
        m.count("verdictHistory")
        spans = body["data"]["verdictHistory"]
        if tenant in world.SEES and spans and not world.sees(tenant, asset_id):
            m.leak(tenant, f"verdictHistory({asset_id})", f"answered {len(spans)} spans")
        if any(span["subjectId"] != asset_id for span in spans):
            m.leak(tenant, f"verdictHistory({asset_id})", "answered another subject's spans")


async def alerts(m: Matrix, tenant: tuple[str, str]) -> None:
    """The alerts a caller reads are about what it sees (tests/access/test_alert_audience.py asks more)."""
    body = await m.ask(tenant, "{ alerts(first: 500) { unread items { subjectId read } } }")
    found = m.answer(tenant, "alerts", body, "alerts")
    if found is None:
        return
    m.count("alerts")
    for item in found["items"]:
        if tenant in world.SEES and not world.sees(tenant, item["subjectId"]):
            m.leak(tenant, "alerts", f"an alert about {item['subjectId']}")
    if found["unread"] != sum(1 for item in found["items"] if not item["read"]):
        m.leak(tenant, "alerts", f"unread {found['unread']} counts alerts it does not list")


async def viewer(m: Matrix, tenant: tuple[str, str]) -> None:
    body = await m.ask(tenant, "{ viewer { role partyId } }")
    m.count("viewer")
    if body["data"]["viewer"] != {"role": tenant[0], "partyId": tenant[1] or None}:
        m.leak(tenant, "viewer", f"answered {body['data']['viewer']}")


async def webhooks(m: Matrix, tenant: tuple[str, str]) -> None:
    """Each caller registers a webhook and lists its own only (an ADMIN: everyone's), and cannot remove
    another's; the tenants before it have registered theirs."""
    own = f"hook-{tenant[0]}-{tenant[1] or 'all'}".lower()
    body = await m.ask(
        tenant,
        'mutation($id: ID!) { registerWebhook(id: $id, url: "https://93.184.215.14/hook", '
        "types: [NOTICE_SENT]) { webhook { id } } }",
        {"id": own},
    )
    if m.answer(tenant, "registerWebhook", body, "registerWebhook") is None:
        return
    body = await m.ask(tenant, "{ webhooks { id } }")
    m.count("webhooks")
    listed = {hook["id"] for hook in body["data"]["webhooks"]}
    if own not in listed or (tenant[0] != "ADMIN" and listed != {own}):
        m.leak(tenant, "webhooks", f"answered {sorted(listed)}")
    for other in sorted(listed - {own}):
        removed = await m.ask(tenant, "mutation($id: ID!) { removeWebhook(id: $id) }", {"id": other})
        m.count("removeWebhook")
        if removed["data"]["removeWebhook"] is not False:
            m.leak(tenant, f"removeWebhook({other})", f"answered {removed}")


PROBES = [
    lookups_and_paths,
    provenance,
    likeness_usage,
    similar_assets,
    trace,
    audit,
    laws,
    notices,
    sighting_verdicts,
    liability,
    check_usage,
    usage_history,
    compensation,
    search,
    verdict_history,
    alerts,
    viewer,
    webhooks,
]
COVERED_ROOTS = {
    "person",
    "organization",
    "capture",
    "twin",
    "asset",
    "consent",
    "campaign",
    "sighting",
    "payment",
    "takedownNotice",
    "notices",
    "provenance",
    "likenessUsage",
    "similarAssets",
    "trace",
    "audit",
    "liability",
    "checkUsage",
    "usageHistory",
    "compensation",
    "search",
    "verdictHistory",
    "laws",
    "alerts",
    "viewer",
    "webhooks",
}


def _owed(tenant: tuple[str, str], node_id: str) -> bool:
    return tenant not in world.SEES or world.sees(tenant, node_id)


def expected_answers(tenants: list[tuple[str, str]]) -> dict[str, int]:
    """How many real answers the world owes the report questions: one per question about what the caller
    may see (and, for brands and vendors, asks as itself)."""

    as_itself = _asks_as_itself
    return {
        "provenance": sum(2 for t in tenants for a in world.ASSETS if _owed(t, a)),
        "liability": sum(1 for t in tenants for a in world.ASSETS if _owed(t, a)),
        "checkUsage": sum(
            1
            for t in tenants
            for twin in world.TWINS
            for publisher in ("brand-a", "brand-b", "vendor-a")
            if as_itself(t, publisher) and _owed(t, twin)
        ),
        "usageHistory": sum(1 for t in tenants for o in world.ORGANIZATIONS if as_itself(t, o)),
        "compensation": len(tenants) * len(world.PERSONS),
        "laws": 3 * len(tenants),
    }


def test_the_matrix_covers_every_query_root_field() -> None:
    roots = set(schema._schema.query_type.fields)
    assert roots <= COVERED_ROOTS, f"add probes for the new root fields {sorted(roots - COVERED_ROOTS)}"


async def test_no_tenant_sees_another_tenants_data_anywhere(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    m = Matrix(api, tenants)
    everyone = [*world.SEES, *ALL_SEEING]
    for tenant in everyone:
        for probe in PROBES:
            await probe(m, tenant)
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(m.ran.items()))
    print(
        f"\nprobe matrix: {m.probes} probes ({summary}) by {len(world.SEES)} tenants and "
        f"{len(ALL_SEEING)} all-seeing roles; {len(m.leaks)} leaks"
    )
    for leak in m.leaks:
        print("  LEAK", leak)
    assert not m.leaks, f"{len(m.leaks)} leaks, first: {m.leaks[:10]}"
    assert m.probes > 1000
    # a real answer for every question the caller is owed one: an error or a null counts for nothing
    assert {kind: m.answered.get(kind, 0) for kind in expected_answers(everyone)} == expected_answers(
        everyone
    )
