"""The verdict codes: a stable name, what they judge, one line of meaning and the law each encodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Subject = Literal["asset", "twin", "sighting"]

NO_CONSENT = "NO_CONSENT"
OUT_OF_SCOPE = "OUT_OF_SCOPE"
RESTRICTION_BREACHED = "RESTRICTION_BREACHED"
NOT_YET_VALID = "NOT_YET_VALID"
EXPIRED = "EXPIRED"
PUBLISHED_AFTER_REVOCATION = "PUBLISHED_AFTER_REVOCATION"
INVALID_SIGNATORY = "INVALID_SIGNATORY"
MINOR_WITHOUT_GUARDIAN = "MINOR_WITHOUT_GUARDIAN"
INCOMPLETE_TERMS = "INCOMPLETE_TERMS"
CONSENT_UNENFORCEABLE = "CONSENT_UNENFORCEABLE"
SUBLICENSE_NOT_PERMITTED = "SUBLICENSE_NOT_PERMITTED"
LIVE_AFTER_EXPIRY = "LIVE_AFTER_EXPIRY"
LIVE_AFTER_REVOCATION = "LIVE_AFTER_REVOCATION"
MISSING_AI_LABEL = "MISSING_AI_LABEL"
MISSING_MACHINE_READABLE_MARK = "MISSING_MACHINE_READABLE_MARK"
TAINTED_TWIN = "TAINTED_TWIN"
UNCONSENTED_BUILD = "UNCONSENTED_BUILD"
FOREIGN_CAPTURE = "FOREIGN_CAPTURE"
UNREGISTERED_USE = "UNREGISTERED_USE"
NOTICE_UNANSWERED = "NOTICE_UNANSWERED"
UNREGISTERED_LIKENESS = "UNREGISTERED_LIKENESS"
UNDECLARED_LIKENESS = "UNDECLARED_LIKENESS"

# Causes of the end of coverage (Coverage.cause).
CAUSE_EXPIRED = "EXPIRED"
CAUSE_REVOKED = "REVOKED"

_FWA = "NY Fashion Workers Act (2024)"
_AB2602 = "California AB 2602 (Labor Code s. 927)"
_NO_FAKES = "NO FAKES Act (US bill)"
_REPRESENTED = (
    "NY General Obligations Law s. 5-302 and California Labor Code s. 927 (AB 2602): a provision allowing a "
    "digital replica of a performer's voice or likeness in place of work she would otherwise perform in "
    "person is unenforceable unless she was represented by counsel or under a collective bargaining "
    "agreement (and its uses are reasonably specifically described)"
)
_DSA = "EU Digital Services Act (Regulation 2022/2065)"
_PUBLICITY = (
    "rights of publicity (e.g. California Civil Code s. 3344, New York Civil Rights Law ss. 50-51, "
    "Tennessee ELVIS Act 2024): no use of a person's likeness without her consent"
)
_MATCHING = (
    "found only by matching the face of a person who asked for it: her explicit consent to processing "
    "her biometric data (GDPR art. 9(2)(a); Illinois BIPA s. 15(b))"
)


@dataclass(frozen=True)
class RuleInfo:
    code: str
    subject: Subject
    summary: str
    anchor: str


CODES: dict[str, RuleInfo] = {
    info.code: info
    for info in (
        RuleInfo(
            NO_CONSENT,
            "asset",
            "No USE consent from the person to the publisher (or its sublicensor) covers the twin.",
            f"{_FWA}: separate written consent to use a digital replica; {_AB2602}; {_NO_FAKES}: "
            "unauthorized digital replica",
        ),
        RuleInfo(
            OUT_OF_SCOPE,
            "asset",
            "The closest consent does not cover the asset's media type, channel or territory.",
            f"{_FWA}: consent states the scope of use; {_AB2602}: reasonably specific description of "
            "intended uses",
        ),
        RuleInfo(
            RESTRICTION_BREACHED,
            "asset",
            "The asset carries content the consent prohibits.",
            f"{_FWA}: consent states the scope of use; {_AB2602}: reasonably specific description of "
            "intended uses",
        ),
        RuleInfo(
            NOT_YET_VALID,
            "asset",
            "Published before the consent's window opened (consent cannot be backdated).",
            f"{_FWA}: consent states its duration; written consent must precede the use",
        ),
        RuleInfo(
            EXPIRED,
            "asset",
            "Published after the consent's window closed.",
            f"{_FWA}: consent states its duration; {_NO_FAKES}: licences are time-limited",
        ),
        RuleInfo(
            PUBLISHED_AFTER_REVOCATION,
            "asset",
            "Published at or after the person revoked the consent.",
            f"{_FWA}: use requires the person's consent in force; {_NO_FAKES}: authorization by the "
            "right holder",
        ),
        RuleInfo(
            INVALID_SIGNATORY,
            "asset",
            "The closest consent was signed by someone other than the person or her guardian.",
            f"{_FWA}: separate written consent from the model; a management company may not consent "
            "under a power of attorney",
        ),
        RuleInfo(
            MINOR_WITHOUT_GUARDIAN,
            "asset",
            "The person was under 18 when the consent was signed and no guardian is recorded.",
            f"{_NO_FAKES}: licences by minors need a parent or guardian; contract law on minors' capacity",
        ),
        RuleInfo(
            INCOMPLETE_TERMS,
            "asset",
            "The consent lacks a description of uses, an end or compensation, or exceeds the term cap.",
            f"{_FWA}: scope, purpose, rate of pay and duration; {_AB2602}: reasonably specific "
            f"description of intended uses; {_NO_FAKES}: licence term at most 10 years, 5 for a minor",
        ),
        RuleInfo(
            CONSENT_UNENFORCEABLE,
            "asset",
            "The consent replaces in-person work and was signed with no lawyer or union her law requires.",
            _REPRESENTED,
        ),
        RuleInfo(
            SUBLICENSE_NOT_PERMITTED,
            "asset",
            "Used under a sublicence of a consent that does not allow sublicensing.",
            f"{_FWA} and {_AB2602}: consent is given to a named party for stated uses",
        ),
        RuleInfo(
            LIVE_AFTER_EXPIRY,
            "asset",
            "Permitted when published, but still live after every covering consent window expired.",
            f"{_FWA}: consent states its duration; {_NO_FAKES}: licences are time-limited; platforms "
            "that host it after notice share liability",
        ),
        RuleInfo(
            LIVE_AFTER_REVOCATION,
            "asset",
            "Permitted when published, but still live after revocation plus the agreed takedown period.",
            f"{_FWA}: use requires the person's consent in force; {_NO_FAKES}: notice and takedown "
            "duties of online services",
        ),
        RuleInfo(
            MISSING_AI_LABEL,
            "asset",
            "The asset renders a digital twin but carries no visible AI disclosure.",
            "EU AI Act art. 50(4): deployers disclose deep fakes; platform labelling rules",
        ),
        RuleInfo(
            MISSING_MACHINE_READABLE_MARK,
            "asset",
            "The asset carries no machine-readable AI marking (such as C2PA trainedAlgorithmicMedia).",
            "EU AI Act art. 50(2): providers mark synthetic output in a machine-readable, detectable way",
        ),
        RuleInfo(
            TAINTED_TWIN,
            "asset",
            "The asset renders a twin that has a build violation.",
            f"{_FWA} and {_AB2602}: consent to create a digital replica; {_NO_FAKES}",
        ),
        RuleInfo(
            UNCONSENTED_BUILD,
            "twin",
            "No valid BUILD consent from the person to the vendor permitted building the twin.",
            f"{_FWA}: written consent to create a digital replica; {_AB2602}; {_NO_FAKES}",
        ),
        RuleInfo(
            FOREIGN_CAPTURE,
            "twin",
            "The twin was trained on a capture that does not depict its person.",
            f"{_FWA} and {_AB2602}: the depicted person never consented to a replica; {_NO_FAKES}",
        ),
        RuleInfo(
            UNREGISTERED_USE,
            "sighting",
            "An image seen in the wild shows a person's capture but matches no registered asset.",
            f"{_NO_FAKES}: unauthorized digital replica; {_FWA} and {_AB2602}: use of a likeness needs "
            "the person's written consent; platforms that keep it up after notice share liability",
        ),
        RuleInfo(
            NOTICE_UNANSWERED,
            "sighting",
            "A takedown notice's response window closed and the platform has not removed the image.",
            f"{_NO_FAKES}: notice and takedown, the online service's safe harbour needs removal after "
            f"notice; {_DSA} art. 16 (notice and action) and art. 6 (a notified host must act expeditiously)",
        ),
        RuleInfo(
            UNREGISTERED_LIKENESS,
            "sighting",
            "An image seen in the wild shows an enrolled person's face but matches no registered asset.",
            f"{_NO_FAKES}: unauthorized digital replica of a person's likeness, and online services' "
            f"notice and takedown; {_PUBLICITY}; {_DSA} art. 16 and art. 6 (a notified host must act "
            f"expeditiously); {_MATCHING}",
        ),
        RuleInfo(
            UNDECLARED_LIKENESS,
            "asset",
            "The asset's file shows an enrolled person's face, yet it renders no twin of hers.",
            f"{_FWA} and {_AB2602}: use of a digital replica needs the person's written consent, which is "
            f"judged by the twins an asset declares; {_PUBLICITY}; {_NO_FAKES}; EU AI Act art. 50(4): a deep "
            f"fake (content resembling an existing person, art. 3(60)) is disclosed as such; {_MATCHING}",
        ),
    )
}
