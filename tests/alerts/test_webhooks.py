"""Registering webhooks: the secret shown once, idempotent on the id (also at once), conflicts named,
bad input refused by field, each party its own, logged without the secret, replay of what one sees."""

from __future__ import annotations

import asyncio
from typing import Any

from likeness.access.log import verify
from likeness.graph.driver import Graph
from tests.alerts.conftest import register, write_alert
from tests.conftest import Api

URL = "http://127.0.0.1:9/hook"


async def test_the_first_registration_answers_a_standard_webhooks_secret_and_the_same_again_none(
    hooks_api: Api, brands: dict[str, str]
) -> None:
    first = await register(hooks_api, brands["brand-a"], "hook-a", URL, ["CONSENT_REVOKED"], "ops")
    secret = first["secret"]
    assert secret.startswith("whsec_")
    assert len(__import__("base64").b64decode(secret.removeprefix("whsec_"))) >= 24
    assert first["webhook"] == {
        "id": "hook-a",
        "url": URL,
        "types": ["CONSENT_REVOKED"],
        "description": "ops",
        "createdAt": first["webhook"]["createdAt"],
    }
    again = await register(hooks_api, brands["brand-a"], "hook-a", URL, ["CONSENT_REVOKED"], "ops")
    assert again == {**first, "secret": None}


async def test_the_same_id_with_other_fields_is_a_conflict_naming_them(
    hooks_api: Api, brands: dict[str, str]
) -> None:
    await register(hooks_api, brands["brand-a"], "hook-a", URL, ["CONSENT_REVOKED"])
    errors = await hooks_api.errors(
        'mutation { registerWebhook(id: "hook-a", url: "http://127.0.0.1:9/other", '
        "types: [CONSENT_REVOKED, NOTICE_SENT]) { secret } }",
        token=brands["brand-a"],
    )
    assert errors[0]["extensions"] == {"code": "CONFLICT", "field": "url"}
    assert "url, types" in errors[0]["message"]
    # another party's id is not its own to change either
    errors = await hooks_api.errors(
        'mutation { registerWebhook(id: "hook-a", url: "http://127.0.0.1:9/hook", types: [CONSENT_REVOKED]) '
        "{ secret } }",
        token=brands["brand-b"],
    )
    assert errors[0]["extensions"] == {"code": "CONFLICT", "field": "id"}


async def test_two_registrations_at_once_make_one_webhook_with_one_secret(
    hooks_api: Api, brands: dict[str, str]
) -> None:
    answers = await asyncio.gather(
        *(register(hooks_api, brands["brand-a"], "hook-race", URL, ["NOTICE_SENT"]) for _ in range(4))
    )
    secrets = [answer["secret"] for answer in answers if answer["secret"] is not None]
    assert len(secrets) == 1
    listed = (await hooks_api("{ webhooks { id } }", token=brands["brand-a"]))["webhooks"]
    assert listed == [{"id": "hook-race"}]


async def test_bad_input_is_refused_naming_the_field(hooks_api: Api, brands: dict[str, str]) -> None:
    token = brands["brand-a"]
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"url": "ftp://127.0.0.1/hook"}, "BAD_INPUT", "url"),
        ({"url": "/relative/hook"}, "BAD_INPUT", "url"),
        ({"url": "http:///no-host"}, "BAD_INPUT", "url"),
        ({"url": "http://user:pw@127.0.0.1/hook"}, "BAD_INPUT", "url"),
        ({"url": "http://127.0.0.1/" + "x" * 2000}, "BAD_INPUT", "url"),
        ({"types": []}, "BAD_INPUT", "types"),
        ({"description": "d" * 501}, "BAD_INPUT", "description"),
        ({"id": " spaced "}, "BAD_INPUT", "id"),
    ]
    for change, code, field in cases:
        variables = {"id": "hook-bad", "url": URL, "types": ["NOTICE_SENT"], "description": None, **change}
        errors = await hooks_api.errors(
            """mutation($id: ID!, $url: String!, $types: [AlertType!]!, $description: String) {
            registerWebhook(id: $id, url: $url, types: $types, description: $description) { secret } }""",
            variables,
            token=token,
        )
        assert errors[0]["extensions"] == {"code": code, "field": field}, (change, errors)
    # an alert type the enum does not know never reaches the resolver
    errors = await hooks_api.errors(
        'mutation { registerWebhook(id: "h", url: "http://127.0.0.1/", types: [NOT_A_TYPE]) { secret } }',
        token=token,
    )
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert (await hooks_api("{ webhooks { id } }", token=token))["webhooks"] == []


