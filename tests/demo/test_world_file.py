"""The demo world file: well formed, importable in order, and telling the story its docstring tells."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from likeness.demo import DEMO_WORLD, PROVENANCE_EXAMPLE
from tests.demo.event_checks import check_world
from tests.demo.reference_verdicts import codes, reference_sighting_verdicts, reference_verdicts

# the table of the likeness.demo docstring
EXPECTED: dict[str, set[str]] = {
    "asset-ss25-liv-feed": set(),
    "asset-ss25-liv-reel": set(),
    "asset-aw25-liv-shop": set(),
    "asset-ss26-liv-billboard": set(),
    "asset-ss26-liv-us": set(),
    "asset-ss26-duo": set(),
    "asset-ss25-noor-shop": set(),
    "asset-ss25-maja-shop": set(),
    "asset-aw25-maja-print": set(),
    "asset-ss26-maja-reel": set(),
    "asset-ss25-elin-feed": set(),
    "asset-maren-maja-sublicensed": set(),
    "asset-maren-maja-direct": {"NO_CONSENT"},
    "asset-maren-liv-knockoff": {"NO_CONSENT", "TAINTED_TWIN"},
    "asset-ss26-liv-tokyo": {"OUT_OF_SCOPE"},
    "asset-ss26-liv-lingerie": {"RESTRICTION_BREACHED"},
    "asset-aw25-maja-gap": {"NOT_YET_VALID"},
    "asset-aw25-noor-late": {"EXPIRED"},
    "asset-ss26-elin-after": {"PUBLISHED_AFTER_REVOCATION"},
    "asset-ss25-ines-feed": {"INVALID_SIGNATORY"},
    "asset-maren-noor-feed": {"MINOR_WITHOUT_GUARDIAN"},
    "asset-maren-elin-lookbook": {"INCOMPLETE_TERMS"},
    "asset-maren-liv-sublicensed": {"SUBLICENSE_NOT_PERMITTED"},
    "asset-ss25-noor-web": {"LIVE_AFTER_EXPIRY"},
    "asset-ss25-elin-reel": {"LIVE_AFTER_REVOCATION"},
    "asset-ss26-liv-unlabelled": {"MISSING_AI_LABEL"},
    "asset-ss25-liv-unmarked": {"MISSING_MACHINE_READABLE_MARK"},
    "asset-ss25-camille-feed": {"TAINTED_TWIN"},
    "asset-ss26-liv-hedda-face": {"UNDECLARED_LIKENESS"},
    "asset-ss26-ava-nyc": {"CONSENT_UNENFORCEABLE"},
    "asset-ss26-liv-july-unlabelled": {"MISSING_AI_LABEL"},
    "asset-ss26-liv-august-unlabelled": {"MISSING_AI_LABEL"},
    "twin-liv-deepfold": {"UNCONSENTED_BUILD"},
    "twin-camille-v1": {"FOREIGN_CAPTURE"},
}

# the sightings' own verdicts (the likeness.demo docstring): the copy of Ines's editorial shot on
# Pictagram is an unregistered use from its sighting on; the notice about it went unanswered from
# 2026-04-06 09:00 (72 hours after it was sent) until Pictagram removed it on 2026-04-20 11:00
# The deepfake-like image of Hedda on Pictagram (2026-06-10 16:45) shows her enrolled face and matches
# nothing registered: UNREGISTERED_LIKENESS from then on; NASA's astronaut (2026-06-12) is nobody enrolled.
SIGHTING_EXPECTED: dict[str, dict[str, set[str]]] = {
    "2026-04-06T08:59:59Z": {"sighting-pictagram-ines": {"UNREGISTERED_USE"}},
    "2026-04-06T09:00:00Z": {"sighting-pictagram-ines": {"NOTICE_UNANSWERED", "UNREGISTERED_USE"}},
    "2026-04-20T10:59:59Z": {"sighting-pictagram-ines": {"NOTICE_UNANSWERED", "UNREGISTERED_USE"}},
    "2026-04-20T11:00:00Z": {"sighting-pictagram-ines": {"UNREGISTERED_USE"}},
    "2026-06-01T00:00:00Z": {"sighting-pictagram-ines": {"UNREGISTERED_USE"}},
    "2026-06-10T16:44:59Z": {"sighting-pictagram-ines": {"UNREGISTERED_USE"}},
    "2026-06-10T16:45:00Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
    },
    # the law packs' clocks (docs/laws.md): Clipstream (US) had 48 hours for the intimate image and never
    # answers; ReelBharat (India) had 3 hours for the ordered takedown, removed after 4; Vidnord (Sweden)
    # had the default 72 hours and removed after 5 days
    "2026-09-12T07:59:59Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
    },
    "2026-09-12T08:00:00Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
        "sighting-clipstream-maja": {"NOTICE_UNANSWERED"},
    },
    "2026-09-15T08:59:59Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
        "sighting-clipstream-maja": {"NOTICE_UNANSWERED"},
    },
    "2026-09-15T09:00:00Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
        "sighting-clipstream-maja": {"NOTICE_UNANSWERED"},
        "sighting-reelbharat-ines": {"NOTICE_UNANSWERED"},
    },
    "2026-09-15T10:00:00Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
        "sighting-clipstream-maja": {"NOTICE_UNANSWERED"},
    },
    "2026-10-04T11:59:59Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
        "sighting-clipstream-maja": {"NOTICE_UNANSWERED"},
    },
    "2026-10-04T12:00:00Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
        "sighting-clipstream-maja": {"NOTICE_UNANSWERED"},
        "sighting-vidnord-elin": {"NOTICE_UNANSWERED"},
    },
    "2026-10-06T12:00:00Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
        "sighting-clipstream-maja": {"NOTICE_UNANSWERED"},
    },
    "2027-03-30T23:59:59Z": {
        "sighting-pictagram-ines": {"UNREGISTERED_USE"},
        "sighting-pictagram-hedda": {"UNREGISTERED_LIKENESS"},
        "sighting-clipstream-maja": {"NOTICE_UNANSWERED"},
    },
}


BUILD_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_demo_world.py"


def _built_events() -> list[dict[str, Any]]:
    """The events scripts/build_demo_world.py writes (a script, not a module: loaded from its path)."""
    spec = importlib.util.spec_from_file_location("build_demo_world", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None, BUILD_SCRIPT
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return list(script.demo_events())


def _events() -> list[dict[str, Any]]:
    with DEMO_WORLD.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_every_line_is_a_well_formed_event_referring_only_to_ids_defined_above() -> None:
    assert check_world(_events()) == len(DEMO_WORLD.read_text(encoding="utf-8").splitlines())


def test_the_file_is_what_the_build_script_writes() -> None:
    assert _events() == _built_events()


def test_the_world_stays_small_enough_to_read() -> None:
    assert len(_events()) < 200


@pytest.mark.parametrize("as_of", ["2026-08-03T08:00:00Z", "2026-11-28T12:00:00Z", "2027-03-30T23:59:59Z"])
def test_each_asset_and_twin_carries_the_verdicts_the_docstring_names(as_of: str) -> None:
    verdicts = reference_verdicts(_events(), datetime.fromisoformat(as_of))
    found = {subject: codes(v) for subject, v in verdicts.items()}
    expected = {subject: EXPECTED.get(subject, set()) for subject in found}
    assert found == expected
    assert EXPECTED.keys() <= found.keys()


@pytest.mark.parametrize("as_of", sorted(SIGHTING_EXPECTED))
def test_each_sighting_carries_the_verdicts_the_docstring_names(as_of: str) -> None:
    verdicts = reference_sighting_verdicts(_events(), datetime.fromisoformat(as_of))
    found = {subject: codes(v) for subject, v in verdicts.items() if v}
    assert found == SIGHTING_EXPECTED[as_of]


def test_pictagram_is_liable_for_the_unanswered_notice_and_secondarily_for_the_unregistered_use() -> None:
    during = reference_sighting_verdicts(_events(), datetime(2026, 4, 10, tzinfo=UTC))
    unanswered, unregistered = during["sighting-pictagram-ines"]
    assert [(p.party_id, p.role) for p in unanswered.liable] == [("platform-pictagram", "PRIMARY")]
    assert [(p.party_id, p.role) for p in unregistered.liable] == [("platform-pictagram", "SECONDARY")]
    before = reference_sighting_verdicts(_events(), datetime(2026, 4, 5, tzinfo=UTC))
    assert [v.liable for v in before["sighting-pictagram-ines"]] == [()]


def test_the_demo_shows_every_verdict_code() -> None:
    from likeness.rules import CODES

    sighting_codes = {
        code for found in SIGHTING_EXPECTED.values() for codes in found.values() for code in codes
    }
    assert set().union(*EXPECTED.values()) | sighting_codes == set(CODES)


def test_the_platform_that_hosts_a_revoked_use_is_secondarily_liable() -> None:
    verdicts = reference_verdicts(_events(), datetime(2026, 11, 28, tzinfo=UTC))
    (live,) = verdicts[PROVENANCE_EXAMPLE]
    assert live.code == "LIVE_AFTER_REVOCATION"
    assert {(party.party_id, party.role) for party in live.liable} == {
        ("brand-nordhem", "PRIMARY"),
        ("platform-pictagram", "SECONDARY"),
    }
