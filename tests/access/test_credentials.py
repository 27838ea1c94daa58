"""Credentials: API keys shown once and stored hashed, revocation, JWTs, 401 for anything unknown."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import httpx
import jwt
import pytest

from likeness.access import keys
from likeness.app import create_app
from likeness.errors import InvalidInput, NotFound
from tests.factories import send

WHO_AM_I = '{ organization(id: "brand-a") { id } person(id: "person-ada") { id birthDate } }'


@pytest.fixture
async def parties(api: Any) -> None:
    await send(api, "registerPerson", {"id": "person-ada", "name": "Ada", "birthDate": "1998-04-17"})
    await send(api, "registerOrganization", {"id": "brand-a", "name": "Brand A", "kind": "BRAND"})
    await send(api, "registerOrganization", {"id": "agency-a", "name": "Agency A", "kind": "AGENCY"})


async def test_a_key_is_stored_only_as_its_sha256_and_listed_without_it(graph: Any, parties: None) -> None:
    created = await keys.create(graph, role="BRAND", party_id="brand-a", label="Brand A's integration")
    stored = await graph.query("MATCH (k:ApiKey) RETURN properties(k) AS k, labels(k) AS labels")
    assert len(stored) == 1 and stored[0]["labels"] == ["ApiKey"]
    assert stored[0]["k"]["hash"] == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in str(stored)
    listed = await keys.list_(graph)
    assert [(k.id, k.role, k.party_id, k.label) for k in listed] == [
        (created.key.id, "BRAND", "brand-a", "Brand A's integration")
    ]
    assert created.secret not in repr(listed)


async def test_a_key_acts_as_its_party_until_revoked_then_gets_401(
    api: Any, graph: Any, parties: None
) -> None:
    created = await keys.create(graph, role="PERSON", party_id="person-ada")
    data = await api(WHO_AM_I, token=created.secret)
    assert data == {
        "organization": {"id": "brand-a"},
        "person": {"id": "person-ada", "birthDate": "1998-04-17"},
    }
    await keys.revoke(graph, key_id=created.key.id)
    assert (await api.post(WHO_AM_I, token=created.secret)).status_code == 401
    assert (await keys.list_(graph))[0].revoked_at is not None


async def test_unknown_and_malformed_credentials_get_401(api: Any, parties: None) -> None:
    for token in ["lk_not-a-key", "x' }) MATCH (n) DETACH DELETE n //", "eyJ.not.a-jwt"]:
        response = await api.post(WHO_AM_I, token=token)
        assert response.status_code == 401, token
    response = await api.client.post(
        "/graphql", json={"query": WHO_AM_I}, headers={"Authorization": "Basic dXNlcjpwYXNz"}
    )
    assert response.status_code == 401


async def test_a_query_in_a_get_url_needs_credentials_even_from_a_browser(api: Any, parties: None) -> None:
    response = await api.client.get("/graphql", params={"query": WHO_AM_I}, headers={"Accept": "text/html"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("role", "party", "field", "reason"),
    [
        ("BRAND", None, "partyId", "needs the Brand"),
        ("BRAND", "person-ada", "partyId", "needs a Brand"),
        ("PERSON", "brand-a", "partyId", "needs a Person"),
        ("AGENCY", "agency-nowhere", "partyId", "no Agency with that id"),
        ("ADMIN", "brand-a", "partyId", "acts for no party"),
        ("OWNER", None, "role", "expected one of"),
    ],
)
async def test_a_key_is_refused_for_a_party_of_the_wrong_kind(
    graph: Any, parties: None, role: str, party: str | None, field: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await keys.create(graph, role=role, party_id=party)
    assert refused.value.field == field and reason in refused.value.message


async def test_revoking_an_unknown_key_says_so(graph: Any) -> None:
    with pytest.raises(NotFound):
        await keys.revoke(graph, key_id="key-nowhere")


async def test_signed_jwts_carry_role_and_party(graph: Any, settings: Any, parties: None) -> None:
    secret = "test-jwt-secret-of-sufficient-length-0123456789"
    app = create_app(settings.model_copy(update={"likeness_jwt_secret": secret}), graph=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:

        async def ask(token: str) -> httpx.Response:
            return await client.post(
                "/graphql", json={"query": WHO_AM_I}, headers={"Authorization": f"Bearer {token}"}
            )

        brand = jwt.encode(
            {"role": "BRAND", "partyId": "brand-a", "sub": "brand-a-ci"}, secret, algorithm="HS256"
        )
        answer = (await ask(brand)).json()
        assert answer["data"] == {"organization": {"id": "brand-a"}, "person": None}
        agency = jwt.encode({"role": "AGENCY", "partyId": "agency-a"}, secret, algorithm="HS256")
        assert (await ask(agency)).status_code == 200
        refused = [
            jwt.encode(
                {"role": "BRAND", "partyId": "brand-a"},
                "another-secret-of-sufficient-length-0123",
                algorithm="HS256",
            ),
            jwt.encode(
                {"role": "BRAND", "partyId": "brand-a", "exp": int(time.time()) - 60},
                secret,
                algorithm="HS256",
            ),
            jwt.encode({"role": "BRAND"}, secret, algorithm="HS256"),
            jwt.encode({"role": "OWNER", "partyId": "brand-a"}, secret, algorithm="HS256"),
            jwt.encode({"partyId": "brand-a"}, secret, algorithm="HS256"),
            jwt.encode({"role": "ADMIN"}, secret * 2, algorithm="HS512"),
        ]
        for token in refused:
            assert (await ask(token)).status_code == 401, jwt.decode(
                token, options={"verify_signature": False}
            )
