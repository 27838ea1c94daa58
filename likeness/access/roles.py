"""The roles a credential can carry, and what each kind of role is allowed as a whole."""

from __future__ import annotations

ROLES = ("ADMIN", "REGULATOR", "INVESTIGATOR", "BRAND", "VENDOR", "PERSON", "AGENCY", "PLATFORM")
# roles that read the whole graph
SEES_EVERYTHING = frozenset({"ADMIN", "REGULATOR", "INVESTIGATOR"})
# roles whose every query is appended to the log
LOGGED_READERS = frozenset({"REGULATOR", "INVESTIGATOR"})
# roles that read personal fields (birthDate) of anyone; a person and her agency read her own
READS_PERSONAL = frozenset({"ADMIN", "REGULATOR"})
# tenant roles and the label of the node their party id must name
# (a platform is an Organization registered with kind PLATFORM: graph.writes labels it Platform)
TENANT_LABEL = {
    "BRAND": "Brand",
    "VENDOR": "Vendor",
    "AGENCY": "Agency",
    "PERSON": "Person",
    "PLATFORM": "Platform",
}
# tenant roles that read through a platform's visibility (graph.visibility): their notices and sightings only
READS_AS_PLATFORM = frozenset({"PLATFORM"})