async def test_each_party_lists_and_removes_only_its_own_and_admin_lists_all(
    hooks_api: Api, brands: dict[str, str]
) -> None:
    await register(hooks_api, brands["brand-a"], "hook-a", URL, ["CONSENT_REVOKED"])
    await register(hooks_api, brands["brand-b"], "hook-b", URL, ["CONSENT_REVOKED"])
    await register(hooks_api, brands["INVESTIGATOR"], "hook-i", URL, ["NOTICE_OVERDUE"])
    mine = "{ webhooks { id } }"
    assert (await hooks_api(mine, token=brands["brand-a"]))["webhooks"] == [{"id": "hook-a"}]
    assert (await hooks_api(mine, token=brands["brand-b"]))["webhooks"] == [{"id": "hook-b"}]
    assert (await hooks_api(mine, token=brands["INVESTIGATOR"]))["webhooks"] == [{"id": "hook-i"}]
    assert {hook["id"] for hook in (await hooks_api(mine))["webhooks"]} == {"hook-a", "hook-b", "hook-i"}

    remove = 'mutation { removeWebhook(id: "hook-a") }'
    assert (await hooks_api(remove, token=brands["brand-b"]))["removeWebhook"] is False
    assert (await hooks_api(mine, token=brands["brand-a"]))["webhooks"] == [{"id": "hook-a"}]
    assert (await hooks_api(remove, token=brands["brand-a"]))["removeWebhook"] is True
    assert (await hooks_api(remove, token=brands["brand-a"]))["removeWebhook"] is False
    assert (await hooks_api(mine, token=brands["brand-a"]))["webhooks"] == []


async def test_each_registration_removal_and_replay_is_logged_without_the_secret(
    hooks_api: Api, brands: dict[str, str], graph: Graph
) -> None:
    made = await register(hooks_api, brands["brand-a"], "hook-a", URL, ["CONSENT_REVOKED"])
    alert_id = await write_alert(graph, "CONSENT_REVOKED", ["brand-a"])
    await hooks_api(f'mutation {{ replayAlert(id: "{alert_id}") {{ id }} }}', token=brands["brand-a"])
    await hooks_api('mutation { removeWebhook(id: "hook-a") }', token=brands["brand-a"])
    entries = await graph.query(
        "MATCH (e:LogEntry) WHERE e.operation IN ['registerWebhook', 'removeWebhook', 'replayAlert'] "
        "RETURN e.operation AS operation, e.target AS target, e.principal AS principal ORDER BY e.seq"
    )
    assert [(entry["operation"], entry["target"]) for entry in entries] == [
        ("registerWebhook", "hook-a"),
        ("replayAlert", alert_id),
        ("removeWebhook", "hook-a"),
    ]
    assert all(entry["principal"].startswith("BRAND:brand-a") for entry in entries)
    everything = await graph.query("MATCH (e:LogEntry) RETURN properties(e) AS entry")
    assert made["secret"] not in repr(everything)
    assert (await verify(graph)).broken is None
    # configuration, not a fact: no event, nothing an export or lookup reaches
    assert await graph.query("MATCH (n:Entity) WHERE n.id = 'hook-a' RETURN n.id AS id") == []


async def test_replay_is_only_of_an_alert_the_caller_receives(
    hooks_api: Api, brands: dict[str, str], graph: Graph
) -> None:
    await register(hooks_api, brands["brand-b"], "hook-b", URL, ["CONSENT_REVOKED"])
    alert_id = await write_alert(graph, "CONSENT_REVOKED", ["brand-a"])
    errors = await hooks_api.errors(
        f'mutation {{ replayAlert(id: "{alert_id}") {{ id }} }}', token=brands["brand-b"]
    )
    assert errors[0]["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    errors = await hooks_api.errors(
        'mutation { replayAlert(id: "alert-none") { id } }', token=brands["brand-b"]
    )
    assert errors[0]["extensions"] == {"code": "NOT_FOUND", "field": "id"}


async def test_without_the_setting_a_private_target_is_refused_and_a_public_one_taken(
    api: Api, brands: dict[str, str]
) -> None:
    for url in (
        "http://127.0.0.1:8080/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest",
        "http://10.1.2.3/",
    ):
        errors = await api.errors(
            'mutation($url: String!) { registerWebhook(id: "h", url: $url, types: [NOTICE_SENT]) '
            "{ secret } }",
            {"url": url},
            token=brands["brand-a"],
        )
        assert errors[0]["extensions"] == {"code": "TARGET_REFUSED", "field": "url"}, (url, errors)
    # a public address literal needs no lookup and is taken
    made = await api(
        'mutation { registerWebhook(id: "h", url: "https://93.184.215.14/hook", types: [NOTICE_SENT]) '
        "{ secret } }",
        token=brands["brand-a"],
    )
    assert made["registerWebhook"]["secret"].startswith("whsec_")
