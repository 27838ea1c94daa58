"""Consent windows and the world as it stood at an instant."""

from __future__ import annotations

from dataclasses import replace

from rules_factories import SECOND, asset, consent, day, sighting, twin_world, world

from likeness.rules import effective_window, facts_as_of, twin_facts_as_of


def test_window_runs_from_valid_from_to_valid_until() -> None:
    assert effective_window(consent(signed_at=day(-10), valid_from=day(0), valid_until=day(30))) == (
        day(0),
        day(30),
    )


def test_backdated_window_opens_at_signing() -> None:
    assert effective_window(consent(signed_at=day(5), valid_from=day(-30), valid_until=day(30)))[0] == day(5)


def test_revoked_window_closes_after_the_takedown_period() -> None:
    k = consent(valid_until=day(300), revoked_at=day(10), takedown_days=7)
    assert effective_window(k) == (day(-10), day(17))


def test_revocation_deadline_after_valid_until_leaves_valid_until() -> None:
    k = consent(valid_until=day(12), revoked_at=day(10), takedown_days=7)
    assert effective_window(k)[1] == day(12)


def test_open_ended_unrevoked_window_never_closes() -> None:
    assert effective_window(consent(valid_until=None))[1] is None


def test_asset_not_yet_published_does_not_exist() -> None:
    assert facts_as_of(world(), day(0) - SECOND) is None


def test_asset_exists_from_its_publication_instant() -> None:
    assert facts_as_of(world(), day(0)) is not None


def test_later_withdrawal_sighting_and_revocation_are_not_yet_known() -> None:
    w = world(
        asset(withdrawn_at=day(20)),
        twin_world(consents=(consent(revoked_at=day(15)),)),
        sightings=(sighting("S1", day(3)), sighting("S2", day(12))),
    )
    known = facts_as_of(w, day(10))
    assert known is not None
    assert known.asset.withdrawn_at is None
    assert [s.id for s in known.sightings] == ["S1"]
    assert known.twins["T1"].consents[-1].revoked_at is None
    later = facts_as_of(w, day(20))
    assert later is not None and later.asset.withdrawn_at == day(20)
    assert later.twins["T1"].consents[-1].revoked_at == day(15)


def test_consent_exists_from_its_signing_instant() -> None:
    tw = twin_world(consents=(consent(signed_at=day(5)),))
    before = twin_facts_as_of(tw, day(5) - SECOND)
    at = twin_facts_as_of(tw, day(5))
    assert before is not None and [k.id for k in before.consents] == ["KB-T1"]
    assert at is not None and [k.id for k in at.consents] == ["KB-T1", "K1"]


def test_twin_exists_from_its_build_instant() -> None:
    tw = twin_world(built_at=day(3))
    assert twin_facts_as_of(tw, day(3) - SECOND) is None
    assert twin_facts_as_of(tw, day(3)) is tw


def test_twin_not_yet_built_is_left_out_of_the_asset_world() -> None:
    w = world(asset(), replace(twin_world(), twin=replace(twin_world().twin, built_at=day(2))))
    known = facts_as_of(w, day(1))
    assert known is not None and known.twins == {}
