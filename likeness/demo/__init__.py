"""The demo world: a small, fictional version of the founding article, ready to import.

``world.jsonl`` holds 135 events in the import format (written by ``scripts/build_demo_world.py``,
which is not shipped; rebuild it from the repository root with
``.venv/bin/python scripts/build_demo_world.py``). The verdicts below hold as of any instant from
2026-08-03 08:00 (when the last asset is published) up to 2027-03-31, when Camille's consent ends and
later ones start to lapse:

Nordhem, a large Swedish fashion brand, has the vendor Rawedge build digital twins of its models
from captures shot at Ljusgården Studio and by Rawedge itself. Liv Åberg, Ines Okafor and Maja
Lindqvist are represented by Hudson Lane Models in New York; Noor Haddad is 15 and her mother
Samira signs for her. Maren & Co., a second brand, licenses twins from the models and from Nordhem.
Images run on Pictagram, an Instagram-like platform.

- Liv's twin has two versions (``twin-liv-v2`` supersedes ``twin-liv-v1``); her 2026 renewal opens
  before the 2025 grant closes, so her 2025 assets stay covered.
- Maja's renewal leaves September 2025 uncovered; only the renewal is sublicensable.
- ``twin-liv-deepfold``: built by Deepfold Labs for Maren without a BUILD consent: ``UNCONSENTED_BUILD``.
- ``twin-camille-v1``: trained on a video of Maja: ``FOREIGN_CAPTURE``.
- Elin revokes her Nordhem consent on 2026-03-01 (30 days to take down).

Assets and the verdict each one demonstrates:

=================================  ===========================================================
asset                              verdict
=================================  ===========================================================
asset-ss25-liv-feed, -liv-reel     clean; covered across the overlapping renewal
asset-aw25-liv-shop                clean
asset-ss26-liv-billboard, -liv-us  clean under the renewal (out-of-home and US added in 2026)
asset-ss26-duo                     clean; renders twins of two models, each consent permits
asset-ss25-noor-shop               clean; guardian-signed, withdrawn before the consent ended
asset-ss25-maja-shop               clean; withdrawn before Maja's first grant ended
asset-aw25-maja-print              clean; asset-ss26-maja-reel clean
asset-ss25-elin-feed               clean; withdrawn within the takedown period
asset-maren-maja-sublicensed       clean; sublicensed from Nordhem under a sublicensable consent
asset-maren-maja-direct            NO_CONSENT (Maren has no consent of its own from Maja)
asset-maren-liv-knockoff           NO_CONSENT and TAINTED_TWIN (the Deepfold twin)
asset-ss26-liv-tokyo               OUT_OF_SCOPE (territory JP)
asset-ss26-liv-lingerie            RESTRICTION_BREACHED (content ``lingerie``)
asset-aw25-maja-gap                NOT_YET_VALID (published in the gap, before the renewal opened)
asset-aw25-noor-late               EXPIRED
asset-ss26-elin-after              PUBLISHED_AFTER_REVOCATION (withdrawn two days later)
asset-ss25-ines-feed               INVALID_SIGNATORY (Hudson Lane signed alone)
asset-maren-noor-feed              MINOR_WITHOUT_GUARDIAN
asset-maren-elin-lookbook          INCOMPLETE_TERMS (no compensation)
asset-maren-liv-sublicensed        SUBLICENSE_NOT_PERMITTED (Liv's consents are not sublicensable)
asset-ss25-noor-web                LIVE_AFTER_EXPIRY (still up after Noor's consent ended)
asset-ss25-elin-reel               LIVE_AFTER_REVOCATION; Pictagram secondary (its sighting)
asset-ss26-liv-unlabelled          MISSING_AI_LABEL
asset-ss25-liv-unmarked            MISSING_MACHINE_READABLE_MARK
asset-ss25-camille-feed            TAINTED_TWIN (the FOREIGN_CAPTURE twin)
asset-ss26-liv-hedda-face          UNDECLARED_LIKENESS (its picture shows Hedda, not Liv)
asset-ss26-ava-nyc                 CONSENT_UNENFORCEABLE, under US-NY-GOL-5-302 (see below)
asset-ss26-liv-july-unlabelled     MISSING_AI_LABEL, no law: published 2026-07-01 in SE
asset-ss26-liv-august-unlabelled   MISSING_AI_LABEL under EU-AI-ACT-50: published 2026-08-03
=================================  ===========================================================

Sightings: ``sighting-pictagram-elin`` (exact hash, on Pictagram), ``sighting-knockoff-blog`` and
``sighting-noor-reseller`` (re-encoded copies, perceptual hash within 3 and 5 bits), and
``sighting-unmatched`` (matches nothing).

``sighting-pictagram-ines`` (2026-04-02, on Pictagram) matches no asset but lies 4 bits from
``capture-ines-editorial-01``, an editorial shot of Ines: ``UNREGISTERED_USE`` from then on. Hudson
Lane sends Pictagram takedown notice ``notice-ines-pictagram`` on 2026-04-03 09:00 with 72 hours to
act; Pictagram refuses the next day, lets the window close, and answers that it removed the image on
2026-04-20 11:00. So ``NOTICE_UNANSWERED`` (Pictagram primary) holds from 2026-04-06 09:00 until
then, and Pictagram stays secondarily liable for the unregistered use from 2026-04-06 09:00 on.

Likeness matching (docs/faces.md): Hedda Moss, a model at Ljusgården, enrols her face under a MATCHING
consent (2026-02-02) from her portrait ``capture-hedda-portrait``. The demo lends her a real face: the US
Navy's public-domain portrait of Grace Hopper, matplotlib's sample ``grace_hopper.jpg`` (the capture's
sha256 is that file's; ``likeness.demo.photos`` finds it where matplotlib is installed). On 2026-06-10
``sighting-pictagram-hedda`` turns up on Pictagram: a deepfake-like new image of her (the portrait
mirrored, cropped, re-toned and re-encoded by ``likeness.demo.photos.deepfake_like``), which no hash ties
to anything registered but which shows her face: ``UNREGISTERED_LIKENESS`` from then on. Earlier, on
2026-05-20, Nordhem publishes ``asset-ss26-liv-hedda-face``, declared as rendering Liv's twin, whose
picture (a half-size copy of the portrait) shows Hedda's face: ``UNDECLARED_LIKENESS``, Nordhem primary,
Rawedge (the twin's vendor) secondary.
``sighting-pictagram-astronaut`` (2026-06-12) is NASA's public-domain portrait of the astronaut Eileen
Collins, scikit-image's ``astronaut.png``: a face nobody enrolled, so no verdict. ``likeness demo-photos
DIR`` writes the three files, to trace them in the explorer.

Law packs (docs/laws.md): every verdict also names the laws in force that the same facts break. Ava
Reyes, a New York model at Hudson Lane (jurisdiction US-NY), signed her BUILD consent with her lawyer,
but her USE consent to Nordhem (2026-01-12), which replaces the in-store shoots she would have done,
with neither a lawyer nor a union agreement: New York's GOL s. 5-302 makes it void, so
``asset-ss26-ava-nyc`` is ``CONSENT_UNENFORCEABLE`` (Nordhem primary, Hudson Lane secondary). Liv's two
unlabelled Swedish images fall either side of 2 August 2026, when the EU AI Act's art. 50 starts to
apply: the July one breaks no law in force, the August one breaks art. 50(4). Three takedown notices give
no response time, so each runs on its law's clock: ``notice-maja-clipstream`` (intimate imagery, to
Clipstream in the US, 2026-09-10 08:00) has the TAKE IT DOWN Act's 48 hours and is never answered, so
``sighting-clipstream-maja`` is ``NOTICE_UNANSWERED`` from 2026-09-12 08:00 on;
``notice-ines-reelbharat`` (a takedown ordered by an Indian court, to ReelBharat, 2026-09-15 06:00) has
India's IT Rules' 3 hours and is answered at 10:00, an hour late; ``notice-elin-vidnord`` (to Vidnord in
Sweden, 2026-10-01 12:00) carries what EU DSA art. 16 asks of a notice, has the default 72 hours and is
answered two days late, a breach grounded in EU-DSA-16.

The README's provenance example is ``PROVENANCE_EXAMPLE``, ``asset-ss25-elin-reel``: it walks from
the asset to Elin's twin, its captures (one a backstage shot of Elin and Maja), Rawedge, Nordhem,
the ss25 campaign, the revoked consent, and the Pictagram sighting that makes Pictagram liable too.
"""

from importlib.resources import files
from pathlib import Path

DEMO_WORLD: Path = Path(str(files(__name__).joinpath("world.jsonl")))
PROVENANCE_EXAMPLE = "asset-ss25-elin-reel"

__all__ = ["DEMO_WORLD", "PROVENANCE_EXAMPLE"]
